/**
 * HttpSession: recorded, bounded HTTP bound to one transcript (one check, or one shared fixture).
 * Implementation: ./undici-session.ts. Adapters and checks never call undici directly.
 */
import type { Exchange, StreamEnd, Transcript } from './types.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** string is sent verbatim; anything else is JSON-encoded with content-type application/json. */
  body?: string | unknown;
  label: string;
  /** Bound for the whole exchange (headers + body). Defaults to the target's timeoutMs. */
  timeoutMs?: number;
  /** Body cap in bytes; beyond it the body is cut and the exchange marked truncated. */
  maxBytes?: number;
  /** Do not add the target's configured headers (credentials). */
  withoutCredentials?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body when it parsed; undefined otherwise. */
  json?: unknown;
  jsonError?: string;
  /** The full body exceeded maxBytes. */
  truncated: boolean;
  exchange: Exchange;
}

export interface SseEvent {
  t: number;
  data: string;
  event?: string;
}

export interface SseRequest extends HttpRequest {
  /** Max silence between chunks. */
  idleTimeoutMs?: number;
  /** Whole-stream bound. */
  totalTimeoutMs?: number;
}

export interface SseStream {
  /**
   * Resolves when headers arrive. If the response is not text/event-stream the body is read as text and exposed here.
   */
  started: Promise<{
    status: number;
    headers: Record<string, string>;
    contentType?: string;
    nonSseBody?: { text: string; json?: unknown };
  }>;
  /** Events as parsed; ends when the stream ends. Iterate once. */
  events: AsyncIterable<SseEvent>;
  done: Promise<{
    end: StreamEnd;
    events: SseEvent[];
    comments: number;
    parseErrors: string[];
    headersMs?: number;
    firstEventMs?: number;
    durationMs: number;
    exchange: Exchange;
  }>;
  close(): void;
}

/**
 * Bounds the requests in flight (the scheduler's per-target and run-wide limits). A plain request holds a slot until
 * its body has been read; a stream holds one until its response headers arrive (reading it is waiting, not load).
 */
export interface RequestGate {
  /**
   * Resolves with a release function; rejects if `signal` aborts while waiting. Higher `priority` waiters are served
   * first (default 0).
   */
  acquire(signal?: AbortSignal, priority?: number): Promise<() => void>;
}

export interface HttpSession {
  readonly transcript: Transcript;
  request(req: HttpRequest): Promise<HttpResponse>;
  sse(req: SseRequest): SseStream;
  /**
   * Start recording an exchange of another transport (gRPC) in this transcript: numbered, timed and redacted like
   * HTTP exchanges. The caller fills in `response`, `durationMs` and `error`, redacting with the same secrets.
   */
  beginExchange?(
    label: string,
    request: { method: string; url: string; headers: Record<string, string>; body?: string },
  ): Exchange;
  /**
   * A request slot for another transport (gRPC), from the same request gates as `request()` and `sse()`: resolves
   * with its release function once the call may start; rejects if the session's signal aborts while waiting. Absent
   * or slot-less sessions resolve at once.
   */
  acquireSlot?(): Promise<() => void>;
  /** Attach schema findings to an exchange (adapters call this after validating). */
  annotate(
    exchange: Exchange,
    findings: { schemaErrors?: import('./types.js').SchemaError[]; eventIndex?: number },
  ): void;
}
