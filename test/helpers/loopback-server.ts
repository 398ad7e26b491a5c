/**
 * A tiny programmable HTTP server on 127.0.0.1:0 for tests: every request is recorded (method, path, headers,
 * body); the handler (replaceable at any time) answers it. Also: a ResolvedTarget factory for HTTP-layer tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedTarget } from '../../src/config/types.js';

export interface LoopbackRequest {
  method: string;
  /** Path + query as received. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed body when it is JSON. */
  json?: unknown;
}

export type LoopbackHandler = (req: LoopbackRequest, res: http.ServerResponse, raw: http.IncomingMessage) => unknown;

export interface LoopbackServer {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  port: number;
  requests: LoopbackRequest[];
  /** Replace the handler. */
  handle(h: LoopbackHandler): void;
  close(): Promise<void>;
}

export async function startLoopback(handler?: LoopbackHandler): Promise<LoopbackServer> {
  let current: LoopbackHandler = handler ?? ((_req, res) => res.end());
  const requests: LoopbackRequest[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const req: LoopbackRequest = {
        method: raw.method ?? '',
        path: raw.url ?? '',
        headers: raw.headers,
        body,
        ...(json !== undefined ? { json } : {}),
      };
      requests.push(req);
      Promise.resolve(current(req, res, raw)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reply with JSON. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Start an SSE response. */
export function startSse(res: http.ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function makeTarget(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return {
    name: 'test',
    url: 'http://127.0.0.1:1',
    cardUrl: 'http://127.0.0.1:1/.well-known/agent-card.json',
    headers: {},
    secrets: [],
    timeoutMs: 2000,
    checkTimeoutMs: 5000,
    streamIdleTimeoutMs: 1000,
    concurrency: 2,
    tags: [],
    triggers: {},
    specProfile: '1.0.1',
    expectedFailures: [],
    maxBodyBytes: 1024 * 1024,
    source: { file: 'targets.yaml', line: 1, col: 1 },
    ...overrides,
  };
}
