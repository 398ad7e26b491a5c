/**
 * HttpSession over undici: every request bounded (time, bytes), recorded (redacted, capped) in one transcript.
 *
 * - HTTP-level problems (4xx/5xx, odd bodies, wrong content types) are data: `request()` resolves.
 * - Transport failures (connect refused, TLS, timeouts, resets, aborts) reject with a TransportError, after the
 *   exchange has been recorded with its `error` field.
 * - `sse()` reads text/event-stream with eventsource-parser, delivers events live, and ends on server close, idle
 *   timeout, total timeout, byte cap or close(); memory stays bounded on endless streams.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { request as undiciRequest } from './undici-lite.js';
import { createParser } from 'eventsource-parser';
import type { ResolvedTarget } from '../config/types.js';
import type {
  HttpRequest,
  HttpResponse,
  HttpSession,
  RequestGate,
  SseEvent,
  SseRequest,
  SseStream,
} from './session.js';
import type { Exchange, RecordedBody, RecordedSseEvent, SchemaError, StreamEnd, Transcript } from './types.js';
import { createRedactor, createTailRedactor, redactHeaders, redactUrl, type Redactor } from './redact.js';
import {
  DEFAULT_MAX_EXCHANGES,
  MAX_PENDING_EVENTS,
  MAX_RECORDED_EVENTS,
  MAX_RETAINED_EVENT_BYTES,
  TRANSCRIPT_BODY_CAP,
  TRANSCRIPT_BUDGET_BYTES,
  TRANSCRIPT_OVER_BUDGET_CAP,
  TRANSCRIPT_PREVIEW_CAP,
  capUtf8,
} from './limits.js';
import { parseBoundedJson } from '../core/bounded-json.js';
import { LiveQueue } from './live-queue.js';
import { declaredLength, finishBody, keepLimit, newBodyState, readBody } from './read-body.js';
import { TransportError, type TransportErrorKind } from './transport-error.js';

export * from './limits.js';
export * from './live-queue.js';
export * from './transport-error.js';

const FALLBACK_TIMEOUT_MS = 30_000;
const FALLBACK_MAX_BYTES = 10 * 1024 * 1024;

export interface HttpSessionOptions {
  target: ResolvedTarget;
  dispatcher: Dispatcher;
  transcriptId: string;
  checkId: string;
  signal?: AbortSignal;
  /** Monotonic milliseconds; defaults to performance.now(). */
  clock?: () => number;
  /** Exchanges kept in the transcript; later ones are counted in `droppedExchanges`. */
  maxExchanges?: number;
  /**
   * Slots for requests in flight (per target and per run). Time spent waiting for a slot is not part of a request's
   * timeout or timings.
   */
  gate?: RequestGate;
  /** Priority of this session's requests at the gate (time-critical checks go first). Default 0. */
  gatePriority?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Small utilities

let cachedVersion: string | undefined;
/** The harness version from its package.json (user-agent). */
export function harnessVersion(): string {
  if (cachedVersion) return cachedVersion;
  cachedVersion = '0.0.0';
  try {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      const p = join(dir, 'package.json');
      if (existsSync(p)) {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'a2a-conformance' && typeof pkg.version === 'string') {
          cachedVersion = pkg.version;
          break;
        }
      }
      dir = dirname(dir);
    }
  } catch {
    /* keep fallback */
  }
  return cachedVersion;
}

/** Normalises undici response headers: lower-case names, repeated values joined with ", ". */
export function normalizeHeaders(h: Record<string, string | string[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Whether a content type is an event stream. */
export function isEventStream(contentType: string | undefined): boolean {
  return !!contentType && contentType.split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream';
}

/** Parse a body as JSON when it looks like JSON (content type mentions json, or it starts with { or [). */
export function parseJsonish(
  text: string,
  contentType: string | undefined,
  truncated: boolean,
): { json?: unknown; jsonError?: string; depthCut?: number } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksJson) return {};
  if (truncated) return { jsonError: 'body truncated at the byte cap; not parsed' };
  const r = parseBoundedJson(trimmed);
  if (r.error !== undefined) return { jsonError: r.error };
  return r.cut ? { json: r.json, depthCut: r.cut } : { json: r.json };
}

