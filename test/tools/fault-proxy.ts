/**
 * Fault-injecting proxy: sits in front of a real agent and applies ONE named fault to what the agent sends back
 * (the card, JSON bodies, SSE streams event by event without buffering, status codes, headers). It rewrites the
 * upstream origin to its own in every body, like a gateway, so clients following the card stay on the proxy.
 * Used by the per-check self-tests and by `npm run selftest:faults` (the kill matrix).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startGrpcFaultProxy, type GrpcFaultHooks, type GrpcProxy } from './grpc-fault-proxy.js';

export interface FaultContext {
  method: string;
  /** Path + query of the request as received by the proxy. */
  path: string;
  requestHeaders: Record<string, string>;
  /** Parsed JSON request body, if any. */
  requestJson?: unknown;
  /** Response status from upstream. */
  status: number;
  /** Event index within an SSE stream. */
  eventIndex?: number;
  /** Per-request scratch space (e.g. to remember ids across events of one stream). */
  scratch: Record<string, unknown>;
}

/** A fault may also carry gRPC hooks (./grpc-fault-proxy.ts): they apply to the agent's gRPC interfaces. */
export interface Fault extends GrpcFaultHooks {
  name: string;
  description: string;
  /** Mutate the agent card JSON (any request to a path ending in agent-card.json / agent.json). */
  card?: (card: Record<string, unknown>, ctx: FaultContext) => unknown;
  /** Mutate any non-card JSON response body. Return undefined to leave it. */
  json?: (body: unknown, ctx: FaultContext) => unknown;
  /** Mutate one SSE event's data. Return a string (replacement), an array (several events), or null (drop it). */
  sseEvent?: (data: string, ctx: FaultContext) => string | string[] | null | undefined;
  /** After the upstream stream ended: extra events to send, and whether to keep the stream open forever. */
  sseEnd?: (ctx: FaultContext) => { extra?: string[]; hang?: boolean } | undefined;
  /** Rewrite response headers (lower-case names). */
  headers?: (headers: Record<string, string>, ctx: FaultContext) => Record<string, string>;
  /** Change the status code. */
  status?: (status: number, ctx: FaultContext) => number;
  /** Answer without asking upstream (return undefined to forward). */
  intercept?: (
    ctx: Omit<FaultContext, 'status'>,
  ) => { status: number; headers?: Record<string, string>; body: string } | undefined;
  /** Rewrite the request before forwarding (e.g. drop a header the agent would need). */
  request?: (req: { method: string; path: string; headers: Record<string, string>; body: string }) => {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string;
  };
}

export interface FaultProxy {
  url: string;
  setFault(f: Fault | undefined): void;
  close(): Promise<void>;
}

const HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'content-length',
  'host',
]);

