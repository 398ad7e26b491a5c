/**
 * Suite "push": push-notification config CRUD, inline configs and webhook delivery (0.3 §7.5–§7.8, §9.5 and
 * topics "streaming and async"; 1.0 §3.1.7–§3.1.10, §4.3.3, §13.2). Deliveries go to the harness's own webhook
 * receiver (ctx.webhook): one endpoint per config, so what arrives is attributable. Capability gating (all four
 * operations answer PushNotificationNotSupported without the capability) is errors.push-not-supported.all-methods.
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isTerminal, type Level, type ProtocolVersion } from '../../src/core/types.js';
import type { Reply } from '../../src/protocol/client.js';
import type { PushConfig } from '../../src/protocol/model.js';
import { validateWire } from '../../src/schemas/validate.js';
import type { WebhookDelivery } from '../../src/webhook/receiver.js';
import type { SchemaError } from '../../src/http/types.js';
import type { Expectation } from '../../src/results/types.js';
import { describeError, describeReply, expectError } from '../lib/expect-error.js';
import { waitForTask } from '../lib/tasks.js';
import {
  authDeliveryFixture,
  createdConfig,
  crudFixture,
  deliveryFixture,
  deliveryWindowMs,
  isPost,
  isPrivateUrl,
  pushConfigFor,
  readDelivery,
  registerConfig,
  someDeliveries,
  summarize,
  UNROUTABLE_WEBHOOK,
  WEBHOOK_AUTH_SCHEME,
} from './webhook.js';

const PUSH = { capabilities: ['pushNotifications' as const] };

/**
 * How strongly a delivery is owed, per version: 1.0 §4.3.3 "Agents MUST attempt delivery at least once for each
 * configured webhook"; topics-0.3: "The A2A Server decides when to send a push notification" (the config covers
 * "updates after the initial response"), so a missing 0.3 delivery is a warning.
 */
const DELIVERY_LEVEL: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

/**
 * Send options for the inline-config send, per version: on 0.3 the task runs past the response (blocking: false), so
 * there are updates "after the initial response" to notify about.
 */
const INLINE_SEND: Record<ProtocolVersion, { returnImmediately?: boolean }> = {
  '0.3': { returnImmediately: true },
  '1.0': {},
};

// ---------------------------------------------------------------------------------------------------------------
// Config CRUD

export const create = suite.check({
  id: 'push.config.create',
  level: 'MUST',
  title: 'Creating a push config returns it, with an id',
  requirement:
    'tasks/pushNotificationConfig/set · CreateTaskPushNotificationConfig MUST establish the webhook and ' +
    'return the created configuration with its id (1.0: an id assigned by the agent) and the URL that was ' +
    'registered.',
  specRefs: { '0.3': [{ section: '7.5', req: 'S03-31' }], '1.0': [{ section: '3.1.7', req: 'S10-32' }] },
  stance:
    "When the harness's loopback receiver URL is refused but a public URL is accepted, that is an SSRF " +
    'policy (§13.2 SHOULD), not a broken create: the config is judged with the public URL. On 0.3 HTTP+JSON ' +
    'the body is the config itself (proto-0.3 body: "config"); an agent that accepts only the {config: …} ' +
    'wrapper of the 0.3 prose warns (§13 C20).',
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const fx = await crudFixture(ctx);
    if (fx.reg.ssrf)
      ctx.note(
        `the loopback webhook was refused (${describeError(fx.reg.ssrf.refused)}); judged with a public URL ` +
          `instead (SSRF policy, §13.2)`,
      );
    if (fx.reg.wrapped)
      ctx.ambiguous(
        `the agent refused the proto-0.3 body (the config itself: ${describeError(fx.reg.wrapped)}) and ` +
          `accepted only {config: …}`,
        '0.3 §7.5 shows the REST payload as {config: TaskPushNotificationConfig} while proto-0.3 says body: ' +
          '"config" (§13 C20)',
        {
          expected: 'the TaskPushNotificationConfig as the body (proto-0.3)',
          actual: '{config: TaskPushNotificationConfig} only',
        },
      );
    if (!fx.created.ok) {
      ctx.violated(`creating a push config failed: ${describeError(fx.created.error)}`, {
        expected: 'the created TaskPushNotificationConfig',
        actual: describeError(fx.created.error),
      });
      return;
    }
    const c = fx.created.value;
    ctx.expect(typeof c.id === 'string' && c.id.length > 0, 'the created push config carries no id', {
      expected: 'an id',
      actual: c.id ?? '(absent)',
    });
    ctx.expect(c.url === fx.sent.url, 'the created push config does not carry the registered URL', {
      expected: fx.sent.url,
      actual: c.url || '(absent)',
    });
    if (c.taskId !== undefined)
      ctx.expect(c.taskId === fx.task.id, 'the created push config names another task', {
        expected: fx.task.id,
        actual: c.taskId,
      });
    if (ctx.version === '0.3' && c.id && c.id !== fx.sent.id)
      ctx.note(`the agent replaced the config id ${fx.sent.id} with ${c.id}`);
  },
});

