/** The exact requests each adapter sends (method, path, headers, body), for every operation. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createHttpSession } from '../../src/http/undici-session.js';
import { createAdapter } from '../../src/protocol/adapters/index.js';
import type { ValidateFn } from '../../src/protocol/adapters/validation.js';
import type { Binding, ProtocolVersion } from '../../src/core/types.js';
import type { A2AClient } from '../../src/protocol/client.js';
import {
  makeTarget,
  sendJson,
  startLoopback,
  startSse,
  type LoopbackRequest,
  type LoopbackServer,
} from '../helpers/loopback-server.js';

let srv: LoopbackServer;
let dispatcher: Agent;
const noValidate: ValidateFn = () => [];

beforeAll(async () => {
  srv = await startLoopback();
  dispatcher = new Agent({ connections: 8 });
  // Answers everything with something harmless; request shapes are what these tests look at.
  srv.handle((req, res) => {
    if (req.headers.accept === 'text/event-stream') {
      startSse(res);
      res.end();
      return;
    }
    const rpc = req.json as { id?: unknown } | undefined;
    if (rpc && typeof rpc === 'object' && 'jsonrpc' in rpc)
      sendJson(res, 200, { jsonrpc: '2.0', id: rpc.id, result: {} });
    else sendJson(res, 200, {});
  });
});
afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});
afterEach(() => {
  srv.requests.length = 0;
});

function client(version: ProtocolVersion, binding: Binding, path: string, tenant?: string): A2AClient {
  const target = makeTarget({ url: srv.url, headers: { authorization: 'Bearer t0ken-value' } });
  const session = createHttpSession({ target, dispatcher, transcriptId: 'tr', checkId: 'adapters.requests' });
  return createAdapter(version, binding, {
    url: `${srv.url}${path}`,
    session,
    target,
    validate: noValidate,
    ...(tenant ? { tenant } : {}),
  });
}

const MSG = { messageId: 'm-1', text: 'hello', contextId: 'c-1' };
const SEND_OPTS = { returnImmediately: true, historyLength: 2, acceptedOutputModes: ['text/plain'] };
const PUSH = { url: 'https://hook.example/cb', token: 'tk', authentication: { scheme: 'Bearer', credentials: 'cred' } };

/** Runs every operation once; returns the requests the server saw, in order. */
async function exercise(c: A2AClient): Promise<LoopbackRequest[]> {
  await c.send(MSG, SEND_OPTS);
  await c.get('t 1', { historyLength: 3 });
  await c.cancel('t-1');
  await c.list({ status: 'working', pageSize: 5 });
  await c.createPushConfig('t-1', PUSH);
  await c.getPushConfig('t-1', 'cfg-1');
  await c.listPushConfigs('t-1');
  await c.deletePushConfig('t-1', 'cfg-1');
  await c.extendedCard();
  await c.stream(MSG).done;
  await c.subscribe('t-1').done;
  return [...srv.requests];
}

function rpc(req: LoopbackRequest): {
  method: string;
  params?: unknown;
  id: unknown;
  jsonrpc: string;
  hasParams: boolean;
} {
  const j = req.json as { method: string; params?: unknown; id: unknown; jsonrpc: string };
  return { ...j, hasParams: 'params' in j };
}

