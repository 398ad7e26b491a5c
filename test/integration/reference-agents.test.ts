/**
 * The bundled reference agents, exercised over plain fetch: cards, every trigger over 1.0 JSON-RPC and 0.3 JSON-RPC,
 * streaming of the chunked artifact, cancel of the slow task, REST sanity, the capability-off variants, and the
 * command-line start-up contract. A few tests pin SDK behaviours that deviate from the spec (see
 * reference-agents/README.md, "Observed SDK behaviour"), so an SDK upgrade that changes them is noticed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { REFERENCE_TRIGGERS, selectTrigger } from '../../reference-agents/triggers.js';
import { READY_PREFIX } from '../../reference-agents/runtime.js';

// Response bodies are inspected loosely: the assertions themselves are the schema.
type Json = any;

const V1_HEADERS = { 'A2A-Version': '1.0' };
/** The gRPC interface URL an agent declares (its own port). */
const grpcUrl = (a: { interfaces: ReadonlyArray<{ url: string; binding: string }> }): string =>
  a.interfaces.find((i) => i.binding === 'GRPC')?.url ?? '(no gRPC interface)';

let v1: Awaited<ReturnType<typeof startV1Agent>>;
let v03: Awaited<ReturnType<typeof startV03Agent>>;

beforeAll(async () => {
  [v1, v03] = await Promise.all([startV1Agent({ port: 0 }), startV03Agent({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([v1?.close(), v03?.close()]);
});

let seq = 0;
const uid = (p = 'm'): string => `${p}-${Date.now()}-${++seq}`;

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Json }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** Reads a whole SSE response (the server closes it) and returns the parsed `data:` payloads. */
async function sse(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; events: Json[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  const events = text
    .split(/\r?\n\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n'),
    )
    .filter((d) => d.length > 0)
    .map((d) => JSON.parse(d));
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', events };
}

const rpc = (method: string, params: unknown): Json => ({ jsonrpc: '2.0', id: uid('rpc'), method, params });
const msg10 = (text: string, extra: Record<string, unknown> = {}): Json => ({
  role: 'ROLE_USER',
  messageId: uid(),
  parts: [{ text }],
  ...extra,
});
const msg03 = (text: string, extra: Record<string, unknown> = {}): Json => ({
  kind: 'message',
  role: 'user',
  messageId: uid(),
  parts: [{ kind: 'text', text }],
  ...extra,
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('trigger convention', () => {
  it('selects by messageId prefix first, then by trimmed case-insensitive first text, else message', () => {
    expect(selectTrigger('  Make A Report ', 'x')).toBe('task');
    expect(selectTrigger('hello', 'ref-slow-1')).toBe('slow');
    expect(selectTrigger('book a table please', 'abc')).toBe('message');
    expect(selectTrigger(undefined, 'ref-auth')).toBe('auth-required');
    for (const [name, t] of Object.entries(REFERENCE_TRIGGERS)) {
      expect(selectTrigger(t.text.toUpperCase(), 'none')).toBe(name);
      expect(selectTrigger('whatever', `${t.messageIdPrefix}-42`)).toBe(name);
    }
  });
});

describe('agent cards', () => {
  it('1.x agent with A2A-Version: 1.0 serves the 1.0 card with absolute interface URLs', async () => {
    const { status, headers, json } = await getJson(`${v1.baseUrl}/.well-known/agent-card.json`, V1_HEADERS);
    expect(status).toBe(200);
    expect(headers.get('vary')).toMatch(/A2A-Version/i);
    expect(json.url).toBeUndefined();
    expect(json.capabilities).toMatchObject({ streaming: true, pushNotifications: true });
    expect(json.supportedInterfaces).toEqual([
      { url: `${v1.baseUrl}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url: `${v1.baseUrl}/a2a/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0', tenant: '' },
      { url: `${v1.baseUrl}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
      { url: `${v1.baseUrl}/a2a/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '0.3', tenant: '' },
      { url: grpcUrl(v1), protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: '' },
      { url: grpcUrl(v1), protocolBinding: 'GRPC', protocolVersion: '0.3', tenant: '' },
    ]);
    // Its own port, URL form (1.0.1 §4.4.6), plaintext on loopback.
    expect(grpcUrl(v1)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(grpcUrl(v1)).not.toBe(v1.baseUrl);
    expect(json.skills.length).toBeGreaterThan(0);
    expect(json.defaultInputModes).toEqual(['text/plain']);
  });

  it(
    '1.x agent without A2A-Version serves a hybrid 0.3 ' + 'card (0.3 top level + embedded supportedInterfaces)',
    async () => {
      const { status, headers, json } = await getJson(`${v1.baseUrl}/.well-known/agent-card.json`);
      expect(status).toBe(200);
      expect(headers.get('vary')).toMatch(/A2A-Version/i);
      expect(json).toMatchObject({
        url: `${v1.baseUrl}/a2a/jsonrpc`,
        preferredTransport: 'JSONRPC',
        protocolVersion: '0.3', // the SDK copies the interface's "0.3", not the 0.3 schema's "0.3.0"
        additionalInterfaces: [
          { url: `${v1.baseUrl}/a2a/rest`, transport: 'HTTP+JSON' },
          { url: grpcUrl(v1), transport: 'GRPC' },
        ],
        capabilities: { streaming: true, pushNotifications: true },
      });
      expect(json.supportedInterfaces).toHaveLength(6);
      const explicit03 = await getJson(`${v1.baseUrl}/.well-known/agent-card.json`, { 'A2A-Version': '0.3' });
      expect(explicit03.json).toEqual(json);
    },
  );

  it('0.3 agent serves a 0.3 card (url + preferredTransport + additionalInterfaces)', async () => {
    const { status, json } = await getJson(`${v03.baseUrl}/.well-known/agent-card.json`);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      protocolVersion: '0.3.0',
      url: `${v03.baseUrl}/a2a/jsonrpc`,
      preferredTransport: 'JSONRPC',
      additionalInterfaces: [
        { url: `${v03.baseUrl}/a2a/jsonrpc`, transport: 'JSONRPC' },
        { url: `${v03.baseUrl}/a2a/rest`, transport: 'HTTP+JSON' },
        { url: grpcUrl(v03), transport: 'GRPC' },
      ],
      capabilities: { streaming: true, pushNotifications: true },
    });
    expect(json.supportedInterfaces).toBeUndefined();
  });

  it('REF_AGENT_NO_STREAMING / REF_AGENT_NO_PUSH variants turn the capabilities off', async () => {
    const [a, b] = await Promise.all([
      startV1Agent({ streaming: false, pushNotifications: false }),
      startV03Agent({ streaming: false, pushNotifications: false }),
    ]);
    try {
      const ca = await getJson(`${a.baseUrl}/.well-known/agent-card.json`, V1_HEADERS);
      expect(ca.json.capabilities).toMatchObject({ streaming: false, pushNotifications: false });
      const cb = await getJson(`${b.baseUrl}/.well-known/agent-card.json`);
      expect(cb.json.capabilities).toMatchObject({ streaming: false, pushNotifications: false });
      const s = await postJson(
        `${a.baseUrl}/a2a/jsonrpc`,
        rpc('SendStreamingMessage', { message: msg10('make a report') }),
        V1_HEADERS,
      );
      expect(s.json.error.code).toBe(-32004);
      const p = await postJson(
        `${b.baseUrl}/a2a/jsonrpc`,
        rpc('tasks/pushNotificationConfig/set', {
          taskId: 'x',
          pushNotificationConfig: { url: 'http://127.0.0.1:9/hook' },
        }),
      );
      expect(p.json.error.code).toBe(-32003);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

const TASK_TRIGGERS_10: Array<[keyof typeof REFERENCE_TRIGGERS, string]> = [
  ['task', 'TASK_STATE_COMPLETED'],
  ['input-required', 'TASK_STATE_INPUT_REQUIRED'],
  ['failed', 'TASK_STATE_FAILED'],
  ['rejected', 'TASK_STATE_REJECTED'],
  ['auth-required', 'TASK_STATE_AUTH_REQUIRED'],
];
const TASK_TRIGGERS_03: Array<[keyof typeof REFERENCE_TRIGGERS, string]> = [
  ['task', 'completed'],
  ['input-required', 'input-required'],
  ['failed', 'failed'],
  ['rejected', 'rejected'],
  ['auth-required', 'auth-required'],
];

describe('1.0 JSON-RPC SendMessage on the 1.x agent', () => {
  const send = (message: Json, configuration?: Json) =>
    postJson(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendMessage', { message, ...(configuration ? { configuration } : {}) }),
      V1_HEADERS,
    );

  it.each(['hello', 'something unrelated'])('text %j gets a direct Message reply', async (text) => {
    const { json } = await send(msg10(text));
    expect(json.result.task).toBeUndefined();
    expect(json.result.message.role).toBe('ROLE_AGENT');
    expect(json.result.message.parts[0].text).toContain(text);
  });

  it.each(TASK_TRIGGERS_10)('trigger %s (by text and by messageId prefix) ends in %s', async (name, state) => {
    const t = REFERENCE_TRIGGERS[name];
    for (const message of [msg10(t.text), { ...msg10('anything'), messageId: uid(t.messageIdPrefix) }]) {
      const { json } = await send(message);
      expect(json.error).toBeUndefined();
      expect(json.result.task.status.state).toBe(state);
      if (state !== 'TASK_STATE_COMPLETED') expect(json.result.task.status.message?.parts?.[0]?.text).toBeTruthy();
    }
  });

  it('the report task carries one artifact assembled from 3 chunks', async () => {
    const { json } = await send(msg10('make a report'));
    expect(json.result.task.artifacts).toHaveLength(1);
    expect(json.result.task.artifacts[0].parts).toHaveLength(3);
  });

  it('a follow-up on the input-required task completes it with an artifact', async () => {
    const first = await send(msg10('book a table'));
    const task = first.json.result.task;
    const second = await send(msg10('8 pm, two people', { taskId: task.id, contextId: task.contextId }));
    expect(second.json.result.task.id).toBe(task.id);
    expect(second.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(second.json.result.task.artifacts.length).toBeGreaterThan(0);
  });

  it('the slow task can be canceled promptly and stays canceled', async () => {
    const started = await send(msg10('long job'), { returnImmediately: true });
    const taskId = started.json.result.task.id;
    await sleep(300);
    const t0 = Date.now();
    const canceled = await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('CancelTask', { id: taskId }), V1_HEADERS);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(canceled.json.result.status.state).toBe('TASK_STATE_CANCELED');
    await sleep(700); // more than one 400 ms tick of the slow script
    const after = await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('GetTask', { id: taskId }), V1_HEADERS);
    expect(after.json.result.status.state).toBe('TASK_STATE_CANCELED');
    expect(after.json.result.artifacts ?? []).toHaveLength(0);
  });
});

describe.concurrent('0.3 JSON-RPC message/send', () => {
  const targets = (): Array<[string, string, Record<string, string>]> => [
    ['1.x agent (compat, no A2A-Version header)', `${v1.baseUrl}/a2a/jsonrpc`, {}],
    ['0.3 agent', `${v03.baseUrl}/a2a/jsonrpc`, {}],
  ];

  it.for([0, 1])('target #%i: every trigger reaches its state', async (i, { expect }) => {
    const [, url, headers] = targets()[i]!;
    const hello = await postJson(url, rpc('message/send', { message: msg03('hello') }), headers);
    expect(hello.json.result.kind).toBe('message');
    expect(hello.json.result.role).toBe('agent');
    for (const [name, state] of TASK_TRIGGERS_03) {
      const { json } = await postJson(
        url,
        rpc('message/send', { message: msg03(REFERENCE_TRIGGERS[name].text) }),
        headers,
      );
      expect(json.result.kind, name).toBe('task');
      expect(json.result.status.state, name).toBe(state);
    }
    const byPrefix = await postJson(
      url,
      rpc('message/send', { message: { ...msg03('x'), messageId: uid('ref-fail') } }),
      headers,
    );
    expect(byPrefix.json.result.status.state).toBe('failed');
  });

  it.for([0, 1])('target #%i: the slow task is cancelable', async (i, { expect }) => {
    const [, url, headers] = targets()[i]!;
    const started = await postJson(
      url,
      rpc('message/send', { message: msg03('long job'), configuration: { blocking: false } }),
      headers,
    );
    const taskId = started.json.result.id;
    await sleep(300);
    const canceled = await postJson(url, rpc('tasks/cancel', { id: taskId }), headers);
    expect(canceled.json.result.status.state).toBe('canceled');
    await sleep(600);
    const after = await postJson(url, rpc('tasks/get', { id: taskId, historyLength: 10 }), headers);
    expect(after.json.result.status.state).toBe('canceled');
  });
});

describe('streaming the chunked report', () => {
  it('1.0 SendStreamingMessage yields task, working, 3 artifact chunks (append/lastChunk), completed', async () => {
    const { status, contentType, events } = await sse(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendStreamingMessage', { message: msg10('make a report') }),
      V1_HEADERS,
    );
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    const results = events.map((e) => e.result);
    expect(Object.keys(results[0])).toEqual(['task']);
    const chunks = results.filter((r) => r.artifactUpdate).map((r) => r.artifactUpdate);
    expect(chunks).toHaveLength(3);
    expect(new Set(chunks.map((c) => c.artifact.artifactId)).size).toBe(1);
    expect(chunks.map((c) => Boolean(c.append))).toEqual([false, true, true]);
    expect(chunks.map((c) => Boolean(c.lastChunk))).toEqual([false, false, true]);
    expect(results.at(-1).statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('0.3 message/stream on the 0.3 agent yields kind-tagged events ending with final: true', async () => {
    const { contentType, events } = await sse(
      `${v03.baseUrl}/a2a/jsonrpc`,
      rpc('message/stream', { message: msg03('make a report') }),
    );
    expect(contentType).toMatch(/^text\/event-stream/);
    const results = events.map((e) => e.result);
    expect(results[0].kind).toBe('task');
    const chunks = results.filter((r) => r.kind === 'artifact-update');
    expect(chunks.map((c) => [c.append, c.lastChunk])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(results.at(-1)).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
  });

  it('0.3 message/stream through the 1.x compat layer yields the same sequence', async () => {
    const { events } = await sse(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('message/stream', { message: msg03('make a report') }),
    );
    const kinds = events.map((e) => e.result.kind);
    expect(kinds).toEqual([
      'task',
      'status-update',
      'artifact-update',
      'artifact-update',
      'artifact-update',
      'status-update',
    ]);
    expect(events.at(-1).result).toMatchObject({ final: true, status: { state: 'completed' } });
  });

  it('cancel during a 1.0 stream of the slow task ends the stream with CANCELED', async () => {
    const started = await postJson(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendMessage', { message: msg10('long job'), configuration: { returnImmediately: true } }),
      V1_HEADERS,
    );
    const taskId = started.json.result.task.id;
    const streamed = sse(`${v1.baseUrl}/a2a/jsonrpc`, rpc('SubscribeToTask', { id: taskId }), V1_HEADERS);
    await sleep(600);
    await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('CancelTask', { id: taskId }), V1_HEADERS);
    const { events } = await streamed;
    const results = events.map((e) => e.result);
    expect(Object.keys(results[0])).toEqual(['task']);
    expect(results.at(-1).statusUpdate.status.state).toBe('TASK_STATE_CANCELED');
  });
});

describe('HTTP+JSON', () => {
  it('1.0 REST POST /a2a/rest/message:send on the 1.x agent', async () => {
    const { status, headers, json } = await postJson(
      `${v1.baseUrl}/a2a/rest/message:send`,
      { message: msg10('make a report') },
      V1_HEADERS,
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/a2a\+json/);
    expect(json.task.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('0.3 REST POST /a2a/rest/v1/message:send on both agents (proto-JSON of proto-0.3)', async () => {
    for (const base of [v1.baseUrl, v03.baseUrl]) {
      const { status, json } = await postJson(`${base}/a2a/rest/v1/message:send`, {
        request: { messageId: uid(), role: 'ROLE_USER', content: [{ text: 'fail please' }] },
      });
      expect(status, base).toBe(201); // both SDK lines answer 201 Created
      expect(json.task.status.state, base).toBe('TASK_STATE_FAILED');
    }
  });
});

describe('observed SDK behaviour (documented deviations, see reference-agents/README.md)', () => {
  it('1.x: cancel of an already-canceled task returns the task; 0.3.14: TaskNotCancelable', async () => {
    const s1 = await postJson(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendMessage', { message: msg10('long job'), configuration: { returnImmediately: true } }),
      V1_HEADERS,
    );
    const id1 = s1.json.result.task.id;
    await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('CancelTask', { id: id1 }), V1_HEADERS);
    const again1 = await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('CancelTask', { id: id1 }), V1_HEADERS);
    expect(again1.json.result.status.state).toBe('TASK_STATE_CANCELED');

    const s3 = await postJson(
      `${v03.baseUrl}/a2a/jsonrpc`,
      rpc('message/send', { message: msg03('long job'), configuration: { blocking: false } }),
    );
    const id3 = s3.json.result.id;
    await postJson(`${v03.baseUrl}/a2a/jsonrpc`, rpc('tasks/cancel', { id: id3 }));
    const again3 = await postJson(`${v03.baseUrl}/a2a/jsonrpc`, rpc('tasks/cancel', { id: id3 }));
    expect(again3.json.error.code).toBe(-32002);
  });

  it(
    '0.3.14: tasks/get without historyLength returns an ' + 'empty history, historyLength 0 returns all of it',
    async () => {
      const sent = await postJson(
        `${v03.baseUrl}/a2a/jsonrpc`,
        rpc('message/send', { message: msg03('make a report') }),
      );
      const id = sent.json.result.id;
      const noLimit = await postJson(`${v03.baseUrl}/a2a/jsonrpc`, rpc('tasks/get', { id }));
      expect(noLimit.json.result.history ?? []).toHaveLength(0);
      const zero = await postJson(`${v03.baseUrl}/a2a/jsonrpc`, rpc('tasks/get', { id, historyLength: 0 }));
      expect(zero.json.result.history.length).toBeGreaterThan(0);
    },
  );

  it('1.x: an A2A-Version with a patch number (1.0.0) is rejected with -32009', async () => {
    const r = await postJson(`${v1.baseUrl}/a2a/jsonrpc`, rpc('SendMessage', { message: msg10('hello') }), {
      'A2A-Version': '1.0.0',
    });
    expect(r.json.error.code).toBe(-32009);
  });

  it('1.x: a 1.0 REST call without A2A-Version is served with 1.0 semantics (not rejected, not 0.3)', async () => {
    const r = await postJson(`${v1.baseUrl}/a2a/rest/message:send`, { message: msg10('hello') });
    expect(r.status).toBe(200);
    expect(r.json.message.role).toBe('ROLE_AGENT');
  });

  it('1.x compat: 0.3 `configuration` without `blocking` is treated as non-blocking', async () => {
    const r = await postJson(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('message/send', { message: msg03('make a report'), configuration: { historyLength: 5 } }),
    );
    expect(['submitted', 'working']).toContain(r.json.result.status.state);
  });
});

describe.concurrent('command-line start-up contract', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  it.for(['v1', 'v03'])(
    '%s server prints the ready line, serves its card and exits 0 on SIGTERM',
    { timeout: 15000 },
    async (which, { expect }) => {
      const child = spawn(process.execPath, ['--import', 'tsx', `reference-agents/${which}/server.ts`], {
        cwd: root,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let stdout = '';
        const baseUrl = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ready line; stdout=${stdout}`)), 8000);
          child.stdout.on('data', (d: Buffer) => {
            stdout += d.toString();
            const m = stdout.match(new RegExp(`^${READY_PREFIX} (\\S+)\\n`, 'm'));
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          });
          child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
        });
        expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const card = await getJson(`${baseUrl}/.well-known/agent-card.json`, V1_HEADERS);
        expect(card.status).toBe(200);
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(stdout.trim().split('\n')).toHaveLength(1);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );
});

describe('a2a-tck messageId-prefix contract (1.x agent)', () => {
  const send10 = (messageId: string, returnImmediately = false) =>
    postJson(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendMessage', {
        message: { role: 'ROLE_USER', messageId, parts: [{ text: 'tck probe' }] },
        configuration: { returnImmediately },
      }),
      V1_HEADERS,
    );

  it('answers the TCK scenarios by prefix: message, completed task, artifacts of each part kind, states', async () => {
    const id = (p: string) => `${p}-${uid('session')}`;
    const message = await send10(id('tck-message-response'));
    expect(message.json.result.message.parts).toEqual([expect.objectContaining({ text: 'Direct message response' })]);
    const complete = await send10(id('tck-complete-task'));
    expect(complete.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(complete.json.result.task.status.message.parts[0].text).toBe('Hello from TCK');
    const artifact = async (prefix: string) =>
      (await send10(id(prefix))).json.result.task.artifacts.flatMap((a: Json) => a.parts);
    expect(await artifact('tck-artifact-text')).toEqual([expect.objectContaining({ text: 'Generated text content' })]);
    expect(await artifact('tck-artifact-file-url')).toEqual([
      expect.objectContaining({ url: 'https://example.com/output.txt', filename: 'output.txt' }),
    ]);
    expect(await artifact('tck-artifact-file')).toEqual([
      expect.objectContaining({ raw: Buffer.from('tck').toString('base64'), filename: 'output.txt' }),
    ]);
    expect(await artifact('tck-artifact-data')).toEqual([
      expect.objectContaining({ data: { key: 'value', count: 42 } }),
    ]);
    expect((await send10(id('tck-input-required'))).json.result.task.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect((await send10(id('tck-reject-task'))).json.result.task.status.state).toBe('TASK_STATE_REJECTED');
    const delayed = await send10(id('tck-delayed-complete'), true);
    expect(delayed.json.result.task.status.state).not.toBe('TASK_STATE_COMPLETED');
    const other = await send10(id('tck-test-context'));
    expect(other.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(other.json.result.task.status.message.parts[0].text).toMatch(
      /^Unhandled messageId prefix: tck-test-context-/,
    );
    // Not a TCK id: the reference triggers still apply.
    expect((await send10(uid('plain'))).json.result.message).toBeDefined();
  });

  it('streams the chunked-artifact scenario as appended chunks between working and completed', async () => {
    const { events } = await sse(
      `${v1.baseUrl}/a2a/jsonrpc`,
      rpc('SendStreamingMessage', {
        message: { role: 'ROLE_USER', messageId: `tck-stream-artifact-chunked-${uid()}`, parts: [{ text: 'x' }] },
      }),
      V1_HEADERS,
    );
    const results = events.map((e) => e.result);
    const chunks = results.filter((r) => r.artifactUpdate).map((r) => r.artifactUpdate);
    expect(chunks.map((c) => c.artifact.parts[0].text)).toEqual(['chunk-1 ', 'chunk-2']);
    expect(chunks.map((c) => Boolean(c.lastChunk))).toEqual([false, true]);
    expect(results.at(-1).statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });
});

describe('slow task duration (REF_AGENT_SLOW_MS)', () => {
  it('is read from the environment and sets how long the slow task works', async () => {
    const { optionsFromEnv } = await import('../../reference-agents/runtime.js');
    expect(optionsFromEnv({ REF_AGENT_SLOW_MS: '3000' }).slowMs).toBe(3000);
    expect(optionsFromEnv({}).slowMs).toBeUndefined();
    expect(() => optionsFromEnv({ REF_AGENT_SLOW_MS: 'soon' })).toThrow(/REF_AGENT_SLOW_MS/);
    const quick = await startV1Agent({ slowMs: 300 });
    try {
      const t0 = performance.now();
      const r = await postJson(
        `${quick.baseUrl}/a2a/jsonrpc`,
        rpc('SendMessage', { message: msg10('long job') }),
        V1_HEADERS,
      );
      const ms = performance.now() - t0;
      expect(r.json.result.task.status.state).toBe('TASK_STATE_COMPLETED');
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(1900); // the default slow task works for 2 s
    } finally {
      await quick.close();
    }
  });
});
