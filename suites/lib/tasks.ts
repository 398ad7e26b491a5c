/** Scenario building blocks: provoke a behaviour, follow a task to its end, fixtures shared within a cell. */
import { randomUUID } from 'node:crypto';
import { isInterrupted, isTerminal, type TaskState, type TriggerName } from '../../src/core/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { OutgoingMessage, Reply, SendOptions } from '../../src/protocol/client.js';
import type { Message, SendResult, Task } from '../../src/protocol/model.js';
import { describeReply } from './expect-error.js';

/** A message no trigger convention reacts to specially: what any agent must answer validly. */
export function ordinaryMessage(ctx: CheckContext): OutgoingMessage {
  return ctx.hasTrigger('message')
    ? ctx.trigger('message')
    : { messageId: randomUUID(), text: 'Hello from the A2A conformance harness.' };
}

/** Send a trigger and require a Task back; anything else makes the check untestable (the trigger did not work). */
export async function sendForTask(
  ctx: CheckContext,
  trigger: TriggerName,
  opts: SendOptions = {},
  extra: Partial<OutgoingMessage> = {},
): Promise<{ task: Task; reply: Reply<SendResult> }> {
  const reply = await ctx.client.send(ctx.trigger(trigger, extra), { label: `send \`${trigger}\` trigger`, ...opts });
  if (!reply.ok || reply.value.kind !== 'task') {
    return ctx.untestable(`the \`${trigger}\` trigger did not produce a task (${describeReply(reply)})`, trigger);
  }
  return { task: reply.value.task, reply };
}

/** Poll GetTask until the predicate holds or the time runs out. Short intervals: we wait for an event, not a sleep. */
export async function waitForTask(
  ctx: CheckContext,
  taskId: string,
  until: (t: Task) => boolean,
  timeoutMs = Math.min(15_000, ctx.remainingMs() - 500),
): Promise<Task | undefined> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let last: Task | undefined;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const r = await ctx.client.get(taskId, { label: 'poll GetTask' });
    if (r.ok) {
      last = r.value;
      if (until(last)) return last;
    }
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 400);
  }
  return undefined;
}

export const settled = (t: Task) => isTerminal(t.status.state) || isInterrupted(t.status.state);

/** A task that reached `completed` through the `task` trigger (shared per cell). */
export function completedTask(ctx: CheckContext): Promise<Task> {
  return ctx.fixture('completed-task', async (f) => {
    const { task } = await sendForTask(f, 'task');
    if (task.status.state === 'completed') return task;
    const done = await waitForTask(f, task.id, (t) => isTerminal(t.status.state));
    if (done?.status.state !== 'completed')
      return f.untestable(
        `the \`task\` trigger did not complete (last state: ${done?.status.wireState ?? task.status.wireState})`,
        'task',
      );
    return done;
  });
}

/** A task waiting in input-required (fresh per call: multi-turn checks mutate it). */
export async function inputRequiredTask(ctx: CheckContext): Promise<Task> {
  const { task } = await sendForTask(ctx, 'input-required');
  if (task.status.state === 'input-required') return task;
  const t = await waitForTask(ctx, task.id, (x) => x.status.state === 'input-required' || isTerminal(x.status.state));
  if (t?.status.state !== 'input-required')
    return ctx.untestable(
      `the \`input-required\` trigger did not reach input-required (last state: ` +
        `${t?.status.wireState ?? task.status.wireState})`,
      'input-required',
    );
  return t;
}

/** A slow task that is still working (fresh per call), started without blocking. */
export async function workingTask(ctx: CheckContext): Promise<Task> {
  const { task } = await sendForTask(ctx, 'slow', { returnImmediately: true });
  if (isTerminal(task.status.state))
    return ctx.untestable(
      `the \`slow\` trigger returned an already finished task (${task.status.wireState}); it must stay ` +
        `working for a few seconds`,
      'slow',
    );
  return task;
}

export function stateList(states: TaskState[]): string {
  return states.join(' → ');
}

export function messagesOf(t: Task): Message[] {
  return t.history ?? [];
}
