import { idMatcher } from '../../src/checks/registry.js';
/**
 * Expected failures (targets.yaml `expectedFailures`): src/results/baseline.ts applies them per result,
 * src/results/summarize.ts counts them and derives the exit code. Strict both ways: a listed check that fails is
 * expected, one that passes is stale (exit 1), an entry matching no check id is stale (exit 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Binding, Outcome, ProtocolVersion } from '../../src/core/types.js';
import type { ExpectedFailure, ResolvedTarget } from '../../src/config/types.js';
import { applyBaseline, matchEntry, unmatchedEntries } from '../../src/results/baseline.js';
import { EXIT, exitCodeOf, summarize } from '../../src/results/summarize.js';
import type { CheckResult, ResultsFile, TargetResult } from '../../src/results/types.js';
import { ResultsWriter } from '../../src/results/writer.js';

const KNOWN_IDS = [
  'card.caching.headers',
  'card.schema.valid',
  'stream.final-flag',
  'stream.subscribe.verbs',
  'stream.subscribe.unknown-task',
  'stream.task.starts-with-task',
  'tasks.cancel.repeat',
  'tasks.get.unknown',
  'send.history-length.limit',
];

function target(expectedFailures: ExpectedFailure[], name = 'sut'): ResolvedTarget {
  return {
    name,
    url: 'http://127.0.0.1:1',
    cardUrl: 'http://127.0.0.1:1/.well-known/agent-card.json',
    headers: {},
    secrets: [],
    timeoutMs: 1000,
    checkTimeoutMs: 1000,
    streamIdleTimeoutMs: 1000,
    concurrency: 1,
    tags: [],
    triggers: {},
    specProfile: '1.0.1',
    expectedFailures,
    maxBodyBytes: 1 << 20,
    source: { file: 'targets.yaml', line: 1, col: 1 },
  };
}

function result(
  checkId: string,
  outcome: Outcome,
  version: ProtocolVersion = '1.0',
  binding: Binding | null = 'jsonrpc',
  targetName = 'sut',
): CheckResult {
  return { checkId, target: targetName, version, binding, outcome, message: outcome, durationMs: 1, transcriptIds: [] };
}

const entry = (check: string, extra: Partial<ExpectedFailure> = {}): ExpectedFailure => ({
  check,
  reason: `SDK bug (${check})`,
  ...extra,
});

/** Apply the baseline to results for one target, then summarize and compute the exit code like the runner does. */
function run(
  entries: ExpectedFailure[],
  results: CheckResult[],
  opts: { strict?: boolean; status?: TargetResult['status'] } = {},
) {
  const t = target(entries);
  const applied = results.map((r) => applyBaseline(r, t));
  const stale = unmatchedEntries(t, KNOWN_IDS).length;
  const summary = summarize(applied, stale);
  const file: Pick<ResultsFile, 'targets' | 'results' | 'summary'> = {
    targets: [
      {
        name: t.name,
        url: t.url,
        cardUrl: t.cardUrl,
        tags: [],
        status: opts.status ?? 'tested',
        cards: [],
        matrix: [],
      },
    ],
    results: applied,
    summary,
  };
  return { applied, summary, exit: exitCodeOf(file, opts.strict ?? false) };
}

