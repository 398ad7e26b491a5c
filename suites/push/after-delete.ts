/**
 * push.delivery.stops-after-delete: 1.0 §3.1.10 "No further notifications will be sent to the configured webhook after
 * deletion". On a working (`slow`) task the check registers two webhooks, a control one it keeps and one it deletes
 * at once, confirms the task is still working after the delete was answered, and waits for the task's terminal
 * state to reach the control webhook: that update was produced after the deletion, so it must not reach the deleted
 * one. Judging by what a POST carries, not by when it lands, needs no in-flight grace (a queued POST of an update
 * produced before the delete is not terminal), and the control webhook proves the agent does deliver.
 */
import { suite } from './suite.js';
import { isTerminal } from '../../src/core/types.js';
import { describeError } from '../lib/expect-error.js';
import {
  configIdOf,
  deliveryWindowMs,
  isPost,
  isTerminalDelivery,
  readDelivery,
  summarize,
  twoWebhookTask,
} from './webhook.js';

/** After the terminal state reached the control webhook, how long the deleted one is still watched (ms). */
export const SETTLE_MS = 1000;

export const stopsAfterDelete = suite.check({
  id: 'push.delivery.stops-after-delete',
  level: 'MUST',
  title: 'No push notification reaches the webhook after its config was deleted',
  requirement:
    'DeleteTaskPushNotificationConfig MUST permanently remove the config: no further notifications are sent to ' +
    'its webhook after deletion. Of two webhooks registered on a working task, the one deleted while the task ' +
    'still works must not receive its terminal state; the kept one shows the agent delivers it.',
  stance:
    '§3.1.10 states it descriptively ("No further notifications will be sent … after deletion") as the ' +
    'consequence of the MUST "permanently remove": a config that still notifies is not removed, so this is graded ' +
    'MUST. Only the terminal state is judged: a non-terminal POST landing after the delete may carry an update ' +
    'produced before it and queued (in flight, not recallable), so it is only noted. Untestable when the agent ' +
    'refuses either config or the delete, when the task had ended by the time GetTask answered after the delete ' +
    '(its terminal update may predate the delete), or when the kept webhook never receives the terminal state ' +
    '(the agent holds one config per task, or does not deliver: push.delivery.terminal judges that). 0.3 §7.8 ' +
    'says only that the config is deleted, so the check is 1.0 only.',
  specRefs: { '1.0': [{ section: '3.1.10', req: 'S10-32' }] },
  requires: { capabilities: ['pushNotifications'], triggers: ['slow'] },
  async run(ctx) {
    const {
      task,
      endpoints: [kept, gone],
      regs: [, reg],
    } = await twoWebhookTask(ctx, ['push: control webhook, kept', 'push: webhook whose config is deleted mid-task']);
    const configId = configIdOf(reg);
    if (!configId) return ctx.untestable('the created push config carries no id to delete; see push.config.create');
    const del = await ctx.client.deletePushConfig(task.id, configId, { label: 'delete the second config mid-task' });
    if (!del.ok)
      return ctx.untestable(`deleting the push config failed (${describeError(del.error)}); see push.config.delete`);
    const deletedAt = performance.now();
    const now = await ctx.client.get(task.id, { label: 'GetTask: is the task still working after the delete?' });
    if (!now.ok) return ctx.untestable(`GetTask after the delete failed (${describeError(now.error)})`);
    if (isTerminal(now.value.status.state))
      return ctx.untestable(
        `the task was already ${now.value.status.wireState} when the delete was answered: its terminal update may ` +
          'have been produced before the delete (the `slow` trigger must keep it working for a few seconds)',
        'slow',
      );
    const terminal = isTerminalDelivery(ctx.version);
    const control = await kept.waitFor(terminal, {
      timeoutMs: Math.min(deliveryWindowMs(ctx), ctx.remainingMs() - SETTLE_MS - 500),
      signal: ctx.signal,
    });
    if (!control)
      return ctx.untestable(
        'the kept webhook never received the terminal state (the agent may hold one config per task, or not ' +
          'deliver it: see push.delivery.terminal); nothing shows what the deleted one would have received',
      );
    ctx.note(`the kept webhook received the terminal state: ${summarize(control)}`);
    const hit = await gone.waitFor(terminal, { timeoutMs: SETTLE_MS, signal: ctx.signal });
    const later = gone.deliveries().filter((d) => isPost(d) && d.monotonicAt > deletedAt && !terminal(d)).length;
    if (later) ctx.note(`${later} non-terminal POST(s) reached the deleted webhook after the delete (in flight)`);
    if (!hit) return;
    ctx.violated(
      `the deleted webhook received the task's ${readDelivery(hit, ctx.version).wireState ?? 'terminal'} state ` +
        `${Math.round(hit.monotonicAt - deletedAt)} ms after its config was deleted (the task was still working ` +
        `after the delete): ${summarize(hit)}`,
      { expected: `no notification to ${gone.url} after the delete`, actual: 'the terminal state was delivered' },
    );
  },
});
