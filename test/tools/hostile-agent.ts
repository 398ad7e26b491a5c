/**
 * A hostile A2A agent: one server, one path prefix per misbehaviour (`/h/<behaviour>/…`), built-in modules only,
 * deterministic (no randomness but a seeded generator, no wall-clock dependence beyond its own pacing timers).
 *
 * Each behaviour is served as its own target: `<url>/h/<behaviour>` is the base URL, so the card is at
 * `<url>/h/<behaviour>/.well-known/agent-card.json` and the API (when the card is valid) at `<url>/h/<behaviour>/api`
 * (JSON-RPC 1.0, the only interface declared, to keep each hostile target's matrix small).
 *
 * The HTTP/1.1 layer is hand-written on `node:net` so that the server can break HTTP itself (interim responses
 * forever, resets mid-body, 60 KiB headers, lying lengths). Every response closes its connection.
 *
 * Behaviours named `card-*` break the card endpoint; `api-*` serve a valid card and break every API answer; `sse-*`
 * serve a valid card declaring streaming and break the streaming answers (other methods answer a plain Message).
 * Also: `tls-wrong-name` (a TLS listener whose self-signed certificate names another host) and `other-origin` (a
 * second listener that records what a cross-origin redirect delivered, to prove credentials did not follow).
 *
 * In-process: `const h = await startHostileAgent(); … h.targetUrls … await h.close();`
 * Stand-alone: `node --import tsx test/tools/hostile-agent.ts` prints `HOSTILE_READY <url>`; SIGTERM closes it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const HOSTILE_READY_PREFIX = 'HOSTILE_READY';
/** The credential the hostile targets are configured with; it must appear in no output of the harness. */
export const HOSTILE_SECRET = 'hostile-Secret-9d41c7e2b8a6';

/** Strings every field of the hostile cards and replies carries. */
export const XSS_PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  '</script><script>window.__pwned=3</script>',
  'javascript:window.__pwned=4',
  'data:text/html,<script>window.__pwned=5</script>',
  '{{constructor.constructor("window.__pwned=6")()}} ${window.__pwned=7}',
  '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
  '<svg onload="window.__pwned=9"></svg>',
];
/** Terminal, XML and bidi hazards. */
export const CONTROL_PAYLOAD =
  '\u001b[31mRED\u001b[0m\u001b]0;title\u0007 \u0000\u0001\u0008\u000b\u000c\u001f \u0085\u009b31m \u202e' +
  'evil\u202c \u2066iso\u2069 ]]> -- <!-- -->';

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  json?: unknown;
  socket: Socket;
  /** Base URL of this behaviour (`http://127.0.0.1:port/h/<behaviour>`). */
  base: string;
}
type Handler = (req: Req, h: HostileContext) => void;

interface HostileContext {
  hangUrl: string;
  otherOriginUrl: string;
  gzipBomb: Buffer;
  random: Buffer;
}

const HEAD_LIMIT = 64 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTP helpers

const REASONS: Record<number, string> = { 200: 'OK', 302: 'Found', 307: 'Temporary Redirect', 401: 'Unauthorized' };

function head(status: number, headers: Record<string, string | number>): string {
  let s = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}\r\nconnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

function send(req: Req, status: number, body: string | Buffer, headers: Record<string, string | number> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const all = { 'content-type': 'application/json', 'content-length': buf.length, ...headers };
  req.socket.end(Buffer.concat([Buffer.from(head(status, all), 'latin1'), buf]));
}

const sendJson = (req: Req, value: unknown, headers: Record<string, string | number> = {}, status = 200): void =>
  send(req, status, JSON.stringify(value), headers);

/** Writes `next()` chunks as fast as the peer reads them, until `next` returns null or the socket closes. */
function pump(socket: Socket, next: () => Buffer | null): void {
  const loop = (): void => {
    while (!socket.destroyed) {
      const chunk = next();
      if (chunk === null) {
        socket.end();
        return;
      }
      if (!socket.write(chunk)) {
        socket.once('drain', loop);
        return;
      }
    }
  };
  loop();
}

/** Calls `fn` every `ms` until the socket closes. */
function every(socket: Socket, ms: number, fn: () => boolean | undefined): void {
  const t = setInterval(() => {
    if (socket.destroyed || fn() === false) clearInterval(t);
  }, ms);
  socket.once('close', () => clearInterval(t));
}

