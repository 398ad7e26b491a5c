/**
 * The kill matrix: every fault of test/faults/ runs the real harness (runConformance, in-process) against a reference
 * agent behind a fault proxy, and is compared with a baseline run through the same proxy without a fault.
 *
 * A fault KILLS check C in cell (version, binding) when C is fail or warn there with the fault (info for a MAY check,
 * whose violations can be nothing else) and pass in the baseline of the same (agent, agentOptions, narrowing). Agents
 * start in-process once per (agent, agentOptions);
 * baselines run once per narrowing, before the faults that need them; every fault gets its own proxy.
 *
 * Used by scripts/selftest-faults.ts (writes reports/kill-matrix.md and reports/kill-matrix.json) and by
 * test/integration/kill-matrix.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { idMatcher } from '../../src/checks/registry.js';
import type { CheckDefinition } from '../../src/checks/types.js';
import type { ResolvedTarget } from '../../src/config/types.js';
import type { Binding, Outcome, ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import type { CheckResult } from '../../src/results/types.js';
import { runConformance } from '../../src/runner/run.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { agentKey, agentLabel, type FaultCase } from './fault-case.js';
import { CORE_SUITES, coveredSuites as coveredSuitesOf } from './kill-matrix-doc.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { referenceTarget } from '../helpers/reference-target.js';
import { startGateway } from '../../reference-agents/gateway/server.js';

/** The bundled gateway's key in gateway faults (a throwaway test credential, redacted like any header value). */
const GATEWAY_KEY = 'kill-matrix-gateway-key-7f3a';
const DIRECT = 'direct';

/**
 * A fault as the matrix runs it. `baseline` (optional, used by fault modules whose checks the plain reference agents
 * cannot pass, e.g. because the SDK itself deviates): a conformant emulation the baseline run goes through instead of
 * the plain proxy; the fault is then that emulation with exactly one defect.
 */
export type MatrixFault = FaultCase & { baseline?: Fault };

export { CORE_SUITES };

/** CORE_SUITES plus every suite that has a fault module of its name (test/faults/<suite>.ts). */
export function coveredSuites(moduleNames: string[], catalogue: CheckDefinition[] = ALL_CHECKS): string[] {
  return coveredSuitesOf(moduleNames, catalogue);
}

export type KillProgress =
  | { type: 'agent-started'; agent: string; url: string }
  | { type: 'baseline-done'; key: string; durationMs: number; results: number }
  | { type: 'fault-done'; fault: FaultResult; done: number; total: number };

export interface KillMatrixOptions {
  faults: MatrixFault[];
  /** Harness runs in flight at once (baselines and faults). Default 6. */
  concurrency?: number;
  onProgress?: (e: KillProgress) => void;
  /** The catalogue (default ALL_CHECKS). */
  checks?: CheckDefinition[];
  /** Suites whose checks must all be killed (default CORE_SUITES). */
  suites?: string[];
  /**
   * Let the in-process agents log (the SDKs console.error every rejected request and console.info every push).
   * Default false: console.log/info/debug/warn/error are muted while the matrix runs, then restored.
   */
  agentLogs?: boolean;
}

export interface CellRef {
  version: ProtocolVersion;
  binding: Binding | null;
}

export interface KilledCheck {
  checkId: string;
  /** Listed in the fault's `kills`, or collateral. */
  expected: boolean;
  cells: (CellRef & { outcome: Outcome; message: string })[];
}