export const get = suite.check({
  id: 'push.config.get',
  level: 'MUST',
  title: 'Getting a push config by id returns it',
  requirement:
    'tasks/pushNotificationConfig/get · GetTaskPushNotificationConfig MUST return the configuration with the ' +
    'requested id, including its webhook URL.',
  specRefs: { '0.3': [{ section: '7.6', req: 'S03-31' }], '1.0': [{ section: '3.1.8', req: 'S10-32' }] },
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const fx = await createdConfig(ctx);
    const r = await ctx.client.getPushConfig(fx.task.id, fx.id, { label: 'get the created push config' });
    if (!r.ok) {
      ctx.violated(`getting the created push config failed: ${describeError(r.error)}`, {
        expected: 'the config',
        actual: describeError(r.error),
      });
      return;
    }
    ctx.expect(r.value.id === fx.id, 'get returned a config with another id', {
      expected: fx.id,
      actual: r.value.id ?? '(absent)',
    });
    ctx.expect(r.value.url === fx.config.url, 'get returned another webhook URL', {
      expected: fx.config.url,
      actual: r.value.url || '(absent)',
    });
  },
});

export const list = suite.check({
  id: 'push.config.list',
  level: 'MUST',
  title: "Listing the task's push configs includes the created one",
  requirement:
    'tasks/pushNotificationConfig/list · ListTaskPushNotificationConfigs MUST return all active ' +
    'configurations of the task.',
  specRefs: { '0.3': [{ section: '7.7', req: 'S03-31' }], '1.0': [{ section: '3.1.9', req: 'S10-32' }] },
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const fx = await createdConfig(ctx);
    const r = await ctx.client.listPushConfigs(fx.task.id, { label: "list the task's push configs" });
    if (!r.ok) {
      ctx.violated(`listing push configs failed: ${describeError(r.error)}`, {
        expected: 'a list containing the config',
        actual: describeError(r.error),
      });
      return;
    }
    const hit = r.value.find((c) => c.id === fx.id);
    if (
      !ctx.expect(hit !== undefined, 'the created push config is not in the list', {
        expected: `a config with id ${fx.id}`,
        actual: r.value.map((c) => c.id ?? '(no id)'),
      })
    )
      return;
    ctx.expect(hit!.url === fx.config.url, 'the listed config carries another webhook URL', {
      expected: fx.config.url,
      actual: hit!.url || '(absent)',
    });
  },
});

/** A second config on the CRUD task (for the checks that delete), or untestable. */
async function freshConfig(ctx: CheckContext, label: string): Promise<{ taskId: string; id: string }> {
  const fx = await createdConfig(ctx);
  const endpoint = await ctx.webhook.endpoint(label);
  const reg = await registerConfig(ctx, fx.task.id, endpoint, `create a push config to ${label}`);
  const use = reg.ssrf?.fallback.reply ?? reg.reply;
  if (!use.ok || !use.value.id)
    return ctx.untestable(`creating a second push config failed (${describeReply(use)}); see push.config.create`);
  return { taskId: fx.task.id, id: use.value.id };
}

async function listedIds(ctx: CheckContext, taskId: string, label: string): Promise<string[] | undefined> {
  const r = await ctx.client.listPushConfigs(taskId, { label });
  if (!r.ok) {
    ctx.note(`listing push configs failed (${describeError(r.error)}): removal not verified by list`);
    return undefined;
  }
  return r.value.map((c) => c.id ?? '');
}

