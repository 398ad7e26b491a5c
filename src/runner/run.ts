/**
 * The run: for every target (in parallel) start it if asked, discover its card, expand the version × binding
 * cells, run the applicable checks longest-expected first with bounded requests in flight (checks waiting on a
 * stream, a timer or a webhook hold no request slot), and stream results into the writer.
 * One target's failure never stops the others.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import type { Binding, ProtocolVersion } from '../core/types.js';
import { HARNESS } from '../core/harness-info.js';
import { markStage } from '../core/stages.js';
import { checkVersions, toMeta } from '../checks/registry.js';
import type { CheckDefinition } from '../checks/types.js';
import type { ResolvedTarget } from '../config/types.js';
import { discover } from '../discovery/discover.js';
import { capabilitiesOf, cardShape, declaredInterfaces, securityDeclared } from '../discovery/read-card.js';
import type { CardView, DeclaredInterface, Discovery } from '../discovery/types.js';
import { closeGrpcChannels } from '../grpc/channels.js';
import { previewJson } from '../core/bounded-json.js';
import { createDispatcher } from '../http/dispatcher.js';
import { createRedactor } from '../http/redact.js';
import type { HttpSession, RequestGate } from '../http/session.js';
import type { Exchange, Transcript } from '../http/types.js';
import { createHttpSession } from '../http/undici-session.js';
import { createClient } from '../protocol/create-client.js';
import { applyBaseline, unmatchedEntries } from '../results/baseline.js';
import { compareGateways } from '../results/compare.js';
import { EXIT, exitCodeOf } from '../results/summarize.js';
import {
  RESULTS_SCHEMA_VERSION,
  type CheckResult,
  type Gate,
  type MatrixCell,
  type ResultsFile,
  type TargetResult,
} from '../results/types.js';
import { ResultsWriter } from '../results/writer.js';
import type { CellServices } from './check-context.js';
import { PriorityGate, gateChain } from './gate.js';
import { runCheck } from './run-check.js';
import { checksInFlightCap, connectionCap, longestFirst } from './schedule.js';
import { STAGE_CHECKS, stageResults } from './stage-results.js';
import { startAgent, StartError, type StartedAgent } from './start-agent.js';
import { bindUpstreamUrl, UpstreamLinks, type UpstreamServices } from './upstream.js';
import { WebhookHub } from '../webhook/receiver.js';

export interface RunOptions {
  targets: ResolvedTarget[];
  /** Checks selected by --suite/--grep (the full catalogue otherwise). */
  checks: CheckDefinition[];
  /** All known check ids (to detect expectedFailures entries that match nothing). */
  knownCheckIds: string[];
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
  strict: boolean;
  /** Cap on requests in flight across all targets (default: the sum of the per-target limits, at least 64). */
  concurrency?: number;
  /** Override every target's per-request timeout. */
  timeoutMs?: number;
  outDir: string;
  argv: string[];
  suites?: string[];
  grep?: string[];
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** `introduced`: the exit code counts only failures gateways introduce. Default `all`. */
  gate?: Gate;
  /** Recorded in results.json when this run is one shard of a CI matrix (the targets were selected by the caller). */
  shard?: { index: number; count: number; targets: string[] };
}

export type ProgressEvent =
  | { type: 'target-start'; target: string }
  | { type: 'target-planned'; target: string; checks: number }
  | { type: 'result'; result: CheckResult }
  | { type: 'target-done'; target: string; status: TargetResult['status']; message?: string };

export interface RunReport {
  results: ResultsFile;
  /** Path of results.json as written (report.html streams it in instead of serializing again). */
  resultsPath: string;
  exitCode: number;
}

