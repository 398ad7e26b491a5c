/** Suite "card": Agent Card: discovery, shape, interfaces, caching, negotiation and signatures. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'card',
  order: 1,
  scope: 'version',
  title: 'Agent Card: discovery, shape, interfaces, caching, negotiation and signatures',
  description:
    'Well-known card: reachable JSON, schema per version, required fields, every declared interface ' +
    'really answers its binding and declares it by its core name, `preferredTransport`, camelCase ' +
    'members, spelling of bindings and versions, ' +
    'conflicting declarations, capabilities, skills (empty: warning, §13 C14), security schemes, ' +
    'caching headers, negotiation by `A2A-Version` and `Vary`, claimed versions, TLS on every ' +
    'interface of a production deployment, signatures (JWS ' +
    'over RFC 8785 JCS, verified through `jku`).',
});