/**
 * The harness asks for no compression and decodes none (a gzip bomb stays the few KiB it was sent as): a body that is
 * not the JSON it should be says so when the server declared a Content-Encoding anyway.
 */
export function withEncodingNote<T extends { jsonError?: string }>(parsed: T, contentEncoding: string | undefined): T {
  const enc = contentEncoding?.trim();
  if (parsed.jsonError === undefined || !enc || /^identity$/i.test(enc)) return parsed;
  return {
    ...parsed,
    jsonError:
      `${parsed.jsonError} (the body carries Content-Encoding: ${enc.slice(0, 40)}, which was not asked for; ` +
      'the harness sends no Accept-Encoding and does not decode)',
  };
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|EPROTO$|ERR_OSSL_|HOSTNAME_MISMATCH|ERR_CERT)/;
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EHOSTDOWN',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'UND_ERR_INVALID_ARG',
]);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_CONSTANT',
  'UND_ERR_INFO',
]);

function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const c = e?.code ?? e?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}

/** Readable reasons for undici codes whose own message says little to a report reader. */
const READABLE: Record<string, string> = {
  UND_ERR_HEADERS_OVERFLOW: 'response headers larger than the 16 KiB the harness accepts (Node maxHeaderSize)',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'connection closed before the body reached its Content-Length',
  UND_ERR_INFO: 'malformed interim (1xx) response',
};

export function errMessage(err: unknown): string {
  const readable = READABLE[errCode(err) ?? ''];
  if (readable) return readable;
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const base = err.message || err.name;
    if (cause instanceof Error && cause.message && !base.includes(cause.message)) return `${base} (${cause.message})`;
    return base;
  }
  return String(err);
}

/** Classifies an error thrown by undici (when the harness itself did not abort the request). */
export function classifyTransportError(err: unknown): TransportErrorKind {
  const code = errCode(err);
  const name = (err as { name?: unknown } | undefined)?.name;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError')
    return 'timeout';
  if (code && CONNECT_CODES.has(code)) return 'connect';
  if (code && TLS_CODE.test(code)) return 'tls';
  if (code && RESET_CODES.has(code)) return 'reset';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'aborted';
  if (code?.startsWith('HPE_')) return 'reset'; // malformed HTTP from the server
  if (/certificate|ssl|tls/i.test(errMessage(err))) return 'tls';
  return 'reset';
}

type AbortCause =
  | 'timeout'
  | 'headers-timeout'
  | 'total-timeout'
  | 'idle-timeout'
  | 'size-cap'
  | 'client-closed'
  | 'aborted';

/** One AbortController fed by timers, the check's signal and explicit aborts, remembering the first cause. */
class Bound {
  readonly controller = new AbortController();
  cause?: AbortCause;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly onExternal = (): void => this.abort('aborted');

