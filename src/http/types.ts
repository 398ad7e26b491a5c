/** What the HTTP layer records: every exchange of a check, bounded and redacted. */

export interface RecordedBody {
  /** Body text (UTF-8, possibly truncated to the transcript cap). Secrets already redacted. */
  text: string;
  /** Size of the full body in bytes as received/sent. */
  bytes: number;
  truncated: boolean;
}

export interface RecordedSseEvent {
  /** Milliseconds since the request was sent. */
  t: number;
  /** Raw `data` field (joined lines), redacted and truncated. */
  data: string;
  /** SSE `event:` field if the server sent one (A2A does not use it). */
  event?: string;
  /** Schema findings for this event, if it was validated. */
  schemaErrors?: SchemaError[];
}

export interface SchemaError {
  /** JSON pointer into the validated document, e.g. "/result/status/state". */
  path: string;
  /** Human message, e.g. "must be equal to one of the allowed values". */
  message: string;
  /** The schema that was applied, e.g. "1.0#/$defs/Task". */
  schema: string;
  /** Offending value (truncated), when useful. */
  actual?: string;
  /** What the schema allows, when it can be said briefly (enum list, type). */
  expected?: string;
}

export type StreamEnd =
  | 'closed' // server closed the stream cleanly
  | 'client-closed' // the check closed it deliberately
  | 'idle-timeout' // no bytes for the idle window
  | 'total-timeout' // the whole-stream bound elapsed
  | 'size-cap' // the byte cap was hit
  | 'reset'; // connection error mid-stream

export interface Exchange {
  /** Sequence number within the transcript. */
  seq: number;
  /** Purpose label set by the caller, e.g. "SendMessage" or "GET agent card". */
  label: string;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: RecordedBody;
  };
  response?: {
    status: number;
    headers: Record<string, string>;
    body?: RecordedBody;
    /** Present for text/event-stream responses. */
    events?: RecordedSseEvent[];
    streamEnd?: StreamEnd;
    /** Keep-alive comment lines seen. */
    comments?: number;
  };
  /** Transport-level failure (connect refused, timeout before headers...). */
  error?: string;
  /** ms since the transcript started. */
  startedAt: number;
  /** Time to response headers, ms. */
  headersMs?: number;
  /** Total time to end of body/stream, ms. */
  durationMs?: number;
  /** Schema findings for the (non-stream) response body. */
  schemaErrors?: SchemaError[];
  /**
   * (additive) The request was invalid on purpose (an input-validation probe, e.g. a push config without url): its
   * answer is judged by the check that sent it, so the post-phase wire audits leave it out. Set by that check.
   */
  invalidRequest?: true;
  /**
   * gRPC calls only. `request`/`response` then hold the HTTP/2 view (metadata as headers, each message as
   * ProtoJSON text with its protobuf size in `bytes`, stream messages as `events`); this adds what is gRPC's own.
   */
  grpc?: GrpcExchangeInfo;
}

export interface GrpcExchangeInfo {
  /** Full method path, e.g. `/lf.a2a.v1.A2AService/SendMessage`. */
  method: string;
  /** `host:port` as dialled. */
  address: string;
  tls: boolean;
  /** Protobuf size of the request message. */
  requestBytes: number;
  /** Request keys sent as unknown fields (unknown-field tolerance probes). */
  requestUnknownFields?: string[];
  status?: { code: number; name: string; message: string };
  /** Trailing metadata (grpc-status-details-bin shown decoded in `statusDetails`). */
  trailers?: Record<string, string>;
  /** ProtoJSON of the google.rpc.Status carried in grpc-status-details-bin. */
  statusDetails?: unknown;
  /** One entry per response message: arrival (ms since the call started), size, unknown fields, decode failure. */
  responses?: { t: number; bytes: number; unknownFields?: string[]; error?: string }[];
}

export interface Transcript {
  id: string;
  exchanges: Exchange[];
  /** Exchanges dropped once the per-transcript cap was reached. */
  droppedExchanges?: number;
}
