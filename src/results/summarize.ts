/** Summary counts and the exit code, derived from the results (never stored state). */
import { OUTCOMES, type Outcome } from '../core/types.js';
import { introducedBlocking } from './compare.js';
import type { CheckResult, Gate, ResultsFile, Summary } from './types.js';

const zero = (): Record<Outcome, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

export function summarize(results: CheckResult[], extraStale = 0): Summary {
  const byOutcome = zero();
  const byTarget: Record<string, Record<Outcome, number>> = {};
  const untestableByTrigger: Record<string, number> = {};
  let expectedFailures = 0;
  let staleExpectations = extraStale;
  let unexpectedFailures = 0;
  for (const r of results) {
    byOutcome[r.outcome]++;
    (byTarget[r.target] ??= zero())[r.outcome]++;
    if (r.outcome === 'untestable') {
      const key = r.unlockedBy ?? 'other prerequisite';
      untestableByTrigger[key] = (untestableByTrigger[key] ?? 0) + 1;
    }
    if (r.baseline === 'expected') expectedFailures++;
    else if (r.baseline === 'stale') staleExpectations++;
    else if (r.outcome === 'fail') unexpectedFailures++;
  }
  return {
    total: results.length,
    byOutcome,
    byTarget,
    untestableByTrigger,
    expectedFailures,
    staleExpectations,
    unexpectedFailures,
  };
}

export const EXIT = { ok: 0, failures: 1, usage: 2, untested: 3, interrupted: 130 } as const;

/**
 * 3 when some target could not be tested at all; else 1 when a MUST failed unexpectedly, a check errored,
 * a baseline entry is stale, or (strict) a SHOULD warned; else 0.
 * With gate `introduced`, 1 only for failures a gateway introduced (src/results/compare.ts), and 3 also when a
 * gateway's upstream is missing from the results (nothing to compare with).
 */
export function exitCodeOf(
  file: Pick<ResultsFile, 'targets' | 'results' | 'summary' | 'comparisons'>,
  strict: boolean,
  gate: Gate = 'all',
): number {
  if (file.targets.some((t) => t.status !== 'tested')) return EXIT.untested;
  if (gate === 'introduced') {
    if (file.comparisons?.some((c) => c.status !== 'compared')) return EXIT.untested;
    return introducedBlocking(file.comparisons, strict) > 0 ? EXIT.failures : EXIT.ok;
  }
  const s = file.summary;
  const unexpectedErrors = file.results.filter((r) => r.outcome === 'error' && r.baseline !== 'expected').length;
  const unexpectedWarns = file.results.filter((r) => r.outcome === 'warn' && r.baseline !== 'expected').length;
  if (s.unexpectedFailures > 0 || s.staleExpectations > 0 || unexpectedErrors > 0) return EXIT.failures;
  if (strict && unexpectedWarns > 0) return EXIT.failures;
  return EXIT.ok;
}
