/**
 * Faults for the "stream" suite (message/stream · SendStreamingMessage, resubscribe · SubscribeToTask). Most act on the
 * SSE stream event by event (the proxy never buffers unless a fault does); a few turn an error answer into a stream.
 * Events are read in their own dialect: JSON-RPC envelope or bare StreamResponse, `kind` or ProtoJSON members.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import {
  agentMessage,
  asResult,
  dialectOf,
  errorCodeOf,
  errorFor,
  isObj,
  isRpcEnvelope,
  itemIn,
  parseData,
  requestInfo,
  responseFor,
  restStatus,
  sseBody,
  spellState,
  stateName,
  taskObject,
  TERMINAL,
  type Obj,
} from './index.js';

const opOf = (ctx: FaultContext) => requestInfo(ctx).op;

/** Parse one event; `item` is the payload object (mutable), `doc` the whole event document. */
function eventOf(data: string): { doc: Obj; item: NonNullable<ReturnType<typeof itemIn>> } | undefined {
  const doc = parseData(data);
  const item = itemIn(doc);
  return isObj(doc) && item ? { doc, item } : undefined;
}

const stateOf = (item: { obj: Obj }) => (isObj(item.obj.status) ? stateName(item.obj.status.state) : undefined);

/** An SSE body (as a response text) with one Task event for the task the request names. */
function taskEventText(ctx: FaultContext, state: 'completed' | 'working'): string {
  const info = requestInfo(ctx);
  const task = taskObject(info.dialect, info.taskId ?? 'unknown-task', state);
  return `data: ${JSON.stringify(responseFor(info, asResult(info.dialect, 'task', task)))}\n\n`;
}

/** Faults that answer a subscribe error with a stream: the response must then look like one. */
const sseHeadersForJsonSubscribe = (h: Record<string, string>, ctx: FaultContext) =>
  opOf(ctx) === 'subscribe' && /json/.test(h['content-type'] ?? '') ? { ...h, 'content-type': 'text/event-stream' } : h;

/** Subscriptions seen per task id (for the fault that starves every subscriber after the first). */
const subscribers = new Map<string, number>();

