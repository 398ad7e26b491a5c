/** Suite "errors": Error envelopes, A2A error codes and their encodings. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'errors',
  order: 8,
  scope: 'binding',
  title: 'Error envelopes, A2A error codes and their encodings',
  description:
    'JSON-RPC envelope (-32700 with `id: null`, -32600, -32601, -32602 variants incl. a message without ' +
    '`messageId` and GetTask without an id, id echo, result xor ' +
    'error, content type; notifications and batches reported as info), A2A codes and their encoding, ' +
    '1.0 `google.rpc.ErrorInfo` in `error.data[]` / `error.details[]` / gRPC status details, REST status ' +
    'and gRPC status tables per spec profile (1.0.0 vs 1.0.1), REST error body (§13 C3), 0.3 REST ' +
    'portable subset, a push config without `url`, validation errors naming the failed parameter ' +
    '(`google.rpc.BadRequest` field violations, SHOULD).',
});
