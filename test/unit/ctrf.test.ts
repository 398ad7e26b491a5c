/** ctrf.json: one CTRF test per result, statuses mapped from the harness outcomes, counts that add up. */
import { describe, expect, it } from 'vitest';
import { buildCtrf, renderCtrf } from '../../src/reporters/ctrf.js';
import { buildSampleResults } from '../fixtures/results/sample.js';

describe('CTRF report', () => {
  const results = buildSampleResults();
  const report = buildCtrf(results);

  it('has the CTRF envelope and a summary that matches its tests', () => {
    expect(report.reportFormat).toBe('CTRF');
    expect(report.specVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(report.results.tool.name).toBe(results.harness.name);
    const s = report.results.summary;
    expect(s.tests).toBe(results.results.length);
    expect(s.passed + s.failed + s.skipped + s.pending + s.other).toBe(s.tests);
    expect(s.stop).toBeGreaterThanOrEqual(s.start);
    for (const t of report.results.tests) {
      expect(t.name.length).toBeGreaterThan(0);
      expect(['passed', 'failed', 'skipped', 'pending', 'other']).toContain(t.status);
      expect(Number.isInteger(t.duration) && t.duration >= 0).toBe(true);
    }
    expect(JSON.parse(renderCtrf(results))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('maps outcomes: fail/error → failed, skip → skipped, untestable and expected failures → other', () => {
    results.results.forEach((r, i) => {
      const t = report.results.tests[i]!;
      expect(t.labels).toMatchObject({ target: r.target, checkId: r.checkId, version: r.version, outcome: r.outcome });
      const expected =
        r.baseline === 'stale'
          ? 'failed'
          : r.baseline === 'expected'
            ? 'other'
            : ({ fail: 'failed', error: 'failed', skip: 'skipped', untestable: 'other' }[r.outcome as string] ??
              'passed');
      expect(t.status, `${r.checkId} ${r.outcome} ${r.baseline ?? ''}`).toBe(expected);
    });
    const kinds = new Set(report.results.tests.map((t) => t.status));
    expect(kinds.has('failed') && kinds.has('passed')).toBe(true);
  });

  it('fails warnings only in strict mode', () => {
    const warns = results.results.map((r, i) => [r, i] as const).filter(([r]) => r.outcome === 'warn' && !r.baseline);
    expect(warns.length).toBeGreaterThan(0);
    const strict = buildCtrf(results, { strict: true });
    for (const [, i] of warns) {
      expect(report.results.tests[i]!.status).toBe('passed');
      expect(strict.results.tests[i]!.status).toBe('failed');
    }
  });
});
