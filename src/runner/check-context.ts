/** The CheckContext handed to a running check: clients, fixtures, triggers and the verdict helpers. */
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Binding, Level, ProtocolVersion, TriggerName } from '../core/types.js';
import type { CheckContext, CheckDefinition, Finding, UpstreamAccess, WebhookAccess } from '../checks/types.js';
import { CheckStop } from '../checks/types.js';
import type { ResolvedTarget } from '../config/types.js';
import type { CardView, DeclaredInterface } from '../discovery/types.js';
import type { HttpSession } from '../http/session.js';
import type { A2AClient, OutgoingMessage } from '../protocol/client.js';
import type { Expectation } from '../results/types.js';
import { createRedactor } from '../http/redact.js';
import type { WebhookEndpoint, WebhookReceiver } from '../webhook/receiver.js';
import { recordDelivery } from '../webhook/record.js';
import { expectedCost } from './schedule.js';
import type { UpstreamServices } from './upstream.js';

/** Strength of a level, to grade a violation at the lower of two. */
export const LEVEL_RANK: Record<Level, number> = { MAY: 0, SHOULD: 1, MUST: 2 };

export interface CellServices {
  target: ResolvedTarget;
  version: ProtocolVersion;
  binding: Binding | null;
  card: CardView;
  /** Interface of this cell (binding scope). */
  iface?: DeclaredInterface;
  makeClient(iface: DeclaredInterface, session: HttpSession): A2AClient;
  /** Aborted when the whole run is interrupted (SIGINT). */
  runSignal?: AbortSignal;
  /** Shared per-cell memo for fixtures. */
  fixtures: Map<string, Promise<unknown>>;
  /**
   * Create a session recording into a new transcript. `priority`: its requests' priority at the request gates (the
   * check's expected cost: checks racing an agent's timer go first).
   */
  newSession(label: string, signal: AbortSignal, priority?: number): HttpSession;
  /** Exchanges recorded by the cell's checks so far (post-phase checks audit them). */
  exchanges(): { checkId: string; exchange: import('../http/types.js').Exchange }[];
  /** (additive) The run's webhook receiver for this target's `webhook` settings, started on first call. */
  webhook?: () => Promise<WebhookReceiver>;
  /** (additive) Gateway targets: the upstream's services; null when the upstream could not be tested. */
  upstream?: UpstreamServices | null;
}

export class RunningCheck implements CheckContext {
  readonly findings: Finding[] = [];
  readonly metrics: Record<string, number> = {};
  /** Transcripts this check used: its own plus those of the fixtures it awaited. */
  readonly transcriptIds: string[] = [];
  private clientCache?: A2AClient;
  private readonly deadline: number;
  /** Monotonic creation time: webhook deliveries are timed relative to it in the transcript. */
  private readonly createdAt = performance.now();

  constructor(
    readonly check: CheckDefinition,
    private readonly cell: CellServices,
    readonly http: HttpSession,
    readonly signal: AbortSignal,
    timeoutMs: number,
  ) {
    this.transcriptIds.push(http.transcript.id);
    this.deadline = Date.now() + timeoutMs;
  }

  get target() {
    return this.cell.target;
  }
  get version() {
    return this.cell.version;
  }
  get binding() {
    return this.cell.binding;
  }
  get card() {
    return this.cell.card;
  }

  get client(): A2AClient {
    if (!this.cell.iface) throw new Error(`check ${this.check.id} is version-scoped: use clientFor(interface)`);
    this.clientCache ??= this.cell.makeClient(this.cell.iface, this.http);
    return this.clientCache;
  }

  clientFor(iface: DeclaredInterface): A2AClient {
    return this.cell.makeClient(iface, this.http);
  }

  hasTrigger(name: TriggerName): boolean {
    return Boolean(this.cell.target.triggers[name]);
  }

  trigger(name: TriggerName, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
    const spec = this.cell.target.triggers[name];
    if (!spec) {
      this.untestable(`no \`${name}\` trigger configured for target ${this.cell.target.name}`, name);
    }
    const id = randomUUID();
    return {
      ...extra,
      text: spec.text ?? extra.text ?? 'conformance probe',
      messageId: spec.messageIdPrefix ? `${spec.messageIdPrefix}-${id}` : (extra.messageId ?? id),
    };
  }

