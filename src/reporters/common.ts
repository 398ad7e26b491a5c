/**
 * Helpers shared by the reporters. Everything here works on a ResultsFile alone: reports never look at
 * anything else, so a results.json copied off a CI runner renders the same reports.
 */
import { BINDINGS, OUTCOMES, PROTOCOL_VERSIONS } from '../core/types.js';
import type { Binding, Level, Outcome, ProtocolVersion, SpecRef } from '../core/types.js';
import { introducedBlocking } from '../results/compare.js';
import type { CheckMeta, CheckResult, ResultsFile } from '../results/types.js';
import { parseBoundedJson } from '../core/bounded-json.js';

/** Label used for checks that do not depend on a binding (agent-card checks). */
export const CARD_LABEL = 'card';

export const bindingLabel = (b: Binding | null): string => b ?? CARD_LABEL;

/** Sort rank of a version (known versions first, in protocol order). */
export function versionRank(v: string): number {
  const i = (PROTOCOL_VERSIONS as readonly string[]).indexOf(v);
  return i < 0 ? PROTOCOL_VERSIONS.length : i;
}

/** Sort rank of a binding: card (null) first, then the protocol order. */
export function bindingRank(b: Binding | null): number {
  if (b === null) return -1;
  const i = (BINDINGS as readonly string[]).indexOf(b);
  return i < 0 ? BINDINGS.length : i;
}

/** Metadata of a check, with a fallback for results whose check is missing from `checks`. */
/** Own-property lookup: keys come from data, so never fall through to Object.prototype. */
export function own<T>(o: Record<string, T> | undefined, key: string): T | undefined {
  return o && Object.hasOwn(o, key) ? o[key] : undefined;
}

export function metaFor(results: ResultsFile, checkId: string): CheckMeta {
  const m = own(results.checks, checkId);
  if (m) return m;
  const dot = checkId.indexOf('.');
  return {
    id: checkId,
    suite: dot > 0 ? checkId.slice(0, dot) : 'unknown',
    title: checkId,
    level: 'MUST',
    requirement: '',
    specRefs: {},
    scenario: checkId,
  };
}

export function specRefsFor(meta: CheckMeta, version: ProtocolVersion): SpecRef[] {
  return own(meta.specRefs ?? {}, version) ?? [];
}

/** A group of results for one target × version × binding. */
export interface ResultGroup {
  target: string;
  version: ProtocolVersion;
  binding: Binding | null;
  results: CheckResult[];
}

/**
 * Groups results by target × version × binding, in a stable order: targets as listed in `targets`
 * (then any other target in order of appearance), versions in protocol order, card before bindings.
 */
export function groupResults(results: ResultsFile): ResultGroup[] {
  const targetOrder = new Map<string, number>();
  results.targets.forEach((t, i) => targetOrder.set(t.name, i));
  const groups = new Map<string, ResultGroup>();
  for (const r of results.results) {
    if (!targetOrder.has(r.target)) targetOrder.set(r.target, targetOrder.size);
    const key = JSON.stringify([r.target, r.version, r.binding]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { target: r.target, version: r.version, binding: r.binding, results: [] }));
    g.results.push(r);
  }
  return [...groups.values()].sort(
    (a, b) =>
      (targetOrder.get(a.target) ?? 0) - (targetOrder.get(b.target) ?? 0) ||
      versionRank(a.version) - versionRank(b.version) ||
      bindingRank(a.binding) - bindingRank(b.binding),
  );
}

export function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

export function countOutcomes(rs: readonly CheckResult[]): Record<Outcome, number> {
  const c = emptyCounts();
  for (const r of rs) if (r.outcome in c) c[r.outcome]++;
  return c;
}

/** Does this result make the run fail? (baseline-aware; warn only counts in strict mode) */
export function isBlocking(r: CheckResult, strict: boolean): boolean {
  if (r.baseline === 'stale') return true;
  if (r.baseline === 'expected') return false;
  if (r.outcome === 'fail' || r.outcome === 'error') return true;
  return strict && r.outcome === 'warn';
}

export interface Verdict {
  status: 'pass' | 'fail' | 'incomplete';
  /** Short human label, e.g. "FAIL: 3 unexpected failures, 1 stale expectation". */
  label: string;
  blocking: number;
  unexpectedFailures: number;
  errors: number;
  strictWarnings: number;
  stale: number;
  expected: number;
  /** Targets that could not be tested at all (unreachable, start-failed, config-error). */
  brokenTargets: number;
}

