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
 *   gRPC on a port of its own (GATEWAY_GRPC_PORT)     every A2A gRPC call forwarded to the upstream's gRPC endpoint
 *                                                    (./grpc-proxy.ts); the card's GRPC interfaces name this port
 *
 * The card declares only what the gateway serves: an interface is rewritten when the gateway proxies its address
 * (the upstream's HTTP base; the upstream's gRPC endpoint, learned from its card or GATEWAY_UPSTREAM_GRPC) and left
 * out of the lists otherwise — an upstream address it cannot reach through the gateway is never advertised.
 *
 * The caller's key is checked and never forwarded; `GATEWAY_UPSTREAM_AUTHORIZATION` (optional) is what the gateway
 * sends upstream instead. `GATEWAY_DEVIATIONS` switches on deviations real gateways ship (./deviations.ts), one rule
 * broken each, for the harness's gateway fault matrix; with none the gateway is transparent.
 *
 * Env: PORT (0 = free port), HOST, GATEWAY_UPSTREAM (agent base URL, required), GATEWAY_AGENT (route name, default
 * `agent`), GATEWAY_KEY (optional Bearer key), GATEWAY_UPSTREAM_AUTHORIZATION, GATEWAY_DEVIATIONS (comma-separated),
 * GATEWAY_GRPC_PORT (0 = free port, the default), GATEWAY_UPSTREAM_GRPC (the upstream's gRPC address, URL or
 * host:port; default: the first GRPC interface its card declares).
 * Prints `A2A_REFERENCE_READY <agent base URL through the gateway>` like the reference agents.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { parseGrpcUrl, type GrpcEndpoint } from '../../src/grpc/endpoint.js';
import { isMainModule, listen, READY_PREFIX } from '../runtime.js';
import { GATEWAY_DEVIATIONS, isDeviation, type GatewayDeviation } from './deviations.js';
import { startGatewayGrpc, type GatewayGrpc } from './grpc-proxy.js';

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
  /** Port of the gateway's gRPC listener (0 or absent = a free port). */
  grpcPort?: number;
  /** The upstream's gRPC address (URL or host:port); default: the first GRPC interface its card declares. */
  upstreamGrpc?: string;
}

export interface RunningGateway {
  /** http://host:port of the gateway itself. */
  origin: string;
  /** Where the agent is served through the gateway: `${origin}/a2a/${agent}`. */
  baseUrl: string;
  /** Port of the gRPC listener (absent when a deviation makes the gateway HTTP-only). */
  grpcPort?: number;
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
/** Bound on the card fetch that learns the upstream's gRPC endpoint when a gRPC call comes before any card. */
const CARD_FETCH_TIMEOUT_MS = 5000;
const INTERFACE_LISTS = [
  ['additionalInterfaces', 'transport'],
  ['supportedInterfaces', 'protocolBinding'],
] as const;
const isGrpcName = (v: unknown) => typeof v === 'string' && v.trim().toUpperCase() === 'GRPC';

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
  /** gRPC: proxied unless a deviation makes the gateway HTTP-only. */
  const servesGrpc = !on.has('grpc-not-rewritten') && !on.has('grpc-unserved');
  let origin = '';
  let grpc: GatewayGrpc | undefined;
  /** The upstream gRPC interface the gateway proxies, as its card spells it (explicit, or the first learned). */
  let upstreamGrpcUrl = opts.upstreamGrpc?.trim() || undefined;
  const grpcEndpoint = (url: string): GrpcEndpoint | undefined => {
    const e = parseGrpcUrl(url, upstream.href);
    return 'error' in e ? undefined : e;
  };

