/** The catalogue: every suite's checks, in report order. */
import type { CheckDefinition } from '../src/checks/types.js';
import { CARD_CHECKS } from './card/checks.js';

export const ALL_CHECKS: CheckDefinition[] = [...CARD_CHECKS];
