/**
 * Push-suite building blocks: the config the harness registers (per version), registration with the SSRF fallback
 * probe, the shared fixtures (a config on a parked task for CRUD, a config on a working task for deliveries), and how a
 * delivery is read (version-aware: 1.0 StreamResponse, 0.3 non-normative, usually the Task).
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/checks/types.js';
import { isTerminal, type ProtocolVersion, type TaskState } from '../../src/core/types.js';
import { decodePushConfig, decodeStreamItem, isInvalid, type Dialect } from '../../src/protocol/adapters/decode.js';
import { errorFromRest } from '../../src/protocol/errors.js';
import type { Reply } from '../../src/protocol/client.js';
import type { A2AError, PushConfig, StreamItem, Task } from '../../src/protocol/model.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../src/webhook/receiver.js';
import { describeError } from '../lib/expect-error.js';
import { inputRequiredTask, workingTask } from '../lib/tasks.js';

/**
 * A public-looking URL that can never resolve (RFC 2606 `.invalid`): registered when the agent refused the
 * harness's own (loopback) receiver URL, to tell an SSRF policy (§13.2) from a broken create operation.
 */
export const UNROUTABLE_WEBHOOK = 'https://push-receiver.a2a-conformance.invalid/hooks';

/** The authentication scheme the harness asks agents to use towards its webhook (both versions). */
export const WEBHOOK_AUTH_SCHEME = 'Bearer';

/**
 * What the registered config carries besides url and token, per version: 0.3 configs carry the client's own id (0.3
 * §6.8 `id` is client-chosen; 1.0 §3.1.7 returns it "with assigned ID"). `authInMain`: whether the config every
 * delivery check shares asks for Authorization. On 0.3 it does not: topics-0.3 asks for the token header (SHOULD),
 * and servers may send either the token or Authorization (@a2a-js/sdk 1.x sends only Authorization when both are
 * given), so push.delivery.authorization registers a second config with authentication on the same working task
 * (authDeliveryFixture) and push.delivery.token-header keeps a token-only config.
 */
const CONFIG_SHAPE: Record<ProtocolVersion, { ownId: boolean; authInMain: boolean }> = {
  '0.3': { ownId: true, authInMain: false },
  '1.0': { ownId: false, authInMain: true },
};

/**
 * The config the harness registers: a token (0.3: sent back in X-A2A-Notification-Token) and, when `withAuth`,
 * authentication asking for `Bearer <credentials>` (the adapters spell it per version: 0.3 `schemes: ["Bearer"]`,
 * 1.0 `scheme: "Bearer"`); on 0.3 also our own config id.
 */
export function pushConfigFor(
  ctx: CheckContext,
  endpoint: Pick<WebhookEndpoint, 'url' | 'token' | 'credentials'>,
  url = endpoint.url,
  withAuth = CONFIG_SHAPE[ctx.version].authInMain,
): PushConfig {
  return {
    ...(CONFIG_SHAPE[ctx.version].ownId ? { id: `conformance-${randomUUID().slice(0, 8)}` } : {}),
    url,
    token: endpoint.token,
    ...(withAuth ? { authentication: { scheme: WEBHOOK_AUTH_SCHEME, credentials: endpoint.credentials } } : {}),
  };
}

export const isPost = (d: WebhookDelivery): boolean => d.method === 'POST';

/** Whether a URL points at this machine or a private network (what SSRF policies refuse). */
export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0') return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return (
      a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    );
  }
  return /^f[cd]/.test(host) || host.startsWith('fe80:');
}

export interface Registration {
  /** The config as sent and the agent's reply for the harness's own receiver URL. */
  sent: PushConfig;
  reply: Reply<PushConfig>;
  /**
   * 0.3 REST only: the proto-0.3 body (the config itself, `body: "config"`) was refused with this error and the
   * `{config: …}` body of the 0.3 spec prose (§7.5) accepted (§13 C20). `reply` is then that second answer.
   */
  wrapped?: A2AError;
  /**
   * Set when the receiver URL was refused but the same config with a public unroutable URL was accepted: an SSRF
   * policy. `fallback` is then that second registration (usable for CRUD, never delivers).
   */
  ssrf?: { refused: A2AError; fallback: { sent: PushConfig; reply: Reply<PushConfig> } };
}

const is03Rest = (ctx: CheckContext) => ctx.version === '0.3' && ctx.binding === 'rest';