export async function runConformance(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  // Every running check listens on the run signal (SIGINT); hundreds at once are expected.
  if (options.signal) setMaxListeners(0, options.signal);
  const redact = createRedactor(options.targets.flatMap((t) => t.secrets));
  // Progress goes to the terminal: what a target said (echoed credentials included) is redacted there too.
  const onProgress = options.onProgress;
  const opts: RunOptions = onProgress
    ? { ...options, onProgress: (e) => onProgress(redactProgress(e, redact)) }
    : options;
  const file: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    harness: { name: HARNESS.name, version: HARNESS.version, node: process.version },
    run: {
      id: randomUUID(),
      startedAt: new Date(started).toISOString(),
      partial: true,
      argv: opts.argv,
      options: {
        strict: opts.strict,
        suites: opts.suites,
        grep: opts.grep,
        protocols: opts.protocols,
        bindings: opts.bindings,
        gate: opts.gate,
        shard: opts.shard,
      },
    },
    specVersions: [
      { version: '0.3', source: 'A2A specification v0.3.0' },
      {
        version: '1.0',
        profile: [...new Set(opts.targets.map((t) => t.specProfile))].join(', ') || '1.0.1',
        source: 'A2A specification v1.0.0 with the v1.0.1 patch',
      },
    ],
    targets: [],
    checks: {},
    results: [],
    transcripts: {},
    summary: {
      total: 0,
      byOutcome: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, untestable: 0, error: 0 },
      byTarget: {},
      untestableByTrigger: {},
      expectedFailures: 0,
      staleExpectations: 0,
      unexpectedFailures: 0,
    },
  };
  const writer = new ResultsWriter(file, opts.outDir, redact);
  writer.setChecks(opts.checks.map(toMeta));
  // The run-wide cap is the user's (`--concurrency`). By default it never binds below the per-target limits: a target
  // whose requests hang holds only its own slots, and cannot starve the healthy targets of the same run.
  const perTargetSum = opts.targets.reduce((n, t) => n + t.concurrency, 0);
  const global = new PriorityGate(opts.concurrency ?? Math.max(64, perTargetSum));
  // Push checks' webhook receiver(s): started lazily by the first check that asks, closed when the run is over.
  const webhooks = new WebhookHub();
  const links = new UpstreamLinks(opts.targets);

  await Promise.all(
    opts.targets.map((t) =>
      runTarget(opts.timeoutMs ? { ...t, timeoutMs: opts.timeoutMs } : t, opts, writer, global, webhooks, links).catch(
        (e: unknown) => {
          // Never leave a gateway waiting for this target, nor this target's upstream waiting for it.
          links.publish(t.name, undefined);
          if (t.upstream) links.gatewayDone(t.name);
          const message = `harness error: ${redact(e instanceof Error ? e.message : String(e))}`;
          writer.setChecks([STAGE_CHECKS.harness]);
          for (const r of stageResults('harness', t, message, { protocols: opts.protocols })) writer.add(r);
          writer.addTarget({
            name: t.name,
            url: t.url,
            cardUrl: t.cardUrl,
            tags: t.tags,
            status: 'unreachable',
            statusMessage: message,
            cards: [],
            matrix: [],
            ...(t.upstream ? { upstream: t.upstream } : {}),
          });
        },
      ),
    ),
  );
  await webhooks.close();
  markStage('run:checks-done');

  const interrupted = opts.signal?.aborted ?? false;
  file.run.finishedAt = new Date().toISOString();
  file.run.durationMs = Date.now() - started;
  file.run.partial = interrupted;
  file.run.interrupted = interrupted || undefined;
  const comparisons = compareGateways(file);
  if (comparisons) file.comparisons = comparisons;
  file.exitCode = interrupted
    ? EXIT.interrupted
    : exitCodeOf(
        { targets: file.targets, results: file.results, summary: writer.summary(), comparisons },
        opts.strict,
        opts.gate,
      );
  const { file: results, path: resultsPath } = writer.finish();
  markStage('run:results-written');
  return { results, resultsPath, exitCode: file.exitCode };
}

function redactProgress(e: ProgressEvent, redact: (s: string) => string): ProgressEvent {
  if (e.type === 'result') return { ...e, result: { ...e.result, message: redact(e.result.message) } };
  if (e.type === 'target-done' && e.message !== undefined) return { ...e, message: redact(e.message) };
  return e;
}

