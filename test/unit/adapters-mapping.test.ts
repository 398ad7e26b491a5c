/** Wire → neutral model: canned results, canned errors, streams, schema findings, malformed documents. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createHttpSession } from '../../src/http/undici-session.js';
import { createAdapter } from '../../src/protocol/adapters/index.js';
import type { ValidateFn } from '../../src/protocol/adapters/validation.js';
import type { Binding, ProtocolVersion } from '../../src/core/types.js';
import type { SchemaError } from '../../src/http/types.js';
import type { A2AClient, StreamEvent } from '../../src/protocol/client.js';
import {
  makeTarget,
  sendJson,
  sleep,
  startLoopback,
  startSse,
  type LoopbackHandler,
  type LoopbackServer,
} from '../helpers/loopback-server.js';

/** One SSE event carrying a JSON document. */
const sseData = (doc: unknown): string => `data: ${JSON.stringify(doc)}\n\n`;

let srv: LoopbackServer;
let dispatcher: Agent;

beforeAll(async () => {
  srv = await startLoopback();
  dispatcher = new Agent({ connections: 8 });
});
afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});
afterEach(() => {
  srv.requests.length = 0;
});

interface Call {
  profile: string;
  type: string;
  doc: unknown;
}

/** A fake validator: records calls; reports one finding for the listed types. */
function fakeValidate(failTypes: Record<string, SchemaError[]> = {}): { validate: ValidateFn; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    validate: (profile, type, doc) => {
      calls.push({ profile, type, doc });
      return failTypes[type] ?? [];
    },
  };
}

function client(
  version: ProtocolVersion,
  binding: Binding,
  handler: LoopbackHandler,
  validate: ValidateFn = () => [],
  tenant?: string,
) {
  srv.handle(handler);
  const target = makeTarget({ url: srv.url });
  const session = createHttpSession({ target, dispatcher, transcriptId: 'tr', checkId: 'adapters.mapping' });
  const c: A2AClient = createAdapter(version, binding, {
    url: srv.url,
    session,
    target,
    validate,
    ...(tenant ? { tenant } : {}),
  });
  return { c, session };
}

const rpcResult =
  (result: unknown): LoopbackHandler =>
  (req, res) =>
    sendJson(res, 200, { jsonrpc: '2.0', id: (req.json as { id: unknown }).id, result });
const rpcError =
  (error: unknown, status = 200): LoopbackHandler =>
  (req, res) =>
    sendJson(res, status, { jsonrpc: '2.0', id: (req.json as { id: unknown }).id, error });

const TASK_03 = {
  kind: 'task',
  id: 't-1',
  contextId: 'c-1',
  status: {
    state: 'completed',
    timestamp: '2026-01-01T00:00:00Z',
    message: { kind: 'message', role: 'agent', messageId: 'm-2', parts: [{ kind: 'text', text: 'done' }] },
  },
  artifacts: [
    {
      artifactId: 'a-1',
      name: 'out',
      parts: [
        { kind: 'text', text: 'hi' },
        { kind: 'file', file: { uri: 'https://f', mimeType: 'image/png', name: 'f.png' } },
        { kind: 'data', data: { k: 1 } },
      ],
    },
  ],
  history: [{ kind: 'message', role: 'user', messageId: 'm-1', parts: [{ kind: 'text', text: 'q' }] }],
};
const TASK_03_PROTO = {
  id: 't-1',
  contextId: 'c-1',
  status: {
    state: 'TASK_STATE_CANCELLED',
    message: { messageId: 'm-2', role: 'ROLE_AGENT', content: [{ text: 'bye' }] },
  },
  artifacts: [
    {
      artifactId: 'a-1',
      parts: [
        { text: 'hi' },
        { file: { fileWithBytes: 'aGk=', mimeType: 'text/plain' } },
        { data: { data: { k: 1 } } },
      ],
    },
  ],
};
const TASK_10 = {
  id: 't-1',
  contextId: 'c-1',
  status: { state: 'TASK_STATE_INPUT_REQUIRED', timestamp: '2026-01-01T00:00:00.000Z' },
  artifacts: [
    {
      artifactId: 'a-1',
      parts: [
        { text: 'hi', mediaType: 'text/plain' },
        { url: 'https://f', filename: 'f.png', mediaType: 'image/png' },
        { data: [1, 2] },
      ],
    },
  ],
};

