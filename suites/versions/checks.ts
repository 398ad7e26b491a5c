/**
 * Suite "versions": 1.0 version negotiation with the A2A-Version service parameter (1.0 §3.6, §3.2.6, §9.2, §11.2).
 * Binding-scoped, 1.0 cells only. Requests with odd or missing headers are raw (`omitVersionHeader` + explicit
 * header); every check also records its case for the per-target negotiation table (negotiation.ts).
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';
import type { Reply } from '../../src/protocol/client.js';
import { describeError } from '../lib/expect-error.js';
import { ordinaryMessage } from '../lib/tasks.js';
import {
  decodeRaw,
  describeProbe,
  errorInfoLevel,
  errorInfoProblems,
  judgeA2AError,
  observe,
  rawSend,
  sameUrl,
  sendResultShape,
  withQuery,
  type ProbeResult,
} from '../lib/probe.js';
import { recordNegotiation, recordProbe, type NegotiationCase } from './negotiation.js';

/** The success payload of a send reply: JSON-RPC `result`, REST body. */
function payload(r: Reply<unknown>): unknown {
  if (!r.ok) return undefined;
  const w = r.wire as Record<string, unknown> | undefined;
  return w && typeof w === 'object' && 'jsonrpc' in w ? w.result : w;
}

function replyObserved(r: Reply<unknown>): string {
  if (!r.ok) return `error ${describeError(r.error)}`;
  const shape = sendResultShape(payload(r));
  return `success, HTTP ${r.exchange.response?.status ?? '?'}${shape !== 'unknown' ? ` (${shape} shapes)` : ''}`;
}

function record(ctx: CheckContext, key: NegotiationCase, r: Reply<unknown>): void {
  recordNegotiation(ctx, key, replyObserved(r), r.exchange.response?.status ?? (r.ok ? undefined : r.error.httpStatus));
}

/** A raw SendMessage (1.0 body, method, path) with the version header replaced by `header` (undefined = none). */
async function sendWithHeader(ctx: CheckContext, header: string | undefined, label: string): Promise<ProbeResult> {
  const res = await ctx.client.raw({
    ...rawSend(ctx, ordinaryMessage(ctx)),
    omitVersionHeader: true,
    ...(header !== undefined ? { headers: { 'A2A-Version': header } } : {}),
    label,
  });
  return decodeRaw(res, ctx.client.binding);
}

/** The interface declaring 0.3 for this binding at the same URL as this 1.0 interface (a dual-stack endpoint). */
function dualStackInterface(ctx: CheckContext): DeclaredInterface | undefined {
  return ctx.card.interfaces.find(
    (i) => i.version === '0.3' && i.binding === ctx.binding && sameUrl(i.url, ctx.client.url),
  );
}

export const headerAccepted = suite.check({
  id: 'versions.header.accepted',
  level: 'MUST',
  title: 'A2A-Version: 1.0 is accepted and answered with 1.0 semantics',
  requirement:
    'Agents MUST process requests using the semantics of the requested A2A-Version (Major.Minor): a ' +
    'SendMessage carrying A2A-Version: 1.0 on a 1.0 interface succeeds with the 1.0 result (the ' +
    '{task}|{message} wrapper, no `kind`).',
  specRefs: {
    '1.0': [
      { section: '3.6.2', req: 'S10-19' },
      { section: '3.6', req: 'S10-19' },
    ],
  },
  async run(ctx) {
    const r = await ctx.client.send(ordinaryMessage(ctx), { label: 'send with A2A-Version: 1.0' });
    record(ctx, 'header-1.0', r);
    if (!r.ok) {
      ctx.violated(`a 1.0 request with A2A-Version: 1.0 failed: ${describeError(r.error)}`, {
        expected: 'success with 1.0 shapes',
        actual: describeError(r.error),
      });
      return;
    }
    const shape = sendResultShape(payload(r));
    ctx.expect(shape === '1.0', `the answer to A2A-Version: 1.0 is not a 1.0 SendMessage result (${shape} shapes)`, {
      expected: '{"task": …} or {"message": …} without `kind`',
      actual: payload(r),
    });
  },
});

