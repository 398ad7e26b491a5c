/**
 * Faults for the "bindings" suite: each breaks the equivalence of the declared bindings on exactly ONE binding, while
 * that binding's answers stay plausible on their own (a well-formed error of another kind, a well-formed Message, a
 * task that ends in another state, an artifact with another id, a binding that does not check credentials). The
 * reference agents serve the same SDK handler behind both bindings, so the plain agents are equivalent (baseline).
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import { FAULT_BEARER_TOKEN } from './auth.js';
import {
  agentMessage,
  asResult,
  clone,
  dialectOf,
  errorCodeOf,
  isObj,
  relabelError,
  requestInfo,
  requestMessage,
  responseFor,
  spellState,
  stateName,
  tasksIn,
  walk,
  type RawRequest,
} from './index.js';

type Ctx = Pick<FaultContext, 'method' | 'path' | 'requestJson'>;

const one = (id: string) => ({ kills: [id], grep: [id] });

/** REST GetTask / CancelTask (either version). */
const isRestTaskLookup = (ctx: Ctx) => {
  const info = requestInfo(ctx);
  return info.binding === 'rest' && (info.op === 'get' || info.op === 'cancel');
};

/** A send of the reference `task` trigger (messageId prefix `ref-task` or the text "make a report"). */
function isTaskTrigger(ctx: Ctx): boolean {
  const info = requestInfo(ctx);
  if (info.op !== 'send') return false;
  const msg = requestMessage(info.params);
  if (!msg) return false;
  if (typeof msg.messageId === 'string' && msg.messageId.startsWith('ref-task')) return true;
  const parts = Array.isArray(msg.parts) ? msg.parts : Array.isArray(msg.content) ? msg.content : [];
  const first = parts.find((p) => isObj(p) && typeof p.text === 'string') as { text?: string } | undefined;
  return first?.text?.trim().toLowerCase() === 'make a report';
}

/** The fault agent of the auth faults: bearer authentication, credentials in the target's headers. */
const AUTHORIZATION = `Bearer ${FAULT_BEARER_TOKEN}`;
const AUTH_AGENT = {
  agent: 'v1' as const,
  agentOptions: { bearerToken: FAULT_BEARER_TOKEN, extendedCard: true },
  targetHeaders: { Authorization: AUTHORIZATION },
};

function parse(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

export const FAULTS: FaultCase[] = [
  {
    name: 'bindings-rest-unknown-task-500',
    description:
      'HTTP+JSON answers GetTask/CancelTask of an unknown task with InternalError (HTTP 500, reason INTERNAL ' +
      '/ code -32603) while JSON-RPC answers TaskNotFound.',
    agent: 'v1',
    ...one('bindings.equivalence.errors'),
    status: (s, ctx) => (isRestTaskLookup(ctx) && s === 404 ? 500 : s),
    json: (body, ctx) => {
      if (!isRestTaskLookup(ctx) || ctx.status !== 404 || errorCodeOf(body) !== -32001) return undefined;
      const out = relabelError(body, -32603, 'Internal error');
      if (isObj(out) && isObj(out.error)) {
        out.error.code = 500;
        out.error.status = 'INTERNAL';
      }
      return out;
    },
  },
  {
    name: 'bindings-jsonrpc-message-for-task',
    description:
      'JSON-RPC answers the `task` trigger with a Message (a well-formed agent reply, no task) while ' +
      'HTTP+JSON creates the task.',
    agent: 'v1',
    ...one('bindings.equivalence.results'),
    intercept: (ctx) => {
      const info = requestInfo(ctx);
      if (info.binding !== 'jsonrpc' || !isTaskTrigger(ctx)) return undefined;
      const msg = requestMessage(info.params);
      const contextId =
        typeof msg?.contextId === 'string' ? msg.contextId : `fault-ctx-${Math.random().toString(36).slice(2)}`;
      const reply = agentMessage(info.dialect, 'The report is ready.', { contextId });
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(responseFor(info, asResult(info.dialect, 'message', reply))),
      };
    },
  },
  {
    name: 'bindings-jsonrpc-task-fails',
    description:
      "On JSON-RPC the `task` trigger's task ends failed (every completed task is reported failed) while it " +
      'completes on HTTP+JSON.',
    agent: 'v1',
    ...one('bindings.equivalence.results'),
    json: (body, ctx) => {
      if (requestInfo(ctx).binding !== 'jsonrpc') return undefined;
      const tasks = tasksIn(body).filter((t) => isObj(t.status) && stateName(t.status.state) === 'completed');
      if (tasks.length === 0) return undefined;
      const dialect = dialectOf(body, ctx);
      for (const t of tasks) (t.status as Record<string, unknown>).state = spellState(dialect, 'failed');
      return body;
    },
  },
  {
    name: 'bindings-rest-artifact-missing',
    description: "On HTTP+JSON the task's artifacts are missing (the same task carries one on JSON-RPC).",
    agent: 'v1',
    ...one('bindings.equivalence.results'),
    json: (body, ctx) => {
      if (requestInfo(ctx).binding !== 'rest') return undefined;
      const out = clone(body);
      let changed = false;
      walk(out, (o) => {
        if (Array.isArray(o.artifacts) && isObj(o.status)) {
          delete o.artifacts;
          changed = true;
        }
      });
      return changed ? out : undefined;
    },
  },
  {
    ...AUTH_AGENT,
    name: 'bindings-rest-unauthenticated-accepted',
    description:
      'HTTP+JSON processes requests that carry no credentials (the agent does not authenticate that binding) ' +
      'while JSON-RPC rejects them.',
    ...one('bindings.equivalence.auth'),
    request: (req: RawRequest): RawRequest => {
      if (req.headers.authorization || /\/\.well-known\//.test(req.path)) return req;
      if (requestInfo({ method: req.method, path: req.path, requestJson: parse(req.body) }).binding !== 'rest')
        return req;
      return { ...req, headers: { ...req.headers, authorization: AUTHORIZATION } };
    },
  },
];
