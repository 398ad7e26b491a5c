/**
 * The kill-matrix fault catalogue, and the wire helpers fault modules share.
 *
 * Every sibling module (`test/faults/<name>.ts`) that exports `FAULTS: FaultCase[]` is picked up by
 * `loadFaultModules()`; a new file needs no edit here. A module's file name is the suite it covers when a suite of
 * that name exists (`push.ts` → suite "push"), which is how the self-test knows which suites must be fully killed.
 *
 * The helpers read the dialect from the documents themselves: a JSON-RPC envelope or not, `kind` discriminators
 * (0.3 JSON-RPC) or ProtoJSON oneof members, and, for ProtoJSON, 0.3 (proto-0.3: `/v1/` REST paths, `request` and
 * `content` members) versus 1.0. They never throw on odd input: a fault that does not recognise a document leaves it.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isObj, str, type Obj } from '../../src/core/json.js';
import { TASK_STATES, TERMINAL_STATES, type TaskState } from '../../src/core/types.js';
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';

// ---------------------------------------------------------------------------------------------------------------
// Loading

export interface FaultModule {
  /** File name without extension, e.g. "stream". */
  name: string;
  faults: FaultCase[];
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every `test/faults/*.ts` (or compiled `.js`) module exporting `FAULTS`, sorted by file name. */
export async function loadFaultModules(dir = HERE): Promise<FaultModule[]> {
  const files = readdirSync(dir)
    .filter(
      (f) => /\.(ts|mts|js|mjs)$/.test(f) && !/\.d\.[mc]?ts$/.test(f) && !/^index\./.test(f) && !f.startsWith('_'),
    )
    .sort();
  const seen = new Set<string>();
  const out: FaultModule[] = [];
  for (const f of files) {
    const name = f.replace(/\.[^.]+$/, '');
    if (seen.has(name)) continue; // foo.ts next to a compiled foo.js
    seen.add(name);
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { FAULTS?: unknown };
    if (Array.isArray(mod.FAULTS)) out.push({ name, faults: mod.FAULTS as FaultCase[] });
  }
  const names = new Map<string, string>();
  for (const m of out) {
    for (const fc of m.faults) {
      if (names.has(fc.name))
        throw new Error(`duplicate fault name "${fc.name}" in ${m.name} and ${names.get(fc.name)}`);
      names.set(fc.name, m.name);
    }
  }
  return out;
}

