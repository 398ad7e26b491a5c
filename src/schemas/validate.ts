/**
 * Wire-schema validation facade. The validators are compiled ahead of time (scripts/build-schemas.mjs →
 * generated/validators.ts); nothing here compiles a schema at run time.
 */
export type { SchemaError } from '../http/types.js';
export { validateWire, validateTargetsDocument, validateResultsDocument } from './impl.js';

/** The three JSON dialects on the wire. */
export type WireProfile = '0.3-jsonrpc' | '0.3-rest' | '1.0';

/** Documents the harness validates. Not every type exists in every profile (see impl.ts). */
export type WireType =
  | 'AgentCard'
  | 'Message'
  | 'Task'
  | 'SendMessageResult' // 0.3-jsonrpc: Task|Message (kind); 0.3-rest/1.0: SendMessageResponse wrapper
  | 'StreamResponse' // one SSE event payload after removing the JSON-RPC envelope
  | 'JsonRpcResponse' // envelope: jsonrpc "2.0", id, exactly one of result/error
  | 'JsonRpcError' // the `error` member (1.0: data[] with @type details, ErrorInfo for A2A codes)
  | 'RestError' // REST error body (1.0: google.rpc.Status wrapper; 0.3: JSON object with a message)
  | 'PushConfig' // TaskPushNotificationConfig
  | 'PushConfigList' // list result
  | 'ListTasksResponse'; // 1.0 only
