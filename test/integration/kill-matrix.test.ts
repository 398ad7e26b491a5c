/**
 * The product's core promise, as a test: every check can fail. Runs the kill matrix (test/tools/kill-matrix.ts) over
 * every fault of test/faults/ once, concurrently, against the in-process reference agents, then asserts per fault
 * (one `it` each, so a failure names the fault) that it kills something and everything it lists, and that every check
 * of the covered suites is killed by some fault. The same matrix as `npm run selftest:faults`, without writing files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { idMatcher } from '../../src/checks/registry.js';
import { loadFaultModules } from '../faults/index.js';
import { coveredSuites, runKillMatrix, type FaultResult, type KillMatrix } from '../tools/kill-matrix.js';
import { ALLOW_UNKILLED } from '../../scripts/selftest-faults.js';

const modules = await loadFaultModules();
const all = modules.flatMap((m) => m.faults);
const faults = all.filter((f) => !f.benign);
const benign = all.filter((f) => f.benign);
const suites = coveredSuites(modules.map((m) => m.name));

const MATRIX_TIMEOUT_MS = 80_000;
let matrix: KillMatrix;

beforeAll(async () => {
  matrix = await runKillMatrix({ faults: all, suites, concurrency: 6 });
}, MATRIX_TIMEOUT_MS);

const resultOf = (name: string): FaultResult => {
  const r = matrix.faults.find((f) => f.name === name);
  if (!r) throw new Error(`fault ${name} has no result`);
  return r;
};

/** Why a listed kill did not happen: the check's outcomes in the baseline and under the fault, per cell. */
function explain(r: FaultResult): string {
  const lines = r.notKilled
    .filter((n) => r.missingKills.some((k) => idMatcher(k)(n.checkId)))
    .map(
      (n) =>
        `  ${n.checkId} ${n.version}/${n.binding ?? 'card'}: baseline ${n.baseline ?? 'absent'}, fault ` +
        `${n.fault}: ${n.message}`,
    );
  return lines.length ? `\n${lines.join('\n')}` : ' (the check did not run under this narrowing)';
}

describe('kill matrix: every fault is caught by the checks it targets', () => {
  it('loads faults from every test/faults module', () => {
    expect(faults.length).toBeGreaterThan(0);
    expect(new Set(all.map((f) => f.name)).size).toBe(all.length);
  });

  it.each(faults.map((f) => [f.name, f.kills.join(', ')] as const))(
    '%s kills %s',
    (name) => {
      const r = resultOf(name);
      expect(r.error, `${name} could not run`).toBeUndefined();
      expect(
        r.killed.map((k) => k.checkId),
        `${name} survives: no check failed or warned where the baseline passed`,
      ).not.toEqual([]);
      expect(r.missingKills, `${name} did not kill what it lists:${explain(r)}`).toEqual([]);
    },
    1_000,
  );

  it.each(benign.map((f) => [f.name] as const))(
    'benign variant %s fails no check',
    (name) => {
      const r = resultOf(name);
      expect(r.error, `${name} could not run`).toBeUndefined();
      const ff = (r.falseFailures ?? []).map(
        (x) => `${x.checkId} ${x.version}/${x.binding ?? 'card'} (baseline ${x.baseline}): ${x.message}`,
      );
      expect(ff, `${name}: a conformant variant fails these checks`).toEqual([]);
      expect(r.notKilled.length, `${name} ran no check`).toBeGreaterThan(0);
    },
    1_000,
  );

  it('every check of the covered suites is killed by at least one fault', () => {
    const unkilled = matrix.unkilled.filter((id) => !(id in ALLOW_UNKILLED));
    expect(unkilled, `suites ${suites.join(', ')}: checks no fault kills`).toEqual([]);
    expect(matrix.checks.length).toBeGreaterThan(0);
  }, 1_000);
});
