import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { createDispatcher, dispatcherOptions } from '../../src/http/dispatcher.js';
import { REDACTED } from '../../src/http/redact.js';
import {
  TRANSCRIPT_BODY_CAP,
  TransportError,
  classifyTransportError,
  createHttpSession,
  harnessVersion,
} from '../../src/http/undici-session.js';
import { makeTarget, sendJson, sleep, startLoopback, type LoopbackServer } from '../helpers/loopback-server.js';

const SECRET = 'sk-test-9f8e7d6c5b4a';

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
afterEach(() => {
  srv.requests.length = 0;
});

function session(
  over: Parameters<typeof makeTarget>[0] = {},
  extra: { signal?: AbortSignal; maxExchanges?: number } = {},
) {
  const target = makeTarget({ url: srv.url, ...over });
  return createHttpSession({ target, dispatcher, transcriptId: 'tr-1', checkId: 'core.test.check', ...extra });
}

describe('dispatcher', () => {
  it('maps the target to undici Agent options', () => {
    const o = dispatcherOptions(
      makeTarget({
        concurrency: 3,
        timeoutMs: 4000,
        streamIdleTimeoutMs: 9000,
        tls: { ca: 'CA', cert: 'C', key: 'K', insecure: true },
      }),
    );
    expect(o.connections).toBe(3);
    expect(dispatcherOptions(makeTarget({ concurrency: 3 }), 27).connections).toBe(27);
    expect(o.pipelining).toBe(1);
    expect(o.headersTimeout).toBe(4000);
    expect(o.bodyTimeout).toBe(9000);
    expect(o.connect).toMatchObject({ timeout: 4000, ca: 'CA', cert: 'C', key: 'K', rejectUnauthorized: false });
    expect(dispatcherOptions(makeTarget()).connect).toMatchObject({ rejectUnauthorized: true });
    const d = createDispatcher(makeTarget());
    expect(d).toBeInstanceOf(Agent);
    void d.close();
  });
});

