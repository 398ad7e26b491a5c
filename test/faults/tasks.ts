/**
 * Faults for the "tasks" suite: GetTask, CancelTask, ListTasks (1.0) and multi-turn follow-ups. Query-handling faults
 * rewrite the request the agent sees (a server that ignores a parameter behaves as if it had not been sent); answer
 * faults rewrite the response in its own dialect.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import {
  dialectOf,
  errorCodeOf,
  errorFor,
  isObj,
  isRpcEnvelope,
  itemIn,
  payloadOf,
  relabelError,
  requestInfo,
  requestMessage,
  responseFor,
  restStatus,
  spellState,
  stateName,
  taskObject,
  TERMINAL,
  type Obj,
  type Op,
  editRequest,
} from './index.js';

/** A successful answer (not an error) to one operation. */
const success = (op: Op) => (body: unknown, ctx: FaultContext) =>
  requestInfo(ctx).op === op &&
  ctx.status < 300 &&
  !(isRpcEnvelope(body) && body.error !== undefined) &&
  errorCodeOf(body) === undefined;

/** The Task of a GetTask/CancelTask answer (bare Task) or of a send result. */
const taskOf = (body: unknown): Obj | undefined => {
  const it = itemIn(body);
  return it?.kind === 'task' ? it.obj : undefined;
};

const historyLengthOf = (params: Obj, query: URLSearchParams): number | undefined =>
  typeof params.historyLength === 'number'
    ? params.historyLength
    : query.has('historyLength')
      ? Number(query.get('historyLength'))
      : undefined;

function dropHistoryLength(when: (n: number) => boolean) {
  return editRequest('get', (params, query) => {
    const n = historyLengthOf(params, query);
    if (n === undefined || !when(n)) return;
    delete params.historyLength;
    query.delete('historyLength');
  });
}

/** Task ids canceled once (for the repeated-cancel fault). */
const canceledOnce = new Set<string>();

