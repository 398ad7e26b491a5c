/** `merge`: combine several results.json files (shards, vendors) into one set of reports. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeReports } from '../reporters/index.js';
import { validateResultsDocument } from '../schemas/validate.js';
import { compareGateways } from '../results/compare.js';
import { EXIT, exitCodeOf, summarize } from '../results/summarize.js';
import type { Gate, ResultsFile } from '../results/types.js';
import type { CliIO } from './main.js';

export function mergeResults(files: ResultsFile[]): ResultsFile {
  const [first] = files;
  if (!first) throw new Error('nothing to merge');
  const merged: ResultsFile = {
    ...first,
    run: {
      ...first.run,
      id: `merge-${first.run.id}`,
      partial: files.some((f) => f.run.partial),
      argv: ['merge'],
      options: { ...first.run.options, shard: undefined },
    },
    targets: [],
    checks: {},
    results: [],
    transcripts: {},
  };
  const taken = new Set<string>();
  files.forEach((f, i) => {
    const rename = new Map<string, string>();
    for (const t of f.targets) {
      let name = t.name;
      for (let n = 2; taken.has(name); n++) name = `${t.name}#${n}`;
      taken.add(name);
      rename.set(t.name, name);
      merged.targets.push({ ...t, name });
    }
    Object.assign(merged.checks, f.checks);
    for (const [id, tr] of Object.entries(f.transcripts))
      merged.transcripts[`${i}/${id}`] = { ...tr, id: `${i}/${id}` };
    for (const r of f.results)
      merged.results.push({
        ...r,
        target: rename.get(r.target) ?? r.target,
        transcriptIds: r.transcriptIds.map((id) => `${i}/${id}`),
      });
  });
  merged.run.startedAt = files.map((f) => f.run.startedAt).sort()[0]!;
  // The header shows these: the latest finish, and the time spent testing (runs may be days apart, so not the span).
  const finished = files.map((f) => f.run.finishedAt);
  if (finished.every((t): t is string => typeof t === 'string')) merged.run.finishedAt = finished.sort().at(-1)!;
  else delete merged.run.finishedAt;
  const durations = files.map((f) => f.run.durationMs);
  if (durations.every((d): d is number => typeof d === 'number'))
    merged.run.durationMs = durations.reduce((a, b) => a + b, 0);
  else delete merged.run.durationMs;
  if (files.some((f) => f.run.interrupted)) merged.run.interrupted = true;
  merged.specVersions = files
    .flatMap((f) => f.specVersions)
    .filter((s, i, all) => all.findIndex((x) => x.version === s.version) === i);
  // Upstream links follow renames within a file (a gateway and its upstream always run in the same shard).
  const renamedUpstreams = new Map<string, string>();
  let offset = 0;
  for (const f of files) {
    const slice = merged.targets.slice(offset, offset + f.targets.length);
    const names = new Map(f.targets.map((t, k) => [t.name, slice[k]!.name]));
    for (const t of slice) if (t.upstream) renamedUpstreams.set(t.name, names.get(t.upstream) ?? t.upstream);
    offset += f.targets.length;
  }
  for (const t of merged.targets) if (t.upstream) t.upstream = renamedUpstreams.get(t.name) ?? t.upstream;
  const comparisons = compareGateways(merged);
  if (comparisons) merged.comparisons = comparisons;
  else delete merged.comparisons;
  merged.summary = summarize(
    merged.results,
    files.reduce(
      (n, f) => n + Math.max(0, f.summary.staleExpectations - f.results.filter((r) => r.baseline === 'stale').length),
      0,
    ),
  );
  return merged;
}

function parseMergeArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, strict: { type: 'boolean' }, gate: { type: 'string' } },
  });
}

export async function runMerge(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parseMergeArgs>;
  try {
    parsed = parseMergeArgs(argv);
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (!values.out || positionals.length === 0) {
    io.stderr.write('usage: a2a-conformance merge <results.json>... --out DIR\n');
    return EXIT.usage;
  }
  const files: ResultsFile[] = [];
  for (const p of positionals) {
    const path = resolve(io.cwd, p);
    try {
      const doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      const errors = validateResultsDocument(doc);
      if (errors.length)
        throw new Error(
          `not a results.json: ${errors
            .slice(0, 3)
            .map((e) => `${e.path} ${e.message}`)
            .join('; ')}`,
        );
      files.push(doc as ResultsFile);
    } catch (e) {
      io.stderr.write(`error: ${path}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const merged = mergeResults(files);
  // The gate the runs were made with, unless given again here.
  const gate = (values.gate ?? merged.run.options.gate ?? 'all') as Gate;
  if (gate !== 'all' && gate !== 'introduced') {
    io.stderr.write(`error: --gate must be all or introduced (got "${values.gate}")\n`);
    return EXIT.usage;
  }
  const strict = Boolean(values.strict ?? merged.run.options.strict);
  merged.run.options = { ...merged.run.options, gate: gate === 'all' ? undefined : gate, strict };
  merged.exitCode = exitCodeOf(merged, strict, gate);
  const outDir = resolve(io.cwd, values.out);
  await writeReports(merged, outDir, { strict });
  io.stdout.write(
    `merged ${files.length} runs (${merged.targets.length} targets, ${merged.results.length} results) into ${outDir}\n`,
  );
  return merged.exitCode;
}