/** A seeded generator (mulberry32): the same bytes on every run. */
function seededBytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

const deepArray = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const DEEP = 100_000;

// ---------------------------------------------------------------------------------------------------------------
// Cards and replies

function validCard(
  base: string,
  opts: { streaming?: boolean; url?: string; fill?: string } = {},
): Record<string, unknown> {
  const text = opts.fill ?? 'hostile agent';
  return {
    name: text,
    description: text,
    version: '1.0.0',
    supportedInterfaces: [{ url: opts.url ?? `${base}/api`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: opts.streaming ?? false, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: text, description: text, tags: [text], examples: [text] }],
  };
}

/** Replaces every string of a JSON value by `fill` (keys kept). */
function fillStrings(v: unknown, fill: (i: number) => string, counter = { i: 0 }): unknown {
  if (typeof v === 'string') return fill(counter.i++);
  if (Array.isArray(v)) return v.map((x) => fillStrings(x, fill, counter));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillStrings(x, fill, counter)]));
  return v;
}

const xss = (i: number): string => XSS_PAYLOADS[i % XSS_PAYLOADS.length]!;

function rpcId(req: Req): unknown {
  const j = req.json as { id?: unknown } | undefined;
  return j && typeof j === 'object' && 'id' in j ? j.id : null;
}
function rpcMethod(req: Req): string {
  const j = req.json as { method?: unknown } | undefined;
  return j && typeof j.method === 'string' ? j.method : '';
}
const isStreamMethod = (m: string): boolean => /stream|subscribe/i.test(m);

function messageResult(text: string): unknown {
  return { message: { messageId: 'hostile-1', role: 'ROLE_AGENT', parts: [{ text }] } };
}

function statusEvent(id: unknown, n: number, final = false): string {
  const result = {
    statusUpdate: {
      taskId: 'hostile-task',
      contextId: 'hostile-ctx',
      status: { state: final ? 'TASK_STATE_COMPLETED' : 'TASK_STATE_WORKING', timestamp: '2026-01-01T00:00:00Z' },
      metadata: { n },
    },
  };
  return `data: ${JSON.stringify({ jsonrpc: '2.0', id, result })}\n\n`;
}

function sseHead(req: Req): void {
  req.socket.write(head(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }));
}

// ---------------------------------------------------------------------------------------------------------------
// Behaviours

