/**
 * A small, faithful A2A reverse proxy in front of one agent, routed the way real gateways route (LiteLLM's
 * `/a2a/{agent}`, a Bearer key on every route, the card included):
 *
 *   GET  /a2a/{agent}/.well-known/agent-card.json   the upstream's card, fetched per request with the caller's
 *                                                    `A2A-Version`, every interface URL rewritten to the gateway
 *                                                    (gateway base + the interface's own path and query), ETag
 *                                                    recomputed for the rewritten body
 *        /a2a/{agent}/<path>                         forwarded to <upstream>/<path>: method, query, body and headers
 *                                                    (A2A-Version, A2A-Extensions included) both ways; SSE streamed
 *                                                    through event by event; extended-card answers rewritten like
 *                                                    the card
 *
 * The caller's key is checked and never forwarded; `GATEWAY_UPSTREAM_AUTHORIZATION` (optional) is what the gateway
 * sends upstream instead. `GATEWAY_DEVIATIONS` switches on deviations real gateways ship (./deviations.ts), one rule
 * broken each, for the harness's gateway fault matrix; with none the gateway is transparent.
 *
 * Env: PORT (0 = free port), HOST, GATEWAY_UPSTREAM (agent base URL, required), GATEWAY_AGENT (route name, default
 * `agent`), GATEWAY_KEY (optional Bearer key), GATEWAY_UPSTREAM_AUTHORIZATION, GATEWAY_DEVIATIONS (comma-separated).
 * Prints `A2A_REFERENCE_READY <agent base URL through the gateway>` like the reference agents.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { isMainModule, listen, READY_PREFIX } from '../runtime.js';
import { GATEWAY_DEVIATIONS, isDeviation, type GatewayDeviation } from './deviations.js';

export interface GatewayOptions {
  port?: number;
  host?: string;
  /** Base URL of the agent behind the gateway, e.g. http://127.0.0.1:4000. */
  upstream: string;
  /** Route name: the agent is served under /a2a/{agent}. */
  agent?: string;
  /** Bearer key required on every route (the card included). */
  key?: string;
  /** Authorization header value sent upstream (the caller's never is). */
  upstreamAuthorization?: string;
  deviations?: GatewayDeviation[];
}

export interface RunningGateway {
  /** http://host:port of the gateway itself. */
  origin: string;
  /** Where the agent is served through the gateway: `${origin}/a2a/${agent}`. */
  baseUrl: string;
  close(): Promise<void>;
}

