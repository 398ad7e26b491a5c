/** Suite "grpc": rules of the gRPC binding itself. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'grpc',
  order: 10.5,
  scope: 'binding',
  bindings: ['grpc'],
  title: 'gRPC binding',
  description:
    "The gRPC binding itself (every other suite runs on gRPC too): each method of the version's service " +
    '(`lf.a2a.v1.A2AService` / `a2a.v1.A2AService`) is served, A2A-Version is read from metadata, streams end ' +
    "with status OK after the terminal event, responses use only fields of the version's proto, the card's gRPC " +
    'interface URL can be dialled, TLS where declared (plaintext on a non-loopback host is a warning).',
});
