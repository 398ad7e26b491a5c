/**
 * Benchmark of the harness on this machine, against the bundled reference agents, through the compiled CLI
 * (`node bin/a2a-conformance.js`, what users run). Writes bench/results.md and bench/tmp/bench-<stamp>.json.
 *
 *   npm run bench -- [--runs N] [--only list,full,one,bindings,critical,ten,shared,hostile,sse,agent]
 *                    [--sse-bytes N] [--sse-sizes 512,65536] [--profile] [--quiet-wait S] [--no-write] [--tck DIR]
 *   npm run bench -- --render bench/tmp/bench-<stamp>.json     (re-render results.md from saved data)
 *
 * Measures (medians of N runs, 3 by default):
 *   list    wall time of `--list`
 *   agent   start-up of one reference agent (a deliberate cost of `start:` targets, not harness time)
 *   full    the default targets.yaml: all suites, 0.3 and 1.0, JSON-RPC, HTTP+JSON and gRPC
 *   one     ref-v1 alone; and ref-v1 without the checks that need the `slow` trigger (its 2 s are a deliberate wait)
 *   bindings  ref-v1 without the slow-trigger checks, one binding at a time (`--binding jsonrpc|rest|grpc`): what
 *           each binding's cells cost (the card cells run in each)
 *   critical  one pre-started ref-v1 whose `slow` task takes 3 s (REF_AGENT_SLOW_MS), protocol 1.0, default settings:
 *           the run should last at most 1.2 x its longest check + 0.5 s (the critical path)
 *   ten     10 copies of ref-v1, each started by the harness, in one run
 *   shared  1 and 10 targets against ONE pre-started ref-v1 (harness scaling without 10 agents competing for CPU)
 *   hostile every behaviour of the hostile agent (test/tools/hostile-agent.ts) + the healthy ref-v1, one run
 *   sse     a 1 GiB SSE stream read through the harness's HttpSession (bench/sse-reader.mjs), per event size
 * For every CLI run: wall (spawn to exit), harness CPU (user+system of the CLI process alone, via
 * bench/cpu-report.mjs), peak RSS of the CLI process (getrusage maxRSS = VmHWM), results count.
 * `--profile` adds a `--cpu-prof` run of `one` and summarises where the harness CPU goes. CPU per stage (start-up,
 * agents and discovery, checks, results.json, reports) comes from the CLI's stage marks (src/core/stages.ts).
 * `--tck DIR` runs a local a2a-tck (1.0) checkout against the same pre-started ref-v1 as the harness (never installs
 * it: DIR/.venv/bin/python, else python3) and compares wall time and the requirements each tool exercised.
 * bench/notes.md (hand-written findings), when present, is appended to results.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TMP = join(ROOT, 'bench', 'tmp');
const CLI = 'bin/a2a-conformance.js';
const WRAP = './bench/cpu-report.mjs';
const GiB = 1024 ** 3;

// The design targets (product brief, then issue 13).
const TARGETS = {
  oneTargetWallS: 3,
  criticalFactor: 1.2,
  criticalSlackMs: 500,
  criticalSlowMs: 3000,
  tenVsOne: 1.5,
  cpuPerCheckMs: 1,
  listMs: 250,
  rss10Mb: 150,
  hostileRssMb: 256,
  tckS: 63,
};

interface StageMark {
  name: string;
  target?: string;
  cpuMs: number;
  rssMb: number;
  atMs: number;
}
/** CPU (ms) and peak-so-far RSS per stage of one CLI run, from its stage marks. */
type StageCpu = Record<string, { cpuMs: number; wallMs: number; rssMb: number }>;
const STAGES = ['start-up', 'agents + discovery', 'checks', 'results.json', 'reports', 'exit'] as const;

function stageCpu(marks: StageMark[], totalCpuMs: number, uptimeMs: number): StageCpu | undefined {
  const first = (n: string) => marks.find((m) => m.name === n);
  const ready = first('cli:ready');
  const checksStart = first('target:checks-start');
  const done = first('run:checks-done');
  const written = first('run:results-written');
  const reports = first('cli:reports-written');
  if (!ready || !done || !written || !reports) return undefined;
  const start = checksStart ?? done;
  const points: [string, { cpuMs: number; atMs: number; rssMb: number }][] = [
    ['start-up', ready],
    ['agents + discovery', start],
    ['checks', done],
    ['results.json', written],
    ['reports', reports],
    ['exit', { cpuMs: totalCpuMs, atMs: uptimeMs, rssMb: NaN }],
  ];
  const out: StageCpu = {};
  let prev = { cpuMs: 0, atMs: 0 };
  for (const [name, p] of points) {
    out[name] = { cpuMs: p.cpuMs - prev.cpuMs, wallMs: p.atMs - prev.atMs, rssMb: p.rssMb };
    prev = p;
  }
  return out;
}

interface CliRun {
  wallMs: number;
  code: number | null;
  cpuMs: number;
  userMs: number;
  systemMs: number;
  maxRssMb: number;
  results: number;
  durationMs?: number;
  outcomes?: Record<string, number>;
  targetMs?: Record<string, number>;
  slowMaxMs?: number;
  longest?: { id: string; ms: number };
  /**
   * CPU of the agents the CLI started (each reports its own at exit), ms; how many reported; their largest peak RSS.
   */
  agentsCpuMs?: number;
  agents?: number;
  agentsMaxRssMb?: number;
  /** When the sampled RSS peaked, ms after spawn (compare with wall and the in-harness run). */
  rssPeakAtMs?: number;
  /** Share of the machine's CPU used by other processes during the run (not this benchmark). */
  foreignShare?: number;
  /** Machine busy share just before the run started (after waiting for quiet). */
  preBusyShare?: number;
  /** CPU per stage of the CLI (stage marks). */
  stages?: StageCpu;
  /** Load average (1 min) when the run started (`uptime`). */
  load1?: number;
  /** Per target: its duration and its longest check (critical-path ratio). */
  perTarget?: Record<string, { ms: number; longestMs: number; longestId: string }>;
}

interface Scenario {
  key: string;
  title: string;
  command: string;
  runs: CliRun[];
  median: CliRun;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const r1 = (n: number) => Math.round(n * 10) / 10;
const ms = (n: number) => `${Math.round(n)} ms`;
const sec = (n: number) => `${(n / 1000).toFixed(2)} s`;
const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '?' : `${Math.round(x * 100)}%`);

// ---- machine load: the benchmark machine may be shared, so every run records how busy the machine was.

const TICK_MS = 10; // USER_HZ = 100 on Linux
/** System-wide busy and total CPU time so far (ms, summed over cores), from /proc/stat. */
function machineCpu(): { busyMs: number; totalMs: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const busy = user + nice + system + irq + softirq + steal;
    return { busyMs: busy * TICK_MS, totalMs: (busy + idle + iowait) * TICK_MS };
  } catch {
    return { busyMs: NaN, totalMs: NaN };
  }
}
/** CPU used so far by a running process (utime + stime), ms, from /proc/<pid>/stat. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}
/** CPU of this process's waited-for descendants (the CLI and the agents it reaped), ms, from /proc/self/stat. */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime, cstime (fields 16, 17)
  } catch {
    return NaN;
  }
}
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
let quietWaitMs = 120_000;
/** Wait until the machine is nearly idle (other work < 15% of its CPUs over 1 s), at most quietWaitMs. */
async function waitQuiet(): Promise<{ waitedMs: number; busyShare: number }> {
  const t0 = performance.now();
  for (;;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    const share = (b.busyMs - a.busyMs) / (b.totalMs - a.totalMs);
    if (!(share >= 0.15) || performance.now() - t0 > quietWaitMs)
      return { waitedMs: performance.now() - t0, busyShare: share };
  }
}

