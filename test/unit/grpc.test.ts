/**
 * The gRPC layer: interface URL forms, the ProtoJSON ⇄ protobuf codec (unknown fields both ways), status details,
 * error identification, the expected gRPC status per spec profile, and bounded, recorded calls against real grpc-js
 * servers started here on 127.0.0.1 (deadline, idle window, refused connection, unary answered twice).
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTarget } from '../../src/config/types.js';
import { grpcCall, type GrpcCallSpec } from '../../src/grpc/call.js';
import { PriorityGate } from '../../src/runner/gate.js';
import { closeGrpcChannels } from '../../src/grpc/channels.js';
import { decodeMessage, encodeRequest } from '../../src/grpc/codec.js';
import { parseGrpcUrl } from '../../src/grpc/endpoint.js';
import { errorFromGrpc } from '../../src/grpc/errors.js';
import { messageType } from '../../src/grpc/registry.js';
import { decodeStatusDetails, encodeStatusDetails } from '../../src/grpc/status.js';
import type { HttpSession } from '../../src/http/session.js';
import type { Transcript } from '../../src/http/types.js';
import { isTransportError } from '../../src/http/transport-error.js';
import { judgeAnswer } from '../../suites/card/probe.js';
import { expectedEncoding } from '../../suites/lib/expect-error.js';

describe('parseGrpcUrl', () => {
  it('reads URL and host:port forms, TLS from the scheme or the target', () => {
    expect(parseGrpcUrl('https://grpc.example.com/a2a', 'https://x')).toEqual({
      address: 'grpc.example.com:443',
      tls: true,
      form: 'url',
      path: '/a2a',
    });
    expect(parseGrpcUrl('grpc://10.0.0.1:50051', 'https://x')).toMatchObject({ address: '10.0.0.1:50051', tls: false });
    expect(parseGrpcUrl('agent.example:8443', 'https://x')).toMatchObject({ tls: true, form: 'host-port' });
    expect(parseGrpcUrl('127.0.0.1:9000', 'http://127.0.0.1:1')).toMatchObject({ tls: false, form: 'host-port' });
    expect(parseGrpcUrl('[::1]:9000', 'http://x')).toMatchObject({ address: '[::1]:9000' });
  });
  it('rejects what no client can dial', () => {
    expect(parseGrpcUrl('tcp://h:1', 'http://x')).toHaveProperty('error');
    expect(parseGrpcUrl('', 'http://x')).toHaveProperty('error');
    expect(parseGrpcUrl('not a host', 'http://x')).toHaveProperty('error');
    expect(parseGrpcUrl('h:99999', 'http://x')).toHaveProperty('error');
  });
});

describe('codec', () => {
  const Req = messageType('lf.a2a.v1.SendMessageRequest');
  const Task = messageType('lf.a2a.v1.Task');

  it('round-trips ProtoJSON and sends unknown request keys as unknown fields', () => {
    const json = {
      message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'hi' }] },
      configuration: { returnImmediately: true },
      notAField: { x: 1 },
    };
    const enc = encodeRequest(Req, json);
    expect(enc.extras).toEqual([{ no: 9000, key: 'notAField' }]);
    const back = decodeMessage(Req, enc.bytes);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.json).toEqual({
      message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'hi' }] },
      configuration: { returnImmediately: true },
    });
    expect(back.unknownFields).toEqual(['(root): field 9000 (wire type 2)']);
  });

  it('names unknown fields by path, through oneofs', () => {
    const Stream = messageType('lf.a2a.v1.StreamResponse');
    const inner = Buffer.concat([
      Buffer.from(encodeRequest(Task, { id: 't1', contextId: 'c1' }).bytes),
      Buffer.from([0x92, 0x89, 0x02, 0x01, 0x78]), // field 4242, "x"
    ]);
    const outer = Buffer.concat([Buffer.from([0x0a, inner.length]), inner]); // StreamResponse.task = 1
    const d = decodeMessage(Stream, outer);
    expect(d.ok && d.json).toEqual({ task: { id: 't1', contextId: 'c1' } });
    expect(d.unknownFields).toEqual(['task: field 4242 (wire type 2)']);
  });

  it('reports garbage instead of throwing', () => {
    const d = decodeMessage(Task, Buffer.from([0xff, 0xff, 0xff]));
    expect(d.ok).toBe(false);
  });
});

describe('status details and errors', () => {
  const bin = encodeStatusDetails({
    code: 5,
    message: 'no such task',
    errorInfo: { reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org', metadata: { taskId: 't1' } },
  });

  it('decodes google.rpc.Status with ErrorInfo to ProtoJSON', () => {
    const d = decodeStatusDetails(bin);
    expect(d.errorInfo).toEqual({ reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org', metadata: { taskId: 't1' } });
    expect(d.json).toEqual({
      code: 5,
      message: 'no such task',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'TASK_NOT_FOUND',
          domain: 'a2a-protocol.org',
          metadata: { taskId: 't1' },
        },
      ],
    });
    expect(decodeStatusDetails(Buffer.from([0x0a, 0xff])).error).toMatch(/google.rpc.Status/);
  });

  const result = (code: number, codeName: string, withDetails: boolean) =>
    ({
      code,
      codeName,
      details: 'x',
      headers: {},
      trailers: {},
      ...(withDetails ? { statusDetails: decodeStatusDetails(bin) } : {}),
      headersReceived: true,
      messages: [],
      messageCount: 0,
      end: 'closed',
      durationMs: 1,
      exchange: { seq: 1, label: 'x', request: { method: 'POST', url: 'grpc://h:1/x', headers: {} }, startedAt: 0 },
    }) as Parameters<typeof errorFromGrpc>[0];

  it('identifies by ErrorInfo first, else by status with the alternatives the code stands for', () => {
    expect(errorFromGrpc(result(13, 'INTERNAL', true))).toMatchObject({
      name: 'TaskNotFound',
      identifiedBy: 'error-info',
      grpcStatus: 'INTERNAL',
      raw: { details: [{ reason: 'TASK_NOT_FOUND' }] },
    });
    const e = errorFromGrpc(result(9, 'FAILED_PRECONDITION', false));
    expect(e).toMatchObject({ name: 'TaskNotCancelable', identifiedBy: 'grpc-status' });
    expect(e.alternatives).toContain('UnsupportedOperation');
    expect(errorFromGrpc(result(2, 'UNKNOWN', false)).name).toBe('Unknown');
  });

  it('expects the gRPC column of the spec profile (1.0.1 changed three codes)', () => {
    const changed = ['PushNotificationNotSupported', 'UnsupportedOperation', 'VersionNotSupported'] as const;
    for (const n of changed) {
      expect(expectedEncoding(n, '1.0', 'grpc', '1.0.0')).toEqual({ grpcStatus: 'UNIMPLEMENTED' });
      expect(expectedEncoding(n, '1.0', 'grpc', '1.0.1')).toEqual({ grpcStatus: 'FAILED_PRECONDITION' });
    }
    expect(expectedEncoding('TaskNotFound', '0.3', 'grpc', '1.0.1')).toEqual({ grpcStatus: 'NOT_FOUND' });
    expect(expectedEncoding('TaskNotCancelable', '0.3', 'grpc', '1.0.1')).toEqual({ grpcError: true });
  });
});

describe('does a declared gRPC interface speak gRPC (card.interfaces.answer)', () => {
  const ex = (status?: { code: number; name: string; message: string }) => ({
    seq: 1,
    label: 'probe',
    request: { method: 'POST', url: 'grpc://h:1/lf.a2a.v1.A2AService/GetTask', headers: {} },
    startedAt: 0,
    ...(status ? {} : { error: 'connect: refused' }),
    grpc: {
      method: '/lf.a2a.v1.A2AService/GetTask',
      address: 'h:1',
      tls: false,
      requestBytes: 3,
      ...(status ? { status } : {}),
    },
  });
  it('an A2A error is an answer; a missing service, an HTTP server or no answer is not', () => {
    expect(judgeAnswer('grpc', ex({ code: 5, name: 'NOT_FOUND', message: 'no task' })).speaks).toBe(true);
    expect(judgeAnswer('grpc', ex({ code: 12, name: 'UNIMPLEMENTED', message: 'unknown service' })).speaks).toBe(false);
    const http = judgeAnswer('grpc', ex({ code: 12, name: 'UNIMPLEMENTED', message: 'Received HTTP status code 404' }));
    expect(http).toMatchObject({ speaks: false, observed: expect.stringMatching(/answers HTTP/) });
    expect(judgeAnswer('grpc', ex()).speaks).toBe(false);
  });
});

// ---- calls against real grpc-js servers on 127.0.0.1

function fakeSession(): HttpSession {
  const transcript: Transcript = { id: 't', exchanges: [] };
  return {
    transcript,
    request: () => Promise.reject(new Error('no HTTP here')),
    sse: () => {
      throw new Error('no HTTP here');
    },
    annotate: () => undefined,
  };
}

const target = {
  name: 'grpc-unit',
  url: 'http://127.0.0.1:1',
  headers: { authorization: 'Bearer sekret-token' },
  secrets: ['sekret-token'],
  timeoutMs: 2000,
  streamIdleTimeoutMs: 300,
  maxBodyBytes: 1024 * 1024,
} as unknown as ResolvedTarget;

describe('grpcCall', () => {
  let server: grpc.Server;
  let port = 0;
  const Task = messageType('lf.a2a.v1.Task');
  const taskBytes = () => encodeRequest(Task, { id: 't1', contextId: 'c1' }).bytes;

  beforeAll(async () => {
    server = new grpc.Server();
    const id = (b: Buffer) => b;
    const method = (name: string) => ({
      path: `/test.Svc/${name}`,
      requestStream: false,
      responseStream: true,
      requestSerialize: id,
      requestDeserialize: id,
      responseSerialize: id,
      responseDeserialize: id,
    });
    server.addService(
      { Twice: method('Twice'), Hang: method('Hang'), Fail: method('Fail'), Huge: method('Huge') },
      {
        Huge: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          // A Task whose id is 2 MiB: over the target's 1 MiB cap.
          call.write(encodeRequest(Task, { id: 'x'.repeat(2 * 1024 * 1024) }).bytes);
          call.end();
        },
        Twice: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          call.write(taskBytes());
          call.write(taskBytes());
          call.end();
        },
        Hang: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          call.sendMetadata(new grpc.Metadata());
          call.write(taskBytes());
        },
        Fail: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          const md = new grpc.Metadata();
          md.set('grpc-status-details-bin', encodeStatusDetails({ code: 5, message: 'gone' }));
          call.emit('error', { code: 5, details: 'gone: sekret-token', metadata: md });
        },
      },
    );
    port = await new Promise<number>((res, rej) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
    );
  });
  afterAll(() => {
    closeGrpcChannels(target);
    server.forceShutdown();
  });

  const spec = (name: string, streaming: boolean, p = port): GrpcCallSpec => ({
    endpoint: { address: `127.0.0.1:${p}`, tls: false, form: 'url', path: '' },
    path: `/test.Svc/${name}`,
    streaming,
    request: encodeRequest(messageType('lf.a2a.v1.GetTaskRequest'), { id: 'x' }),
    responseType: Task,
    metadata: { 'a2a-version': '1.0' },
    label: name,
  });

  it('records every message, the status and redacted metadata', async () => {
    const session = fakeSession();
    const r = await grpcCall(session, target, spec('Twice', false)).done;
    expect(r.code).toBe(0);
    expect(r.messageCount).toBe(2);
    const ex = session.transcript.exchanges[0]!;
    expect(ex.request.headers['a2a-version']).toBe('1.0');
    expect(JSON.stringify(ex)).not.toContain('sekret-token');
    expect(ex.grpc?.responses).toHaveLength(2);
    expect(ex.grpc?.status).toMatchObject({ code: 0, name: 'OK' });
  });

  it('decodes the status details of an error and redacts its message', async () => {
    const session = fakeSession();
    const r = await grpcCall(session, target, spec('Fail', false)).done;
    expect(r.codeName).toBe('NOT_FOUND');
    expect(r.statusDetails?.json).toEqual({ code: 5, message: 'gone' });
    expect(session.transcript.exchanges[0]!.grpc?.status?.message).toBe('gone: «redacted»');
  });

  it('refuses a message over maxBodyBytes with a clear status instead of reading it', async () => {
    const r = await grpcCall(fakeSession(), target, spec('Huge', false)).done;
    expect(r.codeName).toBe('RESOURCE_EXHAUSTED');
    expect(r.messageCount).toBe(0);
  });

  it('ends a silent stream at the idle window', async () => {
    const r = await grpcCall(fakeSession(), target, spec('Hang', true)).done;
    expect(r.end).toBe('idle-timeout');
    expect(r.messageCount).toBe(1);
  });

  it('waits for a request slot before the call goes out, and frees it once the server answered', async () => {
    const gate = new PriorityGate(1);
    const held = await gate.acquire();
    const session: HttpSession = { ...fakeSession(), acquireSlot: () => gate.acquire() };
    const call = grpcCall(session, target, spec('Twice', false));
    let started = false;
    void call.started.then(() => {
      started = true;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(started).toBe(false); // the only slot is taken: nothing was sent
    held();
    const r = await call.done;
    expect(r.messageCount).toBe(2);
    expect(gate.inFlight).toBe(0);

    const ac = new AbortController();
    const blocker = await gate.acquire();
    const aborted = grpcCall(
      { ...fakeSession(), acquireSlot: () => gate.acquire(ac.signal) },
      target,
      spec('Twice', false),
    );
    ac.abort(new Error('check timeout'));
    const err = await aborted.done.catch((e: unknown) => e);
    expect(isTransportError(err) && err.kind).toBe('aborted');
    blocker();
  });

  it('rejects with a connect TransportError when nothing listens', async () => {
    const closed = new grpc.Server();
    const p = await new Promise<number>((res, rej) =>
      closed.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, q) => (e ? rej(e) : res(q))),
    );
    closed.forceShutdown();
    const err = await grpcCall(fakeSession(), target, spec('Twice', false, p)).done.catch((e: unknown) => e);
    expect(isTransportError(err) && err.kind).toBe('connect');
  });
});
