/** Suite "push": Push notifications: config CRUD and delivery. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'push',
  order: 5,
  scope: 'binding',
  title: 'Push notifications: config CRUD and delivery',
  description:
    'Config create / get / list / delete (idempotent), missing config → TaskNotFound (§13 C22), config ' +
    'operations on an unknown task → TaskNotFound, ' +
    "inline config on send, delivery observed on the harness's own webhook receiver: payload per " +
    'version, token / `Authorization` credentials, terminal state at least once, a delivery to each of two ' +
    'webhooks on one task, content type; SSRF ' +
    'policy for private webhook URLs (1.0 SHOULD; 0.3 MAY, other mitigations allowed).',
});
