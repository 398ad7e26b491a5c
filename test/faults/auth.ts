/**
 * Faults for the "auth" suite. They run against the 1.x reference agent started behind bearer authentication with an
 * extended card (`agentOptions.bearerToken`, `extendedCard`) and the matching credentials (`targetHeaders`). A fault
 * that "stops authenticating" adds the
 * valid credentials to a request that lacks them before the agent sees it: the agent then behaves as one that does not
 * check them.
 */
import type { FaultCase } from '../tools/fault-case.js';
import { conformantError } from './errors.js';
import { isObj, isRpcEnvelope, requestInfo, type Obj, type RawRequest } from './index.js';

/** A throwaway credential for the kill matrix's auth agent. */
export const FAULT_BEARER_TOKEN = 'kill-matrix-bearer-3c9e51';
const AUTHORIZATION = `Bearer ${FAULT_BEARER_TOKEN}`;
const AUTH_AGENT = {
  agent: 'v1' as const,
  agentOptions: { bearerToken: FAULT_BEARER_TOKEN, extendedCard: true },
  targetHeaders: { Authorization: AUTHORIZATION },
};

type Ctx = { method: string; path: string; requestJson?: unknown };

/** Whether a request is the extended-card operation (either version, either binding). */
export function isExtendedCard(ctx: Ctx): boolean {
  const b = ctx.requestJson;
  if (isObj(b) && b.jsonrpc === '2.0')
    return b.method === 'GetExtendedAgentCard' || b.method === 'agent/getAuthenticatedExtendedCard';
  return ctx.method === 'GET' && /\/(extendedAgentCard|v1\/card)(\?|$)/.test(ctx.path);
}

function parse(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/** Add the valid credentials to matching requests that carry none. */
function authenticateMissing(which: (ctx: Ctx) => boolean) {
  return (req: RawRequest): RawRequest => {
    if (req.headers.authorization || !which({ method: req.method, path: req.path, requestJson: parse(req.body) }))
      return req;
    return { ...req, headers: { ...req.headers, authorization: AUTHORIZATION } };
  };
}

const isSend = (ctx: Ctx) => requestInfo(ctx).op === 'send';

export const FAULTS: FaultCase[] = [
  {
    ...AUTH_AGENT,
    name: 'auth-send-without-credentials-accepted',
    description: 'The agent processes a message/send · SendMessage that carries no credentials.',
    kills: ['auth.credentials.required'],
    grep: ['auth.credentials.required'],
    request: authenticateMissing(isSend),
  },
  {
    ...AUTH_AGENT,
    name: 'auth-invalid-credentials-accepted',
    description: 'The agent accepts any bearer token, valid or not.',
    kills: ['auth.credentials.invalid'],
    grep: ['auth.credentials.invalid'],
    request: (req) =>
      req.headers.authorization && req.headers.authorization !== AUTHORIZATION
        ? { ...req, headers: { ...req.headers, authorization: AUTHORIZATION } }
        : req,
  },
  {
    ...AUTH_AGENT,
    name: 'auth-rejection-not-401',
    description:
      'A missing credential is rejected with HTTP 400 (REST) or a JSON-RPC error at HTTP 200, instead of 401.',
    kills: ['auth.rejection.status'],
    grep: ['auth.rejection.status'],
    status: (s, ctx) => (s === 401 ? (requestInfo(ctx).binding === 'jsonrpc' ? 200 : 400) : s),
  },
  {
    ...AUTH_AGENT,
    name: 'auth-missing-credentials-answered-invalid-params',
    description:
      'A send without credentials is rejected with InvalidParams (-32602 / HTTP 400, reason INVALID_PARAMS): the ' +
      'request fails for another reason, so nothing shows that authentication is enforced.',
    bindings: ['jsonrpc', 'rest'],
    kills: ['auth.credentials.required'],
    grep: ['auth.credentials.required'],
    intercept: (ctx) =>
      !ctx.requestHeaders.authorization && isSend(ctx)
        ? conformantError(requestInfo(ctx), 'InvalidParams', 'tenant header missing')
        : undefined,
  },
  {
    ...AUTH_AGENT,
    name: 'auth-401-without-challenge',
    description: 'The 401 answer carries no WWW-Authenticate header.',
    kills: ['auth.rejection.www-authenticate'],
    grep: ['auth.rejection.www-authenticate'],
    headers: (h) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'www-authenticate')),
  },
  {
    ...AUTH_AGENT,
    name: 'auth-extended-card-invalid',
    description: 'The extended card served to an authenticated client lacks the required `name`.',
    kills: ['auth.extended-card.fetch'],
    grep: ['auth.extended-card.fetch'],
    json: (body, ctx) => {
      if (!isExtendedCard(ctx) || ctx.status >= 300) return undefined;
      const card = isRpcEnvelope(body) ? body.result : body;
      if (!isObj(card) || (isRpcEnvelope(body) && body.error)) return undefined;
      delete (card as Obj).name;
      return body;
    },
  },
  {
    ...AUTH_AGENT,
    name: 'auth-extended-card-public',
    description: 'The extended card is served without credentials.',
    kills: ['auth.extended-card.requires-auth'],
    grep: ['auth.extended-card.requires-auth'],
    request: authenticateMissing(isExtendedCard),
  },
  withBaseline({
    ...AUTH_AGENT,
    name: 'auth-extended-card-no-cache-control',
    description:
      'The extended card (HTTP+JSON GET) is served without Cache-Control, as the reference SDK does ' +
      '(baseline: an agent that sends Cache-Control: private, max-age=60).',
    protocols: ['1.0'],
    bindings: ['rest'],
    kills: ['auth.extended-card.caching'],
    grep: ['auth.extended-card.caching'],
    baseline: extendedCardCachingEmulation(),
    headers: (h, ctx) =>
      isExtendedCard(ctx) ? Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'cache-control')) : h,
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// (additive) Extended-card caching: the reference SDK sends no Cache-Control, so the baseline emulates one that does.

/** A fault with a conformant baseline emulation (the kill matrix's MatrixFault), typed for this FaultCase[] list. */
function withBaseline(f: FaultCase & { baseline: import('../tools/fault-proxy.js').Fault }): FaultCase {
  return f;
}

/** Conformant caching headers (§13.3): a successful extended card response without Cache-Control gets one. */
function extendedCardCachingEmulation(): import('../tools/fault-proxy.js').Fault {
  return {
    name: 'emulation: extended card with Cache-Control',
    description: 'adds Cache-Control: private, max-age=60 to extended card responses that lack it',
    headers: (h, ctx) =>
      isExtendedCard(ctx) && ctx.status < 300 && !h['cache-control']
        ? { ...h, 'cache-control': 'private, max-age=60' }
        : h,
  };
}
