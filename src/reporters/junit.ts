/**
 * JUnit XML (Ant/Surefire dialect, the common subset read by Jenkins, GitLab and the GitHub Actions
 * reporters), rendered from results.json with junit-report-builder.
 *
 * Shape:
 *  - one <testsuite> per target × version × binding, named "<target> · <version> · <binding|card>";
 *  - one <testcase> per check result, classname "<target>.<suite>.<version>.<binding|card>" (GitLab keys
 *    tests on classname + name and drops duplicates) and name "<checkId> — <title>";
 *  - fail → <failure type="MUST">, error → <error>, skip/untestable → <skipped message="reason">,
 *    warn/info → passed with a severity property and a <system-out> note (strict: warn → <failure type="SHOULD">);
 *  - baseline expected → passed, annotated; stale → <failure type="stale-expectation">.
 *
 * junit-report-builder 5 has two gaps this module closes by decorating each test case's build():
 *  - skipped() takes no message: the reason is set on the built <skipped> element as an attribute
 *    (escaped by xmlbuilder, like every other attribute);
 *  - failure/error/system-out bodies are written by the builder as CDATA, and xmlbuilder only splits the
 *    FIRST "]]>" of a CDATA section, so a second one in agent output would break the document. Bodies are
 *    therefore attached as escaped text nodes instead (equivalent for every XML consumer).
 * Characters that XML 1.0 forbids are replaced before anything reaches the builder (see xmlSafe).
 */
import { createRequire } from 'node:module';
import type { Builder, TestCase } from 'junit-report-builder';
import type { CheckResult, ComparisonEntry, ComparisonKind, ResultsFile, TargetResult } from '../results/types.js';
import type { Exchange, RecordedBody, Transcript } from '../http/types.js';
import {
  bindingLabel,
  computeVerdict,
  groupResults,
  metaFor,
  own,
  prettyBody,
  prettyValue,
  specRefsFor,
  truncate,
  xmlSafe,
} from './common.js';

export interface JunitOptions {
  /** Report warnings as failures (type="SHOULD"). Default: results.run.options.strict. */
  strict?: boolean;
}

/**
 * The package is one 24,000-line CJS bundle. Loaded with require(): an ESM import would first scan all of it for
 * named exports (cjs-module-lexer), which costs three times the load itself (~70 ms of CPU per run).
 */
const rootBuilder = createRequire(import.meta.url)('junit-report-builder') as Builder;

type XmlElement = ReturnType<TestCase['build']>;

/** Limits for the transcript excerpt in failure bodies (keeps junit.xml far below GitLab's 30 MB cap). */
const EXCERPT = { transcripts: 2, exchanges: 4, bodyChars: 2048, events: 20, eventChars: 512 } as const;

/** Seconds, 3 decimals, never negative/NaN/exponent notation. */
function seconds(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return 0;
  return Number((ms / 1000).toFixed(3));
}

/** One line, safe, bounded: for attributes (message=…). */
function oneLine(s: string, max = 500): string {
  return truncate(
    xmlSafe(s)
      .replace(/\s*[\r\n]+\s*/g, ' ⏎ ')
      .trim(),
    max,
  );
}

function bodyText(b: RecordedBody | undefined, indent: string): string[] {
  if (!b) return [];
  const pretty = truncate(prettyBody(b.text), EXCERPT.bodyChars);
  const note = b.truncated ? ` (recorded truncated; ${b.bytes} bytes sent)` : ` (${b.bytes} bytes)`;
  return [`${indent}body${note}:`, ...pretty.split('\n').map((l) => `${indent}  ${l}`)];
}

function exchangeText(x: Exchange): string[] {
  const out: string[] = [`  #${x.seq} ${x.label}`, `    → ${x.request.method} ${x.request.url}`];
  out.push(...bodyText(x.request.body, '      '));
  if (x.error) out.push(`    ✗ transport error: ${x.error}`);
  const res = x.response;
  if (res) {
    const ct = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const timing = x.headersMs !== undefined ? ` after ${x.headersMs} ms` : '';
    out.push(`    ← ${res.status}${ct ? ` ${ct}` : ''}${timing}`);
    out.push(...bodyText(res.body, '      '));
    if (res.events) {
      out.push(`      SSE events (${res.events.length}${res.streamEnd ? `, stream end: ${res.streamEnd}` : ''}):`);
      for (const e of res.events.slice(0, EXCERPT.events)) {
        const ev = e.event ? ` event=${e.event}` : '';
        out.push(`        t+${e.t}ms${ev} ${truncate(e.data.replace(/\n/g, '\\n'), EXCERPT.eventChars)}`);
        for (const se of e.schemaErrors ?? [])
          out.push(`          schema: ${se.path || '/'} ${se.message} (${se.schema})`);
      }
      if (res.events.length > EXCERPT.events) out.push(`        … ${res.events.length - EXCERPT.events} more events`);
    }
  }
  for (const se of x.schemaErrors ?? []) {
    const ea = [se.expected && `expected ${se.expected}`, se.actual && `actual ${se.actual}`]
      .filter(Boolean)
      .join(', ');
    out.push(`    schema error at ${se.path || '/'}: ${se.message} (${se.schema})${ea ? ` — ${ea}` : ''}`);
  }
  return out;
}

