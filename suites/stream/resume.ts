/**
 * stream.subscribe.after-drop: a stream dropped by the client mid-task, then a resubscription (0.3
 * tasks/resubscribe, 1.0 SubscribeToTask). The task must outlive the dropped stream and the new stream must carry it
 * on to its terminal state. 0.3 §7.9 gives tasks/resubscribe exactly this purpose ("reconnect to an SSE stream for an
 * ongoing task after a previous connection … was interrupted") without an RFC 2119 keyword; 1.0 §3.5.2 says "The task
 * lifecycle is independent of any individual stream's lifecycle" and names "a client reconnecting to a task after a
 * network interruption by opening a new stream", and §3.1.6 makes the subscription end at the terminal state (MUST).
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isTerminal, type Level, type ProtocolVersion } from '../../src/core/types.js';
import type { StreamItem, TaskStatus } from '../../src/protocol/model.js';
import { describeError } from '../lib/expect-error.js';

/** How strongly the resumed task is owed, per version (0.3: the stated purpose of §7.9, no keyword). */
const RESUME_LEVEL: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

/** Events read from the first stream before dropping it, at most (the drop comes once a task id is known). */
const MAX_EVENTS_BEFORE_DROP = 20;

function taskIdOf(item: StreamItem): string | undefined {
  if (item.kind === 'task') return item.task.id;
  if (item.kind === 'status-update' || item.kind === 'artifact-update') return item.update.taskId;
  return undefined;
}

function statusOf(item: StreamItem): TaskStatus | undefined {
  if (item.kind === 'task') return item.task.status;
  if (item.kind === 'status-update') return item.update.status;
  return undefined;
}

/** Stream the `slow` trigger, drop the connection once the task id is known; the id and state it was left in. */
async function startThenDrop(ctx: CheckContext, idleTimeoutMs: number): Promise<{ taskId: string; state?: string }> {
  const h = ctx.client.stream(ctx.trigger('slow'), {
    label: 'stream the `slow` trigger (the client drops the connection after the first task event)',
    idleTimeoutMs,
  });
  let taskId: string | undefined;
  let status: TaskStatus | undefined;
  let seen = 0;
  let other: string | undefined;
  for await (const e of h.events) {
    seen++;
    taskId = taskIdOf(e.item);
    status = statusOf(e.item) ?? status;
    if (taskId) break;
    if (e.item.kind === 'message' || e.item.kind === 'error' || seen >= MAX_EVENTS_BEFORE_DROP) {
      other = e.item.kind === 'error' ? `an error (${describeError(e.item.error)})` : `a ${e.item.kind}`;
      break;
    }
  }
  h.close();
  const first = await h.done;
  if (!taskId) {
    const why = first.error ? `an error (${describeError(first.error)})` : (other ?? `no task event (${first.end})`);
    return ctx.untestable(`streaming the \`slow\` trigger gave ${why}: no task to resubscribe to`, 'slow');
  }
  if (status && isTerminal(status.state))
    return ctx.untestable(
      `the \`slow\` trigger's task was already ${status.wireState} in its first event; it must stay working for ` +
        'a few seconds',
      'slow',
    );
  ctx.note(`dropped the stream after ${seen} event(s): task ${taskId}${status ? `, ${status.wireState}` : ''}`);
  return { taskId, ...(status ? { state: status.wireState } : {}) };
}