describe('0.3 JSON-RPC requests', () => {
  it('methods, params and headers', async () => {
    const c = client('0.3', 'jsonrpc', '/a2a');
    const reqs = await exercise(c);
    // list() sends nothing on 0.3 JSON-RPC
    expect(reqs).toHaveLength(10);
    for (const r of reqs) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/a2a');
      expect(r.headers['a2a-version']).toBeUndefined();
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe('Bearer t0ken-value');
      expect(rpc(r).jsonrpc).toBe('2.0');
    }
    const ids = reqs.map((r) => rpc(r).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'string' && /^adapters\.requests-\d+$/.test(id))).toBe(true);
    expect(reqs.map((r) => rpc(r).method)).toEqual([
      'message/send',
      'tasks/get',
      'tasks/cancel',
      'tasks/pushNotificationConfig/set',
      'tasks/pushNotificationConfig/get',
      'tasks/pushNotificationConfig/list',
      'tasks/pushNotificationConfig/delete',
      'agent/getAuthenticatedExtendedCard',
      'message/stream',
      'tasks/resubscribe',
    ]);
    expect(rpc(reqs[0]!).params).toEqual({
      message: {
        kind: 'message',
        role: 'user',
        messageId: 'm-1',
        parts: [{ kind: 'text', text: 'hello' }],
        contextId: 'c-1',
      },
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, blocking: false },
    });
    expect(rpc(reqs[1]!).params).toEqual({ id: 't 1', historyLength: 3 });
    expect(rpc(reqs[2]!).params).toEqual({ id: 't-1' });
    expect(rpc(reqs[3]!).params).toEqual({
      taskId: 't-1',
      pushNotificationConfig: {
        url: 'https://hook.example/cb',
        token: 'tk',
        authentication: { schemes: ['Bearer'], credentials: 'cred' },
      },
    });
    expect(rpc(reqs[4]!).params).toEqual({ id: 't-1', pushNotificationConfigId: 'cfg-1' });
    expect(rpc(reqs[5]!).params).toEqual({ id: 't-1' });
    expect(rpc(reqs[6]!).params).toEqual({ id: 't-1', pushNotificationConfigId: 'cfg-1' });
    expect(rpc(reqs[7]!).hasParams).toBe(false);
    expect(rpc(reqs[8]!).params).toMatchObject({ message: { kind: 'message', role: 'user', messageId: 'm-1' } });
    expect(reqs[8]!.headers.accept).toBe('text/event-stream');
    expect(rpc(reqs[9]!).params).toEqual({ id: 't-1' });
    expect(reqs[9]!.headers.accept).toBe('text/event-stream');
  });

  it('list() resolves to UnsupportedOperation without sending', async () => {
    const c = client('0.3', 'jsonrpc', '/a2a');
    const r = await c.list({});
    expect(srv.requests).toHaveLength(0);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.name).toBe('UnsupportedOperation');
      expect(r.exchange.error).toMatch(/ListTasks does not exist in 0\.3 JSON-RPC/);
    }
  });

  it('blocking follows returnImmediately; unset leaves it off the wire', async () => {
    const c = client('0.3', 'jsonrpc', '/a2a');
    await c.send({ messageId: 'm', text: 'x' }, { returnImmediately: false });
    await c.send({ messageId: 'm', text: 'x' });
    expect(rpc(srv.requests[0]!).params).toMatchObject({ configuration: { blocking: true } });
    expect(rpc(srv.requests[1]!).params).toEqual({
      message: { kind: 'message', role: 'user', messageId: 'm', parts: [{ kind: 'text', text: 'x' }] },
    });
  });
});

describe('1.0 JSON-RPC requests', () => {
  it('PascalCase methods, ProtoJSON params, A2A-Version on every request, tenant in params', async () => {
    const c = client('1.0', 'jsonrpc', '/rpc', 'acme');
    const reqs = await exercise(c);
    expect(reqs).toHaveLength(11);
    for (const r of reqs) {
      expect(r.path).toBe('/rpc');
      expect(r.headers['a2a-version']).toBe('1.0');
      expect((rpc(r).params as { tenant?: string }).tenant).toBe('acme');
    }
    expect(reqs.map((r) => rpc(r).method)).toEqual([
      'SendMessage',
      'GetTask',
      'CancelTask',
      'ListTasks',
      'CreateTaskPushNotificationConfig',
      'GetTaskPushNotificationConfig',
      'ListTaskPushNotificationConfigs',
      'DeleteTaskPushNotificationConfig',
      'GetExtendedAgentCard',
      'SendStreamingMessage',
      'SubscribeToTask',
    ]);
    expect(rpc(reqs[0]!).params).toEqual({
      message: { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'hello' }], contextId: 'c-1' },
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, returnImmediately: true },
      tenant: 'acme',
    });
    expect(rpc(reqs[1]!).params).toEqual({ id: 't 1', historyLength: 3, tenant: 'acme' });
    expect(rpc(reqs[2]!).params).toEqual({ id: 't-1', tenant: 'acme' });
    expect(rpc(reqs[3]!).params).toEqual({ status: 'TASK_STATE_WORKING', pageSize: 5, tenant: 'acme' });
    expect(rpc(reqs[4]!).params).toEqual({
      taskId: 't-1',
      url: 'https://hook.example/cb',
      token: 'tk',
      authentication: { scheme: 'Bearer', credentials: 'cred' },
      tenant: 'acme',
    });
    expect(rpc(reqs[5]!).params).toEqual({ taskId: 't-1', id: 'cfg-1', tenant: 'acme' });
    expect(rpc(reqs[6]!).params).toEqual({ taskId: 't-1', tenant: 'acme' });
    expect(rpc(reqs[7]!).params).toEqual({ taskId: 't-1', id: 'cfg-1', tenant: 'acme' });
    expect(rpc(reqs[8]!).params).toEqual({ tenant: 'acme' });
    expect(rpc(reqs[10]!).params).toEqual({ id: 't-1', tenant: 'acme' });
  });

  it('no tenant declared → no tenant member; extended card params {}', async () => {
    const c = client('1.0', 'jsonrpc', '/rpc');
    await c.get('t-1');
    await c.extendedCard();
    expect(rpc(srv.requests[0]!).params).toEqual({ id: 't-1' });
    expect(rpc(srv.requests[1]!).params).toEqual({});
  });

  it('extraParams and headers are merged; the caller can override A2A-Version', async () => {
    const c = client('1.0', 'jsonrpc', '/rpc');
    await c.send(
      { messageId: 'm', text: 'x' },
      { extraParams: { 'x-unknown': 1 }, headers: { 'A2A-Extensions': 'urn:x', 'A2A-Version': '99.0' } },
    );
    expect(rpc(srv.requests[0]!).params).toMatchObject({ 'x-unknown': 1 });
    expect(srv.requests[0]!.headers['a2a-extensions']).toBe('urn:x');
    expect(srv.requests[0]!.headers['a2a-version']).toBe('99.0');
  });
});

