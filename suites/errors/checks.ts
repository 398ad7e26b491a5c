/**
 * Suite "errors": how agents report errors. JSON-RPC envelope rules (envelope.ts) and the A2A errors a black box can
 * provoke, judged per error and table-driven across errors (a2a.ts, provocations.ts). Binding-scoped.
 */
import type { CheckDefinition } from '../../src/checks/types.js';
import { A2A_ERROR_CHECKS } from './a2a.js';
import { ENVELOPE_CHECKS } from './envelope.js';

export const ERRORS_CHECKS: CheckDefinition[] = [...ENVELOPE_CHECKS, ...A2A_ERROR_CHECKS];
