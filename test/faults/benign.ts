/**
 * Benign variants: rewrites that keep the server conformant, each a legitimate choice the spec leaves open (or a
 * looser rule of one version or spec profile). The kill matrix runs them like faults and fails if any check FAILS
 * with one where the baseline did not fail (warnings are allowed: a SHOULD the variant gives up is still a warning).
 * They prove the other direction of "every check can fail": a check fails only when it should.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import { FAULT_BEARER_TOKEN } from './auth.js';
import { isCreate, viaRelay } from './push.js';
import { sameExtension } from '../../src/protocol/extension-uri.js';
import { ECHO_EXTENSION, isProtocolCall, requested, responseHeaderName, withExtension } from './extensions.js';
import { messageAsTaskWithHistory, sendSuccess, sentTrigger } from './send.js';
import {
  dialectOf,
  isObj,
  itemIn,
  parseData,
  requestInfo,
  spellState,
  stateName,
  TERMINAL,
  type Obj,
} from './index.js';

/** The `error` member of a JSON-RPC error response. */
const rpcError = (doc: unknown): Obj | undefined =>
  isObj(doc) && doc.jsonrpc === '2.0' && isObj(doc.error) ? doc.error : undefined;

/** 0.3 REST: error bodies reduced to a message (a2a-python 0.3 style), the status unchanged. */
function messageOnly03(body: unknown, ctx: { path: string; status: number }): unknown {
  if (!/\/v1\//.test(ctx.path) || ctx.status < 400 || !isObj(body)) return undefined;
  return { message: typeof body.message === 'string' && body.message ? body.message : `HTTP ${ctx.status}` };
}

/** A JSON-RPC streaming call (message/stream, resubscribe) whose answer is not a stream. */
function streamingErrorCall(ctx: { method: string; path: string; requestJson?: unknown; status: number }): boolean {
  const op = requestInfo(ctx).op;
  return (op === 'stream' || op === 'subscribe') && ctx.status < 300;
}

/** Tasks whose first cancel answer the asynchronous-cancel variant rewrote (later cancels see them canceled). */
const cancelAnswered = new Set<string>();

/** Remove status.timestamp from every Task and status update of a document (optional in a2a.proto). */
function dropTimestamps(doc: unknown): boolean {
  let changed = false;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObj(v)) {
      if (isObj(v.status) && 'timestamp' in v.status) {
        delete v.status.timestamp;
        changed = true;
      }
      for (const x of Object.values(v)) visit(x);
    }
  };
  visit(doc);
  return changed;
}

/**
 * Remove status.message from every Task and status update of a document (TaskStatus.message is optional), except in
 * auth-required (1.0 §7.6.1: the agent MUST explain what is required).
 */
function dropStatusMessages(doc: unknown): boolean {
  let changed = false;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObj(v)) {
      // auth-required keeps its message: 1.0 §7.6.1 requires one explaining what is needed.
      const state = isObj(v.status) ? stateName(v.status.state) : undefined;
      if (isObj(v.status) && 'message' in v.status && state !== undefined && state !== 'auth-required') {
        delete v.status.message;
        changed = true;
      }
      for (const x of Object.values(v)) visit(x);
    }
  };
  visit(doc);
  return changed;
}

/**
 * 1.0.0 JSON-RPC error.data without "@type": an object for standard errors (no ErrorInfo there), one more untyped
 * entry after the ErrorInfo of A2A errors. Returns whether the document was changed.
 */
function untypedErrorData(doc: unknown): boolean {
  const e = rpcError(doc);
  if (!e || typeof e.code !== 'number') return false;
  if (e.code <= -32001 && e.code >= -32099) {
    if (!Array.isArray(e.data)) return false;
    e.data.push({ hint: 'conformance: untyped error context' });
  } else e.data = { method: 'conformance', hint: 'untyped error context' };
  return true;
}

/**
 * A 0.3 task stream folded into one event: the initial Task is held, artifact updates and status updates are applied
 * to it, and the terminal status update is replaced by the resulting Task; the stream then closes as before
 * (proto-0.3 StreamResponse: "a Task object followed by zero or more TaskStatusUpdateEvents").
 */