export interface FaultResult {
  name: string;
  description: string;
  agent: FaultCase['agent'];
  agentOptions?: FaultCase['agentOptions'];
  /** Name of the emulation the baseline ran through, when not the plain proxy. */
  baseline?: string;
  kills: string[];
  narrowing: Narrowing;
  killed: KilledCheck[];
  /** Entries of `kills` that matched no killed check. */
  missingKills: string[];
  /**
   * Listed kills that were killed somewhere but passed in other cells where the baseline passes too: the fault does
   * not apply there, or the check has a blind spot in that cell. Informational.
   */
  partialKills: { checkId: string; survivedIn: CellRef[] }[];
  /** A benign variant (kills nothing by design; ok when no check fails with it). */
  benign?: boolean;
  /** Benign variants: checks that FAIL with it where the baseline did not fail (false failures). */
  falseFailures?: (CellRef & { checkId: string; baseline?: Outcome; message: string })[];
  /** Fault: killed something, and every listed kill. Benign variant: no false failure. */
  ok: boolean;
  durationMs: number;
  /** Fresh baseline/fault pairs run because the first baseline did not pass where a listed kill was expected. */
  retries?: number;
  /** Harness or proxy failure (the fault then counts as surviving). */
  error?: string;
  /** Checks of the run that were not fail/warn-after-pass, with both outcomes, for diagnosis of missing kills. */
  notKilled: (CellRef & { checkId: string; baseline?: Outcome; fault: Outcome; message: string })[];
}

export interface CheckCoverage {
  id: string;
  suite: string;
  level: string;
  killedBy: string[];
}

export interface BaselineInfo {
  key: string;
  agent: FaultCase['agent'];
  agentOptions?: FaultCase['agentOptions'];
  baseline?: string;
  narrowing: Narrowing;
  durationMs: number;
  /** Results that are not pass (they can never be killed in that cell). */
  notPassing: (CellRef & { checkId: string; outcome: Outcome; message: string })[];
}

export interface KillMatrix {
  generatedAt: string;
  durationMs: number;
  suites: string[];
  faults: FaultResult[];
  checks: CheckCoverage[];
  /** Faults that killed nothing (benign variants are not faults). */
  surviving: string[];
  /** Benign variants some check FAILS (false failures of the harness). */
  falselyFailed: string[];
  /** Faults that missed at least one listed kill. */
  incomplete: string[];
  /** Checks of the covered suites that no fault kills. */
  unkilled: string[];
  /**
   * Cells (check × version × binding) of the covered suites that pass in some baseline but that no fault kills:
   * places where the check is never shown to fail. Informational (the verdict is per check).
   */
  uncoveredCells: (CellRef & { checkId: string })[];
  baselines: BaselineInfo[];
}

interface Narrowing {
  grep: string[];
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
}

/** Fresh baseline/fault pairs tried when a listed kill was missed only because the baseline did not pass. */
const RETRIES = 2;

/**
 * Some listed kill is missing, and in some cell of that check the baseline was not a pass (while the fault run ran it).
 */
function baselineFlaked(v: Pick<FaultResult, 'missingKills' | 'notKilled'>): boolean {
  return v.missingKills.some((k) => {
    const match = idMatcher(k);
    return v.notKilled.some(
      (n) => match(n.checkId) && n.baseline !== undefined && n.baseline !== 'pass' && n.baseline !== 'skip',
    );
  });
}

/** A violation shows as fail (MUST), warn (SHOULD, or an ambiguous MUST) or, for MAY checks, info. */
const isKillOutcome = (o: Outcome | undefined, level: string | undefined) =>
  o === 'fail' || o === 'warn' || (o === 'info' && level === 'MAY');
const cellKey = (r: Pick<CheckResult, 'checkId' | 'version' | 'binding'>) =>
  `${r.checkId}|${r.version}|${r.binding ?? '-'}`;

/** The narrowing a fault runs under: its own, or (FaultCase default) the suites of the checks it must kill. */
/** Whether a fault touches gRPC at all (otherwise it can only affect the HTTP bindings). */
const GRPC_HOOKS = ['grpcRequest', 'grpcIntercept', 'grpcMessage', 'grpcHeaders', 'grpcStatus'] as const;
export const isGrpcFault = (f: FaultCase): boolean => GRPC_HOOKS.some((k) => f[k] !== undefined);