export const subscribeAfterDrop = suite.check({
  id: 'stream.subscribe.after-drop',
  level: 'MUST',
  title: 'After a dropped stream, resubscribing reaches the task and carries it on to its terminal state',
  requirement:
    'A client whose stream broke mid-task can reconnect (0.3 tasks/resubscribe, 1.0 SubscribeToTask): the task ' +
    'outlives the stream (1.0 §3.5.2 "The task lifecycle is independent of any individual stream\'s ' +
    'lifecycle") and the new stream continues to the terminal state, then closes (1.0 §3.1.6 MUST).',
  stance:
    'The first stream is dropped by the client right after its first task event, and the task is resubscribed ' +
    'at once. Missed events need not be replayed (0.3 §7.9 "implementation-dependent"; 1.0 §3.7 clients "MAY ' +
    'not receive all status update messages"), and what comes first is judged by ' +
    'stream.subscribe.starts-with-task: here only that the task is still reachable, that the new stream reaches ' +
    'a terminal state and closes, and that the drop did not cancel the task. 0.3 states the purpose of ' +
    'tasks/resubscribe without an RFC 2119 keyword: a SHOULD there. A task that completed before the ' +
    'resubscription, or a stream that goes silent (no keep-alives) before the end, is untestable.',
  specRefs: {
    '0.3': [{ section: '7.9', req: 'S03-29' }],
    '1.0': [
      { section: '3.1.6', req: 'S10-27' },
      { section: '3.5.2', req: 'S10-26' },
    ],
  },
  requires: { capabilities: ['streaming'], triggers: ['slow'] },
  async run(ctx) {
    const level = RESUME_LEVEL[ctx.version];
    const idleTimeoutMs = Math.max(6000, ctx.target.streamIdleTimeoutMs);
    const { taskId } = await startThenDrop(ctx, idleTimeoutMs);
    const s = await ctx.client.subscribe(taskId, { label: 'resubscribe to the task after the drop', idleTimeoutMs })
      .done;
    const errorEvent = s.events.find((e) => e.item.kind === 'error');
    const error = s.error ?? (errorEvent?.item.kind === 'error' ? errorEvent.item.error : undefined);
    if (error || s.events.length === 0) {
      const now = await ctx.client.get(taskId, { label: 'GetTask: what became of the task?' });
      if (now.ok && now.value.status.state === 'completed')
        return ctx.untestable(
          `the task completed before the resubscription (${error ? describeError(error) : 'no events'}): ` +
            'the `slow` task is too fast to be resumed',
          'slow',
        );
      const state = now.ok ? `the task is now ${now.value.status.wireState}` : `GetTask: ${describeError(now.error)}`;
      ctx.violatedAt(
        level,
        `resubscribing after the dropped stream gave ${error ? describeError(error) : 'no events'} (${state})`,
        { expected: 'a stream of the task continuing to its terminal state', actual: `${s.status}, ${state}` },
      );
      return;
    }
    const states = s.events.map((e) => statusOf(e.item)).filter((x): x is TaskStatus => x !== undefined);
    const last = states.at(-1);
    const foreign = s.events.map((e) => taskIdOf(e.item)).filter((id) => id !== undefined && id !== taskId);
    if (foreign.length)
      ctx.violatedAt(level, `the resubscription carries events of another task (${foreign[0]})`, {
        expected: taskId,
        actual: foreign.slice(0, 3),
      });
    if (!isTerminal(last?.state) && s.end === 'idle-timeout')
      return ctx.untestable(
        `the resubscription went silent for ${idleTimeoutMs} ms in ${last?.wireState ?? 'no state'} before the ` +
          'task ended (no keep-alives): the `slow` task is too slow for this window',
        'slow',
      );
    if (!isTerminal(last?.state)) {
      ctx.violatedAt(
        level,
        `the resubscription ended in ${last?.wireState ?? 'no state'} (${s.end}) before the task finished`,
        { expected: 'events up to a terminal state, then close', actual: `${last?.wireState ?? '-'}, ${s.end}` },
      );
      return;
    }
    if (last!.state === 'canceled')
      ctx.violatedAt(level, 'the task ended canceled although nobody canceled it: the dropped stream ended it', {
        expected: 'the task runs on to its own end (the task lifecycle is independent of the stream)',
        actual: last!.wireState,
      });
    if (s.end !== 'closed')
      ctx.violatedAt(level, `the resubscription did not close after the terminal state (${s.end})`, {
        expected: 'closed',
        actual: s.end,
      });
    ctx.note(`resubscribed: ${s.events.length} event(s), ended ${last!.wireState}`);
  },
});
