/** The HTTP layer's bounds on hostile bodies and streams: previews, declared sizes, huge SSE lines, budgets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import {
  TRANSCRIPT_BODY_CAP,
  TRANSCRIPT_BUDGET_BYTES,
  TRANSCRIPT_OVER_BUDGET_CAP,
  TRANSCRIPT_PREVIEW_CAP,
  createHttpSession,
} from '../../src/http/undici-session.js';
import { capUtf8 } from '../../src/http/limits.js';
import { makeTarget, startLoopback, type LoopbackServer } from '../helpers/loopback-server.js';

let srv: LoopbackServer;
let dispatcher: Agent;
beforeAll(async () => {
  srv = await startLoopback();
  dispatcher = new Agent({ connections: 4 });
});
afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});

const session = (over: Parameters<typeof makeTarget>[0] = {}) =>
  createHttpSession({ target: makeTarget({ url: srv.url, ...over }), dispatcher, transcriptId: 't', checkId: 'c' });

describe('bounded bodies', () => {
  it('a body whose Content-Length exceeds the cap is read only to its preview (1 GiB declared)', async () => {
    let written = 0;
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.write('{"pad":"');
      const pump = (): void => {
        while (written < 1024 ** 3 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('error', () => undefined);
      pump();
    });
    const s = session({ maxBodyBytes: 8 * 1024 * 1024 });
    const r = await s.request({ method: 'GET', url: `${srv.url}/big`, label: 'big' });
    expect(r.truncated).toBe(true);
    expect(r.json).toBeUndefined();
    expect(r.jsonError).toMatch(/truncated/);
    const body = r.exchange.response!.body!;
    expect(Buffer.byteLength(body.text)).toBeLessThanOrEqual(TRANSCRIPT_PREVIEW_CAP);
    expect(body.bytes).toBeLessThan(1024 * 1024); // stopped at the preview, not at 8 MiB
    expect(r.exchange.response!.headers['content-length']).toBe(String(1024 ** 3));
  });

  it('a complete JSON body keeps up to 64 KiB; one that is not the JSON it claims keeps a 4 KiB preview', async () => {
    const good = JSON.stringify({ pad: 'x'.repeat(50 * 1024) });
    srv.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.path === '/good' ? good : `{"broken": "${'y'.repeat(50 * 1024)}`);
    });
    const s = session();
    const ok = await s.request({ method: 'GET', url: `${srv.url}/good`, label: 'good' });
    expect(ok.exchange.response!.body!.text).toBe(good);
    const bad = await s.request({ method: 'GET', url: `${srv.url}/bad`, label: 'bad' });
    expect(bad.jsonError).toBeTruthy();
    const b = bad.exchange.response!.body!;
    expect(Buffer.byteLength(b.text)).toBeLessThanOrEqual(TRANSCRIPT_PREVIEW_CAP);
    expect(b.truncated).toBe(true);
    expect(b.bytes).toBeGreaterThan(50 * 1024);
  });

  it('JSON nested 100,000 levels deep is parsed with the deep part cut, and previewed', async () => {
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    });
    const r = await session().request({ method: 'GET', url: `${srv.url}/deep`, label: 'deep' });
    expect(JSON.stringify(r.json)).toContain('nested deeper than 64 levels');
    expect(Buffer.byteLength(r.exchange.response!.body!.text)).toBeLessThanOrEqual(TRANSCRIPT_PREVIEW_CAP);
  });

  it('a transcript over its budget keeps only short previews', async () => {
    const big = JSON.stringify({ pad: 'z'.repeat(60 * 1024) });
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    });
    const s = session();
    const n = Math.ceil(TRANSCRIPT_BUDGET_BYTES / (60 * 1024)) + 2;
    for (let i = 0; i < n; i++) await s.request({ method: 'GET', url: `${srv.url}/b${i}`, label: `b${i}` });
    const sizes = s.transcript.exchanges.map((e) => Buffer.byteLength(e.response!.body!.text));
    expect(sizes[0]).toBe(big.length);
    expect(sizes.at(-1)).toBeLessThanOrEqual(TRANSCRIPT_OVER_BUDGET_CAP);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(TRANSCRIPT_BUDGET_BYTES + TRANSCRIPT_BODY_CAP);
  });
});

describe('bounded streams', () => {
  it('a 3 MiB event arriving in small writes, 4-byte characters split between them, is delivered intact', async () => {
    const unit = 'a€😀'; // 1 + 3 + 4 bytes: writes of 1000 bytes cut characters at every offset
    const text = unit.repeat((3 * 1024 * 1024) / 8);
    const frame = Buffer.from(`data: ${text}\n\n`);
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('error', () => undefined);
      let at = 0;
      const pump = (): void => {
        while (at < frame.length && !res.destroyed) {
          const piece = frame.subarray(at, (at += 1000));
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const s = session({ maxBodyBytes: 8 * 1024 * 1024, checkTimeoutMs: 20_000 });
    const done = await s.sse({ method: 'POST', url: `${srv.url}/sse`, label: 'sse', body: {} }).done;
    expect(done.end).toBe('closed');
    expect(done.events).toHaveLength(1);
    expect(done.events[0]!.data === text).toBe(true);
    expect(done.parseErrors).toEqual([]);
  });

  it('one 50 MiB SSE event ends the stream at the byte cap, with nothing delivered', async () => {
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('error', () => undefined);
      res.write('data: "');
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"\n\n');
      };
      pump();
    });
    const s = session({ maxBodyBytes: 8 * 1024 * 1024, checkTimeoutMs: 20_000 });
    const stream = s.sse({ method: 'POST', url: `${srv.url}/sse`, label: 'sse', body: {} });
    await stream.started;
    const done = await stream.done;
    expect(done.end).toBe('size-cap');
    expect(done.events).toHaveLength(0);
    expect(done.exchange.response!.events).toEqual([]);
  });
});

describe('capUtf8', () => {
  /** The cut as the whole string's encoding gives it (what capUtf8 must equal without encoding all of it). */
  const reference = (s: string, cap: number) => {
    let text = Buffer.from(s, 'utf8').subarray(0, cap).toString('utf8');
    if (text.endsWith('\uFFFD') && !s.startsWith(text)) text = text.slice(0, -1);
    return text;
  };

  it('cuts on a character boundary, like cutting the full encoding, wherever the cap falls', () => {
    const alphabet = ['a', 'é', '€', '😀', '\uD800', '\uDC00', '\uFFFD'];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 300; round++) {
      const s = Array.from({ length: 40 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join('');
      for (let cap = 1; cap < 24; cap++) {
        const got = capUtf8(s, cap);
        const want = reference(s, cap);
        expect(got.cut ? got.text : s).toBe(Buffer.byteLength(s) <= cap ? s : want);
      }
    }
  });
});