export function narrowingOf(f: FaultCase): Narrowing {
  if (f.benign && !f.grep?.length) throw new Error(`benign variant ${f.name} needs a grep (the checks it must pass)`);
  if (f.benign && f.kills.length) throw new Error(`benign variant ${f.name} lists kills`);
  const grep = f.grep?.length ? [...f.grep] : [...new Set(f.kills.map((k) => `${k.split('.')[0]}.**`))];
  // A fault with only HTTP hooks cannot reach a gRPC cell: those cells are left out unless the fault names them.
  const bindings = f.bindings ?? (isGrpcFault(f) ? undefined : (['jsonrpc', 'rest'] as Binding[]));
  return {
    grep: grep.sort(),
    ...(f.protocols ? { protocols: [...f.protocols].sort() } : {}),
    ...(bindings ? { bindings: [...bindings].sort() } : {}),
  };
}

const baselineKey = (f: MatrixFault) =>
  `${agentKey(f)} ${JSON.stringify(narrowingOf(f))}` +
  `${f.targetHeaders ? ` headers:${JSON.stringify(f.targetHeaders)}` : ''}` +
  `${f.specProfile ? ` profile:${f.specProfile}` : ''}` +
  `${f.production !== undefined ? ` production:${f.production}` : ''}` +
  `${f.baseline ? ` via ${f.baseline.name}` : ''}` +
  `${f.gateway ? ' through the gateway' : ''}`;

function targetFor(
  name: string,
  url: string,
  agent: FaultCase['agent'],
  headers: Record<string, string> = {},
  specProfile?: SpecProfile,
): ResolvedTarget {
  const t = referenceTarget({ name, url, agent, headers, tags: ['kill-matrix'], source: 'test/tools/kill-matrix.ts' });
  return specProfile ? { ...t, specProfile } : t;
}

/**
 * A gateway fault's run: the agent direct (`upstreamUrl`) and through the bundled gateway with `deviations`; the
 * gateway target's results only.
 */
async function runThroughGateway(
  name: string,
  upstreamUrl: string,
  f: FaultCase,
  n: Narrowing,
  catalogue: CheckDefinition[],
  deviations: NonNullable<FaultCase['gateway']>['deviations'],
): Promise<CheckResult[]> {
  const gw = await startGateway({ upstream: upstreamUrl, agent: 'ref', key: GATEWAY_KEY, deviations });
  try {
    const direct = targetFor(DIRECT, upstreamUrl, f.agent, f.targetHeaders, f.specProfile);
    const through: ResolvedTarget = {
      ...targetFor(name, gw.baseUrl, f.agent, { Authorization: `Bearer ${GATEWAY_KEY}` }),
      upstream: DIRECT,
    };
    return (await runOnce(name, gw.baseUrl, f, n, catalogue, [direct, through])).filter((r) => r.target === name);
  } finally {
    await gw.close();
  }
}