export const del = suite.check({
  id: 'push.config.delete',
  level: 'MUST',
  title: 'Deleting a push config removes it',
  requirement:
    'tasks/pushNotificationConfig/delete · DeleteTaskPushNotificationConfig MUST permanently remove the ' +
    'configuration: it succeeds and the config is no longer listed.',
  specRefs: { '0.3': [{ section: '7.8', req: 'S03-31' }], '1.0': [{ section: '3.1.10', req: 'S10-32' }] },
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const { taskId, id } = await freshConfig(ctx, 'delete');
    const r = await ctx.client.deletePushConfig(taskId, id, { label: 'delete the push config' });
    if (!r.ok) {
      ctx.violated(`deleting the push config failed: ${describeError(r.error)}`, {
        expected: 'success',
        actual: describeError(r.error),
      });
      return;
    }
    const ids = await listedIds(ctx, taskId, 'list after the delete');
    if (ids) {
      ctx.expect(!ids.includes(id), 'the deleted push config is still listed', {
        expected: `no config with id ${id}`,
        actual: ids,
      });
      return;
    }
    // No list to look at: a Get of the deleted config must now fail, or the delete is not shown to do anything.
    const g = await ctx.client.getPushConfig(taskId, id, { label: 'get the deleted push config' });
    if (g.ok)
      ctx.violated('the deleted push config is still returned by Get', {
        expected: 'an error (the config is gone)',
        actual: describeReply(g),
      });
    else ctx.note(`List was not usable; Get of the deleted config answers ${describeError(g.error)}`);
  },
});

export const deleteIdempotent = suite.check({
  id: 'push.config.delete-idempotent',
  level: 'MUST',
  title: 'Deleting a push config twice has the same effect as once',
  requirement:
    'DeleteTaskPushNotificationConfig MUST be idempotent: multiple deletions of the same config have the same effect.',
  stance:
    'A repeated delete that succeeds passes. One that answers TaskNotFound warns: the state is the same (RFC ' +
    '9110 idempotency allows it), but §3.1.10 lists TaskNotFound only for a missing task.',
  specRefs: { '1.0': [{ section: '3.1.10', req: 'S10-32' }, { section: '3.3.1' }] },
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const { taskId, id } = await freshConfig(ctx, 'delete twice');
    const first = await ctx.client.deletePushConfig(taskId, id, { label: 'first delete' });
    if (!first.ok)
      return ctx.untestable(`the first delete failed (${describeError(first.error)}); see push.config.delete`);
    const second = await ctx.client.deletePushConfig(taskId, id, { label: 'second delete of the same config' });
    if (!second.ok) {
      if (second.error.name === 'TaskNotFound')
        ctx.ambiguous(
          `the second delete answered ${describeError(second.error)}`,
          'the config is gone either way, but §3.1.10 reserves TaskNotFound for a missing task and asks for ' +
            'the same effect',
          { expected: 'success', actual: describeError(second.error) },
        );
      else
        ctx.violated(`the second delete failed: ${describeError(second.error)}`, {
          expected: 'success (same effect as the first delete)',
          actual: describeError(second.error),
        });
    }
    const ids = await listedIds(ctx, taskId, 'list after the second delete');
    if (ids)
      ctx.expect(!ids.includes(id), 'the config is listed again after the second delete', {
        expected: `no config with id ${id}`,
        actual: ids,
      });
  },
});

/** 1.0: TaskNotFound (§3.1.8). 0.3 names no error (the -32001 is an example): another error warns. */
function judgeMissing(ctx: CheckContext, r: Reply<unknown>, what: string): void {
  if (ctx.version === '1.0' || r.ok || r.error.name === 'TaskNotFound') {
    expectError(ctx, r, 'TaskNotFound', what);
    return;
  }
  ctx.ambiguous(
    `${what}: answered ${describeError(r.error)}`,
    '0.3 does not name the error; only its example uses TaskNotFoundError (-32001)',
    { expected: 'TaskNotFound (-32001)', actual: describeError(r.error) },
  );
}

