import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { crossTargetRows, gridCellKey, negotiationTables, versionGrids } from '../../src/reporters/common.js';
import type { TargetGrid } from '../../src/reporters/common.js';
import { mergeResults } from '../../src/cli/merge.js';
import { summarize as summarizeResults } from '../../src/results/summarize.js';
import {
  HOSTILE_MESSAGE,
  HOSTILE_NAME,
  buildLargeResults,
  buildSampleResults,
  summarize,
} from '../fixtures/results/sample.js';
import { child, findAll, parseXml, type XmlElement } from '../fixtures/junit/mini-xml.js';
import { XMLLINT_TOOL, toolGate } from '../helpers/system-tools.js';

const XSD = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url));
/** xmllint: skipped with a notice when missing, failing when missing in CI (test/helpers/system-tools.ts). */
const XMLLINT = toolGate(XMLLINT_TOOL);

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
  const r = spawnSync(XMLLINT.require(), ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
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

  it.skipIf(XMLLINT.skip)(
    'validates against test/fixtures/junit/junit.xsd with xmllint (normal, strict, broken target)',
    () => {
      expect(xmllint(xml, 'normal.xml')).toMatchObject({ status: 0 });
      expect(xmllint(renderJunit(sample, { strict: true }), 'strict.xml')).toMatchObject({ status: 0 });
      const broken = withResults(sample.results, {
        targets: [
          ...sample.targets,
          { ...sample.targets[0], name: 'down', status: 'unreachable', statusMessage: 'connect ECONNREFUSED <x>]]>' },
        ],
      });
      expect(xmllint(renderJunit(broken), 'broken.xml')).toMatchObject({ status: 0 });
    },
  );
  it.skipIf(XMLLINT.skip)(
    'the XSD check has teeth: xmllint rejects a testcase without name and a non-decimal time',
    () => {
      const bad =
        '<?xml version="1.0"?><testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase ' +
        'classname="c" time="1e-7"/></testsuite></testsuites>';
      expect(xmllint(bad, 'bad.xml').status).not.toBe(0);
    },
  );
  it('the mini parser rejects malformed XML', () => {
    for (const bad of [
      '<a>]]></a>',
      '<a b=c/>',
      '<a>&foo;</a>',
      '<a/><b/>',
      '<a><b></a></b>',
      '<a b="<"/>',
      '<a>\u0000</a>',
      '<a b="1" b="2"/>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow();
    }
    expect(parseXml('<a x="&lt;&#xA;&amp;"><![CDATA[]]]]><![CDATA[>]]>t&gt;</a>')).toMatchObject({
      attrs: { x: '<\n&' },
      text: ']]>t>',
    });
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
    const expectFail = sample.results.filter(
      (r) => r.baseline === 'stale' || (r.outcome === 'fail' && r.baseline !== 'expected'),
    ).length;
    const expectErr = sample.results.filter((r) => r.outcome === 'error' && r.baseline !== 'expected').length;
    const expectSkip = sample.results.filter(
      (r) => (r.outcome === 'skip' || r.outcome === 'untestable') && !r.baseline,
    ).length;
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

  it(
    'classname = <target>.<suite>.<version>.<binding|card>; classname+name unique; never shared across ' + 'targets',
    () => {
      const keys = cases.map((c) => `${c.attrs.classname}\n${c.attrs.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(cases.map((c) => c.attrs.classname)).toContain('gw-legacy.streaming.1.0.jsonrpc');
      expect(cases.map((c) => c.attrs.classname)).toContain('ref-v1.card.0.3.card');
      const byTarget = (t: string) => new Set(cases.map((c) => c.attrs.classname).filter((n) => n.startsWith(`${t}.`)));
      for (const n of byTarget('ref-v1')) expect(byTarget('gw-legacy').has(n)).toBe(false);
      expect(byTarget('ref-v1').size + byTarget('gw-legacy').size).toBe(
        new Set(cases.map((c) => c.attrs.classname)).size,
      );
      const sse = cases.find(
        (c) =>
          c.attrs.classname === 'gw-legacy.streaming.0.3.jsonrpc' &&
          c.attrs.name.startsWith('streaming.sse.content-type'),
      )!;
      expect(sse.attrs.name).toBe('streaming.sse.content-type — Streaming responses are text/event-stream');
    },
  );

  it(
    'failure body: requirement, spec section + URL of that version, expected vs actual, transcript with SSE ' + 't+ms',
    () => {
      const sse = cases.find(
        (c) =>
          c.attrs.classname === 'gw-legacy.streaming.1.0.jsonrpc' &&
          c.attrs.name.startsWith('streaming.sse.content-type'),
      )!;
      const f = child(sse, 'failure')!;
      expect(f.attrs).toMatchObject({ type: 'MUST', message: 'content-type was application/x-ndjson' });
      expect(f.text).toContain('Requirement: The server MUST respond with Content-Type: text/event-stream');
      expect(f.text).toContain(
        'A2A 1.0 §3.1.2 [S10-20] https://a2a-protocol.org/v1.0.0/specification/#312-send-streaming-message',
      );
      expect(f.text).toMatch(/expected: text\/event-stream\n\s+actual: {3}application\/x-ndjson/);
      expect(f.text).toContain('→ POST https://gw.example.test/a2a/agent/v1');
      expect(f.text).toContain('← 200 application/x-ndjson');
      expect(f.text).toMatch(/t\+14ms \{"jsonrpc"/);
      expect(f.text).toContain('schema: /result/status/state must be equal to one of the allowed values');
      // bodies are truncated to ~2 KB
      const html = cases.find(
        (c) => c.attrs.classname === 'gw-legacy.core.0.3.rest' && c.attrs.name.startsWith('core.send.content-type'),
      )!;
      expect(child(html, 'failure')!.text).toMatch(/… \[\d+ more chars\]/);
      expect(child(html, 'failure')!.text.length).toBeLessThan(8000);
    },
  );

  it('error → <error>, with the transport error in the body', () => {
    const e = cases.find((c) => child(c, 'error'))!;
    expect(e.attrs.name).toMatch(/^errors\.unknown-method/);
    expect(child(e, 'error')!.attrs.message).toBe('transport error: connect ECONNRESET');
    expect(child(e, 'error')!.text).toContain('transport error: connect ECONNRESET 203.0.113.7:443');
    expect(child(e, 'error')!.text).toContain('3 more exchange(s)');
  });

  it(
    'warn/info: passed testcase with a severity property and a <system-out> note; strict turns warn into ' +
      'failure type="SHOULD"',
    () => {
      const warns = cases.filter((c) =>
        findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'warn'),
      );
      const infos = cases.filter((c) =>
        findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'info'),
      );
      expect(warns.length).toBeGreaterThan(0);
      expect(infos.length).toBeGreaterThan(0);
      for (const c of [...warns, ...infos]) {
        expect(child(c, 'failure')).toBeUndefined();
        expect(child(c, 'skipped')).toBeUndefined();
        expect(child(c, 'system-out')?.text).toBeTruthy();
        expect(findAll(c, 'property').find((p) => p.attrs.name === 'severity')?.attrs.value).toMatch(/^(warn|info)$/);
      }
      const strictRoot = parseXml(renderJunit(sample, { strict: true }));
      const strictWarns = testcases(strictRoot).filter((c) =>
        findAll(c, 'property').some((p) => p.attrs.name === 'outcome' && p.attrs.value === 'warn'),
      );
      for (const c of strictWarns) expect(child(c, 'failure')?.attrs.type).toBe('SHOULD');
      expect(attrInt(strictRoot, 'failures')).toBe(attrInt(root, 'failures') + warns.length);
      // info never fails, even in strict mode
      expect(
        testcases(strictRoot).filter(
          (c) => findAll(c, 'property').some((p) => p.attrs.value === 'info') && child(c, 'failure'),
        ),
      ).toHaveLength(0);
      // strict defaults to results.run.options.strict
      const optStrict = renderJunit({ ...sample, run: { ...sample.run, options: { strict: true } } });
      expect(attrInt(parseXml(optStrict), 'failures')).toBe(attrInt(strictRoot, 'failures'));
    },
  );

  it('baseline: expected → passed and annotated; stale → failure; unexpected → normal failure', () => {
    const byBaseline = (b: string) =>
      cases.filter((c) => findAll(c, 'property').some((p) => p.attrs.name === 'baseline' && p.attrs.value === b));
    const [expected] = byBaseline('expected');
    expect(child(expected, 'failure')).toBeUndefined();
    expect(child(expected, 'system-out')!.text).toMatch(
      /^expected failure: gateway wraps REST errors in HTML \(issue #12\)/,
    );
    const [stale] = byBaseline('stale');
    expect(child(stale, 'failure')!.attrs.message).toBe(
      'stale expected failure: the check now passes; remove it from expectedFailures',
    );
    const [unexpected] = byBaseline('unexpected');
    expect(child(unexpected, 'failure')!.attrs.type).toBe('MUST');
  });

  it('hostile agent text is escaped: no raw markup, NUL made visible, several "]]>" survive intact', () => {
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('\u0000');
    expect(xml).not.toContain('\u0007');
    const c = cases.find(
      (x) => x.attrs.classname === 'gw-legacy.card.1.0.card' && x.attrs.name.startsWith('card.fields.required'),
    )!;
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
    const down = withResults([], {
      targets: [
        {
          ...sample.targets[0],
          name: 'down',
          status: 'start-failed',
          statusMessage: 'exit 1',
          processLog: { stdout: '', stderr: 'boom', exitCode: 1 },
        },
      ],
    });
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
    expect(md.split('\n')[0]).toBe(
      '## ❌ A2A conformance — FAIL: 7 failures, 1 error, 1 stale expectation, 1 expected failure',
    );
    expect(md).toContain('### ref-v1');
    expect(md).toContain('### gw-legacy');
    expect(md.match(/^\| Version \| Binding \| ✅ pass \| ❌ fail \|/gm)).toHaveLength(2);
    expect(md).toContain('| 1.0 | rest | 1 | 2 | 1 | · | 1 | 2 | · |');
    expect(md).toContain('### Failing checks (9)');
    expect(md).toContain(
      '| `streaming.sse.content-type` | MUST | gw-legacy | 1.0 · jsonrpc | content-type was application/x-ndjson | ' +
        '[§3.1.2](https://a2a-protocol.org/v1.0.0/specification/#312-send-streaming-message) |',
    );
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
    for (const banned of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'eval(',
      'new Function',
      '</script',
      '<!--',
      'fetch(',
      'XMLHttpRequest',
    ]) {
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
  it('writes exactly results.json, junit.xml, report.html, summary.md and ctrf.json (atomically)', async () => {
    const dir = join(tmp, 'nested', 'out');
    const { files } = await writeReports(sample, dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'results.json',
      'junit.xml',
      'report.html',
      'summary.md',
      'ctrf.json',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['ctrf.json', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    const json = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(json).toBe(`${JSON.stringify(sample, null, 2)}\n`);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toBe(renderJunit(sample));
    // rewriting (as the runner does while checks finish) leaves no temp files behind
    await Promise.all([writeReports(sample, dir, { strict: true }), writeReports(sample, dir)]);
    expect(readdirSync(dir).sort()).toEqual(['ctrf.json', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(JSON.parse(json));
  });

  it('streams a written results.json into report.html: the same bytes as renderHtml, across chunks', async () => {
    const dir = join(tmp, 'streamed');
    // Over 1 MiB of multi-byte and escaped characters, so chunk boundaries fall inside them.
    const message = `é€😀<\u2028>&</script>`.repeat(90_000);
    const results = withResults([{ ...sample.results[0]!, message }]);
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(join(dir, 'results.json'), text);
    const { files, errors } = await writeReports(results, dir, { resultsPath: join(dir, 'results.json') });
    expect(errors).toEqual([]);
    expect(files).toHaveLength(5);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(text);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toBe(renderHtml(results, { json: text }));
    expect(html).not.toContain('</script>é');
  });
});

const sampleMd = renderMarkdown(sample);

/** Lines of a Markdown section (from its heading to the next heading). */
function mdSection(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^#{1,3} /.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}
const cellsOf = (line: string): string[] =>
  line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
const gridOf = (file: ResultsFile, target: string): TargetGrid => versionGrids(file).find((g) => g.target === target)!;
const rowOf = (g: TargetGrid, checkId: string) => g.rows.find((r) => r.checkIds.includes(checkId))!;

describe('version grid (0.3 × 1.0 per target)', () => {
  it("aligns rows by scenario, with card/jsonrpc/rest columns per version, and flags the sample's differences", () => {
    const gw = gridOf(sample, 'gw-legacy');
    expect(gw.versions).toEqual(['0.3', '1.0']);
    expect(gw.bindings).toEqual([null, 'jsonrpc', 'rest']);
    expect(gw.rows.map((r) => r.scenario)).toContain('card.fields'); // scenario, not check id
    expect(gw.rows).toHaveLength(
      new Set(sample.results.filter((r) => r.target === 'gw-legacy').map((r) => r.checkId)).size,
    );
    // card.fields.required: pass on 0.3 (card), fail on 1.0 (card) → regression
    expect(rowOf(gw, 'card.fields.required').diffs).toEqual([
      { binding: null, from: '0.3', to: '1.0', before: 'pass', after: 'fail', kind: 'regression' },
    ]);
    // fail (expected) on 0.3/rest, pass on 1.0/rest → fixed; error → pass also counts as fixed
    expect(rowOf(gw, 'core.send.returns-task-or-message').diffs).toMatchObject([{ binding: 'rest', kind: 'fixed' }]);
    expect(rowOf(gw, 'errors.unknown-method').diffs).toMatchObject([
      { binding: 'jsonrpc', before: 'error', after: 'pass', kind: 'fixed' },
    ]);
    // failing on both versions, or warn/skip/untestable differences: not flagged
    expect(rowOf(gw, 'streaming.sse.content-type').diffs).toEqual([]);
    expect(rowOf(gw, 'streaming.sse.first-event-latency').diffs).toEqual([]);
    expect(gw.counts).toMatchObject({ regressions: 1, fixed: 2, onlyVersion: { '1.0': 1 }, oneVersionFailures: 0 });
    expect(gridOf(sample, 'ref-v1').counts).toMatchObject({ regressions: 0, fixed: 0 });
    // "1.0 only": its specRefs name only 1.0
    expect(rowOf(gw, 'extensions.declared.info').onlyVersion).toBe('1.0');
    expect(rowOf(gw, 'card.fields.required').onlyVersion).toBeUndefined();
  });

  it('flags a check that passes on 0.3/jsonrpc and fails on 1.0/jsonrpc as a regression (grid and summary.md)', () => {
    const results = sample.results.map((r) =>
      r.target === 'ref-v1' && r.checkId === 'core.send.content-type' && r.version === '1.0' && r.binding === 'jsonrpc'
        ? { ...r, outcome: 'fail' as const, message: 'content-type was text/plain' }
        : r,
    );
    const file = withResults(results);
    const row = rowOf(gridOf(file, 'ref-v1'), 'core.send.content-type');
    expect(row.diffs).toEqual([
      { binding: 'jsonrpc', from: '0.3', to: '1.0', before: 'pass', after: 'fail', kind: 'regression' },
    ]);
    expect(row.cells.get(gridCellKey('1.0', 'jsonrpc'))!.map((r) => r.outcome)).toEqual(['fail']);
    expect(gridOf(file, 'ref-v1').counts.regressions).toBe(1);

    const section = mdSection(renderMarkdown(file), '### Versions: 0.3 → 1.0');
    expect(section.length).toBeGreaterThan(0);
    const counts = section.find((l) => l.startsWith('| ref-v1 |'))!;
    expect(cellsOf(counts)).toEqual(['ref-v1', '11', '**1**', '·', '·', '1', '·']);
    const diff = section.filter((l) => l.includes('`core.send.content-type`'));
    expect(diff).toHaveLength(1);
    expect(cellsOf(diff[0])).toEqual([
      'ref-v1',
      '`core.send.content-type`',
      'jsonrpc',
      '✅ pass',
      '❌ fail',
      '**regression** (0.3 → 1.0)',
    ]);
    // the reverse is "fixed in 1.0"
    const reverse = withResults(
      sample.results.map((r) =>
        r.target === 'ref-v1' &&
        r.checkId === 'core.send.content-type' &&
        r.version === '0.3' &&
        r.binding === 'jsonrpc'
          ? { ...r, outcome: 'error' as const }
          : r,
      ),
    );
    expect(rowOf(gridOf(reverse, 'ref-v1'), 'core.send.content-type').diffs).toMatchObject([
      { kind: 'fixed', before: 'error', after: 'pass' },
    ]);
  });

  it('a 0.3 check and its 1.0 counterpart (same scenario) share one row and are compared', () => {
    const file = buildSampleResults();
    const base = file.checks['errors.unknown-method'];
    file.checks = {
      ...file.checks,
      'errors.unknown-method': { ...base, specRefs: { '0.3': base.specRefs['0.3'] } },
      'errors.unknown-method.v1': {
        ...base,
        id: 'errors.unknown-method.v1',
        specRefs: { '1.0': base.specRefs['1.0'] },
      },
    };
    file.results = file.results.map((r) => {
      if (r.checkId !== 'errors.unknown-method' || r.version !== '1.0') return r;
      return {
        ...r,
        checkId: 'errors.unknown-method.v1',
        ...(r.target === 'ref-v1' ? { outcome: 'fail' as const } : {}),
      };
    });
    const row = rowOf(gridOf(file, 'ref-v1'), 'errors.unknown-method.v1');
    expect(row.checkIds).toEqual(['errors.unknown-method', 'errors.unknown-method.v1']);
    expect(row.onlyVersion).toBeUndefined(); // the scenario exists in both versions
    expect(row.diffs).toMatchObject([{ binding: 'jsonrpc', kind: 'regression' }]);
    expect(renderMarkdown(file)).toContain(
      '| ref-v1 | `errors.unknown-method` / `errors.unknown-method.v1` | jsonrpc | ✅ pass | ❌ fail | ' +
        '**regression** (0.3 → 1.0) |',
    );
  });

  it('summary.md lists only differences (regressions, fixes, failing one-version checks) plus counts', () => {
    const section = mdSection(sampleMd, '### Versions: 0.3 → 1.0');
    const diffRows = section.filter((l) => l.startsWith('| gw-legacy | `') || l.startsWith('| ref-v1 | `'));
    expect(diffRows.map((l) => cellsOf(l).slice(1, 3).concat(cellsOf(l).slice(-1)))).toEqual([
      ['`card.fields.required`', 'card', '**regression** (0.3 → 1.0)'],
      ['`core.send.returns-task-or-message`', 'rest', 'fixed in 1.0'],
      ['`errors.unknown-method`', 'jsonrpc', 'fixed in 1.0'],
    ]);
    expect(section).toContain(
      '| Target | Compared | Regressions | Fixed in 1.0 | 0.3 only | 1.0 only | One-version failures |',
    );
    // a failing 1.0-only check is listed as "1.0 only"
    const failing = withResults(
      sample.results.map((r) =>
        r.checkId === 'extensions.declared.info' && r.target === 'gw-legacy' ? { ...r, outcome: 'fail' as const } : r,
      ),
    );
    const rows = mdSection(renderMarkdown(failing), '### Versions').filter((l) =>
      l.includes('`extensions.declared.info`'),
    );
    expect(rows.map(cellsOf)).toEqual([
      ['gw-legacy', '`extensions.declared.info`', 'card', '—', '❌ fail', '1.0 only'],
    ]);
    // nothing to compare (a single version tested): no section
    expect(renderMarkdown(withResults(sample.results.filter((r) => r.version === '1.0')))).not.toContain(
      '### Versions',
    );
    // no differences: counts plus a note
    const same = withResults(sample.results.filter((r) => r.target === 'ref-v1'));
    expect(renderMarkdown(same)).toContain('_No differences between versions._');
  });
});

describe('version negotiation table (suite "versions")', () => {
  const neg = buildSampleResults({ negotiation: true });
  const negMd = renderMarkdown(neg);

  it('rows = checks, columns = binding, cell = outcome + message; only when such results exist', () => {
    const [ref, gw] = negotiationTables(neg);
    expect(ref.target).toBe('ref-v1');
    expect(ref.columns.map((c) => c.label)).toEqual(['jsonrpc', 'rest']);
    expect(ref.rows.map((r) => r.checkId)).toEqual([
      'versions.header.accepted',
      'versions.header.unsupported',
      'versions.header.missing',
      'versions.header.patch',
      'versions.header.case-insensitive',
      'versions.query.form',
    ]);
    expect(
      gw.rows.find((r) => r.checkId === 'versions.query.form')!.cells.get(gridCellKey('1.0', 'rest')),
    ).toBeUndefined();
    expect(negotiationTables(sample)).toEqual([]);
    expect(sampleMd).not.toContain('### Version negotiation');

    const section = mdSection(negMd, '### Version negotiation — ref-v1');
    expect(section).toContain('| Check | jsonrpc | rest |');
    expect(section).toContain(
      '| A2A-Version 1.0 is accepted | ✅ pass: processed \\(200, Task\\) | ✅ pass: processed \\(200, Task\\) |',
    );
    const gwSection = mdSection(negMd, '### Version negotiation — gw-legacy');
    expect(gwSection.find((l) => l.startsWith('| Header name is case'))).toBe(
      '| Header name is case-insensitive | ❌ fail: header ignored when sent as a2a-version | — |',
    );
    // hostile message: escaped, still exactly 3 cells
    const hostile = gwSection.find((l) => l.includes('99.0'))!;
    expect(cellsOf(hostile)).toHaveLength(3);
    expect(hostile).not.toMatch(/<script|<b /);
    expect(hostile).toContain('\\[click\\]\\(javascript:alert\\(1\\)\\)');
  });
});

describe('cross-target comparison (merged vendor runs)', () => {
  it('check × target table of checks not passing everywhere: worst outcome and where, worst rows first', () => {
    const { targets, rows } = crossTargetRows(sample);
    expect(targets).toEqual(['ref-v1', 'gw-legacy']);
    expect(rows[0]).toMatchObject({ checkId: 'errors.unknown-method', worst: 'error' });
    expect(rows.map((r) => r.checkId)).not.toContain('card.fetch.well-known'); // passes everywhere
    const section = mdSection(sampleMd, '### Across targets');
    expect(section[0]).toBe('### Across targets (11 checks not passing everywhere)');
    expect(section).toContain('| Check | ref-v1 | gw-legacy |');
    expect(section).toContain('| `card.fields.required` | ✅ pass | ❌ fail (1.0/card) |');
    expect(section).toContain('| `core.send.content-type` | ✅ pass | ❌ fail (0.3/rest, 1.0/rest) |');
    expect(section).toContain('| `streaming.sse.content-type` | ✅ pass | ❌ fail (all 4 cells) |');
    expect(section).toContain('| `card.security.declared` | ⚠️ warn (both cells) | ⚠️ warn (both cells) |');
    // one target: nothing to compare
    expect(renderMarkdown(withResults(sample.results.filter((r) => r.target === 'ref-v1')))).not.toContain(
      '### Across targets',
    );
  });

  it('is capped (~60 rows) with a "+N more" line', () => {
    const big = renderMarkdown(buildLargeResults(200));
    const section = mdSection(big, '### Across targets');
    const rows = section.filter((l) => l.startsWith('| `'));
    const total = crossTargetRows(buildLargeResults(200)).rows.length;
    expect(total).toBeGreaterThan(60);
    expect(rows).toHaveLength(60);
    expect(section).toContain(`+${total - 60} more; see report.html.`);
    expect(Buffer.byteLength(big)).toBeLessThan(1024 * 1024);
  });
});

describe('mergeResults', () => {
  const a = buildSampleResults();
  const b = buildSampleResults();
  b.run = {
    ...b.run,
    id: 'run-b',
    startedAt: '2026-11-21T03:00:00.000Z',
    finishedAt: '2026-11-21T03:00:20.000Z',
    durationMs: 20_000,
  };
  b.results = b.results.map((r) =>
    r.checkId === 'card.fields.required' && r.target === 'ref-v1' && r.version === '1.0'
      ? { ...r, outcome: 'fail' as const, baseline: undefined }
      : r,
  );
  b.summary = summarizeResults(b.results);
  const merged = mergeResults([a, b]);

  it("keeps both runs' targets, renaming duplicates name#2, and re-keys transcripts per input file", () => {
    expect(merged.targets.map((t) => t.name)).toEqual(['ref-v1', 'gw-legacy', 'ref-v1#2', 'gw-legacy#2']);
    expect(merged.results).toHaveLength(a.results.length + b.results.length);
    expect(new Set(merged.results.map((r) => r.target))).toEqual(
      new Set(['ref-v1', 'gw-legacy', 'ref-v1#2', 'gw-legacy#2']),
    );
    expect(Object.keys(merged.transcripts)).toHaveLength(
      Object.keys(a.transcripts).length + Object.keys(b.transcripts).length,
    );
    expect(Object.keys(merged.transcripts)).toContain('0/t1');
    expect(Object.keys(merged.transcripts)).toContain('1/t1');
    for (const [id, t] of Object.entries(merged.transcripts)) expect(t.id).toBe(id);
    for (const r of merged.results) for (const id of r.transcriptIds) expect(merged.transcripts[id], id).toBeDefined();
    // the same result of the second file points at the second file's copy of the transcript
    const original = b.results.find((r) => r.target === 'gw-legacy' && r.outcome === 'error')!;
    const second = merged.results.find((r) => r.target === 'gw-legacy#2' && r.outcome === 'error')!;
    expect(second.transcriptIds).toEqual(original.transcriptIds.map((id) => `1/${id}`));
    expect(merged.transcripts[second.transcriptIds[0]].exchanges[0].error).toContain('ECONNRESET');
    // inputs are not modified
    expect(a.targets.map((t) => t.name)).toEqual(['ref-v1', 'gw-legacy']);
    expect(a.results[0].transcriptIds).toEqual(['t1']);
  });

  it('recomputes the summary and the run metadata', () => {
    expect(merged.summary).toEqual(summarizeResults(merged.results));
    expect(merged.summary.total).toBe(a.summary.total + b.summary.total);
    expect(Object.keys(merged.summary.byTarget).sort()).toEqual(['gw-legacy', 'gw-legacy#2', 'ref-v1', 'ref-v1#2']);
    expect(merged.summary.byTarget['ref-v1#2'].fail).toBe(a.summary.byTarget['ref-v1'].fail + 1);
    expect(merged.summary.unexpectedFailures).toBe(a.summary.unexpectedFailures + b.summary.unexpectedFailures);
    expect(merged.run).toMatchObject({
      id: `merge-${a.run.id}`,
      startedAt: '2026-11-21T03:00:00.000Z',
      finishedAt: a.run.finishedAt,
      durationMs: a.run.durationMs! + 20_000,
      partial: false,
      argv: ['merge'],
    });
    expect(merged.specVersions.map((s) => s.version)).toEqual(['0.3', '1.0']);
  });

  it('renders as a vendor comparison: 4 target columns in summary.md, the ref-v1#2 regression flagged', () => {
    const out = renderMarkdown(merged);
    expect(out).toContain('### ref-v1\\#2');
    const section = mdSection(out, '### Across targets');
    expect(section).toContain('| Check | ref-v1 | gw-legacy | ref-v1\\#2 | gw-legacy\\#2 |');
    expect(section).toContain(
      '| `card.fields.required` | ✅ pass | ❌ fail (1.0/card) | ❌ fail (1.0/card) | ❌ fail (1.0/card) |',
    );
    expect(mdSection(out, '### Versions')).toContain(
      '| ref-v1\\#2 | `card.fields.required` | card | ✅ pass | ❌ fail | **regression** (0.3 → 1.0) |',
    );
    expect(mergeResults([a])).toMatchObject({
      targets: a.targets,
      results: a.results.map((r) => ({ ...r, transcriptIds: r.transcriptIds.map((id) => `0/${id}`) })),
    });
  });
});
