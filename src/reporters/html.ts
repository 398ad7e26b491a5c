/**
 * report.html: ONE self-contained file (inline CSS, JS and data; no external assets; works from file://,
 * CI artifact viewers and behind strict CSPs).
 *
 * Safety model (agent output is hostile):
 *  - the data sits in <script type="application/json" id="results-data">, with "<", ">", "&", U+2028 and
 *    U+2029 written as \uXXXX escapes, so no payload can close the tag or open a comment/script;
 *  - the UI is built by the inline script through textContent/createTextNode/setAttribute only;
 *  - a Content-Security-Policy allows exactly the inline script and style by hash, no network at all
 *    (default-src 'none'), so even a hypothetical injection could neither run nor call home.
 */
import { createHash } from 'node:crypto';
import type { ComparisonKind, ResultsFile } from '../results/types.js';
import { computeVerdict } from './common.js';
import { REPORT_CSS, REPORT_JS } from './html-assets.js';

/** JSON safe to embed in an HTML <script> data block (and still valid JSON: JSON.parse reads it back). */
const EMBED_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function embedJson(value: unknown, serialized?: string): string {
  // One pass (big runs embed megabytes here: every extra pass is another full copy in memory).
  return embedJsonChunk(serialized ?? JSON.stringify(value));
}

/** embedJson of a piece of JSON text: each escaped character is one UTF-16 unit, so pieces can be escaped apart. */
export function embedJsonChunk(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => EMBED_ESCAPES[c]!);
}

/** Escapes text and double-quoted attribute values (this file never emits single-quoted attributes). */
const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export interface HtmlOptions {
  /** Warnings count as blocking in the verdict. Default: results.run.options.strict. */
  strict?: boolean;
  /** `results` already serialized as JSON (results.json): embedded as is instead of serializing again. */
  json?: string;
}

export function renderHtml(results: ResultsFile, opts: HtmlOptions = {}): string {
  const { head, tail } = htmlParts(results, opts);
  return `${head}${embedJson(results, opts.json)}${tail}`;
}

/**
 * report.html around its data block: `head` + the embedded JSON (embedJson) + `tail` is the report. Lets a big run's
 * report be written in pieces, the results streamed in from results.json (embedJsonChunk per chunk), never held whole.
 */
export function htmlParts(
  results: ResultsFile,
  opts: Pick<HtmlOptions, 'strict'> = {},
): { head: string; tail: string } {
  const strict = opts.strict ?? results.run.options.strict ?? false;
  const verdict = computeVerdict(results, strict);
  const title = `A2A conformance — ${verdict.label}`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(REPORT_JS)}`,
    `style-src ${sha256(REPORT_CSS)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const page = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${escapeHtml(`${results.harness.name} ${results.harness.version}`)}">`,
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    `<body data-verdict="${verdict.status}" data-strict="${strict}">`,
    gatewayHtml(results),
    `<div id="app"><noscript><p>This report needs JavaScript. The same data is in results.json next to ` +
      `it.</p></noscript></div>`,
    `<script type="application/json" id="results-data">${DATA}</script>`,
    `<script>${REPORT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  const at = page.indexOf(DATA);
  return { head: page.slice(0, at), tail: page.slice(at + DATA.length) };
}

/** Where the data goes in the page (no escaped text can contain it: it has a raw "<"). */
const DATA = '<!--results-data-->';

const KIND_LABEL: Record<ComparisonKind, string> = {
  introduced: 'introduced by the gateway',
  hidden: 'hidden by the gateway',
  changed: 'changed',
  inherited: 'inherited',
};
const KIND_ORDER: ComparisonKind[] = ['introduced', 'hidden', 'changed'];

/**
 * Gateway vs direct, rendered here (static, escaped markup; no script needed): per gateway target the counts and every
 * introduced / hidden / changed (check, version, binding), so the gateway's faults read apart from the agent's own.
 */
export function gatewayHtml(results: ResultsFile, max = 200): string {
  const comparisons = results.comparisons ?? [];
  if (comparisons.length === 0) return '';
  const pill = (o: string) =>
    o === 'absent' ? '<td>— (not run)</td>' : `<td><span class="pill o-${escapeHtml(o)}">${escapeHtml(o)}</span></td>`;
  const parts: string[] = ['<section id="gateway-comparison" class="gateway-comparison">'];
  for (const c of comparisons) {
    parts.push(`<h2>Gateway ${escapeHtml(c.gateway)} vs direct ${escapeHtml(c.upstream)}</h2>`);
    if (c.status !== 'compared') {
      parts.push(`<p>Not compared: ${escapeHtml(c.message ?? c.status)}</p>`);
      continue;
    }
    const n = c.counts;
    parts.push(
      `<p data-introduced="${n.introduced}"><strong>${n.introduced}</strong> introduced by the gateway · ` +
        `<strong>${n.hidden}</strong> hidden by it · <strong>${n.changed}</strong> changed · ` +
        `<strong>${n.inherited}</strong> inherited (fail both ways: the agent's own)</p>`,
    );
    const rows = c.entries
      .filter((e) => e.kind !== 'inherited')
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    if (!rows.length) continue;
    parts.push(
      '<table><thead><tr><th>Difference</th><th>Check</th><th>Version · binding</th><th>Through the gateway</th>' +
        '<th>Direct</th><th>Message</th></tr></thead><tbody>',
    );
    for (const e of rows.slice(0, max))
      parts.push(
        `<tr data-kind="${e.kind}"><td>${KIND_LABEL[e.kind]}${e.expected ? ' (expected)' : ''}</td>` +
          `<td><code>${escapeHtml(e.checkId)}</code></td>` +
          `<td>${escapeHtml(`${e.version} · ${e.binding ?? 'card'}`)}</td>${pill(e.gateway)}${pill(e.direct)}` +
          `<td>${escapeHtml(e.gatewayMessage ?? e.directMessage ?? '')}</td></tr>`,
      );
    parts.push('</tbody></table>');
    if (rows.length > max) parts.push(`<p>…and ${rows.length - max} more in results.json.</p>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}