export const headerUnsupported = suite.check({
  id: 'versions.header.unsupported',
  level: 'MUST',
  title: 'An unsupported A2A-Version (99.0) gets VersionNotSupported with ErrorInfo',
  requirement:
    'If the requested version is not supported by the interface, agents MUST return ' +
    'VersionNotSupportedError: JSON-RPC -32009, REST HTTP 400 (both profiles), with a google.rpc.ErrorInfo ' +
    'whose reason is VERSION_NOT_SUPPORTED and domain "a2a-protocol.org" (JSON-RPC: SHOULD under 1.0.1, §9.5).',
  stance:
    'The error and its code are MUST; the ErrorInfo is graded like errors.a2a.error-info (JSON-RPC SHOULD in ' +
    '1.0.1, MUST in 1.0.0; REST MUST).',
  specRefs: {
    '1.0': [
      { section: '3.6.2', req: 'S10-19' },
      { section: '5.4', req: 'S10-38' },
      { section: '9.5', req: 'S10-37' },
      { section: '11.6', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    const r = await ctx.client.send(ordinaryMessage(ctx), {
      headers: { 'A2A-Version': '99.0' },
      label: 'send with A2A-Version: 99.0',
    });
    record(ctx, 'header-99.0', r);
    if (!judgeA2AError(ctx, r, 'VersionNotSupported', 'A2A-Version: 99.0') || r.ok) return;
    for (const p of errorInfoProblems(r.error, ctx.binding!, 'VersionNotSupported'))
      ctx.violatedAt(errorInfoLevel(ctx), `A2A-Version: 99.0: ${p}`, {
        path: ctx.binding === 'jsonrpc' ? '/error/data' : '/error/details',
        expected: 'ErrorInfo reason VERSION_NOT_SUPPORTED, domain a2a-protocol.org',
        actual: r.error.details ?? '(absent)',
      });
  },
});

export const patchIgnored = suite.check({
  id: 'versions.header.patch-ignored',
  level: 'MUST',
  title: 'A patch component (A2A-Version: 1.0.0) is ignored: the request is served as 1.0',
  requirement:
    'Patch version numbers MUST NOT be considered when clients and servers negotiate: A2A-Version: 1.0.0 is ' +
    'treated as 1.0.',
  stance:
    'S10-21 is a MUST, but §3.6 also says patch numbers SHOULD NOT be sent, so this probe is itself a ' +
    'non-conforming client request (wire-formats §14: "report as warning"). A rejection with ' +
    'VersionNotSupported is a warning; any other error, or 1.0.0 served with other semantics, fails.',
  specRefs: {
    '1.0': [
      { section: '3.6', req: 'S10-21' },
      { section: '3.6.2', req: 'S10-19' },
    ],
  },
  async run(ctx) {
    const r = await ctx.client.send(ordinaryMessage(ctx), {
      headers: { 'A2A-Version': '1.0.0' },
      label: 'send with A2A-Version: 1.0.0',
    });
    record(ctx, 'header-1.0.0', r);
    if (r.ok) {
      const shape = sendResultShape(payload(r));
      ctx.expect(shape === '1.0', `A2A-Version: 1.0.0 was served, but not with 1.0 shapes (${shape})`, {
        expected: '1.0 SendMessage result',
        actual: payload(r),
      });
      return;
    }
    if (r.error.name === 'VersionNotSupported') {
      ctx.ambiguous(
        `A2A-Version: 1.0.0 was rejected with ${describeError(r.error)}: the patch component was considered`,
        'the spec also tells clients not to send patch numbers (SHOULD NOT), so the request is itself off-spec',
        { expected: 'served as 1.0', actual: describeError(r.error) },
      );
      return;
    }
    ctx.violated(
      `A2A-Version: 1.0.0 got ${describeError(r.error)}: neither served as 1.0 nor rejected as VersionNotSupported`,
      { expected: 'served as 1.0', actual: describeError(r.error) },
    );
  },
});

export const caseInsensitive = suite.check({
  id: 'versions.header.case-insensitive',
  level: 'MUST',
  title: 'The version header name is case-insensitive (a2a-version, A2A-VERSION)',
  requirement:
    'Service parameter keys are case-insensitive (HTTP header names, RFC 9110): `a2a-version: 1.0` is the ' +
    'same request as `A2A-Version: 1.0` and is served with 1.0 semantics.',
  specRefs: {
    '1.0': [
      { section: '3.2.6', req: 'S10-23' },
      { section: '9.2', req: 'S10-23' },
      { section: '11.2', req: 'S10-23' },
    ],
  },
  async run(ctx) {
    // The harness sends header names exactly as spelled here; the default spelling A2A-Version is judged elsewhere.
    for (const name of ['a2a-version', 'A2A-VERSION']) {
      const res = await ctx.client.raw({
        ...rawSend(ctx, ordinaryMessage(ctx)),
        omitVersionHeader: true,
        headers: { [name]: '1.0' },
        label: `send with ${name}: 1.0`,
      });
      const p = decodeRaw(res, ctx.client.binding);
      recordProbe(ctx, name === 'a2a-version' ? 'header-lowercase' : 'header-uppercase', p);
      if (p.error) {
        ctx.violated(`a request with \`${name}: 1.0\` failed: ${describeError(p.error)}`, {
          expected: 'served as 1.0',
          actual: describeError(p.error),
        });
        continue;
      }
      const shape = sendResultShape(p.result);
      ctx.expect(
        p.result !== undefined && shape === '1.0',
        `\`${name}: 1.0\` was not served as 1.0 (${describeProbe(p)})`,
        { expected: '1.0 SendMessage result', actual: p.result ?? p.res.text.slice(0, 300) },
      );
    }
  },
});

export const queryParam = suite.check({
  id: 'versions.query-param',
  level: 'MAY',
  title: 'A2A-Version given as a query parameter (?A2A-Version=1.0) instead of the header',
  requirement:
    'Clients MAY provide A2A-Version as a request parameter instead of a header; the request is then served ' +
    'as 1.0. Reported, never failed.',
  stance:
    'A client MAY use the query form, which implies servers accept it, but no server MUST is stated: information only.',
  specRefs: { '1.0': [{ section: '3.6.1', req: 'S10-22' }] },
  async run(ctx) {
    const res = await ctx.client.raw({
      ...withQuery(ctx.client, rawSend(ctx, ordinaryMessage(ctx)), 'A2A-Version=1.0'),
      omitVersionHeader: true,
      label: 'send with ?A2A-Version=1.0 and no header',
    });
    const p = decodeRaw(res, ctx.client.binding);
    recordProbe(ctx, 'query-param', p);
    if (p.result !== undefined && sendResultShape(p.result) === '1.0') {
      // Proof needs contrast: a dual-stack interface must not serve the same request without any version as 1.0.
      const bare = dualStackInterface(ctx)
        ? await sendWithHeader(ctx, undefined, 'the same request without header or query (contrast)')
        : undefined;
      if (bare?.result !== undefined && sendResultShape(bare.result) === '1.0')
        ctx.note(
          'served as 1.0, but so is the same request without any version (see ' +
            'versions.missing-header.dual-stack): the query parameter cannot be shown to matter',
        );
      else ctx.note('the query parameter is honoured: served as 1.0');
      return;
    }
    observe(ctx, `?A2A-Version=1.0 without the header was not served as 1.0: ${describeProbe(p)}`);
  },
});

const NO_HEADER_CASES: { key: NegotiationCase; header: string | undefined; label: string }[] = [
  { key: 'missing-header', header: undefined, label: '1.0 request without A2A-Version' },
  { key: 'empty-header', header: '', label: '1.0 request with an empty A2A-Version' },
];

export const oneZeroOnly = suite.check({
  id: 'versions.missing-header.one-zero-only',
  level: 'MUST',
  title: 'A 1.0-only interface rejects a request without A2A-Version (it means 0.3) with VersionNotSupported',
  requirement:
    'Agents MUST interpret a missing or empty A2A-Version as 0.3 and MUST return VersionNotSupportedError ' +
    'when the interface does not support the requested version: an interface that serves only 1.0 rejects a ' +
    'header-less request, even one using 1.0 method names, with -32009 (REST 400).',
  stance: '"1.0-only" is read from the card: no 0.3 interface of this binding declared at this URL.',
  specRefs: {
    '1.0': [
      { section: '3.6.2', req: 'S10-20' },
      { section: '3.6.1', req: 'S10-20' },
    ],
  },
  async run(ctx) {
    const dual = dualStackInterface(ctx);
    if (dual)
      return ctx.skip(
        `the card also declares 0.3 for this binding at this URL (${dual.url}): see versions.missing-header.dual-stack`,
      );
    for (const c of NO_HEADER_CASES) {
      const p = await sendWithHeader(ctx, c.header, c.label);
      recordProbe(ctx, c.key, p);
      if (p.result !== undefined || !p.error) {
        ctx.violated(
          `${c.label}: ${describeProbe(p)}; without a version the request is 0.3, which this interface does not serve`,
          { expected: 'VersionNotSupported (-32009 / HTTP 400)', actual: describeProbe(p) },
        );
        continue;
      }
      judgeA2AError(
        ctx,
        { ok: false, error: p.error, exchange: p.res.exchange, schemaErrors: [], wire: p.res.json },
        'VersionNotSupported',
        c.label,
      );
    }
  },
});

export const dualStack = suite.check({
  id: 'versions.missing-header.dual-stack',
  level: 'MUST',
  title:
    'A dual-stack interface treats a request without A2A-Version as 0.3: 0.3 requests work, 1.0 ones are not ' +
    'served as 1.0',
  requirement:
    'Agents MUST interpret a missing or empty A2A-Version as 0.3 and process the request with 0.3 semantics: ' +
    'where the card declares 0.3 and 1.0 at the same URL, a header-less 0.3 request succeeds with 0.3 shapes ' +
    '(JSON-RPC `kind`, REST proto-0.3), and a header-less 1.0 request is not answered with 1.0 semantics.',
  stance:
    '"Dual-stack" is read from the card: a 0.3 interface of this binding declared at this URL. A header-less ' +
    '1.0 request may fail in any way (a 0.3 server does not know it); only a 1.0-shaped success is wrong.',
  specRefs: {
    '1.0': [
      { section: '3.6.2', req: 'S10-20' },
      { section: '3.6.1', req: 'S10-20' },
    ],
  },
  async run(ctx) {
    const iface03 = dualStackInterface(ctx);
    if (!iface03)
      return ctx.skip(
        'the card declares no 0.3 interface for this binding at this URL: see versions.missing-header.one-zero-only',
      );
    for (const c of NO_HEADER_CASES) {
      const p = await sendWithHeader(ctx, c.header, c.label);
      recordProbe(ctx, c.key, p);
      if (p.result !== undefined && sendResultShape(p.result) === '1.0') {
        ctx.violated(
          `${c.label} was served with 1.0 semantics (${describeProbe(p)}); without a version the request is 0.3`,
          {
            expected: '0.3 semantics: the 1.0 request is unknown (e.g. -32601, 404) or rejected',
            actual: describeProbe(p),
          },
        );
      }
    }
    const c03 = ctx.clientFor(iface03);
    const r = await c03.send(ordinaryMessage(ctx), { label: '0.3 request without A2A-Version on the 0.3 interface' });
    record(ctx, 'missing-header-0.3', r);
    if (!r.ok) {
      ctx.violated(`a header-less 0.3 request on the 0.3 interface failed: ${describeError(r.error)}`, {
        expected: 'success with 0.3 shapes',
        actual: describeError(r.error),
      });
      return;
    }
    const shape = sendResultShape(payload(r));
    const want = ctx.binding === 'jsonrpc' ? '0.3-jsonrpc' : '0.3-rest';
    // A 0.3 REST task answer cannot always be told from a 1.0 one; only a clear 1.0 shape is a finding there.
    const ok = ctx.binding === 'jsonrpc' ? shape === want : shape !== '1.0' || !hasParts(payload(r));
    ctx.expect(ok, `the header-less 0.3 request was answered with ${shape} shapes`, {
      expected: `${want} shapes${ctx.binding === 'jsonrpc' ? ' (`kind` on the result)' : ' (`content`, not `parts`)'}`,
      actual: payload(r),
    });
  },
});

/** A REST payload whose message(s) carry 1.0 `parts` (not 0.3 `content`). */
function hasParts(result: unknown): boolean {
  type Msg = { parts?: unknown } | undefined;
  const o = result as { message?: Msg; msg?: Msg; task?: { status?: { message?: Msg } } } | undefined;
  const m = o?.message ?? o?.msg ?? o?.task?.status?.message;
  return Array.isArray(m?.parts);
}
