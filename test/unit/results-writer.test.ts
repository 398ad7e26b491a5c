import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange, Transcript } from '../../src/http/types.js';
import { summarize } from '../../src/results/summarize.js';
import type { CheckResult, ResultsFile } from '../../src/results/types.js';
import { ResultsWriter } from '../../src/results/writer.js';

const SECRET = 'sk-writer-test-secret';
const redact = (s: string) => s.split(SECRET).join('[REDACTED]');

function emptyFile(): ResultsFile {
  return {
    schemaVersion: 1,
    harness: { name: 'a2a-conformance', version: '0', node: process.version },
    run: { id: 'r', startedAt: new Date(0).toISOString(), partial: true, argv: [], options: { strict: false } },
    specVersions: [],
    targets: [],
    checks: {
      'x.one': {
        id: 'x.one',
        suite: 'x',
        title: 'One',
        level: 'MUST',
        requirement: 'r',
        specRefs: {},
        scenario: 'one',
      },
    },
    results: [],
    transcripts: {},
    summary: summarize([]),
  };
}

const exchange = (seq: number, done: boolean, body = 'ok'): Exchange => ({
  seq,
  label: `ex ${seq}`,
  request: { method: 'POST', url: 'http://127.0.0.1:1/a2a', headers: { 'content-type': 'application/json' } },
  response: { status: 200, headers: {}, body: { text: body, bytes: body.length, truncated: false } },
  startedAt: seq,
  ...(done ? { durationMs: 3 } : {}),
});

const result = (id: string, transcriptIds: string[], message = 'requirement holds'): CheckResult => ({
  checkId: id,
  target: 't',
  version: '1.0',
  binding: 'jsonrpc',
  outcome: 'pass',
  message,
  durationMs: 1,
  transcriptIds,
});

/** What results.json held before checkpoints were built from pieces: the whole document, stringified and redacted. */
function expectedText(w: ResultsWriter, file: ResultsFile, transcripts: Map<string, Transcript>): string {
  const used = [...new Set(file.results.flatMap((r) => r.transcriptIds))].sort();
  const t: Record<string, Transcript> = {};
  for (const id of used) if (transcripts.has(id)) t[id] = transcripts.get(id)!;
  return redact(JSON.stringify({ ...file, transcripts: t, summary: w.summary() }, null, 2));
}

const waitForCheckpoint = () => new Promise((r) => setTimeout(r, 400));

describe('ResultsWriter checkpoints', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('write the same document as a full serialization, redacted, with transcripts still in progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-test-'));
    dirs.push(dir);
    const file = emptyFile();
    const writer = new ResultsWriter(file, dir, redact, 50);
    const transcripts = new Map<string, Transcript>();
    const reg = (t: Transcript) => {
      transcripts.set(t.id, t);
      writer.registerTranscript(t);
    };
    const done: Transcript = { id: 't:b', exchanges: [exchange(1, true, `token ${SECRET}`)] };
    const open: Transcript = { id: 't:a', exchanges: [exchange(1, false)] };
    reg(done);
    reg(open);
    reg({ id: 't:unused', exchanges: [exchange(1, true)] });
    writer.addTarget({ name: 't', url: 'u', cardUrl: 'c', tags: [], status: 'tested', cards: [], matrix: [] });
    writer.add(result('x.one', ['t:b', 't:a'], `saw ${SECRET}`));
    await waitForCheckpoint();
    const first = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(first).toBe(expectedText(writer, file, transcripts));
    expect(first).not.toContain(SECRET);
    expect(first).not.toContain('t:unused');

    // The open transcript goes on (its exchange ends, another is added); a second result arrives.
    open.exchanges[0]!.durationMs = 9;
    open.exchanges.push(exchange(2, true, 'later'));
    writer.add(result('x.one', []));
    await waitForCheckpoint();
    const second = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(second).toBe(expectedText(writer, file, transcripts));
    expect(JSON.parse(second).transcripts['t:a'].exchanges).toHaveLength(2);

    // Completed pieces wait in the spool, not in memory; the final write removes it.
    expect(readdirSync(dir).sort()).toEqual(['.results.json.spool', 'results.json']);
    const final = writer.finish();
    expect(readdirSync(dir)).toEqual(['results.json']);
    const finalText = readFileSync(final.path, 'utf8');
    expect(JSON.parse(finalText)).toEqual(JSON.parse(second));
    // Written in pieces, the final file is byte for byte the whole document stringified at once.
    expect(finalText).toBe(`${JSON.stringify(final.file, null, 2)}\n`);
  });

  it('write the final file whole through the fallbacks when a piece cannot be serialized', () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-test-'));
    dirs.push(dir);
    const file = emptyFile();
    const writer = new ResultsWriter(file, dir, redact, 50);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const t: Transcript = { id: 't:deep', exchanges: [exchange(1, true)] };
    (t.exchanges[0]!.response!.body as { json?: unknown }).json = deep;
    writer.registerTranscript(t);
    writer.add(result('x.one', ['t:deep'], `message with ${SECRET}`));
    const final = writer.finish();
    const text = readFileSync(final.path, 'utf8');
    const parsed = JSON.parse(text);
    expect(parsed.results).toHaveLength(1);
    expect(text).not.toContain(SECRET);
  });
});