describe('0.3 REST requests', () => {
  it(
    '/v1 paths, verbs, ProtoJSON-0.3 bodies, no ' +
      'A2A-Version; one trailing slash of the interface URL ' +
      'stripped',
    async () => {
      const c = client('0.3', 'rest', '/a2a/');
      const reqs = await exercise(c);
      expect(reqs.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /a2a/v1/message:send',
        'GET /a2a/v1/tasks/t%201?historyLength=3',
        'POST /a2a/v1/tasks/t-1:cancel',
        'GET /a2a/v1/tasks?status=TASK_STATE_WORKING&pageSize=5',
        'POST /a2a/v1/tasks/t-1/pushNotificationConfigs',
        'GET /a2a/v1/tasks/t-1/pushNotificationConfigs/cfg-1',
        'GET /a2a/v1/tasks/t-1/pushNotificationConfigs',
        'DELETE /a2a/v1/tasks/t-1/pushNotificationConfigs/cfg-1',
        'GET /a2a/v1/card',
        'POST /a2a/v1/message:stream',
        'POST /a2a/v1/tasks/t-1:subscribe',
      ]);
      for (const r of reqs) expect(r.headers['a2a-version']).toBeUndefined();
      expect(reqs[0]!.json).toEqual({
        message: { messageId: 'm-1', role: 'ROLE_USER', content: [{ text: 'hello' }], contextId: 'c-1' },
        configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, blocking: false },
      });
      expect(reqs[2]!.json).toEqual({ name: 'tasks/t-1' }); // cancel: body "*" (0.3 prose: { name })
      expect(reqs[4]!.json).toEqual({
        name: 'tasks/t-1/pushNotificationConfigs/',
        pushNotificationConfig: {
          url: 'https://hook.example/cb',
          token: 'tk',
          authentication: { schemes: ['Bearer'], credentials: 'cred' },
        },
      });
      expect(reqs[9]!.headers.accept).toBe('text/event-stream');
      expect(reqs[10]!.body).toBe('');
    },
  );

  it('file and data parts use the proto-0.3 spelling', () => {
    const c = client('0.3', 'rest', '/a2a');
    expect(
      c.encodeMessage({
        messageId: 'm',
        parts: [
          { kind: 'file', uri: 'https://f/x.png', mediaType: 'image/png' },
          { kind: 'file', bytes: 'aGk=', mediaType: 'text/plain' },
          { kind: 'data', data: { a: 1 } },
        ],
      }),
    ).toEqual({
      message: {
        messageId: 'm',
        role: 'ROLE_USER',
        content: [
          { file: { fileWithUri: 'https://f/x.png', mimeType: 'image/png' } },
          { file: { fileWithBytes: 'aGk=', mimeType: 'text/plain' } },
          { data: { data: { a: 1 } } },
        ],
      },
    });
  });
});

