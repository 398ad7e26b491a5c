/** Suite "gateway": what a gateway changes. Declared once; its checks register by being defined through it. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'gateway',
  order: 12,
  scope: 'binding',
  title: 'Gateway transparency: the gateway target compared with its upstream',
  description:
    'Only on a target with `upstream:` (the same agent reached directly): the card is the upstream card with only ' +
    'the interface URLs rewritten (scheme of the client-facing hop, no doubled path, no upstream address), nothing ' +
    'else changed, signatures kept or reported as stripped; no upstream address (any authority its cards declare, ' +
    'gRPC included) or private address in any response; time ' +
    'to first stream event and framing as direct; `A2A-Version` forwarded; errors preserved (code, status, ' +
    'ErrorInfo); the latency the gateway adds per operation, as metrics.',
});