function medianRun(runs: CliRun[]): CliRun {
  const m = (f: (r: CliRun) => number | undefined) =>
    median(runs.map(f).filter((x): x is number => typeof x === 'number'));
  const first = runs[0]!;
  return {
    wallMs: m((r) => r.wallMs),
    code: first.code,
    cpuMs: m((r) => r.cpuMs),
    userMs: m((r) => r.userMs),
    systemMs: m((r) => r.systemMs),
    maxRssMb: m((r) => r.maxRssMb),
    results: m((r) => r.results),
    durationMs: m((r) => r.durationMs),
    slowMaxMs: m((r) => r.slowMaxMs),
    outcomes: first.outcomes,
    targetMs:
      first.targetMs && Object.fromEntries(Object.keys(first.targetMs).map((k) => [k, m((r) => r.targetMs?.[k])])),
    longest: first.longest,
    agentsCpuMs: m((r) => r.agentsCpuMs),
    agents: first.agents,
    agentsMaxRssMb: m((r) => r.agentsMaxRssMb),
    rssPeakAtMs: m((r) => r.rssPeakAtMs),
    foreignShare: m((r) => r.foreignShare),
    preBusyShare: m((r) => r.preBusyShare),
    load1: m((r) => r.load1),
    stages: first.stages && medianStages(runs),
    perTarget: first.perTarget,
  };
}

function medianStages(runs: CliRun[]): StageCpu {
  const out: StageCpu = {};
  for (const name of STAGES) {
    const xs = runs.map((r) => r.stages?.[name]).filter((x): x is StageCpu[string] => x !== undefined);
    out[name] = {
      cpuMs: median(xs.map((x) => x.cpuMs)),
      wallMs: median(xs.map((x) => x.wallMs)),
      rssMb: median(xs.map((x) => x.rssMb)),
    };
  }
  return out;
}

/** 1-minute load average (what `uptime` shows). */
function load1(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** Run a command to completion; resolve with wall time, exit code and captured output. */
function exec(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; sampleRss?: boolean } = {},
): Promise<{
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
  rssPeak?: { mb: number; atMs: number };
}> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // When the peak RSS happens (the total comes from getrusage): sample the child's VmRSS every 50 ms.
    let rssPeak: { mb: number; atMs: number } | undefined;
    const sampler = opts.sampleRss
      ? setInterval(() => {
          try {
            const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            const mb = m ? Number(m[1]) / 1024 : 0;
            if (!rssPeak || mb > rssPeak.mb) rssPeak = { mb, atMs: performance.now() - t0 };
          } catch {
            /* exited */
          }
        }, 50)
      : undefined;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-20_000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (sampler) clearInterval(sampler);
      resolve({ wallMs: performance.now() - t0, code, stdout, stderr, rssPeak });
    });
  });
}

let slowIds = new Set<string>();

/** One CLI run with the CPU/RSS wrapper; reads results.json for counts and per-target durations. */
let externalAgentPids: number[] = [];

async function cliRun(args: string[], label: string, i: number, nodeFlags: string[] = []): Promise<CliRun> {
  const out = join(TMP, `${label}-${i}`);
  rmSync(out, { recursive: true, force: true });
  const report = join(TMP, `${label}-${i}.cpu.json`);
  rmSync(report, { force: true });
  const agentsDir = join(TMP, `${label}-${i}.agents`);
  rmSync(agentsDir, { recursive: true, force: true });
  mkdirSync(agentsDir, { recursive: true });
  const quiet = await waitQuiet();
  const loadAtStart = load1();
  const m0 = machineCpu();
  const ext0 = externalAgentPids.reduce((n, pid) => n + processCpuMs(pid), 0);
  const env = {
    A2A_BENCH_REPORT: report,
    A2A_BENCH_AGENTS_DIR: agentsDir,
    NO_COLOR: '1',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(ROOT, WRAP)).href}`.trim(),
  };
  const r = await exec(process.execPath, [...nodeFlags, CLI, ...args, '--out', out], { env, sampleRss: true });
  const m1 = machineCpu();
  const cpu = existsSync(report)
    ? (JSON.parse(readFileSync(report, 'utf8')) as {
        userMs: number;
        systemMs: number;
        maxRssMb: number;
        uptimeMs: number;
        stages?: StageMark[];
      })
    : undefined;
  const agents = readdirSync(agentsDir)
    .filter((f) => f.endsWith('.json'))
    .map(
      (f) =>
        JSON.parse(readFileSync(join(agentsDir, f), 'utf8')) as { userMs: number; systemMs: number; maxRssMb: number },
    );
  // Agents the CLI started report themselves; a pre-started (shared) agent is read from /proc.
  const agentsCpuMs =
    agents.reduce((n, a) => n + a.userMs + a.systemMs, 0) +
    externalAgentPids.reduce((n, pid) => n + processCpuMs(pid), 0) -
    ext0;
  const cpuMs = cpu ? cpu.userMs + cpu.systemMs : NaN;
  const run: CliRun = {
    wallMs: r.wallMs,
    code: r.code,
    cpuMs,
    userMs: cpu?.userMs ?? NaN,
    systemMs: cpu?.systemMs ?? NaN,
    maxRssMb: cpu?.maxRssMb ?? NaN,
    results: 0,
    agentsCpuMs,
    agents: agents.length + externalAgentPids.length,
    agentsMaxRssMb: agents.reduce((n, a) => Math.max(n, a.maxRssMb), 0),
    rssPeakAtMs: r.rssPeak?.atMs,
    foreignShare: Math.max(0, (m1.busyMs - m0.busyMs - cpuMs - agentsCpuMs) / (m1.totalMs - m0.totalMs)),
    preBusyShare: quiet.busyShare,
    load1: loadAtStart,
    stages: cpu?.stages ? stageCpu(cpu.stages, cpuMs, cpu.uptimeMs) : undefined,
  };
  const resultsFile = join(out, 'results.json');
  if (existsSync(resultsFile)) {
    const f = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
      run: { durationMs?: number };
      results: { checkId: string; target: string; outcome: string; durationMs: number }[];
      targets: { name: string; durationMs?: number; status: string }[];
    };
    run.results = f.results.length;
    run.durationMs = f.run.durationMs;
    run.outcomes = {};
    for (const x of f.results) run.outcomes[x.outcome] = (run.outcomes[x.outcome] ?? 0) + 1;
    run.targetMs = Object.fromEntries(f.targets.map((t) => [t.name, t.durationMs ?? NaN]));
    const slow = f.results.filter((x) => slowIds.has(x.checkId)).map((x) => x.durationMs);
    run.slowMaxMs = slow.length ? Math.max(...slow) : undefined;
    const longest = f.results.reduce((a, b) => (b.durationMs > a.durationMs ? b : a), f.results[0]!);
    if (longest) run.longest = { id: longest.checkId, ms: longest.durationMs };
    run.perTarget = {};
    for (const t of f.targets) {
      const own = f.results.filter((x) => (x as { target?: string }).target === t.name);
      const l = own.reduce((a, b) => (b.durationMs > a.durationMs ? b : a), own[0] ?? { checkId: '', durationMs: 0 });
      run.perTarget[t.name] = { ms: t.durationMs ?? NaN, longestMs: l.durationMs, longestId: l.checkId };
    }
    const bad = f.targets.filter((t) => t.status !== 'tested');
    if (bad.length)
      process.stderr.write(
        `  warning: ${label}-${i}: target(s) not tested: ${bad.map((t) => `${t.name} (${t.status})`).join(', ')}\n`,
      );
  } else if (!args.includes('--list')) {
    process.stderr.write(`  warning: ${label}-${i}: no results.json (exit ${r.code})\n${r.stderr.slice(-2000)}\n`);
  }
  return run;
}

async function scenario(
  key: string,
  title: string,
  args: string[],
  runs: number,
  nodeFlags: string[] = [],
): Promise<Scenario> {
  const list: CliRun[] = [];
  for (let i = 1; i <= runs; i++) {
    const r = await cliRun(args, key, i, nodeFlags);
    process.stderr.write(
      `  ${key} #${i}: wall ${sec(r.wallMs)}, cpu ${ms(r.cpuMs)} (agents ${ms(r.agentsCpuMs ?? NaN)} in ` +
        `${r.agents}), rss ${r1(r.maxRssMb)} MB, ${r.results} results, exit ${r.code}, other load ` +
        `${pct(r.foreignShare)}, load ${r.load1}\n`,
    );
    list.push(r);
  }
  const shown = args
    .map((a) => (a.includes(' ') ? `'${a}'` : a))
    .join(' ')
    .replace(/^(?=.)/, ' ');
  return {
    key,
    title,
    runs: list,
    median: medianRun(list),
    command:
      `A2A_BENCH_REPORT=bench/tmp/${key}-N.cpu.json A2A_BENCH_AGENTS_DIR=bench/tmp/${key}-N.agents ` +
      (`NODE_OPTIONS=--import=${WRAP} node ${nodeFlags.length ? `${nodeFlags.join(' ')} ` : ''}${CLI}` +
        `${shown} --out bench/tmp/${key}-N`),
  };
}

