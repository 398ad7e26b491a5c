/**
 * An agent with no triggers configured: every universal check still runs, and every check that needs cooperation
 * is untestable, naming the trigger that would unlock it (never a pass).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../suites/index.js';
import type { ResultsFile } from '../../src/results/types.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('a target without triggers', () => {
  it('runs universal checks and reports trigger-bound checks as untestable with the unlocking trigger', () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-notrig-'));
    writeFileSync(
      join(dir, 'targets.yaml'),
      `targets:
  - name: plain
    url: http://127.0.0.1:\${PORT}
    start: { command: "node ${join(ROOT, 'dist/reference-agents/v1/server.js')}" }
    concurrency: 32
`,
    );
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/a2a-conformance.js'),
        '--config',
        join(dir, 'targets.yaml'),
        '--out',
        join(dir, 'out'),
        '--suite',
        'send,stream,tasks',
      ],
      { encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
    expect([0, 1]).toContain(r.status);
    const results = JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8')) as ResultsFile;
    const byId = new Map(ALL_CHECKS.map((c) => [c.id, c]));
    const universal = results.results.filter((x) => !byId.get(x.checkId)?.requires?.triggers?.length);
    const bound = results.results.filter((x) => byId.get(x.checkId)?.requires?.triggers?.length);
    expect(universal.length).toBeGreaterThan(10);
    expect(universal.filter((x) => x.outcome === 'pass').length).toBeGreaterThan(10);
    expect(bound.length).toBeGreaterThan(10);
    for (const x of bound) {
      expect(x.outcome, x.checkId).toBe('untestable');
      expect(x.unlockedBy, x.checkId).toBe(byId.get(x.checkId)!.requires!.triggers![0]);
      expect(x.message).toMatch(/trigger configured/);
    }
    expect(Object.keys(results.summary.untestableByTrigger).sort()).toEqual(
      expect.arrayContaining(['input-required', 'slow', 'task']),
    );
    expect(readFileSync(join(dir, 'out/summary.md'), 'utf8')).toMatch(/slow/);
  }, 30_000);
});
