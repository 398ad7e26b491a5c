/**
 * The gRPC adapters against the official SDK's gRPC services (the bundled reference agents): every operation per
 * version, decoded into the neutral model, and recorded as the harness saw it (method path, metadata, ProtoJSON
 * bodies with protobuf sizes, stream messages with arrival times, status and decoded status details).
 */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolVersion } from '../../src/core/types.js';
import { closeGrpcChannels } from '../../src/grpc/channels.js';
import { createHttpSession } from '../../src/http/undici-session.js';
import type { A2AClient } from '../../src/protocol/client.js';
import { createClient } from '../../src/protocol/create-client.js';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { makeTarget } from '../helpers/loopback-server.js';

let v1: Awaited<ReturnType<typeof startV1Agent>>;
let v03: Awaited<ReturnType<typeof startV03Agent>>;
const dispatcher = new Agent();
const target = makeTarget({ url: 'http://127.0.0.1:1' });

beforeAll(async () => {
  [v1, v03] = await Promise.all([startV1Agent(), startV03Agent()]);
});
afterAll(async () => {
  closeGrpcChannels(target);
  await Promise.all([v1.close(), v03.close(), dispatcher.close()]);
});

function client(agent: typeof v1 | typeof v03, version: ProtocolVersion): A2AClient {
  const iface = agent.interfaces.find((i) => i.binding === 'GRPC')!;
  const session = createHttpSession({ target, dispatcher, transcriptId: `grpc-${version}`, checkId: 'grpc-it' });
  return createClient({ version, binding: 'grpc', url: iface.url, session, target });
}

describe.each([
  // The 1.x SDK sends ErrorInfo on both of its services; SDK 0.3.14 sends none (0.3 does not require it).
  ['1.0 on the 1.x SDK', () => client(v1, '1.0'), 'lf.a2a.v1.A2AService', 'error-info'],
  ['0.3 through the 1.x compat layer', () => client(v1, '0.3'), 'a2a.v1.A2AService', 'error-info'],
  ['0.3 on SDK 0.3.14', () => client(v03, '0.3'), 'a2a.v1.A2AService', 'grpc-status'],
])('%s', (_name, make, service, identifiedBy) => {
  it('sends, gets and records the call', async () => {
    const c = make();
    const sent = await c.send({ messageId: 'ref-task-grpc-1', text: 'make a report' });
    expect(sent.ok).toBe(true);
    if (!sent.ok || sent.value.kind !== 'task') throw new Error('expected a task');
    const task = sent.value.task;
    expect(task.status.state).toBe('completed');
    const ex = sent.exchange;
    expect(ex.grpc?.method).toBe(`/${service}/SendMessage`);
    expect(ex.grpc?.status?.name).toBe('OK');
    expect(ex.grpc?.responses?.[0]?.bytes).toBe(ex.response?.body?.bytes);
    expect(ex.request.headers['a2a-version']).toBe(c.version === '1.0' ? '1.0' : undefined);
    expect(JSON.parse(ex.request.body!.text)).toMatchObject({ message: { messageId: 'ref-task-grpc-1' } });

    const got = await c.get(task.id);
    expect(got.ok && got.value.id).toBe(task.id);
    expect(got.ok && got.value.artifacts?.length).toBe(1);
    expect(got.schemaErrors).toEqual([]);
  });

  it('streams with per-message arrival times and ends with OK', async () => {
    const r = await make().stream({ messageId: 'ref-task-grpc-2', text: 'make a report' }).done;
    expect(r.error).toBeUndefined();
    expect(r.end).toBe('closed');
    expect(r.events[0]?.item.kind).toBe('task');
    const last = r.events[r.events.length - 1]!.item;
    expect(last.kind === 'status-update' && last.update.status.state).toBe('completed');
    const times = r.events.map((e) => e.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(r.exchange.response?.events).toHaveLength(r.events.length);
    expect(r.exchange.grpc?.status?.name).toBe('OK');
  });

  it('answers an unknown task with NOT_FOUND, identified as TaskNotFound', async () => {
    const c = make();
    const r = await c.get('no-such-task-grpc');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ name: 'TaskNotFound', grpcStatus: 'NOT_FOUND' });
    expect(r.error.identifiedBy).toBe(identifiedBy);
    const sub = await c.subscribe('no-such-task-grpc').done;
    expect(sub.error?.name).toBe('TaskNotFound');
  });

  it('creates, lists, gets and deletes a push config', async () => {
    const c = make();
    const sent = await c.send({ messageId: 'ref-slow-grpc', text: 'long job' }, { returnImmediately: true });
    if (!sent.ok || sent.value.kind !== 'task') throw new Error('expected a task');
    const taskId = sent.value.task.id;
    const created = await c.createPushConfig(taskId, { id: 'cfg-grpc', url: 'https://push.invalid/hook', token: 't' });
    expect(created.ok && created.value).toMatchObject({ id: 'cfg-grpc', url: 'https://push.invalid/hook' });
    const list = await c.listPushConfigs(taskId);
    expect(list.ok && list.value.map((p) => p.id)).toEqual(['cfg-grpc']);
    const got = await c.getPushConfig(taskId, 'cfg-grpc');
    expect(got.ok && got.value.taskId).toBe(taskId);
    const del = await c.deletePushConfig(taskId, 'cfg-grpc');
    expect(del.ok).toBe(true);
    await c.cancel(taskId);
  });
});

describe('1.0 only', () => {
  it('ListTasks pages through lf.a2a.v1.A2AService/ListTasks; 0.3 has no such method and sends nothing', async () => {
    const r = await client(v1, '1.0').list({ pageSize: 1 });
    expect(r.ok && r.value.tasks.length).toBe(1);
    const none = await client(v03, '0.3').list({ pageSize: 1 });
    expect(none.ok).toBe(false);
    expect(none.exchange.request.method).toBe('NONE');
  });
});
