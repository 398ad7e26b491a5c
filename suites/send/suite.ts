/** Suite "send": message/send · SendMessage. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'send',
  order: 2,
  scope: 'binding',
  title: 'message/send · SendMessage',
  description:
    '`message/send` · `SendMessage`: result shape per version (0.3 bare with `kind`, 1.0 wrapped), ' +
    'agent role, `contextId` returned / kept / never replaced, unique task ids, unknown `taskId` → ' +
    'TaskNotFound, terminal task rejected, blocking default vs `returnImmediately` / `blocking: ' +
    'false` (the reply is the latest task with its artifacts), `historyLength` (0 in 1.0), unknown ' +
    'fields ignored, UTC `Z` timestamps, artifacts and parts, tasks the agent fails or rejects (same id, ' +
    'stream starts with the Task).',
});
