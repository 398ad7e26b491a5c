/** Suite "versions": A2A-Version negotiation. */
import { defineSuite } from '../../src/checks/suite.js';
import { HTTP_BINDINGS } from '../../src/core/types.js';

export const suite = defineSuite({
  name: 'versions',
  order: 9,
  scope: 'binding',
  // Raw HTTP requests with edited headers; on gRPC, A2A-Version travels as metadata (suites/grpc).
  bindings: [...HTTP_BINDINGS],
  title: 'A2A-Version negotiation',
  description:
    '`A2A-Version` negotiation: accepted, unsupported (99.0) → VersionNotSupported, missing header ' +
    'means 0.3 (1.0-only vs dual-stack servers), patch ignored, case-insensitive name, ' +
    'query-parameter form (MAY). Shown as a negotiation table in the reports.',
});
