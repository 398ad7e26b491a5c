/**
 * push.delivery.each-webhook: 1.0 §4.3.3 "Agents MUST attempt delivery at least once for each configured webhook".
 * The other delivery checks register one webhook per task; this one registers two configs (two endpoints of the
 * harness's receiver, so each POST is attributable) on one working task and waits for a POST on each.
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isTerminal, type Level, type ProtocolVersion } from '../../src/core/types.js';
import { describeError } from '../lib/expect-error.js';
import { configIdOf, deliveryWindowMs, isPost, type Registration, summarize, twoWebhookTask } from './webhook.js';

/**
 * How strongly each webhook is owed a delivery, per version: 1.0 §4.3.3 says MUST; 0.3 lets a task hold several
 * configs (config ids, §7.7 "configurations") but topics-0.3 says "The A2A Server decides when to send a push
 * notification", so a webhook left without any delivery is a warning there.
 */
const EACH_WEBHOOK_LEVEL: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

/**
 * Whether the agent holds both configs: by id when it gave ids, else by URL. undefined when the list is unusable
 * (the two successful creates are then trusted).
 */
async function bothListed(ctx: CheckContext, taskId: string, regs: Registration[]): Promise<boolean | undefined> {
  const r = await ctx.client.listPushConfigs(taskId, { label: 'list the push configs: are both webhooks active?' });
  if (!r.ok) {
    ctx.note(`listing the push configs failed (${describeError(r.error)}); both creates succeeded, so both count`);
    return undefined;
  }
  const ids = new Set(r.value.map((c) => c.id).filter((x) => x !== undefined));
  const urls = new Set(r.value.map((c) => c.url));
  return regs.every((g) => {
    const id = configIdOf(g);
    return id !== undefined && ids.size > 0 ? ids.has(id) : urls.has(g.sent.url);
  });
}

export const eachWebhook = suite.check({
  id: 'push.delivery.each-webhook',
  level: 'MUST',
  title: 'With two push configs on one task, each webhook receives a delivery',
  requirement:
    'Agents MUST attempt delivery at least once for each configured webhook: with two push configs (two ' +
    'webhook URLs) registered on one working task, each URL receives at least one POST.',
  stance:
    'The spec lets a task hold several configs (ids, List returns "all active configurations") but does not ' +
    'oblige an agent to: one that refuses the second config, answers the same id for both, or lists only one is ' +
    'untestable, and so is a task that had already ended once both were registered. Any POST counts as the ' +
    'attempt. topics-0.3 lets the server decide when to notify, so on 0.3 a ' +
    'webhook without a delivery is a warning; 1.0 §4.3.3 makes it a failure.',
  specRefs: {
    '0.3': [{ section: '9.5', req: 'S03-32' }, { section: '7.7' }],
    '1.0': [{ section: '4.3.3', req: 'S10-33' }, { section: '3.1.9' }],
  },
  requires: { capabilities: ['pushNotifications'], triggers: ['slow'] },
  async run(ctx) {
    const { task, endpoints, regs } = await twoWebhookTask(ctx, [
      'push: first of two webhooks on one task',
      'push: second of two webhooks on one task',
    ]);
    if ((await bothListed(ctx, task.id, regs)) === false)
      return ctx.untestable(
        'both creates succeeded but the task lists only one of the two configs: the agent keeps one config per ' +
          'task (push.config.list judges the listing)',
      );
    // Read after both registrations: a task still running then owes each webhook at least its remaining updates.
    const now = await ctx.client.get(task.id, { label: 'GetTask: is the task still running with both webhooks?' });
    const endedEarly = now.ok && isTerminal(now.value.status.state) ? now.value.status.wireState : undefined;
    const window = deliveryWindowMs(ctx);
    const got = await Promise.all(endpoints.map((e) => e.waitFor(isPost, { timeoutMs: window, signal: ctx.signal })));
    const missing = endpoints.filter((_, i) => got[i] === undefined);
    got.forEach((d, i) => {
      if (d) ctx.note(`webhook ${i + 1}: first delivery ${summarize(d)}`);
    });
    if (missing.length && endedEarly)
      return ctx.untestable(
        `the task was already ${endedEarly} once both configs were registered: no update may have been left to ` +
          `deliver to webhook ${endpoints.indexOf(missing[0]!) + 1} (the \`slow\` trigger must keep it working)`,
        'slow',
      );
    for (const e of missing) {
      const n = endpoints.indexOf(e) + 1;
      ctx.violatedAt(
        EACH_WEBHOOK_LEVEL[ctx.version],
        `webhook ${n} of 2 received no POST within ${Math.round(window / 1000)} s` +
          (missing.length === 2
            ? ' (neither webhook received anything; see push.delivery.received)'
            : ` while webhook ${3 - n} received ${endpoints[2 - n]!.deliveries().filter(isPost).length}`),
        { expected: `at least one POST to ${e.url}`, actual: 'none' },
      );
    }
  },
});
