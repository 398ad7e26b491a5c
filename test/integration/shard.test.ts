/**
 * Shard + merge equals the unsharded run, through the real CLI on the default targets.yaml: the four shards of
 * `--shard i/4` (and an empty fifth of `--shard 5/5`) split the targets without overlap, and `merge` of their
 * results.json gives the same results, verdict, version grid and exit code as one run of everything. The card and
 * versions suites keep it fast; they depend on no timing, so both runs must agree exactly.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeVerdict } from '../../src/reporters/common.js';
import { versionGrids } from '../../src/reporters/common.js';
import type { ResultsFile } from '../../src/results/types.js';
import { validateResultsDocument } from '../../src/schemas/validate.js';
import { runCli } from '../helpers/run-cli.js';

const cli = runCli;
const SUITES = ['-s', 'card', '-s', 'versions'];

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
/** What must be equal: every result's identity and verdict, not its timing or transcript ids. */
const outcomes = (f: ResultsFile) =>
  f.results
    .map((r) => `${r.target} ${r.checkId} ${r.version}/${r.binding ?? 'card'} ${r.outcome} ${r.baseline ?? ''}`)
    .sort();
const grid = (f: ResultsFile) =>
  versionGrids(f)
    .map((g) => JSON.stringify(g))
    .sort();

describe('--shard i/n and merge', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'a2a-shard-'));
  let full: ResultsFile;
  let fullCode: number | null;
  const shards: { code: number | null; results: ResultsFile }[] = [];
  let merged: ResultsFile;
  let mergedCode: number | null;

  beforeAll(async () => {
    const f = await cli(['-o', join(tmp, 'full'), ...SUITES]);
    fullCode = f.code;
    full = read(join(tmp, 'full'));
    // Two shards at a time: the machine is shared.
    const specs = ['1/4', '2/4', '3/4', '4/4', '5/5'];
    for (let i = 0; i < specs.length; i += 2) {
      const batch = specs.slice(i, i + 2);
      const runs = await Promise.all(
        batch.map((s) => cli(['-o', join(tmp, `shard-${s.replace('/', 'of')}`), '--shard', s, ...SUITES])),
      );
      runs.forEach((r, k) =>
        shards.push({ code: r.code, results: read(join(tmp, `shard-${batch[k]!.replace('/', 'of')}`)) }),
      );
    }
    const m = await cli([
      'merge',
      ...['1of4', '2of4', '3of4', '4of4', '5of5'].map((s) => join(tmp, `shard-${s}`, 'results.json')),
      '--out',
      join(tmp, 'merged'),
    ]);
    mergedCode = m.code;
    merged = read(join(tmp, 'merged'));
  }, 150_000);

  it('splits the default targets without overlap, and says which shard ran which', () => {
    const quarterShards = shards.slice(0, 4);
    const names = quarterShards.flatMap((s) => s.results.targets.map((t) => t.name));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(full.targets.map((t) => t.name)));
    quarterShards.forEach((s, i) => {
      expect(s.results.run.options.shard).toMatchObject({ index: i + 1, count: 4 });
      expect(s.results.run.options.shard!.targets).toEqual(s.results.targets.map((t) => t.name));
    });
    // --shard 5/5 of four targets: an empty shard is a valid, passing run.
    const empty = shards[4]!;
    expect(empty.results.targets).toEqual([]);
    expect(empty.code).toBe(0);
    for (const s of shards) expect(validateResultsDocument(s.results)).toEqual([]);
  });

  it('merges into the same results, verdict, version grid and exit code as the unsharded run', () => {
    expect(full.results.length).toBeGreaterThan(0);
    expect(outcomes(merged)).toEqual(outcomes(full));
    expect(merged.summary.byOutcome).toEqual(full.summary.byOutcome);
    expect(merged.summary.staleExpectations).toBe(full.summary.staleExpectations);
    expect(computeVerdict(merged).label).toBe(computeVerdict(full).label);
    expect(grid(merged)).toEqual(grid(full));
    expect(mergedCode).toBe(fullCode);
    expect(merged.exitCode).toBe(full.exitCode);
    expect(merged.run.options.shard).toBeUndefined();
  });
});