/** Start one reference agent outside the harness; resolves with its base URL once it prints its ready line. */
function startAgent(
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; pid: number; startMs: number; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['dist/reference-agents/v1/server.js'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('agent did not start within 20 s'));
    }, 20_000);
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /A2A_REFERENCE_READY (\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        const exited = new Promise<void>((res) => child.once('exit', () => res()));
        resolve({
          url: m[1]!,
          pid: child.pid!,
          startMs: performance.now() - t0,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr.resume();
    child.once('error', reject);
  });
}

/** The expectedFailures targets.yaml lists for ref-v1 (so generated copies judge the same SDK the same way). */
function refV1ExpectedFailures(): string {
  try {
    const doc = parseYaml(readFileSync(join(ROOT, 'targets.yaml'), 'utf8')) as {
      targets?: { name: string; expectedFailures?: unknown[] }[];
    };
    const ef = doc.targets?.find((t) => t.name === 'ref-v1')?.expectedFailures;
    return ef?.length ? `\n    expectedFailures: ${JSON.stringify(ef)}` : '';
  } catch {
    return '';
  }
}

function targetsFile(name: string, entries: string[]): string {
  const file = join(TMP, name);
  writeFileSync(
    file,
    // Default settings (concurrency, timeouts) except the trigger preset: what a user gets.
    `# Generated by scripts/bench.ts\ndefaults:\n  triggers: reference\n\ntargets:\n${entries.join('\n')}\n`,
  );
  return file;
}

const startedRefV1 = (name: string) =>
  `  - name: ${name}\n    url: http://127.0.0.1:\${PORT}\n    start:\n      command: node ` +
  `dist/reference-agents/v1/server.js\n      cwd: ${JSON.stringify(ROOT)}\n    protocols: ["0.3", ` +
  `"1.0"]${refV1ExpectedFailures()}`;
const urlTarget = (name: string, url: string) => `  - name: ${name}\n    url: ${url}`;
const urlRefV1 = (name: string, url: string) =>
  `  - name: ${name}\n    url: ${url}\n    protocols: ["0.3", "1.0"]${refV1ExpectedFailures()}`;

interface SseRun {
  end: string;
  events: number;
  bytes: number;
  ms: number;
  mbPerS: number;
  cpuMs: number;
  baselineRssMb: number;
  peakRssMb: number;
  deltaRssMb: number;
  peakHeapMb: number;
  retainedHeapMb: number | null;
}

async function sseBench(
  runs: number,
  bytes: number,
  sizes: number[],
): Promise<{ command: string; fixture: string; rows: { eventBytes: number; runs: SseRun[]; median: SseRun }[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/sse-firehose.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /SSE_FIREHOSE_READY (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`firehose exited ${code}`)));
  });
  const rows: { eventBytes: number; runs: SseRun[]; median: SseRun }[] = [];
  try {
    for (const eventBytes of sizes) {
      const list: SseRun[] = [];
      for (let i = 1; i <= runs; i++) {
        await waitQuiet();
        const r = await exec(process.execPath, [
          '--expose-gc',
          'bench/sse-reader.mjs',
          `${url}?bytes=${bytes}&eventBytes=${eventBytes}`,
          String(2 * bytes),
        ]);
        const line = r.stdout.trim().split('\n').pop() ?? '';
        if (r.code !== 0 || !line.startsWith('{'))
          throw new Error(`sse reader failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
        const x = JSON.parse(line) as SseRun;
        process.stderr.write(
          `  sse ${eventBytes} B #${i}: ${x.mbPerS} MB/s, peak RSS +${x.deltaRssMb} MB, retained ` +
            `${x.retainedHeapMb} MB, end ${x.end}\n`,
        );
        list.push(x);
      }
      const m = (f: (r: SseRun) => number) => median(list.map(f));
      rows.push({
        eventBytes,
        runs: list,
        median: {
          ...list[0]!,
          events: m((r) => r.events),
          bytes: m((r) => r.bytes),
          ms: m((r) => r.ms),
          mbPerS: m((r) => r.mbPerS),
          cpuMs: m((r) => r.cpuMs),
          baselineRssMb: m((r) => r.baselineRssMb),
          peakRssMb: m((r) => r.peakRssMb),
          deltaRssMb: m((r) => r.deltaRssMb),
          peakHeapMb: m((r) => r.peakHeapMb),
          retainedHeapMb: m((r) => r.retainedHeapMb ?? NaN),
        },
      });
    }
  } finally {
    child.kill('SIGTERM');
  }
  return {
    fixture: 'node --import tsx test/fixtures/sse-firehose.ts   # prints SSE_FIREHOSE_READY <url>',
    command: `node --expose-gc bench/sse-reader.mjs '<url>?bytes=${bytes}&eventBytes=<size>' ${2 * bytes}`,
    rows,
  };
}