describe('canned results → neutral model', () => {
  it('0.3 JSON-RPC: bare Task with kind', async () => {
    const { c } = client('0.3', 'jsonrpc', rpcResult(TASK_03));
    const r = await c.send({ text: 'q' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.kind).toBe('task');
    if (r.value.kind !== 'task') return;
    const t = r.value.task;
    expect(t.id).toBe('t-1');
    expect(t.status).toMatchObject({ state: 'completed', wireState: 'completed', timestamp: '2026-01-01T00:00:00Z' });
    expect(t.status.message).toMatchObject({ role: 'agent', parts: [{ kind: 'text', text: 'done' }] });
    expect(t.artifacts![0]!.parts).toEqual([
      { kind: 'text', text: 'hi' },
      { kind: 'file', uri: 'https://f', mediaType: 'image/png', name: 'f.png' },
      { kind: 'data', data: { k: 1 } },
    ]);
    expect(t.history![0]).toMatchObject({ role: 'user', messageId: 'm-1' });
    expect(r.wire).toMatchObject({ jsonrpc: '2.0', result: TASK_03 });
    expect(typeof r.requestId).toBe('string');
    expect((r.wire as { id: unknown }).id).toBe(r.requestId);
  });

  it('0.3 REST: ProtoJSON wrapper, content parts, TASK_STATE_CANCELLED', async () => {
    const { c } = client('0.3', 'rest', (_req, res) => sendJson(res, 201, { task: TASK_03_PROTO }));
    const r = await c.send({ text: 'q' });
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'task') return;
    const t = r.value.task;
    expect(t.status.state).toBe('canceled');
    expect(t.status.wireState).toBe('TASK_STATE_CANCELLED');
    expect(t.status.message).toMatchObject({ role: 'agent', parts: [{ kind: 'text', text: 'bye' }] });
    expect(t.artifacts![0]!.parts).toEqual([
      { kind: 'text', text: 'hi' },
      { kind: 'file', bytes: 'aGk=', mediaType: 'text/plain' },
      { kind: 'data', data: { k: 1 } },
    ]);
  });

  it('1.0 JSON-RPC: wrapper {task}; {message} → message result', async () => {
    const { c } = client('1.0', 'jsonrpc', rpcResult({ task: TASK_10 }));
    const r = await c.send({ text: 'q' });
    expect(r.ok && r.value.kind === 'task' && r.value.task.status).toMatchObject({
      state: 'input-required',
      wireState: 'TASK_STATE_INPUT_REQUIRED',
    });
    if (r.ok && r.value.kind === 'task') {
      expect(r.value.task.artifacts![0]!.parts).toEqual([
        { kind: 'text', text: 'hi', mediaType: 'text/plain' },
        { kind: 'file', uri: 'https://f', name: 'f.png', mediaType: 'image/png' },
        { kind: 'data', data: [1, 2] },
      ]);
    }
    const { c: c2 } = client(
      '1.0',
      'jsonrpc',
      rpcResult({ message: { messageId: 'm-9', role: 'ROLE_AGENT', parts: [{ text: 'hey' }] } }),
    );
    const r2 = await c2.send({ text: 'q' });
    expect(r2.ok && r2.value).toEqual({
      kind: 'message',
      message: { messageId: 'm-9', role: 'agent', parts: [{ kind: 'text', text: 'hey' }] },
    });
  });

  it('1.0 REST: Task, ListTasks (absent nextPageToken stays undefined), push configs, delete 204', async () => {
    const { c } = client('1.0', 'rest', (req, res) => {
      if (req.path === '/tasks') return sendJson(res, 200, { tasks: [TASK_10], pageSize: 50, totalSize: 1 });
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      if (req.path.endsWith('/pushNotificationConfigs')) {
        if (req.method === 'POST')
          return sendJson(res, 201, {
            id: 'cfg-1',
            taskId: 't-1',
            url: 'https://h',
            authentication: { scheme: 'Bearer' },
          });
        return sendJson(res, 200, { configs: [{ id: 'cfg-1', taskId: 't-1', url: 'https://h' }] });
      }
      sendJson(res, 200, TASK_10);
    });
    const g = await c.get('t-1');
    expect(g.ok && g.value.status.state).toBe('input-required');
    const l = await c.list({});
    expect(l.ok && l.value).toMatchObject({ pageSize: 50, totalSize: 1 });
    expect(l.ok && l.value.tasks.map((t) => t.id)).toEqual(['t-1']);
    expect(l.ok && 'nextPageToken' in l.value).toBe(false);
    const p = await c.createPushConfig('t-1', { url: 'https://h' });
    expect(p.ok && p.value).toEqual({
      id: 'cfg-1',
      taskId: 't-1',
      url: 'https://h',
      authentication: { scheme: 'Bearer' },
    });
    const pl = await c.listPushConfigs('t-1');
    expect(pl.ok && pl.value).toEqual([{ id: 'cfg-1', taskId: 't-1', url: 'https://h' }]);
    const d = await c.deletePushConfig('t-1', 'cfg-1');
    expect(d.ok && d.value).toBeNull();
  });

  it('0.3 push configs: JSON-RPC nested and list array; REST `name` and {configs}', async () => {
    const cfg03 = {
      taskId: 't-1',
      pushNotificationConfig: {
        id: 'cfg-1',
        url: 'https://h',
        authentication: { schemes: ['Bearer', 'Basic'], credentials: 'x' },
      },
    };
    const { c } = client('0.3', 'jsonrpc', (req, res) => {
      const m = (req.json as { method: string }).method;
      rpcResult(m.endsWith('/list') ? [cfg03] : m.endsWith('/delete') ? null : cfg03)(req, res, undefined as never);
    });
    const g = await c.getPushConfig('t-1', 'cfg-1');
    expect(g.ok && g.value).toEqual({
      id: 'cfg-1',
      taskId: 't-1',
      url: 'https://h',
      authentication: { scheme: 'Bearer', credentials: 'x' },
    });
    const l = await c.listPushConfigs('t-1');
    expect(l.ok && l.value).toHaveLength(1);
    const d = await c.deletePushConfig('t-1', 'cfg-1');
    expect(d.ok && d.value).toBeNull();

    const { c: r } = client('0.3', 'rest', (req, res) =>
      sendJson(
        res,
        200,
        req.path.endsWith('/pushNotificationConfigs')
          ? {
              configs: [
                { name: 'tasks/t-1/pushNotificationConfigs/cfg-2', pushNotificationConfig: { url: 'https://h2' } },
              ],
            }
          : {
              name: 'tasks/t-1/pushNotificationConfigs/cfg-2',
              pushNotificationConfig: { id: 'cfg-2', url: 'https://h2' },
            },
      ),
    );
    const rg = await r.getPushConfig('t-1', 'cfg-2');
    expect(rg.ok && rg.value).toEqual({ id: 'cfg-2', taskId: 't-1', url: 'https://h2' });
    const rl = await r.listPushConfigs('t-1');
    expect(rl.ok && rl.value).toEqual([{ id: 'cfg-2', taskId: 't-1', url: 'https://h2' }]);
  });
});

