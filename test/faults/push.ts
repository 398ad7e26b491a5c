/**
 * Faults for the "push" suite. Config CRUD faults rewrite the agent's answers like every other fault. Delivery
 * faults need the agent's webhook POSTs, which do not pass through the fault proxy: the `request` hook rewrites the
 * webhook URL the harness registers so that the agent posts to a relay in this module instead, and the relay applies
 * the fault (drop, rewrite, strip a header) before forwarding to the harness's receiver. The relay is started when the
 * module loads (one for all faults; unref'd, so it never holds the process open); the mode travels in the URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { FaultCase } from '../tools/fault-case.js';
import {
  clone,
  errorCodeOf,
  errorFor,
  isObj,
  isRpcEnvelope,
  relabelError,
  requestInfo,
  responseFor,
  stateName,
  TERMINAL,
  walk,
  type Obj,
  editBody,
  editRequest,
} from './index.js';

export type PushOp = 'create' | 'get' | 'list' | 'delete';

const RPC_PUSH: Record<string, PushOp> = {
  CreateTaskPushNotificationConfig: 'create',
  GetTaskPushNotificationConfig: 'get',
  ListTaskPushNotificationConfigs: 'list',
  DeleteTaskPushNotificationConfig: 'delete',
  'tasks/pushNotificationConfig/set': 'create',
  'tasks/pushNotificationConfig/get': 'get',
  'tasks/pushNotificationConfig/list': 'list',
  'tasks/pushNotificationConfig/delete': 'delete',
};

/** Which push-config operation a request is, and the config id it names (get/delete). */
export function pushOp(ctx: {
  method: string;
  path: string;
  requestJson?: unknown;
}): { op: PushOp; configId?: string } | undefined {
  const body = ctx.requestJson;
  if (isObj(body) && body.jsonrpc === '2.0' && typeof body.method === 'string') {
    const op = RPC_PUSH[body.method];
    if (!op) return undefined;
    const p = isObj(body.params) ? body.params : {};
    const id =
      op === 'get' || op === 'delete'
        ? typeof p.pushNotificationConfigId === 'string'
          ? p.pushNotificationConfigId
          : typeof p.id === 'string' && body.method.startsWith('tasks/')
            ? undefined
            : p.id
        : undefined;
    return { op, ...(typeof id === 'string' ? { configId: id } : {}) };
  }
  const m = /\/tasks\/[^/]+\/pushNotificationConfigs(?:\/([^/?]+))?(?:\?|$)/.exec(ctx.path);
  if (!m) return undefined;
  if (m[1])
    return ctx.method === 'DELETE'
      ? { op: 'delete', configId: decodeURIComponent(m[1]) }
      : { op: 'get', configId: decodeURIComponent(m[1]) };
  return ctx.method === 'POST' ? { op: 'create' } : { op: 'list' };
}

const isError = (body: unknown, status: number) =>
  status >= 400 ||
  (isRpcEnvelope(body) && body.error !== undefined && body.error !== null) ||
  errorCodeOf(body) !== undefined;

// ---------------------------------------------------------------------------------------------------------------
// The webhook relay

export type RelayMode =
  | 'drop-all'
  | 'drop-terminal'
  | 'terminal-only'
  | 'other-task'
  | 'text-plain'
  | 'no-auth'
  | 'no-token'
  | 'lower-case-scheme'
  | 'delay-short';

/**
 * Late modes: the relay answers the agent at once and forwards each delivery later (ms): `delay-short` only late (an
 * outbound queue lagging behind the events); `alsoNow` would forward it at once as well (a retry queue).
 */
const RELAY_LATE_MS: Partial<Record<RelayMode, { ms: number; alsoNow: boolean }>> = {
  'delay-short': { ms: 300, alsoNow: false },
};

async function forwardTo(to: string, headers: Record<string, string>, body: string): Promise<void> {
  try {
    await (await request(to, { method: 'POST', headers, body })).body.dump();
  } catch {
    /* the receiver is gone: nothing to do */
  }
}