async function runTarget(
  target: ResolvedTarget,
  opts: RunOptions,
  writer: ResultsWriter,
  global: PriorityGate,
  webhooks: WebhookHub,
  links: UpstreamLinks,
): Promise<void> {
  // A gateway starts once its upstream is up: its start block may point at it (${UPSTREAM_URL}).
  let upstream: UpstreamServices | null | undefined;
  if (target.upstream) {
    upstream = (await links.ready(target.upstream)) ?? null;
    const upstreamUrl = upstream?.target.url ?? opts.targets.find((t) => t.name === target.upstream)?.url;
    if (upstreamUrl) target = bindUpstreamUrl(target, upstreamUrl);
  }
  const t0 = Date.now();
  opts.onProgress?.({ type: 'target-start', target: target.name });
  const dispatcher = createDispatcher(target, connectionCap(target.concurrency));
  // Requests in flight: the target's own limit first, then the run's.
  const requestGate: RequestGate = gateChain(new PriorityGate(target.concurrency), global);
  let agent: StartedAgent | undefined;
  const entry: TargetResult = {
    name: target.name,
    url: target.url,
    cardUrl: target.cardUrl,
    tags: target.tags,
    status: 'tested',
    cards: [],
    matrix: [],
    ...(target.upstream ? { upstream: target.upstream } : {}),
    ...(target.gateway ? { gateway: target.gateway } : {}),
  };
  const finish = (status: TargetResult['status'], message?: string) => {
    entry.status = status;
    entry.statusMessage = message;
    entry.durationMs = Date.now() - t0;
    if (agent) entry.processLog = agent.log();
    writer.addTarget(entry);
    opts.onProgress?.({ type: 'target-done', target: target.name, status, message });
  };

  try {
    if (target.start) {
      try {
        agent = await startAgent(target, dispatcher, opts.signal);
        target = agent.target;
        Object.assign(entry, { url: target.url, cardUrl: target.cardUrl });
      } catch (e) {
        entry.processLog = e instanceof StartError ? e.log : undefined;
        writer.setChecks([STAGE_CHECKS.start]);
        const message = `the agent did not start: ${(e as Error).message}`;
        for (const r of stageResults('start', target, message, {
          protocols: opts.protocols,
          durationMs: Date.now() - t0,
        }))
          writer.add(r);
        return finish('start-failed', (e as Error).message);
      }
    }

    const newSession = (label: string, signal: AbortSignal, priority = 0): HttpSession => {
      const s = createHttpSession({
        target,
        dispatcher,
        transcriptId: `${target.name}:${label}:${randomUUID().slice(0, 8)}`,
        checkId: label,
        signal,
        gate: requestGate,
        gatePriority: priority,
      });
      writer.registerTranscript(s.transcript);
      return s;
    };
    const discoverySession = newSession('discovery', opts.signal ?? new AbortController().signal);
    const found = await discover(target, discoverySession, { protocols: opts.protocols, bindings: opts.bindings });
    entry.cards = found.snapshots.map((s) => ({
      requestedVersion: s.requested,
      status: s.status,
      // A bounded copy: the checks judge the full card; the record keeps what a reader needs (10,000 skills do not).
      card: s.json === undefined ? undefined : previewJson(s.json),
      error: s.error,
    }));
    const transportOnly = found.snapshots.every((s) => s.status === undefined);
    if (transportOnly) {
      const message = found.error ?? 'agent card could not be fetched';
      writer.setChecks([STAGE_CHECKS.discovery]);
      const stage = stageResults('discovery', target, message, {
        protocols: opts.protocols,
        transcriptIds: [discoverySession.transcript.id],
        durationMs: Date.now() - t0,
      });
      for (const r of opts.signal?.aborted ? [] : stage) {
        writer.add(r);
        opts.onProgress?.({ type: 'result', result: r });
      }
      return finish('unreachable', message);
    }

    const views = viewsToTest(found, target, opts);
    entry.matrix = matrixOf(found, views, target, opts);
    // Like a real client, declare the extensions the card requires (1.0 §4.6.3); the extensions suite overrides it.
    const makeClient = (i: DeclaredInterface, session: HttpSession, version: ProtocolVersion) =>
      createClient({
        version: i.version ?? version,
        binding: i.binding ?? 'jsonrpc',
        url: i.url,
        tenant: i.tenant,
        session,
        target,
        extensions: (views.get(version)?.capabilities.extensions ?? [])
          .filter((e) => e.required && e.uri)
          .map((e) => e.uri),
      });
    links.publish(target.name, { target, found, views, newSession, makeClient });
    const tasks = planTarget(target, views, found, opts.checks);
    opts.onProgress?.({ type: 'target-planned', target: target.name, checks: tasks.length });
    // The target answered: when the selected suites simply do not apply to what it serves, say so (not a failure).
    if (tasks.length === 0)
      return finish(
        'tested',
        `no selected check applies to what the card declares ` +
          (`(${[...views.keys()].join(', ') || 'no version'}` +
            `${opts.bindings ? `, bindings ${opts.bindings.join('/')}` : ''})`),
      );

    const perTarget = pLimit(checksInFlightCap(target.concurrency));
    const cells = new Map<string, CellServices & { exchangeLog: { checkId: string; transcript: Transcript }[] }>();
    const cellFor = (version: ProtocolVersion, binding: Binding | null, iface?: DeclaredInterface) => {
      const key = `${version}|${binding ?? '-'}`;
      let cell = cells.get(key);
      if (!cell) {
        const exchangeLog: { checkId: string; transcript: Transcript }[] = [];
        cell = {
          target,
          version,
          binding,
          card: views.get(version)!,
          iface,
          runSignal: opts.signal,
          makeClient: (i, session) => makeClient(i, session, version),
          fixtures: new Map(),
          newSession: (label, signal, priority) => {
            const s = newSession(`${version}/${binding ?? 'card'}/${label}`, signal, priority);
            exchangeLog.push({ checkId: label, transcript: s.transcript });
            return s;
          },
          exchanges: () =>
            exchangeLog.flatMap(({ checkId, transcript }) =>
              transcript.exchanges.map((exchange: Exchange) => ({ checkId, exchange })),
            ),
          webhook: () => webhooks.receiver(target.webhook),
          upstream,
          exchangeLog,
        };
        cells.set(key, cell);
      }
      return cell;
    };

    const record = (r: CheckResult, task: PlannedTask) => {
      // Card checks judge the snapshots discovery fetched: their evidence is the discovery transcript.
      const judged =
        task.check.scope === 'version' && r.outcome !== 'skip'
          ? { ...r, transcriptIds: [discoverySession.transcript.id, ...r.transcriptIds] }
          : r;
      const withBaseline = applyBaseline(judged, target);
      writer.add(withBaseline);
      opts.onProgress?.({ type: 'result', result: withBaseline });
    };
    const exec = (task: PlannedTask) =>
      perTarget(async () => {
        if (opts.signal?.aborted) return;
        const result = await runCheck(task.check, cellFor(task.version, task.binding, task.iface));
        if (!opts.signal?.aborted) record(result, task);
      });
    markStage('target:checks-start', target.name);
    // p-limit starts queued work in call order: the longest-expected checks go first.
    await Promise.all(longestFirst(tasks.filter((t) => t.check.phase !== 'post')).map(exec));
    await Promise.all(tasks.filter((t) => t.check.phase === 'post').map(exec));
    markStage('target:checks-done', target.name);

    const unmatched = unmatchedEntries(target, opts.knownCheckIds);
    if (unmatched.length) {
      writer.addStaleEntries(unmatched.length);
      entry.statusMessage = `expectedFailures entries that match no check: ${unmatched.map((u) => u.check).join(', ')}`;
    }
    finish('tested', entry.statusMessage);
  } finally {
    // Gateways in front of this target still need its agent and connections: stop only once they are done.
    links.publish(target.name, undefined);
    await links.released(target.name);
    if (target.upstream) links.gatewayDone(target.name);
    await agent?.stop();
    if (agent) entry.processLog = agent.log();
    // Interrupted: drop every connection at once (close() would wait for requests a hanging target never ends).
    const d = dispatcher as Dispatcher & { close(): Promise<void>; destroy(): Promise<void> };
    await (opts.signal?.aborted ? d.destroy() : d.close()).catch(() => undefined);
    closeGrpcChannels(target);
  }
}

