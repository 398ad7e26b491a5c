/** Suite "extensions": A2A-Extensions negotiation. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'extensions',
  order: 10,
  scope: 'binding',
  title: 'A2A-Extensions negotiation',
  description:
    '`A2A-Extensions` / `X-A2A-Extensions`: unknown extensions ignored, activated ones echoed ' +
    '(SHOULD), required extension not requested → ExtensionSupportRequired, an unsupported version of a ' +
    'declared extension never falls back to another version.',
});