export const FAULTS: FaultCase[] = [
  {
    name: 'stream-wrong-content-type',
    description: 'The SSE stream is labelled Content-Type: text/plain instead of text/event-stream.',
    agent: 'v1',
    kills: ['stream.response.content-type'],
    grep: ['stream.response.content-type'],
    headers: (h, ctx) =>
      opOf(ctx) === 'stream' && /^text\/event-stream/.test(h['content-type'] ?? '')
        ? { ...h, 'content-type': 'text/plain; charset=utf-8' }
        : h,
  },
  {
    name: 'stream-event-not-json',
    description: 'The first SSE event of a stream carries text that is not JSON.',
    agent: 'v1',
    kills: ['stream.events.valid'],
    grep: ['stream.events.valid'],
    sseEvent: (data, ctx) =>
      opOf(ctx) === 'stream' && ctx.eventIndex === 0 ? 'event: the reply is on its way' : undefined,
  },
  {
    name: 'stream-jsonrpc-id-changed',
    description: "JSON-RPC stream events echo a different id than the request's.",
    agent: 'v1',
    kills: ['stream.events.valid'],
    grep: ['stream.events.valid'],
    bindings: ['jsonrpc'],
    sseEvent: (data, ctx) => {
      const doc = parseData(data);
      if (opOf(ctx) !== 'stream' || !isRpcEnvelope(doc)) return undefined;
      return JSON.stringify({ ...doc, id: `${String(doc.id)}-other` });
    },
  },
  {
    name: 'stream-message-twice',
    description: 'A message-only stream carries the Message twice.',
    agent: 'v1',
    kills: ['stream.message-only.single'],
    grep: ['stream.message-only.single'],
    sseEvent: (data, ctx) =>
      opOf(ctx) === 'stream' && eventOf(data)?.item.kind === 'message' ? [data, data] : undefined,
  },
  {
    name: 'stream-task-not-first',
    description: 'A task stream starts with a status update: the initial Task event is not sent.',
    agent: 'v1',
    kills: ['stream.task.starts-with-task'],
    grep: ['stream.task.starts-with-task'],
    sseEvent: (data, ctx) =>
      opOf(ctx) === 'stream' && ctx.eventIndex === 0 && eventOf(data)?.item.kind === 'task' ? null : undefined,
  },
  {
    name: 'stream-never-close',
    description: 'The stream stays open after the terminal event instead of being closed by the server.',
    agent: 'v1',
    kills: ['stream.task.closes-after-terminal'],
    grep: ['stream.task.closes-after-terminal'],
    sseEnd: (ctx) => (opOf(ctx) === 'stream' ? { hang: true } : undefined),
  },
  {
    name: 'stream-state-after-terminal',
    description: 'After the terminal status update, one more status update moves the task back to WORKING.',
    agent: 'v1',
    kills: ['stream.task.terminal-is-last'],
    grep: ['stream.task.terminal-is-last'],
    sseEvent: (data, ctx) => {
      const ev = opOf(ctx) === 'stream' ? eventOf(data) : undefined;
      if (ev?.item.kind !== 'status-update' || !TERMINAL.has(stateOf(ev.item)!)) return undefined;
      (ev.item.obj.status as Obj).state = spellState(dialectOf(ev.doc, ctx), 'working');
      return [data, JSON.stringify(ev.doc)];
    },
  },
  {
    name: 'v03-stream-missing-final',
    description: '0.3 stream: no status update carries final: true (the end of the stream is never marked).',
    agent: 'v03',
    kills: ['stream.final-flag'],
    grep: ['stream.final-flag'],
    sseEvent: (data, ctx) => {
      const ev = opOf(ctx) === 'stream' ? eventOf(data) : undefined;
      if (ev?.item.kind !== 'status-update' || ev.item.obj.final !== true) return undefined;
      ev.item.obj.final = false;
      return JSON.stringify(ev.doc);
    },
  },
  {
    name: 'stream-artifact-chunks-reordered',
    description: 'The first chunk of an artifact (append: false) is sent after the second one (append: true).',
    agent: 'v1',
    kills: ['stream.artifact.chunks'],
    grep: ['stream.artifact.chunks'],
    sseEvent: (data, ctx) => {
      if (opOf(ctx) !== 'stream' || eventOf(data)?.item.kind !== 'artifact-update') return undefined;
      if (!ctx.scratch.held && !ctx.scratch.swapped) {
        ctx.scratch.held = data;
        return null;
      }
      if (typeof ctx.scratch.held === 'string') {
        const first = ctx.scratch.held;
        ctx.scratch.held = undefined;
        ctx.scratch.swapped = true;
        return [data, first];
      }
      return undefined;
    },
  },
  {
    name: 'stream-artifact-last-chunk-duplicated',
    description: 'The last chunk of an artifact (lastChunk: true) is sent twice.',
    agent: 'v1',
    kills: ['stream.artifact.chunks'],
    grep: ['stream.artifact.chunks'],
    sseEvent: (data, ctx) => {
      const ev = opOf(ctx) === 'stream' ? eventOf(data) : undefined;
      return ev?.item.kind === 'artifact-update' && ev.item.obj.lastChunk === true ? [data, data] : undefined;
    },
  },
  {
    name: 'stream-artifact-chunk-missing',
    description: 'The second chunk of a chunked artifact is never sent (the stored artifact has it).',
    agent: 'v1',
    kills: ['stream.artifact.chunks'],
    grep: ['stream.artifact.chunks'],
    sseEvent: (data, ctx) => {
      if (opOf(ctx) !== 'stream' || eventOf(data)?.item.kind !== 'artifact-update') return undefined;
      ctx.scratch.chunks = Number(ctx.scratch.chunks ?? 0) + 1;
      return ctx.scratch.chunks === 2 ? null : undefined;
    },
  },
  {
    name: 'stream-buffered',
    description: 'The whole stream is held back and delivered in one burst when the task ends (a buffering proxy).',
    agent: 'v1',
    kills: ['stream.delivery.incremental'],
    grep: ['stream.delivery.incremental'],
    sseEvent: (data, ctx) => {
      if (opOf(ctx) !== 'stream') return undefined;
      ((ctx.scratch.held ??= []) as string[]).push(data);
      return null;
    },
    sseEnd: (ctx) => (opOf(ctx) === 'stream' ? { extra: (ctx.scratch.held ?? []) as string[] } : undefined),
  },
  {
    name: 'stream-despite-capability-off',
    description: 'The card declares streaming: false, yet a streaming request is answered with a stream.',
    agent: 'v1',
    agentOptions: { streaming: false },
    kills: ['stream.capability.gated'],
    grep: ['stream.capability.gated'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'stream') return undefined;
      return sseBody(info, [asResult(info.dialect, 'message', agentMessage(info.dialect, 'Streaming anyway.'))]);
    },
  },
  {
    name: 'stream-restarts-terminal-task',
    description: 'A streamed message to a completed task is answered with a stream (the task restarted).',
    agent: 'v1',
    kills: ['stream.send.terminal-task'],
    grep: ['stream.send.terminal-task'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'stream' || !info.taskId || info.taskId.startsWith('conformance-missing-')) return undefined;
      return sseBody(info, [asResult(info.dialect, 'task', taskObject(info.dialect, info.taskId, 'completed'))]);
    },
  },
  {
    name: 'stream-creates-task-under-unknown-id',
    description: 'A streamed message naming a task id that does not exist starts a new task under that id.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['stream.send.unknown-task'],
    grep: ['stream.send.unknown-task'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'stream' || !info.taskId?.startsWith('conformance-missing-')) return undefined;
      return sseBody(info, [asResult(info.dialect, 'task', taskObject(info.dialect, info.taskId, 'completed'))]);
    },
  },
  {
    name: 'v03-resubscribe-terminal-task-error',
    description:
      '0.3 tasks/resubscribe to a completed task answers an error instead of the completed task and a close ' +
      '(proto-0.3 TaskSubscription).',
    agent: 'v03',
    kills: ['stream.subscribe.terminal-task'],
    grep: ['stream.subscribe.terminal-task'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'subscribe' || !info.taskId || info.taskId.startsWith('conformance-missing-')) return undefined;
      return errorFor(info, -32004, 'cannot resubscribe to a finished task', 400);
    },
  },
  {
    name: 'subscribe-despite-capability-off',
    description: 'The card declares streaming: false, yet SubscribeToTask / tasks/resubscribe answers with a stream.',
    agent: 'v1',
    agentOptions: { streaming: false },
    kills: ['stream.capability.gated'],
    grep: ['stream.capability.gated'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'subscribe' || !info.taskId) return undefined;
      return sseBody(info, [asResult(info.dialect, 'task', taskObject(info.dialect, info.taskId, 'completed'))]);
    },
  },
  {
    name: 'stream-subscribe-task-not-first',
    description: 'A 1.0 subscription to a running task does not start with the Task snapshot.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['stream.subscribe.starts-with-task'],
    grep: ['stream.subscribe.starts-with-task'],
    sseEvent: (data, ctx) =>
      opOf(ctx) === 'subscribe' && ctx.eventIndex === 0 && eventOf(data)?.item.kind === 'task' ? null : undefined,
  },
  {
    name: 'v10-subscribe-terminal-task-streams',
    description:
      'SubscribeToTask on a completed task answers a stream with the task instead of UnsupportedOperationError.',
    agent: 'v1',
    kills: ['stream.subscribe.terminal-task'],
    grep: ['stream.subscribe.terminal-task'],
    protocols: ['1.0'],
    status: restStatus('subscribe', (s) => s === 400, 200),
    headers: sseHeadersForJsonSubscribe,
    json: (body, ctx) =>
      opOf(ctx) === 'subscribe' && errorCodeOf(body) === -32004 ? taskEventText(ctx, 'completed') : undefined,
  },
  {
    name: 'stream-subscribe-unknown-task-streams',
    description:
      'Subscribing to a task id that does not exist answers a stream (with a made-up task) instead of TaskNotFound.',
    agent: 'v1',
    kills: ['stream.subscribe.unknown-task'],
    grep: ['stream.subscribe.unknown-task'],
    status: restStatus('subscribe', (s) => s === 404, 200),
    headers: sseHeadersForJsonSubscribe,
    json: (body, ctx) =>
      opOf(ctx) === 'subscribe' && errorCodeOf(body) === -32001 ? taskEventText(ctx, 'working') : undefined,
    // 0.3 JSON-RPC through the compat layer already answers with a stream whose only event is the error.
    sseEvent: (data, ctx) => {
      if (opOf(ctx) !== 'subscribe' || errorCodeOf(parseData(data)) !== -32001) return undefined;
      return taskEventText(ctx, 'working')
        .replace(/^data: /, '')
        .trim();
    },
  },
  {
    name: 'stream-subscribe-get-not-routed',
    description: 'HTTP+JSON: GET …/tasks/{id}:subscribe is not routed (404); only POST works.',
    agent: 'v1',
    kills: ['stream.subscribe.verbs'],
    grep: ['stream.subscribe.verbs'],
    bindings: ['rest'],
    intercept: (ctx) =>
      ctx.method === 'GET' && /:subscribe(\?|$)/.test(ctx.path)
        ? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Cannot GET' }
        : undefined,
  },
  {
    name: 'v10-later-subscribers-starved',
    description:
      'Only the first subscriber of a task keeps receiving events; later ones get the Task snapshot and nothing more.',
    agent: 'v1',
    kills: ['stream.subscribe.concurrent'],
    grep: ['stream.subscribe.concurrent'],
    protocols: ['1.0'],
    sseEvent: (data, ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'subscribe' || !info.taskId) return undefined;
      if (ctx.eventIndex === 0) {
        const n = (subscribers.get(info.taskId) ?? 0) + 1;
        subscribers.set(info.taskId, n);
        ctx.scratch.order = n;
        return undefined;
      }
      return Number(ctx.scratch.order) > 1 ? null : undefined;
    },
  },
];
