/**
 * a2a-conformance CLI. `run` (default), `list`, `merge`. Exit codes: 0 ok, 1 failures, 2 usage/config error,
 * 3 a target could not be tested, 130 interrupted.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BINDINGS, PROTOCOL_VERSIONS, type Binding, type ProtocolVersion } from '../core/types.js';
import { HARNESS } from '../core/harness-info.js';
import { idMatcher } from '../checks/registry.js';
import { ConfigError } from '../config/errors.js';
import { loadTargets } from '../config/load-targets.js';
import { markStage } from '../core/stages.js';
import type { ResolvedTarget } from '../config/types.js';
import { EXIT } from '../results/summarize.js';
import type { Gate } from '../results/types.js';
import { parseShard, shardTargets, type ShardSpec } from '../runner/shard.js';
import { withUpstreams } from '../runner/upstream.js';
import { loadCatalogue, loadCatalogueInfo, type CheckInfo } from '../checks/catalogue.js';
import { createProgress, painter, termSafe, useColor } from './progress.js';
import { printPlan } from './list.js';

export const help = (
  suiteNames: string[],
) => `a2a-conformance ${HARNESS.version} — A2A protocol conformance harness (0.3 and 1.0; JSON-RPC, HTTP+JSON and gRPC)

Usage:
  a2a-conformance [options]                    run the checks against the targets in targets.yaml
  a2a-conformance merge <results.json>... --out DIR   combine runs into one report (cross-target matrix)

Options:
  -t, --target NAME      target(s) to run; repeatable or comma-separated (default: all in the file)
  -c, --config FILE      targets file (default: ./targets.yaml)
  -o, --out DIR          report directory (default: reports/<run-id>/, also copied to reports/latest/)
  -s, --suite NAME       suite(s) to run: ${suiteNames.join(', ')}
  -g, --grep PATTERN     check ids to run; glob with * (one segment) and ** (any); repeatable
  -p, --protocol V       protocol version(s): 0.3, 1.0
  -b, --binding B        binding(s): jsonrpc, rest, grpc
      --strict           SHOULD warnings fail the run (exit 1)
      --gate G           all (default) | introduced: exit 1 only for failures a gateway introduces (targets with
                         \`upstream:\`), not for the agent's own
      --shard I/N        run shard I of N (1-based; by target, a gateway with its upstream); combine with merge
      --concurrency N    max requests in flight across all targets (default: sum of per-target limits, >= 64)
      --timeout MS       per-request timeout for every target (overrides targets.yaml timeoutMs)
      --list             print the target × version × binding × check plan without sending traffic
      --coverage         with --list: also print requirement coverage (covered / excluded / uncovered per version)
  -h, --help             this help
  -v, --version          harness version

Exit codes: 0 no unexpected failure · 1 a MUST failed, a check errored, or a baseline entry is stale (with --strict
also a SHOULD warning; with --gate introduced only a failure a gateway introduced) · 2 usage or config error · 3 a
target could not be tested (unreachable, failed to start, timed out) · 130 interrupted (reports still written).`;

export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const list = (v: string[] | undefined): string[] | undefined =>
  v
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

export async function main(
  argv: string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
): Promise<number> {
  const paint = painter(useColor(io.stderr, io.env));
  const usage = (msg: string) => {
    io.stderr.write(`${paint('red', 'error')}: ${msg}\nRun with --help for usage.\n`);
    return EXIT.usage;
  };

  // Heavy modules (runner, HTTP, reporters) load only when a run needs them: --list and --help stay fast.
  if (argv[0] === 'merge') return (await import('./merge.js')).runMerge(argv.slice(1), io);
  // The GitHub Action's step (action.yml): inputs from INPUT_* variables, outputs to $GITHUB_OUTPUT.
  if (argv[0] === 'action' && argv.length === 1) return (await import('./action.js')).runAction(io);

  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parse(argv));
  } catch (e) {
    return usage((e as Error).message);
  }
  const catalogue = await loadCatalogueInfo();
  const knownSuites = [...new Set(catalogue.map((c) => c.suite))];
  if (values.help) {
    io.stdout.write(`${help(knownSuites)}\n`);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout.write(`${HARNESS.version}\n`);
    return EXIT.ok;
  }
  if (positionals.length) return usage(`unexpected argument "${positionals[0]}"`);

  const protocols = list(values.protocol);
  const bindings = list(values.binding);
  for (const p of protocols ?? [])
    if (!PROTOCOL_VERSIONS.includes(p as ProtocolVersion))
      return usage(`--protocol must be one of ${PROTOCOL_VERSIONS.join(', ')} (got "${p}")`);
  for (const b of bindings ?? [])
    if (!BINDINGS.includes(b as Binding)) return usage(`--binding must be one of ${BINDINGS.join(', ')} (got "${b}")`);
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    return usage('--concurrency must be a positive integer');
  const timeoutMs = values.timeout !== undefined ? Number(values.timeout) : undefined;
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 1))
    return usage('--timeout must be a positive number of milliseconds');

  const gate = (values.gate ?? 'all') as Gate;
  if (gate !== 'all' && gate !== 'introduced') return usage(`--gate must be all or introduced (got "${values.gate}")`);
  let shard: ShardSpec | undefined;
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard);
    if (typeof parsed === 'string') return usage(parsed);
    shard = parsed;
  }

  const suites = list(values.suite);
  for (const s of suites ?? [])
    if (!knownSuites.includes(s)) return usage(`unknown suite "${s}" (known: ${knownSuites.join(', ')})`);
  const grep = list(values.grep);
  const checks = selectChecks(catalogue, suites, grep);
  if (checks.length === 0)
    return usage(`no check matches --suite ${suites?.join(',') ?? '*'} --grep ${grep?.join(',') ?? '*'}`);

  const configFile = resolve(io.cwd, values.config ?? 'targets.yaml');
  let targets: ResolvedTarget[];
  try {
    targets = loadTargets(configFile, io.env).targets;
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(
        `${paint('red', 'config error')} in ${configFile}:\n${e.message
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
      );
      return EXIT.usage;
    }
    throw e;
  }
  const wanted = list(values.target);
  if (wanted) {
    const unknown = wanted.filter((w) => !targets.some((t) => t.name === w));
    if (unknown.length)
      return usage(
        `unknown target(s) ${unknown.join(', ')} (in ${configFile}: ${targets.map((t) => t.name).join(', ')})`,
      );
    targets = withUpstreams(targets, wanted);
  }
  if (targets.length === 0) return usage(`no targets in ${configFile}`);
  if (gate === 'introduced' && !targets.some((t) => t.upstream))
    return usage('--gate introduced needs a gateway target (one with `upstream:` in targets.yaml) in the selection');
  let shardInfo: { index: number; count: number; targets: string[] } | undefined;
  if (shard) {
    const mine = shardTargets(targets, shard, checks.length, protocols as ProtocolVersion[] | undefined);
    shardInfo = { ...shard, targets: mine };
    targets = targets.filter((t) => mine.includes(t.name));
  }

  if (values.list) {
    if (shardInfo)
      io.stdout.write(
        `shard ${shardInfo.index}/${shardInfo.count}: ${shardInfo.targets.join(', ') || '(no target)'}\n`,
      );
    printPlan(io.stdout, targets, checks, {
      protocols: protocols as ProtocolVersion[] | undefined,
      bindings: bindings as Binding[] | undefined,
    });
    if (values.coverage) {
      const { loadTraceability, formatReport } = await import('../traceability/coverage.js');
      const trace = await loadTraceability();
      io.stdout.write(
        `\nRequirement coverage (requirements/a2a-0.3.yaml, ` +
          `requirements/a2a-1.0.yaml):\n${formatReport(trace, io.cwd)}`,
      );
    }
    return EXIT.ok;
  }

  const runId = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  const defaultOut = !values.out;
  const outDir = resolve(io.cwd, values.out ?? join('reports', runId));
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    io.stderr.write('\ninterrupted: finishing reports with the checks completed so far (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = createProgress(io.stderr, io.env);
  // Before loading the run's modules: the guard caps V8's young generation, which loading alone would grow.
  const { startMemoryGuard, relieveMemory } = await import('../core/memory-guard.js');
  const stopGuard = startMemoryGuard();
  const [{ runConformance }, definitions] = await Promise.all([import('../runner/run.js'), loadCatalogue()]).catch(
    (e: unknown) => {
      stopGuard();
      throw e;
    },
  );
  // The reporters are only needed at the end: load them while the run waits on its targets (off the critical path).
  let reporters: Promise<typeof import('../reporters/index.js')> | undefined;
  const loadReporters = () => {
    reporters ??= import('../reporters/index.js');
    return reporters;
  };
  const selected = new Set(checks.map((c) => c.id));
  markStage('cli:ready');
  try {
    const { results, resultsPath, exitCode } = await runConformance({
      targets,
      checks: definitions.filter((c) => selected.has(c.id)),
      knownCheckIds: catalogue.map((c) => c.id),
      protocols: protocols as ProtocolVersion[] | undefined,
      bindings: bindings as Binding[] | undefined,
      strict: Boolean(values.strict),
      concurrency,
      timeoutMs,
      outDir,
      argv,
      suites,
      grep,
      signal: controller.signal,
      onProgress: (e) => {
        progress.onEvent(e);
        if (e.type === 'target-planned') setTimeout(() => loadReporters().catch(() => undefined), 100).unref();
      },
      gate,
      shard: shardInfo,
    });
    progress.done();
    relieveMemory();
    const { writeReports } = await loadReporters();
    const written = await writeReports(results, outDir, { strict: Boolean(values.strict), resultsPath });
    markStage('cli:reports-written');
    for (const e of written.errors) io.stderr.write(`${paint('red', 'reporter error')}: ${termSafe(e)}\n`);
    // A report that could not be rendered is a harness failure: never a green run.
    const code = written.errors.length && exitCode === EXIT.ok ? EXIT.failures : exitCode;
    if (defaultOut) {
      const latest = resolve(io.cwd, 'reports', 'latest');
      rmSync(latest, { recursive: true, force: true });
      mkdirSync(latest, { recursive: true });
      cpSync(outDir, latest, { recursive: true });
    }
    io.stdout.write(
      `${verdictLine(results.summary, code, paint)}\nreports: ` +
        `${outDir}${defaultOut ? ' (and reports/latest)' : ''}\n`,
    );
    return code;
  } finally {
    stopGuard();
    process.off('SIGINT', onSigint);
  }
}

export function selectChecks<T extends CheckInfo>(all: T[], suites?: string[], grep?: string[]): T[] {
  const matchers = grep?.map(idMatcher);
  return all.filter((c) => (!suites || suites.includes(c.suite)) && (!matchers || matchers.some((m) => m(c.id))));
}

function verdictLine(
  s: import('../results/types.js').Summary,
  exitCode: number,
  paint: ReturnType<typeof painter>,
): string {
  const o = s.byOutcome;
  const counts =
    `${o.pass} pass, ${o.fail} fail, ${o.warn} warn, ${o.info} info, ${o.skip} skip, ${o.untestable} ` +
    `untestable, ${o.error} error`;
  const extra = [
    s.expectedFailures ? `${s.expectedFailures} expected failures` : '',
    s.staleExpectations ? `${s.staleExpectations} stale expectations` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const verdict =
    exitCode === 0
      ? paint('green', 'PASS')
      : exitCode === EXIT.untested
        ? paint('red', 'NOT TESTED')
        : exitCode === EXIT.interrupted
          ? paint('yellow', 'INTERRUPTED')
          : paint('red', 'FAIL');
  return `${verdict}  ${s.total} results: ${counts}${extra ? ` (${extra})` : ''}  exit ${exitCode}`;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      target: { type: 'string', short: 't', multiple: true },
      config: { type: 'string', short: 'c' },
      out: { type: 'string', short: 'o' },
      suite: { type: 'string', short: 's', multiple: true },
      grep: { type: 'string', short: 'g', multiple: true },
      protocol: { type: 'string', short: 'p', multiple: true },
      binding: { type: 'string', short: 'b', multiple: true },
      strict: { type: 'boolean' },
      gate: { type: 'string' },
      shard: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      list: { type: 'boolean' },
      coverage: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
