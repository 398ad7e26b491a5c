/**
 * Faults and benign variants for push.delivery.each-webhook (two webhooks on one task). They reuse the webhook relay
 * of push.ts: the second and later configs created for a task are pointed at the relay, which drops (or thins out)
 * what the agent posts to them, while the first config of every task keeps its direct route to the receiver. The
 * push.delivery.stops-after-delete fault and variant route every config through a relay mode that posts late.
 */
import type { FaultCase } from '../tools/fault-case.js';
import { errorFor, isObj, requestInfo, responseFor } from './index.js';
import { isCreate, pushOp, type RelayMode, viaRelay } from './push.js';

type Req = { method: string; path: string; requestJson?: unknown };

/** The task a create-push-config request is for: the REST path, or JSON-RPC `params.taskId`. */
function createTaskId(ctx: Req): string | undefined {
  const m = /\/tasks\/([^/]+)\/pushNotificationConfigs(?:\?|$)/.exec(ctx.path);
  if (m) return decodeURIComponent(m[1]!);
  const body = ctx.requestJson;
  const params = isObj(body) && isObj(body.params) ? body.params : undefined;
  return typeof params?.taskId === 'string' ? params.taskId : undefined;
}

/**
 * A predicate true for every create after the first on the same task (per fault: each gets its own memory, and task
 * ids are unique, so cells never collide).
 */
function laterConfigOfTask(): (ctx: Req) => boolean {
  const seen = new Set<string>();
  return (ctx) => {
    if (pushOp(ctx)?.op !== 'create') return false;
    const taskId = createTaskId(ctx);
    if (taskId === undefined) return false;
    if (seen.has(taskId)) return true;
    seen.add(taskId);
    return false;
  };
}

const onLaterConfigs = (mode: RelayMode) => viaRelay(mode, laterConfigOfTask());

const GREP = ['push.delivery.each-webhook'];
const AFTER_DELETE = ['push.delivery.stops-after-delete'];

export const FAULTS: FaultCase[] = [
  {
    name: 'push-delivery-first-webhook-only',
    description:
      'With two push configs on one task, the agent posts only to the first webhook: the second never receives ' +
      'anything.',
    agent: 'v1',
    kills: ['push.delivery.each-webhook'],
    grep: GREP,
    request: onLaterConfigs('drop-all'),
  },
  {
    name: 'benign-push-second-webhook-terminal-only',
    benign: true,
    description:
      'The second webhook of a task receives only the terminal state (the server decides which updates to send; ' +
      'one attempt per webhook is what §4.3.3 requires).',
    agent: 'v1',
    kills: [],
    grep: GREP,
    request: onLaterConfigs('terminal-only'),
  },
  {
    name: 'benign-push-one-config-per-task',
    benign: true,
    description:
      'The agent keeps one push config per task: a second create on the same task is refused with InvalidParams ' +
      '(the spec lets a task hold several configs but does not require it).',
    agent: 'v1',
    kills: [],
    grep: GREP,
    intercept: (() => {
      const later = laterConfigOfTask();
      return (ctx) =>
        later(ctx)
          ? errorFor(requestInfo(ctx), -32602, 'Invalid params: this task already has a push config', 400)
          : undefined;
    })(),
  },
  {
    name: 'push-delivery-outlives-delete',
    description:
      'Deleting a push config answers success but the agent keeps the config (the delete is not forwarded): the ' +
      "task's later updates, its terminal state included, still reach the webhook.",
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['jsonrpc', 'rest'],
    kills: ['push.delivery.stops-after-delete'],
    grep: AFTER_DELETE,
    intercept: (ctx) => {
      if (pushOp(ctx)?.op !== 'delete') return undefined;
      const info = requestInfo(ctx);
      return info.binding === 'jsonrpc'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(responseFor(info, null)),
          }
        : { status: 204, body: '' };
    },
  },
  {
    name: 'benign-push-delivery-lags-300ms',
    benign: true,
    description:
      'Each webhook delivery lands 300 ms after its event: one may still arrive just after a delete was answered ' +
      '(in flight: not the terminal state, which comes after the delete).',
    agent: 'v1',
    protocols: ['1.0'],
    kills: [],
    grep: AFTER_DELETE,
    request: viaRelay('delay-short', isCreate),
  },
];