/** 0.3 REST create with the `{config: TaskPushNotificationConfig}` body the 0.3 spec prose shows (§7.5). */
async function createWrapped03(
  ctx: CheckContext,
  taskId: string,
  c: PushConfig,
  label: string,
): Promise<Reply<PushConfig>> {
  const auth = c.authentication
    ? Object.fromEntries(
        Object.entries({ schemes: [c.authentication.scheme], credentials: c.authentication.credentials }).filter(
          ([, v]) => v !== undefined,
        ),
      )
    : undefined;
  const inner = Object.fromEntries(
    Object.entries({ id: c.id, url: c.url, token: c.token, authentication: auth }).filter(([, v]) => v !== undefined),
  );
  const name = `tasks/${taskId}/pushNotificationConfigs/${c.id ?? ''}`;
  const res = await ctx.client.raw({
    method: 'POST',
    path: `/v1/tasks/${encodeURIComponent(taskId)}/pushNotificationConfigs`,
    body: {
      parent: `tasks/${taskId}`,
      ...(c.id ? { configId: c.id } : {}),
      config: { name, pushNotificationConfig: inner },
    },
    label: `${label} (0.3 spec-prose body {config: …})`,
  });
  if (res.status >= 200 && res.status < 300) {
    const v = decodePushConfig(res.json);
    if (!isInvalid(v)) return { ok: true, value: v, wire: res.json, exchange: res.exchange, schemaErrors: [] };
    return {
      ok: false,
      error: {
        name: 'Unknown',
        identifiedBy: 'none',
        httpStatus: res.status,
        message: `response is not a push config: ${v.invalid}`,
        raw: res.json,
      },
      exchange: res.exchange,
      schemaErrors: [],
      wire: res.json,
    };
  }
  return {
    ok: false,
    error: errorFromRest(res.json, res.status, res.text),
    exchange: res.exchange,
    schemaErrors: [],
    ...(res.json !== undefined ? { wire: res.json } : {}),
  };
}

/** Create, and on 0.3 REST retry a refused bare body in the spec-prose form. */
export async function createOnce(
  ctx: CheckContext,
  taskId: string,
  c: PushConfig,
  label: string,
): Promise<{ reply: Reply<PushConfig>; wrapped?: A2AError }> {
  const reply = await ctx.client.createPushConfig(taskId, c, { label });
  if (
    reply.ok ||
    !is03Rest(ctx) ||
    reply.error.name === 'PushNotificationNotSupported' ||
    reply.error.name === 'TaskNotFound'
  )
    return { reply };
  const second = await createWrapped03(ctx, taskId, c, label);
  return second.ok ? { reply: second, wrapped: reply.error } : { reply };
}

/**
 * Register a config for the endpoint. On 0.3 REST a refused proto-0.3 body is retried in the spec-prose form; if a
 * private receiver URL is refused, the same config with a public unroutable URL tells an SSRF policy apart.
 */
export async function registerConfig(
  ctx: CheckContext,
  taskId: string,
  endpoint: WebhookEndpoint,
  label = 'create push config',
  withAuth?: boolean,
): Promise<Registration> {
  const sent = pushConfigFor(ctx, endpoint, endpoint.url, withAuth);
  const first = await createOnce(ctx, taskId, sent, label);
  const reply = first.reply;
  if (reply.ok || !isPrivateUrl(endpoint.url))
    return { sent, reply, ...(first.wrapped ? { wrapped: first.wrapped } : {}) };
  if (reply.error.name === 'PushNotificationNotSupported' || reply.error.name === 'TaskNotFound')
    return { sent, reply };
  const probe = pushConfigFor(ctx, endpoint, `${UNROUTABLE_WEBHOOK}/${endpoint.id}`, withAuth);
  const second = await createOnce(ctx, taskId, probe, `${label} (public URL probe: was the loopback webhook refused?)`);
  return second.reply.ok
    ? {
        sent,
        reply,
        ...(second.wrapped ? { wrapped: second.wrapped } : {}),
        ssrf: { refused: reply.error, fallback: { sent: probe, reply: second.reply } },
      }
    : { sent, reply };
}

/** The config id the agent answered, or the one the harness sent (0.3 carries our own). */
export const configIdOf = (r: Registration): string | undefined =>
  (r.reply.ok ? r.reply.value.id : undefined) ?? r.sent.id;

/** A fresh working (`slow`) task holding two push configs, one per receiver endpoint (each POST is attributable). */
export interface TwoWebhookTask {
  task: Task;
  endpoints: [WebhookEndpoint, WebhookEndpoint];
  regs: [Registration, Registration];
}

