/**
 * Short Markdown summary for $GITHUB_STEP_SUMMARY (and PR comments): verdict, one table per target,
 * failing checks, version differences (0.3 → 1.0 regressions, fixes, failing one-version checks; the full
 * grid is in report.html), the A2A-Version negotiation table, a check × target comparison when there are
 * several targets (merged vendor runs), and untestable checks grouped by the trigger that would unlock them.
 *
 * Agent-controlled text (messages, card fields) is hostile: every interpolated string goes through
 * mdText(), which flattens it to one line, turns HTML metacharacters into entities and backslash-escapes
 * every Markdown metacharacter, so it can neither open a link, an image, a code span or an HTML tag, nor
 * break out of a table cell. Links are only ever built from harness data, and only to http(s) URLs.
 */
import { OUTCOMES } from '../core/types.js';
import type { Outcome } from '../core/types.js';
import type { CheckResult, ComparisonKind, ResultsFile } from '../results/types.js';
import {
  bindingLabel,
  computeVerdict,
  countOutcomes,
  crossTargetRows,
  formatDuration,
  gridCellKey,
  groupResults,
  isBlocking,
  metaFor,
  negotiationTables,
  safeHttpUrl,
  specRefsFor,
  versionGrids,
  versionRank,
  worstOutcome,
} from './common.js';
import type { GridRow, TargetGrid } from './common.js';

export interface MarkdownOptions {
  strict?: boolean;
  /** Maximum rows in the failing-checks table (GitHub caps a step summary at 1 MiB). Default 50. */
  maxFailures?: number;
  /** Maximum rows in the version-differences table. Default 50. */
  maxVersionDiffs?: number;
  /** Maximum rows in the check × target comparison. Default 60. */
  maxCrossTarget?: number;
  /** Maximum rows per gateway in the gateway-vs-direct table. Default 50. */
  maxGatewayDiffs?: number;
}

const KIND_HEAD: Record<ComparisonKind, string> = {
  introduced: '❌ introduced by the gateway',
  hidden: '🙈 hidden by the gateway',
  changed: '↔️ changed',
  inherited: 'inherited',
};
const KIND_ORDER: ComparisonKind[] = ['introduced', 'hidden', 'changed'];

/** Per gateway target: the counts, then every introduced / hidden / changed (check, version, binding). */
function gatewaySection(results: ResultsFile, max: number): string[] {
  const out: string[] = [];
  for (const c of results.comparisons ?? []) {
    out.push(`### Gateway ${mdText(c.gateway)} vs direct ${mdText(c.upstream)}`, '');
    if (c.status !== 'compared') {
      out.push(`_Not compared: ${mdText(c.message ?? c.status, 300)}._`, '');
      continue;
    }
    const n = c.counts;
    out.push(
      `**${n.introduced}** introduced by the gateway · **${n.hidden}** hidden by it · **${n.changed}** changed · ` +
        `**${n.inherited}** inherited (fail both ways: the agent's own)`,
      '',
    );
    const rows = c.entries
      .filter((e) => e.kind !== 'inherited')
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    if (!rows.length) continue;
    out.push(row(['Difference', 'Check', 'Version · binding', 'Through the gateway', 'Direct', 'Message']));
    out.push(row(['---', '---', '---', '---', '---', '---']));
    for (const e of rows.slice(0, max)) {
      const outcome = (o: Outcome | 'absent') => (o === 'absent' ? '— (not run)' : OUTCOME_HEAD[o]);
      out.push(
        row([
          `${KIND_HEAD[e.kind]}${e.expected ? ' (expected)' : ''}`,
          code(e.checkId),
          `${mdText(e.version)} · ${mdText(bindingLabel(e.binding))}`,
          outcome(e.gateway),
          outcome(e.direct),
          mdText(e.gatewayMessage ?? e.directMessage ?? '', 160),
        ]),
      );
    }
    if (rows.length > max) out.push('', `…and ${rows.length - max} more; see report.html.`);
    out.push('');
  }
  return out;
}

const OUTCOME_HEAD: Record<Outcome, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  info: 'ℹ️ info',
  skip: '⏭️ skip',
  untestable: '❔ untestable',
  error: '💥 error',
};