function foldIntoTerminalTask(data: string, ctx: FaultContext): string | null | undefined {
  if (requestInfo(ctx).op !== 'stream') return undefined;
  const doc = parseData(data);
  const item = itemIn(doc);
  if (!isObj(doc) || !item) return undefined;
  const task = ctx.scratch.task as Obj | undefined;
  if (item.kind === 'task' && !task) {
    ctx.scratch.task = JSON.parse(JSON.stringify(item.obj)) as Obj;
    return null;
  }
  if (!task) return undefined; // a message-only stream: left alone
  if (item.kind === 'artifact-update' && isObj(item.obj.artifact)) {
    const a = JSON.parse(JSON.stringify(item.obj.artifact)) as Obj;
    const list = (Array.isArray(task.artifacts) ? task.artifacts : (task.artifacts = [])) as Obj[];
    const at = list.findIndex((x) => x.artifactId === a.artifactId);
    if (at < 0) list.push(a);
    else if (item.obj.append === true && Array.isArray(list[at]!.parts) && Array.isArray(a.parts))
      (list[at]!.parts as unknown[]).push(...a.parts);
    else list[at] = a;
    return null;
  }
  if (item.kind === 'status-update' && isObj(item.obj.status)) {
    task.status = item.obj.status;
    const state = stateName(item.obj.status.state);
    if (item.obj.final !== true && (state === undefined || !TERMINAL.has(state))) return null;
    const payload = dialectOf(doc, ctx) === 'jsonrpc-0.3' ? task : { task };
    return JSON.stringify(doc.jsonrpc === '2.0' ? { ...doc, result: payload } : payload);
  }
  return undefined;
}

