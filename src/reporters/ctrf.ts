/**
 * ctrf.json: the Common Test Report Format (https://ctrf.io, spec 1.0.0) many CI dashboards ingest, derived from
 * results.json alone, like junit.xml. One CTRF test per result (check × target × version × binding):
 *   pass, info, warn (unless strict) → passed · fail, error, strict warn, stale baseline → failed ·
 *   skip → skipped · untestable, expected failure → other.
 * The harness's own outcome is kept in `rawStatus`; target, version, binding, level and the gateway comparison in
 * `labels`. Messages come from results.json, which is redacted already.
 */
import type { ResultsFile } from '../results/types.js';
import { bindingLabel, computeVerdict, metaFor } from './common.js';

export const CTRF_SPEC_VERSION = '1.0.0';

type CtrfStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'other';

export interface CtrfTest {
  name: string;
  status: CtrfStatus;
  duration: number;
  rawStatus: string;
  message?: string;
  suite: string[];
  tags: string[];
  labels: Record<string, string>;
}

export interface CtrfReport {
  reportFormat: 'CTRF';
  specVersion: string;
  reportId?: string;
  timestamp?: string;
  generatedBy: string;
  results: {
    tool: { name: string; version: string };
    summary: {
      tests: number;
      passed: number;
      failed: number;
      skipped: number;
      pending: number;
      other: number;
      suites: number;
      start: number;
      stop: number;
      duration?: number;
    };
    tests: CtrfTest[];
    extra: Record<string, unknown>;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ms = (n: number | undefined) => (Number.isFinite(n) ? Math.max(0, Math.round(n as number)) : 0);

export function buildCtrf(results: ResultsFile, opts: { strict?: boolean } = {}): CtrfReport {
  const strict = opts.strict ?? results.run.options.strict ?? false;
  const comparison = new Map<string, string>();
  for (const c of results.comparisons ?? [])
    for (const e of c.entries) comparison.set(`${c.gateway}|${e.checkId}|${e.version}|${e.binding ?? '-'}`, e.kind);

  const tests: CtrfTest[] = results.results.map((r) => {
    const meta = metaFor(results, r.checkId);
    const status: CtrfStatus =
      r.baseline === 'stale'
        ? 'failed'
        : r.baseline === 'expected'
          ? 'other'
          : r.outcome === 'fail' || r.outcome === 'error' || (strict && r.outcome === 'warn')
            ? 'failed'
            : r.outcome === 'skip'
              ? 'skipped'
              : r.outcome === 'untestable'
                ? 'other'
                : 'passed';
    const kind = comparison.get(`${r.target}|${r.checkId}|${r.version}|${r.binding ?? '-'}`);
    const labels: Record<string, string> = {
      target: r.target,
      checkId: r.checkId,
      version: r.version,
      binding: bindingLabel(r.binding),
      level: meta.level,
      outcome: r.outcome,
    };
    if (r.baseline) labels.baseline = r.baseline;
    if (kind) labels.gatewayComparison = kind;
    const title = meta.title ? ` — ${meta.title}` : '';
    return {
      name: `${r.target} · ${r.version} · ${bindingLabel(r.binding)} · ${r.checkId}${title}`,
      status,
      duration: ms(r.durationMs),
      rawStatus: r.baseline ? `${r.outcome} (baseline: ${r.baseline})` : r.outcome,
      ...(r.outcome !== 'pass' && r.message
        ? { message: kind ? `[${kind} by the gateway] ${r.message}` : r.message }
        : {}),
      suite: [r.target, meta.suite, `${r.version} · ${bindingLabel(r.binding)}`],
      tags: [meta.suite, meta.level],
      labels,
    };
  });

  const count = (s: CtrfStatus) => tests.filter((t) => t.status === s).length;
  const start = Date.parse(results.run.startedAt);
  const stop = results.run.finishedAt ? Date.parse(results.run.finishedAt) : start + ms(results.run.durationMs);
  const verdict = computeVerdict(results, strict);
  return {
    reportFormat: 'CTRF',
    specVersion: CTRF_SPEC_VERSION,
    ...(UUID.test(results.run.id) ? { reportId: results.run.id } : {}),
    ...(results.run.finishedAt ? { timestamp: results.run.finishedAt } : {}),
    generatedBy: `${results.harness.name} ${results.harness.version}`,
    results: {
      tool: { name: results.harness.name, version: results.harness.version },
      summary: {
        tests: tests.length,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
        pending: 0,
        other: count('other'),
        suites: new Set(tests.map((t) => t.suite.join('\u0000'))).size,
        start: ms(start),
        stop: ms(stop),
        ...(results.run.durationMs !== undefined ? { duration: ms(results.run.durationMs) } : {}),
      },
      tests,
      extra: {
        verdict: verdict.status,
        label: verdict.label,
        ...(results.exitCode !== undefined ? { exitCode: results.exitCode } : {}),
        ...(results.comparisons ? { gatewayComparisons: results.comparisons.map(({ entries: _, ...c }) => c) } : {}),
      },
    },
  };
}

export const renderCtrf = (results: ResultsFile, opts: { strict?: boolean } = {}): string =>
  `${JSON.stringify(buildCtrf(results, opts), null, 2)}\n`;