/** Summarise a .cpuprofile: self time by area (harness module, dependency, GC...) and the hottest functions. */
function summariseProfile(file: string): {
  totalMs: number;
  areas: [string, number][];
  functions: [string, number][];
  inclusive: [string, number][];
} {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { url, functionName, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    // Inclusive time of harness functions (dist/src, dist/suites) on the stack, each counted once per sample.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/dist\/(src|suites)\//.test(f.url) || !f.functionName) continue;
      const key = `${f.functionName} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, v / 1000] as [string, number]);
  return { totalMs: total / 1000, areas: top(areas, 16), functions: top(fns, 15), inclusive: top(incl, 15) };
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `dep: ${nm[1]}`;
  if (url.startsWith('node:')) {
    const mod = url.replace(/^node:(internal\/)?/, '');
    const group = /^(modules|deps\/cjs-module-lexer|bootstrap)/.test(mod)
      ? 'module loading'
      : /^(streams|stream_base|net|http|_http|dns|tcp)/.test(mod)
        ? 'streams/net'
        : /^(abort_controller|event_target|per_context\/domexception|events)/.test(mod)
          ? 'AbortSignal/EventTarget'
          : /^(timers|process\/task_queues)/.test(mod)
            ? 'timers/microtasks'
            : /^(fs|url|path|util|buffer|encoding|crypto|webstreams)/.test(mod)
              ? mod.split('/')[0]!
              : 'other';
    return `node: ${group}`;
  }
  const m = /\/dist\/(src\/[^/]+|suites|generated|reference-agents)/.exec(url);
  if (m) return m[1] === 'generated' ? 'harness: generated validators' : `harness: ${m[1]}`;
  return shortUrl(url);
}

const shortUrl = (u: string) => u.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');

async function profileRun(): Promise<ReturnType<typeof summariseProfile> & { command: string }> {
  const dir = join(TMP, 'prof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const flags = ['--cpu-prof', '--cpu-prof-dir', 'bench/tmp/prof'];
  await cliRun(['--target', 'ref-v1'], 'profile', 1, flags);
  const prof = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  if (prof.length === 0) throw new Error('no .cpuprofile written');
  return {
    ...summariseProfile(prof[0]!),
    command: `node ${flags.join(' ')} ${CLI} --target ref-v1 --out bench/tmp/profile-1`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The official a2a-tck side by side (only when the user has a checkout: it is never installed here).

interface TckReport {
  per_requirement?: Record<string, { level?: string; status?: string; transports?: Record<string, string> }>;
}

async function tckRun(
  dir: string,
  runs: number,
): Promise<
  | { error: string }
  | {
      dir: string;
      command: string;
      harnessCommand: string;
      tckWallMs: number;
      tckExit: number | null;
      harness: CliRun;
      ratio: number;
      tckRequirements: { id: string; level: string; status: string }[];
      harnessRequirements: string[];
      harnessChecks: number;
    }
> {
  // npm runs scripts from the package root; a relative DIR is meant from where the user typed the command.
  const abs = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  if (!existsSync(join(abs, 'run_tck.py')) || !existsSync(join(abs, 'tests', 'compatibility')))
    return { error: `${dir} is not an a2a-tck 1.0 checkout (run_tck.py and tests/compatibility/ expected)` };
  const venv = join(abs, '.venv', 'bin', 'python');
  const python = existsSync(venv) ? venv : 'python3';
  const agent = await startAgent();
  externalAgentPids = [agent.pid];
  try {
    // The harness first, on the same agent, 1.0 only (the TCK's scope), through the TCK's own trigger contract.
    const file = targetsFile('targets-tck.yaml', [`${urlTarget('tck-sut', agent.url)}\n    triggers: a2a-tck`]);
    const args = ['--config', relative(ROOT, file), '--protocol', '1.0'];
    const harnessRuns: CliRun[] = [];
    for (let i = 1; i <= runs; i++) harnessRuns.push(await cliRun(args, 'tck-harness', i));
    const harness = medianRun(harnessRuns);
    const tckArgs = ['run_tck.py', '--sut-host', agent.url, '--transport', 'jsonrpc,http_json'];
    const walls: number[] = [];
    let exit: number | null = null;
    const tckStarted = Date.now() - 1000;
    for (let i = 1; i <= runs; i++) {
      await waitQuiet();
      const r = await exec(python, tckArgs, { cwd: abs });
      walls.push(r.wallMs);
      exit = r.code;
      process.stderr.write(`  tck #${i}: wall ${sec(r.wallMs)}, exit ${r.code}\n`);
    }
    // The TCK rewrites reports/compatibility.json on every run; an older file is not this run's.
    const reportFile = join(abs, 'reports', 'compatibility.json');
    const fresh = existsSync(reportFile) && statSync(reportFile).mtimeMs >= tckStarted;
    const report = fresh ? (JSON.parse(readFileSync(reportFile, 'utf8')) as TckReport) : {};
    if (!fresh) process.stderr.write(`  tck: no fresh ${reportFile}; requirements not counted\n`);
    const tckRequirements = Object.entries(report.per_requirement ?? {}).map(([id, r]) => ({
      id,
      level: r.level ?? '?',
      status: r.status ?? '?',
    }));
    // Requirement ids the harness exercised on 1.0: the spec refs of every check that ran (not skipped).
    const results = JSON.parse(readFileSync(join(TMP, 'tck-harness-1', 'results.json'), 'utf8')) as {
      checks: Record<string, { specRefs: Record<string, { req?: string }[]> }>;
      results: { checkId: string; version: string; outcome: string }[];
    };
    const ran = new Set(results.results.filter((r) => r.outcome !== 'skip').map((r) => r.checkId));
    const reqs = new Set<string>();
    for (const id of ran) for (const ref of results.checks[id]?.specRefs['1.0'] ?? []) if (ref.req) reqs.add(ref.req);
    const tckWallMs = median(walls);
    return {
      dir,
      command: `(cd ${dir} && ${python === 'python3' ? 'python3' : '.venv/bin/python'} ${tckArgs.join(' ')})`,
      harnessCommand: `node ${CLI} ${args.join(' ')}   # target: triggers: a2a-tck, default settings`,
      tckWallMs,
      tckExit: exit,
      harness,
      ratio: tckWallMs / harness.wallMs,
      tckRequirements,
      harnessRequirements: [...reqs].sort(),
      harnessChecks: ran.size,
    };
  } finally {
    externalAgentPids = [];
    await agent.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      'sse-bytes': { type: 'string', default: String(GiB) },
      'sse-sizes': { type: 'string', default: '512,65536,1048576' },
      profile: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      'quiet-wait': { type: 'string', default: '120' },
      render: { type: 'string' },
      tck: { type: 'string' },
    },
  });
  if (values.render) {
    // Re-render results.md from a saved bench/tmp/bench-*.json (e.g. after editing bench/notes.md).
    const md = renderMarkdown(JSON.parse(readFileSync(values.render, 'utf8')) as BenchData);
    if (!values['no-write']) writeFileSync(join(ROOT, 'bench', 'results.md'), md);
    process.stdout.write(md);
    return 0;
  }
  quietWaitMs = Number(values['quiet-wait']) * 1000;
  const runs = Math.max(1, Number(values.runs));
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const want = (k: string) => !only || only.has(k);
  if (
    !existsSync(join(ROOT, 'dist/src/cli/main.js')) ||
    !existsSync(join(ROOT, 'dist/reference-agents/v1/server.js'))
  ) {
    process.stderr.write('bench: dist/ is missing; run `npm run build` first (npm run bench does)\n');
    return 2;
  }
  mkdirSync(TMP, { recursive: true });
  const { ALL_CHECKS } = await import('../suites/index.js');
  slowIds = new Set(ALL_CHECKS.filter((c) => c.requires?.triggers?.includes('slow')).map((c) => c.id));
  const nonSlow = ALL_CHECKS.filter((c) => !slowIds.has(c.id)).map((c) => c.id);
  const git = await exec('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = (await exec('git', ['status', '--porcelain'])).stdout.trim() !== '';
  const machine = {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? '?',
    memGiB: r1(totalmem() / GiB),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit: `${git.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}`,
    checks: ALL_CHECKS.length,
    suites: [...new Set(ALL_CHECKS.map((c) => c.suite))],
    slowChecks: [...slowIds],
  };
  process.stderr.write(
    `bench: ${machine.cores} × ${machine.cpu}, node ${machine.node}, ${machine.checks} checks, ${runs} run(s) each\n`,
  );

  const data: Record<string, unknown> = { machine, runs, quietWaitS: quietWaitMs / 1000 };
  const sc: Record<string, Scenario> = {};

  if (want('list')) {
    await exec(process.execPath, [CLI, '--list']); // warm the file cache
    const walls: number[] = [];
    const foreign: number[] = [];
    let lines = 0;
    for (let i = 0; i < Math.max(runs, 5); i++) {
      await waitQuiet();
      const m0 = machineCpu();
      const c0 = childrenCpuMs();
      const r = await exec(process.execPath, [CLI, '--list']);
      const m1 = machineCpu();
      // --list starts no agents: the reaped child is the whole tree
      foreign.push(Math.max(0, (m1.busyMs - m0.busyMs - (childrenCpuMs() - c0)) / (m1.totalMs - m0.totalMs)));
      walls.push(r.wallMs);
      lines = Number(/(\d+) planned check runs/.exec(r.stdout)?.[1] ?? 0);
    }
    const cpuList = await cliRun(['--list'], 'list', 1);
    data.list = {
      command: `node ${CLI} --list`,
      walls,
      medianMs: median(walls),
      plannedRuns: lines,
      cpuMs: cpuList.cpuMs,
      maxRssMb: cpuList.maxRssMb,
      foreignShare: median(foreign),
    };
    process.stderr.write(`  list: ${ms(median(walls))} (cpu ${ms(cpuList.cpuMs)})\n`);
  }

  if (want('agent')) {
    const starts: number[] = [];
    for (let i = 0; i < runs; i++) {
      await waitQuiet();
      const a = await startAgent();
      starts.push(a.startMs);
      await a.stop();
    }
    data.agentStart = {
      command: 'PORT=0 node dist/reference-agents/v1/server.js   # until A2A_REFERENCE_READY',
      medianMs: median(starts),
      starts,
    };
    process.stderr.write(`  agent start: ${ms(median(starts))}\n`);
  }

  if (want('full'))
    sc.full = await scenario('full', 'Default targets.yaml (ref-v1, ref-v03, ref-v1-minimal), all suites', [], runs);
  if (want('one')) {
    sc.one = await scenario('one', 'ref-v1 alone (started by the harness), all suites', ['--target', 'ref-v1'], runs);
    sc.oneFast = await scenario(
      'one-no-slow',
      'ref-v1 alone, without the checks that need the 2 s `slow` trigger',
      ['--target', 'ref-v1', ...nonSlow.flatMap((id) => ['--grep', id])],
      runs,
    );
  }
  if (want('bindings'))
    for (const b of ['jsonrpc', 'rest', 'grpc'])
      sc[`binding-${b}`] = await scenario(
        `binding-${b}`,
        `ref-v1, ${b} cells only (and the card cells), without the slow-trigger checks`,
        ['--target', 'ref-v1', '--binding', b, ...nonSlow.flatMap((id) => ['--grep', id])],
        runs,
      );
  if (want('ten')) {
    const file = targetsFile(
      'targets-10.yaml',
      Array.from({ length: 10 }, (_, i) => startedRefV1(`ref-v1-${String(i + 1).padStart(2, '0')}`)),
    );
    sc.ten = await scenario(
      'ten',
      '10 copies of ref-v1, each started by the harness, one run',
      ['--config', relative(ROOT, file)],
      runs,
    );
  }
  if (want('critical')) {
    // The issue's case: a real SDK 1.3.0 server (1.0 only) whose slow task takes 3 s, default settings.
    const agent = await startAgent({ REF_AGENT_SLOW_MS: String(TARGETS.criticalSlowMs) });
    externalAgentPids = [agent.pid];
    try {
      const file = targetsFile('targets-critical.yaml', [urlTarget('slow-3s', agent.url)]);
      sc.critical = await scenario(
        'critical',
        `1 target → a pre-started ref-v1 whose \`slow\` task takes ${TARGETS.criticalSlowMs / 1000} s, ` +
          'protocol 1.0, default settings',
        ['--config', relative(ROOT, file), '--protocol', '1.0'],
        runs,
      );
    } finally {
      externalAgentPids = [];
      await agent.stop();
    }
  }
  if (want('shared')) {
    const agent = await startAgent();
    externalAgentPids = [agent.pid];
    try {
      const one = targetsFile('targets-shared-1.yaml', [urlRefV1('shared-01', agent.url)]);
      const ten = targetsFile(
        'targets-shared-10.yaml',
        Array.from({ length: 10 }, (_, i) => urlRefV1(`shared-${String(i + 1).padStart(2, '0')}`, agent.url)),
      );
      sc.sharedOne = await scenario(
        'shared-1',
        '1 target → one pre-started ref-v1',
        ['--config', relative(ROOT, one)],
        runs,
      );
      sc.sharedTen = await scenario(
        'shared-10',
        '10 targets → the same pre-started ref-v1',
        ['--config', relative(ROOT, ten)],
        runs,
      );
    } finally {
      externalAgentPids = [];
      await agent.stop();
    }
  }
  if (want('hostile')) sc.hostile = await hostileScenario(runs);
  data.scenarios = sc;

  if (want('sse'))
    data.sse = await sseBench(runs, Number(values['sse-bytes']), values['sse-sizes']!.split(',').map(Number));
  if (values.profile) data.profile = await profileRun();
  if (values.tck) data.tck = await tckRun(values.tck, runs);

  const stamp = machine.date.replace(/[:.]/g, '-');
  writeFileSync(join(TMP, `bench-${stamp}.json`), JSON.stringify(data, null, 2));
  const md = renderMarkdown(data as unknown as BenchData);
  if (!values['no-write']) writeFileSync(join(ROOT, 'bench', 'results.md'), md);
  process.stdout.write(md);
  return 0;
}

