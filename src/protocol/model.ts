/**
 * Version-neutral view of A2A objects. Adapters translate the wire (0.3 JSON-RPC, 0.3 ProtoJSON, 1.0 ProtoJSON)
 * into these shapes; the raw wire object is always kept next to them for checks that look at spelling.
 */
import type { TaskState } from '../core/types.js';

export type Role = 'user' | 'agent' | 'unknown';

export type Part =
  | { kind: 'text'; text: string; mediaType?: string; metadata?: Record<string, unknown> }
  | {
      kind: 'file';
      bytes?: string;
      uri?: string;
      mediaType?: string;
      name?: string;
      metadata?: Record<string, unknown>;
    }
  | { kind: 'data'; data: unknown; mediaType?: string; metadata?: Record<string, unknown> }
  | { kind: 'invalid'; raw: unknown };

export interface Message {
  messageId: string;
  role: Role;
  parts: Part[];
  taskId?: string;
  contextId?: string;
  metadata?: Record<string, unknown>;
  extensions?: string[];
  referenceTaskIds?: string[];
}

export interface TaskStatus {
  state: TaskState;
  /** The wire spelling of the state, e.g. "TASK_STATE_COMPLETED" or "completed". */
  wireState: string;
  message?: Message;
  timestamp?: string;
}

export interface Artifact {
  artifactId: string;
  name?: string;
  description?: string;
  parts: Part[];
  metadata?: Record<string, unknown>;
  extensions?: string[];
}

export interface Task {
  id: string;
  contextId: string;
  status: TaskStatus;
  history?: Message[];
  artifacts?: Artifact[];
  metadata?: Record<string, unknown>;
}

export interface StatusUpdate {
  taskId: string;
  contextId: string;
  status: TaskStatus;
  /** 0.3 only; undefined on 1.0. */
  final?: boolean;
  metadata?: Record<string, unknown>;
}

export interface ArtifactUpdate {
  taskId: string;
  contextId: string;
  artifact: Artifact;
  append?: boolean;
  lastChunk?: boolean;
  metadata?: Record<string, unknown>;
}

/** One item of a stream or of a push delivery, after unwrapping envelopes. */
export type StreamItem =
  | { kind: 'task'; task: Task }
  | { kind: 'message'; message: Message }
  | { kind: 'status-update'; update: StatusUpdate }
  | { kind: 'artifact-update'; update: ArtifactUpdate }
  | { kind: 'error'; error: A2AError }
  | { kind: 'invalid'; reason: string };

export type SendResult = { kind: 'task'; task: Task } | { kind: 'message'; message: Message };

export interface ListTasksResult {
  tasks: Task[];
  /** undefined when the field was absent on the wire (relevant to the spec-literal check, §13 C4). */
  nextPageToken?: string;
  pageSize?: number;
  totalSize?: number;
}

export interface PushConfig {
  id?: string;
  taskId?: string;
  url: string;
  token?: string;
  authentication?: { scheme: string; credentials?: string };
}

/** Names of A2A and JSON-RPC errors, independent of how a binding encodes them. */
export type A2AErrorName =
  | 'JSONParseError'
  | 'InvalidRequest'
  | 'MethodNotFound'
  | 'InvalidParams'
  | 'InternalError'
  | 'TaskNotFound'
  | 'TaskNotCancelable'
  | 'PushNotificationNotSupported'
  | 'UnsupportedOperation'
  | 'ContentTypeNotSupported'
  | 'InvalidAgentResponse'
  | 'ExtendedAgentCardNotConfigured'
  | 'ExtensionSupportRequired'
  | 'VersionNotSupported'
  | 'Unauthenticated'
  | 'PermissionDenied'
  | 'Unknown';

export interface A2AError {
  /** Best identification of the error, from the JSON-RPC code, ErrorInfo reason or HTTP status (in that order). */
  name: A2AErrorName;
  /** How `name` was derived: lets checks say "identified only by HTTP status". */
  identifiedBy: 'jsonrpc-code' | 'error-info' | 'rest-body-code' | 'http-status' | 'grpc-status' | 'none';
  /** JSON-RPC error code, or the code found in a REST error body. */
  code?: number;
  /** HTTP status of the response (gRPC: 200, the HTTP/2 status every gRPC answer carries). */
  httpStatus: number;
  /** gRPC binding: the status code name (`NOT_FOUND`, ...). */
  grpcStatus?: string;
  /**
   * Other names the same encoding stands for, when `name` came from an ambiguous signal (a gRPC status code
   * without ErrorInfo: FAILED_PRECONDITION is six errors). Expectations accept any of them.
   */
  alternatives?: A2AErrorName[];
  message?: string;
  /** 1.0 google.rpc.ErrorInfo `reason`, when present. */
  reason?: string;
  /** 1.0 google.rpc.ErrorInfo `domain`, when present. */
  domain?: string;
  /** JSON-RPC `error.data`, REST `error.details` or gRPC `google.rpc.Status.details` (ProtoJSON), raw. */
  details?: unknown;
  /** The raw error body (JSON-RPC `error` object or the REST body). */
  raw?: unknown;
}
