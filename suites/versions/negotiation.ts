/**
 * The per-target negotiation table: every versions check records what it observed for its case as a note
 *
 *     negotiation: <case> → <observed>
 *
 * (`<case>` one of NEGOTIATION_CASES' keys, stable; `<observed>` free text starting with "success" or "error") and a
 * metric `negotiation.<case>.httpStatus`. A reporter renders one row per case and one column per target × binding
 * from CheckResult.details (lines "· negotiation: …") or, without details, CheckResult.message.
 */
import type { CheckContext } from '../../src/checks/types.js';
import { describeProbe, type ProbeResult } from '../lib/probe.js';

/** Stable case keys → what was sent (row labels of the table), in display order. */
export const NEGOTIATION_CASES = {
  'header-1.0': 'A2A-Version: 1.0',
  'header-lowercase': 'a2a-version: 1.0 (lower-case name)',
  'header-uppercase': 'A2A-VERSION: 1.0 (upper-case name)',
  'header-99.0': 'A2A-Version: 99.0 (unsupported)',
  'header-1.0.0': 'A2A-Version: 1.0.0 (patch component)',
  'query-param': '?A2A-Version=1.0, no header',
  'missing-header': 'no A2A-Version, 1.0 request on the 1.0 interface',
  'empty-header': 'A2A-Version: "" (empty), 1.0 request on the 1.0 interface',
  'missing-header-0.3': 'no A2A-Version, 0.3 request on the 0.3 interface',
} as const;

export type NegotiationCase = keyof typeof NEGOTIATION_CASES;

export const NEGOTIATION_NOTE_PREFIX = 'negotiation: ';

/** Record one observation: the note line of the table, and the HTTP status as a metric. */
export function recordNegotiation(
  ctx: CheckContext,
  key: NegotiationCase,
  observed: string,
  httpStatus?: number,
): void {
  ctx.note(`${NEGOTIATION_NOTE_PREFIX}${key} → ${observed}`);
  if (httpStatus !== undefined) ctx.metric(`negotiation.${key}.httpStatus`, httpStatus);
}

export function recordProbe(ctx: CheckContext, key: NegotiationCase, p: ProbeResult): void {
  recordNegotiation(ctx, key, describeProbe(p), p.res.status);
}

/** Parse a note line back (for reporters and tests). */
export function parseNegotiationNote(line: string): { key: NegotiationCase; observed: string } | undefined {
  const m = /^(?:[·✗!] )?negotiation: (\S+) → (.*)$/.exec(line);
  if (!m || !(m[1]! in NEGOTIATION_CASES)) return undefined;
  return { key: m[1] as NegotiationCase, observed: m[2]! };
}
