/** Suite "wire": Wire audit: schemas, media types, encoding. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'wire',
  order: 11,
  scope: 'binding',
  title: 'Wire audit: schemas, media types, encoding',
  description:
    'Runs last in each cell: every response and SSE event recorded by the other checks is valid for ' +
    "its version's schema; camelCase member names (1.0); HTTP+JSON media type per version and spec " +
    'profile; UTF-8 (bodies and events). Authentication answers (401/403) are left to the auth suite.',
});