export async function startFaultProxy(upstream: string, fault?: Fault): Promise<FaultProxy> {
  let current = fault;
  const up = new URL(upstream);
  const hanging = new Set<ServerResponse>();
  let self = '';
  // Upstream origin → proxy origin (HTTP, then each gRPC interface); a port is never matched as a prefix of another.
  const origins: [RegExp, string][] = [];
  const rewrite = (s: string) => origins.reduce((acc, [re, to]) => acc.replace(re, to), s);
  const originRe = (o: string) => new RegExp(`${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`, 'g');

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy error: ${(e as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks).toString('utf8');
    let headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let method = req.method ?? 'GET';
    let path = req.url ?? '/';
    const f = current;
    if (f?.request) ({ method, path, headers, body } = f.request({ method, path, headers, body }));
    let requestJson: unknown;
    try {
      requestJson = body ? JSON.parse(body) : undefined;
    } catch {
      requestJson = undefined;
    }
    const base = { method, path, requestHeaders: headers, requestJson, scratch: {} as Record<string, unknown> };

    const canned = f?.intercept?.(base);
    if (canned) {
      res.writeHead(canned.status, canned.headers ?? { 'content-type': 'application/json' });
      res.end(canned.body);
      return;
    }

    // When the client goes away, so does the upstream request (a subscriber that closes must look closed to the agent).
    const upstreamAbort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) upstreamAbort.abort();
    });
    const upRes = await request(new URL(path, up).href, {
      method: method as 'GET',
      headers,
      body: body || undefined,
      headersTimeout: 30_000,
      bodyTimeout: 0,
      signal: upstreamAbort.signal,
    });
    const ctx: FaultContext = { ...base, status: upRes.statusCode };
    let outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(upRes.headers))
      if (v !== undefined && !HOP.has(k)) outHeaders[k] = Array.isArray(v) ? v.join(', ') : String(v);
    const status = f?.status ? f.status(upRes.statusCode, ctx) : upRes.statusCode;
    if (f?.headers) outHeaders = f.headers(outHeaders, ctx);
    const ct = (upRes.headers['content-type'] as string | undefined) ?? '';

    if (ct.startsWith('text/event-stream')) {
      res.writeHead(status, outHeaders);
      res.flushHeaders();
      let buf = '';
      let index = 0;
      const emit = (data: string, fields = '') =>
        res.write(
          `${fields}${data
            .split(/\r?\n/)
            .map((l) => `data: ${l}`)
            .join('\n')}\n\n`,
        );
      const onEvent = (raw: string) => {
        const lines = raw.split(/\r?\n/);
        const dataLines = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
        if (!dataLines.length) {
          res.write(`${raw}\n\n`);
          return;
        }
        // Other fields of the event (`event: error`, `id:`) travel with it unchanged; a replaced event is plain data.
        const fields = lines
          .filter((l) => l && !l.startsWith('data:') && !l.startsWith(':'))
          .map((l) => `${l}\n`)
          .join('');
        const data = rewrite(dataLines.join('\n'));
        const out = f?.sseEvent ? f.sseEvent(data, { ...ctx, eventIndex: index }) : undefined;
        index++;
        if (out === null) return;
        if (out === undefined) emit(data, fields);
        else for (const d of Array.isArray(out) ? out : [out]) emit(d);
      };
      try {
        for await (const chunk of upRes.body) {
          buf += (chunk as Buffer).toString('utf8');
          let sep: RegExpExecArray | null;
          while ((sep = /\r?\n\r?\n/.exec(buf))) {
            onEvent(buf.slice(0, sep.index));
            buf = buf.slice(sep.index + sep[0].length);
          }
        }
      } catch (e) {
        if (res.destroyed) return; // the client closed the stream: nothing left to forward
        throw e;
      }
      if (res.destroyed) return;
      if (buf.trim()) onEvent(buf);
      const end = f?.sseEnd?.(ctx);
      for (const d of end?.extra ?? []) emit(d);
      if (end?.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.end();
      return;
    }

    let text = rewrite(await upRes.body.text());
    if (ct.includes('json') && text) {
      try {
        const json = JSON.parse(text) as unknown;
        const isCard = /\/\.well-known\/agent(-card)?\.json$/.test(path.split('?')[0]!);
        const mutated = isCard
          ? f?.card
            ? f.card(json as Record<string, unknown>, ctx)
            : undefined
          : f?.json
            ? f.json(json, ctx)
            : undefined;
        if (mutated !== undefined) text = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
      } catch {
        /* not JSON after all: forward as is */
      }
    }
    delete outHeaders['content-encoding'];
    res.writeHead(status, outHeaders);
    res.end(text);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origins.push([originRe(up.origin), self]);
  // The agent's gRPC interfaces (from both card shapes) get a gRPC proxy each, and the card names the proxy.
  const grpcProxies: GrpcProxy[] = [];
  for (const origin of await grpcOrigins(upstream)) {
    const gp = await startGrpcFaultProxy(new URL(origin).host, () => current, rewrite);
    grpcProxies.push(gp);
    origins.push([originRe(origin), gp.url]);
  }
  return {
    url: self,
    setFault: (f) => {
      current = f;
    },
    close: async () => {
      await Promise.all(grpcProxies.map((g) => g.close()));
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Origins (`http://host:port`) of the GRPC interfaces the agent's cards declare (1.0 and 0.3 shapes). */
async function grpcOrigins(upstream: string): Promise<string[]> {
  const out = new Set<string>();
  for (const headers of [{ 'a2a-version': '1.0' }, {}]) {
    try {
      const res = await request(new URL('/.well-known/agent-card.json', upstream).href, { headers });
      const card = (await res.body.json()) as Record<string, unknown>;
      const ifaces = [
        ...((card.supportedInterfaces as { url?: string; protocolBinding?: string }[] | undefined) ?? []).map((i) => ({
          url: i.url,
          binding: i.protocolBinding,
        })),
        ...((card.additionalInterfaces as { url?: string; transport?: string }[] | undefined) ?? []).map((i) => ({
          url: i.url,
          binding: i.transport,
        })),
      ];
      for (const i of ifaces)
        if (i.binding?.toUpperCase() === 'GRPC' && i.url && /^https?:\/\//.test(i.url)) out.add(new URL(i.url).origin);
    } catch {
      /* no card or not JSON: no gRPC interfaces to proxy */
    }
  }
  return [...out];
}