describe('1.0 REST requests', () => {
  it('unprefixed paths with /{tenant}, camelCase query, ProtoJSON bodies, A2A-Version', async () => {
    const c = client('1.0', 'rest', '/rest', 'acme');
    const reqs = await exercise(c);
    expect(reqs.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/acme/message:send',
      'GET /rest/acme/tasks/t%201?historyLength=3',
      'POST /rest/acme/tasks/t-1:cancel',
      'GET /rest/acme/tasks?status=TASK_STATE_WORKING&pageSize=5',
      'POST /rest/acme/tasks/t-1/pushNotificationConfigs',
      'GET /rest/acme/tasks/t-1/pushNotificationConfigs/cfg-1',
      'GET /rest/acme/tasks/t-1/pushNotificationConfigs',
      'DELETE /rest/acme/tasks/t-1/pushNotificationConfigs/cfg-1',
      'GET /rest/acme/extendedAgentCard',
      'POST /rest/acme/message:stream',
      'POST /rest/acme/tasks/t-1:subscribe',
    ]);
    for (const r of reqs) expect(r.headers['a2a-version']).toBe('1.0');
    expect(reqs[0]!.json).toEqual({
      message: { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'hello' }], contextId: 'c-1' },
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 2, returnImmediately: true },
    });
    expect(reqs[2]!.json).toEqual({}); // cancel: body "*" with the id in the path
    expect(reqs[2]!.headers['content-type']).toMatch(/json/);
    expect(reqs[4]!.json).toEqual({
      taskId: 't-1',
      url: 'https://hook.example/cb',
      token: 'tk',
      authentication: { scheme: 'Bearer', credentials: 'cred' },
    });
  });

  it('list query: every parameter camelCase, booleans and timestamps as text', async () => {
    const c = client('1.0', 'rest', '');
    await c.list({
      contextId: 'c 1',
      status: 'canceled',
      pageSize: 1,
      pageToken: 'p/2',
      historyLength: 0,
      statusTimestampAfter: '2026-01-01T00:00:00Z',
      includeArtifacts: false,
    });
    expect(srv.requests[0]!.path).toBe(
      '/tasks?contextId=c+1&status=TASK_STATE_CANCELED&pageSize=1&pageToken=p%2F2&historyLength=0' +
        '&statusTimestampAfter=2026-01-01T00%3A00%3A00Z&includeArtifacts=false',
    );
  });

  it('1.0 parts: raw/url/data with mediaType and filename', () => {
    const c = client('1.0', 'rest', '');
    expect(
      c.encodeMessage({
        messageId: 'm',
        referenceTaskIds: ['t-0'],
        parts: [
          { kind: 'file', uri: 'https://f/x.png', mediaType: 'image/png', name: 'x.png' },
          { kind: 'file', bytes: 'aGk=' },
          { kind: 'data', data: [1, 2] },
        ],
      }),
    ).toEqual({
      message: {
        messageId: 'm',
        role: 'ROLE_USER',
        referenceTaskIds: ['t-0'],
        parts: [
          { url: 'https://f/x.png', mediaType: 'image/png', filename: 'x.png' },
          { raw: 'aGk=' },
          { data: [1, 2] },
        ],
      },
    });
  });
});

describe('describe() and raw()', () => {
  it('describes operations per binding', () => {
    expect(client('1.0', 'jsonrpc', '').describe('send')).toBe('SendMessage');
    expect(client('0.3', 'jsonrpc', '').describe('subscribe')).toBe('tasks/resubscribe');
    expect(client('0.3', 'jsonrpc', '').describe('list')).toMatch(/absent/);
    expect(client('1.0', 'rest', '').describe('send')).toBe('POST /message:send');
    expect(client('1.0', 'rest', '', 'acme').describe('get')).toBe('GET /{tenant}/tasks/{id}');
    expect(client('0.3', 'rest', '').describe('extendedCard')).toBe('GET /v1/card');
    expect(client('0.3', 'rest', '').describe('deletePushConfig')).toBe(
      'DELETE /v1/tasks/{taskId}/pushNotificationConfigs/{id}',
    );
  });

  it('raw(): path resolved against the interface URL, verbatim string bodies, A2A-Version unless omitted', async () => {
    const c10 = client('1.0', 'rest', '/base/');
    const r = await c10.raw({ method: 'POST', path: '/message:send', body: '{not json', label: 'malformed' });
    expect(r.status).toBe(200);
    expect(srv.requests[0]!.path).toBe('/base/message:send');
    expect(srv.requests[0]!.body).toBe('{not json');
    expect(srv.requests[0]!.headers['a2a-version']).toBe('1.0');
    expect(r.exchange.label).toBe('malformed');
    await c10.raw({ method: 'GET', path: 'tasks', omitVersionHeader: true, withoutCredentials: true });
    expect(srv.requests[1]!.path).toBe('/base/tasks');
    expect(srv.requests[1]!.headers['a2a-version']).toBeUndefined();
    expect(srv.requests[1]!.headers.authorization).toBeUndefined();
    const c03 = client('0.3', 'jsonrpc', '/rpc');
    await c03.raw({ method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tasks/foo' } });
    expect(srv.requests[2]!.path).toBe('/rpc');
    expect(srv.requests[2]!.headers['a2a-version']).toBeUndefined();
    await c03.raw({ method: 'GET', url: `${srv.url}/elsewhere?x=1` });
    expect(srv.requests[3]!.path).toBe('/elsewhere?x=1');
  });

  it('encodeMessage() on JSON-RPC returns the whole request envelope', () => {
    const env = client('1.0', 'jsonrpc', '').encodeMessage({ messageId: 'm', text: 'hi' }) as Record<string, unknown>;
    expect(env).toMatchObject({
      jsonrpc: '2.0',
      method: 'SendMessage',
      params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
    });
    expect(typeof env.id).toBe('string');
    const m = client('0.3', 'jsonrpc', '').encodeMessage({ text: 'hi' }) as {
      params: { message: { messageId: string } };
    };
    expect(m.params.message.messageId).toMatch(/^msg-[0-9a-f-]{36}$/);
  });
});