  constructor(private readonly external?: AbortSignal) {
    if (external) {
      if (external.aborted) this.abort('aborted');
      else external.addEventListener('abort', this.onExternal, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort(new Error(`harness abort: ${cause}`));
  }

  timer(name: string, ms: number, cause: AbortCause): void {
    this.clear(name);
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    const t = setTimeout(() => this.abort(cause), ms);
    t.unref?.();
    this.timers.set(name, t);
  }

  clear(name: string): void {
    const t = this.timers.get(name);
    if (t) clearTimeout(t);
    this.timers.delete(name);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.external?.removeEventListener('abort', this.onExternal);
  }
}

function positive(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback;
}

// ---------------------------------------------------------------------------------------------------------------

export function createHttpSession(opts: HttpSessionOptions): HttpSession {
  return new UndiciSession(opts);
}

interface Prepared {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

class UndiciSession implements HttpSession {
  readonly transcript: Transcript;
  /** Not part of HttpSession: adapters use it (when present) to build JSON-RPC ids `<checkId>-<n>`. */
  readonly checkId: string;
  private seq = 0;
  private readonly clock: () => number;
  private readonly t0: number;
  private readonly redact: Redactor;
  private readonly redactTail: Redactor;
  private readonly maxExchanges: number;
  private readonly userAgent: string;
  /** Characters of body and event text recorded so far (the transcript budget). */
  private recordedBytes = 0;

  constructor(private readonly opts: HttpSessionOptions) {
    this.transcript = { id: opts.transcriptId, exchanges: [] };
    this.checkId = opts.checkId;
    this.clock = opts.clock ?? (() => performance.now());
    this.t0 = this.clock();
    const secrets = [...(opts.target.secrets ?? [])];
    this.redact = createRedactor(secrets);
    this.redactTail = createTailRedactor(secrets);
    this.maxExchanges = opts.maxExchanges ?? DEFAULT_MAX_EXCHANGES;
    this.userAgent = `a2a-conformance/${harnessVersion()}`;
  }

  // ---- recording helpers

  private prepare(req: HttpRequest, defaults: Record<string, string>): Prepared {
    // Header names are matched case-insensitively (a later put replaces an earlier one) but sent with the caller's
    // spelling, so a check can probe case handling (`A2A-VERSION`); the transcript records them lower-cased.
    const headers: Record<string, string> = {};
    const spelled = new Map<string, string>(); // lower-cased name -> the spelling in `headers`
    const put = (k: string, v: unknown): void => {
      if (v === undefined || v === null) return;
      const lower = k.toLowerCase();
      const existing = spelled.get(lower);
      if (existing !== undefined) delete headers[existing];
      spelled.set(lower, k);
      headers[k] = String(v);
    };
    put('user-agent', this.userAgent);
    put('x-a2a-conformance-check', this.opts.checkId);
    for (const [k, v] of Object.entries(defaults)) put(k, v);
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (body === undefined) body = 'null';
      put('content-type', 'application/json');
    }
    if (!req.withoutCredentials) for (const [k, v] of Object.entries(this.opts.target.headers ?? {})) put(k, v);
    for (const [k, v] of Object.entries(req.headers ?? {})) put(k, v);
    return { method: (req.method || 'GET').toUpperCase(), url: req.url, headers, body };
  }

  /**
   * The transcript's copy of a body: redacted, then cut to `cap` bytes (a secret cut in half by either cut is
   * redacted too). Only a little more than the cap is ever redacted, however big the body. Once the transcript has
   * recorded TRANSCRIPT_BUDGET_BYTES, every further body or event is kept as a short preview only.
   */
  private recordText(text: string, cap: number, truncatedAtCap: boolean): { text: string; cut: boolean } {
    const limit = this.recordedBytes >= TRANSCRIPT_BUDGET_BYTES ? Math.min(cap, TRANSCRIPT_OVER_BUDGET_CAP) : cap;
    const sliced = text.length > limit + 4096;
    let t = this.redact(sliced ? text.slice(0, limit + 4096) : text);
    if (truncatedAtCap || sliced) t = this.redactTail(t);
    const capped = capUtf8(t, limit);
    const out = capped.cut ? this.redactTail(capped.text) : capped.text;
    this.recordedBytes += out.length;
    return { text: out, cut: capped.cut || sliced };
  }

  private recordBody(text: string, bytes: number, truncatedAtCap: boolean, cap = TRANSCRIPT_BODY_CAP): RecordedBody {
    const r = this.recordText(text, cap, truncatedAtCap);
    return { text: r.text, bytes, truncated: truncatedAtCap || r.cut };
  }

  /**
   * A body that was cut at the byte cap, is not the JSON it claims to be, or was nested beyond the depth bound keeps
   * only a short preview (its real size is still recorded): megabytes of noise help nobody read a report.
   */
  private shrinkToPreview(body: RecordedBody | undefined): void {
    if (!body || Buffer.byteLength(body.text, 'utf8') <= TRANSCRIPT_PREVIEW_CAP) return;
    body.text = this.redactTail(capUtf8(body.text, TRANSCRIPT_PREVIEW_CAP).text);
    body.truncated = true;
  }

  private begin(label: string, p: Prepared): Exchange {
    const ex: Exchange = {
      seq: ++this.seq,
      label: this.redact(label),
      request: {
        method: p.method,
        url: redactUrl(p.url, this.redact),
        headers: redactHeaders(p.headers, this.redact),
        ...(p.body !== undefined ? { body: this.recordBody(p.body, Buffer.byteLength(p.body, 'utf8'), false) } : {}),
      },
      startedAt: Math.round(this.clock() - this.t0),
    };
    if (this.transcript.exchanges.length < this.maxExchanges) this.transcript.exchanges.push(ex);
    else this.transcript.droppedExchanges = (this.transcript.droppedExchanges ?? 0) + 1;
    return ex;
  }

  acquireSlot(): Promise<() => void> {
    return this.opts.gate
      ? this.opts.gate.acquire(this.opts.signal, this.opts.gatePriority)
      : Promise.resolve(() => undefined);
  }

  beginExchange(
    label: string,
    request: { method: string; url: string; headers: Record<string, string>; body?: string },
  ): Exchange {
    return this.begin(label, request);
  }

  private fail(ex: Exchange, kind: TransportErrorKind, message: string, cause: unknown): TransportError {
    const msg = this.redact(message);
    ex.error = `${kind}: ${msg}`;
    return new TransportError(kind, msg, ex, { cause });
  }

  annotate(exchange: Exchange, findings: { schemaErrors?: SchemaError[]; eventIndex?: number }): void {
    const errs = (findings.schemaErrors ?? []).map((e) => ({
      ...e,
      message: this.redact(e.message),
      ...(e.actual !== undefined ? { actual: this.redact(e.actual) } : {}),
      ...(e.expected !== undefined ? { expected: this.redact(e.expected) } : {}),
    }));
    if (errs.length === 0) return;
    if (findings.eventIndex !== undefined) {
      const ev = exchange.response?.events?.[findings.eventIndex];
      if (ev) ev.schemaErrors = [...(ev.schemaErrors ?? []), ...errs];
      return;
    }
    exchange.schemaErrors = [...(exchange.schemaErrors ?? []), ...errs];
  }

  // ---- plain requests

  async request(req: HttpRequest): Promise<HttpResponse> {
    const p = this.prepare(req, { accept: 'application/json' });
    const ex = this.begin(req.label, p);
    let release: (() => void) | undefined;
    if (this.opts.gate) {
      try {
        release = await this.opts.gate.acquire(this.opts.signal, this.opts.gatePriority);
      } catch (err) {
        ex.durationMs = 0;
        throw this.fail(ex, 'aborted', 'the check was aborted before the request was sent', err);
      }
      ex.startedAt = Math.round(this.clock() - this.t0);
    }
    const timeoutMs = positive(req.timeoutMs, positive(this.opts.target.timeoutMs, FALLBACK_TIMEOUT_MS));
    const maxBytes = positive(req.maxBytes, positive(this.opts.target.maxBodyBytes, FALLBACK_MAX_BYTES));
    const bound = new Bound(this.opts.signal);
    bound.timer('whole', timeoutMs, 'timeout');
    const start = this.clock();
    const elapsed = (): number => Math.round(this.clock() - start);
    let status: number | undefined;
    let headers: Record<string, string> = {};
    let text = '';
    let bytes = 0;
    let truncated = false;
    try {
      if (bound.cause) throw new Error('aborted before the request was sent');
      const res = await undiciRequest(p.url, {
        method: p.method as Dispatcher.HttpMethod,
        headers: p.headers,
        body: p.body,
        dispatcher: this.opts.dispatcher,
        signal: bound.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      ex.headersMs = elapsed();
      status = res.statusCode;
      headers = normalizeHeaders(res.headers as Record<string, string | string[] | undefined>);
      ex.response = { status, headers: redactHeaders(headers, this.redact) };
      const state = newBodyState();
      try {
        const limit = keepLimit(maxBytes, declaredLength(headers));
        await readBody(res.body as unknown as AsyncIterable<Buffer> & { destroy(): void }, state, limit);
      } finally {
        text = finishBody(state);
        bytes = state.bytes;
        truncated = state.truncated;
        if (ex.response) ex.response.body = this.recordBody(text, bytes, truncated);
      }
      ex.durationMs = elapsed();
    } catch (err) {
      ex.durationMs = elapsed();
      const kind: TransportErrorKind =
        bound.cause === 'aborted' ? 'aborted' : bound.cause ? 'timeout' : classifyTransportError(err);
      const message =
        bound.cause === 'timeout'
          ? `no complete response within ${timeoutMs} ms` +
            `${status !== undefined ? ` (headers arrived after ${ex.headersMs} ms, body incomplete)` : ''}`
          : bound.cause === 'aborted'
            ? 'the check was aborted'
            : errMessage(err);
      throw this.fail(ex, kind, message, err);
    } finally {
      bound.dispose();
      release?.();
    }
    const contentType = headers['content-type'];
    const parsed = withEncodingNote(parseJsonish(text, contentType, truncated), headers['content-encoding']);
    if (truncated || parsed.jsonError !== undefined || parsed.depthCut) this.shrinkToPreview(ex.response?.body);
    return {
      status: status!,
      headers,
      text,
      ...parsed,
      truncated,
      exchange: ex,
    };
  }

  // ---- SSE

  sse(req: SseRequest): SseStream {
    const p = this.prepare(req, { accept: 'text/event-stream' });
    const ex = this.begin(req.label, p);
    const target = this.opts.target;
    const headersTimeoutMs = positive(req.timeoutMs, positive(target.timeoutMs, FALLBACK_TIMEOUT_MS));
    const totalMs = positive(req.totalTimeoutMs, Math.max(positive(target.checkTimeoutMs, 0), headersTimeoutMs));
    const idleMs = positive(req.idleTimeoutMs, positive(target.streamIdleTimeoutMs, headersTimeoutMs));
    const maxBytes = positive(req.maxBytes, positive(target.maxBodyBytes, FALLBACK_MAX_BYTES));
    const bound = new Bound(this.opts.signal);
    const queue = new LiveQueue<SseEvent>(MAX_PENDING_EVENTS, MAX_RETAINED_EVENT_BYTES, (e) => e.data.length);
    const clock = this.clock;
    let start = clock();
    const elapsed = (): number => Math.round(clock() - start);

    type Started = Awaited<SseStream['started']>;
    type Done = Awaited<SseStream['done']>;
    let resolveStarted!: (v: Started) => void;
    let rejectStarted!: (e: unknown) => void;
    let resolveDone!: (v: Done) => void;
    let rejectDone!: (e: unknown) => void;
    const started = new Promise<Started>((res, rej) => {
      resolveStarted = res;
      rejectStarted = rej;
    });
    const done = new Promise<Done>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    // Callers may await only one of them; never leave the other as an unhandled rejection.
    started.catch(() => undefined);
    done.catch(() => undefined);

    const events: SseEvent[] = [];
    const recorded: RecordedSseEvent[] = [];
    const parseErrors: string[] = [];
    let comments = 0;
    let notRecorded = 0;
    let retainedBytes = 0;
    let headersMs: number | undefined;
    let firstEventMs: number | undefined;
    let flushing = false;

    const deliver = (e: { data: string; event?: string }): void => {
      const ev: SseEvent = { t: elapsed(), data: e.data, ...(e.event !== undefined ? { event: e.event } : {}) };
      if (firstEventMs === undefined) firstEventMs = ev.t;
      if (flushing)
        parseErrors.push(
          'the last event was not terminated by a blank line (delivered anyway; W3C SSE would discard it)',
        );
      if (events.length < MAX_RECORDED_EVENTS && retainedBytes + ev.data.length <= MAX_RETAINED_EVENT_BYTES) {
        retainedBytes += ev.data.length;
        events.push(ev);
        const rec: RecordedSseEvent = { t: ev.t, data: this.recordText(ev.data, TRANSCRIPT_BODY_CAP, false).text };
        if (ev.event !== undefined) rec.event = this.redact(ev.event);
        recorded.push(rec);
      } else {
        notRecorded++;
      }
      queue.push(ev);
    };

    const finish = (end: StreamEnd): void => {
      bound.dispose();
      ex.durationMs = elapsed();
      if (ex.response) {
        ex.response.streamEnd = end;
        ex.response.comments = comments;
      }
      if (notRecorded > 0)
        parseErrors.push(
          `${notRecorded} events beyond the recording cap (${MAX_RECORDED_EVENTS} events or ` +
            `${MAX_RETAINED_EVENT_BYTES / 1048576} MiB) were delivered but not recorded`,
        );
      if (queue.dropped > 0)
        parseErrors.push(`${queue.dropped} events were dropped from live delivery (nobody consumed them)`);
      queue.end();
      resolveDone({
        end,
        events,
        comments,
        parseErrors,
        headersMs,
        firstEventMs,
        durationMs: ex.durationMs,
        exchange: ex,
      });
    };

    const failBeforeHeaders = (err: unknown): void => {
      ex.durationMs = elapsed();
      if (bound.cause === 'client-closed') {
        // Deliberate: not a transport failure.
        const te = this.fail(ex, 'aborted', 'closed by the client before the response headers arrived', err);
        bound.dispose();
        queue.end();
        rejectStarted(te);
        resolveDone({
          end: 'client-closed',
          events,
          comments,
          parseErrors,
          headersMs,
          firstEventMs,
          durationMs: ex.durationMs,
          exchange: ex,
        });
        return;
      }
      const kind: TransportErrorKind =
        bound.cause === 'aborted' ? 'aborted' : bound.cause ? 'timeout' : classifyTransportError(err);
      const message =
        bound.cause === 'headers-timeout'
          ? `no response headers within ${headersTimeoutMs} ms`
          : bound.cause === 'total-timeout'
            ? `no response headers within the stream bound of ${totalMs} ms`
            : bound.cause === 'aborted'
              ? 'the check was aborted'
              : errMessage(err);
      const te = this.fail(ex, kind, message, err);
      bound.dispose();
      queue.end(te);
      rejectStarted(te);
      rejectDone(te);
    };

    const causeToEnd = (c: AbortCause | undefined): StreamEnd => {
      switch (c) {
        case 'idle-timeout':
          return 'idle-timeout';
        case 'total-timeout':
        case 'timeout':
        case 'headers-timeout':
          return 'total-timeout';
        case 'size-cap':
          return 'size-cap';
        case 'client-closed':
        case 'aborted':
          return 'client-closed';
        default:
          return 'reset';
      }
    };

    const run = async (): Promise<void> => {
      // A stream holds a request slot until its headers arrive: reading it afterwards is waiting, not load.
      let release: (() => void) | undefined;
      if (this.opts.gate) {
        try {
          release = await this.opts.gate.acquire(bound.signal, this.opts.gatePriority);
        } catch (err) {
          failBeforeHeaders(err);
          return;
        }
        start = clock();
        ex.startedAt = Math.round(start - this.t0);
      }
      bound.timer('headers', headersTimeoutMs, 'headers-timeout');
      bound.timer('total', totalMs, 'total-timeout');
      let res: Dispatcher.ResponseData;
      try {
        if (bound.cause) throw new Error('aborted before the request was sent');
        res = await undiciRequest(p.url, {
          method: p.method as Dispatcher.HttpMethod,
          headers: p.headers,
          body: p.body,
          dispatcher: this.opts.dispatcher,
          signal: bound.signal,
          headersTimeout: headersTimeoutMs,
          bodyTimeout: 0, // idle and total bounds are enforced here
        });
      } catch (err) {
        release?.();
        failBeforeHeaders(err);
        return;
      }
      release?.();
      bound.clear('headers');
      headersMs = ex.headersMs = elapsed();
      const headers = normalizeHeaders(res.headers as Record<string, string | string[] | undefined>);
      const contentType = headers['content-type'];
      ex.response = { status: res.statusCode, headers: redactHeaders(headers, this.redact) };

      const body = res.body as unknown as AsyncIterable<Buffer> & { destroy(): void };
      const decoder = new TextDecoder('utf-8');
      let bytes = 0;

      if (!isEventStream(contentType)) {
        // A plain response (usually an error): read it, bounded, and expose it.
        let end: StreamEnd = 'closed';
        const state = newBodyState();
        bound.timer('idle', idleMs, 'idle-timeout');
        try {
          await readBody(body, state, keepLimit(maxBytes, declaredLength(headers)), () =>
            bound.timer('idle', idleMs, 'idle-timeout'),
          );
          if (state.truncated) end = 'size-cap';
        } catch (err) {
          end = causeToEnd(bound.cause);
          if (end === 'reset') ex.error = `reset: ${this.redact(errMessage(err))}`;
        }
        const text = finishBody(state);
        const truncated = state.truncated;
        bytes = state.bytes;
        ex.response.body = this.recordBody(text, bytes, truncated);
        const parsed = parseJsonish(text, contentType, truncated);
        if (truncated || parsed.jsonError !== undefined || parsed.depthCut) this.shrinkToPreview(ex.response.body);
        resolveStarted({
          status: res.statusCode,
          headers,
          ...(contentType !== undefined ? { contentType } : {}),
          nonSseBody: { text, ...(parsed.json !== undefined ? { json: parsed.json } : {}) },
        });
        finish(end);
        return;
      }

      ex.response.events = recorded;
      ex.response.comments = 0;
      resolveStarted({ status: res.statusCode, headers, ...(contentType !== undefined ? { contentType } : {}) });

      const parser = createParser({
        onEvent: (e) => deliver({ data: e.data, ...(e.event !== undefined ? { event: e.event } : {}) }),
        onComment: () => {
          comments++;
          if (ex.response) ex.response.comments = comments;
        },
        onError: (e) => {
          if (parseErrors.length < 100) parseErrors.push(this.redact(`${e.type}: ${e.message}`));
        },
      });

      // Text of a line not yet terminated: decoded as it arrives (the socket's Buffers are not kept: they live in
      // malloc's heap, which does not shrink again) and fed to the parser in one piece once a line ending arrives, so
      // a huge single event costs one string, not one ever-growing copy per chunk.
      let pending: string[] = [];
      const feed = (chunk: Buffer, force = false): void => {
        const text = decoder.decode(chunk, { stream: true });
        if (!force && chunk.indexOf(0x0a) < 0 && chunk.indexOf(0x0d) < 0) {
          pending.push(text);
          return;
        }
        if (!pending.length) {
          parser.feed(text);
          return;
        }
        pending.push(text);
        const line = pending.join('');
        pending = [];
        parser.feed(line);
      };
      let end: StreamEnd = 'closed';
      bound.timer('idle', idleMs, 'idle-timeout');
      try {
        for await (const chunk of body) {
          bound.timer('idle', idleMs, 'idle-timeout');
          if (bytes + chunk.length > maxBytes) {
            feed(chunk.subarray(0, maxBytes - bytes), true);
            bytes += chunk.length;
            bound.abort('size-cap');
            end = 'size-cap';
            body.destroy();
            break;
          }
          bytes += chunk.length;
          feed(chunk);
          if (bound.cause) break;
        }
        if (end === 'closed' && bound.cause) {
          end = causeToEnd(bound.cause);
        } else if (end === 'closed') {
          // Clean close: deliver an event the server did not terminate with a blank line (and say so).
          flushing = true;
          feed(Buffer.alloc(0), true);
          parser.feed(decoder.decode() + '\n\n');
          flushing = false;
        }
      } catch (err) {
        end = bound.cause ? causeToEnd(bound.cause) : 'reset';
        if (end === 'reset') ex.error = `reset: ${this.redact(errMessage(err))}`;
      }
      finish(end);
    };

    run().catch((err) => {
      // Defensive: a bug above must not leave promises pending.
      if (!queue.isEnded) {
        ex.error = ex.error ?? `reset: ${this.redact(errMessage(err))}`;
        rejectStarted(err);
        finish('reset');
      }
    });

    return {
      started,
      events: queue,
      done,
      close: () => bound.abort('client-closed'),
    };
  }
}
