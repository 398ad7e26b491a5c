/**
 * The one interface scenarios speak: protocol operations, independent of version and binding.
 * Implemented per version × binding in ./adapters/. Every call records its exchange in the check's transcript
 * and validates every wire document against the version's schema (findings land on the exchange and the reply).
 */
import type { Binding, ProtocolVersion } from '../core/types.js';
import type { Exchange, SchemaError, StreamEnd } from '../http/types.js';
import type { A2AError, ListTasksResult, Message, Part, PushConfig, SendResult, StreamItem, Task } from './model.js';

/** Outcome of one non-streaming operation. */
export type Reply<T> =
  | { ok: true; value: T; wire: unknown; exchange: Exchange; schemaErrors: SchemaError[]; requestId?: string | number }
  | {
      ok: false;
      error: A2AError;
      exchange: Exchange;
      schemaErrors: SchemaError[];
      wire?: unknown;
      requestId?: string | number;
    };
// requestId (additive): for the JSON-RPC binding, the id the request carried (compare with the envelope's `id`).

/** The user message a scenario wants to send; the adapter fills in version spelling and defaults. */
export interface OutgoingMessage {
  /** Defaults to a fresh unique id. A trigger may ask for a prefix, which the runner applies. */
  messageId?: string;
  text?: string;
  parts?: Part[];
  taskId?: string;
  contextId?: string;
  metadata?: Record<string, unknown>;
  extensions?: string[];
  referenceTaskIds?: string[];
}

export interface SendOptions {
  historyLength?: number;
  /** 1.0 `returnImmediately: true` / 0.3 `blocking: false`. undefined = leave unset on the wire. */
  returnImmediately?: boolean;
  acceptedOutputModes?: string[];
  pushConfig?: PushConfig;
  /** Extra fields merged into params/body (unknown-field tolerance checks). */
  extraParams?: Record<string, unknown>;
  /** Extra request headers (extensions, auth overrides). */
  headers?: Record<string, string>;
  /** Override the check-level timeout for this call. */
  timeoutMs?: number;
  /** Transcript label. */
  label?: string;
}

export interface CallOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  label?: string;
  /** Send the request without the target's configured credentials (auth checks). */
  withoutCredentials?: boolean;
}

export interface StreamEvent {
  /** ms since the request was sent. */
  t: number;
  /** Raw SSE data. */
  data: string;
  /** Parsed JSON, or undefined if it was not JSON. */
  json?: unknown;
  /** Unwrapped item (JSON-RPC envelope or bare StreamResponse removed). */
  item: StreamItem;
  /** For the JSON-RPC binding: the `id` echoed in this event's envelope. */
  envelopeId?: unknown;
  schemaErrors: SchemaError[];
}

export interface StreamResult {
  /** HTTP status and headers of the stream response. */
  status: number;
  contentType?: string;
  /** When the server answered with a plain (non-SSE) error instead of a stream. */
  error?: A2AError;
  events: StreamEvent[];
  end: StreamEnd;
  /** ms from request to response headers, and to the first event. */
  headersMs?: number;
  firstEventMs?: number;
  /** ms from the last event to the end of the stream (close latency after a terminal state). */
  closeAfterLastEventMs?: number;
  durationMs: number;
  parseErrors: string[];
  exchange: Exchange;
  /** For the JSON-RPC binding, the id the request carried. */
  requestId?: string | number;
  /**
   * REST subscribe only (additive): the verb of the attempt this result comes from (POST first, GET on 404/405, §13
   * C1).
   */
  subscribeVerb?: 'POST' | 'GET';
}

/** A live stream: iterate events as they arrive, or collect it to the end. */
export interface StreamHandle {
  /** Resolves once response headers are in (or the request failed). */
  started: Promise<{ status: number; contentType?: string }>;
  /** Yields events as they are parsed. May be iterated once. */
  events: AsyncIterable<StreamEvent>;
  /** Wait for the stream to end (server close, timeout, cap or close()). */
  done: Promise<StreamResult>;
  /** Close from the client side; `done` then resolves with end 'client-closed'. */
  close(): void;
  /** REST subscribe only (additive): the verb currently in use ('POST', or 'GET' after the 404/405 fallback). */
  readonly subscribeVerb?: 'POST' | 'GET';
}

export interface StreamOptions extends SendOptions {
  /** Max silence between bytes before giving up (default from target config). */
  idleTimeoutMs?: number;
}

export interface SubscribeOptions extends CallOptions {
  idleTimeoutMs?: number;
  /** REST only: which verb to use; default POST (the spec prose), see §13 C1. */
  verb?: 'POST' | 'GET';
}

export interface ListTasksParams {
  contextId?: string;
  status?: import('../core/types.js').TaskState;
  pageSize?: number;
  pageToken?: string;
  historyLength?: number;
  statusTimestampAfter?: string;
  includeArtifacts?: boolean;
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** Absolute URL, or a path resolved against the interface URL (REST: appended, like adapters do). */
  url?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent verbatim when a string (malformed-JSON checks); JSON-encoded otherwise. */
  body?: string | unknown;
  /** Omit the A2A-Version header the adapter would add (negotiation checks). */
  omitVersionHeader?: boolean;
  withoutCredentials?: boolean;
  timeoutMs?: number;
  label?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json?: unknown;
  exchange: Exchange;
}

export interface A2AClient {
  readonly version: ProtocolVersion;
  readonly binding: Binding;
  /** The interface URL this client talks to. */
  readonly url: string;

  send(message: OutgoingMessage, opts?: SendOptions): Promise<Reply<SendResult>>;
  stream(message: OutgoingMessage, opts?: StreamOptions): StreamHandle;
  get(taskId: string, opts?: CallOptions & { historyLength?: number }): Promise<Reply<Task>>;
  /** 1.0 ListTasks; on 0.3 resolves to an UnsupportedOperation-shaped error without sending (not in 0.3 JSON-RPC). */
  list(params: ListTasksParams, opts?: CallOptions): Promise<Reply<ListTasksResult>>;
  cancel(taskId: string, opts?: CallOptions): Promise<Reply<Task>>;
  subscribe(taskId: string, opts?: SubscribeOptions): StreamHandle;

  createPushConfig(taskId: string, config: PushConfig, opts?: CallOptions): Promise<Reply<PushConfig>>;
  getPushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<PushConfig>>;
  listPushConfigs(taskId: string, opts?: CallOptions): Promise<Reply<PushConfig[]>>;
  deletePushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<null>>;

  extendedCard(opts?: CallOptions): Promise<Reply<unknown>>;

  /** Anything else: malformed bodies, odd verbs, missing headers. Recorded like every other call. */
  raw(req: RawRequest): Promise<RawResponse>;

  /** Build the JSON-RPC request body or REST body this adapter would send for a message (for envelope tweaks). */
  encodeMessage(message: OutgoingMessage): unknown;
  /** Wire method name / REST path of an operation, for findings. */
  describe(op: OperationName): string;
}

export type OperationName =
  | 'send'
  | 'stream'
  | 'get'
  | 'list'
  | 'cancel'
  | 'subscribe'
  | 'createPushConfig'
  | 'getPushConfig'
  | 'listPushConfigs'
  | 'deletePushConfig'
  | 'extendedCard';

/** Neutral message parts used by scenarios. */
export type { Message, Part, Task, SendResult, StreamItem, PushConfig, ListTasksResult };