export const getMissing = suite.check({
  id: 'push.config.get-missing',
  level: 'MUST',
  title: 'Getting a push config that does not exist, or was deleted, fails with TaskNotFound',
  requirement:
    'GetTaskPushNotificationConfig MUST fail if the configuration does not exist; the error is ' +
    'TaskNotFoundError ("the push notification configuration does not exist").',
  stance:
    'TaskNotFound for a missing config is intended, if surprising (§13 C22); 1.0 requires it. 0.3 only shows ' +
    'it in an example, so another error there warns; a success always fails.',
  specRefs: { '0.3': [{ section: '7.6', req: 'S03-31' }], '1.0': [{ section: '3.1.8', req: 'S10-32' }] },
  requires: { ...PUSH, triggers: ['input-required'] },
  async run(ctx) {
    const fx = await createdConfig(ctx);
    judgeMissing(
      ctx,
      await ctx.client.getPushConfig(fx.task.id, `conformance-missing-${randomUUID()}`, {
        label: 'get a config id that never existed',
      }),
      'get of a config that never existed',
    );
    const { taskId, id } = await freshConfig(ctx, 'get after delete');
    const d = await ctx.client.deletePushConfig(taskId, id, { label: 'delete it' });
    if (!d.ok) {
      ctx.note(`the delete failed (${describeError(d.error)}): the deleted case is not checked`);
      return;
    }
    judgeMissing(
      ctx,
      await ctx.client.getPushConfig(taskId, id, { label: 'get the deleted config' }),
      'get of a deleted config',
    );
  },
});

