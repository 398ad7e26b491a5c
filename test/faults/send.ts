/**
 * Faults for the "send" suite (message/send · SendMessage). Each mutates the send response (or the request the agent
 * sees) so that exactly one rule breaks; the dialect (0.3 JSON-RPC `kind`, proto-0.3, 1.0 ProtoJSON) is read from the
 * documents, so one fault works in every cell it applies to.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import {
  agentMessage,
  asResult,
  dialectOf,
  errorCodeOf,
  isObj,
  isRpcEnvelope,
  itemIn,
  parseData,
  payloadOf,
  requestInfo,
  requestMessage,
  responseFor,
  restStatus,
  spellRole,
  spellState,
  stateName,
  tasksIn,
  walk,
  type Obj,
  editRequest,
} from './index.js';

const isSend = (ctx: FaultContext) => requestInfo(ctx).op === 'send';

/** A send response whose payload is a success (not a JSON-RPC error, not a REST error body). */
export function sendSuccess(body: unknown, ctx: FaultContext): boolean {
  return (
    isSend(ctx) && ctx.status < 300 && !(isRpcEnvelope(body) && body.error !== undefined) && itemIn(body) !== undefined
  );
}

/** The messageId of the request's message starts with a trigger prefix (the reference preset's `ref-*`). */
export function sentTrigger(ctx: Pick<FaultContext, 'method' | 'path' | 'requestJson'>, prefix: string): boolean {
  const id = requestMessage(requestInfo(ctx).params)?.messageId;
  return typeof id === 'string' && id.startsWith(`${prefix}-`);
}

/** A blocking send of a trigger answered with the task under a new id (an executor that threw, on a real SDK). */
function newTaskIdFor(prefix: string) {
  return (body: unknown, ctx: FaultContext) => {
    if (!sendSuccess(body, ctx) || !sentTrigger(ctx, prefix)) return undefined;
    const it = itemIn(body);
    if (it?.kind !== 'task') return undefined;
    it.obj.id = `fault-new-${String(it.obj.id)}`;
    return body;
  };
}

/** Replace the error answer to a send with a success: an agent Message in the request's dialect. */
function acceptInstead(ctx: FaultContext, text: string): Obj {
  const info = requestInfo(ctx);
  const dialect = info.dialect;
  const msg = agentMessage(dialect, text, { ...(info.taskId ? { taskId: info.taskId } : {}) });
  return responseFor(info, asResult(dialect, 'message', msg));
}