/**
 * Registers two webhooks on one working task. Untestable when the agent refuses either config or answers the same id
 * for both (the second replaced the first): the spec lets a task hold several configs but does not oblige it to.
 */
export async function twoWebhookTask(ctx: CheckContext, labels: [string, string]): Promise<TwoWebhookTask> {
  const endpoints: [WebhookEndpoint, WebhookEndpoint] = [
    await ctx.webhook.endpoint(labels[0]),
    await ctx.webhook.endpoint(labels[1]),
  ];
  const task = await workingTask(ctx);
  const first = await registerConfig(ctx, task.id, endpoints[0], 'register the first webhook for the working task');
  if (!first.reply.ok) return ctx.untestable(refusedMessage(endpoints[0], first));
  const second = await registerConfig(ctx, task.id, endpoints[1], 'register a second webhook on the same task');
  if (!second.reply.ok)
    return ctx.untestable(
      `the agent refused a second push config on the task (${describeError(second.reply.error)}): it holds ` +
        'one config per task, which the spec does not forbid',
    );
  const [id1, id2] = [configIdOf(first), configIdOf(second)];
  if (id1 !== undefined && id1 === id2)
    return ctx.untestable(
      `both creates answered config id ${id1}: the second config replaced the first (one config per task)`,
    );
  return { task, endpoints, regs: [first, second] };
}