const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

export function computeVerdict(results: ResultsFile, strictOpt?: boolean): Verdict {
  const strict = strictOpt ?? results.run.options.strict ?? false;
  let unexpectedFailures = 0,
    errors = 0,
    strictWarnings = 0,
    stale = 0,
    expected = 0;
  for (const r of results.results) {
    if (r.baseline === 'stale') stale++;
    else if (r.baseline === 'expected') expected++;
    else if (r.outcome === 'fail') unexpectedFailures++;
    else if (r.outcome === 'error') errors++;
    else if (strict && r.outcome === 'warn') strictWarnings++;
  }
  const brokenTargets = results.targets.filter((t) => t.status !== 'tested').length;
  let blocking = unexpectedFailures + errors + strictWarnings + stale + brokenTargets;
  const parts: string[] = [];
  // --gate introduced: only what gateways introduce decides (the agent's own failures are still counted for the label).
  if (results.run.options.gate === 'introduced') {
    const introduced = introducedBlocking(results.comparisons, strict);
    const uncompared = (results.comparisons ?? []).filter((c) => c.status !== 'compared').length;
    blocking = introduced + brokenTargets + uncompared;
    parts.push(`${plural(introduced, 'failure')} introduced by gateways (gate: introduced)`);
    if (uncompared) parts.push(plural(uncompared, 'gateway') + ' not compared');
  }
  if (unexpectedFailures) parts.push(plural(unexpectedFailures, 'failure'));
  if (errors) parts.push(plural(errors, 'error'));
  if (strictWarnings) parts.push(plural(strictWarnings, 'warning') + ' (strict)');
  if (stale) parts.push(plural(stale, 'stale expectation'));
  if (brokenTargets) parts.push(plural(brokenTargets, 'target') + ' not tested');
  if (expected) parts.push(plural(expected, 'expected failure'));
  const status: Verdict['status'] = blocking > 0 ? 'fail' : results.run.partial ? 'incomplete' : 'pass';
  const head =
    status === 'fail'
      ? 'FAIL'
      : status === 'incomplete'
        ? results.run.interrupted
          ? 'INTERRUPTED'
          : 'IN PROGRESS'
        : 'PASS';
  const label = parts.length
    ? `${head}: ${parts.join(', ')}`
    : `${head}: ${plural(results.results.length, 'check result')}`;
  return { status, label, blocking, unexpectedFailures, errors, strictWarnings, stale, expected, brokenTargets };
}

export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

/** Milliseconds as a short human duration: "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** Truncates to at most `max` UTF-16 units, marking the cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… [${s.length - max} more chars]`;
}

/**
 * Makes a string safe for XML 1.0 character data: characters outside the XML `Char` production
 * (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) are replaced by a visible
 * `\uXXXX` notation (controls) or U+FFFD (surrogates, non-characters). Agent output is hostile.
 */
export function xmlSafe(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, '\uFFFD');
}

/** JSON for humans: pretty when structured, as-is when already a string. Never throws. */
export function prettyValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Pretty-prints a body if it is JSON, otherwise returns it unchanged. */
export function prettyBody(text: string): string {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  const parsed = parseBoundedJson(t);
  if (parsed.error !== undefined) return text;
  try {
    return JSON.stringify(parsed.json, null, 2);
  } catch {
    return text;
  }
}

/** Only http(s) links are ever emitted (spec refs are harness data, but stay defensive). */
export function safeHttpUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const p = new URL(u);
    return p.protocol === 'https:' || p.protocol === 'http:' ? p.href : undefined;
  } catch {
    return undefined;
  }
}

/* ---------- comparisons: version grid, negotiation, cross-target (shared by markdown; html.ts mirrors them) ----- */

/** Outcomes from worst to best (the HTML page uses the same order). */
export const WORST_FIRST: readonly Outcome[] = ['error', 'fail', 'warn', 'untestable', 'info', 'skip', 'pass'];

