/** Suite "tasks": Task lifecycle: get, cancel, list, multi-turn. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'tasks',
  order: 4,
  scope: 'binding',
  title: 'Task lifecycle: get, cancel, list, multi-turn',
  description:
    "GetTask (shape, unknown id with the binding's code/status, `historyLength` per version), " +
    'terminal states immutable, cancel (working → canceled and never revived, terminal → ' +
    'TaskNotCancelable, unknown, repeated per §13 C15), ListTasks (paging with `pageSize=1`, ' +
    '`nextPageToken` spec-literal per §13 C4, order, `includeArtifacts`, filters, invalid ' +
    '`pageSize`), multi-turn (follow-up, inferred and mismatched `contextId`), in-task ' +
    '`auth-required`, the same task alike through send, stream, GetTask and ListTasks.',
});