  async fixture<T>(key: string, make: (ctx: CheckContext) => Promise<T>): Promise<T> {
    let p = this.cell.fixtures.get(key) as Promise<{ value: T; transcriptId: string }> | undefined;
    if (!p) {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const timer = setTimeout(
        () => controller.abort(new Error(`fixture ${key} timed out`)),
        this.cell.target.checkTimeoutMs,
      );
      const session = this.cell.newSession(`fixture ${key}`, controller.signal, expectedCost(this.check));
      const fixtureCtx = new RunningCheck(
        { ...this.check, id: `${this.check.suite}.fixture.${key}` },
        this.cell,
        session,
        controller.signal,
        this.cell.target.checkTimeoutMs,
      );
      p = make(fixtureCtx)
        .then((value) => ({ value, transcriptId: session.transcript.id }))
        .finally(() => clearTimeout(timer));
      this.cell.fixtures.set(key, p);
    }
    const { value, transcriptId } = await p;
    if (!this.transcriptIds.includes(transcriptId)) this.transcriptIds.push(transcriptId);
    return value;
  }

  violated(message: string, expectation?: Expectation): void {
    this.findings.push({ kind: 'violation', message, expectation });
  }

  violatedAt(level: Level, message: string, expectation?: Expectation): void {
    const lower = LEVEL_RANK[level] < LEVEL_RANK[this.check.level];
    this.findings.push({
      kind: 'violation',
      message: lower ? `${message} (a ${level} here)` : message,
      expectation,
      ...(lower ? { level } : {}),
    });
  }

  ambiguous(message: string, why: string, expectation?: Expectation): void {
    this.findings.push({ kind: 'ambiguous', message: `${message} — not failed: ${why}`, expectation });
  }

  note(message: string): void {
    this.findings.push({ kind: 'note', message });
  }

  expect(cond: boolean, message: string, expectation?: Expectation): boolean {
    if (!cond) this.violated(message, expectation);
    return cond;
  }

  skip(reason: string): never {
    throw new CheckStop('skip', reason);
  }

  untestable(reason: string, unlockedBy?: string): never {
    throw new CheckStop('untestable', reason, unlockedBy);
  }

  metric(name: string, value: number): void {
    this.metrics[name] = Math.round(value * 10) / 10;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  cellExchanges() {
    return this.cell.exchanges();
  }

  private upstreamCache?: UpstreamAccess;

  get upstream(): UpstreamAccess | undefined {
    const up = this.cell.upstream;
    const view = up?.views.get(this.cell.version);
    if (!up || !view) return undefined;
    if (this.upstreamCache) return this.upstreamCache;
    let http: HttpSession | undefined;
    const session = () => {
      if (!http) {
        http = up.newSession(`${this.check.id} (upstream)`, this.signal);
        this.transcriptIds.push(http.transcript.id);
      }
      return http;
    };
    const cell = up.found.cells.find((c) => c.version === this.cell.version && c.binding === this.cell.binding);
    this.upstreamCache = {
      target: up.target,
      card: view,
      client: () => (cell ? up.makeClient(cell.iface, session(), this.cell.version) : undefined),
      clientFor: (iface) => up.makeClient(iface, session(), this.cell.version),
      get http() {
        return session();
      },
    };
    return this.upstreamCache;
  }

  get webhook(): WebhookAccess {
    return { endpoint: (label?: string) => this.webhookEndpoint(label) };
  }

  private async webhookEndpoint(label?: string): Promise<WebhookEndpoint> {
    const start = this.cell.webhook;
    if (!start) return this.untestable('this run has no webhook receiver (push delivery checks need one)');
    let receiver: WebhookReceiver;
    try {
      receiver = await start();
    } catch (e) {
      const w = this.cell.target.webhook;
      const where = w?.host || w?.port ? ` on ${w.host ?? '127.0.0.1'}:${w.port ?? 0}` : '';
      return this.untestable(
        `the harness's webhook receiver could not start${where}: ${(e as Error).message} (see \`webhook\` in ` +
          `targets.yaml)`,
      );
    }
    const redact = createRedactor(this.cell.target.secrets);
    const transcript = this.http.transcript;
    const endpoint: WebhookEndpoint = receiver.endpoint({
      label: label ?? this.check.id,
      publicUrl: this.cell.target.webhook?.publicUrl,
      onDelivery: (d) =>
        recordDelivery(transcript, d, {
          url: endpoint.url,
          redact,
          ours: [endpoint.token, endpoint.credentials],
          startedAt: d.monotonicAt - this.createdAt,
        }),
    });
    // Deliveries after the check ended are still answered, but no longer added to its (finished) transcript.
    if (this.signal.aborted) endpoint.detach();
    else this.signal.addEventListener('abort', () => endpoint.detach(), { once: true });
    return endpoint;
  }
}