export const unknownTask = suite.check({
  id: 'push.config.unknown-task',
  level: 'MUST',
  title: 'Creating a push config for an unknown task fails with TaskNotFound',
  requirement: 'CreateTaskPushNotificationConfig for a task id that does not exist MUST return TaskNotFoundError.',
  specRefs: { '1.0': [{ section: '3.1.7', req: 'S10-32' }] },
  requires: PUSH,
  async run(ctx) {
    const config: PushConfig = { url: `${UNROUTABLE_WEBHOOK}/unknown-task`, token: 'conformance-unknown-task' };
    expectError(
      ctx,
      await ctx.client.createPushConfig(`conformance-missing-${randomUUID()}`, config, {
        label: 'create a push config for an unknown task',
      }),
      'TaskNotFound',
      'create for an unknown task',
    );
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Inline config on send

export const inline = suite.check({
  id: 'push.send.inline-config',
  level: 'MUST',
  title: "A push config given inline on send is used: the task's updates reach the webhook",
  requirement:
    'A push notification config in the send configuration (0.3 configuration.pushNotificationConfig, 1.0 ' +
    'configuration.taskPushNotificationConfig) registers the webhook for the new task: its updates are ' +
    'POSTed there.',
  stance:
    "1.0.0's push example (§6.6) spells the inline config pushNotificationConfig with " +
    'authentication.schemes[]; proto-1.0 and 1.0.1 say taskPushNotificationConfig with authentication.scheme ' +
    '(§13 C8). On 1.0 both spellings are sent (two tasks): an agent that honours only the 1.0.0 spelling ' +
    'warns. On 0.3 the task is sent with blocking: false (the config covers "updates after the initial ' +
    'response") and a missing delivery is a warning: topics-0.3 lets the server decide when to notify.',
  specRefs: {
    '0.3': [{ section: '7.1' }, { section: '9.5', req: 'S03-32' }],
    '1.0': [{ section: '3.2.1' }, { section: '4.3.3', req: 'S10-33' }],
  },
  requires: { ...PUSH, triggers: ['task'] },
  async run(ctx) {
    const endpoint = await ctx.webhook.endpoint('inline push config');
    const sent = pushConfigFor(ctx, endpoint);
    // 1.0: the 1.0.0 example's spelling too, on a second task, to tell "ignores inline configs" from C8.
    const legacy =
      ctx.version === '1.0' ? await ctx.webhook.endpoint('inline push config, 1.0.0 example spelling') : undefined;
    const t0 = performance.now();
    const [r, rl] = await Promise.all([
      ctx.client.send(ctx.trigger('task'), {
        pushConfig: sent,
        ...INLINE_SEND[ctx.version],
        label: 'send the `task` trigger with an inline push config',
      }),
      legacy
        ? ctx.client.send(ctx.trigger('task'), {
            label: 'send the `task` trigger with an inline push config spelled as in the 1.0.0 example (C8)',
            extraParams: {
              configuration: {
                pushNotificationConfig: {
                  url: legacy.url,
                  token: legacy.token,
                  authentication: { schemes: [WEBHOOK_AUTH_SCHEME], credentials: legacy.credentials },
                },
              },
            },
          })
        : undefined,
    ]);
    if (!r.ok)
      return ctx.untestable(
        `the send with an inline push config failed ` +
          `(${describeError(r.error)})` +
          (isPrivateUrl(endpoint.url)
            ? '; if the agent refuses loopback webhook URLs (SSRF policy, §13.2), set `webhook.publicUrl`'
            : ''),
      );
    if (r.value.kind !== 'task')
      return ctx.untestable('the `task` trigger answered with a Message: no task to be notified about', 'task');
    const window = deliveryWindowMs(ctx);
    const d = await endpoint.waitFor(isPost, { timeoutMs: window, signal: ctx.signal });
    if (!d) {
      // The 1.0.0-spelling task had the same window to deliver.
      const dl = legacy && rl?.ok ? legacy.deliveries().find(isPost) : undefined;
      if (dl)
        ctx.ambiguous(
          'only the config spelled as in the 1.0.0 example (configuration.pushNotificationConfig, ' +
            'authentication.schemes) was used; configuration.taskPushNotificationConfig was ignored',
          'the 1.0.0 example (§6.6) used that spelling; proto-1.0 and 1.0.1 say taskPushNotificationConfig (§13 C8)',
          {
            expected: 'a POST for the task registered with taskPushNotificationConfig',
            actual: 'deliveries only for the 1.0.0 spelling',
          },
        );
      else
        ctx.violatedAt(
          DELIVERY_LEVEL[ctx.version],
          `no delivery reached the inline webhook within ${Math.round(window / 1000)} s`,
          {
            expected: 'a POST for the task',
            actual: 'none',
          },
        );
      return;
    }
    ctx.metric('firstDeliveryMs', d.monotonicAt - t0);
    const v = readDelivery(d, ctx.version);
    if (v.taskId !== undefined)
      ctx.expect(v.taskId === r.value.task.id, 'the delivery is about another task', {
        expected: r.value.task.id,
        actual: v.taskId,
      });
    ctx.note(`first delivery after ${Math.round(d.monotonicAt - t0)} ms`);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Delivery

const DELIVERY = { ...PUSH, triggers: ['slow' as const] };

export const received = suite.check({
  id: 'push.delivery.received',
  level: 'MUST',
  title: 'After a config is created for a working task, the webhook receives its updates',
  requirement:
    'When task updates occur, the agent sends HTTP POST requests to the configured webhook URL (1.0: ' +
    'at-least-once delivery MUST be attempted; 0.3 states no keyword: "The A2A Server decides when to send a push ' +
    'notification", typically on a terminal state, so a missing delivery warns).',
  specRefs: {
    '0.3': [{ section: '9.5', req: 'S03-32' }],
    '1.0': [
      { section: '3.1.7', req: 'S10-33' },
      { section: '4.3.3', req: 'S10-33' },
    ],
  },
  stance:
    "If the agent refuses the harness's loopback webhook (SSRF policy, §13 C24), delivery is untestable, not " +
    'failed: configure webhook.publicUrl.',
  requires: DELIVERY,
  async run(ctx) {
    const fx = await deliveryFixture(ctx);
    const window = deliveryWindowMs(ctx);
    const d = await fx.endpoint.waitFor(isPost, { timeoutMs: window, signal: ctx.signal });
    if (!d) {
      const after = await ctx.client.get(fx.task.id, { label: 'GetTask: did the task move on?' });
      ctx.violatedAt(
        DELIVERY_LEVEL[ctx.version],
        `no POST reached the webhook within ${Math.round(window / 1000)} s of registering it` +
          `${after.ok ? ` (the task is now ${after.value.status.wireState})` : ''}`,
        { expected: "a POST for the task's updates", actual: 'none' },
      );
      return;
    }
    ctx.metric('firstDeliveryMs', d.monotonicAt - fx.registeredAt);
    ctx.note(`first delivery ${Math.round(d.monotonicAt - fx.registeredAt)} ms after registration: ${summarize(d)}`);
  },
});

/** 0.3: the example's Task, in the JSON-RPC shape or (for an agent that speaks ProtoJSON) the proto-0.3 shape. */
function task03Errors(doc: unknown) {
  const rpc = validateWire('0.3-jsonrpc', 'Task', doc);
  return rpc.length && validateWire('0.3-rest', 'Task', doc).length === 0 ? [] : rpc;
}

/** What push.delivery.payload judges a delivery against, per version. */
const PAYLOAD: Record<
  ProtocolVersion,
  {
    /** Schema errors of the body. */
    schemaErrors: (doc: unknown) => SchemaError[];
    /** The shape, named in messages. */
    shape: string;
    /** What an unrecognisable body lacks, and what was expected instead. */
    member: string;
    expectedMember: string;
    /** The payload must identify the task and its state (the 0.3 topic), beyond the shape. */
    identifiesTask: boolean;
    /** Why a shape deviation is only a warning (0.3 does not define the payload); absent: a violation. */
    ambiguous?: string;
  }
> = {
  '0.3': {
    schemaErrors: task03Errors,
    shape: "the example's Task",
    member: 'task payload',
    expectedMember: 'the Task',
    identifiesTask: true,
    ambiguous: '0.3 does not define the webhook payload',
  },
  '1.0': {
    schemaErrors: (doc) => validateWire('1.0', 'StreamResponse', doc),
    shape: 'StreamResponse',
    member: 'StreamResponse member',
    expectedMember: 'one of task, message, statusUpdate, artifactUpdate',
    identifiesTask: false,
  },
};

export const payload = suite.check({
  id: 'push.delivery.payload',
  level: 'MUST',
  title: 'Webhook payloads are StreamResponse objects (1.0) about the registered task',
  requirement:
    '1.0: the webhook payload is a StreamResponse holding exactly one of task, message, statusUpdate, ' +
    'artifactUpdate. Every delivery concerns the task the config was registered for. 0.3: the payload SHOULD ' +
    'identify the task and its state (the example sends the Task).',
  stance:
    '0.3 does not define the payload (topics: SHOULD identify task and state; the example is the full Task): ' +
    '0.3 shape deviations warn. A delivery about another task fails in both versions.',
  specRefs: { '0.3': [{ section: '9.5', req: 'S03-32' }], '1.0': [{ section: '4.3.3', req: 'S10-33' }] },
  requires: DELIVERY,
  async run(ctx) {
    const fx = await deliveryFixture(ctx);
    const { all } = await someDeliveries(ctx, fx);
    const rule = PAYLOAD[ctx.version];
    let reported = 0;
    const report = (d: WebhookDelivery, msg: string, exp?: Expectation) => {
      if (reported++ < 8)
        rule.ambiguous === undefined
          ? ctx.violated(`delivery #${d.seq}: ${msg}`, exp)
          : ctx.ambiguous(`delivery #${d.seq}: ${msg}`, rule.ambiguous, exp);
    };
    for (const d of all) {
      const v = readDelivery(d, ctx.version);
      if (d.json === undefined) {
        report(d, `the body is not JSON${d.jsonError ? ` (${d.jsonError})` : ''}`, {
          expected: 'JSON',
          actual: d.body.slice(0, 200),
        });
        continue;
      }
      const errs = rule.schemaErrors(d.json);
      for (const e of errs.slice(0, 3))
        report(d, `${e.path || '/'} ${e.message} (${rule.shape})`, {
          path: e.path,
          expected: e.expected ?? e.schema,
          actual: e.actual,
        });
      if (v.item?.kind === 'invalid' || v.item?.kind === 'error')
        report(d, `no recognisable ${rule.member}`, {
          expected: rule.expectedMember,
          actual: d.body.slice(0, 200),
        });
      else if (rule.identifiesTask && (v.taskId === undefined || v.state === undefined))
        report(d, 'the payload does not identify the task and its state', {
          expected: 'task id and state',
          actual: d.body.slice(0, 200),
        });
      if (v.taskId !== undefined && v.taskId !== fx.task.id)
        ctx.violated(`delivery #${d.seq} is about task ${v.taskId}, not the task the config was registered for`, {
          expected: fx.task.id,
          actual: v.taskId,
        });
    }
    ctx.metric('deliveries', all.length);
    ctx.note(`${all.length} deliveries judged`);
  },
});

export const terminal = suite.check({
  id: 'push.delivery.terminal',
  level: 'MUST',
  title: "The task's terminal state is delivered at least once",
  requirement:
    'The agent MUST attempt at-least-once delivery of task updates; the terminal state of the task reaches ' +
    'the webhook.',
  stance:
    'topics-0.3: "The A2A Server decides when to send a push notification": a 0.3 terminal state never ' +
    'delivered is a warning; 1.0 §4.3.3 makes delivery a MUST.',
  specRefs: {
    '0.3': [{ section: '9.5', req: 'S03-32' }],
    '1.0': [
      { section: '4.3.3', req: 'S10-33' },
      { section: '13.2', req: 'S10-33' },
    ],
  },
  requires: DELIVERY,
  async run(ctx) {
    const fx = await deliveryFixture(ctx);
    const { all, terminal: t } = await someDeliveries(ctx, fx);
    if (t) {
      ctx.note(
        `terminal state ${readDelivery(t, ctx.version).wireState} delivered (delivery #${t.seq} of ${all.length})`,
      );
      return;
    }
    const now = await waitForTask(
      ctx,
      fx.task.id,
      (x) => isTerminal(x.status.state),
      Math.min(2000, Math.max(0, ctx.remainingMs() - 500)),
    );
    if (!now)
      return ctx.untestable('the task did not reach a terminal state within the window: nothing final to deliver');
    const states = all.map((d) => readDelivery(d, ctx.version).wireState ?? '(no state)');
    ctx.violatedAt(
      DELIVERY_LEVEL[ctx.version],
      `the task is ${now.status.wireState} but none of the ${all.length} deliveries carried a terminal state`,
      { expected: `a delivery with ${now.status.wireState}`, actual: states },
    );
  },
});

/**
 * How a delivery without `Authorization: <scheme> <credentials>` is judged, per version. 1.0 §13.2 fixes the header
 * ("Authorization: {scheme} {credentials}"): a violation. topics-0.3 says the server "MUST authenticate itself to the
 * client's webhook URL according to the scheme(s) specified in PushNotificationConfig.authentication" but fixes no
 * format: its Bearer example sends a token the server obtains (OAuth client credentials), and
 * PushNotificationAuthenticationInfo.credentials is only "optional credentials": an ambiguity (warning).
 */
const AUTH_DEVIATION: Record<ProtocolVersion, { ambiguous?: string }> = {
  '0.3': {
    ambiguous:
      'topics-0.3: the server "MUST authenticate itself to the client\'s webhook URL according to the scheme(s) ' +
      'specified in PushNotificationConfig.authentication", but 0.3 does not say how the credentials are sent: ' +
      "its Bearer example uses a token the server obtains itself (OAuth client credentials), not the config's " +
      '"optional credentials"',
  },
  '1.0': {},
};

export const authorization = suite.check({
  id: 'push.delivery.authorization',
  level: 'MUST',
  title: 'Deliveries carry the configured credentials as Authorization: <scheme> <credentials>',
  requirement:
    "Agents MUST include authentication credentials in webhook requests as specified in the config's " +
    'authentication: Authorization: {scheme} {credentials} (1.0). 0.3: the server MUST authenticate itself to ' +
    'the webhook according to the scheme(s) in PushNotificationConfig.authentication (schemes ["Bearer"] plus ' +
    'credentials: Authorization: Bearer <credentials>).',
  stance:
    'The harness registers authentication {scheme(s): Bearer, credentials} in both versions (on 0.3 on a second ' +
    'webhook of the working task, so the token-only config of push.delivery.token-header stays as it was: ' +
    'servers may send either the token or Authorization). 1.0 §13.2 fixes ' +
    'the header, so a delivery without Authorization: Bearer <credentials> fails. 0.3 states the MUST but no ' +
    'header format (its Bearer example sends a token the server obtains via OAuth, and `credentials` is ' +
    '"optional"): on 0.3 the same deviation warns as ambiguous, never fails. The scheme name is compared ' +
    'case-insensitively (RFC 9110 §11.1).',
  specRefs: {
    '0.3': [{ section: '9.5', req: 'S03-32', note: 'topics/streaming-and-async: authenticating to the webhook' }],
    '1.0': [
      { section: '13.2', req: 'S10-33' },
      { section: '4.3.3', req: 'S10-33' },
    ],
  },
  requires: DELIVERY,
  async run(ctx) {
    const fx = await authDeliveryFixture(ctx);
    const { all } = await someDeliveries(ctx, fx);
    const want = `${WEBHOOK_AUTH_SCHEME} ${fx.endpoint.credentials}`;
    const bad = all.filter((d) => {
      const m = /^(\S+)\s+(.+)$/.exec(d.headers.authorization ?? '');
      return (
        !m || m[1]!.toLowerCase() !== WEBHOOK_AUTH_SCHEME.toLowerCase() || m[2]!.trim() !== fx.endpoint.credentials
      );
    });
    if (bad.length) {
      const msg = `${bad.length} of ${all.length} deliveries lack the configured credentials`;
      const exp = {
        expected: `Authorization: ${want}`,
        actual: bad.slice(0, 5).map((d) => `#${d.seq}: ${d.headers.authorization ?? '(no Authorization header)'}`),
      };
      const rule = AUTH_DEVIATION[ctx.version];
      if (rule.ambiguous !== undefined) ctx.ambiguous(msg, rule.ambiguous, exp);
      else ctx.violated(msg, exp);
    } else
      ctx.note(
        `all ${all.length} deliveries carried Authorization: ${WEBHOOK_AUTH_SCHEME} <the configured credentials>`,
      );
  },
});

export const tokenHeader = suite.check({
  id: 'push.delivery.token-header',
  level: 'SHOULD',
  title: '0.3: deliveries carry the config token in X-A2A-Notification-Token',
  requirement:
    "The server SHOULD include the config's token in the notification request, in the " +
    'X-A2A-Notification-Token header, for the receiver to validate.',
  specRefs: { '0.3': [{ section: '9.5', req: 'S03-32' }] },
  requires: DELIVERY,
  async run(ctx) {
    const fx = await deliveryFixture(ctx);
    const { all } = await someDeliveries(ctx, fx);
    const bad = all.filter((d) => d.headers['x-a2a-notification-token'] !== fx.endpoint.token);
    if (bad.length)
      ctx.violated(`${bad.length} of ${all.length} deliveries lack the config token`, {
        expected: `X-A2A-Notification-Token: ${fx.endpoint.token}`,
        actual: bad.slice(0, 5).map((d) => `#${d.seq}: ${d.headers['x-a2a-notification-token'] ?? '(absent)'}`),
      });
    else ctx.note(`all ${all.length} deliveries carried the token`);
  },
});

const JSON_TYPES = ['application/json', 'application/a2a+json'];

export const contentType = suite.check({
  id: 'push.delivery.content-type',
  level: 'SHOULD',
  title: 'Deliveries are labelled as JSON (application/a2a+json or application/json)',
  requirement:
    'The webhook POST carries its JSON payload with a JSON media type: application/a2a+json (1.0.1 §4.3.3 ' +
    'and §6.6) or application/json (1.0.0 §4.3.3, the 0.3 example).',
  stance:
    'The spec names both media types (§13 C23): either passes and the choice is reported; another +json type ' +
    'warns as ambiguous; a non-JSON type (or none) warns: the text names the types without a keyword, so the ' +
    'check grades them as a SHOULD.',
  specRefs: { '0.3': [{ section: '9.5', req: 'S03-32' }], '1.0': [{ section: '4.3.3', req: 'S10-x13' }] },
  requires: DELIVERY,
  async run(ctx) {
    const fx = await deliveryFixture(ctx);
    const { all } = await someDeliveries(ctx, fx);
    const types = new Set<string>();
    for (const d of all) {
      const ct = (d.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      types.add(ct || '(none)');
      if (JSON_TYPES.includes(ct)) continue;
      if (/^application\/[\w.+-]*\+json$/.test(ct))
        ctx.ambiguous(
          `delivery #${d.seq} is labelled ${ct}`,
          'the spec names application/a2a+json and application/json (§13 C23)',
          { expected: JSON_TYPES.join(' | '), actual: ct },
        );
      else
        ctx.violated(`delivery #${d.seq} is labelled ${ct || '(no content-type)'}`, {
          expected: JSON_TYPES.join(' | '),
          actual: d.headers['content-type'] ?? '(absent)',
        });
    }
    ctx.note(`content types: ${[...types].join(', ')}`);
  },
});
