/**
 * Raw probes: requests the A2AClient would never send (malformed envelopes, odd version headers, missing headers),
 * decoded the same way the adapters decode answers, plus small judging helpers shared by the errors, versions and
 * extensions suites. Additive: nothing here changes how the adapters behave.
 */
import { randomUUID } from 'node:crypto';
import { isObj, type Obj } from '../../src/core/json.js';
import type { Binding, Level, ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';
import type { A2AClient, OutgoingMessage, RawRequest, RawResponse, Reply } from '../../src/protocol/client.js';
import type { A2AError, A2AErrorName } from '../../src/protocol/model.js';
import {
  ERROR_CODES,
  errorFromJsonRpc,
  errorFromRest,
  findErrorInfo,
  reasonForName,
} from '../../src/protocol/errors.js';
import { describeError, expectError } from './expect-error.js';

export { isObj, type Obj } from '../../src/core/json.js';

/** What a raw probe came back with: the HTTP answer, and the A2A reading of it. */
export interface ProbeResult {
  res: RawResponse;
  /** JSON-RPC: the response envelope (when the body is a JSON object). */
  envelope?: Obj;
  /** The success payload: JSON-RPC `result`, REST 2xx body. */
  result?: unknown;
  /** The error, decoded like the adapters decode it (JSON-RPC `error`, REST non-2xx). */
  error?: A2AError;
}

/** Decode a raw answer of either binding. A JSON-RPC body that is neither result nor error yields neither. */
export function decodeRaw(res: RawResponse, binding: Binding): ProbeResult {
  if (binding === 'jsonrpc') {
    const json = res.json;
    if (!isObj(json)) return { res };
    if (json.error !== undefined && json.error !== null)
      return { res, envelope: json, error: errorFromJsonRpc(json.error, res.status) };
    if ('result' in json) return { res, envelope: json, result: json.result };
    return { res, envelope: json };
  }
  if (res.status >= 200 && res.status < 300) return { res, result: res.json };
  return { res, error: errorFromRest(res.json, res.status, res.text) };
}

/** The interface of this cell (the one ctx.client talks to). */
export function cellInterface(ctx: CheckContext): DeclaredInterface | undefined {
  return ctx.card.versionInterfaces.find((i) => i.binding === ctx.binding && sameUrl(i.url, ctx.client.url));
}

export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/** REST path of SendMessage per version (0.3 proto annotations `/v1/...`; 1.0 unprefixed, §11.3). */
const REST_SEND_PATH: Record<ProtocolVersion, string> = { '0.3': '/v1/message:send', '1.0': '/message:send' };

/**
 * A raw SendMessage request for this cell, exactly as the adapter would build it (body, method, path), so a probe
 * can change only the one thing it is about (headers, query). JSON-RPC: a fresh envelope with its own id.
 */
export function rawSend(
  ctx: CheckContext,
  message: OutgoingMessage,
  client: A2AClient = ctx.client,
): Pick<RawRequest, 'method' | 'path' | 'body'> {
  if (client.binding === 'jsonrpc') return { method: 'POST', path: '', body: client.encodeMessage(message) };
  const iface = cellInterface(ctx);
  const tenant = client.version === '1.0' && iface?.tenant ? `/${encodeURIComponent(iface.tenant)}` : '';
  return { method: 'POST', path: `${tenant}${REST_SEND_PATH[client.version]}`, body: client.encodeMessage(message) };
}

/** Append a query string to a raw request's path (REST) or URL (JSON-RPC posts to the interface URL itself). */
export function withQuery(
  client: A2AClient,
  req: Pick<RawRequest, 'method' | 'path' | 'body'>,
  query: string,
): RawRequest {
  if (client.binding === 'jsonrpc')
    return { ...req, path: undefined, url: `${client.url}${client.url.includes('?') ? '&' : '?'}${query}` };
  return { ...req, path: `${req.path ?? ''}${(req.path ?? '').includes('?') ? '&' : '?'}${query}` };
}

/**
 * The shape family of a SendMessage success payload: 1.0 wrapper `{task}|{message}`, 0.3 JSON-RPC bare object with
 * `kind`, 0.3 REST proto-0.3.
 */
export function sendResultShape(result: unknown): '1.0' | '0.3-jsonrpc' | '0.3-rest' | 'unknown' {
  if (!isObj(result)) return 'unknown';
  if (typeof result.kind === 'string') return '0.3-jsonrpc';
  const inner = isObj(result.task)
    ? result.task
    : isObj(result.message)
      ? result.message
      : isObj(result.msg)
        ? result.msg
        : undefined;
  if (!inner) return 'unknown';
  if (typeof inner.kind === 'string') return 'unknown';
  // A Task: look at its messages (0.3 proto calls the parts `content`).
  const status = isObj(inner.status) ? inner.status : {};
  const msgs = [inner, status.message, ...(Array.isArray(inner.history) ? inner.history : [])].filter(isObj);
  if (msgs.some((m) => Array.isArray(m.content))) return '0.3-rest';
  if (status.state === 'TASK_STATE_CANCELLED') return '0.3-rest';
  return '1.0';
}

/** One line describing a probe's answer, for notes and expectations. */
export function describeProbe(p: ProbeResult): string {
  if (p.error) return `error ${describeError(p.error)}`;
  if (p.result !== undefined) {
    const shape = sendResultShape(p.result);
    return `success, HTTP ${p.res.status}${shape !== 'unknown' ? ` (${shape} shapes)` : ''}`;
  }
  return (
    `HTTP ${p.res.status}, ` +
    (`${p.res.json === undefined ? 'not JSON' : 'neither result nor error'}` +
      `${p.res.headers['content-type'] ? ` (${p.res.headers['content-type']})` : ''}`)
  );
}

/** A unique JSON-RPC id for raw probes. */
export function probeId(prefix = 'conformance'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * The A2A-specific errors (JSON-RPC -32001…-32099, ErrorInfo required in 1.0), as opposed to standard JSON-RPC errors.
 */
export function isA2AError(name: A2AErrorName): boolean {
  const code = ERROR_CODES[name];
  return code !== undefined && code <= -32001 && code >= -32099;
}

/**
 * How strongly a 1.0 A2A error must carry a google.rpc.ErrorInfo, per binding and spec profile. 1.0.0 §9.5: "For
 * A2A-specific errors, implementations MUST include a google.rpc.ErrorInfo" (JSON-RPC); 1.0.1 §9.5 deleted that
 * sentence and says implementations "SHOULD use well-known types such as google.rpc.ErrorInfo"; REST (§11.6) and
 * gRPC (§10.6) keep the MUST in both profiles.
 */
export const ERROR_INFO_LEVEL: Record<Binding, Record<SpecProfile, Level>> = {
  jsonrpc: { '1.0.0': 'MUST', '1.0.1': 'SHOULD' },
  rest: { '1.0.0': 'MUST', '1.0.1': 'MUST' },
  grpc: { '1.0.0': 'MUST', '1.0.1': 'MUST' },
};

/** The level of the ErrorInfo rule in this cell. */
export function errorInfoLevel(ctx: CheckContext): Level {
  return ERROR_INFO_LEVEL[ctx.binding ?? 'jsonrpc'][ctx.target.specProfile];
}

export const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
export const ERROR_INFO_DOMAIN = 'a2a-protocol.org';

/**
 * Judge the google.rpc.ErrorInfo of a 1.0 A2A error: in JSON-RPC `error.data[]` (an array), in REST `error.details[]`.
 * Returns the problems found (empty = conformant). `name` is the error the reason must spell.
 */
export function errorInfoProblems(error: A2AError, binding: Binding, name: A2AErrorName): string[] {
  const problems: string[] = [];
  const where =
    binding === 'jsonrpc'
      ? 'error.data'
      : binding === 'grpc'
        ? 'status.details (grpc-status-details-bin)'
        : 'error.details';
  const raw = error.raw;
  const inner = binding === 'jsonrpc' ? raw : isObj(raw) && isObj(raw.error) ? raw.error : raw;
  const list = isObj(inner) ? (binding === 'jsonrpc' ? inner.data : inner.details) : undefined;
  if (list === undefined) return [`${where} is absent: no google.rpc.ErrorInfo`];
  if (!Array.isArray(list))
    problems.push(`${where} is ${typeof list === 'object' ? 'an object' : typeof list}, not an array`);
  const items = (Array.isArray(list) ? list : [list]).filter(isObj);
  const typed = items.find((d) => d['@type'] === ERROR_INFO_TYPE);
  if (!typed) {
    const loose = findErrorInfo(list);
    if (loose) problems.push(`${where} has an ErrorInfo-like item without "@type": "${ERROR_INFO_TYPE}"`);
    else return [...problems, `${where} holds no google.rpc.ErrorInfo`];
  }
  const info = typed ?? (items.find((d) => typeof d.reason === 'string') as Obj);
  const want = reasonForName(name);
  if (info.reason !== want) problems.push(`ErrorInfo.reason is ${JSON.stringify(info.reason)}, expected "${want}"`);
  if (info.domain !== ERROR_INFO_DOMAIN)
    problems.push(`ErrorInfo.domain is ${JSON.stringify(info.domain)}, expected "${ERROR_INFO_DOMAIN}"`);
  return problems;
}

/**
 * An observation for a MAY-level check: recorded as a finding, which the runner turns into outcome `info` for MAY
 * (a MAY check never fails). Other levels only note it.
 */
export function observe(ctx: CheckContext, message: string): void {
  if (ctx.check.level === 'MAY') ctx.violated(message);
  else ctx.note(message);
}

/**
 * Judge a reply that must be the named A2A error: the right error, its JSON-RPC code, the REST status of the
 * binding/profile (expect-error.ts), a human-readable message, and (REST) a JSON body. Reports every problem.
 */
export function judgeA2AError(ctx: CheckContext, reply: Reply<unknown>, name: A2AErrorName, what: string): boolean {
  // The name and its code/status per binding and profile: the shared rule; then what the errors suite adds.
  if (!expectError(ctx, reply, name, what) || reply.ok) return false;
  const e = reply.error;
  let ok = true;
  if (ctx.binding === 'rest')
    ok =
      ctx.expect(reply.wire !== undefined, `${what}: the error body is not JSON`, {
        expected: 'a JSON error body',
        actual: (typeof e.raw === 'string' ? e.raw : '').slice(0, 200) || '(empty)',
      }) && ok;
  ok =
    ctx.expect(
      typeof e.message === 'string' && e.message.trim() !== '',
      `${what}: the error carries no human-readable message`,
      {
        path: ctx.binding === 'jsonrpc' ? '/error/message' : '/error/message (1.0) · /message (0.3)',
        expected: 'a non-empty message',
        actual: e.message ?? '(absent)',
      },
    ) && ok;
  return ok;
}

/**
 * Whether a rejection reads as an authentication failure: HTTP 401/403, gRPC UNAUTHENTICATED/PERMISSION_DENIED, the
 * names those map to, or a JSON-RPC error outside the codes A2A and JSON-RPC give other meanings (1.0 §3.3.2: "JSON-RPC
 * custom error"). A TaskNotFound or InvalidParams says the request failed for another reason (a routing or tenant
 * header the harness dropped, say), which proves nothing about authentication.
 */
export function readsAsAuthFailure(e: A2AError): boolean {
  if (e.httpStatus === 401 || e.httpStatus === 403) return true;
  if (e.grpcStatus === 'UNAUTHENTICATED' || e.grpcStatus === 'PERMISSION_DENIED') return true;
  if (e.name === 'Unauthenticated' || e.name === 'PermissionDenied') return true;
  const c = e.code;
  const reserved = c !== undefined && ((c <= -32001 && c >= -32099) || (c <= -32600 && c >= -32603) || c === -32700);
  return c !== undefined && !reserved && e.name === 'Unknown';
}

/** Target headers that carry credentials (everything but content negotiation), as the loader treats them. */
export function credentialHeaders(ctx: CheckContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(ctx.target.headers).filter(([k, v]) => v && !/^(accept|accept-language|user-agent)$/i.test(k)),
  );
}

/**
 * Why an error answer to the extended-card operation cannot be judged, or undefined when it can. The extended card is
 * for authenticated clients; when the target has no credentials configured and the card declares security, any
 * rejection may be the authentication failure, whose JSON-RPC code the spec leaves open (1.0 §3.3.2 "JSON-RPC custom
 * error", §13 C26); without declared security, only a rejection that reads as an auth failure is taken for one.
 * ExtendedAgentCardNotConfigured is an answer of its own and is always judged.
 */
export function unauthenticatedExtendedCard(ctx: CheckContext, e: A2AError): string | undefined {
  if (e.name === 'ExtendedAgentCardNotConfigured' || Object.keys(credentialHeaders(ctx)).length > 0) return undefined;
  if (!ctx.card.securityDeclared && !readsAsAuthFailure(e)) return undefined;
  return (
    `the extended card is for authenticated clients and targets.yaml gives this target no credential \`headers\` ` +
    `(answered ${describeError(e)}${ctx.card.securityDeclared ? '; the card declares security' : ''}): a ` +
    `rejection cannot be told from an authentication failure; configure credentials to judge it`
  );
}