/**
 * The hostile run: the hostile agent (test/tools/hostile-agent.ts) in its own process (its CPU is agent CPU, not
 * harness CPU), one target per behaviour plus the healthy reference agent, as the hostile integration test runs it.
 */
async function hostileScenario(runs: number): Promise<Scenario> {
  const file = join(TMP, 'targets-hostile.yaml');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/tools/hostile-targets.ts', file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      if (out.includes('HOSTILE_TARGETS')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hostile agent exited with ${code}`)));
  });
  externalAgentPids = child.pid ? [child.pid] : [];
  const { HOSTILE_SECRET } = await import('../test/tools/hostile-agent.js');
  process.env.HOSTILE_TOKEN = HOSTILE_SECRET;
  try {
    const targets = readFileSync(file, 'utf8').match(/^ {2}- name:/gm)?.length ?? 0;
    return await scenario(
      'hostile',
      `Hostile run: ${targets - 1} hostile targets (test/tools/hostile-agent.ts) + the healthy ref-v1, all suites`,
      ['--config', relative(ROOT, file)],
      runs,
    );
  } finally {
    externalAgentPids = [];
    child.kill('SIGTERM');
  }
}

interface BenchData {
  quietWaitS: number;
  machine: {
    date: string;
    cores: number;
    cpu: string;
    memGiB: number;
    node: string;
    platform: string;
    commit: string;
    checks: number;
    suites: string[];
    slowChecks: string[];
  };
  runs: number;
  list?: {
    command: string;
    medianMs: number;
    walls: number[];
    plannedRuns: number;
    cpuMs: number;
    maxRssMb: number;
    foreignShare: number;
  };
  agentStart?: { command: string; medianMs: number };
  scenarios: Record<string, Scenario>;
  sse?: Awaited<ReturnType<typeof sseBench>>;
  profile?: Awaited<ReturnType<typeof profileRun>>;
  tck?: Awaited<ReturnType<typeof tckRun>>;
}