async function runOnce(
  name: string,
  url: string,
  f: FaultCase,
  n: Narrowing,
  catalogue: CheckDefinition[],
  targets?: ResolvedTarget[],
): Promise<CheckResult[]> {
  const matchers = n.grep.map(idMatcher);
  const checks = catalogue.filter((c) => matchers.some((m) => m(c.id)));
  if (checks.length === 0) throw new Error(`grep ${n.grep.join(', ')} matches no check`);
  const outDir = mkdtempSync(join(tmpdir(), 'a2a-kill-'));
  try {
    const { results } = await runConformance({
      targets: targets ?? [
        {
          ...targetFor(name, url, f.agent, f.targetHeaders, f.specProfile),
          ...(f.production !== undefined ? { production: f.production } : {}),
        },
      ],
      checks,
      knownCheckIds: catalogue.map((c) => c.id),
      protocols: n.protocols,
      bindings: n.bindings,
      strict: false,
      concurrency: 32,
      outDir,
      argv: ['kill-matrix', name],
      grep: n.grep,
    });
    const t = results.targets.find((x) => x.name === name);
    if (t && t.status !== 'tested' && results.results.length === 0)
      throw new Error(`target ${t.status}: ${t.statusMessage ?? ''}`);
    return results.results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function runKillMatrix(opts: KillMatrixOptions): Promise<KillMatrix> {
  const started = Date.now();
  const catalogue = opts.checks ?? ALL_CHECKS;
  const levels = new Map(catalogue.map((c) => [c.id, c.level as string]));
  const suites = opts.suites ?? CORE_SUITES;
  const limit = pLimit(opts.concurrency ?? 6);
  const agents = new Map<string, Promise<{ baseUrl: string; close(): Promise<void> }>>();
  const plainProxies = new Map<string, Promise<FaultProxy>>();
  const proxies: Promise<FaultProxy>[] = [];
  const baselines = new Map<string, Promise<{ info: BaselineInfo; byCell: Map<string, CheckResult> }>>();

  const agentFor = (f: FaultCase) => {
    const key = agentKey(f);
    let a = agents.get(key);
    if (!a) {
      const o = { ...f.agentOptions, port: 0 };
      a = (f.agent === 'v1' ? startV1Agent(o) : startV03Agent(o)).then((x) => {
        opts.onProgress?.({ type: 'agent-started', agent: agentLabel(f), url: x.baseUrl });
        return x;
      });
      agents.set(key, a);
    }
    return a;
  };
  const proxy = (upstream: string, fault?: Fault) => {
    const p = startFaultProxy(upstream, fault);
    proxies.push(p);
    return p;
  };
  const baselineProxy = async (f: MatrixFault) => {
    const agent = await agentFor(f);
    const viaKey = `${agentKey(f)}${f.baseline ? ` via ${f.baseline.name}` : ''}`;
    let via = plainProxies.get(viaKey);
    if (!via) {
      via = proxy(agent.baseUrl, f.baseline);
      plainProxies.set(viaKey, via);
    }
    return via;
  };
  /** A fresh baseline (retries), not shared. */
  /** A baseline run: through the baseline proxy, and for gateway faults also through the transparent gateway. */
  const runBaseline = async (name: string, f: MatrixFault, narrowing: Narrowing) => {
    const via = (await baselineProxy(f)).url;
    return f.gateway
      ? runThroughGateway(name, via, f, narrowing, catalogue, [])
      : runOnce(name, via, f, narrowing, catalogue);
  };
  /** The fault's run: the fault proxy, or for gateway faults the baseline proxy behind the deviating gateway. */
  const runFaulty = async (f: MatrixFault, narrowing: Narrowing, p: FaultProxy | undefined) =>
    f.gateway
      ? runThroughGateway(f.name, (await baselineProxy(f)).url, f, narrowing, catalogue, f.gateway.deviations)
      : runOnce(f.name, p!.url, f, narrowing, catalogue);
  const runBaselineOnce = async (f: MatrixFault) => {
    const results = await runBaseline(`baseline ${agentLabel(f)} (retry)`, f, narrowingOf(f));
    return new Map(results.map((r) => [cellKey(r), r]));
  };
  const baselineFor = (f: MatrixFault) => {
    const key = baselineKey(f);
    let b = baselines.get(key);
    if (!b) {
      b = limit(async () => {
        const t0 = Date.now();
        const narrowing = narrowingOf(f);
        const results = await runBaseline(`baseline ${agentLabel(f)}`, f, narrowing);
        const info: BaselineInfo = {
          key,
          agent: f.agent,
          ...(f.agentOptions ? { agentOptions: f.agentOptions } : {}),
          ...(f.baseline ? { baseline: f.baseline.name } : {}),
          narrowing,
          durationMs: Date.now() - t0,
          notPassing: results
            .filter((r) => r.outcome !== 'pass')
            .map((r) => ({
              checkId: r.checkId,
              version: r.version,
              binding: r.binding,
              outcome: r.outcome,
              message: r.message,
            })),
        };
        opts.onProgress?.({ type: 'baseline-done', key, durationMs: info.durationMs, results: results.length });
        return { info, byCell: new Map(results.map((r) => [cellKey(r), r])) };
      });
      baselines.set(key, b);
    }
    return b;
  };

  let done = 0;
  const runFault = async (f: MatrixFault): Promise<FaultResult> => {
    const narrowing = narrowingOf(f);
    const base: Omit<FaultResult, 'killed' | 'missingKills' | 'partialKills' | 'ok' | 'durationMs' | 'notKilled'> = {
      name: f.name,
      description: f.description,
      agent: f.agent,
      ...(f.agentOptions ? { agentOptions: f.agentOptions } : {}),
      ...(f.baseline ? { baseline: f.baseline.name } : {}),
      kills: f.kills,
      narrowing,
      ...(f.benign ? { benign: true } : {}),
    };
    let baseline: Awaited<ReturnType<typeof baselineFor>>;
    try {
      baseline = await baselineFor(f);
    } catch (e) {
      return {
        ...base,
        killed: [],
        missingKills: f.kills,
        partialKills: [],
        ok: false,
        durationMs: 0,
        error: `baseline failed: ${(e as Error).message}`,
        notKilled: [],
      };
    }
    return limit(async () => {
      const t0 = Date.now();
      let p: FaultProxy | undefined;
      try {
        const agent = await agentFor(f);
        if (!f.gateway) p = await startFaultProxy(agent.baseUrl, f);
        let verdict = judge(f, await runFaulty(f, narrowing, p), baseline.byCell, levels);
        // A listed kill missed only because the baseline did not pass in the cell is a timing flake of the baseline
        // (e.g. under load): run a fresh baseline/fault pair, at most RETRIES times, and say so in the result.
        let retries = 0;
        while (retries < RETRIES && baselineFlaked(verdict)) {
          retries++;
          const fresh = await runBaselineOnce(f);
          verdict = judge(f, await runFaulty(f, narrowing, p), fresh, levels);
        }
        return { ...base, ...verdict, durationMs: Date.now() - t0, ...(retries ? { retries } : {}) };
      } catch (e) {
        return {
          ...base,
          killed: [],
          missingKills: f.kills,
          partialKills: [],
          ok: false,
          durationMs: Date.now() - t0,
          error: (e as Error).stack ?? String(e),
          notKilled: [],
        };
      } finally {
        await p?.close().catch(() => undefined);
      }
    });
  };

  const faultResults: FaultResult[] = [];
  const restoreConsole = opts.agentLogs ? () => undefined : muteConsole();
  try {
    // Queue every baseline first, so faults never wait behind each other for one.
    for (const f of opts.faults) void baselineFor(f).catch(() => undefined);
    await Promise.all(
      opts.faults.map(async (f) => {
        const r = await runFault(f);
        faultResults.push(r);
        opts.onProgress?.({ type: 'fault-done', fault: r, done: ++done, total: opts.faults.length });
      }),
    );
  } finally {
    await Promise.all(proxies.map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
    await Promise.all(
      [...agents.values()].map(async (a) => (await a.catch(() => undefined))?.close().catch(() => undefined)),
    );
    restoreConsole();
  }

  const order = new Map(opts.faults.map((f, i) => [f.name, i]));
  faultResults.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  const covered = catalogue.filter((c) => suites.includes(c.suite));
  const checks: CheckCoverage[] = covered.map((c) => ({
    id: c.id,
    suite: c.suite,
    level: c.level,
    killedBy: faultResults.filter((r) => r.killed.some((k) => k.checkId === c.id)).map((r) => r.name),
  }));
  const baselineInfos = await Promise.all(
    [...baselines.values()].map((b) =>
      b.then(
        (x) => x.info,
        () => undefined,
      ),
    ),
  );
  return {
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    suites,
    faults: faultResults,
    checks,
    surviving: faultResults.filter((r) => !r.benign && r.killed.length === 0).map((r) => r.name),
    falselyFailed: faultResults.filter((r) => r.benign && !r.ok).map((r) => r.name),
    incomplete: faultResults.filter((r) => !r.benign && r.missingKills.length > 0).map((r) => r.name),
    unkilled: checks.filter((c) => c.killedBy.length === 0).map((c) => c.id),
    uncoveredCells: uncoveredCells(faultResults, new Set(covered.map((c) => c.id))),
    baselines: baselineInfos.filter((b): b is BaselineInfo => b !== undefined),
  };
}

function uncoveredCells(results: FaultResult[], covered: Set<string>): KillMatrix['uncoveredCells'] {
  const key = (id: string, c: CellRef) => `${id}|${c.version}|${c.binding ?? '-'}`;
  const killed = new Set(results.flatMap((f) => f.killed.flatMap((k) => k.cells.map((c) => key(k.checkId, c)))));
  const open = new Map<string, KillMatrix['uncoveredCells'][number]>();
  for (const f of results) {
    for (const n of f.notKilled) {
      if (n.baseline !== 'pass' || !covered.has(n.checkId) || killed.has(key(n.checkId, n))) continue;
      open.set(key(n.checkId, n), { checkId: n.checkId, version: n.version, binding: n.binding });
    }
  }
  return [...open.values()].sort((a, b) => key(a.checkId, a).localeCompare(key(b.checkId, b)));
}

/** Silence console output (the in-process SDK agents log every rejected request); returns the restore function. */
function muteConsole(): () => void {
  const names = ['log', 'info', 'debug', 'warn', 'error'] as const;
  const saved = names.map((n) => console[n]);
  for (const n of names) console[n] = () => undefined;
  return () =>
    names.forEach((n, i) => {
      console[n] = saved[i]!;
    });
}

function judge(
  f: FaultCase,
  results: CheckResult[],
  baseline: Map<string, CheckResult>,
  levels: Map<string, string>,
): Pick<FaultResult, 'killed' | 'missingKills' | 'partialKills' | 'ok' | 'notKilled' | 'falseFailures'> {
  if (f.benign) {
    const falseFailures = results
      .filter((r) => r.outcome === 'fail' && baseline.get(cellKey(r))?.outcome !== 'fail')
      .map((r) => ({
        checkId: r.checkId,
        version: r.version,
        binding: r.binding,
        ...(baseline.get(cellKey(r)) ? { baseline: baseline.get(cellKey(r))!.outcome } : {}),
        message: r.message,
      }));
    const notKilled = results.map((r) => ({
      checkId: r.checkId,
      version: r.version,
      binding: r.binding,
      ...(baseline.get(cellKey(r)) ? { baseline: baseline.get(cellKey(r))!.outcome } : {}),
      fault: r.outcome,
      message: r.message,
    }));
    return {
      killed: [],
      missingKills: [],
      partialKills: [],
      ok: falseFailures.length === 0 && results.length > 0,
      notKilled,
      falseFailures,
    };
  }
  const expected = f.kills.map((k) => ({ pattern: k, match: idMatcher(k) }));
  const killed = new Map<string, KilledCheck>();
  const notKilled: FaultResult['notKilled'] = [];
  for (const r of results) {
    const b = baseline.get(cellKey(r));
    if (isKillOutcome(r.outcome, levels.get(r.checkId)) && b?.outcome === 'pass') {
      let k = killed.get(r.checkId);
      if (!k) {
        k = { checkId: r.checkId, expected: expected.some((e) => e.match(r.checkId)), cells: [] };
        killed.set(r.checkId, k);
      }
      k.cells.push({ version: r.version, binding: r.binding, outcome: r.outcome, message: r.message });
    } else {
      notKilled.push({
        checkId: r.checkId,
        version: r.version,
        binding: r.binding,
        ...(b ? { baseline: b.outcome } : {}),
        fault: r.outcome,
        message: r.message,
      });
    }
  }
  const list = [...killed.values()].sort(
    (a, b) => Number(b.expected) - Number(a.expected) || a.checkId.localeCompare(b.checkId),
  );
  for (const k of list) k.cells.sort((a, b) => `${a.version}${a.binding}`.localeCompare(`${b.version}${b.binding}`));
  const missingKills = expected.filter((e) => !list.some((k) => e.match(k.checkId))).map((e) => e.pattern);
  const partialKills = list
    .filter((k) => k.expected)
    .map((k) => ({
      checkId: k.checkId,
      survivedIn: notKilled
        .filter((n) => n.checkId === k.checkId && n.baseline === 'pass')
        .map((n) => ({ version: n.version, binding: n.binding })),
    }))
    .filter((p) => p.survivedIn.length > 0);
  return { killed: list, missingKills, partialKills, ok: list.length > 0 && missingKills.length === 0, notKilled };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const cellName = (c: CellRef) => `${c.version}${c.binding ? `/${c.binding}` : ''}`;
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * reports/kill-matrix.md, the results of a run: summary, fault × check grid per suite (listed and collateral kills),
 * then per-check and per-fault tables with the cells each fault killed in.
 */
export function renderMarkdown(m: KillMatrix): string {
  const out: string[] = [];
  const ok =
    m.surviving.length === 0 && m.incomplete.length === 0 && m.unkilled.length === 0 && m.falselyFailed.length === 0;
  const faults = m.faults.filter((f) => !f.benign);
  const benign = m.faults.filter((f) => f.benign);
  out.push('# Kill matrix', '');
  out.push(
    'Results of a run of `npm run selftest:faults` (`scripts/selftest-faults.ts`), ' +
      `${m.generatedAt}. The claims it proves are in docs/kill-matrix.md (\`npm run gen:docs\`).`,
    '',
  );
  out.push(
    'Every fault in `test/faults/` runs the harness against a bundled reference agent behind ' +
      '`test/tools/fault-proxy.ts`,',
    'which breaks exactly one rule. A fault **kills** a check in a cell (version/binding) when the check ' +
      'fails or warns there',
    'with the fault but passes in a baseline run through the same proxy without the fault (same agent, same ' +
      'narrowing).',
    '',
  );
  out.push(
    `**${ok ? 'Complete' : 'INCOMPLETE'}**: ${faults.length} faults, ${benign.length} benign variants, ` +
      `${m.checks.length} checks in suites ` +
      `${m.suites.join(', ')}; ` +
      `${m.checks.length - m.unkilled.length} killed, ${m.unkilled.length} never killed, ` +
      `${m.surviving.length} surviving faults, ` +
      `${m.incomplete.length} faults missing a listed kill, ` +
      `${m.falselyFailed.length} benign variants some check fails.`,
    '',
  );
  if (m.falselyFailed.length)
    out.push(`Benign variants a check FAILS: ${m.falselyFailed.map((c) => `\`${c}\``).join(', ')}.`, '');
  if (m.unkilled.length) out.push(`Checks no fault kills: ${m.unkilled.map((c) => `\`${c}\``).join(', ')}.`, '');
  if (m.uncoveredCells.length) {
    out.push(
      `Cells where a check passes in a baseline but no fault kills it there (informational): ` +
        `${m.uncoveredCells.map((c) => `\`${c.checkId}\` ${cellName(c)}`).join(', ')}.`,
      '',
    );
  }
  if (m.surviving.length)
    out.push(`Surviving faults (kill nothing): ${m.surviving.map((c) => `\`${c}\``).join(', ')}.`, '');
  if (m.incomplete.length)
    out.push(`Faults missing a listed kill: ${m.incomplete.map((c) => `\`${c}\``).join(', ')}.`, '');
  out.push(
    'Legend: ● listed kill, killed · ○ collateral kill (not listed, still a real violation) · ✗ listed kill ' +
      'that did not happen.',
    '',
  );

  for (const suite of m.suites) {
    const checks = m.checks.filter((c) => c.suite === suite);
    if (checks.length === 0) continue;
    const suiteFaults = faults.filter(
      (f) => f.killed.some((k) => k.checkId.startsWith(`${suite}.`)) || f.kills.some((k) => k.startsWith(`${suite}.`)),
    );
    out.push(`## ${suite}`, '');
    out.push(`| # | check | level | killed by |`, '|---|---|---|---|');
    checks.forEach((c, i) =>
      out.push(
        `| ${i + 1} | \`${c.id}\` | ${c.level} | ` +
          `${c.killedBy.length ? c.killedBy.map((n) => `\`${n}\``).join(', ') : '**none**'} |`,
      ),
    );
    out.push('');
    if (suiteFaults.length) {
      out.push(
        `| fault \\ check | ${checks.map((_, i) => i + 1).join(' | ')} |`,
        `|---|${checks.map(() => ':-:').join('|')}|`,
      );
      for (const f of suiteFaults) {
        const cells = checks.map((c) => {
          const k = f.killed.find((x) => x.checkId === c.id);
          const listed = f.kills.some((p) => idMatcher(p)(c.id));
          return k ? (listed ? '●' : '○') : listed ? '✗' : '';
        });
        out.push(`| \`${f.name}\` | ${cells.join(' | ')} |`);
      }
      out.push('');
    }
  }

  out.push('## Faults', '');
  out.push('| fault | agent | breaks | must kill | killed (cells) |', '|---|---|---|---|---|');
  for (const f of faults) {
    const agent = agentLabel(f);
    const killed = f.killed
      .map((k) => `${k.expected ? '' : '○ '}\`${k.checkId}\` (${k.cells.map(cellName).join(', ')})`)
      .join('<br>');
    const missing = [
      ...f.missingKills.map((k) => `✗ \`${k}\``),
      ...f.partialKills.map((p) => `not killed in ${p.survivedIn.map(cellName).join(', ')}: \`${p.checkId}\``),
    ].join('<br>');
    out.push(
      `| \`${f.name}\` | ${agent} | ${esc(f.description)} | ${f.kills.map((k) => `\`${k}\``).join('<br>')} ` +
        `| ${
          [killed, missing, f.error ? `error: ${esc(f.error.split('\n')[0]!)}` : ''].filter(Boolean).join('<br>') ||
          '**nothing**'
        } |`,
    );
  }
  out.push('');

  out.push('## Benign variants', '');
  out.push(
    'Legitimate choices the spec leaves open, applied by the same proxy: the server stays conformant, so no ' +
      'check may fail with them',
    '(warnings and notes are allowed) where the baseline did not fail.',
    '',
  );
  out.push('| variant | agent | what it changes | checks run | false failures |', '|---|---|---|---|---|');
  for (const f of benign) {
    const ff = (f.falseFailures ?? []).map((x) => `✗ \`${x.checkId}\` (${cellName(x)}): ${esc(x.message)}`);
    const grep = f.narrowing.grep.map((g) => `\`${g}\``).join(', ');
    const problems = [...ff, f.error ? `error: ${esc(f.error.split('\n')[0]!)}` : ''].filter(Boolean);
    out.push(
      `| \`${f.name}\` | ${agentLabel(f)} | ${esc(f.description)} | ${grep} | ${problems.join('<br>') || 'none'} |`,
    );
  }
  out.push('');
  return `${out.join('\n')}\n`;
}

