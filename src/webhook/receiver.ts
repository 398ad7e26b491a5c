/**
 * The harness's own webhook receiver for push-notification checks.
 *
 * One HTTP server per listen address (default 127.0.0.1 on a free port, or `webhook: { host, port }` from
 * targets.yaml), started lazily by the first push check that asks for it and closed at the end of the run. Each check
 * gets its own endpoint (`<base>/hooks/<id>`) so deliveries are routed to the check that registered the URL; the
 * agent is told `publicUrl` (when configured) + that path. Every request is recorded (headers, body, arrival time),
 * bounded in size and count, and answered 200 at once (1.0 §13.2: receivers MUST answer 2xx). Checks wait for a
 * delivery matching a predicate: event-driven, bounded by a timeout and the check's abort signal, never a fixed sleep.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBoundedJson } from '../core/bounded-json.js';

/** Bytes of a delivery body kept (the rest is read and dropped; `truncated` is set). */
export const WEBHOOK_BODY_CAP = 256 * 1024;
/** Deliveries kept per endpoint; later ones are answered 2xx and counted in `dropped`. */
export const WEBHOOK_MAX_PER_ENDPOINT = 500;
/** Requests kept that matched no endpoint (diagnostics: an agent that rewrote the URL). */
export const WEBHOOK_MAX_UNROUTED = 200;
/** Endpoints per receiver (one per push check and cell); beyond it the oldest are forgotten. */
export const WEBHOOK_MAX_ENDPOINTS = 5000;

export interface WebhookDelivery {
  /** 1-based arrival order at this endpoint. */
  seq: number;
  /** Wall-clock arrival time (ms since epoch) and monotonic arrival time (performance.now()). */
  receivedAt: number;
  monotonicAt: number;
  method: string;
  /** Path + query as received. */
  path: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Body text, cut at WEBHOOK_BODY_CAP bytes. */
  body: string;
  bytes: number;
  truncated: boolean;
  /** Parsed JSON body when it parsed (and was not truncated). */
  json?: unknown;
  jsonError?: string;
}

export interface WebhookEndpointOptions {
  /** Free label shown in diagnostics. */
  label?: string;
  /** Base URL the agent is told (targets.yaml `webhook.publicUrl`); defaults to the receiver's own URL. */
  publicUrl?: string;
  /** Called for every delivery routed to this endpoint (transcript recording). */
  onDelivery?: (d: WebhookDelivery) => void;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface WebhookEndpoint {
  readonly id: string;
  /** The URL to register with the agent. */
  readonly url: string;
  readonly label?: string;
  /** A fresh random token / credential generated for this endpoint. Ours: never a target secret. */
  readonly token: string;
  readonly credentials: string;
  /** Deliveries received so far (in arrival order). */
  deliveries(): WebhookDelivery[];
  /** Deliveries beyond the per-endpoint cap (answered, not kept). */
  readonly dropped: number;
  /**
   * The first delivery (already received, or arriving before the timeout) that satisfies `pred`; undefined when the
   * time runs out or the signal aborts.
   */
  waitFor(pred: (d: WebhookDelivery) => boolean, opts: WaitOptions): Promise<WebhookDelivery | undefined>;
  /** Stop routing deliveries to onDelivery (they are still kept and answered). */
  detach(): void;
}

export interface WebhookReceiver {
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  readonly listenUrl: string;
  endpoint(opts?: WebhookEndpointOptions): WebhookEndpoint;
  /** Requests that matched no endpoint (bounded). */
  unrouted(): WebhookDelivery[];
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  host?: string;
  /** 0 or undefined: a free port. */
  port?: number;
}

class Endpoint implements WebhookEndpoint {
  readonly token = `a2a-conformance-push-${randomBytes(12).toString('hex')}`;
  readonly credentials = `a2a-conformance-cred-${randomBytes(12).toString('hex')}`;
  private readonly list: WebhookDelivery[] = [];
  private waiters = new Set<(d: WebhookDelivery) => void>();
  private onDelivery?: (d: WebhookDelivery) => void;
  dropped = 0;

  constructor(
    readonly id: string,
    readonly url: string,
    readonly label: string | undefined,
    onDelivery?: (d: WebhookDelivery) => void,
  ) {
    this.onDelivery = onDelivery;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.list];
  }

  add(d: Omit<WebhookDelivery, 'seq'>): void {
    if (this.list.length >= WEBHOOK_MAX_PER_ENDPOINT) {
      this.dropped++;
      return;
    }
    const delivery: WebhookDelivery = { ...d, seq: this.list.length + 1 };
    this.list.push(delivery);
    try {
      this.onDelivery?.(delivery);
    } catch {
      /* recording must never break the receiver */
    }
    for (const w of [...this.waiters]) w(delivery);
  }

