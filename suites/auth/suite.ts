/** Suite "auth": Authentication and the extended card. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'auth',
  order: 6,
  scope: 'binding',
  title: 'Authentication and the extended card',
  description:
    'Requests without or with invalid credentials rejected when the card declares security, 401/403 ' +
    'and `WWW-Authenticate` (SHOULD), extended card fetched with credentials, refused without, ' +
    'caching headers. Only these checks (and `bindings.equivalence.auth`) send requests without the ' +
    "target's `headers`; every other request carries them, the card fetch included.",
});
