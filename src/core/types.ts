/** Vocabulary shared by every layer of the harness. */

export type ProtocolVersion = '0.3' | '1.0';
export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = ['0.3', '1.0'];

/** The three A2A bindings: JSON-RPC and HTTP+JSON over undici, gRPC over @grpc/grpc-js. */
export type Binding = 'jsonrpc' | 'rest' | 'grpc';
export const BINDINGS: readonly Binding[] = ['jsonrpc', 'rest', 'grpc'];

/** The bindings carried as plain HTTP requests (JSON bodies, HTTP statuses, SSE): checks of HTTP-level rules. */
export const HTTP_BINDINGS: readonly Binding[] = ['jsonrpc', 'rest'];

/** How bindings are spelled in agent cards. */
export const CARD_BINDING_NAME: Record<Binding, string> = { jsonrpc: 'JSONRPC', rest: 'HTTP+JSON', grpc: 'GRPC' };

/** RFC 2119 keyword of the requirement a check verifies. */
export type Level = 'MUST' | 'SHOULD' | 'MAY';

/**
 * pass        the requirement holds
 * fail        a MUST is broken
 * warn        a SHOULD is broken, or a MUST where the spec contradicts itself (reason given)
 * info        observation only (MAY features, unspecified behaviour)
 * skip        not applicable (capability not declared, version/binding not served), with reason
 * untestable  applicable, but a prerequisite is missing (trigger not configured...), with reason; never a pass
 * error       the harness or the transport could not run the check (timeout, connection refused, bug)
 */
export type Outcome = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'untestable' | 'error';
export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'error'];

/** Spec profile for 1.0 expectations whose answer changed in the 1.0.1 patch (error status table). */
export type SpecProfile = '1.0.0' | '1.0.1';

export interface SpecRef {
  /** Section number in that version's specification, e.g. "7.3" or "3.1.6". */
  section: string;
  /** Requirement id from the harness checklist (S03-xx / S10-xx), when one applies. */
  req?: string;
  /** Absolute link to the section. Filled in by the registry from the version's base URL. */
  url?: string;
  /** Optional note, e.g. "1.0.1 changed this". */
  note?: string;
}

/** Behaviours a target can be asked to produce (see targets.yaml `triggers`). */
export type TriggerName = 'message' | 'task' | 'slow' | 'input-required' | 'failed' | 'rejected' | 'auth-required';
export const TRIGGER_NAMES: readonly TriggerName[] = [
  'message',
  'task',
  'slow',
  'input-required',
  'failed',
  'rejected',
  'auth-required',
];

/** Neutral task states (0.3 JSON-RPC spelling); adapters map wire spellings to these. */
export type TaskState =
  | 'submitted'
  | 'working'
  | 'input-required'
  | 'auth-required'
  | 'completed'
  | 'canceled'
  | 'failed'
  | 'rejected'
  | 'unknown';
/** Every neutral task state, `unknown` (a wire value no version defines) last. */
export const TASK_STATES: readonly TaskState[] = [
  'submitted',
  'working',
  'input-required',
  'auth-required',
  'completed',
  'canceled',
  'failed',
  'rejected',
  'unknown',
];
export const TERMINAL_STATES: readonly TaskState[] = ['completed', 'canceled', 'failed', 'rejected'];
export const INTERRUPTED_STATES: readonly TaskState[] = ['input-required', 'auth-required'];
export const isTerminal = (s: TaskState | undefined): boolean => s !== undefined && TERMINAL_STATES.includes(s);
export const isInterrupted = (s: TaskState | undefined): boolean => s !== undefined && INTERRUPTED_STATES.includes(s);