function transcriptText(t: Transcript | undefined, id: string): string[] {
  if (!t) return [`Transcript ${id}: (missing from results.json)`];
  const shown = t.exchanges.slice(0, EXCERPT.exchanges);
  const more = t.exchanges.length - shown.length + (t.droppedExchanges ?? 0);
  return [
    `Transcript ${id} (${t.exchanges.length} exchange${t.exchanges.length === 1 ? '' : 's'}):`,
    ...shown.flatMap(exchangeText),
    ...(more > 0 ? [`  … ${more} more exchange(s); see report.html / results.json`] : []),
  ];
}

/** The body of a <failure>/<error>: everything needed to act without a rerun. */
export function failureBody(results: ResultsFile, r: CheckResult, headline?: string): string {
  const meta = metaFor(results, r.checkId);
  const lines: string[] = [];
  if (headline) lines.push(headline, '');
  lines.push(`Check: ${r.checkId} (${meta.level}) — ${meta.title}`);
  lines.push(`Target: ${r.target} · A2A ${r.version} · ${bindingLabel(r.binding)}`);
  if (meta.requirement) lines.push(`Requirement: ${meta.requirement}`);
  for (const ref of specRefsFor(meta, r.version)) {
    lines.push(
      `Spec: A2A ${r.version} §${ref.section}${ref.req ? ` [${ref.req}]` : ''}` +
        `${ref.url ? ` ${ref.url}` : ''}${ref.note ? ` (${ref.note})` : ''}`,
    );
  }
  lines.push(
    `Outcome: ${r.outcome}` +
      `${r.baseline ? ` (baseline: ${r.baseline}${r.baselineReason ? ` — ${r.baselineReason}` : ''})` : ''}`,
  );
  lines.push(`Message: ${r.message}`);
  if (r.details?.length) lines.push('Details:', ...r.details.map((d) => `  - ${d}`));
  if (r.expectations?.length) {
    lines.push('Expected vs actual:');
    for (const e of r.expectations) {
      lines.push(`  at ${e.path ?? '(value)'}:`);
      lines.push(
        `    expected: ${truncate(prettyValue(e.expected), EXCERPT.bodyChars).replace(/\n/g, '\n              ')}`,
      );
      lines.push(
        `    actual:   ${truncate(prettyValue(e.actual), EXCERPT.bodyChars).replace(/\n/g, '\n              ')}`,
      );
    }
  }
  if (r.metrics && Object.keys(r.metrics).length) {
    lines.push(
      `Metrics: ${Object.entries(r.metrics)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  }
  for (const id of r.transcriptIds.slice(0, EXCERPT.transcripts)) {
    lines.push('', ...transcriptText(own(results.transcripts, id), id));
  }
  if (r.transcriptIds.length > EXCERPT.transcripts) {
    lines.push(
      `… ${r.transcriptIds.length - EXCERPT.transcripts} more transcript(s): ` +
        `${r.transcriptIds.slice(EXCERPT.transcripts).join(', ')}`,
    );
  }
  return xmlSafe(lines.join('\n'));
}

/** Short note for passed-but-noteworthy test cases (warn, info, expected failure). */
function noteBody(results: ResultsFile, r: CheckResult, headline: string): string {
  const meta = metaFor(results, r.checkId);
  const lines = [headline, `Message: ${r.message}`];
  if (meta.requirement) lines.push(`Requirement (${meta.level}): ${meta.requirement}`);
  for (const ref of specRefsFor(meta, r.version))
    lines.push(`Spec: A2A ${r.version} §${ref.section}${ref.url ? ` ${ref.url}` : ''}`);
  if (r.details?.length) lines.push(...r.details.map((d) => `  - ${d}`));
  return xmlSafe(lines.join('\n'));
}

interface Decoration {
  /** message attribute of <skipped>. */
  skippedMessage?: string;
  /** Text content of <failure>/<error>. */
  body?: string;
  /** <system-out> text. */
  systemOut?: string;
}

/** Wraps a test case's build() to add what junit-report-builder cannot express (see module doc). */
function decorate(tc: TestCase, d: Decoration): void {
  const build = tc.build.bind(tc);
  tc.build = (parent: Parameters<TestCase['build']>[0]): XmlElement => {
    const el = build(parent);
    const child = (name: string): XmlElement | undefined =>
      (el.children as unknown as XmlElement[]).find((c) => (c as { name?: unknown }).name === name);
    if (d.skippedMessage !== undefined) child('skipped')?.att('message', d.skippedMessage);
    if (d.body) (child('failure') ?? child('error'))?.txt(d.body);
    if (d.systemOut) el.ele('system-out').txt(d.systemOut);
    return el;
  };
}

/** `[introduced by the gateway]`-style message prefix for a gateway target's result that differs from direct. */
const COMPARISON_TAG: Record<ComparisonKind, (upstream: string) => string> = {
  introduced: (u) => `[introduced by the gateway: passes direct on ${u}] `,
  hidden: (u) => `[hidden by the gateway: fails direct on ${u}] `,
  changed: (u) => `[changed by the gateway: differs direct on ${u}] `,
  inherited: (u) => `[inherited: fails direct on ${u} too] `,
};

function addResult(
  results: ResultsFile,
  tc: TestCase,
  r: CheckResult,
  strict: boolean,
  cmp?: { entry: ComparisonEntry; upstream: string },
): void {
  const meta = metaFor(results, r.checkId);
  tc.property('outcome', r.outcome).property('level', meta.level);
  if (cmp) tc.property('gateway-comparison', cmp.entry.kind).property('direct-outcome', cmp.entry.direct);
  const refs = specRefsFor(meta, r.version);
  if (refs[0])
    tc.property('spec', xmlSafe(`A2A ${r.version} §${refs[0].section}${refs[0].url ? ` ${refs[0].url}` : ''}`));
  if (r.baseline) tc.property('baseline', r.baseline);
  const msg = `${cmp ? xmlSafe(COMPARISON_TAG[cmp.entry.kind](cmp.upstream)) : ''}${r.message || '(no message)'}`;

  if (r.baseline === 'expected') {
    const reason = r.baselineReason ?? 'listed in expectedFailures';
    tc.property('severity', 'expected-failure');
    decorate(tc, { systemOut: noteBody(results, r, xmlSafe(`expected failure: ${reason} (outcome: ${r.outcome})`)) });
    return;
  }
  if (r.baseline === 'stale') {
    const headline = 'stale expected failure: the check now passes; remove it from expectedFailures';
    tc.failure(headline, 'stale-expectation');
    decorate(tc, {
      body: failureBody(
        results,
        r,
        r.baselineReason ? xmlSafe(`${headline} (entry reason: ${r.baselineReason})`) : headline,
      ),
    });
    return;
  }
  switch (r.outcome) {
    case 'pass':
      return;
    case 'fail':
      tc.failure(oneLine(msg), 'MUST');
      decorate(tc, { body: failureBody(results, r) });
      return;
    case 'error':
      tc.error(oneLine(msg), 'harness-error');
      decorate(tc, { body: failureBody(results, r) });
      return;
    case 'skip':
      tc.skipped();
      decorate(tc, { skippedMessage: oneLine(msg) });
      return;
    case 'untestable': {
      const unlock = r.unlockedBy ? ` (configure trigger "${r.unlockedBy}" to test it)` : '';
      tc.skipped().property('untestable', 'true');
      if (r.unlockedBy) tc.property('unlockedBy', xmlSafe(r.unlockedBy));
      decorate(tc, { skippedMessage: oneLine(`untestable: ${msg}${unlock}`) });
      return;
    }
    case 'warn':
      tc.property('severity', 'warn');
      if (strict) {
        tc.failure(oneLine(`SHOULD not met (strict): ${msg}`), 'SHOULD');
        decorate(tc, { body: failureBody(results, r, 'Warning reported as failure because strict mode is on.') });
      } else {
        decorate(tc, {
          systemOut: noteBody(
            results,
            r,
            `warning: ${meta.level} requirement not met (does not fail the run; use strict mode to make it fail)`,
          ),
        });
      }
      return;
    case 'info':
      tc.property('severity', 'info');
      decorate(tc, { systemOut: noteBody(results, r, 'info: observation only') });
      return;
  }
}

function addBrokenTarget(builder: Builder, results: ResultsFile, t: TargetResult): void {
  const suite = builder
    .testSuite()
    .name(xmlSafe(`${t.name} · target`))
    .timestamp(results.run.startedAt)
    .time(seconds(t.durationMs));
  suite.property('target', xmlSafe(t.name)).property('url', xmlSafe(t.url)).property('status', t.status);
  const tc = suite
    .testCase()
    .className(xmlSafe(`${t.name}.target`))
    .name(`target-status — ${t.status}`)
    .time(seconds(t.durationMs));
  const msg = `target ${t.status}${t.statusMessage ? `: ${t.statusMessage}` : ''}`;
  tc.error(oneLine(msg), t.status);
  const lines = [msg, `URL: ${t.url}`, `Card URL: ${t.cardUrl}`];
  if (t.processLog) {
    lines.push(`Process exit code: ${t.processLog.exitCode ?? '(running)'}`);
    lines.push(
      'stdout (tail):',
      truncate(t.processLog.stdout, 4096),
      'stderr (tail):',
      truncate(t.processLog.stderr, 4096),
    );
  }
  decorate(tc, { body: xmlSafe(lines.join('\n')) });
}

export function renderJunit(results: ResultsFile, opts: JunitOptions = {}): string {
  const strict = opts.strict ?? results.run.options.strict ?? false;
  // newBuilder(): the package's default export is a process-wide singleton; never accumulate into it.
  const builder = rootBuilder.newBuilder();
  const verdict = computeVerdict(results, strict);
  builder.name(xmlSafe(`${results.harness.name} ${results.harness.version} — ${verdict.label}`));

  const groups = groupResults(results);
  const tested = new Set(groups.map((g) => g.target));
  const spec = new Map(results.specVersions.map((s) => [s.version as string, s]));
  const targetByName = new Map(results.targets.map((t) => [t.name, t]));
  const comparisonOf = new Map<string, { entry: ComparisonEntry; upstream: string }>();
  for (const c of results.comparisons ?? [])
    for (const e of c.entries)
      comparisonOf.set(`${c.gateway}|${e.checkId}|${e.version}|${e.binding ?? '-'}`, {
        entry: e,
        upstream: c.upstream,
      });

  for (const t of results.targets)
    if (!tested.has(t.name) && t.status !== 'tested') addBrokenTarget(builder, results, t);

  for (const g of groups) {
    const b = bindingLabel(g.binding);
    const totalMs = g.results.reduce((s, r) => s + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
    const suite = builder
      .testSuite()
      .name(xmlSafe(`${g.target} · ${g.version} · ${b}`))
      .timestamp(results.run.startedAt)
      .time(seconds(totalMs));
    const target = targetByName.get(g.target);
    suite.property('target', xmlSafe(g.target)).property('version', g.version).property('binding', b);
    if (target) suite.property('url', xmlSafe(target.url));
    const cellUrl = target?.matrix.find((c) => c.version === g.version && c.binding === g.binding)?.url;
    if (cellUrl) suite.property('interfaceUrl', xmlSafe(cellUrl));
    const sv = spec.get(g.version);
    if (sv)
      suite.property('spec', xmlSafe(`${sv.version}${sv.profile ? ` (profile ${sv.profile})` : ''} ${sv.source}`));
    suite
      .property('harness', xmlSafe(`${results.harness.name} ${results.harness.version}`))
      .property('strict', String(strict));
    if (results.run.partial) suite.property('partial', 'true');
    const gatewayOf = results.comparisons?.find((c) => c.gateway === g.target);
    if (gatewayOf) {
      suite.property('upstream', xmlSafe(gatewayOf.upstream));
      for (const [k, n] of Object.entries(gatewayOf.counts)) suite.property(`gateway-${k}`, String(n));
    }

    const seen = new Map<string, number>();
    for (const r of g.results) {
      const meta = metaFor(results, r.checkId);
      const classname = xmlSafe(`${g.target}.${meta.suite}.${g.version}.${b}`);
      let name = xmlSafe(meta.title && meta.title !== r.checkId ? `${r.checkId} — ${meta.title}` : r.checkId);
      // classname + name must stay unique (GitLab drops duplicates); a check should run once per cell anyway.
      const key = `${classname}\u0000${name}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > 1) name = `${name} (#${n})`;
      const tc = suite.testCase().className(classname).name(name).time(seconds(r.durationMs));
      addResult(results, tc, r, strict, comparisonOf.get(`${g.target}|${r.checkId}|${r.version}|${r.binding ?? '-'}`));
    }
  }
  return builder.build();
}
