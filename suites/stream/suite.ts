/** Suite "stream": Streaming and subscriptions. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'stream',
  order: 3,
  scope: 'binding',
  title: 'Streaming and subscriptions',
  description:
    'SSE framing and content type, JSON-RPC id echo, message-only streams, task streams start with ' +
    'the Task and close after the terminal state (a stream left open fails, with the timing), ' +
    'nothing after terminal, 0.3 `final`, artifact chunk reassembly vs GetTask, time to first event ' +
    '(buffering gateways), subscribe / resubscribe (first event, terminal → UnsupportedOperation, ' +
    'unknown → TaskNotFound, POST/GET per §13 C1, concurrent subscribers, resumed after a dropped stream), ' +
    'streaming to a terminal or ' +
    'unknown task, capability gating of both streaming methods (error as a plain answer or an SSE event).',
});
