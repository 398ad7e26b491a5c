/**
 * Faults for stream.subscribe.after-drop (suites/stream/resume.ts): what becomes of a task whose stream the client
 * dropped. The proxy remembers the tasks that were started by a stream (message/stream · SendStreamingMessage); other
 * subscribe checks subscribe to tasks started by a plain send, which these faults leave alone.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import { errorFor, itemIn, parseData, requestInfo } from './index.js';

/** Task ids seen in the events of streams (per fault: each fault keeps its own set). */
function streamedTasks() {
  const ids = new Set<string>();
  return {
    /** sseEvent hook: remember the task id of every event of a stream. */
    record: (data: string, ctx: FaultContext): undefined => {
      if (requestInfo(ctx).op !== 'stream') return undefined;
      const it = itemIn(parseData(data));
      const id = it?.kind === 'task' ? it.obj.id : it?.obj.taskId;
      if (typeof id === 'string') ids.add(id);
      return undefined;
    },
    has: (id: string | undefined) => id !== undefined && ids.has(id),
  };
}

const lost = streamedTasks();
const cut = streamedTasks();

export const FAULTS: FaultCase[] = [
  {
    name: 'stream-task-lost-after-drop',
    description:
      'A task started by a stream is forgotten once its stream is dropped: resubscribing to it answers ' +
      'TaskNotFound (-32001 / HTTP 404) although the task runs on.',
    agent: 'v1',
    kills: ['stream.subscribe.after-drop'],
    grep: ['stream.subscribe.after-drop'],
    sseEvent: lost.record,
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      return info.op === 'subscribe' && lost.has(info.taskId)
        ? errorFor(info, -32001, `Task not found: ${info.taskId}`, 404)
        : undefined;
    },
  },
  {
    name: 'stream-resubscribe-after-drop-stops',
    description:
      'Resubscribing to a task whose stream was dropped yields the Task snapshot and nothing more: the later ' +
      'updates, the terminal state included, never come (the stream closes when the task ends).',
    agent: 'v1',
    kills: ['stream.subscribe.after-drop'],
    grep: ['stream.subscribe.after-drop'],
    sseEvent: (data, ctx) => {
      cut.record(data, ctx);
      const info = requestInfo(ctx);
      return info.op === 'subscribe' && cut.has(info.taskId) && (ctx.eventIndex ?? 0) > 0 ? null : undefined;
    },
  },
];
