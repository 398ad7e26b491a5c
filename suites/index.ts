/** The catalogue: every suite's checks, in report order. */
import type { CheckDefinition } from '../src/checks/types.js';
import { CARD_CHECKS } from './card/checks.js';
import { SEND_CHECKS } from './send/checks.js';
import { STREAM_CHECKS } from './stream/checks.js';
import { TASKS_CHECKS } from './tasks/checks.js';
import { WIRE_CHECKS } from './wire/checks.js';

export const ALL_CHECKS: CheckDefinition[] = [...CARD_CHECKS, ...SEND_CHECKS, ...STREAM_CHECKS, ...TASKS_CHECKS, ...WIRE_CHECKS];
