/**
 * Helpers shared by the reporters. Everything here works on a ResultsFile alone: reports never look at
 * anything else, so a results.json copied off a CI runner renders the same reports.
 */
import { BINDINGS, OUTCOMES, PROTOCOL_VERSIONS } from '../core/types.js';
import type { Binding, Level, Outcome, ProtocolVersion, SpecRef } from '../core/types.js';
import type { CheckMeta, CheckResult, ResultsFile } from '../results/types.js';

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
  return o && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
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
  let unexpectedFailures = 0, errors = 0, strictWarnings = 0, stale = 0, expected = 0;
  for (const r of results.results) {
    if (r.baseline === 'stale') stale++;
    else if (r.baseline === 'expected') expected++;
    else if (r.outcome === 'fail') unexpectedFailures++;
    else if (r.outcome === 'error') errors++;
    else if (strict && r.outcome === 'warn') strictWarnings++;
  }
  const brokenTargets = results.targets.filter((t) => t.status !== 'tested').length;
  const blocking = unexpectedFailures + errors + strictWarnings + stale + brokenTargets;
  const parts: string[] = [];
  if (unexpectedFailures) parts.push(plural(unexpectedFailures, 'failure'));
  if (errors) parts.push(plural(errors, 'error'));
  if (strictWarnings) parts.push(plural(strictWarnings, 'warning') + ' (strict)');
  if (stale) parts.push(plural(stale, 'stale expectation'));
  if (brokenTargets) parts.push(plural(brokenTargets, 'target') + ' not tested');
  if (expected) parts.push(plural(expected, 'expected failure'));
  const status: Verdict['status'] = blocking > 0 ? 'fail' : results.run.partial ? 'incomplete' : 'pass';
  const head = status === 'fail' ? 'FAIL' : status === 'incomplete' ? (results.run.interrupted ? 'INTERRUPTED' : 'IN PROGRESS') : 'PASS';
  const label = parts.length ? `${head}: ${parts.join(', ')}` : `${head}: ${plural(results.results.length, 'check result')}`;
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
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
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