export function writeKillMatrix(m: KillMatrix, paths: { markdown?: string; json?: string }): void {
  if (paths.markdown) {
    mkdirSync(dirname(paths.markdown), { recursive: true });
    writeFileSync(paths.markdown, renderMarkdown(m));
  }
  if (paths.json) {
    mkdirSync(dirname(paths.json), { recursive: true });
    writeFileSync(paths.json, `${JSON.stringify(m, null, 2)}\n`);
  }
}

/** One line per problem; empty when the matrix is complete (allowList: checks proven failing some other way). */
export function problemsOf(m: KillMatrix, allowList: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const f of m.faults) {
    if (f.error) out.push(`${f.benign ? 'benign variant' : 'fault'} ${f.name}: ${f.error.split('\n')[0]}`);
    else if (f.benign) {
      for (const x of f.falseFailures ?? [])
        out.push(`benign variant ${f.name} FAILS ${x.checkId} ${cellName(x)} (baseline ${x.baseline}): ${x.message}`);
      if (!f.ok && !f.falseFailures?.length) out.push(`benign variant ${f.name} ran no check`);
    } else if (f.killed.length === 0) out.push(`fault ${f.name} survives: it kills no check`);
    for (const k of f.missingKills) out.push(`fault ${f.name} did not kill ${k}${hint(f, k)}`);
  }
  for (const c of m.unkilled) if (!(c in allowList)) out.push(`check ${c} is killed by no fault`);
  return out;
}

function hint(f: FaultResult, pattern: string): string {
  const match = idMatcher(pattern);
  const seen = f.notKilled
    .filter((n) => match(n.checkId))
    .map((n) => `${cellName(n)}: baseline ${n.baseline ?? 'absent'}, fault ${n.fault} (${n.message})`);
  return seen.length ? ` [${seen.join('; ')}]` : ' [the check did not run: narrowing or prerequisites]';
}