  waitFor(pred: (d: WebhookDelivery) => boolean, opts: WaitOptions): Promise<WebhookDelivery | undefined> {
    const hit = this.list.find((d) => safe(pred, d));
    if (hit) return Promise.resolve(hit);
    if (opts.signal?.aborted || !(opts.timeoutMs > 0)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (d: WebhookDelivery | undefined): void => {
        this.waiters.delete(onDelivery);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(d);
      };
      const onDelivery = (d: WebhookDelivery): void => {
        if (safe(pred, d)) finish(d);
      };
      const onAbort = (): void => finish(undefined);
      this.waiters.add(onDelivery);
      timer = setTimeout(() => finish(undefined), opts.timeoutMs);
      timer.unref?.();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  detach(): void {
    this.onDelivery = undefined;
  }
}

function safe(pred: (d: WebhookDelivery) => boolean, d: WebhookDelivery): boolean {
  try {
    return pred(d);
  } catch {
    return false;
  }
}

function joinBase(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** Starts a receiver. Rejects when it cannot listen (address in use, bad host). */
export async function startWebhookReceiver(opts: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const host = opts.host ?? '127.0.0.1';
  const endpoints = new Map<string, Endpoint>();
  const unrouted: WebhookDelivery[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  // Agents may keep connections alive; they must not hold close() open.
  server.keepAliveTimeout = 2000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const monotonicAt = performance.now();
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    try {
      for await (const c of req) {
        const b = c as Buffer;
        bytes += b.length;
        if (kept < WEBHOOK_BODY_CAP) {
          const part = b.subarray(0, WEBHOOK_BODY_CAP - kept);
          chunks.push(part);
          kept += part.length;
        }
      }
    } catch {
      /* the sender went away: record what arrived */
    }
    const truncated = bytes > kept;
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let json: unknown;
    let jsonError: string | undefined;
    if (body.trim() && !truncated) {
      const parsed = parseBoundedJson(body);
      json = parsed.json;
      jsonError = parsed.error;
    }
    const path = req.url ?? '/';
    const d = {
      receivedAt,
      monotonicAt,
      method: req.method ?? 'GET',
      path,
      headers,
      body,
      bytes,
      truncated,
      ...(json !== undefined ? { json } : {}),
      ...(jsonError ? { jsonError } : {}),
    };
    const m = /\/hooks\/([A-Za-z0-9-]+)(?:[/?#]|$)/.exec(path);
    const ep = m ? endpoints.get(m[1]!) : undefined;
    if (ep) ep.add(d);
    else if (unrouted.length < WEBHOOK_MAX_UNROUTED) unrouted.push({ ...d, seq: unrouted.length + 1 });
    if (!res.headersSent) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end('{}');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const advertised = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const listenUrl =
    `http://${advertised.includes(':') && !advertised.startsWith('[') ? `[${advertised}]` : advertised}:` + `${port}`;
  let closed = false;

  return {
    listenUrl,
    endpoint(o: WebhookEndpointOptions = {}): WebhookEndpoint {
      const id = randomUUID();
      const path = `/hooks/${id}`;
      const ep = new Endpoint(id, joinBase(o.publicUrl ?? listenUrl, path), o.label, o.onDelivery);
      if (endpoints.size >= WEBHOOK_MAX_ENDPOINTS) {
        const oldest = endpoints.keys().next().value;
        if (oldest !== undefined) endpoints.delete(oldest);
      }
      endpoints.set(id, ep);
      return ep;
    },
    unrouted: () => [...unrouted],
    close: async () => {
      if (closed) return;
      closed = true;
      for (const ep of endpoints.values()) ep.detach();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Key of a listen address: targets with the same `webhook.host`/`port` share one receiver. */
function keyOf(w: WebhookReceiverOptions | undefined): string {
  return `${w?.host ?? '127.0.0.1'}|${w?.port ?? 0}`;
}

/**
 * The receivers of one run: started on first use per listen address, all closed by `close()` at the end of the run.
 * A start failure is remembered (every check asking for it gets the same error) rather than retried.
 */
export class WebhookHub {
  private readonly receivers = new Map<string, Promise<WebhookReceiver>>();
  private closed = false;

  receiver(opts?: WebhookReceiverOptions): Promise<WebhookReceiver> {
    if (this.closed) return Promise.reject(new Error('the run is over: the webhook receiver is closed'));
    const key = keyOf(opts);
    let r = this.receivers.get(key);
    if (!r) {
      r = startWebhookReceiver({ host: opts?.host, port: opts?.port });
      r.catch(() => undefined);
      this.receivers.set(key, r);
    }
    return r;
  }

  /** Whether any receiver was started (for reports and tests). */
  get started(): boolean {
    return this.receivers.size > 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.receivers.values()];
    this.receivers.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (r) => r.close(),
          () => undefined,
        ),
      ),
    );
  }
}