export function worstOf(outcomes: Iterable<Outcome>): Outcome | undefined {
  let worst: Outcome | undefined;
  for (const o of outcomes) {
    const i = WORST_FIRST.indexOf(o);
    if (i >= 0 && (worst === undefined || i < WORST_FIRST.indexOf(worst))) worst = o;
  }
  return worst;
}

export const worstOutcome = (rs: readonly CheckResult[]): Outcome | undefined => worstOf(rs.map((r) => r.outcome));

/** fail or error: what a regression turns into. */
export const isFailing = (o: Outcome | undefined): boolean => o === 'fail' || o === 'error';

/** Order of check ids and suites as the harness registered them (results.checks key order), then first appearance. */
function checkOrdering(results: ResultsFile): { check: (id: string) => number; suite: (s: string) => number } {
  const checks = new Map<string, number>();
  const suites = new Map<string, number>();
  for (const id of Object.keys(results.checks ?? {})) checks.set(id, checks.size);
  for (const id of checks.keys()) {
    const s = metaFor(results, id).suite;
    if (!suites.has(s)) suites.set(s, suites.size);
  }
  for (const r of results.results) {
    if (!checks.has(r.checkId)) checks.set(r.checkId, checks.size);
    const s = metaFor(results, r.checkId).suite;
    if (!suites.has(s)) suites.set(s, suites.size);
  }
  return { check: (id) => checks.get(id) ?? checks.size, suite: (s) => suites.get(s) ?? suites.size };
}

/** Targets in report order: as listed in `targets`, then any other target in order of appearance. */
export function targetNames(results: ResultsFile): string[] {
  return [...new Set([...results.targets.map((t) => t.name), ...results.results.map((r) => r.target)])];
}

/** A version-to-version difference of one scenario in one binding (or the card column). */
export interface GridDiff {
  binding: Binding | null;
  from: ProtocolVersion;
  to: ProtocolVersion;
  before: Outcome;
  after: Outcome;
  /** regression: pass → fail/error; fixed: fail/error → pass. */
  kind: 'regression' | 'fixed';
}

export interface GridRow {
  /** Version-neutral scenario id (CheckMeta.scenario). */
  scenario: string;
  /** Check ids of this scenario that ran on the target, in registry order. */
  checkIds: string[];
  /** Metadata of the first check (title, suite, level). */
  meta: CheckMeta;
  /** Versions the scenario's checks have specRefs for (empty when unknown). */
  specVersions: ProtocolVersion[];
  /** Set when the scenario exists in exactly one protocol version ("1.0 only"). */
  onlyVersion?: ProtocolVersion;
  /** Results per cell; key: gridCellKey(version, binding). */
  cells: Map<string, CheckResult[]>;
  diffs: GridDiff[];
  /** A one-version scenario that fails or errors somewhere. */
  oneVersionFailure: boolean;
}

export interface TargetGrid {
  target: string;
  /** Versions with results for this target, protocol order. */
  versions: ProtocolVersion[];
  /** Bindings with results for this target, card (null) first. */
  bindings: (Binding | null)[];
  rows: GridRow[];
  counts: {
    scenarios: number;
    /** Scenarios with results on more than one version. */
    compared: number;
    regressions: number;
    fixed: number;
    onlyVersion: Partial<Record<ProtocolVersion, number>>;
    oneVersionFailures: number;
  };
}

export const gridCellKey = (version: ProtocolVersion, binding: Binding | null): string =>
  `${version}|${bindingLabel(binding)}`;

/** Versions each scenario is specified for: the union of the specRefs keys of its checks. */
export function scenarioVersions(results: ResultsFile): Map<string, ProtocolVersion[]> {
  const out = new Map<string, ProtocolVersion[]>();
  const add = (m: CheckMeta): void => {
    const scenario = m.scenario || m.id;
    const vs = out.get(scenario) ?? [];
    for (const v of Object.keys(m.specRefs ?? {}) as ProtocolVersion[]) {
      if (Array.isArray(own(m.specRefs, v)) && !vs.includes(v)) vs.push(v);
    }
    out.set(
      scenario,
      vs.sort((a, b) => versionRank(a) - versionRank(b)),
    );
  };
  for (const m of Object.values(results.checks ?? {})) add(m);
  return out;
}

/**
 * One grid per target: rows are scenarios (CheckMeta.scenario, so a 0.3 check and its 1.0 counterpart share
 * a row), columns are version × binding (card = the version-scoped binding-less column). Differences are
 * computed between consecutive versions in the same binding, on the worst outcome of each cell.
 */