describe('HttpSession.request', () => {
  it('adds credentials, correlation and user-agent headers; JSON-encodes bodies; records the exchange', async () => {
    srv.handle((req, res) => sendJson(res, 200, { ok: true, echo: req.json }));
    const s = session({ headers: { Authorization: `Bearer ${SECRET}`, 'X-Tenant': 'acme' }, secrets: [SECRET] });
    const r = await s.request({
      method: 'POST',
      url: `${srv.url}/rpc`,
      body: { a: 1 },
      label: 'SendMessage',
      headers: { 'A2A-Version': '1.0' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, echo: { a: 1 } });
    expect(r.truncated).toBe(false);
    const got = srv.requests[0]!;
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(got.headers['x-tenant']).toBe('acme');
    expect(got.headers['x-a2a-conformance-check']).toBe('core.test.check');
    expect(got.headers['user-agent']).toBe(`a2a-conformance/${harnessVersion()}`);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['a2a-version']).toBe('1.0');
    expect(got.body).toBe('{"a":1}');

    const ex = r.exchange;
    expect(s.transcript.exchanges).toEqual([ex]);
    expect(ex.seq).toBe(1);
    expect(ex.label).toBe('SendMessage');
    expect(ex.request.method).toBe('POST');
    expect(ex.request.headers.authorization).toBe(REDACTED);
    expect(ex.request.headers['a2a-version']).toBe('1.0');
    expect(ex.request.body).toEqual({ text: '{"a":1}', bytes: 7, truncated: false });
    expect(ex.response?.status).toBe(200);
    expect(ex.response?.headers['content-type']).toBe('application/json');
    expect(ex.headersMs).toBeGreaterThanOrEqual(0);
    expect(ex.durationMs).toBeGreaterThanOrEqual(ex.headersMs!);
    expect(ex.error).toBeUndefined();
  });

  it('omits credentials with withoutCredentials and sends string bodies verbatim', async () => {
    srv.handle((_req, res) => sendJson(res, 400, { error: 'bad' }));
    const s = session({ headers: { authorization: `Bearer ${SECRET}` } });
    const r = await s.request({
      method: 'POST',
      url: srv.url,
      body: '{bad json',
      label: 'raw',
      withoutCredentials: true,
    });
    expect(r.status).toBe(400); // HTTP-level problems resolve
    expect(srv.requests[0]!.headers.authorization).toBeUndefined();
    expect(srv.requests[0]!.body).toBe('{bad json');
  });

  it('decodes multi-byte UTF-8 split across chunks and exposes jsonError for broken JSON', async () => {
    srv.handle((_req, res) => {
      const buf = Buffer.from('{"t":"héllo – 日本"}', 'utf8');
      res.writeHead(200, { 'content-type': 'application/json' });
      // split inside the 3-byte "日"
      const cut = buf.indexOf(Buffer.from('日')) + 1;
      res.write(buf.subarray(0, cut));
      setTimeout(() => res.end(buf.subarray(cut)), 20);
    });
    const s = session();
    const r = await s.request({ method: 'GET', url: srv.url, label: 'utf8' });
    expect(r.json).toEqual({ t: 'héllo – 日本' });

    srv.handle((_req, res) => sendJson(res, 200, '{"a":'));
    const r2 = await s.request({ method: 'GET', url: srv.url, label: 'broken' });
    expect(r2.json).toBeUndefined();
    expect(r2.jsonError).toBeTruthy();
    expect(r2.text).toBe('{"a":');

    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('plain text');
    });
    const r3 = await s.request({ method: 'GET', url: srv.url, label: 'text' });
    expect(r3.json).toBeUndefined();
    expect(r3.jsonError).toBeUndefined();
  });

  it('caps a huge body: stops reading early, destroys the connection, marks truncated', async () => {
    let written = 0;
    let serverSawClose = false;
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          written += chunk.length;
          if (written > 1024 * 1024 * 1024) return res.end();
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => {
        serverSawClose = true;
      });
      pump();
    });
    const s = session({ maxBodyBytes: 256 * 1024 });
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const r = await s.request({ method: 'GET', url: srv.url, label: 'huge' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBe(256 * 1024);
    expect(r.json).toBeUndefined();
    expect(r.jsonError).toMatch(/truncated/);
    expect(r.exchange.response?.body?.truncated).toBe(true);
    expect(r.exchange.response!.body!.text.length).toBeLessThanOrEqual(TRANSCRIPT_BODY_CAP);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    await sleep(100);
    expect(serverSawClose).toBe(true);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('per-request maxBytes overrides the target cap', async () => {
    srv.handle((_req, res) => sendJson(res, 200, { data: 'x'.repeat(5000) }));
    const r = await session().request({ method: 'GET', url: srv.url, label: 'small', maxBytes: 100 });
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBe(100);
  });

  it('bounds the whole exchange: a server that never answers → TransportError timeout, exchange recorded', async () => {
    srv.handle(() => undefined); // never respond
    const s = session({ timeoutMs: 150 });
    const t0 = Date.now();
    const err = await s.request({ method: 'GET', url: srv.url, label: 'hang' }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(err).toBeInstanceOf(TransportError);
    const te = err as TransportError;
    expect(te.kind).toBe('timeout');
    expect(te.exchange.error).toMatch(/^timeout:/);
    expect(s.transcript.exchanges[0]).toBe(te.exchange);
    expect(te.exchange.response).toBeUndefined();
  });

  it('a body that stalls after the headers also times out (whole-exchange bound, not per chunk)', async () => {
    srv.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const i = setInterval(() => res.write(' '), 30); // trickle forever
      res.on('close', () => clearInterval(i));
    });
    const s = session({ timeoutMs: 300 });
    const err = (await s
      .request({ method: 'GET', url: srv.url, label: 'trickle' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('timeout');
    expect(err.exchange.response?.status).toBe(200);
    expect(err.exchange.headersMs).toBeDefined();
  });

  it('connection refused → TransportError connect', async () => {
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const s = session();
    const err = (await s
      .request({ method: 'GET', url: `http://127.0.0.1:${port}/`, label: 'refused' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('connect');
    expect(err.exchange.error).toMatch(/^connect: .*ECONNREFUSED/);
    expect(s.transcript.exchanges).toHaveLength(1);
  });

  it('server reset → TransportError reset', async () => {
    srv.handle((_req, res) => res.socket?.destroy());
    const err = (await session()
      .request({ method: 'GET', url: srv.url, label: 'reset' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe('reset');
  });

  it("the check's signal aborts → TransportError aborted", async () => {
    srv.handle(() => undefined);
    const ac = new AbortController();
    const s = session({}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = (await s
      .request({ method: 'GET', url: srv.url, label: 'abort' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err.kind).toBe('aborted');
    // already-aborted signal: fails at once, still recorded
    const err2 = (await s
      .request({ method: 'GET', url: srv.url, label: 'abort2' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err2.kind).toBe('aborted');
    expect(s.transcript.exchanges).toHaveLength(2);
  });

  it('classifies undici and TLS error codes', () => {
    const e = (code: string, name = 'Error') => Object.assign(new Error(code), { code, name });
    expect(classifyTransportError(e('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(classifyTransportError(e('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect');
    expect(classifyTransportError(e('ENOTFOUND'))).toBe('connect');
    expect(classifyTransportError(e('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('tls');
    expect(classifyTransportError(e('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('tls');
    expect(classifyTransportError(e('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).toBe('tls');
    expect(classifyTransportError(e('UND_ERR_SOCKET'))).toBe('reset');
    expect(classifyTransportError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('aborted');
  });

  it('redacts configured secrets in every recorded field', async () => {
    srv.handle((req, res) =>
      sendJson(
        res,
        200,
        { echoed: SECRET, b64: Buffer.from(SECRET).toString('base64'), q: req.path },
        { 'x-echo': SECRET, 'set-cookie': 'sid=abc' },
      ),
    );
    const s = session({ headers: { 'x-api-key': SECRET, 'x-custom': `pre-${SECRET}` }, secrets: [SECRET] });
    const r = await s.request({
      method: 'POST',
      url: `${srv.url}/p?key=${encodeURIComponent(SECRET)}&token=zzz&pageToken=p1`,
      body: { message: { text: `my key is ${SECRET}` } },
      label: 'leak',
    });
    // the caller sees real data
    expect((r.json as { echoed: string }).echoed).toBe(SECRET);
    const dump = JSON.stringify(s.transcript);
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(encodeURIComponent(SECRET));
    expect(dump).not.toContain(Buffer.from(SECRET).toString('base64'));
    const ex = r.exchange;
    // sensitive query parameter names are redacted in the URL even when the value is not a configured secret
    expect(ex.request.url).toBe(`${srv.url}/p?key=${REDACTED}&token=${REDACTED}&pageToken=p1`);
    expect(ex.request.headers['x-api-key']).toBe(REDACTED);
    expect(ex.request.headers['x-custom']).toBe(`pre-${REDACTED}`);
    expect(ex.response?.headers['x-echo']).toBe(REDACTED);
    expect(ex.response?.headers['set-cookie']).toBe(REDACTED);
    expect(ex.request.body?.text).toContain(REDACTED);
    // annotate() redacts schema findings too
    s.annotate(ex, { schemaErrors: [{ path: '/x', message: 'bad', schema: 's', actual: `"${SECRET}"` }] });
    expect(JSON.stringify(ex.schemaErrors)).not.toContain(SECRET);
  });

  it('redacts a secret split by the body cap', async () => {
    srv.handle((_req, res) => sendJson(res, 200, `{"pad":"${'p'.repeat(100)}","s":"${SECRET}"}`));
    const s = session({ secrets: [SECRET] });
    const prefixLen = `{"pad":"${'p'.repeat(100)}","s":"`.length;
    const r = await s.request({ method: 'GET', url: srv.url, label: 'cut', maxBytes: prefixLen + 10 });
    expect(r.truncated).toBe(true);
    expect(r.exchange.response?.body?.text).not.toContain(SECRET.slice(0, 10));
    expect(r.exchange.response?.body?.text.endsWith(REDACTED)).toBe(true);
  });

  it('caps recorded bodies at 64 KB and the transcript at maxExchanges', async () => {
    srv.handle((_req, res) => sendJson(res, 200, { big: 'é'.repeat(50_000) }));
    const s = session({}, { maxExchanges: 2 });
    const r = await s.request({ method: 'POST', url: srv.url, body: 'x'.repeat(100_000), label: 'big' });
    expect(r.exchange.request.body).toMatchObject({ bytes: 100_000, truncated: true });
    expect(Buffer.byteLength(r.exchange.request.body!.text)).toBeLessThanOrEqual(TRANSCRIPT_BODY_CAP);
    expect(Buffer.byteLength(r.exchange.response!.body!.text)).toBeLessThanOrEqual(TRANSCRIPT_BODY_CAP);
    expect(r.exchange.response!.body!.text).not.toContain('\uFFFD');
    expect(r.text.length).toBeGreaterThan(50_000); // the caller gets the whole body
    await s.request({ method: 'GET', url: srv.url, label: '2' });
    await s.request({ method: 'GET', url: srv.url, label: '3' });
    expect(s.transcript.exchanges).toHaveLength(2);
    expect(s.transcript.droppedExchanges).toBe(1);
  });

  it('records repeated response headers joined with ", "', async () => {
    srv.handle((_req, res) => {
      res.setHeader('vary', ['A2A-Version', 'Accept']);
      sendJson(res, 200, {});
    });
    const r = await session().request({ method: 'GET', url: srv.url, label: 'vary' });
    expect(r.headers.vary).toBe('A2A-Version, Accept');
  });
});