const CARD_PATH = '/.well-known/agent-card.json';
/** Headers a proxy must not forward (RFC 9110 §7.6.1) plus the ones it recomputes. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);
const A2A_HEADERS = new Set(['a2a-version', 'a2a-extensions', 'x-a2a-extensions']);
const MAX_BODY = 8 * 1024 * 1024;
/** 0.3 JSON-RPC task methods → their 1.0 names (the `tasks-untranslated` deviation). */
const TASK_METHODS_10: Record<string, string> = {
  'tasks/get': 'GetTask',
  'tasks/cancel': 'CancelTask',
  'tasks/resubscribe': 'SubscribeToTask',
  'tasks/pushNotificationConfig/set': 'CreateTaskPushNotificationConfig',
  'tasks/pushNotificationConfig/get': 'GetTaskPushNotificationConfig',
  'tasks/pushNotificationConfig/list': 'ListTaskPushNotificationConfigs',
  'tasks/pushNotificationConfig/delete': 'DeleteTaskPushNotificationConfig',
};
const EXTENDED_CARD_METHODS = new Set(['GetExtendedAgentCard', 'agent/getAuthenticatedExtendedCard']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

const parseJson = (b: Buffer): unknown => {
  try {
    return JSON.parse(b.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const upstream = new URL(opts.upstream.replace(/\/+$/, ''));
  const agent = opts.agent ?? 'agent';
  const prefix = `/a2a/${agent}`;
  const on = new Set(opts.deviations ?? []);
  const upstreamAuthority = upstream.host;
  let origin = '';

  /** The client-facing base of the agent: scheme of the client's hop (X-Forwarded-Proto), the Host it used. */
  const publicBase = (req: IncomingMessage): string => {
    const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]!
      .trim();
    let scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : 'http';
    if (on.has('scheme-mismatch')) scheme = scheme === 'https' ? 'http' : 'https';
    const host = req.headers.host ?? new URL(origin).host;
    return `${scheme}://${host}${on.has('doubled-path') ? `${prefix}${prefix}` : prefix}`;
  };

  /** An upstream interface URL → the gateway's: gateway base + the interface's own path and query. */
  const rewriteUrl = (value: unknown, base: string): unknown => {
    if (typeof value !== 'string') return value;
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return value;
    }
    if (u.host !== upstreamAuthority) return value;
    return `${base}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  };

  const rewriteCard = (card: unknown, base: string): unknown => {
    if (!isObj(card)) return card;
    const out: Json = { ...card };
    if ('url' in out) out.url = rewriteUrl(out.url, base);
    for (const list of ['additionalInterfaces', 'supportedInterfaces'] as const) {
      if (list === 'supportedInterfaces' && on.has('skip-supported-interfaces')) continue;
      if (Array.isArray(out[list]))
        out[list] = (out[list] as unknown[]).map((i) => (isObj(i) ? { ...i, url: rewriteUrl(i.url, base) } : i));
    }
    if (on.has('strip-signatures')) delete out.signatures;
    if (on.has('stale-card')) {
      if (isObj(out.capabilities)) {
        const caps: Json = { ...out.capabilities, pushNotifications: false };
        delete caps.extendedAgentCard;
        out.capabilities = caps;
      }
      delete out.supportsAuthenticatedExtendedCard;
      if (Array.isArray(out.skills) && out.skills.length > 1) out.skills = out.skills.slice(0, -1);
    }
    return out;
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (!opts.key) return true;
    const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return false;
    const a = Buffer.from(m[1]!);
    const b = Buffer.from(opts.key);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const requestHeaders = (req: IncomingMessage): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k) || k === 'authorization' || k === 'if-none-match') continue;
      if (on.has('drop-a2a-headers') && A2A_HEADERS.has(k)) continue;
      out[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    out['x-forwarded-host'] = req.headers.host ?? '';
    if (opts.upstreamAuthorization) out.authorization = opts.upstreamAuthorization;
    return out;
  };

  const responseHeaders = (h: IncomingHttpHeaders): Record<string, string | string[]> => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(h)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      if (on.has('drop-a2a-headers') && A2A_HEADERS.has(k)) continue;
      out[k] = v;
    }
    if (on.has('leak-upstream')) out.via = `1.1 ${upstreamAuthority}`;
    return out;
  };

  const forward = (
    req: IncomingMessage,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const r = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path,
          headers: { ...headers, ...(body.length ? { 'content-length': String(body.length) } : {}) },
        },
        resolve,
      );
      r.on('error', reject);
      req.once('close', () => {
        if (!req.complete) r.destroy();
      });
      r.end(body);
    });

  const send = (res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: string) => {
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      return send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'no such route' }));
    }
    if (!authorized(req)) {
      return send(
        res,
        401,
        { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="a2a-gateway"' },
        JSON.stringify({ error: 'missing or invalid gateway key' }),
      );
    }
    if (on.has('slow')) await new Promise((r) => setTimeout(r, 1500));
    const rest = url.pathname.slice(prefix.length) || '/';
    const base = publicBase(req);
    let body = await readBody(req);
    const headers = requestHeaders(req);

    // tasks-untranslated: a 0.3 tasks/* call goes upstream as 1.0, and its 1.0 answer comes back as is.
    const rpc = parseJson(body);
    const method = isObj(rpc) && typeof rpc.method === 'string' ? rpc.method : undefined;
    if (on.has('tasks-untranslated') && method && TASK_METHODS_10[method]) {
      body = Buffer.from(JSON.stringify({ ...(rpc as Json), method: TASK_METHODS_10[method] }));
      headers['a2a-version'] = '1.0';
    }

    let up: IncomingMessage;
    try {
      up = await forward(req, `${rest}${url.search}`, headers, body);
    } catch (e) {
      const detail = on.has('leak-upstream') ? ` (${upstream.href}: ${(e as Error).message})` : '';
      return send(res, 502, { 'content-type': 'application/json' }, JSON.stringify({ error: `bad gateway${detail}` }));
    }
    const status = up.statusCode ?? 502;
    const outHeaders = responseHeaders(up.headers);
    const type = String(up.headers['content-type'] ?? '');

    if (type.startsWith('text/event-stream')) return stream(up, res, status, outHeaders);

    const upBody = await readBody(up);
    const isCard = rest === CARD_PATH && req.method === 'GET';
    const isExtended = (method && EXTENDED_CARD_METHODS.has(method)) || /\/(extendedAgentCard|v1\/card)$/.test(rest);
    let text = upBody.toString('utf8');
    const json = type.includes('json') ? parseJson(upBody) : undefined;
    if (json !== undefined && status < 400 && (isCard || isExtended)) {
      const rewritten = isCard
        ? rewriteCard(json, base)
        : isObj(json) && 'result' in json
          ? { ...json, result: rewriteCard(json.result, base) }
          : rewriteCard(json, base);
      text = JSON.stringify(rewritten);
    }
    let outStatus = status;
    if (on.has('change-errors') && json !== undefined) {
      if (isObj(json) && isObj(json.error)) {
        text = JSON.stringify({
          jsonrpc: '2.0',
          id: json.id ?? null,
          error: { code: -32603, message: 'Internal error' },
        });
      } else if (status >= 400) {
        outStatus = 502;
        text = JSON.stringify({ error: 'upstream error' });
      }
    }
    if (on.has('leak-upstream') && json !== undefined && status >= 400 && isObj(json) && isObj(json.error)) {
      const err = json.error as Json;
      text = JSON.stringify({ ...json, error: { ...err, message: `${String(err.message)} (from ${upstream.href})` } });
    }
    if (isCard) {
      // The body changed: the validator must describe this body, and conditional requests are answered here.
      delete outHeaders.etag;
      const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
      outHeaders.etag = etag;
      const inm = req.headers['if-none-match'];
      if (outStatus === 200 && inm && inm.split(',').some((t) => t.trim() === etag)) {
        res.writeHead(304, outHeaders);
        res.end();
        return;
      }
    }
    send(res, outStatus, outHeaders, text);
  };

  const stream = (
    up: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string | string[]>,
  ): void => {
    if (on.has('ndjson')) {
      res.writeHead(status, { ...headers, 'content-type': 'application/x-ndjson' });
      let pending = '';
      up.setEncoding('utf8');
      up.on('data', (chunk: string) => {
        pending += chunk.replace(/\r\n?/g, '\n');
        let cut = pending.indexOf('\n\n');
        while (cut >= 0) {
          const data = pending
            .slice(0, cut)
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).replace(/^ /, ''))
            .join('\n');
          if (data) res.write(`${data.replace(/\n/g, ' ')}\n`);
          pending = pending.slice(cut + 2);
          cut = pending.indexOf('\n\n');
        }
      });
      up.on('end', () => res.end());
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      return;
    }
    if (on.has('buffer-sse')) {
      const chunks: Buffer[] = [];
      let size = 0;
      up.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        res.end(body);
      });
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      return;
    }
    res.writeHead(status, headers);
    res.flushHeaders();
    up.on('data', (c: Buffer) => res.write(c));
    up.on('end', () => res.end());
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
  };

  const listening = await listen(
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (res.headersSent) res.destroy();
        else send(res, 502, { 'content-type': 'application/json' }, JSON.stringify({ error: (e as Error).message }));
      });
    },
    { port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' },
  );
  origin = listening.baseUrl;
  return { origin, baseUrl: `${origin}${prefix}`, close: listening.close };
}

/** GATEWAY_* environment → options (unknown deviation names are an error, listing the known ones). */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  const upstream = env.GATEWAY_UPSTREAM?.trim();
  if (!upstream) throw new Error('GATEWAY_UPSTREAM (the agent base URL) is required');
  const deviations = (env.GATEWAY_DEVIATIONS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = deviations.filter((d) => !isDeviation(d));
  if (unknown.length)
    throw new Error(
      `unknown GATEWAY_DEVIATIONS ${unknown.join(', ')} (known: ${Object.keys(GATEWAY_DEVIATIONS).join(', ')})`,
    );
  const port = env.PORT?.trim() ? Number(env.PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid PORT: ${env.PORT}`);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    upstream,
    agent: env.GATEWAY_AGENT?.trim() || 'agent',
    key: env.GATEWAY_KEY?.trim() || undefined,
    upstreamAuthorization: env.GATEWAY_UPSTREAM_AUTHORIZATION?.trim() || undefined,
    deviations: deviations as GatewayDeviation[],
  };
}

if (isMainModule(import.meta.url)) {
  void (async () => {
    let gw: RunningGateway;
    try {
      gw = await startGateway(gatewayOptionsFromEnv());
    } catch (e) {
      console.error('gateway failed to start:', (e as Error).message);
      process.exit(1);
    }
    process.stdout.write(`${READY_PREFIX} ${gw.baseUrl}\n`);
    const stop = () => {
      const force = setTimeout(() => process.exit(0), 2000);
      force.unref();
      void gw.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  })();
}
