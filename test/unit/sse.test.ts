import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { REDACTED } from '../../src/http/redact.js';
import { MAX_RECORDED_EVENTS, TransportError, createHttpSession } from '../../src/http/undici-session.js';
import type { SseEvent } from '../../src/http/session.js';
import {
  makeTarget,
  sendJson,
  sleep,
  startLoopback,
  startSse,
  type LoopbackServer,
} from '../helpers/loopback-server.js';

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

function session(over: Parameters<typeof makeTarget>[0] = {}) {
  return createHttpSession({
    target: makeTarget({ url: srv.url, ...over }),
    dispatcher,
    transcriptId: 'tr-sse',
    checkId: 'stream.check',
  });
}

describe('HttpSession.sse framing', () => {
  it(
    'parses CRLF, comments, multi-line data, a frame split ' + 'across writes and a UTF-8 char split across chunks',
    async () => {
      srv.handle(async (_req, res) => {
        startSse(res);
        res.write(': keep-alive\r\n\r\n');
        res.write('data: {"a":1}\r\n\r\n');
        res.write('data: line one\n');
        res.write('data: line two\n\n');
        res.write('data: {"spl');
        await sleep(20);
        res.write('it":true}\n\n');
        const utf = Buffer.from('data: {"t":"日本"}\n\n', 'utf8');
        const cut = utf.indexOf(Buffer.from('日')) + 2; // inside the 3-byte char
        res.write(utf.subarray(0, cut));
        await sleep(20);
        res.write(utf.subarray(cut));
        res.write(':another comment\n\n');
        res.write('event: error\ndata: {"code":-32001}\n\n');
        res.end();
      });
      const s = session();
      const st = s.sse({ method: 'POST', url: srv.url, body: { x: 1 }, label: 'stream' });
      const started = await st.started;
      expect(started.status).toBe(200);
      expect(started.contentType).toBe('text/event-stream');
      expect(started.nonSseBody).toBeUndefined();
      const d = await st.done;
      expect(d.end).toBe('closed');
      expect(d.events.map((e) => e.data)).toEqual([
        '{"a":1}',
        'line one\nline two',
        '{"split":true}',
        '{"t":"日本"}',
        '{"code":-32001}',
      ]);
      expect(d.events[4]!.event).toBe('error');
      expect(d.comments).toBe(2);
      expect(d.parseErrors).toEqual([]);
      expect(d.firstEventMs).toBeGreaterThanOrEqual(0);
      expect(d.headersMs).toBeLessThanOrEqual(d.firstEventMs!);
      const req = srv.requests[0]!;
      expect(req.headers.accept).toBe('text/event-stream');
      expect(req.json).toEqual({ x: 1 });
      const ex = d.exchange;
      expect(ex.response?.streamEnd).toBe('closed');
      expect(ex.response?.comments).toBe(2);
      expect(ex.response?.events).toHaveLength(5);
      expect(ex.response?.events?.[1]).toMatchObject({ data: 'line one\nline two' });
      expect(ex.durationMs).toBe(d.durationMs);
    },
  );

  it('delivers a final event without a terminating blank line, and reports it', async () => {
    srv.handle((_req, res) => {
      startSse(res);
      res.end('data: {"last":true}');
    });
    const d = await session().sse({ method: 'POST', url: srv.url, label: 's' }).done;
    expect(d.events.map((e) => e.data)).toEqual(['{"last":true}']);
    expect(d.parseErrors.join()).toMatch(/not terminated by a blank line/);
  });
});

