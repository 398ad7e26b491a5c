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
    };
  };
  specVersions: { version: ProtocolVersion; profile?: string; source: string }[];
  targets: TargetResult[];
  /** Check metadata, keyed by check id (written once, referenced by results). */
  checks: Record<string, CheckMeta>;
  results: CheckResult[];
  transcripts: Record<string, Transcript>;
  summary: Summary;
  exitCode?: number;
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