export async function loadFaults(dir = HERE): Promise<FaultCase[]> {
  return (await loadFaultModules(dir)).flatMap((m) => m.faults);
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

export { isObj, type Obj } from '../../src/core/json.js';
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The three JSON dialects of A2A. */
export type Dialect = 'jsonrpc-0.3' | 'proto-0.3' | 'proto-1.0';
export type Op = 'send' | 'stream' | 'get' | 'list' | 'cancel' | 'subscribe' | 'card' | 'other';
/** A request as the fault proxy's `request` hook sees it, before the agent does. */
export type RawRequest = { method: string; path: string; headers: Record<string, string>; body: string };
/** The task states a wire document can name (neutral spelling). */
type State = Exclude<TaskState, 'unknown'>;

export interface RequestInfo {
  op: Op;
  binding: 'jsonrpc' | 'rest';
  dialect: Dialect;
  /** JSON-RPC params or REST body (an empty object when absent). */
  params: Obj;
  /** JSON-RPC request id. */
  rpcId?: unknown;
  /** Task id the request names (GetTask/CancelTask/subscribe id, or the message's taskId for sends). */
  taskId?: string;
  /** Query parameters (REST). */
  query: URLSearchParams;
}

const RPC_OPS: Record<string, [Op, Dialect]> = {
  'message/send': ['send', 'jsonrpc-0.3'],
  'message/stream': ['stream', 'jsonrpc-0.3'],
  'tasks/get': ['get', 'jsonrpc-0.3'],
  'tasks/cancel': ['cancel', 'jsonrpc-0.3'],
  'tasks/resubscribe': ['subscribe', 'jsonrpc-0.3'],
  SendMessage: ['send', 'proto-1.0'],
  SendStreamingMessage: ['stream', 'proto-1.0'],
  GetTask: ['get', 'proto-1.0'],
  ListTasks: ['list', 'proto-1.0'],
  CancelTask: ['cancel', 'proto-1.0'],
  SubscribeToTask: ['subscribe', 'proto-1.0'],
};

/** What a request asks for, read from its method/path and body. */
export function requestInfo(ctx: Pick<FaultContext, 'method' | 'path' | 'requestJson'>): RequestInfo {
  const [pathOnly, qs] = ctx.path.split('?') as [string, string | undefined];
  const query = new URLSearchParams(qs ?? '');
  const body = ctx.requestJson;
  if (/\/\.well-known\/agent(-card)?\.json$/.test(pathOnly))
    return { op: 'card', binding: 'rest', dialect: 'proto-1.0', params: {}, query };
  if (isObj(body) && body.jsonrpc === '2.0' && typeof body.method === 'string') {
    const [op, dialect] =
      RPC_OPS[body.method] ?? (['other', body.method.includes('/') ? 'jsonrpc-0.3' : 'proto-1.0'] as [Op, Dialect]);
    const params = isObj(body.params) ? body.params : {};
    const msg = isObj(params.message) ? params.message : undefined;
    const taskId = op === 'send' || op === 'stream' ? str(msg?.taskId) : str(params.id);
    return { op, binding: 'jsonrpc', dialect, params, rpcId: body.id, taskId, query };
  }
  const dialect: Dialect = /\/v1\//.test(pathOnly) || (isObj(body) && 'request' in body) ? 'proto-0.3' : 'proto-1.0';
  const params = isObj(body) ? body : {};
  let m: RegExpExecArray | null;
  let op: Op = 'other';
  let taskId: string | undefined;
  if (/\/message:send$/.test(pathOnly)) op = 'send';
  else if (/\/message:stream$/.test(pathOnly)) op = 'stream';
  else if ((m = /\/tasks\/([^/:]+):cancel$/.exec(pathOnly))) {
    op = 'cancel';
    taskId = decodeURIComponent(m[1]!);
  } else if ((m = /\/tasks\/([^/:]+):subscribe$/.exec(pathOnly))) {
    op = 'subscribe';
    taskId = decodeURIComponent(m[1]!);
  } else if ((m = /\/tasks\/([^/:]+)$/.exec(pathOnly)) && ctx.method === 'GET') {
    op = 'get';
    taskId = decodeURIComponent(m[1]!);
  } else if (/\/tasks$/.test(pathOnly) && ctx.method === 'GET') op = 'list';
  if (op === 'send' || op === 'stream') {
    const msg = isObj(params.message) ? params.message : isObj(params.request) ? params.request : undefined;
    taskId = str(msg?.taskId);
  }
  return { op, binding: 'rest', dialect, params, taskId, query };
}

/** The outgoing message of a send/stream request body (JSON-RPC params or REST body), for in-place edits. */
export function requestMessage(params: Obj): Obj | undefined {
  return isObj(params.message) ? params.message : isObj(params.request) ? params.request : undefined;
}

export const isRpcEnvelope = (doc: unknown): doc is Obj =>
  isObj(doc) && doc.jsonrpc === '2.0' && ('result' in doc || 'error' in doc);

/** The payload of a response or SSE event: JSON-RPC `result`, or the body itself. */
export function payloadOf(doc: unknown): unknown {
  return isRpcEnvelope(doc) ? doc.result : doc;
}

/**
 * Dialect of a response document: `kind` → 0.3 JSON-RPC; otherwise ProtoJSON, 0.3 if the request or any message says
 * so.
 */
export function dialectOf(doc: unknown, ctx?: Pick<FaultContext, 'method' | 'path' | 'requestJson'>): Dialect {
  const text = JSON.stringify(doc) ?? '';
  if (/"kind":"(task|message|status-update|artifact-update|text|file|data)"/.test(text)) return 'jsonrpc-0.3';
  if (/"content":\[/.test(text) || /TASK_STATE_CANCELLED/.test(text)) return 'proto-0.3';
  return ctx ? requestInfo(ctx).dialect : 'proto-1.0';
}

/** A task state spelled for a dialect. */
export function spellState(dialect: Dialect, state: State): string {
  if (dialect === 'jsonrpc-0.3') return state;
  if (state === 'canceled') return dialect === 'proto-0.3' ? 'TASK_STATE_CANCELLED' : 'TASK_STATE_CANCELED';
  return `TASK_STATE_${state.toUpperCase().replace(/-/g, '_')}`;
}

/** Neutral name of a wire state ("TASK_STATE_INPUT_REQUIRED", "input-required" → input-required). */
export function stateName(wire: unknown): State | undefined {
  if (typeof wire !== 'string') return undefined;
  let n = wire
    .toLowerCase()
    .replace(/^task_state_/, '')
    .replace(/_/g, '-');
  if (n === 'cancelled') n = 'canceled';
  return n !== 'unknown' && (TASK_STATES as readonly string[]).includes(n) ? (n as State) : undefined;
}

export const TERMINAL: ReadonlySet<TaskState> = new Set(TERMINAL_STATES);

export function spellRole(dialect: Dialect, role: 'user' | 'agent'): string {
  return dialect === 'jsonrpc-0.3' ? role : `ROLE_${role.toUpperCase()}`;
}

export type ItemKind = 'task' | 'message' | 'status-update' | 'artifact-update';

/** The object inside a payload (send result, stream event, GetTask body), by kind; mutate it in place. */
export function itemOf(payload: unknown): { kind: ItemKind; obj: Obj } | undefined {
  if (!isObj(payload)) return undefined;
  const k = payload.kind;
  if (k === 'task' || k === 'message' || k === 'status-update' || k === 'artifact-update')
    return { kind: k, obj: payload };
  if (isObj(payload.task)) return { kind: 'task', obj: payload.task };
  if (isObj(payload.message) && !('status' in payload)) return { kind: 'message', obj: payload.message };
  if (isObj(payload.msg)) return { kind: 'message', obj: payload.msg };
  if (isObj(payload.statusUpdate)) return { kind: 'status-update', obj: payload.statusUpdate };
  if (isObj(payload.artifactUpdate)) return { kind: 'artifact-update', obj: payload.artifactUpdate };
  if ('status' in payload && 'id' in payload) return { kind: 'task', obj: payload };
  return undefined;
}

/** The item of a whole response document or SSE event (envelope removed). */
export const itemIn = (doc: unknown) => itemOf(payloadOf(doc));

/** Visit every object of a document (depth first), e.g. to rewrite every timestamp. */
export function walk(doc: unknown, visit: (o: Obj) => void): void {
  if (Array.isArray(doc)) for (const x of doc) walk(x, visit);
  else if (isObj(doc)) {
    visit(doc);
    for (const v of Object.values(doc)) walk(v, visit);
  }
}

/** Every Task object of a document (send result, GetTask, ListTasks, stream event). */
export function tasksIn(doc: unknown): Obj[] {
  const out: Obj[] = [];
  walk(payloadOf(doc), (o) => {
    if (isObj(o.status) && typeof o.id === 'string' && ('contextId' in o || o.kind === 'task')) out.push(o);
  });
  return out;
}

/** Parse an SSE data string; undefined if it is not JSON. */
export function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

const CODE_BY_REASON: Record<string, number> = {
  TASK_NOT_FOUND: -32001,
  TASK_NOT_CANCELABLE: -32002,
  PUSH_NOTIFICATION_NOT_SUPPORTED: -32003,
  UNSUPPORTED_OPERATION: -32004,
  INVALID_PARAMS: -32602,
  INVALID_REQUEST: -32600,
  INTERNAL: -32603,
};

/** The A2A/JSON-RPC error code an error document carries (JSON-RPC error, 0.3 REST `{code}`, 1.0 ErrorInfo reason). */
export function errorCodeOf(doc: unknown): number | undefined {
  if (!isObj(doc)) return undefined;
  const e = isObj(doc.error) ? doc.error : doc;
  if (doc.jsonrpc === '2.0') return typeof e.code === 'number' ? e.code : undefined;
  const details = Array.isArray(e.details) ? e.details : Array.isArray(e.data) ? e.data : [];
  for (const d of details)
    if (isObj(d) && typeof d.reason === 'string' && CODE_BY_REASON[d.reason] !== undefined)
      return CODE_BY_REASON[d.reason];
  return typeof e.code === 'number' && e.code < 0 ? e.code : undefined;
}

const REASON_BY_CODE = Object.fromEntries(Object.entries(CODE_BY_REASON).map(([r, c]) => [c, r])) as Record<
  number,
  string
>;

/** The same error document, re-labelled as another error code (keeps the binding's shape). */
export function relabelError(doc: unknown, code: number, message: string): unknown {
  if (!isObj(doc)) return doc;
  const out = clone(doc);
  const e = isObj(out.error) ? out.error : out;
  if (out.jsonrpc === '2.0' || (typeof e.code === 'number' && e.code < 0)) e.code = code;
  e.message = message;
  for (const d of [...(Array.isArray(e.details) ? e.details : []), ...(Array.isArray(e.data) ? e.data : [])]) {
    if (isObj(d) && typeof d.reason === 'string') d.reason = REASON_BY_CODE[code] ?? 'INTERNAL';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Synthesis (for faults that answer where the agent would have refused)

/** An agent Message in a dialect. */
export function agentMessage(dialect: Dialect, text: string, extra: Obj = {}): Obj {
  const id = `fault-msg-${Math.random().toString(36).slice(2)}`;
  if (dialect === 'jsonrpc-0.3')
    return { kind: 'message', messageId: id, role: 'agent', parts: [{ kind: 'text', text }], ...extra };
  if (dialect === 'proto-0.3') return { messageId: id, role: 'ROLE_AGENT', content: [{ text }], ...extra };
  return { messageId: id, role: 'ROLE_AGENT', parts: [{ text }], ...extra };
}

/** A Task in a dialect. */
export function taskObject(dialect: Dialect, id: string, state: State, contextId = `fault-ctx-${id}`): Obj {
  const status = { state: spellState(dialect, state), timestamp: new Date().toISOString() };
  return dialect === 'jsonrpc-0.3' ? { kind: 'task', id, contextId, status } : { id, contextId, status };
}

/**
 * Wrap a Task/Message as a send result or StreamResponse of the dialect (0.3 JSON-RPC: bare; ProtoJSON:
 * `{task}`/`{message}`).
 */
export function asResult(dialect: Dialect, kind: 'task' | 'message', obj: Obj): Obj {
  return dialect === 'jsonrpc-0.3' ? obj : { [kind]: obj };
}

/** A whole response body for a request: JSON-RPC envelope with the request id, or the bare REST document. */
export function responseFor(info: RequestInfo, payload: unknown): Obj {
  return info.binding === 'jsonrpc' ? { jsonrpc: '2.0', id: info.rpcId ?? null, result: payload } : (payload as Obj);
}

/** A JSON-RPC error response / REST error body for a request. */
export function errorFor(
  info: RequestInfo,
  code: number,
  message: string,
  httpStatus: number,
): { status: number; headers: Record<string, string>; body: string } {
  const headers = { 'content-type': 'application/json' };
  if (info.binding === 'jsonrpc') {
    const data =
      info.dialect === 'proto-1.0'
        ? [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: REASON_BY_CODE[code] ?? 'INTERNAL',
              domain: 'a2a-protocol.org',
            },
          ]
        : undefined;
    return {
      status: 200,
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: info.rpcId ?? null,
        error: { code, message, ...(data ? { data } : {}) },
      }),
    };
  }
  if (info.dialect === 'proto-0.3') return { status: httpStatus, headers, body: JSON.stringify({ code, message }) };
  return {
    status: httpStatus,
    headers,
    body: JSON.stringify({
      error: {
        code: httpStatus,
        status: httpStatus === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL',
        message,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: REASON_BY_CODE[code] ?? 'INTERNAL',
            domain: 'a2a-protocol.org',
          },
        ],
      },
    }),
  };
}