export function versionGrids(results: ResultsFile): TargetGrid[] {
  const order = checkOrdering(results);
  const specVersions = scenarioVersions(results);
  const grids = new Map<string, TargetGrid>();
  const byScenario = new Map<string, Map<string, GridRow>>();
  for (const name of targetNames(results)) {
    grids.set(name, {
      target: name,
      versions: [],
      bindings: [],
      rows: [],
      counts: { scenarios: 0, compared: 0, regressions: 0, fixed: 0, onlyVersion: {}, oneVersionFailures: 0 },
    });
    byScenario.set(name, new Map());
  }
  for (const r of results.results) {
    const g = grids.get(r.target)!;
    const index = byScenario.get(r.target)!;
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
    if (!g.bindings.includes(r.binding)) g.bindings.push(r.binding);
    const meta = metaFor(results, r.checkId);
    const scenario = meta.scenario || r.checkId;
    let row = index.get(scenario);
    if (!row) {
      const sv = specVersions.get(scenario) ?? [];
      row = {
        scenario,
        checkIds: [],
        meta,
        specVersions: sv,
        ...(sv.length === 1 ? { onlyVersion: sv[0] } : {}),
        cells: new Map(),
        diffs: [],
        oneVersionFailure: false,
      };
      index.set(scenario, row);
      g.rows.push(row);
    }
    if (!row.checkIds.includes(r.checkId)) row.checkIds.push(r.checkId);
    const key = gridCellKey(r.version, r.binding);
    const cell = row.cells.get(key);
    if (cell) cell.push(r);
    else row.cells.set(key, [r]);
  }
  const out: TargetGrid[] = [];
  for (const g of grids.values()) {
    if (!g.rows.length) continue;
    g.versions.sort((a, b) => versionRank(a) - versionRank(b));
    g.bindings.sort((a, b) => bindingRank(a) - bindingRank(b));
    for (const row of g.rows) {
      row.checkIds.sort((a, b) => order.check(a) - order.check(b));
      row.meta = metaFor(results, row.checkIds[0]);
    }
    g.rows.sort(
      (a, b) =>
        order.suite(a.meta.suite) - order.suite(b.meta.suite) ||
        order.check(a.checkIds[0]) - order.check(b.checkIds[0]),
    );
    for (const row of g.rows) {
      let versionsRun = 0;
      for (const v of g.versions) if (g.bindings.some((b) => row.cells.has(gridCellKey(v, b)))) versionsRun++;
      if (versionsRun > 1) g.counts.compared++;
      for (let i = 1; i < g.versions.length; i++) {
        const from = g.versions[i - 1],
          to = g.versions[i];
        for (const binding of g.bindings) {
          const before = worstOutcome(row.cells.get(gridCellKey(from, binding)) ?? []);
          const after = worstOutcome(row.cells.get(gridCellKey(to, binding)) ?? []);
          if (!before || !after) continue;
          const kind =
            before === 'pass' && isFailing(after)
              ? 'regression'
              : isFailing(before) && after === 'pass'
                ? 'fixed'
                : null;
          if (kind) row.diffs.push({ binding, from, to, before, after, kind });
        }
      }
      row.oneVersionFailure =
        row.onlyVersion !== undefined && [...row.cells.values()].some((rs) => rs.some((r) => isFailing(r.outcome)));
      g.counts.scenarios++;
      g.counts.regressions += row.diffs.filter((d) => d.kind === 'regression').length;
      g.counts.fixed += row.diffs.filter((d) => d.kind === 'fixed').length;
      if (row.onlyVersion) g.counts.onlyVersion[row.onlyVersion] = (g.counts.onlyVersion[row.onlyVersion] ?? 0) + 1;
      if (row.oneVersionFailure) g.counts.oneVersionFailures++;
    }
    out.push(g);
  }
  return out;
}

/** Suite whose checks exercise A2A-Version negotiation (rendered as a table of what each server did). */
export const NEGOTIATION_SUITE = 'versions';

export interface NegotiationTable {
  target: string;
  /** Columns: version × binding cells present for this target's negotiation results. */
  columns: { version: ProtocolVersion; binding: Binding | null; label: string }[];
  rows: { checkId: string; meta: CheckMeta; cells: Map<string, CheckResult[]> }[];
}