describe('applyBaseline', () => {
  it('expected: a listed check that fails is expected and does not fail the run', () => {
    const { applied, summary, exit } = run(
      [entry('tasks.cancel.repeat')],
      [result('tasks.cancel.repeat', 'fail'), result('tasks.get.unknown', 'pass')],
    );
    expect(applied[0]).toMatchObject({ baseline: 'expected', baselineReason: 'SDK bug (tasks.cancel.repeat)' });
    expect(applied[1]!.baseline).toBeUndefined();
    expect(summary).toMatchObject({ expectedFailures: 1, staleExpectations: 0, unexpectedFailures: 0 });
    expect(summary.byOutcome.fail).toBe(1);
    expect(exit).toBe(EXIT.ok);
  });

  it('unexpected: a failure nobody listed is marked unexpected and fails the run', () => {
    const { applied, summary, exit } = run([entry('tasks.cancel.repeat')], [result('tasks.get.unknown', 'fail')]);
    expect(applied[0]!.baseline).toBe('unexpected');
    expect(summary).toMatchObject({ expectedFailures: 0, unexpectedFailures: 1 });
    expect(exit).toBe(EXIT.failures);
  });

  it('stale: a listed check that now passes is stale, says so, and fails the run', () => {
    const { applied, summary, exit } = run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'pass')]);
    expect(applied[0]!.baseline).toBe('stale');
    expect(applied[0]!.baselineReason).toMatch(
      /SDK bug \(tasks\.cancel\.repeat\).*no longer fails \(pass\): remove the entry/,
    );
    expect(summary).toMatchObject({ staleExpectations: 1, unexpectedFailures: 0, expectedFailures: 0 });
    expect(exit).toBe(EXIT.failures);
  });

  it('stale: an info result of a listed check is stale as well (info never fails a run)', () => {
    expect(run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'info')]).applied[0]!.baseline).toBe(
      'stale',
    );
  });

  it('a warn outcome of a listed check is expected (the listed deviation)', () => {
    const { applied, exit } = run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'warn')]);
    expect(applied.map((r) => r.baseline)).toEqual(['expected']);
    expect(exit).toBe(EXIT.ok);
    expect(run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'warn')], { strict: true }).exit).toBe(
      EXIT.ok,
    );
  });

  it('an error on a listed check is never expected: a broken run cannot hide behind a baseline', () => {
    const { applied, exit } = run([entry('tasks.get.unknown')], [result('tasks.get.unknown', 'error')]);
    expect(applied[0]!.baseline).toBeUndefined();
    expect(exit).toBe(EXIT.failures);
  });

  it('globs: * stays in one segment, ** crosses segments, ? is one character, a plain id selects its subtree', () => {
    const ids = ['stream.subscribe.verbs', 'stream.final-flag', 'tasks.get.unknown'];
    const match = (p: string) => ids.filter(idMatcher(p));
    expect(match('stream.*')).toEqual(['stream.final-flag']);
    expect(match('stream.**')).toEqual(['stream.subscribe.verbs', 'stream.final-flag']);
    expect(match('stream')).toEqual(['stream.subscribe.verbs', 'stream.final-flag']);
    expect(match('tasks.g?t.unknown')).toEqual(['tasks.get.unknown']);
    expect(match('*.*.unknown')).toEqual(['tasks.get.unknown']);
  });

  it('skip and untestable results are neither expected nor stale, and are not counted', () => {
    const entries = [entry('tasks.cancel.repeat'), entry('stream.final-flag')];
    const { applied, summary, exit } = run(entries, [
      result('tasks.cancel.repeat', 'skip'),
      result('stream.final-flag', 'untestable'),
      result('tasks.get.unknown', 'skip'),
    ]);
    expect(applied.map((r) => r.baseline)).toEqual([undefined, undefined, undefined]);
    expect(summary).toMatchObject({ expectedFailures: 0, staleExpectations: 0, unexpectedFailures: 0 });
    expect(exit).toBe(EXIT.ok);
  });

  it('applyBaseline does not mutate its input', () => {
    const r = result('tasks.cancel.repeat', 'fail');
    const out = applyBaseline(r, target([entry('tasks.cancel.repeat')]));
    expect(out).not.toBe(r);
    expect(r.baseline).toBeUndefined();
  });
});

