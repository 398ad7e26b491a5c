/** Suite "wire": Wire audit: schemas, media types, encoding. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'wire',
  order: 11,
  scope: 'binding',
  title: 'Wire audit: schemas, media types, encoding',
  description:
    'Runs last in each cell: every response and SSE event recorded by the other checks is valid for ' +
    "its version's schema; HTTP+JSON media type per spec profile; UTF-8.",
});
