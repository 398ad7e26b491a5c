/** What a check is (metadata) and what it may use while running (context). */
import type { Binding, Level, ProtocolVersion, SpecRef, TriggerName } from '../core/types.js';
import type { ResolvedTarget } from '../config/types.js';
import type { A2AClient, OutgoingMessage } from '../protocol/client.js';
import type { CardView, DeclaredInterface } from '../discovery/types.js';
import type { HttpSession } from '../http/session.js';
import type { Expectation } from '../results/types.js';
import type { WebhookEndpoint } from '../webhook/receiver.js';

export type Capability = 'streaming' | 'pushNotifications' | 'extendedCard';

export interface CheckPrerequisites {
  /** Run only when the card declares these capabilities (otherwise: skip). */
  capabilities?: Capability[];
  /** Run only when the card does NOT declare these capabilities (gating checks; otherwise: skip). */
  capabilitiesAbsent?: Capability[];
  /** Behaviours the check must provoke (otherwise: untestable, naming the trigger). */
  triggers?: TriggerName[];
  /** Run only when the card declares security requirements. */
  security?: boolean;
  /** Run even when no usable card was fetched or the card declares no interface of this version. */
  cardless?: boolean;
  /**
   * (additive) Run only on a gateway target (targets.yaml `upstream:`), comparing it with its upstream; skip elsewhere,
   * untestable when the upstream could not be tested or does not serve this version.
   */
  upstream?: boolean;
}

export interface CheckDefinition {
  /** Stable id: `<suite>.<subject>.<rule>`, lowercase, dots and hyphens. Never reused for another rule. */
  id: string;
  suite: string;
  title: string;
  level: Level;
  /** The requirement sentence, in the spec's words where possible. */
  requirement: string;
  /** Per-version references; a check applies to exactly the versions listed here. */
  specRefs: Partial<Record<ProtocolVersion, SpecRef[]>>;
  /**
   * 'version': runs once per target × version (card checks; the context has no single client).
   * 'binding': runs once per target × version × binding the card declares.
   */
  scope: 'version' | 'binding';
  /** Restrict to some bindings (binding scope only). Default: all. */
  bindings?: Binding[];
  requires?: CheckPrerequisites;
  /** Version-neutral scenario id aligning 0.3 and 1.0 rows; defaults to the id. */
  scenario?: string;
  /** 'post': runs after every other check of its cell, to judge what they recorded (wire-schema audit). */
  phase?: 'main' | 'post';
  /** Ambiguity stance: why this check warns instead of failing in some case (shown in the report). */
  stance?: string;
  run(ctx: CheckContext): Promise<void>;
}

/** Thrown by ctx.skip / ctx.untestable; caught by the runner. */
export class CheckStop extends Error {
  constructor(
    readonly kind: 'skip' | 'untestable',
    message: string,
    readonly unlockedBy?: string,
  ) {
    super(message);
  }
}

export interface Finding {
  kind: 'violation' | 'ambiguous' | 'note';
  message: string;
  expectation?: Expectation;
  /**
   * (violations) The level this part of the rule has here, when lower than the check's: a check whose rule is a
   * MUST in one version or spec profile and a SHOULD in another grades each violation by its own level. Never raises
   * the check's level.
   */
  level?: Level;
}

export interface CheckContext {
  readonly check: CheckDefinition;
  readonly target: ResolvedTarget;
  readonly version: ProtocolVersion;
  readonly binding: Binding | null;
  /** The card as fetched for this version, and what discovery derived from it. */
  readonly card: CardView;
  /** Client for this cell's interface (binding scope). Throws for version-scoped checks. */
  readonly client: A2AClient;
  /** A client for any declared interface (version-scoped checks probing each interface). */
  clientFor(iface: DeclaredInterface): A2AClient;
  /** Raw recorded HTTP (card fetches, odd requests), bound to this check's transcript. */
  readonly http: HttpSession;
  readonly signal: AbortSignal;

  /** A message that provokes the behaviour; throws untestable (with the trigger named) if not configured. */
  trigger(name: TriggerName, extra?: Partial<OutgoingMessage>): OutgoingMessage;
  hasTrigger(name: TriggerName): boolean;
  /** Memoized per target × version × binding: shared expensive set-up (e.g. a completed task). */
  fixture<T>(key: string, make: (ctx: CheckContext) => Promise<T>): Promise<T>;

  /** The rule is broken: fail for MUST, warn for SHOULD, info for MAY. */
  violated(message: string, expectation?: Expectation): void;
  /**
   * The rule is broken, but in this version, binding or spec profile it is only a `level` (e.g. SHOULD in 1.0.1 where
   * 1.0.0 said MUST): graded at the lower of `level` and the check's level. Per-version levels are data tables.
   */
  violatedAt(level: Level, message: string, expectation?: Expectation): void;
  /** Deviates, but the spec contradicts itself here: warn, with the stance in `why`. */
  ambiguous(message: string, why: string, expectation?: Expectation): void;
  /** Observation that does not change the outcome (shown in details). */
  note(message: string): void;
  /** violated(message, {expected, actual}) unless cond. Returns cond. */
  expect(cond: boolean, message: string, expectation?: Expectation): boolean;
  skip(reason: string): never;
  untestable(reason: string, unlockedBy?: string): never;
  metric(name: string, value: number): void;
  /** Milliseconds left before the whole-check timeout. */
  remainingMs(): number;
  /** Post-phase checks: every exchange recorded so far in this cell, with the check that made it. */
  cellExchanges(): { checkId: string; exchange: import('../http/types.js').Exchange }[];
  /**
   * (additive) The run's webhook receiver, for push-notification checks: started on first use, closed by the runner
   * at the end of the run. Deliveries to an endpoint are recorded in the transcript of the check that created it.
   */
  readonly webhook: WebhookAccess;
  /**
   * (additive) On a gateway target: the upstream it fronts (the same agent reached directly). Undefined elsewhere;
   * checks that need it declare `requires: { upstream: true }`.
   */
  readonly upstream: UpstreamAccess | undefined;
}

/** (additive) A gateway check's view of the upstream: its cards, and clients recording into the check's evidence. */
export interface UpstreamAccess {
  readonly target: ResolvedTarget;
  /** The upstream's card for this cell's version, as its discovery fetched it. */
  readonly card: CardView;
  /** A client for the upstream's interface of this cell's version × binding (binding scope; undefined if none). */
  client(): A2AClient | undefined;
  clientFor(iface: DeclaredInterface): A2AClient;
  /** Raw HTTP to the upstream (its dispatcher and headers), recorded in a transcript attached to this check. */
  readonly http: HttpSession;
}

/** (additive) What a check may ask of the webhook receiver. */
export interface WebhookAccess {
  /**
   * A fresh endpoint (unique URL, fresh token and credentials) on the receiver for this target's `webhook` settings.
   * Stops the check as untestable when no receiver can be started.
   */
  endpoint(label?: string): Promise<WebhookEndpoint>;
}
