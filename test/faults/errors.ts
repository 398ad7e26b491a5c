/**
 * Faults for the "errors" suite: JSON-RPC envelope rules and the encoding of A2A errors. Response faults rewrite what
 * the agent answered; request faults rewrite what the agent sees (a server that does not validate a field behaves as
 * if the field were fine).
 *
 * Two things beyond plain response rewriting are used here and in versions.ts / extensions.ts:
 * - `baseline` (ControlledFaultCase): a conformant emulation the baseline run goes through instead of the plain
 *   proxy. Needed where the reference agents cannot make the check pass on their own: the check skips there (no
 *   declared extension, lenient media types, no 1.0-only interface) or the SDK itself deviates (empty parts accepted,
 *   -32602 for string params, patch version rejected). The fault is then a self-contained emulation with one defect.
 * - MAY-level checks never fail or warn (a violation is `info`): their faults turn a `pass` into `info`.
 * The kill matrix (test/tools/kill-matrix.ts) honours both; test/unit/errors-suite.test.ts also verifies every fault
 * of the three files.
 */
import type { A2AErrorName } from '../../src/protocol/model.js';
import { ERROR_CODES, reasonForName } from '../../src/protocol/errors.js';
import { REST_STATUS_10 } from '../../suites/lib/expect-error.js';
import { UNSUPPORTED_MEDIA_TYPE } from '../../suites/errors/provocations.js';
import type { FaultCase } from '../tools/fault-case.js';
import type { Fault, FaultContext } from '../tools/fault-proxy.js';
import { clone, isObj, requestInfo, requestMessage, type Obj, type RequestInfo, editBody } from './index.js';

// ---------------------------------------------------------------------------------------------------------------
// Shared with versions.ts and extensions.ts

/** A fault whose baseline is a conformant emulation (see the file comment). */
export type ControlledFaultCase = FaultCase & { baseline?: Fault };

type Canned = { status: number; headers?: Record<string, string>; body: string };

/** google.rpc.Code name per A2A error (1.0.1 gRPC column of §5.4), for emulated REST error bodies. */
const GRPC_STATUS: Partial<Record<A2AErrorName, string>> = {
  TaskNotFound: 'NOT_FOUND',
  TaskNotCancelable: 'FAILED_PRECONDITION',
  PushNotificationNotSupported: 'FAILED_PRECONDITION',
  UnsupportedOperation: 'FAILED_PRECONDITION',
  ContentTypeNotSupported: 'INVALID_ARGUMENT',
  ExtendedAgentCardNotConfigured: 'FAILED_PRECONDITION',
  ExtensionSupportRequired: 'FAILED_PRECONDITION',
  VersionNotSupported: 'FAILED_PRECONDITION',
  InvalidParams: 'INVALID_ARGUMENT',
  InvalidRequest: 'INVALID_ARGUMENT',
  InternalError: 'INTERNAL',
};

/**
 * A conformant error answer for a request, in its binding and dialect: JSON-RPC (1.0 with ErrorInfo in `data[]`),
 * REST 1.0 google.rpc.Status with the 1.0.1 status, REST 0.3 `{code, message}` with a 4xx.
 */
export function conformantError(
  info: RequestInfo,
  name: A2AErrorName,
  message: string,
  tweak: (doc: Obj) => void = () => {},
): Canned {
  const code = ERROR_CODES[name] ?? -32603;
  const errorInfo = {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: reasonForName(name),
    domain: 'a2a-protocol.org',
  };
  let status: number;
  let doc: Obj;
  if (info.binding === 'jsonrpc') {
    status = 200;
    doc = {
      jsonrpc: '2.0',
      id: info.rpcId ?? null,
      error: { code, message, ...(info.dialect === 'proto-1.0' ? { data: [errorInfo] } : {}) },
    };
  } else if (info.dialect === 'proto-1.0') {
    status = REST_STATUS_10['1.0.1'][name] ?? 500;
    doc = { error: { code: status, status: GRPC_STATUS[name] ?? 'UNKNOWN', message, details: [errorInfo] } };
  } else {
    status = name === 'TaskNotFound' ? 404 : 400;
    doc = { code, message };
  }
  tweak(doc);
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) };
}

/** The error object of a response document: JSON-RPC `error`, REST 1.0 `error`, REST 0.3 the body itself. */
export function errorObj(body: unknown): Obj | undefined {
  if (!isObj(body)) return undefined;
  if (isObj(body.error)) return body.error;
  return typeof body.code === 'number' && typeof body.message === 'string' ? body : undefined;
}