/** Per target, the results of the `versions` suite; targets without such results are left out. */
export function negotiationTables(results: ResultsFile): NegotiationTable[] {
  const order = checkOrdering(results);
  const out: NegotiationTable[] = [];
  for (const target of targetNames(results)) {
    const rs = results.results.filter(
      (r) => r.target === target && metaFor(results, r.checkId).suite === NEGOTIATION_SUITE,
    );
    if (!rs.length) continue;
    const cols = new Map<string, { version: ProtocolVersion; binding: Binding | null }>();
    const rows = new Map<string, NegotiationTable['rows'][number]>();
    for (const r of rs) {
      const key = gridCellKey(r.version, r.binding);
      if (!cols.has(key)) cols.set(key, { version: r.version, binding: r.binding });
      let row = rows.get(r.checkId);
      if (!row)
        rows.set(r.checkId, (row = { checkId: r.checkId, meta: metaFor(results, r.checkId), cells: new Map() }));
      const cell = row.cells.get(key);
      if (cell) cell.push(r);
      else row.cells.set(key, [r]);
    }
    const columns = [...cols.values()].sort(
      (a, b) => versionRank(a.version) - versionRank(b.version) || bindingRank(a.binding) - bindingRank(b.binding),
    );
    const oneVersion = new Set(columns.map((c) => c.version)).size === 1;
    out.push({
      target,
      columns: columns.map((c) => ({
        ...c,
        label: oneVersion ? bindingLabel(c.binding) : `${c.version} · ${bindingLabel(c.binding)}`,
      })),
      rows: [...rows.values()].sort((a, b) => order.check(a.checkId) - order.check(b.checkId)),
    });
  }
  return out;
}

export interface CrossTargetCell {
  worst: Outcome;
  /** "version/binding" of every cell with the worst outcome. */
  where: string[];
  /** Number of version/binding cells the target has for the check. */
  cells: number;
}

export interface CrossTargetRow {
  checkId: string;
  meta: CheckMeta;
  /** Per target name; absent when the target has no result for the check. */
  cells: Map<string, CrossTargetCell>;
  /** Worst outcome over all targets (rows sort by it). */
  worst: Outcome;
}

/**
 * Check × target comparison (vendor comparison on merged results): rows are checks that are not `pass`
 * everywhere, worst first (error, fail, warn, untestable, info, skip), then registry order.
 */
export function crossTargetRows(results: ResultsFile): { targets: string[]; rows: CrossTargetRow[] } {
  const order = checkOrdering(results);
  const targets = targetNames(results).filter((t) => results.results.some((r) => r.target === t));
  const byCheck = new Map<string, Map<string, CheckResult[]>>();
  for (const r of results.results) {
    let m = byCheck.get(r.checkId);
    if (!m) byCheck.set(r.checkId, (m = new Map()));
    const list = m.get(r.target);
    if (list) list.push(r);
    else m.set(r.target, [r]);
  }
  const rows: CrossTargetRow[] = [];
  for (const [checkId, perTarget] of byCheck) {
    const cells = new Map<string, CrossTargetCell>();
    for (const [target, rs] of perTarget) {
      const worst = worstOutcome(rs)!;
      const where = rs
        .filter((r) => r.outcome === worst)
        .sort(
          (a, b) => versionRank(a.version) - versionRank(b.version) || bindingRank(a.binding) - bindingRank(b.binding),
        )
        .map((r) => `${r.version}/${bindingLabel(r.binding)}`);
      cells.set(target, {
        worst,
        where: [...new Set(where)],
        cells: new Set(rs.map((r) => gridCellKey(r.version, r.binding))).size,
      });
    }
    const worst = worstOf([...cells.values()].map((c) => c.worst))!;
    if (worst === 'pass') continue;
    rows.push({ checkId, meta: metaFor(results, checkId), cells, worst });
  }
  rows.sort(
    (a, b) =>
      WORST_FIRST.indexOf(a.worst) - WORST_FIRST.indexOf(b.worst) ||
      order.suite(a.meta.suite) - order.suite(b.meta.suite) ||
      order.check(a.checkId) - order.check(b.checkId),
  );
  return { targets, rows };
}