/** Why deliveries cannot be observed when the receiver URL was refused. */
export function refusedMessage(endpoint: WebhookEndpoint, reg: Registration): string {
  const err = reg.reply.ok ? '' : describeError(reg.reply.error);
  if (reg.ssrf) {
    return (
      `the agent refused the harness's webhook URL ${endpoint.url} (${err}) but accepted a public one: an SSRF ` +
      `policy against loopback/private webhooks (§13.2, §13 C24). Set \`webhook.publicUrl\` in targets.yaml to ` +
      `an address the agent may call.`
    );
  }
  return (
    `registering a push config for the harness's webhook failed (${err}), so no delivery can be observed; ` +
    `see push.config.create` +
    `${isPrivateUrl(endpoint.url) ? ' (if the agent refuses loopback webhook URLs, set `webhook.publicUrl`)' : ''}`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

export interface CrudFixture {
  task: Task;
  endpoint: WebhookEndpoint;
  reg: Registration;
  /** The registration CRUD checks work with (the SSRF fallback when the receiver URL was refused). */
  sent: PushConfig;
  created: Reply<PushConfig>;
}

/** A config on a task parked in input-required (it persists: the task neither ends nor emits events). Per cell. */
export function crudFixture(ctx: CheckContext): Promise<CrudFixture> {
  return ctx.fixture('push-crud', async (f) => {
    const task = await inputRequiredTask(f);
    const endpoint = await f.webhook.endpoint('push config CRUD');
    const reg = await registerConfig(f, task.id, endpoint);
    const use = reg.ssrf?.fallback ?? reg;
    return { task, endpoint, reg, sent: use.sent, created: use.reply };
  });
}

/** The created config of the CRUD fixture, or untestable (push.config.create reports why). */
export async function createdConfig(ctx: CheckContext): Promise<CrudFixture & { id: string; config: PushConfig }> {
  const fx = await crudFixture(ctx);
  if (!fx.created.ok)
    return ctx.untestable(
      `creating the push config failed (${describeError(fx.created.error)}); see push.config.create`,
    );
  if (!fx.created.value.id) return ctx.untestable('the created push config carries no id; see push.config.create');
  return { ...fx, id: fx.created.value.id, config: fx.created.value };
}

export interface DeliveryFixture {
  endpoint: WebhookEndpoint;
  task: Task;
  sent: PushConfig;
  /** performance.now() when the agent accepted the config. */
  registeredAt: number;
  /**
   * 0.3 (CONFIG_SHAPE authInMain false): the second webhook, asking for Bearer authentication, registered on the same
   * task right after the first (so it sees the same updates), or why its registration failed.
   */
  auth?: Omit<DeliveryFixture, 'auth'> | { refused: string };
}

/**
 * The harness's webhook registered on a working (`slow`) task: its remaining updates are delivered. Per cell. On 0.3 a
 * second webhook with authentication is registered on the task at once (authDeliveryFixture).
 */
export function deliveryFixture(ctx: CheckContext): Promise<DeliveryFixture> {
  return ctx.fixture('push-delivery', async (f) => {
    const endpoint = await f.webhook.endpoint('push delivery');
    const authEndpoint = CONFIG_SHAPE[f.version].authInMain
      ? undefined
      : await f.webhook.endpoint('push delivery with authentication');
    const task = await workingTask(f);
    const reg = await registerConfig(f, task.id, endpoint, 'register the harness webhook for the working task');
    if (!reg.reply.ok) return f.untestable(refusedMessage(endpoint, reg));
    const registeredAt = performance.now();
    if (!authEndpoint) return { endpoint, task, sent: reg.sent, registeredAt };
    const second = await registerConfig(
      f,
      task.id,
      authEndpoint,
      'register a second webhook for the working task, asking for Bearer authentication',
      true,
    );
    const auth = second.reply.ok
      ? { endpoint: authEndpoint, task, sent: second.sent, registeredAt: performance.now() }
      : { refused: refusedMessage(authEndpoint, second) };
    return { endpoint, task, sent: reg.sent, registeredAt, auth };
  });
}

/**
 * The delivery fixture whose config asks for `Authorization: Bearer <credentials>`: on 1.0 the shared one; on 0.3 the
 * second webhook of the same working task (CONFIG_SHAPE), or untestable when it was refused.
 */
export async function authDeliveryFixture(ctx: CheckContext): Promise<Omit<DeliveryFixture, 'auth'>> {
  const fx = await deliveryFixture(ctx);
  if (CONFIG_SHAPE[ctx.version].authInMain || !fx.auth) return fx;
  if ('refused' in fx.auth) return ctx.untestable(fx.auth.refused);
  return fx.auth;
}

/** How long a check waits for deliveries: bounded by the check's remaining time (15 s at most). */
export function deliveryWindowMs(ctx: CheckContext): number {
  return Math.max(0, Math.min(15_000, ctx.remainingMs() - 1500));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading deliveries

export interface DeliveryView {
  d: WebhookDelivery;
  item?: StreamItem;
  taskId?: string;
  state?: TaskState;
  wireState?: string;
}

/** The delivery's payload decoded leniently (1.0: StreamResponse; 0.3: usually a Task, `kind` or ProtoJSON). */
export function readDelivery(d: WebhookDelivery, version: CheckContext['version']): DeliveryView {
  if (d.json === undefined) return { d };
  const dialect: Dialect =
    version === '1.0'
      ? 'proto-1.0'
      : typeof d.json === 'object' && d.json !== null && 'kind' in d.json
        ? 'jsonrpc-0.3'
        : 'proto-0.3';
  const item = decodeStreamItem(d.json, dialect);
  switch (item.kind) {
    case 'task':
      return { d, item, taskId: item.task.id, state: item.task.status.state, wireState: item.task.status.wireState };
    case 'status-update':
      return {
        d,
        item,
        taskId: item.update.taskId,
        state: item.update.status.state,
        wireState: item.update.status.wireState,
      };
    case 'artifact-update':
      return { d, item, taskId: item.update.taskId };
    case 'message':
      return { d, item, taskId: item.message.taskId };
    default:
      return { d, item };
  }
}

export const isTerminalDelivery =
  (version: CheckContext['version']) =>
  (d: WebhookDelivery): boolean =>
    isPost(d) && isTerminal(readDelivery(d, version).state);

/**
 * Wait until the terminal state was delivered (or the window closed) and return every POST so far: checks that judge
 * each delivery see the whole sequence. `terminal` is undefined when it never came.
 */
export async function settledDeliveries(
  ctx: CheckContext,
  fx: DeliveryFixture,
): Promise<{ all: WebhookDelivery[]; terminal?: WebhookDelivery }> {
  const terminal = await fx.endpoint.waitFor(isTerminalDelivery(ctx.version), {
    timeoutMs: deliveryWindowMs(ctx),
    signal: ctx.signal,
  });
  return { all: fx.endpoint.deliveries().filter(isPost), terminal };
}

/** Deliveries of the fixture, or untestable when none arrived (push.delivery.received judges that). */
export async function someDeliveries(
  ctx: CheckContext,
  fx: DeliveryFixture,
): Promise<{ all: WebhookDelivery[]; terminal?: WebhookDelivery }> {
  const r = await settledDeliveries(ctx, fx);
  if (r.all.length === 0) return ctx.untestable('no webhook delivery arrived; see push.delivery.received');
  return r;
}

export function summarize(d: WebhookDelivery): string {
  return (
    `#${d.seq} ${d.headers['content-type'] ?? '(no content-type)'} ` +
    `${d.body.slice(0, 160)}${d.body.length > 160 ? '…' : ''}`
  );
}
