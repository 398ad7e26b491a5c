/**
 * The GitHub Action's run step (action.yml): inputs arrive as INPUT_* environment variables (never spliced into a
 * shell line), become CLI arguments, and the run's results become step outputs ($GITHUB_OUTPUT) and the job summary
 * ($GITHUB_STEP_SUMMARY, from summary.md). Exit code: the CLI's, or 0 for findings when `allow-failure` is true
 * (usage and configuration errors, exit 2, always fail the step).
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { OUTCOMES } from '../core/types.js';
import { computeVerdict } from '../reporters/common.js';
import { EXIT } from '../results/summarize.js';
import type { ResultsFile } from '../results/types.js';
import type { CliIO } from './main.js';

type Env = NodeJS.ProcessEnv;

/** `INPUT_OUT-DIR`-style names as GitHub forms them, and the `INPUT_OUT_DIR` form action.yml sets explicitly. */
export function input(env: Env, name: string): string {
  const upper = name.toUpperCase();
  return (env[`INPUT_${upper.replace(/-/g, '_')}`] ?? env[`INPUT_${upper}`] ?? '').trim();
}

const listOf = (s: string) => s.split(/[\s,]+/).filter(Boolean);
const isTrue = (s: string) => /^(true|1|yes|on)$/i.test(s);

/** The CLI arguments the inputs ask for (each value one argv element: nothing is parsed by a shell). */
export function argsFromInputs(env: Env): { args: string[]; outDir: string } {
  const args: string[] = [];
  const config = input(env, 'config');
  if (config) args.push('--config', config);
  for (const t of listOf(input(env, 'targets'))) args.push('--target', t);
  for (const s of listOf(input(env, 'suites'))) args.push('--suite', s);
  for (const g of listOf(input(env, 'grep'))) args.push('--grep', g);
  for (const v of listOf(input(env, 'versions'))) args.push('--protocol', v);
  for (const b of listOf(input(env, 'bindings'))) args.push('--binding', b);
  if (isTrue(input(env, 'strict'))) args.push('--strict');
  const gate = input(env, 'gate');
  if (gate) args.push('--gate', gate);
  const shard = input(env, 'shard');
  if (shard) args.push('--shard', shard);
  const outDir = input(env, 'out-dir') || 'a2a-conformance';
  args.push('--out', outDir);
  return { args, outDir };
}

/** `name=value` lines for $GITHUB_OUTPUT (values are single-line by construction; newlines are flattened anyway). */
export function outputsOf(
  results: ResultsFile | undefined,
  exitCode: number,
  reportDir: string,
): Record<string, string> {
  const out: Record<string, string> = { 'exit-code': String(exitCode), 'report-dir': reportDir };
  if (!results) return { ...out, verdict: exitCode === EXIT.usage ? 'usage-error' : 'not-run' };
  const verdict = computeVerdict(results);
  out.verdict =
    exitCode === EXIT.untested
      ? 'not-tested'
      : exitCode === EXIT.interrupted
        ? 'interrupted'
        : exitCode === EXIT.ok
          ? 'pass'
          : 'fail';
  out.label = verdict.label;
  out.results = join(reportDir, 'results.json');
  out.total = String(results.summary.total);
  for (const o of OUTCOMES) out[o] = String(results.summary.byOutcome[o]);
  out['unexpected-failures'] = String(results.summary.unexpectedFailures);
  out.introduced = String((results.comparisons ?? []).reduce((n, c) => n + c.counts.introduced, 0));
  return out;
}

/** Every results.json under `dir` (the downloaded shard artifacts), in a stable order. */
export function resultsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f === 'results.json' || f.endsWith(`${sep}results.json`))
    .sort()
    .map((f) => join(dir, f));
}

export async function runAction(io: CliIO): Promise<number> {
  const env = io.env;
  const cwd = env.GITHUB_WORKSPACE || io.cwd;
  const parsed = argsFromInputs(env);
  const outDir = parsed.outDir;
  let args = parsed.args;
  // merge: a directory holding the shards' report directories → one merged report (the merge job of a matrix).
  const mergeDir = input(env, 'merge');
  if (mergeDir) {
    const files = resultsFilesUnder(resolve(cwd, mergeDir));
    if (files.length === 0) {
      io.stderr.write(`error: no results.json under ${mergeDir} (input merge)\n`);
      return EXIT.usage;
    }
    const gate = input(env, 'gate');
    args = ['merge', ...files, '--out', outDir, ...(isTrue(input(env, 'strict')) ? ['--strict'] : [])];
    if (gate) args.push('--gate', gate);
  }
  io.stderr.write(`a2a-conformance ${args.map((a) => JSON.stringify(a)).join(' ')}\n`);
  const { main } = await import('./main.js');
  const code = await main(args, { ...io, cwd });
  const reportDir = resolve(cwd, outDir);
  const resultsPath = join(reportDir, 'results.json');
  let results: ResultsFile | undefined;
  if (existsSync(resultsPath)) {
    try {
      results = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile;
    } catch {
      results = undefined;
    }
  }
  const outputs = outputsOf(results, code, reportDir);
  if (env.GITHUB_OUTPUT)
    appendFileSync(
      env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`)
        .join(''),
    );
  const summary = join(reportDir, 'summary.md');
  if (env.GITHUB_STEP_SUMMARY && existsSync(summary))
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${readFileSync(summary, 'utf8')}\n`);
  if (code !== EXIT.usage && code !== EXIT.ok && isTrue(input(env, 'allow-failure'))) {
    io.stderr.write(`a2a-conformance exited ${code}; allow-failure is set, so the step passes\n`);
    return EXIT.ok;
  }
  return code;
}