interface PlannedTask {
  check: CheckDefinition;
  version: ProtocolVersion;
  binding: Binding | null;
  iface?: DeclaredInterface;
}

function viewsToTest(found: Discovery, target: ResolvedTarget, opts: RunOptions): Map<ProtocolVersion, CardView> {
  const views = new Map<ProtocolVersion, CardView>();
  for (const [v, view] of Object.entries(found.views) as [ProtocolVersion, CardView][]) views.set(v, view);
  // No version to test (no usable card, or a card declaring no interface): still judge the card for the versions
  // claimed (or both), so the failure is reported rather than silently skipped.
  if (views.size === 0) {
    const snapshot = found.snapshots[0]!;
    for (const v of (target.protocols ?? ['0.3', '1.0']) as ProtocolVersion[]) {
      if (opts.protocols && !opts.protocols.includes(v)) continue;
      const snap = v === '1.0' ? (found.snapshots[1] ?? snapshot) : snapshot;
      const card = (typeof snap.json === 'object' && snap.json !== null ? snap.json : {}) as Record<string, unknown>;
      views.set(v, {
        version: v,
        snapshot: snap,
        card,
        shape: cardShape(card),
        interfaces: declaredInterfaces(card),
        versionInterfaces: [],
        capabilities: capabilitiesOf(card, v),
        securityDeclared: securityDeclared(card),
        allSnapshots: found.snapshots,
      });
    }
  }
  return views;
}

