/** Suite "bindings": Equivalence of the declared bindings. */
import { defineSuite } from '../../src/checks/suite.js';

export const suite = defineSuite({
  name: 'bindings',
  order: 7,
  scope: 'version',
  title: 'Equivalence of the declared bindings',
  description: 'The same operations give equivalent results, errors and authentication on every declared ' + 'binding.',
});