describe('scoped entries', () => {
  it('versions: an entry for 1.0 leaves the 0.3 result of the same check alone', () => {
    const e = [entry('tasks.cancel.repeat', { versions: ['1.0'] })];
    const { applied, summary, exit } = run(e, [
      result('tasks.cancel.repeat', 'fail', '1.0'),
      result('tasks.cancel.repeat', 'fail', '0.3'),
    ]);
    expect(applied.map((r) => r.baseline)).toEqual(['expected', 'unexpected']);
    expect(summary).toMatchObject({ expectedFailures: 1, unexpectedFailures: 1 });
    expect(exit).toBe(EXIT.failures);
    // A pass in the other version is not stale: the entry does not apply there.
    expect(
      run(e, [result('tasks.cancel.repeat', 'fail', '1.0'), result('tasks.cancel.repeat', 'pass', '0.3')]).exit,
    ).toBe(EXIT.ok);
  });

  it('an unscoped entry goes stale when the check passes in one version and fails in the other (scope it)', () => {
    const { applied, exit } = run(
      [entry('tasks.cancel.repeat')],
      [result('tasks.cancel.repeat', 'fail', '1.0'), result('tasks.cancel.repeat', 'pass', '0.3')],
    );
    expect(applied.map((r) => r.baseline)).toEqual(['expected', 'stale']);
    expect(exit).toBe(EXIT.failures);
  });

  it('bindings: an entry for rest matches rest results only, never binding-less (card) results', () => {
    const e = [
      entry('stream.subscribe.verbs', { bindings: ['rest'] }),
      entry('card.schema.valid', { bindings: ['jsonrpc'] }),
    ];
    const { applied } = run(e, [
      result('stream.subscribe.verbs', 'fail', '1.0', 'rest'),
      result('stream.subscribe.verbs', 'fail', '1.0', 'jsonrpc'),
      result('card.schema.valid', 'fail', '1.0', null),
    ]);
    expect(applied.map((r) => r.baseline)).toEqual(['expected', 'unexpected', 'unexpected']);
  });

  it('versions and bindings together must both match', () => {
    const e = [entry('send.history-length.limit', { versions: ['0.3'], bindings: ['jsonrpc'] })];
    const t = target(e);
    expect(
      matchEntry(t.expectedFailures, { checkId: 'send.history-length.limit', version: '0.3', binding: 'jsonrpc' }),
    ).toBe(e[0]);
    expect(
      matchEntry(t.expectedFailures, { checkId: 'send.history-length.limit', version: '0.3', binding: 'rest' }),
    ).toBeUndefined();
    expect(
      matchEntry(t.expectedFailures, { checkId: 'send.history-length.limit', version: '1.0', binding: 'jsonrpc' }),
    ).toBeUndefined();
  });

  it('the first matching entry gives the reason', () => {
    const e = [
      entry('stream.subscribe.unknown-task', { versions: ['0.3'], reason: 'narrow' }),
      entry('stream.**', { reason: 'broad' }),
    ];
    const { applied } = run(e, [
      result('stream.subscribe.unknown-task', 'fail', '0.3', 'rest'),
      result('stream.subscribe.unknown-task', 'fail', '1.0', 'rest'),
    ]);
    expect(applied.map((r) => r.baselineReason)).toEqual(['narrow', 'broad']);
  });
});

describe('glob entries', () => {
  const match = (pattern: string, id: string) =>
    matchEntry([entry(pattern)], { checkId: id, version: '1.0', binding: 'jsonrpc' }) !== undefined;

  it('a plain id matches itself and its subtree, not a sibling sharing a prefix', () => {
    expect(match('stream.subscribe', 'stream.subscribe.verbs')).toBe(true);
    expect(match('stream.subscribe.verbs', 'stream.subscribe.verbs')).toBe(true);
    expect(match('stream.sub', 'stream.subscribe.verbs')).toBe(false);
    expect(match('stream', 'stream.final-flag')).toBe(true);
  });

  it('`*` stays within one segment; `**` crosses segments', () => {
    expect(match('stream.*', 'stream.final-flag')).toBe(true);
    expect(match('stream.*', 'stream.subscribe.verbs')).toBe(false);
    expect(match('stream.**', 'stream.subscribe.verbs')).toBe(true);
    expect(match('stream.subscribe.*', 'stream.subscribe.verbs')).toBe(true);
    expect(match('*.subscribe.*', 'stream.subscribe.verbs')).toBe(true);
    expect(match('**.verbs', 'stream.subscribe.verbs')).toBe(true);
    expect(match('tasks.*.repeat', 'tasks.cancel.repeat')).toBe(true);
    expect(match('tasks.*.repeat', 'tasks.get.unknown')).toBe(false);
  });

  it('dots in a glob are literal', () => {
    expect(match('stream.*', 'streamXfinal-flag')).toBe(false);
  });

  it('a glob entry applies to every check it matches, each judged on its own', () => {
    const { applied, exit } = run(
      [entry('stream.**')],
      [
        result('stream.final-flag', 'fail'),
        result('stream.subscribe.verbs', 'fail'),
        result('stream.task.starts-with-task', 'pass'),
      ],
    );
    expect(applied.map((r) => r.baseline)).toEqual(['expected', 'expected', 'stale']);
    expect(exit).toBe(EXIT.failures);
  });
});