export const FAULTS: FaultCase[] = [
  {
    name: 'tasks-get-returns-other-task',
    description: 'GetTask answers with a task whose id is not the one asked for.',
    agent: 'v1',
    kills: ['tasks.get.returns-task'],
    grep: ['tasks.get.returns-task'],
    json: (body, ctx) => {
      const t = success('get')(body, ctx) ? taskOf(body) : undefined;
      if (!t) return undefined;
      t.id = `${String(t.id)}-other`;
      return body;
    },
  },
  {
    name: 'tasks-get-unknown-wrong-error',
    description: 'GetTask of an unknown id fails with InternalError (-32603 / HTTP 500) instead of TaskNotFound.',
    agent: 'v1',
    kills: ['tasks.get.unknown'],
    grep: ['tasks.get.unknown'],
    status: restStatus('get', (s) => s === 404, 500),
    json: (body, ctx) =>
      requestInfo(ctx).op === 'get' && errorCodeOf(body) === -32001
        ? relabelError(body, -32603, 'Internal error')
        : undefined,
  },
  {
    name: 'tasks-get-ignores-history-length',
    description: 'GetTask ignores historyLength > 0 and returns the whole history.',
    agent: 'v1',
    kills: ['tasks.get.history-length'],
    grep: ['tasks.get.history-length'],
    request: dropHistoryLength((n) => n > 0),
  },
  {
    name: 'v10-history-length-zero-returns-history',
    description: 'GetTask with historyLength 0 returns the history anyway (1.0: 0 means none).',
    agent: 'v1',
    kills: ['tasks.get.history-length-zero'],
    grep: ['tasks.get.history-length-zero'],
    protocols: ['1.0'],
    request: dropHistoryLength((n) => n === 0),
  },
  {
    name: 'v10-history-length-zero-empty-array',
    description: 'GetTask with historyLength 0 returns `history: []` instead of omitting the field (SHOULD).',
    agent: 'v1',
    kills: ['tasks.get.history-length-zero'],
    grep: ['tasks.get.history-length-zero'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const info = requestInfo(ctx);
      const n = historyLengthOf(info.params, info.query);
      const t = success('get')(body, ctx) && n === 0 ? taskOf(body) : undefined;
      if (!t) return undefined;
      t.history = [];
      return body;
    },
  },
  {
    name: 'v03-get-reports-other-context-id',
    description:
      '0.3 tasks/get reports another contextId for a task than message/send returned for it (seen on a real ' +
      '0.3 server).',
    agent: 'v1',
    protocols: ['0.3'],
    kills: ['tasks.consistency.cross-operation'],
    grep: ['tasks.consistency.cross-operation'],
    json: (body, ctx) => {
      const t = success('get')(body, ctx) ? taskOf(body) : undefined;
      if (typeof t?.contextId !== 'string') return undefined;
      t.contextId = `${t.contextId}-get`;
      return body;
    },
  },
  {
    name: 'tasks-terminal-state-changes',
    description: 'A completed task is reported WORKING again by later GetTask calls.',
    agent: 'v1',
    kills: ['tasks.terminal.immutable'],
    grep: ['tasks.terminal.immutable'],
    json: (body, ctx) => {
      const t = success('get')(body, ctx) ? taskOf(body) : undefined;
      if (!t || !isObj(t.status) || !TERMINAL.has(stateName(t.status.state)!)) return undefined;
      t.status.state = spellState(dialectOf(body, ctx), 'working');
      return body;
    },
  },
  {
    name: 'tasks-cancel-internal-error',
    description:
      'CancelTask of a working task answers InternalError (-32603 / HTTP 500) instead of the task or ' +
      'TaskNotCancelable.',
    agent: 'v1',
    kills: ['tasks.cancel.working'],
    grep: ['tasks.cancel.working'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      return info.op === 'cancel' ? errorFor(info, -32603, 'internal error', 500) : undefined;
    },
  },
  {
    name: 'tasks-cancel-returns-other-task',
    description: 'CancelTask of a working task answers with a Task of another id.',
    agent: 'v1',
    kills: ['tasks.cancel.working'],
    grep: ['tasks.cancel.working'],
    json: (body, ctx) => {
      const t = success('cancel')(body, ctx) ? taskOf(body) : undefined;
      if (!t) return undefined;
      t.id = `other-${String(t.id)}`;
      return body;
    },
  },
  {
    name: 'tasks-canceled-task-revived',
    description: 'A successfully canceled task is later reported COMPLETED by GetTask (the work went on).',
    agent: 'v1',
    kills: ['tasks.cancel.working'],
    grep: ['tasks.cancel.working'],
    json: (body, ctx) => {
      const t = success('get')(body, ctx) ? taskOf(body) : undefined;
      if (!t || !isObj(t.status) || stateName(t.status.state) !== 'canceled') return undefined;
      t.status.state = spellState(dialectOf(body, ctx), 'completed');
      return body;
    },
  },
  {
    name: 'tasks-cancel-terminal-succeeds',
    description: 'CancelTask of a completed task succeeds (returns it canceled) instead of TaskNotCancelable.',
    agent: 'v1',
    kills: ['tasks.cancel.terminal'],
    grep: ['tasks.cancel.terminal'],
    status: restStatus('cancel', (s) => s === 400 || s === 409, 200),
    json: (body, ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'cancel' || errorCodeOf(body) !== -32002) return undefined;
      return responseFor(info, taskObject(info.dialect, info.taskId ?? 'unknown', 'canceled'));
    },
  },
  {
    name: 'tasks-cancel-unknown-wrong-error',
    description:
      'CancelTask of an unknown id fails with TaskNotCancelable (-32002 / HTTP 400) instead of TaskNotFound.',
    agent: 'v1',
    kills: ['tasks.cancel.unknown'],
    grep: ['tasks.cancel.unknown'],
    status: restStatus('cancel', (s) => s === 404, 400),
    json: (body, ctx) =>
      requestInfo(ctx).op === 'cancel' && errorCodeOf(body) === -32001
        ? relabelError(body, -32002, 'Task not cancelable')
        : undefined,
  },
  {
    name: 'v10-cancel-repeat-internal-error',
    description: 'A second CancelTask of the same task fails with InternalError.',
    agent: 'v1',
    kills: ['tasks.cancel.repeat'],
    grep: ['tasks.cancel.repeat'],
    protocols: ['1.0'],
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.op !== 'cancel' || !info.taskId) return undefined;
      if (!canceledOnce.has(info.taskId)) {
        canceledOnce.add(info.taskId);
        return undefined;
      }
      return errorFor(info, -32603, 'Internal error: task already being torn down', 500);
    },
  },
  {
    name: 'v10-list-page-size-ignored',
    description: 'ListTasks ignores pageSize and returns every matching task on one page.',
    agent: 'v1',
    kills: ['tasks.list.paging'],
    grep: ['tasks.list.paging'],
    protocols: ['1.0'],
    request: editRequest('list', (params, query) => {
      delete params.pageSize;
      query.delete('pageSize');
    }),
  },
  {
    name: 'v10-list-next-page-token-never-empty',
    description: 'ListTasks always returns a non-empty nextPageToken, also on the last page.',
    agent: 'v1',
    kills: ['tasks.list.paging', 'tasks.list.next-page-token-present'],
    grep: ['tasks.list.paging', 'tasks.list.next-page-token-present'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const p = success('list')(body, ctx) ? payloadOf(body) : undefined;
      if (!isObj(p)) return undefined;
      if (!p.nextPageToken) p.nextPageToken = 'next-page';
      return body;
    },
  },
  {
    name: 'v10-list-wrong-order',
    description: 'ListTasks returns tasks oldest first (ascending status timestamp).',
    agent: 'v1',
    kills: ['tasks.list.order'],
    grep: ['tasks.list.order'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const p = success('list')(body, ctx) ? payloadOf(body) : undefined;
      if (!isObj(p) || !Array.isArray(p.tasks)) return undefined;
      p.tasks.reverse();
      return body;
    },
  },
  {
    name: 'v10-list-artifacts-by-default',
    description: 'ListTasks includes artifacts although includeArtifacts was not set.',
    agent: 'v1',
    kills: ['tasks.list.artifacts'],
    grep: ['tasks.list.artifacts'],
    protocols: ['1.0'],
    request: editRequest('list', (params, query) => {
      if (query.has('includeArtifacts') || 'includeArtifacts' in params) return;
      if (Object.keys(params).length) params.includeArtifacts = true;
      else query.set('includeArtifacts', 'true');
    }),
  },
  {
    name: 'v10-list-context-filter-ignored',
    description: 'ListTasks ignores the contextId filter and returns tasks of every context.',
    agent: 'v1',
    kills: ['tasks.list.filters'],
    grep: ['tasks.list.filters'],
    protocols: ['1.0'],
    request: editRequest('list', (params, query) => {
      delete params.contextId;
      query.delete('contextId');
    }),
  },
  {
    name: 'v10-list-timestamp-filter-ignored',
    description: 'ListTasks ignores statusTimestampAfter and returns tasks of every status timestamp.',
    agent: 'v1',
    kills: ['tasks.list.status-timestamp-filter'],
    grep: ['tasks.list.status-timestamp-filter'],
    protocols: ['1.0'],
    request: editRequest('list', (params, query) => {
      delete params.statusTimestampAfter;
      query.delete('statusTimestampAfter');
    }),
  },
  {
    name: 'v10-list-page-size-1000-accepted',
    description: 'ListTasks accepts pageSize 1000 (silently capped) instead of rejecting it as invalid params.',
    agent: 'v1',
    kills: ['tasks.list.page-size-invalid'],
    grep: ['tasks.list.page-size-invalid'],
    protocols: ['1.0'],
    request: editRequest('list', (params, query) => {
      if (typeof params.pageSize === 'number' && params.pageSize > 100) params.pageSize = 100;
      if (Number(query.get('pageSize')) > 100) query.set('pageSize', '100');
    }),
  },
  {
    name: 'tasks-follow-up-creates-new-task',
    description: 'A follow-up message carrying the taskId of an input-required task is answered with a different task.',
    agent: 'v1',
    kills: ['tasks.multi-turn.follow-up'],
    grep: ['tasks.multi-turn.follow-up'],
    json: (body, ctx) => {
      const t = success('send')(body, ctx) && requestInfo(ctx).taskId ? taskOf(body) : undefined;
      if (!t) return undefined;
      t.id = `new-${String(t.id)}`;
      return body;
    },
  },
  {
    name: 'v10-follow-up-context-changed',
    description: "A follow-up with only taskId is answered in a new context instead of the task's own.",
    agent: 'v1',
    kills: ['tasks.multi-turn.context-inferred'],
    grep: ['tasks.multi-turn.context-inferred'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const info = requestInfo(ctx);
      const msg = requestMessage(info.params);
      if (!success('send')(body, ctx) || !info.taskId || msg?.contextId) return undefined;
      const it = itemIn(body);
      if (!it) return undefined;
      it.obj.contextId = `ctx-new-${String(it.obj.contextId ?? '').slice(-8)}`;
      return body;
    },
  },
  {
    name: 'v10-context-mismatch-accepted',
    description:
      "A follow-up whose contextId does not match the task's is accepted (the server does not compare them).",
    agent: 'v1',
    kills: ['tasks.multi-turn.context-mismatch'],
    grep: ['tasks.multi-turn.context-mismatch'],
    protocols: ['1.0'],
    request: editRequest('send', (params) => {
      const msg = requestMessage(params);
      if (msg?.taskId && msg.contextId) delete msg.contextId;
    }),
  },
  {
    name: 'auth-required-without-status-message',
    description:
      'A task that needs secondary credentials reaches auth-required, but its status carries no message ' +
      'saying what is needed.',
    agent: 'v1',
    kills: ['tasks.auth-required.state', 'tasks.auth-required.state-0-3'],
    grep: ['tasks.auth-required.**'],
    json: (body, ctx) => {
      if (requestInfo(ctx).op !== 'send') return undefined;
      const it = itemIn(body);
      if (it?.kind !== 'task' || !isObj(it.obj.status) || stateName(it.obj.status.state) !== 'auth-required')
        return undefined;
      delete it.obj.status.message;
      return body;
    },
  },
  {
    name: 'auth-required-reported-as-input-required',
    description: 'Work that needs secondary credentials is reported as input-required instead of auth-required.',
    agent: 'v1',
    kills: ['tasks.auth-required.state', 'tasks.auth-required.state-0-3'],
    grep: ['tasks.auth-required.**'],
    json: (body, ctx) => {
      const op = requestInfo(ctx).op;
      if (op !== 'send' && op !== 'get') return undefined;
      const it = itemIn(body);
      if (it?.kind !== 'task' || !isObj(it.obj.status) || stateName(it.obj.status.state) !== 'auth-required')
        return undefined;
      it.obj.status.state = spellState(dialectOf(body, ctx), 'input-required');
      return body;
    },
  },
];