describe('canned errors → A2AError', () => {
  it('JSON-RPC -32001 (0.3) → TaskNotFound by jsonrpc-code; the envelope (error included) validated once', async () => {
    const v = fakeValidate();
    const { c } = client(
      '0.3',
      'jsonrpc',
      rpcError({ code: -32001, message: 'Task not found', data: { taskId: 't-x' } }),
      v.validate,
    );
    const r = await c.get('t-x');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      name: 'TaskNotFound',
      identifiedBy: 'jsonrpc-code',
      code: -32001,
      httpStatus: 200,
      message: 'Task not found',
      details: { taskId: 't-x' },
    });
    expect(v.calls.map((x) => `${x.profile}:${x.type}`)).toEqual(['0.3-jsonrpc:JsonRpcResponse']);
    expect((v.calls[0]!.doc as { error: unknown }).error).toEqual({
      code: -32001,
      message: 'Task not found',
      data: { taskId: 't-x' },
    });
  });

  it('1.0 JSON-RPC error with ErrorInfo in data[] → reason and domain kept', async () => {
    const { c } = client(
      '1.0',
      'jsonrpc',
      rpcError({
        code: -32009,
        message: 'Version not supported',
        data: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'VERSION_NOT_SUPPORTED',
            domain: 'a2a-protocol.org',
            metadata: {},
          },
        ],
      }),
    );
    const r = await c.get('t-1');
    expect(!r.ok && r.error).toMatchObject({
      name: 'VersionNotSupported',
      identifiedBy: 'jsonrpc-code',
      reason: 'VERSION_NOT_SUPPORTED',
      domain: 'a2a-protocol.org',
    });
  });

  it(
    'JSON-RPC custom code with only an ErrorInfo reason ' + '→ error-info; HTTP 401 without body → http-status',
    async () => {
      const { c } = client(
        '1.0',
        'jsonrpc',
        rpcError({
          code: -32050,
          message: 'x',
          data: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'TASK_NOT_CANCELABLE' }],
        }),
      );
      const r = await c.cancel('t-1');
      expect(!r.ok && r.error).toMatchObject({ name: 'TaskNotCancelable', identifiedBy: 'error-info', code: -32050 });
      const { c: c2 } = client('1.0', 'jsonrpc', (_req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Bearer' });
        res.end('Unauthorized');
      });
      const r2 = await c2.get('t-1');
      expect(!r2.ok && r2.error).toMatchObject({
        name: 'Unauthenticated',
        identifiedBy: 'http-status',
        httpStatus: 401,
      });
      const { c: c3 } = client('1.0', 'jsonrpc', (_req, res) =>
        sendJson(res, 404, '<html>nope</html>', { 'content-type': 'text/html' }),
      );
      const r3 = await c3.get('t-1');
      // 404 on JSON-RPC = wrong URL
      expect(!r3.ok && r3.error).toMatchObject({ name: 'Unknown', identifiedBy: 'none', httpStatus: 404 });
    },
  );

  it('1.0 REST google.rpc.Status with ErrorInfo → error-info; RestError validated', async () => {
    const v = fakeValidate();
    const body = {
      error: {
        code: 400,
        status: 'FAILED_PRECONDITION',
        message: 'Task is terminal',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'UNSUPPORTED_OPERATION',
            domain: 'a2a-protocol.org',
            metadata: {},
          },
        ],
      },
    };
    const { c } = client('1.0', 'rest', (_req, res) => sendJson(res, 400, body), v.validate);
    const r = await c.send({ text: 'x', taskId: 't-done' });
    expect(!r.ok && r.error).toMatchObject({
      name: 'UnsupportedOperation',
      identifiedBy: 'error-info',
      code: 400,
      httpStatus: 400,
      message: 'Task is terminal',
      reason: 'UNSUPPORTED_OPERATION',
      domain: 'a2a-protocol.org',
    });
    expect(!r.ok && r.wire).toEqual(body);
    expect(v.calls.map((x) => `${x.profile}:${x.type}`)).toEqual(['1.0:RestError']);
  });

  it('0.3 REST 404 with a bare {message} → TaskNotFound by http-status; a2a-js {code} → rest-body-code', async () => {
    const { c } = client('0.3', 'rest', (_req, res) => sendJson(res, 404, { message: 'Task not found' }));
    const r = await c.get('t-x');
    expect(!r.ok && r.error).toMatchObject({
      name: 'TaskNotFound',
      identifiedBy: 'http-status',
      httpStatus: 404,
      message: 'Task not found',
    });
    const { c: c2 } = client('0.3', 'rest', (_req, res) =>
      sendJson(res, 409, { code: -32002, message: 'Task cannot be canceled' }),
    );
    const r2 = await c2.cancel('t-1');
    expect(!r2.ok && r2.error).toMatchObject({
      name: 'TaskNotCancelable',
      identifiedBy: 'rest-body-code',
      code: -32002,
      httpStatus: 409,
    });
    const { c: c3 } = client('0.3', 'rest', (_req, res) =>
      sendJson(res, 500, 'boom', { 'content-type': 'text/plain' }),
    );
    const r3 = await c3.get('t-1');
    expect(!r3.ok && r3.error).toMatchObject({
      name: 'Unknown',
      identifiedBy: 'none',
      httpStatus: 500,
      message: 'boom',
    });
  });
});