describe('unmatched entries', () => {
  it('an entry matching no check id of the catalogue is reported and counted stale', () => {
    const e = [
      entry('tasks.cancel.repeat'),
      entry('tasks.cancel.reapet'),
      entry('nosuchsuite.**'),
      entry('stream.*.nothing'),
    ];
    const t = target(e);
    expect(unmatchedEntries(t, KNOWN_IDS).map((u) => u.check)).toEqual([
      'tasks.cancel.reapet',
      'nosuchsuite.**',
      'stream.*.nothing',
    ]);
    const { summary, exit } = run(e, [result('tasks.cancel.repeat', 'fail')]);
    expect(summary).toMatchObject({ expectedFailures: 1, staleExpectations: 3, unexpectedFailures: 0 });
    expect(exit).toBe(EXIT.failures);
  });

  it('is judged against the whole catalogue, not the checks that ran (filters do not make entries stale)', () => {
    const { summary, exit } = run([entry('card.caching.headers')], [result('tasks.get.unknown', 'pass')]);
    expect(summary.staleExpectations).toBe(0);
    expect(exit).toBe(EXIT.ok);
  });

  it('reaches results.json and the exit code through the ResultsWriter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-test-'));
    try {
      const t = target([entry('tasks.cancel.reapet')]);
      const file = {
        schemaVersion: 1,
        harness: { name: 'a2a-conformance', version: '0', node: process.version },
        run: { id: 'r', startedAt: new Date(0).toISOString(), partial: false, argv: [], options: { strict: false } },
        specVersions: [],
        targets: [],
        checks: {},
        results: [],
        transcripts: {},
        summary: summarize([]),
      } as ResultsFile;
      const writer = new ResultsWriter(file, dir, (s) => s);
      writer.addTarget({
        name: t.name,
        url: t.url,
        cardUrl: t.cardUrl,
        tags: [],
        status: 'tested',
        cards: [],
        matrix: [],
      });
      writer.add(applyBaseline(result('tasks.get.unknown', 'pass'), t));
      writer.addStaleEntries(unmatchedEntries(t, KNOWN_IDS).length);
      const written = writer.finish().file;
      expect(written.summary.staleExpectations).toBe(1);
      expect(exitCodeOf(written, false)).toBe(EXIT.failures);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exitCodeOf', () => {
  it('a SHOULD warning fails the run only with --strict, unless it is an expected failure', () => {
    const warn = [result('card.caching.headers', 'warn')];
    expect(run([], warn).exit).toBe(EXIT.ok);
    expect(run([], warn, { strict: true }).exit).toBe(EXIT.failures);
    expect(run([entry('card.caching.headers')], warn, { strict: true }).exit).toBe(EXIT.ok);
  });

  it('an unlisted error fails the run; info and skip never do', () => {
    expect(run([], [result('tasks.get.unknown', 'error')]).exit).toBe(EXIT.failures);
    expect(
      run(
        [],
        [
          result('tasks.get.unknown', 'info'),
          result('stream.final-flag', 'skip'),
          result('stream.final-flag', 'untestable'),
        ],
        { strict: true },
      ).exit,
    ).toBe(EXIT.ok);
  });

  it('--strict does not turn expected failures or passes into failures', () => {
    expect(
      run(
        [entry('tasks.cancel.repeat')],
        [result('tasks.cancel.repeat', 'fail'), result('tasks.get.unknown', 'pass')],
        { strict: true },
      ).exit,
    ).toBe(EXIT.ok);
  });

  it('stale entries fail the run with or without --strict', () => {
    expect(run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'pass')], { strict: false }).exit).toBe(
      EXIT.failures,
    );
    expect(run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'pass')], { strict: true }).exit).toBe(
      EXIT.failures,
    );
  });

  it('a target that could not be tested wins over everything (exit 3)', () => {
    expect(
      run([entry('tasks.cancel.repeat')], [result('tasks.cancel.repeat', 'pass')], { status: 'unreachable' }).exit,
    ).toBe(EXIT.untested);
    expect(run([], [], { status: 'start-failed' }).exit).toBe(EXIT.untested);
  });

  it('counts per outcome and per target are independent of the baseline', () => {
    const { summary } = run(
      [entry('tasks.cancel.repeat')],
      [result('tasks.cancel.repeat', 'fail'), result('tasks.get.unknown', 'fail'), result('stream.final-flag', 'pass')],
    );
    expect(summary.total).toBe(3);
    expect(summary.byOutcome).toMatchObject({ fail: 2, pass: 1 });
    expect(summary.byTarget.sut).toMatchObject({ fail: 2, pass: 1 });
  });
});
