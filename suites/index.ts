/** The catalogue: every suite's checks, in report order. */
import type { CheckDefinition } from '../src/checks/types.js';
import { CARD_CHECKS } from './card/checks.js';
import { SIGNATURE_CHECKS } from './card/signatures.js';
import { SEND_CHECKS } from './send/checks.js';
import { STREAM_CHECKS } from './stream/checks.js';
import { TASKS_CHECKS } from './tasks/checks.js';
import { WIRE_CHECKS } from './wire/checks.js';
import { PUSH_CHECKS } from './push/checks.js';
import { AUTH_CHECKS } from './auth/checks.js';
import { ERRORS_CHECKS } from './errors/checks.js';
import { VERSIONS_CHECKS } from './versions/checks.js';
import { EXTENSIONS_CHECKS } from './extensions/checks.js';
import { PUSH_SSRF_CHECKS } from './push/ssrf.js';
import { AUTH_CACHING_CHECKS } from './auth/extended-card-caching.js';
import { BINDINGS_CHECKS } from './bindings/checks.js';

export const ALL_CHECKS: CheckDefinition[] = [
  ...CARD_CHECKS,
  ...SIGNATURE_CHECKS,
  ...SEND_CHECKS,
  ...STREAM_CHECKS,
  ...TASKS_CHECKS,
  ...PUSH_CHECKS,
  ...PUSH_SSRF_CHECKS,
  ...AUTH_CHECKS,
  ...AUTH_CACHING_CHECKS,
  ...BINDINGS_CHECKS,
  ...ERRORS_CHECKS,
  ...VERSIONS_CHECKS,
  ...EXTENSIONS_CHECKS,
  ...WIRE_CHECKS,
];