export function planTarget(
  target: ResolvedTarget,
  views: Map<ProtocolVersion, CardView>,
  found: Pick<Discovery, 'cells'>,
  checks: CheckDefinition[],
): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  for (const check of checks) {
    // Gateway checks compare a gateway target with its upstream: they do not apply to any other target.
    if (check.requires?.upstream && !target.upstream) continue;
    const versions = checkVersions(check);
    if (check.scope === 'version') {
      for (const v of versions) if (views.has(v)) tasks.push({ check, version: v, binding: null });
    } else {
      for (const cell of found.cells) {
        if (!versions.includes(cell.version)) continue;
        if (check.bindings && !check.bindings.includes(cell.binding)) continue;
        tasks.push({ check, version: cell.version, binding: cell.binding, iface: cell.iface });
      }
    }
  }
  return tasks;
}

function matrixOf(
  found: Discovery,
  views: Map<ProtocolVersion, CardView>,
  target: ResolvedTarget,
  opts: RunOptions,
): MatrixCell[] {
  const out: MatrixCell[] = [];
  for (const [version, view] of views) {
    const seen = new Set<string>();
    for (const i of view.versionInterfaces) {
      const key = `${i.binding ?? i.bindingName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const tested = found.cells.some((c) => c.version === version && c.iface === i);
      const reason = tested
        ? undefined
        : !i.binding
          ? `binding "${i.bindingName}" is not supported by the harness yet`
          : target.bindings && !target.bindings.includes(i.binding)
            ? "excluded by the target's `bindings`"
            : opts.bindings && !opts.bindings.includes(i.binding)
              ? 'excluded by --binding'
              : 'not tested';
      out.push({ version, binding: i.binding, url: i.url, declared: true, tested, reason });
    }
    if (view.versionInterfaces.length === 0)
      out.push({
        version,
        binding: null,
        declared: false,
        tested: false,
        reason: target.protocols?.includes(version)
          ? 'claimed in targets.yaml but not declared by the card'
          : 'no usable card',
      });
  }
  return out;
}