const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

/** The default run before issue 13 (bench/results.md of that commit), for "no slower than before". */
const BEFORE = { fullWallMs: 7760, source: 'the 2026-11-22 bench (commit 14ed698)' };

function renderMarkdown(d: BenchData): string {
  const m = d.machine;
  const s = d.scenarios;
  const L: string[] = [];
  L.push('# Benchmark results', '');
  L.push(
    `Generated by \`npm run bench\` (scripts/bench.ts) on ${m.date.slice(0, 10)}; medians of ${d.runs} runs ` +
      `unless said otherwise.`,
    '',
  );
  L.push('| Machine | |', '|---|---|');
  L.push(
    `| CPU | ${m.cores} × ${m.cpu} |`,
    `| Memory | ${m.memGiB} GiB |`,
    `| Node | ${m.node} (${m.platform}) |`,
    `| Date | ${m.date} |`,
  );
  L.push(
    `| Commit | ${m.commit} |`,
    `| Catalogue | ${m.checks} checks in ${m.suites.length} suites (${m.suites.join(', ')}) |`,
    '',
  );
  L.push(
    'Every CLI figure comes from the compiled CLI started as a child process. Harness CPU and peak RSS are the CLI',
    "process's own (`process.resourceUsage()` at exit, written by `bench/cpu-report.mjs`, preloaded through " +
      '`NODE_OPTIONS`;',
    'the agents the CLI starts load it too and report their own CPU separately). Wall time is spawn to exit, ' +
      'including Node',
    'start-up, agent start-up and report writing. All agents run on the same machine as the harness and ' +
      'share its cores.',
    '',
  );

  // Summary table against the design targets: issue 13's goals first, each with its ratio and where it comes from.
  const by = (key: string) => `\`npm run bench -- --only ${key}\``;
  const perCheck = (x?: CliRun) => (x?.results ? x.cpuMs / x.results : NaN);
  const checksStage = (x?: CliRun) => (x?.results && x.stages ? x.stages.checks!.cpuMs / x.results : NaN);
  const bound = (longestMs: number) => TARGETS.criticalFactor * longestMs + TARGETS.criticalSlackMs;
  L.push('## Goals (issue 13) and design targets', '');
  L.push('| Goal | Measured | Ratio | Verdict | Produced by |', '|---|---|---|---|---|');
  const crit = s.critical?.median;
  if (crit?.longest) {
    const b = bound(crit.longest.ms);
    L.push(
      `| Critical path: a default-settings run against one target lasts ≤ ${TARGETS.criticalFactor} × its ` +
        `longest check + ${TARGETS.criticalSlackMs / 1000} s (target's \`slow\` task: ` +
        `${TARGETS.criticalSlowMs / 1000} s) | wall ${sec(crit.wallMs)} (spawn to exit); longest check ` +
        `${crit.longest.id} ${ms(crit.longest.ms)}; bound ${sec(b)} | ` +
        `wall / bound **${(crit.wallMs / b).toFixed(2)}**;` +
        ` wall / longest ${(crit.wallMs / crit.longest.ms).toFixed(2)} | ${verdict(crit.wallMs <= b)} | ` +
        `${by('critical')} (scenario \`critical\`) |`,
    );
  }
  const one = s.one?.median;
  const oneFast = s.oneFast?.median;
  if (one?.longest) {
    const b = bound(one.longest.ms);
    L.push(
      `| Critical path, bundled ref-v1 (0.3 + 1.0, started by the harness, 2 s \`slow\`) | wall ` +
        `${sec(one.wallMs)} (agent start-up included); longest ${one.longest.id} ${ms(one.longest.ms)}; bound ` +
        `${sec(b)} | wall / bound **${(one.wallMs / b).toFixed(2)}** | ${verdict(one.wallMs <= b)} | ${by('one')} |`,
    );
  }
  const full = s.full?.median;
  if (full) {
    const perResult = perCheck(full);
    L.push(
      `| Harness CPU ≤ ${TARGETS.cpuPerCheckMs} ms per check result (default run, median of ${d.runs}) | ` +
        `${ms(full.cpuMs)} for ${full.results} results; checks stage alone ` +
        `${full.stages ? ms(full.stages.checks!.cpuMs) : '?'} | **${perResult.toFixed(2)} ms** per result ` +
        `(checks stage: ${checksStage(full).toFixed(2)} ms) | ${verdict(perResult <= TARGETS.cpuPerCheckMs)} | ` +
        `${by('full')} |`,
    );
  }
  if (s.sharedTen && s.sharedOne) {
    const ratio = s.sharedTen.median.wallMs / s.sharedOne.median.wallMs;
    const cpuFloor = (s.sharedTen.median.cpuMs + (s.sharedTen.median.agentsCpuMs ?? 0)) / Math.max(1, m.cores) / 1000;
    L.push(
      `| 10 targets on one pre-started agent ≤ ${TARGETS.tenVsOne} × one target | ` +
        `${sec(s.sharedTen.median.wallMs)} vs ${sec(s.sharedOne.median.wallMs)}; CPU floor of the 10-target run ` +
        `(harness + agent CPU / ${m.cores} cores) ${cpuFloor.toFixed(1)} s | **${ratio.toFixed(2)}×** | ` +
        `${verdict(ratio <= TARGETS.tenVsOne)} | ${by('shared')} |`,
    );
    L.push(
      `| Peak RSS ≤ ${TARGETS.rss10Mb} MB for those 10 targets | **${r1(s.sharedTen.median.maxRssMb)} MB** ` +
        `(1 target: ${r1(s.sharedOne.median.maxRssMb)} MB) | ` +
        `${(s.sharedTen.median.maxRssMb / TARGETS.rss10Mb).toFixed(2)} × the goal | ` +
        `${verdict(s.sharedTen.median.maxRssMb <= TARGETS.rss10Mb)} | ${by('shared')} |`,
    );
  }
  if (d.list)
    L.push(
      `| \`--list\` ≤ ${TARGETS.listMs} ms | **${ms(d.list.medianMs)}** (median of ${d.list.walls.length}) | ` +
        `${(d.list.medianMs / TARGETS.listMs).toFixed(2)} × the goal | ${verdict(d.list.medianMs <= TARGETS.listMs)}` +
        ` | ${by('list')} |`,
    );
  if (d.tck && 'ratio' in d.tck)
    L.push(
      `| Side by side with the official a2a-tck (same agent, 1.0) | TCK ${sec(d.tck.tckWallMs)}, harness ` +
        `${sec(d.tck.harness.wallMs)}; requirements: TCK ${d.tck.tckRequirements.length}, harness ` +
        `${d.tck.harnessRequirements.length} (${d.tck.harnessChecks} checks) | TCK / harness ` +
        `**${d.tck.ratio.toFixed(1)}×** | measured | \`npm run bench -- --only none --tck ${d.tck.dir}\` |`,
    );
  else
    L.push(
      `| Side by side with the official a2a-tck | ` +
        `${d.tck && 'error' in d.tck ? d.tck.error : 'not run (no local checkout given)'}` +
        ` | – | not measured | \`npm run bench -- --tck DIR\` |`,
    );
  if (full)
    L.push(
      `| The default run is no slower than before | ${sec(full.wallMs)} wall (before: ${sec(BEFORE.fullWallMs)} ` +
        `in ${BEFORE.source}) | ${(full.wallMs / BEFORE.fullWallMs).toFixed(2)} × before | ` +
        `${verdict(full.wallMs <= BEFORE.fullWallMs)} | ${by('full')} |`,
    );
  if (one && oneFast)
    L.push(
      `| (brief) One local target ≤ ${TARGETS.oneTargetWallS} s apart from the agent's deliberate waits | ` +
        `ref-v1 without the slow-trigger checks: **${sec(oneFast.wallMs)}**; with them ${sec(one.wallMs)} | ` +
        `${(oneFast.wallMs / (TARGETS.oneTargetWallS * 1000)).toFixed(2)} × the goal | ` +
        `${verdict(oneFast.wallMs <= TARGETS.oneTargetWallS * 1000)} | ${by('one')} |`,
    );
  if (s.ten && one)
    L.push(
      `| (brief) 10 targets ≤ ${TARGETS.tenVsOne}× one target, each started by the harness | ` +
        `${sec(s.ten.median.wallMs)} vs ${sec(one.wallMs)}; peak RSS ${r1(s.ten.median.maxRssMb)} MB | ` +
        `**${(s.ten.median.wallMs / one.wallMs).toFixed(2)}×** | ` +
        `${verdict(s.ten.median.wallMs / one.wallMs <= TARGETS.tenVsOne)} | ${by('ten')} |`,
    );
  if (s.hostile)
    L.push(
      `| Hostile run (every behaviour of test/tools/hostile-agent.ts + the healthy ref-v1): peak RSS ≤ ` +
        `${TARGETS.hostileRssMb} MB | **${r1(s.hostile.median.maxRssMb)} MB**, wall ${sec(s.hostile.median.wallMs)}, ` +
        `${s.hostile.median.results} results, exit ${s.hostile.median.code} | ` +
        `${(s.hostile.median.maxRssMb / TARGETS.hostileRssMb).toFixed(2)} × the goal | ` +
        `${verdict(s.hostile.median.maxRssMb <= TARGETS.hostileRssMb)} | ${by('hostile')} |`,
    );
  if (d.sse) {
    const rows = d.sse.rows
      .map(
        (r) =>
          `${r.eventBytes >= 1024 ? `${r.eventBytes / 1024} KiB` : `${r.eventBytes} B`} events: +` +
          `${r.median.deltaRssMb} MB peak, ${r.median.retainedHeapMb} MB retained`,
      )
      .join('; ');
    const bounded = d.sse.rows.every((r) => r.median.deltaRssMb < 150);
    L.push(
      `| (brief) 1 GiB SSE stream read in bounded memory | ${rows} | – | ` +
        `${bounded ? '✅ met' : '❌ missed for large events'} | ${by('sse')} |`,
    );
  }
  if (one)
    L.push(
      `| (brief) Official a2a-tck: ~${TARGETS.tckS} s for its 1.0 suite (against an @a2a-js/sdk 1.x server) | ` +
        `ref-v1, 0.3 and 1.0, all three bindings: ${sec(one.wallMs)} for ${one.results} results | ` +
        `${((TARGETS.tckS * 1000) / one.wallMs).toFixed(0)}× faster | – | ${by('one')} |`,
    );
  L.push('');

  // CPU per stage.
  const staged = Object.values(s).filter((x) => x.median.stages);
  if (staged.length) {
    L.push('## Harness CPU per stage', '');
    L.push(
      "From the CLI's stage marks (`src/core/stages.ts`, published on a diagnostics channel that only the " +
        "benchmark's preload listens to): CPU of the CLI process between consecutive marks, median of the runs. " +
        '_Agents + discovery_ ends when the first target starts its checks (targets overlap after that).',
      '',
    );
    L.push(
      `| Scenario | Results | ${STAGES.join(' | ')} | Checks stage per result |`,
      `|---|---|${STAGES.map(() => '---').join('|')}|---|`,
    );
    for (const x of staged) {
      const st = x.median.stages!;
      L.push(
        `| ${x.key} | ${x.median.results} | ${STAGES.map((n) => ms(st[n]?.cpuMs ?? NaN)).join(' | ')} | ` +
          `${checksStage(x.median).toFixed(2)} ms |`,
      );
    }
    L.push('');
  }

  // Scenario details.
  L.push('## CLI runs', '');
  L.push(
    '| Scenario | Wall | In-harness run | Results | Harness CPU | CPU / result | Agents CPU | Peak RSS | ' +
      'Slowest check | Other load | Exit |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const x of Object.values(s)) {
    const r = x.median;
    const agentsCpu = r.agentsCpuMs ?? NaN;
    L.push(
      `| ${x.title} | ${sec(r.wallMs)} | ${r.durationMs !== undefined ? sec(r.durationMs) : '–'} | ` +
        `${r.results} | ${ms(r.cpuMs)} (user ${ms(r.userMs)}, sys ${ms(r.systemMs)}) | ` +
        `${perCheck(r).toFixed(2)} ms | ${Number.isNaN(agentsCpu) ? '?' : ms(agentsCpu)} | ${r1(r.maxRssMb)} ` +
        `MB${r.rssPeakAtMs !== undefined ? ` (at ${sec(r.rssPeakAtMs)})` : ''} | ` +
        `${r.longest ? `${r.longest.id} ${ms(r.longest.ms)}` : '–'} | ${pct(r.foreignShare)}` +
        `${r.load1 !== undefined && !Number.isNaN(r.load1) ? ` (load ${r.load1})` : ''} | ${r.code} |`,
    );
  }
  L.push(
    '',
    `*In-harness run*: \`run.durationMs\` of results.json (agent start to last result; excludes Node ` +
      `start-up, module loading and report writing). *Agents CPU*: CPU of the agent processes the CLI started ` +
      `(each reports its own \`process.resourceUsage()\` at exit; the same preload reaches them through ` +
      `\`NODE_OPTIONS\`), or of the pre-started shared agent (read from /proc). *Peak RSS (at)*: getrusage ` +
      `maxRSS of the CLI; when it happened, from 50 ms VmRSS samples (seconds after spawn). *Other load*: ` +
      `(with the 1-minute load average from /proc/loadavg, as \`uptime\` shows it, at the start of the run) ` +
      `share of the machine's CPU used by processes outside this benchmark during the run (the machine may be ` +
      `shared; each run first waits up to ${d.quietWaitS ?? '?'} s for it to go quiet).`,
  );
  L.push('', 'Commands (N = run number; wall times of each run are in bench/tmp/bench-*.json):', '');
  for (const x of Object.values(s))
    L.push(
      `- ${x.title}:`,
      `  \`${x.command.length > 400 ? `${x.command.slice(0, 400)} … (one --grep per check)` : x.command}\``,
    );
  L.push('');
  for (const x of Object.values(s)) {
    if (!x.median.targetMs) continue;
    const t = Object.entries(x.median.targetMs);
    if (t.length > 1 && t.length <= 3)
      L.push(`- ${x.key}: per-target duration ${t.map(([n, v]) => `${n} ${sec(v)}`).join(', ')}.`);
    if (x.median.outcomes)
      L.push(
        `- ${x.key}: outcomes ${Object.entries(x.median.outcomes)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
      );
  }
  L.push('');

  L.push('## Deliberate waits (agent time, not harness time)', '');
  L.push(
    `- The \`slow\` trigger runs for 2 s by design (a working update every 400 ms, then the artifact); ` +
      `${m.slowChecks.length} checks need it (${m.slowChecks.join(', ')}). They run concurrently, so one 2 s ` +
      `wait sits on the critical path of each target; the slowest of them took ` +
      `${s.one?.median.slowMaxMs !== undefined ? ms(s.one.median.slowMaxMs) : '?'} on ref-v1 (2 s of it the ` +
      `agent's script).`,
  );
  L.push('- The `task` trigger takes about 0.1 s (3 artifact chunks 25 ms apart).');
  if (d.agentStart)
    L.push(
      `- Starting one reference agent (\`${d.agentStart.command}\`): ${ms(d.agentStart.medianMs)} (median); ` +
        `in a run it overlaps nothing of its own target, so it is part of every \`start:\` target's wall time.`,
    );
  if (one && oneFast)
    L.push(
      `- ref-v1 with and without the slow-trigger checks: ${sec(one.wallMs)} vs ${sec(oneFast.wallMs)} wall; ` +
        `${one.results} vs ${oneFast.results} results.`,
    );
  L.push('');

  if (d.tck && 'ratio' in d.tck) {
    const t = d.tck;
    const byStatus = new Map<string, number>();
    for (const r of t.tckRequirements) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    L.push('## Side by side with the official a2a-tck', '');
    L.push(
      `Both tools against one pre-started ref-v1 (the 1.x agent honours the TCK's messageId-prefix contract). ` +
        `TCK: \`${t.command}\` — ${sec(t.tckWallMs)} wall, exit ${t.tckExit}. Harness: \`${t.harnessCommand}\` — ` +
        `${sec(t.harness.wallMs)} wall, ${t.harness.results} results. Ratio TCK / harness: ` +
        `**${t.ratio.toFixed(1)}×**.`,
      '',
      `- TCK requirements exercised (${t.tckRequirements.length}; ` +
        `${[...byStatus].map(([k, v]) => `${v} ${k}`).join(', ')}): ` +
        `${t.tckRequirements.map((r) => `${r.id} (${r.level}, ${r.status})`).join(', ')}.`,
      `- Harness requirements exercised on 1.0 (${t.harnessRequirements.length}, by ${t.harnessChecks} checks ` +
        `that ran): ${t.harnessRequirements.join(', ')}.`,
      "- The two tools number requirements differently (TCK ids vs this harness's S10-xx from " +
        '`requirements/a2a-1.0.yaml`); both lists are given as each tool reports them.',
      '',
    );
  }

  if (d.list) {
    L.push(
      '## `--list`',
      '',
      `\`${d.list.command}\`: median ${ms(d.list.medianMs)} wall over ${d.list.walls.length} runs ` +
        `(${d.list.walls.map((w) => Math.round(w)).join(', ')} ms), ${d.list.plannedRuns} planned check runs ` +
        `printed; CLI CPU ${ms(d.list.cpuMs)}, peak RSS ${r1(d.list.maxRssMb)} MB, other load on the machine ` +
        `${pct(d.list.foreignShare)}. This is also the fixed cost (Node start-up, module loading, config) ` +
        `inside every run above.`,
      '',
    );
  }

  if (d.sse) {
    L.push('## 1 GiB SSE stream through HttpSession', '');
    L.push(
      `Fixture (separate process): \`${d.sse.fixture}\`. Reader (separate process, compiled ` +
        `\`dist/src/http/undici-session.js\`, \`createHttpSession(...).sse(...)\` with a byte cap of twice the ` +
        `stream, every event consumed by \`for await\`): \`${d.sse.command}\`.`,
      '',
    );
    L.push(
      'Peak RSS delta = peak RSS during the read minus RSS after a warm-up read (VmHWM and 20 ms samples). ' +
        'Retained = heap still held after the stream ended and a forced GC (the recorded events of the ' +
        'transcript).',
      '',
    );
    L.push(
      '| Event size | Events | Throughput | CPU | Peak RSS (delta) | Peak heap | Retained after GC | End |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of d.sse.rows) {
      const x = r.median;
      L.push(
        `| ${r.eventBytes} B | ${x.events} | ${x.mbPerS} MB/s | ${ms(x.cpuMs)} | ${x.peakRssMb} MB ` +
          `(+${x.deltaRssMb} MB) | ${x.peakHeapMb} MB | ${x.retainedHeapMb} MB | ${x.end} |`,
      );
    }
    L.push('');
  }

  if (d.profile) {
    const p = d.profile;
    L.push(
      '## Where the harness CPU goes (ref-v1, `--cpu-prof`)',
      '',
      `\`${p.command}\` — ${ms(p.totalMs)} of sampled non-idle CPU.`,
      '',
    );
    L.push('| Area (self time) | ms | share |', '|---|---|---|');
    for (const [a, v] of p.areas) L.push(`| ${a} | ${Math.round(v)} | ${((v / p.totalMs) * 100).toFixed(1)}% |`);
    L.push('', '| Hottest functions (self time) | ms |', '|---|---|');
    for (const [f, v] of p.functions) L.push(`| \`${f.replace(/\|/g, '\\|')}\` | ${Math.round(v)} |`);
    L.push('', '| Harness functions (inclusive time) | ms |', '|---|---|');
    for (const [f, v] of p.inclusive) L.push(`| \`${f.replace(/\|/g, '\\|')}\` | ${Math.round(v)} |`);
    L.push('');
  }
  const notes = join(ROOT, 'bench', 'notes.md');
  if (existsSync(notes)) L.push(readFileSync(notes, 'utf8').trim(), '');
  return `${L.join('\n')}\n`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
