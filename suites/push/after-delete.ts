/**
 * push.delivery.stops-after-delete: 1.0 §3.1.10 "No further notifications will be sent to the configured webhook after
 * deletion". The check registers its own webhook on a working (`slow`) task, waits for a first delivery (so the
 * webhook is shown to work), deletes the config, and then watches the webhook for POSTs that arrive after the delete
 * was answered and a short grace.
 */
import { suite } from './suite.js';
import { isTerminal } from '../../src/core/types.js';
import type { WebhookDelivery } from '../../src/webhook/receiver.js';
import { describeError } from '../lib/expect-error.js';
import { workingTask } from '../lib/tasks.js';
import { deliveryWindowMs, isPost, refusedMessage, registerConfig, summarize } from './webhook.js';

/**
 * How long after the delete was answered a POST is still taken as one already in flight (ms). Agents read a task's
 * configs when an event is produced and queue its POST behind the earlier ones (@a2a-js/sdk 1.3.0 chains them per
 * task), so an update produced just before the delete may land after it: in the default run, with four targets
 * checked at once, such a POST reached the webhook 1.4-1.7 s after the delete answer. 3 s covers that queue without
 * excusing the updates that follow (the `slow` trigger's updates keep coming for seconds). On a loaded agent the grace
 * grows with the lag it showed: twice the time from the registration to the first delivery (graceMs).
 */
export const IN_FLIGHT_GRACE_MS = 3000;

/** The in-flight grace for an agent whose first delivery came `firstLagMs` after the config was registered. */
export const graceMs = (firstLagMs: number): number => Math.max(IN_FLIGHT_GRACE_MS, Math.round(2 * firstLagMs));
/** How long the webhook is watched after the grace (ms; also bounded by the check's remaining time). */
const WATCH_MS = 3000;
/** How long the check waits for the first delivery before deleting (ms). */
const FIRST_DELIVERY_MS = 8000;

export const stopsAfterDelete = suite.check({
  id: 'push.delivery.stops-after-delete',
  level: 'MUST',
  title: 'No push notification reaches the webhook after its config was deleted',
  requirement:
    'DeleteTaskPushNotificationConfig MUST permanently remove the config: no further notifications are sent to ' +
    'its webhook after deletion. On a working task whose webhook has received a delivery, the config is deleted; ' +
    `no POST may reach that webhook later than ${IN_FLIGHT_GRACE_MS} ms (or twice the lag of the first delivery, ` +
    'if longer) after the delete was answered.',
  stance:
    '§3.1.10 states it descriptively ("No further notifications will be sent … after deletion") as the ' +
    'consequence of the MUST "permanently remove": a config that still notifies is not removed, so this is graded ' +
    `MUST. A POST landing within ${IN_FLIGHT_GRACE_MS} ms of the delete answer (twice the time the first delivery ` +
    'took after the registration, if longer: a loaded agent queues its POSTs) is taken as a delivery already in ' +
    'flight (produced before the delete and queued, it cannot be recalled) and only noted. The task must still ' +
    'be working at the delete (else nothing was left to send: untestable); a webhook that received nothing ' +
    'before the delete, or a refused delete, is ' +
    'untestable (push.delivery.received and push.config.delete judge those). 0.3 §7.8 says only that the config ' +
    'is deleted, so the check is 1.0 only.',
  specRefs: { '1.0': [{ section: '3.1.10', req: 'S10-32' }] },
  requires: { capabilities: ['pushNotifications'], triggers: ['slow'] },
  async run(ctx) {
    const endpoint = await ctx.webhook.endpoint('push: webhook whose config is deleted mid-task');
    const task = await workingTask(ctx);
    const reg = await registerConfig(ctx, task.id, endpoint, 'register a webhook for the working task');
    if (!reg.reply.ok) return ctx.untestable(refusedMessage(endpoint, reg));
    const registeredAt = performance.now();
    const configId = reg.reply.value.id ?? reg.sent.id;
    if (!configId) return ctx.untestable('the created push config carries no id to delete; see push.config.create');
    const first = await endpoint.waitFor(isPost, {
      timeoutMs: Math.min(FIRST_DELIVERY_MS, deliveryWindowMs(ctx)),
      signal: ctx.signal,
    });
    if (!first) return ctx.untestable('the webhook received no delivery before the delete; see push.delivery.received');
    ctx.note(`first delivery before the delete: ${summarize(first)}`);
    const now = await ctx.client.get(task.id, { label: 'GetTask: is the task still running before the delete?' });
    if (now.ok && isTerminal(now.value.status.state))
      return ctx.untestable(
        `the task was already ${now.value.status.wireState} before the delete: no update was left to send ` +
          '(the `slow` trigger must keep it working for a few seconds)',
        'slow',
      );
    const del = await ctx.client.deletePushConfig(task.id, configId, { label: 'delete the config mid-task' });
    if (!del.ok)
      return ctx.untestable(`deleting the push config failed (${describeError(del.error)}); see push.config.delete`);
    const deletedAt = performance.now();
    const grace = graceMs(first.monotonicAt - registeredAt);
    const late = (d: WebhookDelivery) => isPost(d) && d.monotonicAt > deletedAt + grace;
    const watch = Math.max(0, Math.min(grace + WATCH_MS, ctx.remainingMs() - 1500));
    if (watch < grace + 1000)
      return ctx.untestable(
        `the check's time is up: ${Math.round(watch / 1000)} s left to watch the webhook, not more than the ` +
          `${Math.round(grace / 1000)} s in-flight grace`,
      );
    const hit = await endpoint.waitFor(late, { timeoutMs: watch, signal: ctx.signal });
    const inFlight = endpoint.deliveries().filter((d) => isPost(d) && d.monotonicAt > deletedAt && !late(d)).length;
    if (inFlight) ctx.note(`${inFlight} POST(s) arrived within the ${grace} ms grace (in flight)`);
    if (!hit) {
      ctx.note(`no POST in the ${Math.round(watch / 1000)} s after the delete was answered`);
      return;
    }
    const count = endpoint.deliveries().filter(late).length;
    ctx.violated(
      `${count} POST(s) reached the webhook more than ${grace} ms after its config was deleted; ` +
        `the first ${Math.round(hit.monotonicAt - deletedAt)} ms after the delete: ${summarize(hit)}`,
      { expected: `no POST to ${endpoint.url} after the delete`, actual: `${count} POST(s)` },
    );
  },
});
