import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult, ResultsFile } from '../../src/results/types.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { mdText, renderMarkdown } from '../../src/reporters/markdown.js';
import { embedJson, renderHtml } from '../../src/reporters/html.js';
import { REPORT_CSS, REPORT_JS } from '../../src/reporters/html-assets.js';
import { writeReports } from '../../src/reporters/index.js';
import { HOSTILE_MESSAGE, HOSTILE_NAME, buildSampleResults, summarize } from '../fixtures/results/sample.js';
import { child, findAll, parseXml, type XmlElement } from '../fixtures/junit/mini-xml.js';

const XSD = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url));
const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
};
const XMLLINT = which('xmllint');

const tmp = mkdtempSync(join(tmpdir(), 'reporters-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sample = buildSampleResults();
const testcases = (root: XmlElement) => findAll(root, 'testcase');
const attrInt = (el: XmlElement, k: string) => Number(el.attrs[k]);

/** A copy of the sample with results replaced (summary recomputed). */
function withResults(results: CheckResult[], patch: Partial<ResultsFile> = {}): ResultsFile {
  return { ...buildSampleResults(), results, summary: summarize(results), ...patch };
}

function xmllint(xml: string, name: string): { status: number | null; out: string } {
  const file = join(tmp, name);
  writeFileSync(file, xml);
  const r = spawnSync(XMLLINT!, ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('renderJunit', () => {
  const xml = renderJunit(sample);
  const root = parseXml(xml);
  const cases = testcases(root);

  it('is well-formed XML (strict mini parser) with a <testsuites> root', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(cases).toHaveLength(sample.results.length);
  });

  it.skipIf(!XMLLINT)('validates against test/fixtures/junit/junit.xsd with xmllint (normal, strict, broken target)', () => {
    expect(xmllint(xml, 'normal.xml')).toMatchObject({ status: 0 });
    expect(xmllint(renderJunit(sample, { strict: true }), 'strict.xml')).toMatchObject({ status: 0 });
    const broken = withResults(sample.results, {
      targets: [...sample.targets, { ...sample.targets[0], name: 'down', status: 'unreachable', statusMessage: 'connect ECONNREFUSED <x>]]>' }],
    });
    expect(xmllint(renderJunit(broken), 'broken.xml')).toMatchObject({ status: 0 });
  });
  it.skipIf(!XMLLINT)('the XSD check has teeth: xmllint rejects a testcase without name and a non-decimal time', () => {
    const bad = '<?xml version="1.0"?><testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c" time="1e-7"/></testsuite></testsuites>';
    expect(xmllint(bad, 'bad.xml').status).not.toBe(0);
  });
  it('the mini parser rejects malformed XML', () => {
    for (const bad of ['<a>]]></a>', '<a b=c/>', '<a>&foo;</a>', '<a/><b/>', '<a><b></a></b>', '<a b="<"/>', '<a>\u0000</a>', '<a b="1" b="2"/>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(parseXml('<a x="&lt;&#xA;&amp;"><![CDATA[]]]]><![CDATA[>]]>t&gt;</a>')).toMatchObject({ attrs: { x: '<\n&' }, text: ']]>t>' });
  });
  it.skipIf(XMLLINT !== null)('xmllint not installed (Debian: apt-get install libxml2-utils): XSD validation skipped, well-formedness checked by the mini parser', () => {
    expect(XMLLINT).toBeNull();
  });

  it('one testsuite per target × version × binding, named "<target> · <version> · <binding|card>"', () => {
    const names = findAll(root, 'testsuite').map((s) => s.attrs.name);
    expect(names).toContain('ref-v1 · 1.0 · jsonrpc');
    expect(names).toContain('ref-v1 · 0.3 · card');
    expect(names).toContain('gw-legacy · 1.0 · rest');
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(2 * 2 * 3);
  });

  it('failure/error/skipped counts match the outcomes (baseline-aware) on every level', () => {
    const expectFail = sample.results.filter((r) => r.baseline === 'stale' || (r.outcome === 'fail' && r.baseline !== 'expected')).length;
    const expectErr = sample.results.filter((r) => r.outcome === 'error' && r.baseline !== 'expected').length;
    const expectSkip = sample.results.filter((r) => (r.outcome === 'skip' || r.outcome === 'untestable') && !r.baseline).length;
    expect(cases.filter((c) => child(c, 'failure'))).toHaveLength(expectFail);
    expect(cases.filter((c) => child(c, 'error'))).toHaveLength(expectErr);
    expect(cases.filter((c) => child(c, 'skipped'))).toHaveLength(expectSkip);
    expect(attrInt(root, 'tests')).toBe(sample.results.length);
    expect(attrInt(root, 'failures')).toBe(expectFail);
    expect(attrInt(root, 'errors')).toBe(expectErr);
    expect(attrInt(root, 'skipped')).toBe(expectSkip);
    for (const s of findAll(root, 'testsuite')) {
      const cs = testcases(s);
      expect(attrInt(s, 'tests')).toBe(cs.length);
      expect(attrInt(s, 'failures')).toBe(cs.filter((c) => child(c, 'failure')).length);
      expect(attrInt(s, 'skipped')).toBe(cs.filter((c) => child(c, 'skipped')).length);
    }
  });

  it('<skipped> carries the reason as message (skip verbatim, untestable with its trigger)', () => {
    const skipped = cases.filter((c) => child(c, 'skipped'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const c of skipped) expect(child(c, 'skipped')!.attrs.message?.length).toBeGreaterThan(10);
    const push = skipped.find((c) => c.attrs.name.startsWith('push.config.set'))!;
    expect(child(push, 'skipped')!.attrs.message).toBe('capabilities.pushNotifications is false');
    const resume = skipped.find((c) => c.attrs.name.startsWith('tasks.input-required.resume'))!;
    expect(child(resume, 'skipped')!.attrs.message).toMatch(/^untestable: no trigger configured.*"input-required"/);
    expect(xml).not.toMatch(/<skipped\s*\/>/);
  });

  it('classname = <target>.<suite>.<version>.<binding|card>; classname+name unique; never shared across targets', () => {
    const keys = cases.map((c) => `${c.attrs.classname}\n${c.attrs.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(cases.map((c) => c.attrs.classname)).toContain('gw-legacy.streaming.1.0.jsonrpc');
    expect(cases.map((c) => c.attrs.classname)).toContain('ref-v1.card.0.3.card');
    const byTarget = (t: string) => new Set(cases.map((c) => c.attrs.classname).filter((n) => n.startsWith(`${t}.`)));
    for (const n of byTarget('ref-v1')) expect(byTarget('gw-legacy').has(n)).toBe(false);
    expect(byTarget('ref-v1').size + byTarget('gw-legacy').size).toBe(new Set(cases.map((c) => c.attrs.classname)).size);
    const sse = cases.find((c) => c.attrs.classname === 'gw-legacy.streaming.0.3.jsonrpc' && c.attrs.name.startsWith('streaming.sse.content-type'))!;
    expect(sse.attrs.name).toBe('streaming.sse.content-type — Streaming responses are text/event-stream');
  });

  it('failure body: requirement, spec section + URL of that version, expected vs actual, transcript with SSE t+ms', () => {
    const sse = cases.find((c) => c.attrs.classname === 'gw-legacy.streaming.1.0.jsonrpc' && c.attrs.name.startsWith('streaming.sse.content-type'))!;
    const f = child(sse, 'failure')!;
    expect(f.attrs).toMatchObject({ type: 'MUST', message: 'content-type was application/x-ndjson' });
    expect(f.text).toContain('Requirement: The server MUST respond with Content-Type: text/event-stream');
    expect(f.text).toContain('A2A 1.0 §3.1.2 [S10-20] https://a2a-protocol.org/v1.0.0/specification/#312-send-streaming-message');
    expect(f.text).toMatch(/expected: text\/event-stream\n\s+actual: {3}application\/x-ndjson/);
    expect(f.text).toContain('→ POST https://gw.example.test/a2a/agent/v1');
    expect(f.text).toContain('← 200 application/x-ndjson');
    expect(f.text).toMatch(/t\+14ms \{"jsonrpc"/);
    expect(f.text).toContain('schema: /result/status/state must be equal to one of the allowed values');
    // bodies are truncated to ~2 KB
    const html = cases.find((c) => c.attrs.classname === 'gw-legacy.core.0.3.rest' && c.attrs.name.startsWith('core.send.content-type'))!;
    expect(child(html, 'failure')!.text).toMatch(/… \[\d+ more chars\]/);
    expect(child(html, 'failure')!.text.length).toBeLessThan(8000);
  });

  it('error → <error>, with the transport error in the body', () => {
    const e = cases.find((c) => child(c, 'error'))!;
    expect(e.attrs.name).toMatch(/^errors\.unknown-method/);
    expect(child(e, 'error')!.attrs.message).toBe('transport error: connect ECONNRESET');
    expect(child(e, 'error')!.text).toContain('transport error: connect ECONNRESET 203.0.113.7:443');
    expect(child(e, 'error')!.text).toContain('3 more exchange(s)');
  });

  it('warn/info: passed testcase with a severity property and a <system-out> note; strict turns warn into failure type="SHOULD"', () => {
    const warns = cases.filter((c) => findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'warn'));
    const infos = cases.filter((c) => findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'info'));
    expect(warns.length).toBeGreaterThan(0);
    expect(infos.length).toBeGreaterThan(0);
    for (const c of [...warns, ...infos]) {
      expect(child(c, 'failure')).toBeUndefined();
      expect(child(c, 'skipped')).toBeUndefined();
      expect(child(c, 'system-out')?.text).toBeTruthy();
      expect(findAll(c, 'property').find((p) => p.attrs.name === 'severity')?.attrs.value).toMatch(/^(warn|info)$/);
    }
    const strictRoot = parseXml(renderJunit(sample, { strict: true }));
    const strictWarns = testcases(strictRoot).filter((c) => findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'warn'));
    for (const c of strictWarns) expect(child(c, 'failure')?.attrs.type).toBe('SHOULD');
    expect(attrInt(strictRoot, 'failures')).toBe(attrInt(root, 'failures') + warns.length);
    // info never fails, even in strict mode
    expect(testcases(strictRoot).filter((c) => findAll(c, 'property').some((p) => p.attrs.value === 'info') && child(c, 'failure'))).toHaveLength(0);
    // strict defaults to results.run.options.strict
    const optStrict = renderJunit({ ...sample, run: { ...sample.run, options: { strict: true } } });
    expect(attrInt(parseXml(optStrict), 'failures')).toBe(attrInt(strictRoot, 'failures'));
  });

  it('baseline: expected → passed and annotated; stale → failure; unexpected → normal failure', () => {
    const byBaseline = (b: string) => cases.filter((c) => findAll(c, 'property').some((p) => p.attrs.name === 'baseline' && p.attrs.value === b));
    const [expected] = byBaseline('expected');
    expect(child(expected, 'failure')).toBeUndefined();
    expect(child(expected, 'system-out')!.text).toMatch(/^expected failure: gateway wraps REST errors in HTML \(issue #12\)/);
    const [stale] = byBaseline('stale');
    expect(child(stale, 'failure')!.attrs.message).toBe('stale expected failure: the check now passes; remove it from expectedFailures');
    const [unexpected] = byBaseline('unexpected');
    expect(child(unexpected, 'failure')!.attrs.type).toBe('MUST');
  });

  it('hostile agent text is escaped: no raw markup, NUL made visible, several "]]>" survive intact', () => {
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('\u0000');
    expect(xml).not.toContain('\u0007');
    const c = cases.find((x) => x.attrs.classname === 'gw-legacy.card.1.0.card' && x.attrs.name.startsWith('card.fields.required'))!;
    const f = child(c, 'failure')!;
    const visible = HOSTILE_MESSAGE.replace('\u0000', '\\u0000').replace('\u0007', '\\u0007');
    expect(f.attrs.message).toBe(visible);
    expect(f.text).toContain(`Message: ${visible}`);
    expect(f.text.split(']]>').length - 1).toBeGreaterThanOrEqual(3); // 2 in the message + card skill description
    expect(f.text).toContain(HOSTILE_NAME);
    // lone surrogates and U+FFFF are not XML characters either
    const evil = withResults([{ ...sample.results[0], outcome: 'fail', message: 'a\uD800b\uFFFFc\u001Bd' }]);
    const out = renderJunit(evil);
    const msg = child(findAll(parseXml(out), 'testcase')[0], 'failure')!.attrs.message;
    expect(msg).toBe('a\uFFFDb\uFFFDc\\u001bd');
  });

  it('times are decimal seconds; rendering twice gives the same document (no shared builder state)', () => {
    for (const c of cases) expect(c.attrs.time).toMatch(/^\d+(\.\d+)?$/);
    const sse = cases.find((c) => c.attrs.name.startsWith('streaming.sse.content-type'))!;
    expect(sse.attrs.time).toBe('1.215');
    expect(renderJunit(sample)).toBe(xml);
  });

  it('a target that could not be tested (no results) becomes an <error> test case', () => {
    const down = withResults([], { targets: [{ ...sample.targets[0], name: 'down', status: 'start-failed', statusMessage: 'exit 1', processLog: { stdout: '', stderr: 'boom', exitCode: 1 } }] });
    const r = parseXml(renderJunit(down));
    const [tc] = testcases(r);
    expect(tc.attrs).toMatchObject({ classname: 'down.target', name: 'target-status — start-failed' });
    expect(child(tc, 'error')!.attrs.message).toBe('target start-failed: exit 1');
    expect(child(tc, 'error')!.text).toContain('boom');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(sample);

  it('has a verdict header, a table per target, failing checks and untestable-by-trigger', () => {
    expect(md.split('\n')[0]).toBe('## ❌ A2A conformance — FAIL: 7 failures, 1 error, 1 stale expectation, 1 expected failure');
    expect(md).toContain('### ref-v1');
    expect(md).toContain('### gw-legacy');
    expect(md.match(/^\| Version \| Binding \| ✅ pass \| ❌ fail \|/gm)).toHaveLength(2);
    expect(md).toContain('| 1.0 | rest | 1 | 2 | 1 | · | 1 | 2 | · |');
    expect(md).toContain('### Failing checks (9)');
    expect(md).toMatch(/\| `streaming\.sse\.content-type` \| MUST \| gw-legacy \| 1\.0 · jsonrpc \| content-type was application\/x-ndjson \| \[§3\.1\.2\]\(https:\/\/a2a-protocol\.org\/v1\.0\.0\/specification\/#312-send-streaming-message\) \|/);
    expect(md).toContain('| `input-required` | 8 |');
    expect(md).toContain('| `slow` | 8 |');
    expect(md).toContain('stale expectation: the check now passes');
  });

  it('neutralises Markdown/HTML injection and keeps table rows intact', () => {
    expect(md).not.toMatch(/<script|<img|<b /i);
    expect(md).not.toContain('](javascript:');
    expect(md).not.toContain('\u0000');
    const row = md.split('\n').find((l) => l.startsWith('| `card.fields.required`'))!;
    expect(row).toBeDefined();
    expect(row).toContain('\\[click\\]\\(javascript:alert\\(1\\)\\)');
    expect(row).toContain('\\`code\\`');
    // exactly 6 cells: split on pipes that are not backslash-escaped
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect(line.endsWith('|')).toBe(true);
    expect(mdText('a\nb|c')).toBe('a b\\|c');
    expect(mdText('![x](javascript:alert(1))')).toBe('\\!\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(mdText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('passes when nothing blocks, and lists strict warnings as failing in strict mode', () => {
    const ok = withResults(sample.results.filter((r) => r.outcome === 'pass' && !r.baseline));
    expect(renderMarkdown(ok).split('\n')[0]).toMatch(/^## ✅ A2A conformance — PASS/);
    const warnOnly = withResults(sample.results.filter((r) => r.outcome === 'warn'));
    expect(renderMarkdown(warnOnly)).not.toContain('### Failing checks');
    expect(renderMarkdown(warnOnly, { strict: true })).toContain(`### Failing checks (${warnOnly.results.length})`);
  });
});

describe('renderHtml', () => {
  const html = renderHtml(sample);
  const dataRe = /<script type="application\/json" id="results-data">([\s\S]*?)<\/script>/;

  it('embeds the results as JSON that round-trips exactly', () => {
    const m = dataRe.exec(html);
    expect(m).not.toBeNull();
    const raw = m![1];
    expect(raw).not.toMatch(/[<>\u2028\u2029]/);
    // The \uXXXX escapes are plain JSON escapes: JSON.parse is the unescape.
    expect(JSON.parse(raw)).toEqual(JSON.parse(JSON.stringify(sample)));
    const tricky = { s: '</script><!-- \u2028\u2029 & <b>' };
    expect(JSON.parse(embedJson(tricky))).toEqual(tricky);
    expect(embedJson(tricky)).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('contains no raw hostile markup anywhere (inside or outside the data block)', () => {
    expect(html).not.toContain('<script>window.__pwned');
    expect(html.replace(dataRe, '')).not.toContain('__pwned');
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
  });

  it('is self-contained: no external scripts, styles, images or fonts; CSP pins the inline code by hash', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(REPORT_CSS).not.toMatch(/@import|url\(/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${hash(REPORT_JS)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(REPORT_CSS)}'`);
    expect(html).toContain(`<script>${REPORT_JS}</script>`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
  });

  it('inline client code follows the safety rules and parses', () => {
    for (const banned of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', '</script', '<!--', 'fetch(', 'XMLHttpRequest']) {
      expect(REPORT_JS, banned).not.toContain(banned);
    }
    expect(REPORT_CSS).not.toContain('</style');
    expect(() => new Function(REPORT_JS)).not.toThrow();
  });

  it('stays reasonably small and fast for ~5k results', async () => {
    const { buildLargeResults } = await import('../fixtures/results/sample.js');
    const big = buildLargeResults(620);
    expect(big.results.length).toBeGreaterThan(5000);
    const t0 = performance.now();
    const out = renderHtml(big);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(out.length).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('writeReports', () => {
  it('writes exactly results.json, junit.xml, report.html and summary.md (atomically, creating the dir)', async () => {
    const dir = join(tmp, 'nested', 'out');
    const { files } = await writeReports(sample, dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['results.json', 'junit.xml', 'report.html', 'summary.md']);
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    const json = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(json).toBe(`${JSON.stringify(sample, null, 2)}\n`);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toBe(renderJunit(sample));
    // rewriting (as the runner does while checks finish) leaves no temp files behind
    await Promise.all([writeReports(sample, dir, { strict: true }), writeReports(sample, dir)]);
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(JSON.parse(json));
  });
});