export const FAULTS: FaultCase[] = [
  {
    name: 'benign-v10-push-config-without-task-id',
    benign: true,
    description:
      '1.0 Get/List push config answers omit taskId (a2a.proto TaskPushNotificationConfig requires only url; the ' +
      'request already names the task).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: [],
    grep: ['push.config.**', 'wire.**'],
    json: (body, ctx) => {
      if (
        ctx.method !== 'GET' &&
        !/GetTaskPushNotificationConfig|ListTaskPushNotificationConfig/.test(JSON.stringify(ctx.requestJson ?? ''))
      )
        return undefined;
      let changed = false;
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (isObj(v)) {
          if (typeof v.url === 'string' && typeof v.taskId === 'string') {
            delete v.taskId;
            changed = true;
          }
          for (const x of Object.values(v)) visit(x);
        }
      };
      visit(body);
      return changed ? body : undefined;
    },
  },
  {
    name: 'benign-no-status-messages',
    benign: true,
    description:
      'Tasks and status updates carry no status.message (optional in every version; auth-required keeps its ' +
      'own, which 1.0 §7.6.1 requires): the failed, rejected and completed tasks end without an explanation.',
    agent: 'v1',
    kills: [],
    grep: ['send.**', 'tasks.**', 'stream.**'],
    json: (body) => (dropStatusMessages(body) ? body : undefined),
    sseEvent: (data) => {
      const doc = parseData(data);
      return dropStatusMessages(doc) ? JSON.stringify(doc) : undefined;
    },
  },
  {
    name: 'benign-pretty-printed-json',
    benign: true,
    description: 'Every JSON response body is pretty-printed (insignificant whitespace, RFC 8259).',
    agent: 'v1',
    kills: [],
    grep: ['send.**', 'tasks.**', 'errors.**', 'wire.**'],
    json: (body) => JSON.stringify(body, null, 2),
  },
  {
    name: 'benign-sse-multiline-data',
    benign: true,
    description:
      'Each SSE event carries its JSON pretty-printed over several `data:` lines (the SSE format joins them with ' +
      'newlines).',
    agent: 'v1',
    kills: [],
    grep: ['stream.**', 'wire.**'],
    sseEvent: (data) => {
      const doc = parseData(data);
      return doc === undefined ? undefined : JSON.stringify(doc, null, 2);
    },
  },
  {
    name: 'benign-json-charset-parameter',
    benign: true,
    description: 'JSON responses are labelled `application/json; charset=utf-8` (a charset parameter, UTF-8).',
    agent: 'v1',
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['errors.**', 'send.**', 'wire.**'],
    headers: (h) =>
      /^application\/json\s*$/i.test(h['content-type'] ?? '')
        ? { ...h, 'content-type': 'application/json; charset=utf-8' }
        : h,
  },
  {
    name: 'benign-unknown-members',
    benign: true,
    description:
      'Tasks and the card carry extra members the spec does not define (`vendorTrace`, `vendorInfo`): §5.7 says ' +
      'unrecognized fields SHOULD be ignored, so adding them breaks nothing.',
    agent: 'v1',
    kills: [],
    grep: ['card.**', 'send.**', 'tasks.**', 'wire.**'],
    card: (c) => {
      c.vendorInfo = { region: 'eu-west', tier: 'gold' };
      return c;
    },
    json: (body) => {
      const it = itemIn(body);
      if (it?.kind !== 'task') return undefined;
      it.obj.vendorTrace = 'abc123';
      return body;
    },
  },
  {
    name: 'benign-v10-extra-typed-error-detail',
    benign: true,
    description:
      '1.0 errors carry a second typed detail (google.rpc.DebugInfo) after the ErrorInfo: details are a list of ' +
      'typed objects (§9.5, §11.6).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: [],
    grep: ['errors.**', 'tasks.**', 'versions.**'],
    json: (body) => {
      const e = rpcError(body) ?? (isObj(body) && isObj(body.error) ? body.error : undefined);
      const list = e ? (Array.isArray(e.data) ? e.data : Array.isArray(e.details) ? e.details : undefined) : undefined;
      if (!list) return undefined;
      list.push({ '@type': 'type.googleapis.com/google.rpc.DebugInfo', detail: 'request 42' });
      return body;
    },
  },
  {
    name: 'benign-gateway-401-body',
    benign: true,
    description:
      'An authentication gateway in front of the agent answers requests without credentials with HTTP 401 and ' +
      'a JSON body of its own (`{"error": "unauthorized", "detail": …}`), not an A2A document.',
    agent: 'v1',
    agentOptions: { bearerToken: FAULT_BEARER_TOKEN, extendedCard: true },
    targetHeaders: { Authorization: `Bearer ${FAULT_BEARER_TOKEN}` },
    kills: [],
    grep: ['auth.**', 'wire.**'],
    intercept: (ctx) =>
      !ctx.requestHeaders.authorization && ctx.method === 'POST'
        ? {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="gateway"' },
            body: JSON.stringify({ error: 'unauthorized', detail: 'missing or invalid API key', trace_id: 'gw-1' }),
          }
        : undefined,
  },
  {
    name: 'benign-card-security-anonymous-alternative',
    benign: true,
    description:
      'The card lists one security requirement, the empty one (`[{}]`): OpenAPI Security Requirement lists are ' +
      'an OR of ANDs, so anonymous access is allowed and the agent rightly serves requests without credentials.',
    agent: 'v1',
    kills: [],
    grep: ['auth.**', 'bindings.equivalence.auth', 'card.**'],
    card: (c) => {
      if (Array.isArray(c.supportedInterfaces)) c.securityRequirements = [{}];
      if ('url' in c) c.security = [{}];
      return c;
    },
  },
  {
    name: 'benign-hybrid-card-extended-card-0-3-flag-only',
    benign: true,
    description:
      'A hybrid card sets only the 0.3 flag supportsAuthenticatedExtendedCard: the 1.0 cell must read the 1.0 ' +
      'flag (absent) and expect UnsupportedOperation, not the extended card.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: [],
    grep: ['errors.extended-card.**', 'auth.extended-card.**'],
    card: (c) => {
      if (!Array.isArray(c.supportedInterfaces)) return c;
      c.supportsAuthenticatedExtendedCard = true;
      if (isObj(c.capabilities)) delete c.capabilities.extendedAgentCard;
      return c;
    },
  },
  {
    name: 'benign-v10-rest-error-without-status',
    benign: true,
    description:
      '1.0 HTTP+JSON error bodies carry code, message and details but no `status` (1.0.1 §11.6 maps only those ' +
      'three; `status` appears in its example).',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['rest'],
    kills: [],
    grep: ['errors.**', 'tasks.**', 'versions.**'],
    json: (body, ctx) => {
      if (ctx.status < 400 || /\/v1\//.test(ctx.path) || !isObj(body) || !isObj(body.error)) return undefined;
      if (!('status' in body.error)) return undefined;
      delete body.error.status;
      return body;
    },
  },
  {
    name: 'benign-artifact-ids-per-binding',
    benign: true,
    description:
      'Artifact ids are server-generated per task and differ per binding (`art_<binding>_x7f3…` instead of a ' +
      'fixed "report"): ids are unique within a task, not across tasks.',
    agent: 'v1',
    kills: [],
    grep: ['bindings.**', 'send.**', 'tasks.**'],
    json: (body, ctx) => {
      const tag = requestInfo(ctx).binding === 'rest' ? 'rst' : 'rpc';
      let changed = false;
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (isObj(v)) {
          if (v.artifactId === 'report') {
            v.artifactId = `art_${tag}_x7f3a9`;
            changed = true;
          }
          for (const x of Object.values(v)) visit(x);
        }
      };
      visit(body);
      return changed ? body : undefined;
    },
    sseEvent: (data, ctx) => {
      const tag = requestInfo(ctx).binding === 'rest' ? 'rst' : 'rpc';
      return data.includes('"artifactId":"report"')
        ? data.split('"artifactId":"report"').join(`"artifactId":"art_${tag}_x7f3a9"`)
        : undefined;
    },
  },
  {
    name: 'benign-v10-no-status-timestamp',
    benign: true,
    description:
      '1.0 tasks and status updates carry no status.timestamp (TaskStatus.timestamp is optional in a2a.proto): ' +
      'ListTasks order cannot be verified, nothing may fail.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: [],
    grep: ['tasks.**', 'send.**', 'stream.**'],
    json: (body) => (dropTimestamps(body) ? body : undefined),
    sseEvent: (data) => {
      const doc = parseData(data);
      return dropTimestamps(doc) ? JSON.stringify(doc) : undefined;
    },
  },
  {
    name: 'benign-snake-case-in-free-form-values',
    benign: true,
    description:
      'snake_case names where the owner chooses them: task and message metadata keys, a security scheme named ' +
      '"bearer_auth" (1.0 §5.5 governs protocol field names, not Struct values or map keys).',
    agent: 'v1',
    kills: [],
    grep: ['card.**', 'wire.**', 'tasks.get.**', 'send.result.valid'],
    card: (c) => {
      c.metadata = { build_id: 'conformance', owner_team: 'qa' };
      if (isObj(c.securitySchemes)) c.securitySchemes.bearer_auth = { httpAuthSecurityScheme: { scheme: 'Bearer' } };
      return c;
    },
    json: (body) => {
      const it = itemIn(body);
      if (it?.kind !== 'task') return undefined;
      it.obj.metadata = { ...(isObj(it.obj.metadata) ? it.obj.metadata : {}), trace_id: 'abc', retry_count: 0 };
      return body;
    },
  },
  {
    name: 'benign-v03-resubscribe-without-task-first',
    benign: true,
    description:
      '0.3 tasks/resubscribe does not start with the Task snapshot (status and artifact updates only): what a ' +
      'resubscription sends first is implementation-dependent in 0.3 (§7.9).',
    agent: 'v1',
    protocols: ['0.3'],
    kills: [],
    grep: ['stream.**'],
    sseEvent: (data, ctx) =>
      requestInfo(ctx).op === 'subscribe' && ctx.eventIndex === 0 && itemIn(parseData(data))?.kind === 'task'
        ? null
        : undefined,
  },
  {
    name: 'benign-capability-error-as-sse-event',
    benign: true,
    description:
      'Without the streaming capability, JSON-RPC streaming calls are refused with HTTP 200 and one SSE event ' +
      'carrying the JSON-RPC error (schema-0.3 SendStreamingMessageResponse allows it).',
    agent: 'v1',
    agentOptions: { streaming: false },
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['stream.**'],
    headers: (h, ctx) => (streamingErrorCall(ctx) ? { ...h, 'content-type': 'text/event-stream' } : h),
    json: (body, ctx) => (streamingErrorCall(ctx) && rpcError(body) ? `data: ${JSON.stringify(body)}\n\n` : undefined),
  },
  {
    name: 'benign-cancel-asynchronous',
    benign: true,
    description:
      'The first CancelTask of a task answers with the task still WORKING; the cancel takes effect behind it ' +
      '(GetTask shows it canceled): cancellation is attempted, not guaranteed synchronous (§3.1.5).',
    agent: 'v1',
    kills: [],
    grep: ['tasks.**'],
    json: (body, ctx) => {
      const info = requestInfo(ctx);
      const it = info.op === 'cancel' && ctx.status < 300 ? itemIn(body) : undefined;
      if (it?.kind !== 'task' || !isObj(it.obj.status) || stateName(it.obj.status.state) !== 'canceled')
        return undefined;
      const id = String(it.obj.id);
      if (cancelAnswered.has(id)) return undefined;
      cancelAnswered.add(id);
      it.obj.status.state = spellState(dialectOf(body, ctx), 'working');
      return body;
    },
  },
  {
    name: 'benign-v03-card-grpc-preferred',
    benign: true,
    description:
      '0.3 card: preferredTransport is GRPC (a core transport, §5.5.5) and the main url is the gRPC endpoint, ' +
      'listed in additionalInterfaces next to the JSON-RPC and HTTP+JSON ones.',
    agent: 'v03',
    kills: [],
    grep: ['card.**'],
    card: (c) => {
      const extra = Array.isArray(c.additionalInterfaces) ? c.additionalInterfaces : [];
      const grpc = extra.find((i): i is Obj => isObj(i) && i.transport === 'GRPC');
      if (!grpc || typeof grpc.url !== 'string') return c;
      c.additionalInterfaces = [grpc, ...extra.filter((i) => i !== grpc)];
      c.url = grpc.url;
      c.preferredTransport = 'GRPC';
      return c;
    },
  },
  {
    name: 'benign-v03-card-custom-preferred-transport',
    benign: true,
    description:
      '0.3 card: preferredTransport is a custom transport (a URI, which 0.3 §5.5.5 allows: "Additional transport ' +
      'values MAY be used") at its own url; the harness cannot speak it, so it is not judged, not failed.',
    agent: 'v03',
    kills: [],
    grep: ['card.**'],
    card: (c) => {
      const url = 'wss://ws.conformance.invalid/a2a';
      const extra = Array.isArray(c.additionalInterfaces) ? c.additionalInterfaces : [];
      c.additionalInterfaces = [{ url, transport: 'https://example.com/bindings/websocket/v1' }, ...extra];
      c.url = url;
      c.preferredTransport = 'https://example.com/bindings/websocket/v1';
      return c;
    },
  },
  {
    name: 'benign-rest03-subscribe-post-only',
    benign: true,
    description:
      '0.3 HTTP+JSON serves `:subscribe` only with POST (the 0.3 prose verb; GET answers 405) and its error ' +
      'bodies carry only a message: the POST 404 for an unknown task is the answer.',
    agent: 'v1',
    protocols: ['0.3'],
    bindings: ['rest'],
    kills: [],
    grep: ['stream.**'],
    intercept: (ctx) =>
      ctx.method === 'GET' && /\/v1\/tasks\/[^/]+:subscribe$/.test(ctx.path.split('?')[0]!)
        ? {
            status: 405,
            headers: { 'content-type': 'application/json', allow: 'POST' },
            body: '{"message":"GET not allowed"}',
          }
        : undefined,
    json: messageOnly03,
  },
  {
    name: 'benign-rest03-error-body-message-only',
    benign: true,
    description:
      '0.3 HTTP+JSON error bodies carry only a message (a2a-python 0.3 style `{"message": …}`), the status ' +
      'unchanged: 0.3 defines no field naming the error (§3.2.3), only 404 for not-found is portable.',
    agent: 'v1',
    protocols: ['0.3'],
    bindings: ['rest'],
    kills: [],
    grep: ['errors.**', 'tasks.**', 'stream.**', 'send.**', 'push.**'],
    json: messageOnly03,
  },
  {
    name: 'benign-jsonrpc-error-without-error-info',
    benign: true,
    description:
      '1.0 JSON-RPC errors carry no `data` (no google.rpc.ErrorInfo): a SHOULD under spec profile 1.0.1 (§9.5), ' +
      'the matrix profile.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['errors.**', 'versions.**', 'tasks.**'],
    json: (body) => {
      const e = rpcError(body);
      if (!e || e.data === undefined) return undefined;
      delete e.data;
      return body;
    },
    sseEvent: (data) => {
      const doc = parseData(data);
      const e = rpcError(doc);
      if (!e || e.data === undefined) return undefined;
      delete e.data;
      return JSON.stringify(doc);
    },
  },
  {
    name: 'benign-v03-push-config-without-capability',
    benign: true,
    description:
      '0.3: the card declares no pushNotifications capability, yet tasks/pushNotificationConfig/delete succeeds. ' +
      '0.3 states the capability as a precondition of the method (§7.5-§7.8), not as a duty to reject: a warning, ' +
      'never a failure.',
    agent: 'v1',
    agentOptions: { pushNotifications: false },
    protocols: ['0.3'],
    kills: [],
    grep: ['errors.push-not-supported.all-methods'],
    intercept: (ctx): { status: number; headers: Record<string, string>; body: string } | undefined => {
      const body = ctx.requestJson;
      if (isObj(body) && body.method === 'tasks/pushNotificationConfig/delete')
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: body.id, result: null }),
        };
      if (ctx.method === 'DELETE' && /\/v1\/tasks\/[^/]+\/pushNotificationConfigs\//.test(ctx.path))
        return { status: 204, headers: {}, body: '' };
      return undefined;
    },
  },
  {
    name: 'benign-task-reply-history-echoes-user-message',
    benign: true,
    description:
      "The ordinary message is answered with a Task without a status message whose history holds the harness's " +
      'own message (role user) and the agent reply (role agent): a Task carries the conversation in history.',
    agent: 'v1',
    kills: [],
    grep: [
      'send.result.valid',
      'send.message.agent-role',
      'send.context-id.returned',
      'send.timestamps.utc',
      'send.parts.valid',
    ],
    json: messageAsTaskWithHistory('agent'),
  },
  {
    name: 'benign-message-reply-without-context-id',
    benign: true,
    description:
      'The reply Message to a message without contextId carries none and names no task: agents MAY generate a ' +
      'contextId (§3.4.1) and this one shows none generated (the proto\'s lower-case "must be provided" warns).',
    agent: 'v1',
    kills: [],
    grep: ['send.result.valid', 'send.message.agent-role', 'send.context-id.returned', 'send.parts.valid'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx) || !sentTrigger(ctx, 'ref-message')) return undefined;
      const it = itemIn(body);
      if (it?.kind !== 'message') return undefined;
      delete it.obj.contextId;
      if (!it.obj.taskId) delete it.obj.taskId;
      return body;
    },
  },
  {
    name: 'benign-v03-stream-single-terminal-task',
    benign: true,
    description:
      '0.3 message/stream of a task carries one event, the terminal Task (artifacts and final status folded in), ' +
      'and then closes: proto-0.3 allows zero status updates after the Task ("zero or more").',
    agent: 'v03',
    protocols: ['0.3'],
    kills: [],
    grep: ['stream.**', 'wire.**'],
    sseEvent: foldIntoTerminalTask,
  },
  {
    name: 'benign-extended-card-auth-custom-jsonrpc-error',
    benign: true,
    description:
      'An agent behind bearer authentication, tested without credentials, answers the JSON-RPC extended-card call ' +
      'with a custom JSON-RPC error at HTTP 200: 1.0 §3.3.2 names only "JSON-RPC custom error" for an ' +
      'authentication failure, so the rejection cannot be judged without credentials.',
    agent: 'v1',
    agentOptions: { bearerToken: FAULT_BEARER_TOKEN, extendedCard: true },
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['auth.extended-card.fetch', 'errors.extended-card.declared'],
    intercept: (ctx) => {
      const b = ctx.requestJson;
      const call =
        isObj(b) && (b.method === 'GetExtendedAgentCard' || b.method === 'agent/getAuthenticatedExtendedCard');
      if (!call || ctx.requestHeaders.authorization) return undefined;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: b.id, error: { code: -31001, message: 'Authentication required' } }),
      };
    },
  },
  {
    name: 'benign-v100-jsonrpc-error-data-untyped',
    benign: true,
    specProfile: '1.0.0',
    description:
      'Spec profile 1.0.0: JSON-RPC error.data of standard errors is an object (the §9.5 example ' +
      '`"data": {"method": …}`) and A2A errors add an entry without "@type" after their ErrorInfo ("Additional ' +
      'error context MAY be included in the data array"); typed entries are a 1.0.1 rule.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['errors.**', 'versions.**', 'tasks.**', 'wire.**'],
    json: (body) => (untypedErrorData(body) ? body : undefined),
    sseEvent: (data) => {
      const doc = parseData(data);
      return untypedErrorData(doc) ? JSON.stringify(doc) : undefined;
    },
  },
  {
    name: 'benign-push-authorization-lower-case-scheme',
    benign: true,
    description:
      'Webhook deliveries carry `Authorization: bearer <credentials>`: the scheme name is case-insensitive ' +
      '(RFC 9110 §11.1), in both versions.',
    agent: 'v1',
    kills: [],
    grep: ['push.delivery.**'],
    request: viaRelay('lower-case-scheme', isCreate),
  },
  {
    name: 'benign-extensions-newer-version-supported',
    benign: true,
    description:
      'The card declares …/echo/v1 and the agent also supports later versions it does not declare: a request ' +
      'for …/echo/v2 activates and echoes exactly …/echo/v2 (the requested version, no fallback).',
    agent: 'v1',
    kills: [],
    grep: ['extensions.**'],
    card: withExtension(ECHO_EXTENSION, false),
    headers: (h, ctx) => {
      const echo = requested(ctx).filter((u) => sameExtension(u, ECHO_EXTENSION));
      return isProtocolCall(ctx) && echo.length ? { ...h, [responseHeaderName(ctx)]: echo.join(', ') } : h;
    },
  },
];