/** Handlers applied to the card endpoint or to the API, reused by the `card-*` and `api-*` families. */
const BREAKERS: Record<string, Handler> = {
  silent: () => undefined,
  'headers-silence': (req) => {
    req.socket.write(head(200, { 'content-type': 'application/json', 'content-length': 4096 }));
  },
  drip: (req) => {
    const body = Buffer.from(JSON.stringify(validCard(req.base)));
    req.socket.write(head(200, { 'content-type': 'application/json', 'content-length': body.length }));
    let i = 0;
    every(req.socket, 1000, () => {
      req.socket.write(body.subarray(i, i + 1));
      i++;
      return i < body.length;
    });
  },
  'interim-forever': (req) => {
    let n = 0;
    every(req.socket, 20, () => {
      req.socket.write(n++ % 2 ? 'HTTP/1.1 102 Processing\r\n\r\n' : 'HTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\n');
      return true;
    });
  },
  'reset-mid-body': (req) => {
    req.socket.write(head(200, { 'content-type': 'application/json', 'content-length': 4000 }));
    req.socket.write('{"name":"reset","description":"');
    setTimeout(() => req.socket.resetAndDestroy(), 30);
  },
  'huge-headers': (req) => {
    sendJson(req, validCard(req.base), { 'x-pad': 'p'.repeat(60 * 1024) });
  },
  'deep-json': (req) => {
    const body = req.path.endsWith('agent-card.json')
      ? `{"name":"deep","description":"deep","skills":${deepArray(DEEP)},"capabilities":{"x":${deepArray(DEEP)}}}`
      : `{"jsonrpc":"2.0","id":${JSON.stringify(rpcId(req))},"result":{"message":${deepArray(DEEP)}}}`;
    send(req, 200, body);
  },
  'giant-body': (req) => {
    const total = 1024 ** 3;
    req.socket.write(head(200, { 'content-type': 'application/json', 'content-length': total }));
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk.write('{"pad":"');
    pump(req.socket, () => {
      if (sent >= total) return null;
      sent += chunk.length;
      return chunk;
    });
  },
  'chunked-forever': (req) => {
    req.socket.write(head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    req.socket.write('1\r\n[\r\n');
    every(req.socket, 10, () => {
      req.socket.write('8\r\n{"a":1},\r\n');
      return true;
    });
  },
  'gzip-bomb': (req, h) => send(req, 200, h.gzipBomb, { 'content-encoding': 'gzip' }),
  'lying-encoding': (req) => sendJson(req, validCard(req.base), { 'content-encoding': 'gzip' }),
  'random-bytes': (req, h) => send(req, 200, h.random),
  'html-error': (req) =>
    send(
      req,
      500,
      `<!doctype html><html><head><script>window.__pwned=11</script></head><body onload="window.__pwned=12">` +
        `<h1>Internal error</h1><img src=x onerror="window.__pwned=13"></body></html>`,
      { 'content-type': 'text/html' },
    ),
  null: (req) =>
    req.path.endsWith('agent-card.json') ? send(req, 200, 'null') : send(req, 200, '{"jsonrpc":"2.0","id":null}'),
  'wrong-types': (req) =>
    req.path.endsWith('agent-card.json')
      ? send(
          req,
          200,
          '{"name":5,"description":null,"version":[],"supportedInterfaces":"x","url":{},"capabilities":[],' +
            '"skills":{"a":1},"defaultInputModes":7,"securitySchemes":"no","protocolVersion":false}',
        )
      : send(req, 200, '{"jsonrpc":2,"id":[],"result":[1,"x",null],"error":"e"}'),
  'proto-keys': (req) => {
    const proto = '"__proto__":{"polluted":"yes","toString":1},"constructor":{"prototype":{"polluted":"yes"}}';
    const card = JSON.stringify(validCard(req.base));
    send(
      req,
      200,
      req.path.endsWith('agent-card.json')
        ? `{${proto},${card.slice(1, -1).replace('"capabilities":{', `"capabilities":{${proto},`)}}`
        : `{${proto},"jsonrpc":"2.0","id":${JSON.stringify(rpcId(req))},"result":{${proto},"message":` +
            `{${proto},"messageId":"m","role":"ROLE_AGENT","parts":[{${proto},"text":"x"}]}}}`,
    );
  },
  'invalid-utf8': (req) => {
    const card = JSON.stringify(validCard(req.base, { fill: 'bad-utf8' }));
    const parts = card.split('bad-utf8');
    const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
    const body = Buffer.concat(
      parts.flatMap((p, i) => (i ? [bad, Buffer.from('\\ud800\\udfff\\udc00x'), Buffer.from(p)] : [Buffer.from(p)])),
    );
    send(req, 200, body);
  },
  controls: (req) => {
    const value = req.path.endsWith('agent-card.json')
      ? fillStrings(validCard(req.base), () => CONTROL_PAYLOAD)
      : { jsonrpc: '2.0', id: rpcId(req), result: fillStrings(messageResult('x'), () => CONTROL_PAYLOAD) };
    if (req.path.endsWith('agent-card.json')) (value as { supportedInterfaces: unknown }).supportedInterfaces = [];
    sendJson(req, value, { 'x-evil': CONTROL_PAYLOAD.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?') });
  },
  xss: (req) => {
    if (req.path.endsWith('agent-card.json')) {
      const card = fillStrings(validCard(req.base), xss) as Record<string, unknown>;
      card.supportedInterfaces = [{ url: `${req.base}/api`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }];
      card.iconUrl = 'javascript:window.__pwned=20';
      card.documentationUrl = 'data:text/html,<script>window.__pwned=21</script>';
      sendJson(req, card, { 'x-evil': XSS_PAYLOADS[1]! });
      return;
    }
    const err = { code: -32000, message: XSS_PAYLOADS[2], data: XSS_PAYLOADS };
    sendJson(req, { jsonrpc: '2.0', id: XSS_PAYLOADS[0], error: err }, { 'x-evil': XSS_PAYLOADS[1]! });
  },
  'redirect-loop': (req) => send(req, 302, '', { location: req.path }),
  'cross-origin-redirect': (req, h) => send(req, 307, '', { location: `${h.otherOriginUrl}${req.path}` }),
  'echo-auth': (req) => {
    const auth = req.headers.authorization ?? '';
    const b64 = Buffer.from(auth).toString('base64');
    const hex = Buffer.from(auth).toString('hex');
    const echo = `${auth} ${b64} ${hex} ${encodeURIComponent(auth)}`;
    if (req.path.endsWith('agent-card.json')) {
      sendJson(req, validCard(req.base, { fill: echo }), { 'x-echo': auth, 'www-authenticate': `Bearer ${auth}` });
      return;
    }
    sendJson(
      req,
      { jsonrpc: '2.0', id: rpcId(req), error: { code: -32001, message: echo, data: { auth, b64, hex } } },
      { 'x-echo': auth, 'www-authenticate': `Bearer realm="${auth}"`, location: `http://x/?t=${auth}` },
    );
  },
  'object-ids': (req) => {
    // JSON-RPC ids echoed as objects and arrays (never the id that was sent).
    const id = JSON.stringify(rpcId(req));
    const bad = rpcMethod(req).length % 2 ? `{"__proto__":{"x":1},"id":${id}}` : `[${id},{"constructor":1}]`;
    send(req, 200, `{"jsonrpc":"2.0","id":${bad},"result":${JSON.stringify(messageResult('ok'))}}`);
  },
  'retry-after': (req) =>
    send(req, 503, '{"error":"busy"}', { 'retry-after': '86400', 'content-type': 'application/json' }),
};

/** Streaming breakers: applied to SendStreamingMessage / SubscribeToTask; other methods answer a plain Message. */
const STREAMS: Partial<Record<string, Handler>> = {
  'huge-event': (req) => {
    sseHead(req);
    const total = 50 * 1024 * 1024;
    let sent = 0;
    const pad = Buffer.alloc(256 * 1024, 0x61);
    req.socket.write(`data: {"jsonrpc":"2.0","id":${JSON.stringify(rpcId(req))},"result":{"pad":"`);
    pump(req.socket, () => {
      if (sent >= total) return sent++ === total ? Buffer.from('"}}\n\n') : null;
      sent += pad.length;
      return pad;
    });
  },
  endless: (req) => {
    sseHead(req);
    let n = 0;
    every(req.socket, 50, () => {
      req.socket.write(statusEvent(rpcId(req), n++));
      return true;
    });
  },
  flood: (req) => {
    sseHead(req);
    const total = 1024 ** 3;
    let sent = 0;
    let n = 0;
    const id = rpcId(req);
    pump(req.socket, () => {
      if (sent >= total) return null;
      let s = '';
      while (s.length < 64 * 1024) s += statusEvent(id, n++);
      sent += s.length;
      return Buffer.from(s);
    });
  },
  reset: (req) => {
    sseHead(req);
    req.socket.write(statusEvent(rpcId(req), 0));
    req.socket.write('data: {"jsonrpc":"2.0","id":1,"res');
    setTimeout(() => req.socket.resetAndDestroy(), 30);
  },
  deep: (req) => {
    sseHead(req);
    req.socket.end(`data: {"jsonrpc":"2.0","id":${JSON.stringify(rpcId(req))},"result":${deepArray(DEEP)}}\n\n`);
  },
  'mixed-endings': (req) => {
    // Legal SSE with every line ending, comments, fields, a BOM and a CRLF split across writes; then a terminal event.
    sseHead(req);
    const id = JSON.stringify(rpcId(req));
    const s = req.socket;
    s.write('\ufeff: comment\r\nevent: message\rid: 1\nretry: 1000\r\n');
    s.write(`data: {"jsonrpc":"2.0","id":${id},\ndata: "result":{"message":{"messageId":"m","role":"ROLE_AGENT",\r`);
    s.write('data: "parts":[{"text":"ok"}]}}}\r');
    setTimeout(() => s.end('\n\r\n'), 20);
  },
  'plain-endings': (req) => {
    // The same stream as mixed-endings, in plain LF and one write: both must be judged alike.
    sseHead(req);
    const id = JSON.stringify(rpcId(req));
    const s = req.socket;
    s.write(': comment\nevent: message\nid: 1\nretry: 1000\n');
    s.write(`data: {"jsonrpc":"2.0","id":${id},\ndata: "result":{"message":{"messageId":"m","role":"ROLE_AGENT",\n`);
    s.write('data: "parts":[{"text":"ok"}]}}}\n');
    setTimeout(() => s.end('\n'), 20);
  },
};

function apiDefault(req: Req): void {
  sendJson(req, { jsonrpc: '2.0', id: rpcId(req), result: messageResult('ok') });
}

/** The handler for one request of one behaviour. */
function handlerFor(req: Req, name: string, rest: string): Handler {
  const isCard = rest === '.well-known/agent-card.json';
  const [family, ...tail] = name.split('-');
  const kind = tail.join('-');
  const plainCard: Handler = (r) => sendJson(r, validCard(r.base));
  if (family === 'card') return isCard ? (BREAKERS[kind] ?? plainCard) : apiDefault;
  if (family === 'api') {
    if (!isCard) return BREAKERS[kind] ?? apiDefault;
    if (kind !== 'https-interface') return plainCard;
    // The card sends the client to https:// on this plain-HTTP port.
    return (r) => sendJson(r, validCard(r.base, { url: `${r.base}/api`.replace('http:', 'https:') }));
  }
  if (family === 'sse') {
    if (isCard) return (r) => sendJson(r, validCard(r.base, { streaming: true }));
    const stream = STREAMS[kind];
    return stream && isStreamMethod(rpcMethod(req)) ? stream : apiDefault;
  }
  return (r) => send(r, 404, '{"error":"unknown behaviour"}');
}

/** Card behaviours served specially (not one of the BREAKERS). */
function specialCard(req: Req, kind: string, h: HostileContext): boolean {
  if (kind === 'many-skills') {
    const card = validCard(req.base);
    card.skills = Array.from({ length: 10_000 }, (_, i) => ({
      id: `skill-${i}`,
      name: `Skill ${i}`,
      description: `Skill number ${i}`,
      tags: ['t'],
    }));
    sendJson(req, card);
    return true;
  }
  if (kind === 'hang-interfaces') {
    const card = validCard(req.base, { url: `${h.hangUrl}/api`, streaming: true });
    (card.supportedInterfaces as unknown[]).push({
      url: `${h.hangUrl}/rest`,
      protocolBinding: 'HTTP+JSON',
      protocolVersion: '1.0',
    });
    sendJson(req, card);
    return true;
  }
  return false;
}

/** Every behaviour this server serves (target names: `hostile-<behaviour>`). */
export const HOSTILE_BEHAVIOURS: string[] = [
  ...Object.keys(BREAKERS)
    .filter((k) => k !== 'object-ids')
    .map((k) => `card-${k}`),
  'card-many-skills',
  'card-hang-interfaces',
  ...Object.keys(BREAKERS)
    .filter((k) => !['redirect-loop', 'cross-origin-redirect', 'gzip-bomb', 'lying-encoding'].includes(k))
    .map((k) => `api-${k}`),
  'api-https-interface',
  ...Object.keys(STREAMS).map((k) => `sse-${k}`),
];

// ---------------------------------------------------------------------------------------------------------------
// Server

export interface HostileAgent {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Base URL of each behaviour (`<url>/h/<behaviour>`). */
  targetUrls: Record<string, string>;
  /** https://127.0.0.1:<port>: a TLS listener whose certificate is for `wrong-name.invalid`. */
  tlsUrl: string;
  /** A plain HTTP port addressed with https:// (the handshake meets plain HTTP). */
  httpsOnPlainUrl: string;
  /** Requests that reached the other origin (a cross-origin redirect target): their headers, lower-cased. */
  otherOriginRequests: { path: string; headers: Record<string, string> }[];
  close(): Promise<void>;
}

function parseHead(buf: Buffer): { method: string; path: string; headers: Record<string, string> } | null {
  const text = buf.toString('latin1');
  const [line, ...lines] = text.split('\r\n');
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line ?? '');
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { method: m[1]!, path: m[2]!, headers };
}

/** Reads one request from the socket (head + Content-Length body), then calls `onRequest`. */
function serveSocket(socket: Socket, onRequest: (r: Omit<Req, 'base'>) => void): void {
  let buf = Buffer.alloc(0);
  let parsed: ReturnType<typeof parseHead> | undefined;
  let bodyStart = 0;
  socket.on('error', () => undefined);
  const onData = (c: Buffer): void => {
    buf = Buffer.concat([buf, c]);
    // A TLS ClientHello on this plain port: answer like any HTTP server would (400), which the client's TLS layer
    // then rejects.
    if (!parsed && buf[0] === 0x16) return void socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    if (!parsed) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > HEAD_LIMIT) socket.destroy();
        return;
      }
      parsed = parseHead(buf.subarray(0, end));
      if (!parsed) return void socket.destroy();
      bodyStart = end + 4;
    }
    const len = Number(parsed.headers['content-length'] ?? 0);
    if (buf.length - bodyStart < len) return;
    socket.off('data', onData);
    const body = buf.subarray(bodyStart, bodyStart + len);
    let json: unknown;
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    onRequest({ ...parsed, body, json, socket });
  };
  socket.on('data', onData);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

export async function startHostileAgent(): Promise<HostileAgent> {
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const otherOriginRequests: HostileAgent['otherOriginRequests'] = [];

  // Accepts connections and never answers (interface URLs that hang).
  const hang = createServer(track);
  const hangPort = await listen(hang);
  // The other origin of cross-origin redirects: records, then answers a valid card.
  const other = createServer((s) => {
    track(s);
    serveSocket(s, (r) => {
      otherOriginRequests.push({ path: r.path, headers: r.headers });
      sendJson({ ...r, base: '' }, validCard(`http://127.0.0.1:${hangPort}`));
    });
  });
  const otherPort = await listen(other);
  const ctx: HostileContext = {
    hangUrl: `http://127.0.0.1:${hangPort}`,
    otherOriginUrl: `http://127.0.0.1:${otherPort}`,
    // 16 MiB of JSON whitespace around a valid card, gzipped to ~16 KiB (inflates about 1,000×).
    gzipBomb: gzipSync(
      Buffer.concat([Buffer.from('{"name":"bomb",'), Buffer.alloc(16 * 1024 * 1024, 0x20), Buffer.from('"x":1}')]),
    ),
    random: seededBytes(64 * 1024, 0x5eed),
  };

  let port = 0;
  const main = createServer((s) => {
    track(s);
    serveSocket(s, (r) => {
      const m = /^\/h\/([a-z0-9-]+)\/?(.*)$/.exec(r.path.split('?')[0]!);
      if (!m) return sendJson({ ...r, base: '' }, { error: 'not found' }, {}, 404);
      const name = m[1]!;
      const req: Req = { ...r, base: `http://127.0.0.1:${port}/h/${name}` };
      const [family, ...tail] = name.split('-');
      if (family === 'card' && m[2] === '.well-known/agent-card.json' && specialCard(req, tail.join('-'), ctx)) return;
      try {
        handlerFor(req, name, m[2]!)(req, ctx);
      } catch {
        s.destroy();
      }
    });
  });
  port = await listen(main);

  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'tls');
  const tls = createTlsServer(
    {
      key: readFileSync(join(fixtures, 'wrong-name.key.pem')),
      cert: readFileSync(join(fixtures, 'wrong-name.cert.pem')),
    },
    (s) => {
      track(s);
      serveSocket(s, (r) => sendJson({ ...r, base: '' }, validCard(`https://127.0.0.1:${tlsPort}`)));
    },
  );
  tls.on('tlsClientError', () => undefined);
  const tlsPort = await listen(tls);

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    targetUrls: Object.fromEntries(HOSTILE_BEHAVIOURS.map((b) => [b, `${url}/h/${b}`])),
    tlsUrl: `https://127.0.0.1:${tlsPort}`,
    httpsOnPlainUrl: `https://127.0.0.1:${port}/h/api-default`,
    otherOriginRequests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([main, hang, other, tls].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const h = await startHostileAgent();
  process.stdout.write(`${HOSTILE_READY_PREFIX} ${h.url}\n`);
  const stop = (): void => void h.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