describe('schema findings', () => {
  it('JSON-RPC result findings are prefixed with /result and land on the reply and the exchange', async () => {
    const v = fakeValidate({
      Task: [{ path: '/status/state', message: 'must be equal to one of the allowed values', schema: '0.3#Task' }],
    });
    const { c } = client('0.3', 'jsonrpc', rpcResult(TASK_03), v.validate);
    const r = await c.get('t-1');
    expect(r.ok).toBe(true);
    expect(r.schemaErrors).toEqual([
      { path: '/result/status/state', message: 'must be equal to one of the allowed values', schema: '0.3#Task' },
    ]);
    expect(r.exchange.schemaErrors).toEqual(r.schemaErrors);
    expect(v.calls.map((x) => `${x.profile}:${x.type}`)).toEqual(['0.3-jsonrpc:JsonRpcResponse', '0.3-jsonrpc:Task']);
    expect(v.calls[1]!.doc).toEqual(TASK_03);
  });

  it('REST findings point at the body root; validators that throw become findings, not crashes', async () => {
    const { c } = client(
      '0.3',
      'rest',
      (_req, res) => sendJson(res, 200, TASK_03_PROTO),
      () => {
        throw new Error('no such type');
      },
    );
    const r = await c.get('t-1');
    expect(r.ok).toBe(true);
    expect(r.schemaErrors[0]!.message).toMatch(/validator failed for Task/);
  });

  it('validates per operation type', async () => {
    const v = fakeValidate();
    const { c } = client(
      '1.0',
      'rest',
      (req, res) => sendJson(res, 200, req.path === '/tasks' ? { tasks: [] } : {}),
      v.validate,
    );
    await c.send({ text: 'x' });
    await c.list({});
    await c.createPushConfig('t', { url: 'https://h' });
    await c.listPushConfigs('t');
    await c.extendedCard();
    await c.deletePushConfig('t', 'c');
    expect(v.calls.map((x) => x.type)).toEqual([
      'SendMessageResult',
      'ListTasksResponse',
      'PushConfig',
      'PushConfigList',
      'AgentCard',
    ]);
  });
});