describe('HttpSession.sse live delivery and bounds', () => {
  it('delivers events live, before the stream ends; close() → client-closed', async () => {
    let serverClosed = false;
    srv.handle((_req, res) => {
      startSse(res);
      res.write('data: first\n\n');
      res.on('close', () => {
        serverClosed = true;
      });
      // never ends by itself
    });
    const st = session().sse({ method: 'POST', url: srv.url, label: 'live', idleTimeoutMs: 5000 });
    const seen: SseEvent[] = [];
    for await (const ev of st.events) {
      seen.push(ev);
      break; // first event, stream still open
    }
    expect(seen[0]!.data).toBe('first');
    st.close();
    const d = await st.done;
    expect(d.end).toBe('client-closed');
    expect(d.events).toHaveLength(1);
    await sleep(50);
    expect(serverClosed).toBe(true);
  });

  it('breaking out of iteration does not end the stream; iterating again resumes', async () => {
    srv.handle(async (_req, res) => {
      startSse(res);
      res.write('data: 1\n\n');
      await sleep(30);
      res.write('data: 2\n\n');
      res.end();
    });
    const st = session().sse({ method: 'POST', url: srv.url, label: 'resume' });
    const got: string[] = [];
    for await (const ev of st.events) {
      got.push(ev.data);
      break;
    }
    for await (const ev of st.events) got.push(ev.data);
    expect(got).toEqual(['1', '2']);
    expect((await st.done).end).toBe('closed');
  });

  it('idle timeout ends a stream that never closes, and aborts the request', async () => {
    let serverClosed = false;
    srv.handle((_req, res) => {
      startSse(res);
      res.write('data: only\n\n');
      res.on('close', () => {
        serverClosed = true;
      });
    });
    const t0 = Date.now();
    const d = await session().sse({ method: 'POST', url: srv.url, label: 'idle', idleTimeoutMs: 150 }).done;
    expect(Date.now() - t0).toBeLessThan(900);
    expect(d.end).toBe('idle-timeout');
    expect(d.events).toHaveLength(1);
    expect(d.exchange.response?.streamEnd).toBe('idle-timeout');
    await sleep(50);
    expect(serverClosed).toBe(true);
  });

  it('keep-alive comments reset the idle timer; the total timeout still ends the stream', async () => {
    srv.handle((_req, res) => {
      startSse(res);
      const i = setInterval(() => res.write(': ping\n\n'), 40);
      res.on('close', () => clearInterval(i));
    });
    const t0 = Date.now();
    const d = await session().sse({
      method: 'POST',
      url: srv.url,
      label: 'total',
      idleTimeoutMs: 150,
      totalTimeoutMs: 400,
    }).done;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(950);
    expect(d.end).toBe('total-timeout');
    expect(d.comments).toBeGreaterThan(3);
  });

  it('byte cap on an endless stream: stops early, memory stays bounded, events recorded up to the cap', async () => {
    let written = 0;
    srv.handle((_req, res) => {
      startSse(res);
      const frame = Buffer.from(`data: ${'x'.repeat(1000)}\n\n`);
      const pump = () => {
        while (!res.destroyed && res.write(frame)) {
          written += frame.length;
          if (written > 512 * 1024 * 1024) return res.end();
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const d = await session({ maxBodyBytes: 300 * 1024 }).sse({ method: 'POST', url: srv.url, label: 'cap' }).done;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(d.end).toBe('size-cap');
    expect(d.events.length).toBeGreaterThan(200);
    expect(d.events.length).toBeLessThanOrEqual(Math.ceil((300 * 1024) / 1008));
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('caps recorded events and counts the rest', async () => {
    const n = MAX_RECORDED_EVENTS + 50;
    srv.handle((_req, res) => {
      startSse(res);
      let out = '';
      for (let i = 0; i < n; i++) out += `data: ${i}\n\n`;
      res.end(out);
    });
    const st = session().sse({ method: 'POST', url: srv.url, label: 'many' });
    let live = 0;
    for await (const _ of st.events) live++;
    const d = await st.done;
    expect(live).toBe(n); // all delivered live
    expect(d.events).toHaveLength(MAX_RECORDED_EVENTS);
    expect(d.exchange.response?.events).toHaveLength(MAX_RECORDED_EVENTS);
    expect(d.parseErrors.join()).toMatch(/50 events beyond the recording cap/);
  });

  it('a non-SSE response is read (bounded) and exposed in started.nonSseBody', async () => {
    srv.handle((_req, res) => sendJson(res, 404, { error: { code: 404, message: 'nope' } }));
    const st = session().sse({ method: 'POST', url: srv.url, label: 'plain' });
    const started = await st.started;
    expect(started.status).toBe(404);
    expect(started.contentType).toBe('application/json');
    expect(started.nonSseBody?.json).toEqual({ error: { code: 404, message: 'nope' } });
    const d = await st.done;
    expect(d.end).toBe('closed');
    expect(d.events).toEqual([]);
    expect(d.exchange.response?.body?.text).toContain('nope');
  });

  it('connection refused → started and done reject with TransportError connect; events iteration throws', async () => {
    const s = session();
    const st = s.sse({ method: 'POST', url: 'http://127.0.0.1:1/', label: 'refused' });
    await expect(st.started).rejects.toBeInstanceOf(TransportError);
    const err = (await st.done.catch((e: unknown) => e)) as TransportError;
    expect(err.kind).toBe('connect');
    expect(err.exchange.error).toMatch(/^connect:/);
    await expect(
      (async () => {
        for await (const _ of st.events) {
          /* none */
        }
      })(),
    ).rejects.toBeInstanceOf(TransportError);
    expect(s.transcript.exchanges).toHaveLength(1);
  });

  it('no headers within the request timeout → TransportError timeout', async () => {
    srv.handle(() => undefined);
    const st = session({ timeoutMs: 150 }).sse({ method: 'POST', url: srv.url, label: 'noheaders' });
    const err = (await st.done.catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('timeout');
  });

  it('a reset mid-stream ends with reset and keeps the events', async () => {
    srv.handle(async (_req, res) => {
      startSse(res);
      res.write('data: one\n\n');
      await sleep(30);
      res.socket?.destroy();
    });
    const d = await session().sse({ method: 'POST', url: srv.url, label: 'reset' }).done;
    expect(d.end).toBe('reset');
    expect(d.events.map((e) => e.data)).toEqual(['one']);
    expect(d.exchange.error).toMatch(/^reset:/);
  });

  it('redacts secrets in recorded SSE data, including after joining multi-line data and across writes', async () => {
    const SECRET = 'sse-secret-abcdef123';
    srv.handle(async (_req, res) => {
      startSse(res, { 'x-token-echo': SECRET });
      res.write(`data: {"token":"${SECRET.slice(0, 7)}`);
      await sleep(20);
      res.write(`${SECRET.slice(7)}"}\n\n`);
      res.write(`data: first line\ndata: ${SECRET}\n\n`);
      res.end();
    });
    const s = session({ secrets: [SECRET], headers: { authorization: `Bearer ${SECRET}` } });
    const d = await s.sse({ method: 'POST', url: `${srv.url}/?k=${SECRET}`, body: { s: SECRET }, label: 'leak' }).done;
    expect(d.events[0]!.data).toContain(SECRET); // the caller gets the real data
    expect(d.exchange.response?.events?.[0]!.data).toBe(`{"token":"${REDACTED}"}`);
    expect(d.exchange.response?.events?.[1]!.data).toBe(`first line\n${REDACTED}`);
    expect(JSON.stringify(s.transcript)).not.toContain(SECRET);
  });

  it('annotate() attaches findings to an event', async () => {
    srv.handle((_req, res) => {
      startSse(res);
      res.end('data: {}\n\n');
    });
    const s = session();
    const d = await s.sse({ method: 'POST', url: srv.url, label: 'a' }).done;
    s.annotate(d.exchange, {
      schemaErrors: [{ path: '/result', message: 'bad', schema: '1.0#StreamResponse' }],
      eventIndex: 0,
    });
    expect(d.exchange.response?.events?.[0]!.schemaErrors).toHaveLength(1);
    expect(d.exchange.schemaErrors).toBeUndefined();
  });
});