/** An SSE body (for `intercept`) carrying the given payloads as events of the request's binding. */
export function sseBody(
  info: RequestInfo,
  payloads: unknown[],
): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    body: payloads.map((p) => `data: ${JSON.stringify(responseFor(info, p))}\n\n`).join(''),
  };
}

/** The subset of a fault that changes response status codes of REST calls of one operation. */
export function restStatus(op: Op, from: (s: number) => boolean, to: number) {
  return (status: number, ctx: FaultContext): number => {
    const info = requestInfo(ctx);
    return info.binding === 'rest' && info.op === op && from(status) ? to : status;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Request rewrites (the fault proxy's `request` hook)

const parseBody = (req: RawRequest): { ok: boolean; json?: unknown } => {
  try {
    return { ok: true, json: req.body ? JSON.parse(req.body) : undefined };
  } catch {
    return { ok: false };
  }
};

/** Parse and rewrite a JSON request body before the agent sees it; `edit` returns whether it changed anything. */
export function editBody(edit: (json: Obj, req: RawRequest) => boolean) {
  return (req: RawRequest): RawRequest => {
    const { json } = parseBody(req);
    if (!isObj(json) || !edit(json, req)) return req;
    return { ...req, body: JSON.stringify(json) };
  };
}

/**
 * Rewrite the parameters of some operations before the agent sees them: JSON-RPC params or REST body (`params`), and
 * REST query parameters (`query`). Other requests, and bodies that are not JSON, pass unchanged.
 */
export function editRequest(op: Op | readonly Op[], edit: (params: Obj, query: URLSearchParams) => void) {
  const ops: readonly Op[] = typeof op === 'string' ? [op] : op;
  return (req: RawRequest): RawRequest => {
    const { ok, json } = parseBody(req);
    if (!ok) return req;
    const info = requestInfo({ method: req.method, path: req.path, requestJson: json });
    if (!ops.includes(info.op)) return req;
    edit(info.params, info.query);
    const [p] = req.path.split('?');
    const qs = info.query.toString();
    return { ...req, path: qs ? `${p}?${qs}` : p!, body: json === undefined ? req.body : JSON.stringify(json) };
  };
}