/**
 * Agent text → inert Markdown text on a single line, at most `max` characters.
 * Control characters are dropped, HTML metacharacters become entities, Markdown metacharacters are
 * backslash-escaped (CommonMark allows escaping any ASCII punctuation; GitHub also honours `\|` in tables).
 */
export function mdText(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  let t = String(s)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  return t
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#!|~$@]/g, (c) => `\\${c}`);
}

/** A code span for harness identifiers; falls back to escaped text if the value could break out. */
function code(s: string): string {
  return /^[\w.\-:/@ ]{1,200}$/.test(s) ? `\`${s}\`` : mdText(s);
}

/** A link to a harness-provided URL, or plain text when the URL is not http(s). */
function link(text: string, url: string | undefined): string {
  const safe = safeHttpUrl(url);
  if (!safe) return mdText(text);
  const href = safe.replace(
    /[()[\]|<>`"' ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${mdText(text)}](${href})`;
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

function failingReason(r: CheckResult, strict: boolean): string {
  if (r.baseline === 'stale') return 'stale expectation: the check now passes; remove it from expectedFailures';
  if (r.outcome === 'warn' && strict) return `(strict) ${r.message}`;
  return r.message;
}

export function renderMarkdown(results: ResultsFile, opts: MarkdownOptions = {}): string {
  const strict = opts.strict ?? results.run.options.strict ?? false;
  const maxFailures = opts.maxFailures ?? 50;
  const v = computeVerdict(results, strict);
  const icon = v.status === 'pass' ? '✅' : v.status === 'fail' ? '❌' : '⏳';
  const out: string[] = [];

  out.push(`## ${icon} A2A conformance — ${mdText(v.label, 300)}`, '');
  const specs = results.specVersions.map((s) => `${s.version}${s.profile ? ` (profile ${s.profile})` : ''}`).join(', ');
  const meta = [
    `${mdText(results.harness.name)} ${mdText(results.harness.version)}`,
    `run ${code(results.run.id)}`,
    `started ${mdText(results.run.startedAt)}`,
    formatDuration(results.run.durationMs),
    `A2A ${mdText(specs || '—')}`,
    `strict ${strict ? 'on' : 'off'}`,
  ];
  if (results.run.partial)
    meta.push(results.run.interrupted ? '**interrupted: partial results**' : '**in progress: partial results**');
  out.push(meta.join(' · '), '');

  // One table per target.
  const groups = groupResults(results);
  const targetNames = [...new Set([...results.targets.map((t) => t.name), ...groups.map((g) => g.target)])];
  for (const name of targetNames) {
    const t = results.targets.find((x) => x.name === name);
    const status = t ? (t.status === 'tested' ? '' : ` — **${mdText(t.status)}**`) : '';
    out.push(`### ${mdText(name)}${status}`, '');
    if (t) {
      const bits = [mdText(t.url)];
      if (t.statusMessage) bits.push(mdText(t.statusMessage, 300));
      out.push(bits.join(' — '), '');
    }
    const tg = groups.filter((g) => g.target === name);
    if (!tg.length) {
      out.push('_No check results._', '');
      continue;
    }
    out.push(row(['Version', 'Binding', ...OUTCOMES.map((o) => OUTCOME_HEAD[o])]));
    out.push(row(['---', '---', ...OUTCOMES.map(() => '---:')]));
    for (const g of tg) {
      const c = countOutcomes(g.results);
      out.push(
        row([mdText(g.version), mdText(bindingLabel(g.binding)), ...OUTCOMES.map((o) => (c[o] ? String(c[o]) : '·'))]),
      );
    }
    out.push('');
  }

  out.push(...gatewaySection(results, opts.maxGatewayDiffs ?? 50));

  // Failing checks (everything that makes the run fail).
  const failing = groups.flatMap((g) => g.results.filter((r) => isBlocking(r, strict)));
  if (failing.length) {
    const gated = results.run.options.gate === 'introduced' ? '; the gate counts only what gateways introduce' : '';
    out.push(`### Failing checks (${failing.length}${gated})`, '');
    out.push(row(['Check', 'Level', 'Target', 'Version · binding', 'Message', 'Spec']));
    out.push(row(['---', '---', '---', '---', '---', '---']));
    for (const r of failing.slice(0, maxFailures)) {
      const m = metaFor(results, r.checkId);
      const refs = specRefsFor(m, r.version);
      const spec = refs.length ? refs.map((s) => link(`§${s.section}`, s.url)).join(', ') : '—';
      const label = r.baseline === 'stale' ? 'stale' : r.outcome === 'error' ? 'error' : m.level;
      out.push(
        row([
          code(r.checkId),
          mdText(label),
          mdText(r.target),
          `${mdText(r.version)} · ${mdText(bindingLabel(r.binding))}`,
          mdText(failingReason(r, strict), 160),
          spec,
        ]),
      );
    }
    if (failing.length > maxFailures) out.push('', `…and ${failing.length - maxFailures} more; see report.html.`);
    out.push('');
  }
  if (v.expected) out.push(`${v.expected} expected failure(s) matched the baseline (not failing the run).`, '');

  out.push(...versionSection(results, opts.maxVersionDiffs ?? 50));
  out.push(...negotiationSection(results));
  out.push(...crossTargetSection(results, opts.maxCrossTarget ?? 60));

  // Untestable checks by trigger.
  const byTrigger = Object.entries(results.summary.untestableByTrigger ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (byTrigger.length) {
    out.push('### Untestable checks by trigger', '');
    out.push('Configure these triggers in targets.yaml to test more:', '');
    out.push(row(['Trigger that would unlock them', 'Checks']));
    out.push(row(['---', '---:']));
    for (const [trigger, n] of byTrigger) out.push(row([code(trigger), String(n)]));
    out.push('');
  }

  out.push('<sub>Details: report.html (transcripts, expected vs actual) · junit.xml · results.json</sub>', '');
  return out.join('\n');
}

const cellOutcome = (rs: readonly CheckResult[] | undefined): string => {
  const w = rs && worstOutcome(rs);
  return w ? OUTCOME_HEAD[w] : '—';
};

/** Check ids of a grid row (the scenario id when none ran, which cannot happen for a rendered row). */
const rowChecks = (row: GridRow): string => (row.checkIds.length ? row.checkIds : [row.scenario]).map(code).join(' / ');

/**
 * Version differences: per-target counts, then only the rows that differ between versions (regressions,
 * fixes, one-version scenarios that fail). Omitted when no target was tested on more than one version.
 */
function versionSection(results: ResultsFile, max: number): string[] {
  const grids = versionGrids(results);
  const versions = [...new Set(grids.flatMap((g) => g.versions))];
  if (!grids.some((g) => g.versions.length > 1)) return [];
  versions.sort((a, b) => versionRank(a) - versionRank(b));
  const [oldest, newest] = [versions[0], versions[versions.length - 1]];
  const out: string[] = [`### Versions: ${mdText(oldest)} → ${mdText(newest)}`, ''];
  out.push(
    `Rows aligned by scenario; a **regression** passes on ${mdText(oldest)} and fails on ${mdText(newest)} ` +
      `in the same binding. Full grid in report.html.`,
    '',
  );
  const dot = (n: number): string => (n ? String(n) : '·');
  out.push(
    row([
      'Target',
      'Compared',
      'Regressions',
      `Fixed in ${mdText(newest)}`,
      ...versions.map((v) => `${mdText(v)} only`),
      'One-version failures',
    ]),
  );
  out.push(row(['---', ...Array<string>(versions.length + 4).fill('---:')]));
  for (const g of grids) {
    const single = g.versions.length < 2;
    out.push(
      row([
        mdText(g.target),
        single ? `— (${mdText(g.versions.join(', '))} only)` : String(g.counts.compared),
        single ? '—' : g.counts.regressions ? `**${g.counts.regressions}**` : '·',
        single ? '—' : dot(g.counts.fixed),
        ...versions.map((v) => dot(g.counts.onlyVersion[v] ?? 0)),
        dot(g.counts.oneVersionFailures),
      ]),
    );
  }
  out.push('');

  const diffs: string[][] = [];
  for (const g of grids) diffRows(g, diffs);
  if (!diffs.length) {
    out.push(`_No differences between versions._`, '');
    return out;
  }
  out.push(row(['Target', 'Check', 'Binding', ...versions.map((v) => mdText(v)), 'Difference']));
  out.push(row(['---', '---', '---', ...versions.map(() => '---'), '---']));
  for (const cells of diffs.slice(0, max)) out.push(row(cells));
  if (diffs.length > max) out.push('', `…and ${diffs.length - max} more; see report.html.`);
  out.push('');
  return out;

  function diffRows(g: TargetGrid, acc: string[][]): void {
    for (const r of g.rows) {
      const cellsOf = (binding: CheckResult['binding']): string[] =>
        versions.map((v) => cellOutcome(r.cells.get(gridCellKey(v, binding))));
      for (const d of r.diffs) {
        const label =
          d.kind === 'regression' ? `**regression** (${mdText(d.from)} → ${mdText(d.to)})` : `fixed in ${mdText(d.to)}`;
        acc.push([mdText(g.target), rowChecks(r), mdText(bindingLabel(d.binding)), ...cellsOf(d.binding), label]);
      }
      if (r.oneVersionFailure && r.onlyVersion) {
        for (const b of g.bindings) {
          const rs = r.cells.get(gridCellKey(r.onlyVersion, b));
          if (rs?.some((x) => x.outcome === 'fail' || x.outcome === 'error')) {
            acc.push([
              mdText(g.target),
              rowChecks(r),
              mdText(bindingLabel(b)),
              ...cellsOf(b),
              `${mdText(r.onlyVersion)} only`,
            ]);
          }
        }
      }
    }
  }
}

/** What each server did with the A2A-Version header (results of the `versions` suite), per target. */
function negotiationSection(results: ResultsFile): string[] {
  const out: string[] = [];
  for (const t of negotiationTables(results)) {
    out.push(`### Version negotiation — ${mdText(t.target)}`, '');
    out.push(row(['Check', ...t.columns.map((c) => mdText(c.label))]));
    out.push(row(['---', ...t.columns.map(() => '---')]));
    for (const r of t.rows) {
      out.push(
        row([
          mdText(r.meta.title || r.checkId, 100),
          ...t.columns.map((c) => {
            const rs = r.cells.get(gridCellKey(c.version, c.binding));
            if (!rs?.length) return '—';
            return rs
              .map((x) => `${OUTCOME_HEAD[x.outcome] ?? mdText(x.outcome)}: ${mdText(x.message, 120)}`)
              .join('; ');
          }),
        ]),
      );
    }
    out.push('');
  }
  return out;
}

/** Check × target table for comparing targets (vendors): only checks that are not `pass` everywhere. */
function crossTargetSection(results: ResultsFile, max: number): string[] {
  const { targets, rows } = crossTargetRows(results);
  if (targets.length < 2 || !rows.length) return [];
  const out: string[] = [
    `### Across targets (${rows.length} check${rows.length === 1 ? '' : 's'} not passing everywhere)`,
    '',
  ];
  out.push('Worst outcome per target, and where it happened (version/binding):', '');
  out.push(row(['Check', ...targets.map((t) => mdText(t, 60))]));
  out.push(row(['---', ...targets.map(() => '---')]));
  for (const r of rows.slice(0, max)) {
    out.push(
      row([
        code(r.checkId),
        ...targets.map((t) => {
          const c = r.cells.get(t);
          if (!c) return '—';
          if (c.worst === 'pass') return OUTCOME_HEAD.pass;
          const where =
            c.where.length > 1 && c.where.length === c.cells
              ? c.cells === 2
                ? 'both cells'
                : `all ${c.cells} cells`
              : c.where.slice(0, 2).join(', ') + (c.where.length > 2 ? ` +${c.where.length - 2}` : '');
          return `${OUTCOME_HEAD[c.worst]} (${mdText(where)})`;
        }),
      ]),
    );
  }
  if (rows.length > max) out.push('', `+${rows.length - max} more; see report.html.`);
  out.push('');
  return out;
}
