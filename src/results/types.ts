/**
 * results.json: the single source every report is rendered from. Mirrors schemas/results.schema.json.
 * Appended as checks finish, so an interrupted run still leaves a valid file.
 */
import type { Binding, Level, Outcome, ProtocolVersion, SpecRef } from '../core/types.js';
import type { Transcript } from '../http/types.js';

export const RESULTS_SCHEMA_VERSION = 1;

export interface ResultsFile {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  harness: { name: string; version: string; node: string };
  run: {
    id: string;
    startedAt: string; // ISO
    finishedAt?: string;
    durationMs?: number;
    /** true while the run is in progress or if it was interrupted. */
    partial: boolean;
    interrupted?: boolean;
    argv: string[];
    options: {
      strict: boolean;
      suites?: string[];
      grep?: string[];
      protocols?: ProtocolVersion[];
      bindings?: Binding[];
      /** `introduced`: the exit code depends on the failures gateways introduce only (--gate). Default `all`. */
      gate?: Gate;
      /** This run is shard `index` of `count` (--shard); `targets` are the ones it ran. */
      shard?: { index: number; count: number; targets: string[] };
    };
  };
  specVersions: { version: ProtocolVersion; profile?: string; source: string }[];
  targets: TargetResult[];
  /** Check metadata, keyed by check id (written once, referenced by results). */
  checks: Record<string, CheckMeta>;
  results: CheckResult[];
  transcripts: Record<string, Transcript>;
  summary: Summary;
  /** One per gateway target (a target with `upstream`), derived from the results (src/results/compare.ts). */
  comparisons?: GatewayComparison[];
  exitCode?: number;
}

export type Gate = 'all' | 'introduced';

/**
 * How one (check, version, binding) differs between a gateway target and its upstream:
 * introduced — fails (fail/error) through the gateway, not direct; hidden — fails direct, not through the gateway;
 * inherited — fails both ways; changed — any other difference of outcome (pass → warn, pass → skip, …).
 */
export type ComparisonKind = 'introduced' | 'hidden' | 'changed' | 'inherited';

export interface ComparisonEntry {
  checkId: string;
  version: ProtocolVersion;
  binding: Binding | null;
  kind: ComparisonKind;
  /** `absent`: the check did not run on that side (a cell only one side declares, a gateway-only check). */
  gateway: Outcome | 'absent';
  direct: Outcome | 'absent';
  gatewayMessage?: string;
  directMessage?: string;
  /** The gateway result is an expected failure of the gateway target's baseline. */
  expected?: boolean;
}

export interface GatewayComparison {
  gateway: string;
  upstream: string;
  /** `upstream-missing`: the upstream is not in these results; `not-tested`: one side could not be tested. */
  status: 'compared' | 'upstream-missing' | 'not-tested';
  message?: string;
  counts: Record<ComparisonKind, number>;
  entries: ComparisonEntry[];
}

export interface CheckMeta {
  id: string;
  suite: string;
  title: string;
  level: Level;
  requirement: string;
  specRefs: Partial<Record<ProtocolVersion, SpecRef[]>>;
  /** Version-neutral scenario id (aligns 0.3 and 1.0 rows in the grid). */
  scenario: string;
}

export interface TargetResult {
  name: string;
  url: string;
  cardUrl: string;
  tags: string[];
  /** Status of the target as a whole. */
  status: 'tested' | 'unreachable' | 'start-failed' | 'config-error';
  statusMessage?: string;
  /** Card snapshot(s) as fetched, per requested version ('default' = without A2A-Version). */
  cards: { requestedVersion: ProtocolVersion | 'default'; status?: number; card?: unknown; error?: string }[];
  /** Version × binding cells the card declares (and whether they were tested). */
  matrix: MatrixCell[];
  /** stdout/stderr tails of a started agent. */
  processLog?: { stdout: string; stderr: string; exitCode?: number | null };
  durationMs?: number;
  /** For a gateway target: the target reaching the same agent directly (targets.yaml `upstream`). */
  upstream?: string;
  /** targets.yaml `gateway` label. */
  gateway?: string;
}

export interface MatrixCell {
  version: ProtocolVersion;
  binding: Binding | null;
  url?: string;
  declared: boolean;
  tested: boolean;
  reason?: string;
}

export interface Expectation {
  expected: unknown;
  actual: unknown;
  path?: string;
}

export interface CheckResult {
  checkId: string;
  target: string;
  version: ProtocolVersion;
  /** null for checks that do not depend on a binding (card checks). */
  binding: Binding | null;
  outcome: Outcome;
  /** One-line explanation. For skip/untestable, the reason. */
  message: string;
  /** Extra lines: every finding when more than one, the ambiguity stance, hints. */
  details?: string[];
  expectations?: Expectation[];
  /** Baseline status once expectedFailures apply. */
  baseline?: 'expected' | 'stale' | 'unexpected';
  baselineReason?: string;
  /** Trigger that would unlock an untestable check. */
  unlockedBy?: string;
  durationMs: number;
  transcriptIds: string[];
  /** Measurements worth reporting (time to first event...). */
  metrics?: Record<string, number>;
}

export interface Summary {
  total: number;
  byOutcome: Record<Outcome, number>;
  byTarget: Record<string, Record<Outcome, number>>;
  /** Untestable checks grouped by the trigger that would unlock them. */
  untestableByTrigger: Record<string, number>;
  expectedFailures: number;
  staleExpectations: number;
  unexpectedFailures: number;
}