const isRpc = (ctx: Pick<FaultContext, 'requestJson'>) => isObj(ctx.requestJson) && ctx.requestJson.jsonrpc === '2.0';
const rpcMethod = (ctx: Pick<FaultContext, 'requestJson'>) =>
  isObj(ctx.requestJson) && typeof ctx.requestJson.method === 'string' ? ctx.requestJson.method : undefined;

/** The request is an extended-card call (any version, either binding). */
const isExtendedCardCall = (ctx: Pick<FaultContext, 'path' | 'requestJson'>) =>
  ['GetExtendedAgentCard', 'agent/getAuthenticatedExtendedCard'].includes(rpcMethod(ctx) ?? '') ||
  /\/(extendedAgentCard|v1\/card)(\?|$)/.test(ctx.path);

/** A send whose message carries a part of the unsupported media type (any dialect). */
const sendsUnsupportedMedia = (ctx: Pick<FaultContext, 'method' | 'path' | 'requestJson'>) => {
  const info = requestInfo(ctx);
  return (
    (info.op === 'send' || info.op === 'stream') &&
    JSON.stringify(requestMessage(info.params) ?? {}).includes(UNSUPPORTED_MEDIA_TYPE)
  );
};

/** Conformant ContentTypeNotSupported for the unsupported media type (baseline of the content-type faults). */
const contentTypeRejected: Fault = {
  name: 'emulation: ContentTypeNotSupported',
  description: 'rejects the unsupported media type with ContentTypeNotSupported',
  intercept: (ctx) =>
    sendsUnsupportedMedia(ctx)
      ? conformantError(
          requestInfo(ctx),
          'ContentTypeNotSupported',
          `Media type ${UNSUPPORTED_MEDIA_TYPE} is not supported`,
        )
      : undefined,
};

/** The card declares the extended card (both card shapes). */
function declareExtendedCard(card: Record<string, unknown>): Record<string, unknown> {
  const c = clone(card);
  if (isObj(c.capabilities)) c.capabilities.extendedAgentCard = true;
  if ('url' in c || 'protocolVersion' in c) c.supportsAuthenticatedExtendedCard = true;
  return c;
}

/** Conformant "declared but not configured" answer to the extended-card operation. */
const extendedCardNotConfigured: Fault = {
  name: 'emulation: extended card not configured',
  description: 'declares the extended card and answers ExtendedAgentCardNotConfigured',
  card: (card) => declareExtendedCard(card),
  intercept: (ctx) =>
    isExtendedCardCall(ctx)
      ? conformantError(requestInfo(ctx), 'ExtendedAgentCardNotConfigured', 'No extended agent card is configured')
      : undefined,
};

/** The emulated "1.0 server that validates empty parts" (baseline of the empty-parts fault). */
const sendsEmptyParts = (ctx: Pick<FaultContext, 'method' | 'path' | 'requestJson'>) => {
  const info = requestInfo(ctx);
  const m = requestMessage(info.params);
  return info.binding === 'jsonrpc' && info.op === 'send' && Array.isArray(m?.parts) && m.parts.length === 0;
};

// ---------------------------------------------------------------------------------------------------------------

const one = (id: string) => ({ kills: [id], grep: [id] });

