/**
 * Faults for the "wire" suite: schema-invalid documents that no other check of the run validates, so only the
 * post-phase audit (wire.schema.valid) can catch them. Each run pairs the audit with a check that makes the exchange
 * but judges behaviour, not shape (the decoder reads either state spelling, so that check still passes).
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { FaultContext } from '../tools/fault-proxy.js';
import { dialectOf, errorCodeOf, isObj, itemIn, parseData, requestInfo, stateName, type Dialect } from './index.js';

/**
 * The state spelled in the other dialect: ProtoJSON → "completed" (0.3 JSON-RPC style); 0.3 JSON-RPC →
 * "TASK_STATE_COMPLETED".
 */
function foreignSpelling(dialect: Dialect, wire: unknown): string | undefined {
  const s = stateName(wire);
  if (!s) return undefined;
  return dialect === 'jsonrpc-0.3' ? `TASK_STATE_${s.toUpperCase().replace(/-/g, '_')}` : s;
}

const isGet = (ctx: FaultContext) => requestInfo(ctx).op === 'get';

export const FAULTS: FaultCase[] = [
  {
    name: 'v03-rest-json-labelled-text-plain',
    description: '0.3 HTTP+JSON answers GetTask with a JSON body labelled text/plain instead of application/json.',
    agent: 'v1',
    protocols: ['0.3'],
    bindings: ['rest'],
    kills: ['wire.rest-03.content-type'],
    grep: ['wire.rest-03.content-type', 'tasks.get.returns-task'],
    headers: (h, ctx) =>
      /\/v1\/tasks\/[^/:]+$/.test(ctx.path.split('?')[0]!) && ctx.method === 'GET'
        ? { ...h, 'content-type': 'text/plain' }
        : h,
  },
  {
    name: 'v10-snake-case-context-id',
    description:
      '1.0 GetTask answers spell the optional Task member contextId as "context_id" (snake_case, §5.5); the ' +
      'schema allows unknown members, so only the camelCase audit sees it.',
    agent: 'v1',
    kills: ['wire.json.camel-case'],
    grep: ['wire.json.camel-case', 'tasks.get.returns-task'],
    protocols: ['1.0'],
    json: (body, ctx) => {
      const it = isGet(ctx) && errorCodeOf(body) === undefined ? itemIn(body) : undefined;
      if (it?.kind !== 'task' || typeof it.obj.contextId !== 'string') return undefined;
      it.obj.context_id = it.obj.contextId;
      delete it.obj.contextId;
      return body;
    },
  },
  {
    name: 'v10-lowercase-state-in-task-stream',
    description:
      '1.0 task stream: the terminal status update spells its state "completed" instead of TASK_STATE_COMPLETED.',
    agent: 'v1',
    kills: ['wire.schema.valid'],
    grep: ['wire.schema.valid', 'stream.task.terminal-is-last'],
    protocols: ['1.0'],
    sseEvent: (data, ctx) => {
      const doc = parseData(data);
      const it = requestInfo(ctx).op === 'stream' ? itemIn(doc) : undefined;
      if (it?.kind !== 'status-update' || !isObj(it.obj.status)) return undefined;
      const state = stateName(it.obj.status.state);
      if (state !== 'completed') return undefined;
      it.obj.status.state = foreignSpelling(dialectOf(doc, ctx), it.obj.status.state);
      return JSON.stringify(doc);
    },
  },
  {
    name: 'wire-foreign-state-in-get-task',
    description: "GetTask answers spell the task state in the other version's dialect (only GetTask responses).",
    agent: 'v1',
    kills: ['wire.schema.valid'],
    grep: ['wire.schema.valid', 'tasks.terminal.immutable'],
    json: (body, ctx) => {
      if (!isGet(ctx) || errorCodeOf(body) !== undefined) return undefined;
      const it = itemIn(body);
      if (it?.kind !== 'task' || !isObj(it.obj.status)) return undefined;
      const spelled = foreignSpelling(dialectOf(body, ctx), it.obj.status.state);
      if (!spelled) return undefined;
      it.obj.status.state = spelled;
      return body;
    },
  },
  {
    name: 'v10-rest-plain-json-media-type',
    description: '1.0 HTTP+JSON responses are labelled application/json instead of application/a2a+json (1.0.1 §11.1).',
    agent: 'v1',
    kills: ['wire.rest.content-type'],
    grep: ['wire.rest.content-type', 'tasks.get.unknown'],
    protocols: ['1.0'],
    bindings: ['rest'],
    headers: (h) => (/json/.test(h['content-type'] ?? '') ? { ...h, 'content-type': 'application/json' } : h),
  },
  {
    name: 'json-latin1-charset',
    description: 'JSON responses declare charset=iso-8859-1.',
    agent: 'v1',
    kills: ['wire.json.utf8'],
    grep: ['wire.json.utf8', 'tasks.get.unknown'],
    headers: (h) =>
      /json/.test(h['content-type'] ?? '')
        ? { ...h, 'content-type': `${h['content-type']!.split(';')[0]}; charset=iso-8859-1` }
        : h,
  },
  {
    name: 'json-invalid-utf8-sequence',
    description: 'An error message in a JSON response holds an invalid UTF-8 sequence (seen by the client as U+FFFD).',
    agent: 'v1',
    kills: ['wire.json.utf8'],
    grep: ['wire.json.utf8', 'tasks.get.unknown'],
    json: (body) => {
      const err = isObj(body) && isObj(body.error) ? body.error : undefined;
      if (!err || typeof err.message !== 'string') return undefined;
      err.message = `${err.message} caf\uFFFD`;
      return body;
    },
  },
  {
    name: 'stream-event-invalid-utf8-sequence',
    description: 'A text part in a stream event holds an invalid UTF-8 sequence (seen by the client as U+FFFD).',
    agent: 'v1',
    kills: ['wire.json.utf8'],
    grep: ['wire.json.utf8', 'stream.task.starts-with-task'],
    sseEvent: (data) => (data.includes('"text":"') ? data.replace('"text":"', '"text":"caf\uFFFD ') : undefined),
  },
];