async function startRelay(): Promise<string> {
  const server = createServer((req, res) => {
    void relay(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const RELAY = await startRelay();

/** The state a delivery carries (1.0 StreamResponse member or 0.3 Task), neutral name. */
function deliveredState(json: unknown): ReturnType<typeof stateName> {
  if (!isObj(json)) return undefined;
  const inner = isObj(json.statusUpdate) ? json.statusUpdate : isObj(json.task) ? json.task : json;
  return isObj(inner.status) ? stateName(inner.status.state) : undefined;
}

async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', RELAY);
  const mode = url.pathname.split('/').pop() as RelayMode;
  const to = url.searchParams.get('to');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined && !['host', 'content-length', 'connection', 'transfer-encoding'].includes(k))
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  let forward = Boolean(to);
  switch (mode) {
    case 'drop-all':
      forward = false;
      break;
    case 'drop-terminal': {
      const s = deliveredState(json);
      if (s && TERMINAL.has(s)) forward = false;
      break;
    }
    case 'terminal-only': {
      const s = deliveredState(json);
      if (!s || !TERMINAL.has(s)) forward = false;
      break;
    }
    case 'other-task': {
      if (isObj(json)) {
        const members = ['task', 'statusUpdate', 'artifactUpdate', 'message'].filter((k) => isObj(json[k]));
        for (const k of members) {
          const o = json[k] as Obj;
          if (k === 'task') o.id = 'fault-other-task';
          else o.taskId = 'fault-other-task';
        }
        if (members.length === 0 && 'id' in json) json.id = 'fault-other-task';
        if (members.length === 0 && 'taskId' in json) json.taskId = 'fault-other-task';
        body = JSON.stringify(json);
      }
      break;
    }
    case 'text-plain':
      headers['content-type'] = 'text/plain';
      break;
    case 'no-auth':
      delete headers.authorization;
      break;
    case 'no-token':
      delete headers['x-a2a-notification-token'];
      break;
    case 'lower-case-scheme':
      if (headers.authorization)
        headers.authorization = headers.authorization.replace(/^(\S+)/, (m) => m.toLowerCase());
      break;
  }
  const late = RELAY_LATE_MS[mode];
  if (late && to) {
    if (late.alsoNow) await forwardTo(to, headers, body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
    await new Promise((r) => setTimeout(r, late.ms).unref());
    await forwardTo(to, headers, body);
    return;
  }
  if (forward && to) {
    try {
      await (await request(to, { method: 'POST', headers, body })).body.dump();
    } catch {
      /* the receiver is gone: nothing to do */
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{}');
}

/** Point every harness webhook URL (`…/hooks/<id>`) in a request body at the relay, with the mode. */
export function viaRelay(
  mode: RelayMode,
  which: (ctx: { method: string; path: string; requestJson?: unknown }) => boolean,
) {
  return editBody((json, req) => {
    if (!which({ method: req.method, path: req.path, requestJson: json })) return false;
    walk(json, (o) => {
      if (typeof o.url === 'string' && o.url.includes('/hooks/') && !o.url.startsWith(RELAY))
        o.url = `${RELAY}/relay/${mode}?to=${encodeURIComponent(o.url)}`;
    });
    return true;
  });
}

export const isCreate = (ctx: { method: string; path: string; requestJson?: unknown }) => pushOp(ctx)?.op === 'create';

/** The push config object(s) of a create/get/list answer (JSON-RPC result or REST body). */
function configsIn(body: unknown): Obj[] {
  const out: Obj[] = [];
  walk(isRpcEnvelope(body) ? body.result : body, (o) => {
    if (typeof o.url === 'string' || isObj(o.pushNotificationConfig)) out.push(o);
  });
  return out;
}

/** Config ids deleted once (for the repeated-delete fault). */
const deletedOnce = new Set<string>();

export const FAULTS: FaultCase[] = [
  {
    name: 'push-create-no-id',
    description: 'The created push config comes back without an id.',
    agent: 'v1',
    kills: ['push.config.create'],
    grep: ['push.config.create'],
    json: (body, ctx) => {
      if (pushOp(ctx)?.op !== 'create' || isError(body, ctx.status)) return undefined;
      for (const c of configsIn(body)) {
        delete c.id;
        if (typeof c.name === 'string') c.name = c.name.replace(/\/pushNotificationConfigs\/.*$/, '');
      }
      return body;
    },
  },
  {
    name: 'push-get-other-url',
    description: 'Getting a push config by id returns a config with another webhook URL.',
    agent: 'v1',
    kills: ['push.config.get'],
    grep: ['push.config.get'],
    json: (body, ctx) => {
      if (pushOp(ctx)?.op !== 'get' || isError(body, ctx.status)) return undefined;
      walk(body, (o) => {
        if (typeof o.url === 'string') o.url = 'https://fault.invalid/other-webhook';
      });
      return body;
    },
  },
  {
    name: 'push-list-empty',
    description: 'Listing push configs answers an empty list although the task has one.',
    agent: 'v1',
    kills: ['push.config.list'],
    grep: ['push.config.list'],
    json: (body, ctx) => {
      if (pushOp(ctx)?.op !== 'list' || isError(body, ctx.status)) return undefined;
      const out = clone(body) as unknown;
      if (isRpcEnvelope(out))
        out.result = Array.isArray(out.result) ? [] : { ...(isObj(out.result) ? out.result : {}), configs: [] };
      else if (isObj(out)) out.configs = [];
      else return [];
      return out;
    },
  },
  {
    name: 'push-delete-noop',
    description:
      'Deleting a push config answers success but keeps the config (the first delete of each config is not forwarded).',
    agent: 'v1',
    kills: ['push.config.delete'],
    grep: ['push.config.delete'],
    intercept: (ctx) => {
      const p = pushOp(ctx);
      if (p?.op !== 'delete' || !p.configId || deletedOnce.has(`noop:${p.configId}`)) return undefined;
      deletedOnce.add(`noop:${p.configId}`);
      const info = requestInfo(ctx);
      const headers: Record<string, string> = info.binding === 'jsonrpc' ? { 'content-type': 'application/json' } : {};
      return info.binding === 'jsonrpc'
        ? { status: 200, headers, body: JSON.stringify(responseFor(info, null)) }
        : { status: 204, headers, body: '' };
    },
  },
  {
    name: 'push-delete-noop-list-broken',
    description:
      'Deleting a push config answers success but keeps the config, and listing configs fails (InternalError): ' +
      'only a Get of the deleted config can show that nothing was removed.',
    agent: 'v1',
    kills: ['push.config.delete'],
    grep: ['push.config.delete'],
    intercept: (ctx) => {
      const p = pushOp(ctx);
      if (p?.op === 'list') return errorFor(requestInfo(ctx), -32603, 'fault: listing is broken', 500);
      if (p?.op !== 'delete' || !p.configId || deletedOnce.has(`noop2:${p.configId}`)) return undefined;
      deletedOnce.add(`noop2:${p.configId}`);
      const info = requestInfo(ctx);
      const headers: Record<string, string> = info.binding === 'jsonrpc' ? { 'content-type': 'application/json' } : {};
      return info.binding === 'jsonrpc'
        ? { status: 200, headers, body: JSON.stringify(responseFor(info, null)) }
        : { status: 204, headers, body: '' };
    },
  },
  {
    name: 'push-delete-not-idempotent',
    description: 'A second delete of the same push config fails with InternalError (-32603 / HTTP 500).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['push.config.delete-idempotent'],
    grep: ['push.config.delete-idempotent'],
    intercept: (ctx) => {
      const p = pushOp(ctx);
      if (p?.op !== 'delete' || !p.configId) return undefined;
      const key = `twice:${p.configId}`;
      if (!deletedOnce.has(key)) {
        deletedOnce.add(key);
        return undefined;
      }
      return errorFor(requestInfo(ctx), -32603, 'fault: the config is already deleted', 500);
    },
  },
  {
    name: 'push-get-missing-wrong-error',
    description:
      'Getting a missing (or deleted) push config fails with InvalidParams (-32602 / HTTP 400) instead of ' +
      'TaskNotFound.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['push.config.get-missing'],
    grep: ['push.config.get-missing'],
    status: (s, ctx) => (pushOp(ctx)?.op === 'get' && s === 404 ? 400 : s),
    json: (body, ctx) =>
      pushOp(ctx)?.op === 'get' && errorCodeOf(body) === -32001
        ? relabelError(body, -32602, 'Invalid params')
        : undefined,
  },
  {
    name: 'push-create-unknown-task-wrong-error',
    description:
      'Creating a push config for an unknown task fails with InvalidParams (-32602 / HTTP 400) instead of ' +
      'TaskNotFound.',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['push.config.unknown-task'],
    grep: ['push.config.unknown-task'],
    status: (s, ctx) => (pushOp(ctx)?.op === 'create' && s === 404 ? 400 : s),
    json: (body, ctx) =>
      pushOp(ctx)?.op === 'create' && errorCodeOf(body) === -32001
        ? relabelError(body, -32602, 'Invalid params')
        : undefined,
  },
  {
    name: 'push-03-delete-unknown-task-succeeds',
    description:
      '0.3: deleting a push config of a task that does not exist answers success (null / HTTP 200) instead of ' +
      'TaskNotFound.',
    agent: 'v1',
    protocols: ['0.3'],
    kills: ['push.config.unknown-task-0-3'],
    grep: ['push.config.unknown-task-0-3'],
    status: (s, ctx) => (pushOp(ctx)?.op === 'delete' && s === 404 ? 200 : s),
    json: (body, ctx) => {
      if (pushOp(ctx)?.op !== 'delete' || (errorCodeOf(body) !== -32001 && ctx.status !== 404)) return undefined;
      return isRpcEnvelope(body) ? responseFor(requestInfo(ctx), null) : {};
    },
  },
  {
    name: 'push-inline-config-ignored',
    description:
      'A push config given inline on send is dropped before the agent sees it (the agent ignores inline configs).',
    agent: 'v1',
    kills: ['push.send.inline-config'],
    grep: ['push.send.inline-config'],
    request: editRequest(['send', 'stream'], (params) => {
      const cfg = params.configuration;
      if (!isObj(cfg)) return;
      delete cfg.pushNotificationConfig;
      delete cfg.taskPushNotificationConfig;
      delete cfg.pushNotification;
    }),
  },
  {
    name: 'push-delivery-none',
    description: 'The agent accepts the push config but never POSTs to the webhook.',
    agent: 'v1',
    kills: ['push.delivery.received'],
    grep: ['push.delivery.received'],
    request: viaRelay('drop-all', isCreate),
  },
  {
    name: 'push-delivery-no-terminal',
    description: 'Every delivery arrives except the one carrying the terminal state.',
    agent: 'v1',
    kills: ['push.delivery.terminal'],
    grep: ['push.delivery.terminal'],
    request: viaRelay('drop-terminal', isCreate),
  },
  {
    name: 'push-delivery-other-task',
    description: 'Deliveries name another task than the one the config was registered for.',
    agent: 'v1',
    kills: ['push.delivery.payload'],
    grep: ['push.delivery.payload'],
    request: viaRelay('other-task', isCreate),
  },
  {
    name: 'push-delivery-no-authorization',
    description:
      'Deliveries arrive without the Authorization header the config asked for (1.0: a failure; 0.3: a warning, ' +
      'the header format is not fixed).',
    agent: 'v1',
    kills: ['push.delivery.authorization'],
    grep: ['push.delivery.authorization'],
    request: viaRelay('no-auth', isCreate),
  },
  {
    name: 'push-delivery-no-token',
    description: '0.3: deliveries arrive without X-A2A-Notification-Token.',
    agent: 'v1',
    protocols: ['0.3'],
    kills: ['push.delivery.token-header'],
    grep: ['push.delivery.token-header'],
    request: viaRelay('no-token', isCreate),
  },
  {
    name: 'push-delivery-text-plain',
    description: 'Deliveries carry their JSON with Content-Type: text/plain.',
    agent: 'v1',
    kills: ['push.delivery.content-type'],
    grep: ['push.delivery.content-type'],
    request: viaRelay('text-plain', isCreate),
  },
  withBaseline({
    name: 'push-ssrf-private-url-accepted',
    description:
      'A push config whose webhook URL is a link-local (169.254.169.254) or private (10.0.0.1) address is ' +
      'accepted: what the reference SDK does (baseline: an agent that refuses private and link-local webhook ' +
      'URLs with InvalidParams).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: ['push.config.ssrf-rejected'],
    grep: ['push.config.ssrf-rejected'],
    baseline: ssrfPolicyEmulation(),
  }),
  withBaseline({
    name: 'push-ssrf-private-url-accepted-0-3',
    description:
      '0.3: a push config whose webhook URL is a link-local or private address is accepted when set, what the ' +
      'reference SDK does (baseline: an agent that refuses them, create-time allowlisting). Reported as info: 0.3 ' +
      'also allows ownership verification or egress controls.',
    agent: 'v1',
    protocols: ['0.3'],
    kills: ['push.config.ssrf-rejected-0-3'],
    grep: ['push.config.ssrf-rejected-0-3'],
    baseline: ssrfPolicyEmulation(),
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// (additive) SSRF policy: the reference SDK accepts every webhook URL, so the baseline emulates one that does not.

/** A fault with a conformant baseline emulation (the kill matrix's MatrixFault), typed for this FaultCase[] list. */
function withBaseline(f: FaultCase & { baseline: import('../tools/fault-proxy.js').Fault }): FaultCase {
  return f;
}

/**
 * Private (10/8, 172.16/12, 192.168/16) or link-local (169.254/16) IPv4 hosts; loopback stays allowed (the harness's
 * own receiver).
 */
function isPrivateOrLinkLocal(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/**
 * Conformant SSRF policy (§13.2): creating a config for a private or link-local webhook URL fails with InvalidParams.
 */
function ssrfPolicyEmulation(): import('../tools/fault-proxy.js').Fault {
  return {
    name: 'emulation: SSRF policy for webhook URLs',
    description: 'refuses push configs for private and link-local webhook URLs (InvalidParams)',
    intercept: (ctx) => {
      if (pushOp(ctx)?.op !== 'create') return undefined;
      let refused = false;
      walk(ctx.requestJson, (o) => {
        if (typeof o.url === 'string' && isPrivateOrLinkLocal(o.url)) refused = true;
      });
      return refused
        ? errorFor(
            requestInfo(ctx),
            -32602,
            'Invalid params: the webhook URL targets a private or link-local address',
            400,
          )
        : undefined;
    },
  };
}
