/**
 * Named trigger conventions (targets.yaml `triggers: <preset>`).
 * - reference: the bundled reference agents (reference-agents/README.md); text and messageId prefix both work.
 * - a2a-tck: the messageId-prefix contract of the a2a-tck 1.0 SUT (a2aproject/a2a-tck
 * scenarios/core_operations.feature),
 *   so an agent built for the TCK can be tested unchanged. The TCK defines no failed or auth-required behaviour.
 */
import type { TriggerName } from '../core/types.js';
import type { TriggerSpec } from './types.js';

export type TriggerTable = Partial<Record<TriggerName, TriggerSpec>>;

export const TRIGGER_PRESETS: Record<string, TriggerTable> = {
  reference: {
    message: { text: 'hello', messageIdPrefix: 'ref-message' },
    task: { text: 'make a report', messageIdPrefix: 'ref-task' },
    slow: { text: 'long job', messageIdPrefix: 'ref-slow' },
    'input-required': { text: 'book a table', messageIdPrefix: 'ref-input' },
    failed: { text: 'fail please', messageIdPrefix: 'ref-fail' },
    rejected: { text: 'reject please', messageIdPrefix: 'ref-reject' },
    'auth-required': { text: 'auth please', messageIdPrefix: 'ref-auth' },
  },
  'a2a-tck': {
    message: { messageIdPrefix: 'tck-message-response' },
    task: { messageIdPrefix: 'tck-artifact-text' },
    slow: { messageIdPrefix: 'tck-delayed-complete' },
    'input-required': { messageIdPrefix: 'tck-input-required' },
    rejected: { messageIdPrefix: 'tck-reject-task' },
  },
};