describe('malformed documents never crash', () => {
  it('non-object result, HTML body, unknown kinds, broken parts', async () => {
    const { c } = client('0.3', 'jsonrpc', rpcResult('hello'));
    const r = await c.get('t-1');
    expect(!r.ok && r.error).toMatchObject({ name: 'Unknown', identifiedBy: 'none' });
    expect(!r.ok && r.error.message).toMatch(/not a usable Task/);

    const { c: c2 } = client('1.0', 'jsonrpc', (_req, res) =>
      sendJson(res, 502, '<html>bad gateway</html>', { 'content-type': 'text/html' }),
    );
    const r2 = await c2.send({ text: 'x' });
    expect(!r2.ok && r2.error.message).toMatch(/not JSON/);

    const { c: c3 } = client('0.3', 'jsonrpc', rpcResult({ kind: 'weird' }));
    const r3 = await c3.send({ text: 'x' });
    expect(!r3.ok && r3.error.message).toMatch(/unknown kind "weird"/);

    const { c: c4 } = client('1.0', 'rest', (_req, res) =>
      sendJson(res, 200, { task: { id: 5, status: 'x', artifacts: [{ parts: [42, { foo: 1 }] }], history: ['x'] } }),
    );
    const r4 = await c4.send({ text: 'x' });
    expect(r4.ok).toBe(true);
    if (r4.ok && r4.value.kind === 'task') {
      expect(r4.value.task.id).toBe('');
      expect(r4.value.task.status).toEqual({ state: 'unknown', wireState: '' });
      expect(r4.value.task.artifacts![0]!.parts).toEqual([
        { kind: 'invalid', raw: 42 },
        { kind: 'invalid', raw: { foo: 1 } },
      ]);
      expect(r4.value.task.history).toEqual([]);
    }

    const { c: c5 } = client('1.0', 'jsonrpc', (_req, res) => sendJson(res, 200, { jsonrpc: '2.0', id: 'x' }));
    const r5 = await c5.get('t');
    expect(!r5.ok && r5.error.message).toMatch(/not a JSON-RPC response/);
  });
});