  /** The client-facing hop: scheme (X-Forwarded-Proto) and the authority the client used. */
  interface Hop {
    scheme: string;
    /** Authority of the gateway's HTTP side as the client named it. */
    host: string;
  }
  const hopOf = (req: IncomingMessage): Hop => {
    const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]!
      .trim();
    const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : 'http';
    return { scheme, host: req.headers.host ?? new URL(origin).host };
  };
  /** The hop of a gRPC call: the host name it dialled, the gateway's HTTP port. */
  const grpcHop = (authority: string): Hop => {
    let hostname = new URL(origin).hostname;
    try {
      hostname = new URL(`http://${authority}`).hostname || hostname;
    } catch {
      /* keep the listening host */
    }
    return { scheme: 'http', host: `${hostname}:${new URL(origin).port}` };
  };
  const schemeOf = (hop: Hop) => (on.has('scheme-mismatch') ? (hop.scheme === 'https' ? 'http' : 'https') : hop.scheme);
  const baseOf = (hop: Hop) =>
    `${schemeOf(hop)}://${hop.host}${on.has('doubled-path') ? `${prefix}${prefix}` : prefix}`;

  /**
   * An upstream interface URL → the gateway's, or undefined when the gateway does not serve it. HTTP: the upstream
   * base's authority → gateway base + the interface's own path and query. gRPC: the proxied upstream endpoint → the
   * gateway's gRPC port, in the form the card used (URL or host:port).
   */
  const rewriteUrl = (value: unknown, grpcIface: boolean, hop: Hop): unknown => {
    if (typeof value !== 'string') return value;
    if (grpcIface) {
      if (on.has('grpc-not-rewritten')) return value;
      if (on.has('grpc-unserved')) return rewriteHttp(value, hop) ?? baseOf(hop);
      const e = grpcEndpoint(value);
      const proxied = upstreamGrpcUrl ? grpcEndpoint(upstreamGrpcUrl) : undefined;
      if (!e || !proxied || !grpc || e.address !== proxied.address) return undefined;
      const hostname = new URL(`http://${hop.host}`).hostname;
      return e.form === 'url' ? `${schemeOf(hop)}://${hostname}:${grpc.port}` : `${hostname}:${grpc.port}`;
    }
    return rewriteHttp(value, hop);
  };
  const rewriteHttp = (value: string, hop: Hop): string | undefined => {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return undefined;
    }
    if (u.host !== upstreamAuthority) return undefined;
    return `${baseOf(hop)}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  };

  /** The first gRPC interface a card declares becomes the proxied endpoint, unless one is set already. */
  const learnGrpc = (card: Json): void => {
    if (upstreamGrpcUrl || !servesGrpc) return;
    const urls: unknown[] = isGrpcName(card.preferredTransport) ? [card.url] : [];
    for (const [list, bindingKey] of INTERFACE_LISTS)
      if (Array.isArray(card[list]))
        for (const i of card[list] as unknown[]) if (isObj(i) && isGrpcName(i[bindingKey])) urls.push(i.url);
    upstreamGrpcUrl = urls.find((u): u is string => typeof u === 'string' && grpcEndpoint(u) !== undefined);
  };

  const rewriteCard = (card: unknown, hop: Hop): unknown => {
    if (!isObj(card)) return card;
    learnGrpc(card);
    const out: Json = { ...card };
    // The main url cannot be left out: it is kept as is when the gateway does not serve it.
    if ('url' in out) out.url = rewriteUrl(out.url, isGrpcName(out.preferredTransport), hop) ?? out.url;
    for (const [list, bindingKey] of INTERFACE_LISTS) {
      if (list === 'supportedInterfaces' && on.has('skip-supported-interfaces')) continue;
      if (!Array.isArray(out[list])) continue;
      out[list] = (out[list] as unknown[]).flatMap((i) => {
        if (!isObj(i)) return [i];
        const url = rewriteUrl(i.url, isGrpcName(i[bindingKey]), hop);
        return url === undefined ? [] : [{ ...i, url }];
      });
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

  /** The upstream gRPC endpoint to forward to: explicit, learned from a card rewrite, or learned now from its card. */
  let learning: Promise<void> | undefined;
  const upstreamGrpcEndpoint = async (): Promise<GrpcEndpoint | undefined> => {
    if (!upstreamGrpcUrl) {
      learning ??= learnGrpcFromCard().finally(() => {
        learning = undefined;
      });
      await learning;
    }
    return upstreamGrpcUrl ? grpcEndpoint(upstreamGrpcUrl) : undefined;
  };
  const learnGrpcFromCard = async (): Promise<void> => {
    for (const version of ['1.0', undefined]) {
      if (upstreamGrpcUrl) return;
      const headers: Record<string, string> = version ? { 'a2a-version': version } : {};
      if (opts.upstreamAuthorization) headers.authorization = opts.upstreamAuthorization;
      try {
        const res = await fetch(new URL(`${upstream.pathname.replace(/\/+$/, '')}${CARD_PATH}`, upstream), {
          headers,
          signal: AbortSignal.timeout(CARD_FETCH_TIMEOUT_MS),
        });
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const c of res.body ?? []) {
          size += c.length;
          if (size > MAX_BODY) throw new Error('card too large');
          chunks.push(c);
        }
        const card = res.ok ? parseJson(Buffer.concat(chunks)) : undefined;
        if (isObj(card)) learnGrpc(card);
      } catch {
        /* no card: no gRPC endpoint to forward to */
      }
    }
  };

  const keyMatches = (presented: string | undefined): boolean => {
    if (!opts.key) return true;
    if (presented === undefined) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(opts.key);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const authorized = (req: IncomingMessage): boolean =>
    keyMatches(/^Bearer[ \t]+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1]);

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
    const hop = hopOf(req);
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
        ? rewriteCard(json, hop)
        : isObj(json) && 'result' in json
          ? { ...json, result: rewriteCard(json.result, hop) }
          : rewriteCard(json, hop);
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
  if (servesGrpc) {
    try {
      grpc = await startGatewayGrpc({
        host: opts.host ?? '127.0.0.1',
        port: opts.grpcPort ?? 0,
        key: opts.key,
        upstreamAuthorization: opts.upstreamAuthorization,
        upstream: upstreamGrpcEndpoint,
        rewriteCard: (card, authority) => rewriteCard(card, grpcHop(authority)),
        deviations: on,
        keyMatches,
      });
    } catch (e) {
      await listening.close();
      throw e;
    }
  }
  const g = grpc;
  return {
    origin,
    baseUrl: `${origin}${prefix}`,
    ...(g ? { grpcPort: g.port } : {}),
    close: async () => {
      await Promise.all([listening.close(), g?.close()]);
    },
  };
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