export const CONTROLLED: ControlledFaultCase[] = [
  // ---- JSON-RPC envelope
  {
    name: 'errors-parse-error-echoes-id',
    description: 'The -32700 parse-error response carries a made-up id instead of null.',
    agent: 'v1',
    ...one('errors.jsonrpc.parse-error'),
    json: (body) => {
      const e = errorObj(body);
      if (!isObj(body) || body.jsonrpc !== '2.0' || e?.code !== -32700) return undefined;
      return { ...body, id: 'conformance-parse' };
    },
  },
  {
    name: 'errors-invalid-request-as-invalid-params',
    description: 'Requests that are not valid JSON-RPC (bad jsonrpc, no method) get -32602 instead of -32600.',
    agent: 'v03',
    ...one('errors.jsonrpc.invalid-request'),
    json: (body) => {
      const e = errorObj(body);
      if (!isObj(body) || body.jsonrpc !== '2.0' || e?.code !== -32600) return undefined;
      e.code = -32602;
      return body;
    },
  },
  {
    name: 'errors-params-string-internal-error',
    description: 'A request whose params is a string gets -32603 (Internal error), neither -32600 nor -32602.',
    agent: 'v03',
    ...one('errors.jsonrpc.params-not-structured'),
    baseline: {
      name: 'emulation: -32600 for string params',
      description: 'answers -32600 for a string params (JSON-RPC 2.0 reading)',
      intercept: (ctx) =>
        isRpc(ctx) && typeof (ctx.requestJson as Obj).params === 'string'
          ? conformantError(requestInfo(ctx), 'InvalidRequest', 'params must be an object')
          : undefined,
    },
    intercept: (ctx) =>
      isRpc(ctx) && typeof (ctx.requestJson as Obj).params === 'string'
        ? conformantError(requestInfo(ctx), 'InternalError', 'Internal error')
        : undefined,
  },
  {
    name: 'errors-unknown-method-as-invalid-request',
    description: 'An unknown method gets -32600 (Invalid Request) instead of -32601.',
    agent: 'v03',
    ...one('errors.jsonrpc.method-not-found'),
    json: (body) => {
      const e = errorObj(body);
      if (!isObj(body) || body.jsonrpc !== '2.0' || e?.code !== -32601) return undefined;
      e.code = -32600;
      return body;
    },
  },
  {
    name: 'errors-missing-message-internal-error',
    description: 'SendMessage without a message crashes into -32603 instead of -32602 (no validation).',
    agent: 'v1',
    ...one('errors.jsonrpc.invalid-params.missing-message'),
    json: (body, ctx) => {
      const e = errorObj(body);
      if (!isRpc(ctx) || !isObj(body) || e?.code !== -32602) return undefined;
      const params = (ctx.requestJson as Obj).params;
      if (!isObj(params) || 'message' in params) return undefined;
      return {
        jsonrpc: '2.0',
        id: body.id,
        error: { code: -32603, message: "Cannot read properties of undefined (reading 'messageId')" },
      };
    },
  },
  {
    name: 'errors-get-without-id-task-not-found',
    description: 'GetTask / tasks/get without an id is answered with TaskNotFound (-32001) instead of -32602.',
    agent: 'v1',
    ...one('errors.jsonrpc.invalid-params.get-task-without-id'),
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      return info.binding === 'jsonrpc' && info.op === 'get' && !('id' in info.params)
        ? conformantError(info, 'TaskNotFound', 'Task undefined not found')
        : undefined;
    },
  },
  {
    name: 'errors-missing-message-id-internal-error',
    description: 'A message without messageId crashes into -32603 instead of -32602 (no validation).',
    agent: 'v1',
    ...one('errors.jsonrpc.invalid-params.missing-message-id'),
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      const m = info.binding === 'jsonrpc' && info.op === 'send' ? requestMessage(info.params) : undefined;
      return m && !('messageId' in m) ? conformantError(info, 'InternalError', 'messageId is undefined') : undefined;
    },
  },
  {
    name: 'errors-push-config-without-url-accepted',
    description:
      '0.3 HTTP+JSON stores a push notification config that has no url (answers it as created) instead of ' +
      'rejecting it.',
    agent: 'v03',
    bindings: ['rest'],
    ...one('errors.push-config.missing-url'),
    intercept: (ctx) => {
      const m = /\/v1\/tasks\/([^/]+)\/pushNotificationConfigs$/.exec(ctx.path.split('?')[0]!);
      const body = isObj(ctx.requestJson) ? ctx.requestJson : undefined;
      const cfg = body && isObj(body.pushNotificationConfig) ? body.pushNotificationConfig : undefined;
      if (ctx.method !== 'POST' || !m || !cfg || 'url' in cfg) return undefined;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `tasks/${m[1]}/pushNotificationConfigs/cfg-no-url`,
          pushNotificationConfig: { ...cfg, id: 'cfg-no-url' },
        }),
      };
    },
  },
  {
    name: 'errors-empty-parts-wrong-code',
    description:
      'A 1.0 message with `parts: []` is rejected with -32600 instead of -32602 (baseline: a server that ' +
      'validates it with -32602).',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('errors.jsonrpc.invalid-params.empty-parts'),
    baseline: {
      name: 'emulation: -32602 for empty parts',
      description: 'rejects parts: [] with -32602',
      intercept: (ctx) =>
        sendsEmptyParts(ctx)
          ? conformantError(requestInfo(ctx), 'InvalidParams', 'message.parts must not be empty')
          : undefined,
    },
    intercept: (ctx) =>
      sendsEmptyParts(ctx)
        ? conformantError(requestInfo(ctx), 'InvalidRequest', 'message.parts must not be empty')
        : undefined,
  },
  {
    name: 'errors-unknown-role-accepted',
    description:
      'A message role outside the enum is accepted (the server maps unknown roles to "user" instead of validating).',
    agent: 'v1',
    protocols: ['0.3'],
    ...one('errors.jsonrpc.invalid-params.wrong-enum'),
    request: editBody((json) => {
      const m = isObj(json.params) && isObj(json.params.message) ? json.params.message : undefined;
      if (m?.role !== 'robot') return false;
      m.role = 'user';
      return true;
    }),
  },
  {
    name: 'errors-string-parts-accepted',
    description:
      'A message whose parts is a string is accepted (the server coerces it into a text part instead of validating).',
    agent: 'v1',
    protocols: ['0.3'],
    ...one('errors.jsonrpc.invalid-params.wrong-type'),
    request: editBody((json) => {
      const m = isObj(json.params) && isObj(json.params.message) ? json.params.message : undefined;
      if (!m || typeof m.parts !== 'string') return false;
      m.parts = [{ kind: 'text', text: m.parts }];
      return true;
    }),
  },
  {
    name: 'errors-numeric-id-stringified',
    description: 'A numeric JSON-RPC id comes back as a string ("42" for 42).',
    agent: 'v1',
    ...one('errors.jsonrpc.id-echo'),
    json: (body, ctx) => {
      const id = isObj(ctx.requestJson) ? ctx.requestJson.id : undefined;
      if (typeof id !== 'number' || !isObj(body) || body.id !== id) return undefined;
      return { ...body, id: String(id) };
    },
  },
  {
    name: 'errors-error-with-result-null',
    description: 'JSON-RPC error responses also carry `"result": null`.',
    agent: 'v1',
    ...one('errors.jsonrpc.result-xor-error'),
    json: (body) =>
      isObj(body) && body.jsonrpc === '2.0' && isObj(body.error) ? { ...body, result: null } : undefined,
  },
  {
    name: 'errors-jsonrpc-text-plain',
    description: 'JSON-RPC responses are sent as text/plain.',
    agent: 'v1',
    ...one('errors.jsonrpc.content-type'),
    headers: (h, ctx) =>
      ctx.method === 'POST' && /\/jsonrpc(\?|$)/.test(ctx.path) && /json/i.test(h['content-type'] ?? '')
        ? { ...h, 'content-type': 'text/plain; charset=utf-8' }
        : h,
  },
  {
    name: 'errors-notification-crashes',
    description: 'A request without id (notification) gets an HTTP 500 HTML page (MAY check: pass → info).',
    agent: 'v1',
    ...one('errors.jsonrpc.notification'),
    intercept: (ctx) =>
      isRpc(ctx) && !('id' in (ctx.requestJson as Obj))
        ? { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Internal Server Error</h1>' }
        : undefined,
  },
  {
    name: 'errors-batch-crashes',
    description: 'A batch (JSON array) gets an HTTP 500 HTML page (MAY check: pass → info).',
    agent: 'v1',
    ...one('errors.jsonrpc.batch'),
    intercept: (ctx) =>
      Array.isArray(ctx.requestJson)
        ? { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Internal Server Error</h1>' }
        : undefined,
  },

  // ---- A2A errors
  {
    name: 'errors-task-not-found-no-message',
    description: 'TaskNotFound errors carry an empty message.',
    agent: 'v1',
    ...one('errors.task-not-found.encoding'),
    json: (body, ctx) => {
      const e = errorObj(body);
      if (!e || requestInfo(ctx).op !== 'get') return undefined;
      const notFound = e.code === -32001 || ctx.status === 404;
      if (!notFound) return undefined;
      e.message = '';
      return body;
    },
  },
  {
    name: 'errors-cancel-409',
    description: 'REST CancelTask of a terminal task answers HTTP 409 (the 1.0.0 table) on a 1.0.1 target.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['rest'],
    kills: ['errors.task-not-cancelable.encoding', 'errors.rest.status-table'],
    grep: ['errors.task-not-cancelable.encoding', 'errors.rest.status-table'],
    status: (s, ctx) =>
      requestInfo(ctx).op === 'cancel' && requestInfo(ctx).binding === 'rest' && s === 400 ? 409 : s,
  },
  {
    name: 'errors-push-delete-succeeds-without-capability',
    description: 'Without the pushNotifications capability, DeleteTaskPushNotificationConfig still succeeds.',
    agent: 'v1',
    agentOptions: { pushNotifications: false },
    ...one('errors.push-not-supported.all-methods'),
    intercept: (ctx): Canned | undefined => {
      const m = rpcMethod(ctx);
      if (m === 'DeleteTaskPushNotificationConfig' || m === 'tasks/pushNotificationConfig/delete') {
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: (ctx.requestJson as Obj).id, result: null }),
        };
      }
      if (ctx.method === 'DELETE' && /\/pushNotificationConfigs\//.test(ctx.path))
        return { status: 204, headers: {}, body: '' };
      return undefined;
    },
  },
  {
    name: 'errors-extended-card-not-configured-instead-of-unsupported',
    description:
      'With no extended card declared, the extended-card operation answers ExtendedAgentCardNotConfigured ' +
      '(-32007) instead of UnsupportedOperation.',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('errors.extended-card.not-declared'),
    intercept: (ctx) =>
      isExtendedCardCall(ctx)
        ? conformantError(requestInfo(ctx), 'ExtendedAgentCardNotConfigured', 'No extended agent card is configured')
        : undefined,
  },
  {
    name: 'errors-extended-card-declared-but-unsupported',
    description:
      'The card declares the extended card, but the operation answers UnsupportedOperation (baseline: a ' +
      'declared, unconfigured card answering -32007).',
    agent: 'v1',
    ...one('errors.extended-card.declared'),
    baseline: extendedCardNotConfigured,
    card: (card) => declareExtendedCard(card),
  },
  {
    name: 'errors-content-type-rejected-with-invalid-params',
    description:
      'A part of an unsupported media type is rejected with InvalidParams (-32602 / 400) instead of ' +
      'ContentTypeNotSupported (MAY check: pass → info; baseline: rejected with ContentTypeNotSupported).',
    agent: 'v1',
    ...one('errors.content-type.unsupported'),
    baseline: contentTypeRejected,
    intercept: (ctx) =>
      sendsUnsupportedMedia(ctx)
        ? conformantError(requestInfo(ctx), 'InvalidParams', `Media type ${UNSUPPORTED_MEDIA_TYPE} is not supported`)
        : undefined,
  },
  {
    name: 'errors-content-type-no-message',
    description:
      'ContentTypeNotSupported is answered without a message (baseline: a conformant ContentTypeNotSupported).',
    agent: 'v1',
    ...one('errors.content-type.encoding'),
    baseline: contentTypeRejected,
    intercept: (ctx) =>
      sendsUnsupportedMedia(ctx) ? conformantError(requestInfo(ctx), 'ContentTypeNotSupported', '') : undefined,
  },
  {
    name: 'errors-task-not-found-without-error-info',
    description: '1.0 TaskNotFound errors carry no google.rpc.ErrorInfo (no `data` / `details`).',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('errors.a2a.error-info'),
    json: (body, ctx) => {
      const e = errorObj(body);
      if (!e || requestInfo(ctx).op !== 'get' || !(e.code === -32001 || ctx.status === 404)) return undefined;
      delete e.data;
      delete e.details;
      return body;
    },
  },
  {
    name: 'errors-untyped-detail',
    description: '1.0 error details carry an extra object without "@type" next to the ErrorInfo.',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('errors.details.typed'),
    json: (body) => {
      const e = errorObj(body);
      const list = e ? (Array.isArray(e.data) ? e.data : Array.isArray(e.details) ? e.details : undefined) : undefined;
      if (!list) return undefined;
      list.push({ hint: 'see the server log' });
      return body;
    },
  },
  {
    name: 'errors-rest-version-error-501',
    description: '1.0 REST answers an unsupported A2A-Version with HTTP 501 instead of 400.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['rest'],
    ...one('errors.rest.status-table'),
    status: (s, ctx) =>
      requestInfo(ctx).binding === 'rest' && ctx.requestHeaders['a2a-version'] === '99.0' && s === 400 ? 501 : s,
  },
  {
    name: 'errors-rest-status-body-jsonrpc-code',
    description: '1.0 REST error bodies put the JSON-RPC code (e.g. -32001) in error.code instead of the HTTP status.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['rest'],
    ...one('errors.rest.body-format'),
    json: (body) => {
      if (!isObj(body) || !isObj(body.error) || !Array.isArray(body.error.details)) return undefined;
      const reason = body.error.details.find((d): d is Obj => isObj(d) && typeof d.reason === 'string')?.reason;
      const name = Object.keys(ERROR_CODES).find((n) => reasonForName(n as A2AErrorName) === reason) as
        | A2AErrorName
        | undefined;
      if (!name) return undefined;
      body.error.code = ERROR_CODES[name];
      return body;
    },
  },
  {
    name: 'errors-rest03-error-without-message',
    description: '0.3 REST error bodies carry no message (MAY report: pass → info).',
    agent: 'v1',
    protocols: ['0.3'],
    bindings: ['rest'],
    ...one('errors.rest-03.status-report'),
    json: (body, ctx) => {
      if (!/\/v1\//.test(ctx.path) || ctx.status < 400 || !isObj(body) || typeof body.message !== 'string')
        return undefined;
      const { message: _m, ...rest } = body;
      return rest;
    },
  },
];

/** What the kill-matrix loader picks up. */
export const FAULTS: FaultCase[] = CONTROLLED;
