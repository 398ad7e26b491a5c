/**
 * Expected failures (targets.yaml `expectedFailures`), strict both ways: a listed check that fails is
 * "expected"; one that now passes is "stale"; an entry that matches no known check is a stale entry too.
 */
import { idMatcher } from '../checks/registry.js';
import type { ExpectedFailure, ResolvedTarget } from '../config/types.js';
import type { CheckResult } from './types.js';

/** Outcomes that say nothing about the rule: neither confirm nor retire an expected failure. A harness or transport
 * error is never "expected" either: it stays an error, so a broken run cannot hide behind a baseline. */
const NOT_EXERCISED = new Set(['skip', 'untestable', 'error']);

export function applyBaseline(result: CheckResult, target: ResolvedTarget): CheckResult {
  const entry = matchEntry(target.expectedFailures, result);
  if (!entry) return result.outcome === 'fail' ? { ...result, baseline: 'unexpected' } : result;
  if (NOT_EXERCISED.has(result.outcome)) return result;
  if (result.outcome === 'pass' || result.outcome === 'info') {
    return {
      ...result,
      baseline: 'stale',
      baselineReason:
        `listed in expectedFailures (${entry.reason}) but the check no longer fails (${result.outcome}): ` +
        `remove the entry`,
    };
  }
  return { ...result, baseline: 'expected', baselineReason: entry.reason };
}

export function matchEntry(
  entries: ExpectedFailure[],
  r: Pick<CheckResult, 'checkId' | 'version' | 'binding'>,
): ExpectedFailure | undefined {
  return entries.find(
    (e) =>
      idMatcher(e.check)(r.checkId) &&
      (!e.versions || e.versions.includes(r.version)) &&
      (!e.bindings || (r.binding !== null && e.bindings.includes(r.binding))),
  );
}

/** Entries whose pattern matches no check id in the catalogue: typos or removed checks. */
export function unmatchedEntries(target: ResolvedTarget, knownIds: Iterable<string>): ExpectedFailure[] {
  const ids = [...knownIds];
  return target.expectedFailures.filter((e) => !ids.some((id) => idMatcher(e.check)(id)));
}
