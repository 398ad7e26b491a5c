/**
 * Faults for the "versions" suite (1.0 A2A-Version negotiation). Most rewrite the version header the agent sees (a
 * server that ignores or misreads the header behaves like the SDK given another header); the 1.0-only and
 * patch-version faults need a conformant emulation as their baseline (see errors.ts, ControlledFaultCase).
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { Fault, FaultContext } from '../tools/fault-proxy.js';
import { conformantError, type ControlledFaultCase } from './errors.js';
import { clone, isObj, requestInfo, type Obj, type RawRequest } from './index.js';

const one = (id: string) => ({ kills: [id], grep: [id] });
const V10 = { agent: 'v1' as const, protocols: ['1.0' as const] };

const setVersion =
  (from: (v: string | undefined, req: RawRequest) => boolean, to: string | undefined) =>
  (req: RawRequest): RawRequest => {
    const v = req.headers['a2a-version'];
    if (!from(v, req)) return req;
    const headers = { ...req.headers };
    if (to === undefined) delete headers['a2a-version'];
    else headers['a2a-version'] = to;
    return { ...req, headers };
  };

/** A 1.0-shaped request (PascalCase JSON-RPC method, or a REST path outside the 0.3 `/v1/` tree). */
const isOneZeroRequest = (ctx: Pick<FaultContext, 'method' | 'path' | 'requestJson'>) => {
  if (/\/\.well-known\//.test(ctx.path)) return false;
  const info = requestInfo(ctx);
  return (
    info.dialect === 'proto-1.0' &&
    (info.binding === 'jsonrpc'
      ? isObj(ctx.requestJson) && /^[A-Z]/.test(String(ctx.requestJson.method))
      : !/\/v1\//.test(ctx.path))
  );
};

/** The 1.0 card without its 0.3 interfaces: every interface of the card is 1.0-only. */
const oneZeroOnlyCard = (card: Record<string, unknown>, ctx: FaultContext) => {
  if (ctx.requestHeaders['a2a-version'] !== '1.0' || !Array.isArray(card.supportedInterfaces)) return undefined;
  const c = clone(card);
  c.supportedInterfaces = (c.supportedInterfaces as Obj[]).filter((i) => i.protocolVersion !== '0.3');
  return c;
};

/** Conformant 1.0-only interface: a header-less or empty-header 1.0 request is VersionNotSupported. */
const oneZeroOnlyEmulation: Fault = {
  name: 'emulation: 1.0-only interface',
  description: 'declares only 1.0 interfaces and rejects header-less 1.0 requests with VersionNotSupported',
  card: oneZeroOnlyCard,
  intercept: (ctx) =>
    !ctx.requestHeaders['a2a-version'] && isOneZeroRequest(ctx)
      ? conformantError(
          requestInfo(ctx),
          'VersionNotSupported',
          "Version '0.3' (no A2A-Version) is not supported by this interface",
        )
      : undefined,
};

export const CONTROLLED: ControlledFaultCase[] = [
  {
    name: 'versions-1.0-answered-in-0.3-shapes',
    description: 'A SendMessage with A2A-Version: 1.0 is answered with a 0.3-shaped result (bare Message with `kind`).',
    ...V10,
    ...one('versions.header.accepted'),
    json: (body, ctx) => {
      if (ctx.requestHeaders['a2a-version'] !== '1.0' || requestInfo(ctx).op !== 'send' || !isObj(body))
        return undefined;
      const rpc = body.jsonrpc === '2.0';
      const result = rpc ? body.result : body;
      if (!isObj(result) || !isObj(result.message)) return undefined;
      const bare = { kind: 'message', ...result.message };
      return rpc ? { ...body, result: bare } : bare;
    },
  },
  {
    name: 'versions-unknown-version-served',
    description: 'An unsupported A2A-Version (99.0) is served as if it were 1.0.',
    ...V10,
    ...one('versions.header.unsupported'),
    request: setVersion((v) => v === '99.0', '1.0'),
  },
  {
    name: 'versions-patch-version-crashes',
    description:
      'A2A-Version: 1.0.0 gets an internal error (baseline: a server that ignores the patch component, as ' +
      '§3.6 requires).',
    ...V10,
    ...one('versions.header.patch-ignored'),
    baseline: {
      name: 'emulation: patch ignored',
      description: 'treats 1.0.0 as 1.0',
      request: setVersion((v) => v === '1.0.0', '1.0'),
    },
    intercept: (ctx) =>
      ctx.requestHeaders['a2a-version'] === '1.0.0'
        ? conformantError(requestInfo(ctx), 'InternalError', 'Internal error')
        : undefined,
  },
  {
    name: 'versions-header-not-read',
    description:
      'The server does not read the lower-case a2a-version header: every JSON-RPC request is treated as ' +
      'header-less (0.3).',
    ...V10,
    bindings: ['jsonrpc'],
    ...one('versions.header.case-insensitive'),
    request: setVersion((v, req) => v !== undefined && !/\.well-known/.test(req.path), undefined),
  },
  {
    name: 'versions-query-param-rejected',
    description: '?A2A-Version=1.0 without the header is rejected with VersionNotSupported (MAY check: pass → info).',
    ...V10,
    bindings: ['rest'],
    ...one('versions.query-param'),
    intercept: (ctx) =>
      /[?&]A2A-Version=/.test(ctx.path) && !ctx.requestHeaders['a2a-version']
        ? conformantError(requestInfo(ctx), 'VersionNotSupported', 'Version 0.3 is not supported')
        : undefined,
  },
  {
    name: 'versions-one-zero-only-serves-headerless',
    description:
      'The card declares only 1.0 interfaces, but a header-less 1.0 request is not rejected with ' +
      'VersionNotSupported (baseline: a 1.0-only interface that rejects it).',
    ...V10,
    ...one('versions.missing-header.one-zero-only'),
    baseline: oneZeroOnlyEmulation,
    card: oneZeroOnlyCard,
  },
  {
    name: 'versions-dual-stack-serves-headerless-as-1.0',
    description:
      'A dual-stack JSON-RPC endpoint serves a header-less SendMessage with 1.0 semantics (as if the header said 1.0).',
    ...V10,
    bindings: ['jsonrpc'],
    ...one('versions.missing-header.dual-stack'),
    request: (req) => {
      if (req.headers['a2a-version']) return req;
      let json: unknown;
      try {
        json = JSON.parse(req.body);
      } catch {
        return req;
      }
      return isObj(json) && typeof json.method === 'string' && /^[A-Z]/.test(json.method)
        ? { ...req, headers: { ...req.headers, 'a2a-version': '1.0' } }
        : req;
    },
  },
];

export const FAULTS: FaultCase[] = CONTROLLED;
