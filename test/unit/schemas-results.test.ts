/**
 * schemas/results.schema.json must stay in sync with src/results/types.ts (and src/http/types.ts).
 * The sample below is typed as ResultsFile and sets every optional field, so a field added to the types but not to
 * the schema (or vice versa) fails here. Run `node scripts/build-schemas.mjs` first.
 */
import { describe, expect, it } from 'vitest';
import { validateResultsDocument } from '../../src/schemas/impl.js';
import { RESULTS_SCHEMA_VERSION } from '../../src/results/types.js';
import type { ResultsFile } from '../../src/results/types.js';
import { buildLargeResults, buildSampleResults } from '../fixtures/results/sample.js';

const counts = { pass: 1, fail: 1, warn: 0, info: 0, skip: 0, untestable: 1, error: 0 };

function sample(): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    harness: { name: 'a2a-conformance', version: '0.1.0', node: 'v20.20.2' },
    run: {
      id: 'run-1',
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:01:00.000Z',
      durationMs: 60000,
      partial: false,
      interrupted: false,
      argv: ['run', '--strict'],
      options: {
        strict: true,
        suites: ['core'],
        grep: ['card'],
        protocols: ['0.3', '1.0'],
        bindings: ['jsonrpc', 'rest'],
      },
    },
    specVersions: [
      { version: '0.3', source: 'v0.3.0' },
      { version: '1.0', profile: '1.0.1', source: 'v1.0.1' },
    ],
    targets: [
      {
        name: 'python-ref',
        url: 'http://localhost:9999',
        cardUrl: 'http://localhost:9999/.well-known/agent-card.json',
        tags: ['ci'],
        status: 'tested',
        statusMessage: 'ok',
        cards: [
          { requestedVersion: 'default', status: 200, card: { name: 'x', anything: [1, { nested: true }] } },
          { requestedVersion: '1.0', error: 'timeout' },
        ],
        matrix: [
          { version: '1.0', binding: 'jsonrpc', url: 'http://localhost:9999/a2a', declared: true, tested: true },
          { version: '0.3', binding: null, declared: false, tested: false, reason: 'not declared' },
        ],
        processLog: { stdout: 'started', stderr: '', exitCode: null },
        durationMs: 1234.5,
      },
    ],
    checks: {
      'card.fetch': {
        id: 'card.fetch',
        suite: 'card',
        title: 'Agent card is published',
        level: 'MUST',
        requirement: 'A server MUST make a card available',
        specRefs: {
          '0.3': [{ section: '5.1', req: 'S03-03' }],
          '1.0': [{ section: '8.1', req: 'S10-01', url: 'https://x', note: 'n' }],
        },
        scenario: 'card.fetch',
      },
    },
    results: [
      {
        checkId: 'card.fetch',
        target: 'python-ref',
        version: '1.0',
        binding: null,
        outcome: 'fail',
        message: 'card missing',
        details: ['line 1'],
        expectations: [
          { expected: 200, actual: 404, path: '/status' },
          { expected: 'x', actual: undefined },
        ],
        baseline: 'unexpected',
        baselineReason: 'new',
        unlockedBy: 'triggers.slow',
        durationMs: 12,
        transcriptIds: ['tr-1'],
        metrics: { ttfbMs: 3.5 },
      },
    ],
    transcripts: {
      'tr-1': {
        id: 'tr-1',
        droppedExchanges: 0,
        exchanges: [
          {
            seq: 0,
            label: 'GET agent card',
            request: {
              method: 'GET',
              url: 'http://localhost:9999/.well-known/agent-card.json',
              headers: { accept: 'application/json' },
              body: { text: '', bytes: 0, truncated: false },
            },
            response: {
              status: 200,
              headers: { 'content-type': 'text/event-stream' },
              body: { text: '{}', bytes: 2, truncated: false },
              events: [
                {
                  t: 5,
                  data: '{"x":1}',
                  event: 'message',
                  schemaErrors: [
                    {
                      path: '/status/state',
                      message: 'must be one of …',
                      schema: '1.0#/$defs/TaskState',
                      actual: '"completed"',
                      expected: 'TASK_STATE_COMPLETED',
                    },
                  ],
                },
              ],
              streamEnd: 'closed',
              comments: 1,
            },
            error: 'reset',
            startedAt: 0,
            headersMs: 2,
            durationMs: 9,
            schemaErrors: [{ path: '', message: 'm', schema: '1.0#/$defs/Task' }],
          },
        ],
      },
    },
    summary: {
      total: 3,
      byOutcome: counts,
      byTarget: { 'python-ref': counts },
      untestableByTrigger: { slow: 1 },
      expectedFailures: 0,
      staleExpectations: 0,
      unexpectedFailures: 1,
    },
    exitCode: 1,
  };
}

/** What results.json really contains: the JSON round trip drops undefined values. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('results document', () => {
  it('a ResultsFile with every optional field validates', () => {
    expect(validateResultsDocument(asJson(sample()))).toEqual([]);
  });

  it('the reporters fixture validates', () => {
    expect(validateResultsDocument(asJson(buildSampleResults()))).toEqual([]);
    expect(validateResultsDocument(asJson(buildLargeResults(40)))).toEqual([]);
  });

  it('rejects unknown fields, wrong enums and missing fields with precise paths', () => {
    const doc = asJson(sample()) as Record<string, any>;
    doc.results[0].outcome = 'passed';
    doc.results[0].extra = true;
    delete doc.summary.byOutcome.error;
    doc.transcripts['tr-1'].exchanges[0].response.streamEnd = 'eof';
    doc.schemaVersion = 2;
    const errors = validateResultsDocument(doc);
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        '/results/0/extra',
        '/results/0/outcome',
        '/schemaVersion',
        '/summary/byOutcome/error',
        '/transcripts/tr-1/exchanges/0/response/streamEnd',
      ].sort(),
    );
    expect(byPath['/results/0/outcome'].schema).toBe('results#/$defs/Outcome');
    expect(byPath['/results/0/extra'].schema).toBe('results#/$defs/CheckResult');
    expect(byPath['/summary/byOutcome/error'].schema).toBe('results#/$defs/OutcomeCounts');
    expect(byPath['/schemaVersion'].schema).toBe('results#');
  });
});