/** Shift an ISO timestamp ending in Z to the same instant written with a +02:00 offset. */
function withOffset(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return new Date(d.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
}

const KNOWN_SEND_FIELDS = new Set(['message', 'request', 'configuration', 'metadata', 'tenant']);

/** Drop configuration.historyLength 0 from a send request (a server that ignores it returns the full history). */
const dropSendHistoryZero = editRequest('send', (params) => {
  if (isObj(params.configuration) && params.configuration.historyLength === 0)
    delete params.configuration.historyLength;
});

/**
 * Rewrite the ordinary send (the `message` trigger) into the `task` trigger under the messageId prefix `as`, so the
 * agent creates a real task for it; the response hook then recognises the request by that prefix.
 */
function ordinaryAsTask(as: string) {
  return (req: { method: string; path: string; headers: Record<string, string>; body: string }) => {
    let doc: unknown;
    try {
      doc = req.body ? JSON.parse(req.body) : undefined;
    } catch {
      return req;
    }
    const params = isObj(doc) && isObj(doc.params) ? doc.params : doc;
    const msg = isObj(params) ? requestMessage(params) : undefined;
    if (!msg || typeof msg.messageId !== 'string' || !msg.messageId.startsWith('ref-message-')) return req;
    msg.messageId = `${as}-${msg.messageId.slice('ref-message-'.length)}`;
    for (const list of [msg.parts, msg.content])
      if (Array.isArray(list))
        for (const p of list) if (isObj(p) && typeof p.text === 'string') p.text = 'make a report';
    return { ...req, body: JSON.stringify(doc) };
  };
}

/**
 * The ordinary send's Message reply as a Task without a status message whose history holds the harness's message
 * (same messageId) and the agent's reply, with the given role.
 */
export function messageAsTaskWithHistory(role: 'user' | 'agent') {
  return (body: unknown, ctx: FaultContext) => {
    if (!sendSuccess(body, ctx) || !sentTrigger(ctx, 'ref-message')) return undefined;
    const it = itemIn(body)!;
    const sent = requestMessage(requestInfo(ctx).params);
    if (it.kind !== 'message' || !sent) return undefined;
    const dialect = dialectOf(body, ctx);
    const contextId = typeof it.obj.contextId === 'string' ? it.obj.contextId : `fault-ctx-${String(sent.messageId)}`;
    const id = `fault-task-${String(sent.messageId)}`;
    const reply = { ...it.obj, role: spellRole(dialect, role), taskId: id, contextId };
    const task = {
      ...(dialect === 'jsonrpc-0.3' ? { kind: 'task' } : {}),
      id,
      contextId,
      status: { state: spellState(dialect, 'completed'), timestamp: new Date().toISOString() },
      history: [{ ...sent, taskId: id, contextId }, reply],
    };
    return responseFor(requestInfo(ctx), asResult(dialect, 'task', task));
  };
}

export const FAULTS: FaultCase[] = [
  {
    name: 'v10-send-ignores-history-length-zero',
    description: 'SendMessage ignores configuration.historyLength 0 and returns the whole history.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['send.history-length.zero'],
    grep: ['send.history-length.zero'],
    request: dropSendHistoryZero,
  },
  {
    name: 'send-blocking-reply-without-artifacts',
    description:
      'The blocking reply to the `slow` trigger is the final task without its artifacts (GetTask shows them): not ' +
      'the latest task with all artifacts.',
    agent: 'v1',
    kills: ['send.blocking.waits'],
    grep: ['send.blocking.waits'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx) || !sentTrigger(ctx, 'ref-slow')) return undefined;
      const it = itemIn(body);
      if (it?.kind !== 'task' || !Array.isArray(it.obj.artifacts) || it.obj.artifacts.length === 0) return undefined;
      delete it.obj.artifacts;
      return body;
    },
  },
  {
    name: 'send-failed-task-under-new-id',
    description:
      'The blocking reply to the `failed` trigger is the failed task under a new id GetTask does not know ' +
      '(@a2a-js/sdk 0.3.14 when the executor throws).',
    agent: 'v1',
    kills: ['send.failed.lifecycle'],
    grep: ['send.failed.lifecycle'],
    json: newTaskIdFor('ref-fail'),
  },
  {
    name: 'send-rejected-task-under-new-id',
    description: 'The blocking reply to the `rejected` trigger is the rejected task under a new id.',
    agent: 'v1',
    kills: ['send.rejected.lifecycle'],
    grep: ['send.rejected.lifecycle'],
    json: newTaskIdFor('ref-reject'),
  },
  {
    name: 'stream-failed-task-without-initial-task',
    description: 'The stream of the `failed` trigger carries no initial Task (status updates only).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['send.failed.lifecycle'],
    grep: ['send.failed.lifecycle'],
    sseEvent: (data, ctx) =>
      requestInfo(ctx).op === 'stream' && sentTrigger(ctx, 'ref-fail') && itemIn(parseData(data))?.kind === 'task'
        ? null
        : undefined,
  },
  {
    name: 'v10-send-result-unwrapped',
    description: '1.0 SendMessage returns the bare Task/Message instead of the {task}|{message} wrapper (0.3 style).',
    agent: 'v1',
    kills: ['send.result.valid'],
    grep: ['send.result.valid'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const p = payloadOf(body);
      if (!isObj(p) || Object.keys(p).length !== 1 || !(isObj(p.task) || isObj(p.message))) return undefined;
      const inner = (p.task ?? p.message) as Obj;
      return isRpcEnvelope(body) ? { ...body, result: inner } : inner;
    },
  },
  {
    name: 'send-agent-message-role-user',
    description: "The agent's reply message carries role user (ROLE_USER) instead of agent.",
    agent: 'v1',
    kills: ['send.message.agent-role'],
    grep: ['send.message.agent-role'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      const msg =
        it.kind === 'message'
          ? it.obj
          : isObj(it.obj.status) && isObj(it.obj.status.message)
            ? it.obj.status.message
            : undefined;
      if (msg) msg.role = spellRole(dialectOf(body, ctx), 'user');
      return body;
    },
  },
  {
    name: 'send-history-agent-message-role-user',
    description:
      "The reply Task has no status message; the agent's message in its history carries role user instead of agent.",
    agent: 'v1',
    kills: ['send.message.agent-role'],
    grep: ['send.message.agent-role'],
    json: messageAsTaskWithHistory('user'),
  },
  {
    name: 'send-message-reply-drops-generated-context-id',
    description:
      'The ordinary message creates a task, but the reply is a Message naming that task without the contextId the ' +
      'agent generated for it (GetTask shows it).',
    agent: 'v1',
    kills: ['send.context-id.returned'],
    grep: ['send.context-id.returned'],
    request: ordinaryAsTask('ref-task-ctxgen'),
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx) || !sentTrigger(ctx, 'ref-task-ctxgen')) return undefined;
      const it = itemIn(body)!;
      if (it.kind !== 'task') return undefined;
      const dialect = dialectOf(body, ctx);
      const msg = agentMessage(dialect, 'The report is ready.', { taskId: String(it.obj.id) });
      return responseFor(requestInfo(ctx), asResult(dialect, 'message', msg));
    },
  },
  {
    name: 'send-task-without-context-id',
    description: 'Messages are answered with a Task that has no contextId (the server generated none, or dropped it).',
    agent: 'v1',
    kills: ['send.context-id.returned'],
    grep: ['send.context-id.returned'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const dialect = dialectOf(body, ctx);
      const it = itemIn(body)!;
      let task: Obj;
      if (it.kind === 'message') {
        const { contextId: _c, ...reply } = it.obj;
        task = {
          ...(dialect === 'jsonrpc-0.3' ? { kind: 'task' } : {}),
          id: `fault-task-${String(reply.messageId)}`,
          status: { state: spellState(dialect, 'completed'), message: reply, timestamp: new Date().toISOString() },
        };
      } else {
        task = it.obj;
        delete task.contextId;
      }
      return responseFor(requestInfo(ctx), asResult(dialect, 'task', task));
    },
  },
  {
    name: 'v10-send-context-id-replaced',
    description: 'A client-supplied contextId is silently replaced by a server-generated one.',
    agent: 'v1',
    kills: ['send.context-id.preserved'],
    grep: ['send.context-id.preserved'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const sent = requestMessage(requestInfo(ctx).params)?.contextId;
      if (!sendSuccess(body, ctx) || typeof sent !== 'string') return undefined;
      const it = itemIn(body)!;
      it.obj.contextId = `server-ctx-${sent.slice(-12)}`;
      return body;
    },
  },
  {
    name: 'send-same-task-id-twice',
    description: 'Every new task is returned with the same task id.',
    agent: 'v1',
    kills: ['send.task-id.unique'],
    grep: ['send.task-id.unique'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      if (it.kind !== 'task') return undefined;
      it.obj.id = 'task-0001';
      return body;
    },
  },
  {
    name: 'v10-send-unknown-task-accepted',
    description: 'A message naming a task id that does not exist is answered as if it were new (no TaskNotFound).',
    agent: 'v1',
    kills: ['send.task-id.unknown'],
    grep: ['send.task-id.unknown'],
    protocols: ['1.0'],
    status: restStatus('send', (s) => s === 404, 200),
    json: (body, ctx) =>
      isSend(ctx) && errorCodeOf(body) === -32001 ? acceptInstead(ctx, 'Sure, continuing that task.') : undefined,
  },
  {
    name: 'v03-send-unknown-task-accepted',
    description: '0.3: a message naming a task id that does not exist is answered as if it were new (SHOULD).',
    agent: 'v03',
    kills: ['send.task-id.unknown'],
    grep: ['send.task-id.unknown'],
    status: restStatus('send', (s) => s === 404, 200),
    json: (body, ctx) =>
      isSend(ctx) && errorCodeOf(body) === -32001 ? acceptInstead(ctx, 'Sure, continuing that task.') : undefined,
  },
  {
    name: 'send-terminal-task-accepted',
    description: 'A message to a completed task is accepted (answered with a reply) instead of rejected.',
    agent: 'v1',
    kills: ['send.terminal-task.rejected'],
    grep: ['send.terminal-task.rejected'],
    status: (s, ctx) =>
      requestInfo(ctx).op === 'send' &&
      requestInfo(ctx).binding === 'rest' &&
      requestInfo(ctx).taskId &&
      s >= 400 &&
      s !== 404
        ? 200
        : s,
    json: (body, ctx) => {
      const code = errorCodeOf(body);
      return isSend(ctx) && requestInfo(ctx).taskId && code !== undefined && code !== -32001
        ? acceptInstead(ctx, 'Reopened the task for you.')
        : undefined;
    },
  },
  {
    name: 'send-blocking-returns-working',
    description: 'A blocking send returns while the task is still WORKING.',
    agent: 'v1',
    kills: ['send.blocking.waits'],
    grep: ['send.blocking.waits'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      const state = isObj(it.obj.status) ? stateName(it.obj.status.state) : undefined;
      if (it.kind !== 'task' || !state || state === 'working' || state === 'submitted') return undefined;
      (it.obj.status as Obj).state = spellState(dialectOf(body, ctx), 'working');
      return body;
    },
  },
  {
    name: 'send-non-blocking-returns-completed',
    description: 'A non-blocking send (returnImmediately / blocking: false) answers with a task already COMPLETED.',
    agent: 'v1',
    kills: ['send.non-blocking.returns-early'],
    grep: ['send.non-blocking.returns-early'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      const state = isObj(it.obj.status) ? stateName(it.obj.status.state) : undefined;
      if (it.kind !== 'task' || (state !== 'working' && state !== 'submitted')) return undefined;
      (it.obj.status as Obj).state = spellState(dialectOf(body, ctx), 'completed');
      return body;
    },
  },
  {
    name: 'send-history-longer-than-asked',
    description: 'configuration.historyLength is ignored: the send result carries more history messages than asked.',
    agent: 'v1',
    kills: ['send.history-length.limit'],
    grep: ['send.history-length.limit'],
    json: (body, ctx) => {
      const conf = requestInfo(ctx).params.configuration;
      if (!sendSuccess(body, ctx) || !isObj(conf) || typeof conf.historyLength !== 'number') return undefined;
      const it = itemIn(body)!;
      if (it.kind !== 'task') return undefined;
      const status = isObj(it.obj.status) ? it.obj.status : {};
      const h =
        Array.isArray(it.obj.history) && it.obj.history.length
          ? it.obj.history
          : isObj(status.message)
            ? [status.message]
            : [];
      if (h.length === 0) return undefined;
      it.obj.history = [...h, ...h, ...h];
      return body;
    },
  },
  {
    name: 'v10-send-rejects-unknown-field',
    description:
      'A SendMessage request with an unrecognized field is rejected as invalid params instead of ignoring it.',
    agent: 'v1',
    kills: ['send.unknown-fields.ignored'],
    grep: ['send.unknown-fields.ignored'],
    protocols: ['1.0'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      const unknown = info.op === 'send' ? Object.keys(info.params).filter((k) => !KNOWN_SEND_FIELDS.has(k)) : [];
      if (!unknown.length) return undefined;
      const message = `unknown field(s): ${unknown.join(', ')}`;
      if (info.binding === 'jsonrpc')
        return {
          status: 200,
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: info.rpcId ?? null,
            error: {
              code: -32602,
              message,
              data: [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: 'INVALID_PARAMS',
                  domain: 'a2a-protocol.org',
                },
              ],
            },
          }),
        };
      return {
        status: 400,
        body: JSON.stringify({
          error: {
            code: 400,
            status: 'INVALID_ARGUMENT',
            message,
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                reason: 'INVALID_PARAMS',
                domain: 'a2a-protocol.org',
              },
            ],
          },
        }),
      };
    },
  },
  {
    name: 'v10-timestamp-with-offset',
    description: 'Status timestamps are written with a +02:00 offset instead of UTC "Z".',
    agent: 'v1',
    kills: ['send.timestamps.utc'],
    grep: ['send.timestamps.utc'],
    protocols: ['1.0'],
    json: (body) => {
      let changed = false;
      walk(payloadOf(body), (o) => {
        if (typeof o.timestamp === 'string' && o.timestamp.endsWith('Z')) {
          o.timestamp = withOffset(o.timestamp);
          changed = true;
        }
      });
      return changed ? body : undefined;
    },
  },
  {
    name: 'send-artifact-without-id',
    description: 'Task artifacts come without their REQUIRED artifactId.',
    agent: 'v1',
    kills: ['send.artifacts.shape'],
    grep: ['send.artifacts.shape'],
    json: (body) => {
      let changed = false;
      for (const t of tasksIn(body))
        for (const a of Array.isArray(t.artifacts) ? t.artifacts : [])
          if (isObj(a)) {
            delete a.artifactId;
            changed = true;
          }
      return changed ? body : undefined;
    },
  },
  {
    name: 'send-artifact-empty-parts',
    description: 'Task artifacts come with an empty parts list (at least one part is REQUIRED).',
    agent: 'v1',
    kills: ['send.artifacts.shape'],
    grep: ['send.artifacts.shape'],
    json: (body) => {
      let changed = false;
      for (const t of tasksIn(body))
        for (const a of Array.isArray(t.artifacts) ? t.artifacts : [])
          if (isObj(a)) {
            a.parts = [];
            changed = true;
          }
      return changed ? body : undefined;
    },
  },
  {
    name: 'v10-part-text-and-url',
    description: 'A 1.0 reply part carries both `text` and `url` (the Part oneof allows exactly one content member).',
    // Caught by schema validation of the reply: send.result.valid, and send.parts.valid through the schema's part
    // findings.
    agent: 'v1',
    kills: ['send.result.valid', 'send.parts.valid'],
    grep: ['send.parts.valid', 'send.result.valid'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      const msg = it.kind === 'message' ? it.obj : undefined;
      const part = msg && Array.isArray(msg.parts) && isObj(msg.parts[0]) ? msg.parts[0] : undefined;
      if (!part) return undefined;
      part.url = 'https://example.com/reply.txt';
      return body;
    },
  },
  {
    name: 'send-reply-without-parts',
    description: "The agent's reply message has an empty parts list.",
    agent: 'v1',
    kills: ['send.parts.valid'],
    grep: ['send.parts.valid'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      if (it.kind !== 'message') return undefined;
      if (Array.isArray(it.obj.parts)) it.obj.parts = [];
      if (Array.isArray(it.obj.content)) it.obj.content = [];
      return body;
    },
  },
  {
    name: 'send-part-without-content',
    description: 'A reply part holds no content member at all (only metadata).',
    agent: 'v1',
    kills: ['send.parts.valid'],
    grep: ['send.parts.valid'],
    json: (body, ctx) => {
      if (!sendSuccess(body, ctx)) return undefined;
      const it = itemIn(body)!;
      if (it.kind !== 'message') return undefined;
      const parts = Array.isArray(it.obj.parts) ? it.obj.parts : Array.isArray(it.obj.content) ? it.obj.content : [];
      if (parts.length) parts[0] = { metadata: { note: 'content went missing' } };
      return body;
    },
  },
];