describe('streams', () => {
  it(
    '1.0 JSON-RPC: envelopes unwrapped, ids echoed, ' + 'items decoded, findings on events; live before the ' + 'end',
    async () => {
      const v = fakeValidate({
        StreamResponse: [{ path: '/statusUpdate', message: 'x', schema: '1.0#StreamResponse' }],
      });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const { c, session } = client(
        '1.0',
        'jsonrpc',
        async (req, res) => {
          const id = (req.json as { id: unknown }).id;
          startSse(res);
          res.write(
            sseData({ jsonrpc: '2.0', id, result: { task: { ...TASK_10, status: { state: 'TASK_STATE_WORKING' } } } }),
          );
          await gate; // hold the stream until the client has seen the first event
          res.write(
            sseData({
              jsonrpc: '2.0',
              id,
              result: {
                artifactUpdate: {
                  taskId: 't-1',
                  contextId: 'c-1',
                  artifact: { artifactId: 'a', parts: [{ text: 'x' }] },
                  lastChunk: true,
                },
              },
            }),
          );
          res.write(
            sseData({
              jsonrpc: '2.0',
              id,
              result: { statusUpdate: { taskId: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_COMPLETED' } } },
            }),
          );
          await sleep(30);
          res.end();
        },
        v.validate,
      );
      const h = c.stream({ text: 'go' });
      expect((await h.started).status).toBe(200);
      const seen: StreamEvent[] = [];
      for await (const ev of h.events) {
        seen.push(ev);
        if (seen.length === 1) {
          expect(ev.item.kind).toBe('task');
          release();
        }
      }
      const d = await h.done;
      expect(d.end).toBe('closed');
      expect(d.events.map((e) => e.item.kind)).toEqual(['task', 'artifact-update', 'status-update']);
      expect(seen).toHaveLength(3);
      expect(d.events.every((e) => e.envelopeId === d.requestId)).toBe(true);
      const su = d.events[2]!.item;
      expect(su.kind === 'status-update' && su.update.status.state).toBe('completed');
      expect(su.kind === 'status-update' && su.update.final).toBeUndefined();
      expect(d.events[0]!.schemaErrors).toEqual([
        { path: '/result/statusUpdate', message: 'x', schema: '1.0#StreamResponse' },
      ]);
      expect(d.closeAfterLastEventMs).toBeGreaterThanOrEqual(20);
      expect(d.firstEventMs).toBeDefined();
      expect(v.calls.filter((x) => x.type === 'StreamResponse').map((x) => Object.keys(x.doc as object)[0])).toEqual([
        'task',
        'artifactUpdate',
        'statusUpdate',
      ]);
      // findings also on the recorded events of the exchange
      expect(d.exchange.response?.events?.[0]!.schemaErrors).toHaveLength(1);
      expect(session.transcript.exchanges).toHaveLength(1);
    },
  );

  it('a consumer that iterates only after the stream ended still gets every event, decoded alike', async () => {
    const n = 3000; // beyond the 2000 recorded events: the queue holds the rest undecoded until they are taken
    const { c } = client('1.0', 'jsonrpc', (req, res) => {
      const id = (req.json as { id: unknown }).id;
      startSse(res);
      let out = '';
      for (let i = 0; i < n; i++) {
        const state = i === n - 1 ? 'TASK_STATE_COMPLETED' : 'TASK_STATE_WORKING';
        out += sseData({
          jsonrpc: '2.0',
          id,
          result: { statusUpdate: { taskId: `t${i}`, contextId: 'c', status: { state } } },
        });
      }
      res.end(out);
    });
    const h = c.stream({ text: 'go' });
    const d = await h.done;
    expect(d.events).toHaveLength(2000);
    const seen: StreamEvent[] = [];
    for await (const ev of h.events) seen.push(ev);
    expect(seen).toHaveLength(n);
    expect(seen.slice(0, 2000).every((ev, i) => ev === d.events[i])).toBe(true);
    seen.forEach((ev, i) => {
      expect(ev.envelopeId).toBe(d.requestId);
      expect(ev.item.kind === 'status-update' && ev.item.update.taskId).toBe(`t${i}`);
      expect(ev.schemaErrors).toEqual([]);
    });
    // A late event taken from the queue is the same decoding as an early one of the same shape.
    const { t: _t1, data: _d1, json: _j1, item: i1, ...rest1 } = seen[2500]!;
    const { t: _t2, data: _d2, json: _j2, item: i2, ...rest2 } = seen[100]!;
    expect(rest1).toEqual(rest2);
    expect(i1.kind === 'status-update' && { ...i1.update, taskId: '' }).toEqual(
      i2.kind === 'status-update' && { ...i2.update, taskId: '' },
    );
  });

  it('0.3 JSON-RPC: kind-based events, final flag, an error event, a non-JSON event', async () => {
    const { c } = client('0.3', 'jsonrpc', (req, res) => {
      const id = (req.json as { id: unknown }).id;
      startSse(res);
      res.write(
        sseData({
          jsonrpc: '2.0',
          id,
          result: { kind: 'status-update', taskId: 't', contextId: 'c', status: { state: 'working' }, final: false },
        }),
      );
      res.write('data: not json\n\n');
      res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'boom' } })}\n\n`);
      res.end(
        sseData({
          jsonrpc: '2.0',
          id,
          result: { kind: 'status-update', taskId: 't', contextId: 'c', status: { state: 'completed' }, final: true },
        }),
      );
    });
    const d = await c.stream({ text: 'go' }).done;
    expect(d.events.map((e) => e.item.kind)).toEqual(['status-update', 'invalid', 'error', 'status-update']);
    const last = d.events[3]!.item;
    expect(last.kind === 'status-update' && last.update.final).toBe(true);
    const err = d.events[2]!.item;
    expect(err.kind === 'error' && err.error).toMatchObject({ name: 'InternalError', identifiedBy: 'jsonrpc-code' });
    expect(d.events[1]!.schemaErrors[0]!.message).toMatch(/not JSON/);
  });

  it('a non-SSE error answer on a stream → StreamResult.error, no events', async () => {
    const { c } = client('1.0', 'jsonrpc', rpcError({ code: -32004, message: 'Streaming not supported' }));
    const d = await c.stream({ text: 'go' }).done;
    expect(d.contentType).toBe('application/json');
    expect(d.events).toEqual([]);
    expect(d.error).toMatchObject({ name: 'UnsupportedOperation', identifiedBy: 'jsonrpc-code' });

    const { c: r } = client('1.0', 'rest', (_req, res) => sendJson(res, 200, { task: TASK_10 }));
    const d2 = await r.stream({ text: 'go' }).done;
    expect(d2.error).toMatchObject({ name: 'Unknown' });
    expect(d2.error!.message).toMatch(/expected text\/event-stream/);
  });

  it('REST: bare StreamResponse events, `event: error` events', async () => {
    const { c } = client('0.3', 'rest', (_req, res) => {
      startSse(res);
      res.write(`data: ${JSON.stringify({ task: TASK_03_PROTO })}\n\n`);
      res.end(`event: error\ndata: ${JSON.stringify({ code: -32001, message: 'gone' })}\n\n`);
    });
    const d = await c.stream({ text: 'go' }).done;
    expect(d.events.map((e) => e.item.kind)).toEqual(['task', 'error']);
    const e = d.events[1]!.item;
    expect(e.kind === 'error' && e.error).toMatchObject({ name: 'TaskNotFound', identifiedBy: 'rest-body-code' });
  });

  it('REST subscribe: POST answered 405 → retried with GET; both exchanges recorded; subscribeVerb GET', async () => {
    const { c, session } = client('1.0', 'rest', (req, res) => {
      if (req.method === 'POST') return sendJson(res, 405, { error: { code: 405, message: 'Method Not Allowed' } });
      startSse(res);
      res.end(`data: ${JSON.stringify({ task: TASK_10 })}\n\n`);
    });
    const h = c.subscribe('t-1');
    const events: StreamEvent[] = [];
    for await (const e of h.events) events.push(e);
    const d = await h.done;
    expect(srv.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /tasks/t-1:subscribe',
      'GET /tasks/t-1:subscribe',
    ]);
    expect(session.transcript.exchanges.map((x) => x.request.method)).toEqual(['POST', 'GET']);
    expect(d.subscribeVerb).toBe('GET');
    expect(h.subscribeVerb).toBe('GET');
    expect(events.map((e) => e.item.kind)).toEqual(['task']);
    expect((await h.started).status).toBe(200);
  });

  it('REST subscribe: 404 with an identified TaskNotFound → no GET retry; explicit verb → single attempt', async () => {
    const { c } = client('1.0', 'rest', (_req, res) =>
      sendJson(res, 404, {
        error: {
          code: 404,
          status: 'NOT_FOUND',
          message: 'no task',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'TASK_NOT_FOUND',
              domain: 'a2a-protocol.org',
            },
          ],
        },
      }),
    );
    const d = await c.subscribe('t-x').done;
    expect(srv.requests).toHaveLength(1);
    expect(d.subscribeVerb).toBe('POST');
    expect(d.error).toMatchObject({ name: 'TaskNotFound', identifiedBy: 'error-info' });
    srv.requests.length = 0;
    const d2 = await c.subscribe('t-x', { verb: 'GET' }).done;
    expect(srv.requests.map((r) => r.method)).toEqual(['GET']);
    expect(d2.subscribeVerb).toBe('GET');
  });

  it('REST subscribe: unidentified 404 → GET retry (route missing rather than task missing)', async () => {
    const { c } = client('0.3', 'rest', (req, res) => {
      if (req.method === 'POST') return sendJson(res, 404, 'Cannot POST', { 'content-type': 'text/html' });
      startSse(res);
      res.end(`data: ${JSON.stringify({ task: TASK_03_PROTO })}\n\n`);
    });
    const d = await c.subscribe('t-1').done;
    expect(srv.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/tasks/t-1:subscribe',
      'GET /v1/tasks/t-1:subscribe',
    ]);
    expect(d.subscribeVerb).toBe('GET');
    expect(d.events).toHaveLength(1);
  });

  it('close() on a live stream → client-closed; transport failure rejects started and done', async () => {
    const { c } = client('1.0', 'rest', (_req, res) => {
      startSse(res);
      res.write(`data: ${JSON.stringify({ task: TASK_10 })}\n\n`);
    });
    const h = c.stream({ text: 'go' });
    for await (const _ of h.events) break;
    h.close();
    const d = await h.done;
    expect(d.end).toBe('client-closed');
    expect(d.events).toHaveLength(1);

    const target = makeTarget();
    const session = createHttpSession({ target, dispatcher, transcriptId: 'tr', checkId: 'x' });
    const dead = createAdapter('1.0', 'jsonrpc', { url: 'http://127.0.0.1:1/', session, target, validate: () => [] });
    const h2 = dead.stream({ text: 'go' });
    await expect(h2.started).rejects.toMatchObject({ name: 'TransportError', kind: 'connect' });
    await expect(h2.done).rejects.toMatchObject({ kind: 'connect' });
    await expect(dead.get('t')).rejects.toMatchObject({ kind: 'connect' });
  });
});
