/**
 * Short Markdown summary for $GITHUB_STEP_SUMMARY (and PR comments): verdict, one table per target,
 * failing checks, and untestable checks grouped by the trigger that would unlock them.
 *
 * Agent-controlled text (messages, card fields) is hostile: every interpolated string goes through
 * mdText(), which flattens it to one line, turns HTML metacharacters into entities and backslash-escapes
 * every Markdown metacharacter, so it can neither open a link, an image, a code span or an HTML tag, nor
 * break out of a table cell. Links are only ever built from harness data, and only to http(s) URLs.
 */
import { OUTCOMES } from '../core/types.js';
import type { Outcome } from '../core/types.js';
import type { CheckResult, ResultsFile } from '../results/types.js';
import {
  bindingLabel, computeVerdict, countOutcomes, formatDuration, groupResults, isBlocking, metaFor, safeHttpUrl, specRefsFor,
} from './common.js';

export interface MarkdownOptions {
  strict?: boolean;
  /** Maximum rows in the failing-checks table (GitHub caps a step summary at 1 MiB). Default 50. */
  maxFailures?: number;
}

const OUTCOME_HEAD: Record<Outcome, string> = {
  pass: '✅ pass', fail: '❌ fail', warn: '⚠️ warn', info: 'ℹ️ info', skip: '⏭️ skip', untestable: '❔ untestable', error: '💥 error',
};

/**
 * Agent text → inert Markdown text on a single line, at most `max` characters.
 * Control characters are dropped, HTML metacharacters become entities, Markdown metacharacters are
 * backslash-escaped (CommonMark allows escaping any ASCII punctuation; GitHub also honours `\|` in tables).
 */
export function mdText(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  let t = String(s).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/g, '').replace(/\s+/g, ' ').trim();
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
  const href = safe.replace(/[()[\]|<>`"' ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
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
  if (results.run.partial) meta.push(results.run.interrupted ? '**interrupted: partial results**' : '**in progress: partial results**');
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
      out.push(row([mdText(g.version), mdText(bindingLabel(g.binding)), ...OUTCOMES.map((o) => (c[o] ? String(c[o]) : '·'))]));
    }
    out.push('');
  }

  // Failing checks (everything that makes the run fail).
  const failing = groups.flatMap((g) => g.results.filter((r) => isBlocking(r, strict)));
  if (failing.length) {
    out.push(`### Failing checks (${failing.length})`, '');
    out.push(row(['Check', 'Level', 'Target', 'Version · binding', 'Message', 'Spec']));
    out.push(row(['---', '---', '---', '---', '---', '---']));
    for (const r of failing.slice(0, maxFailures)) {
      const m = metaFor(results, r.checkId);
      const refs = specRefsFor(m, r.version);
      const spec = refs.length ? refs.map((s) => link(`§${s.section}`, s.url)).join(', ') : '—';
      const label = r.baseline === 'stale' ? 'stale' : r.outcome === 'error' ? 'error' : m.level;
      out.push(row([code(r.checkId), mdText(label), mdText(r.target), `${mdText(r.version)} · ${mdText(bindingLabel(r.binding))}`, mdText(failingReason(r, strict), 160), spec]));
    }
    if (failing.length > maxFailures) out.push('', `…and ${failing.length - maxFailures} more; see report.html.`);
    out.push('');
  }
  if (v.expected) out.push(`${v.expected} expected failure(s) matched the baseline (not failing the run).`, '');

  // Untestable checks by trigger.
  const byTrigger = Object.entries(results.summary.untestableByTrigger ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
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
