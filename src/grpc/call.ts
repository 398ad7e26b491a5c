/**
 * One recorded, bounded gRPC call. Every call (unary or server-streaming) is made as a server-streaming call with
 * pass-through serialisers, so the harness sees each message's bytes, decodes it itself (ProtoJSON + unknown
 * fields) and notices a unary method that answers with zero or several messages.
 *
 * Bounds: a deadline (the call's timeout), an idle window between stream messages, a byte cap over all messages
 * (each message is also capped by the channel), an event cap. Recording: one Exchange in the check's transcript
 * (metadata as headers, ProtoJSON bodies with protobuf sizes, stream messages as events with arrival times,
 * status, trailers and the decoded grpc-status-details-bin), with secrets redacted.
 *
 * Like the HTTP session: an answer (any status after the server spoke) resolves `done`; a call that got no answer
 * at all (connection refused, TLS failure, deadline before anything arrived) rejects with a TransportError.
 */
import * as grpc from '@grpc/grpc-js';
import type { DescMessage } from '@bufbuild/protobuf';
import type { ResolvedTarget } from '../config/types.js';
import type { HttpSession } from '../http/session.js';
import type { Exchange, RecordedSseEvent, StreamEnd } from '../http/types.js';
import {
  MAX_RECORDED_EVENTS,
  MAX_RETAINED_EVENT_BYTES,
  MAX_PENDING_EVENTS,
  TRANSCRIPT_BODY_CAP,
} from '../http/limits.js';
import { capUtf8 } from '../http/limits.js';
import { LiveQueue } from '../http/live-queue.js';
import { createRedactor, redactHeaders, type Redactor } from '../http/redact.js';
import { TransportError, type TransportErrorKind } from '../http/transport-error.js';
import { grpcClientFor } from './channels.js';
import { decodeMessage, type Decoded, type EncodedRequest } from './codec.js';
import type { GrpcEndpoint } from './endpoint.js';
import { decodeStatusDetails, grpcCodeName, STATUS_DETAILS_KEY, type DecodedStatusDetails } from './status.js';

const FALLBACK_TIMEOUT_MS = 30_000;

export interface GrpcCallSpec {
  endpoint: GrpcEndpoint;
  /** `/package.Service/Method`. */
  path: string;
  streaming: boolean;
  request: EncodedRequest;
  responseType: DescMessage;
  /** Service parameters and caller metadata (names are lower-cased on the wire). */
  metadata: Record<string, string>;
  label: string;
  /** Deadline of the whole call. Defaults to the target's timeoutMs (unary) / no less than it (streams). */
  timeoutMs?: number;
  /** Streams: max silence between messages. */
  idleTimeoutMs?: number;
  withoutCredentials?: boolean;
}

export interface GrpcMessage {
  /** ms since the call started. */
  t: number;
  bytes: number;
  decoded: Decoded;
  /** ProtoJSON text (or the decode error) as recorded. */
  text: string;
}

export interface GrpcCallResult {
  code: number;
  codeName: string;
  details: string;
  /** Response headers (initial metadata), lower-cased, as received (unredacted: checks read them). */
  headers: Record<string, string>;
  trailers: Record<string, string>;
  statusDetails?: DecodedStatusDetails;
  /** The server sent initial metadata (it answered before the status). */
  headersReceived: boolean;
  messages: GrpcMessage[];
  /** Messages received, including those not retained. */
  messageCount: number;
  end: StreamEnd;
  headersMs?: number;
  firstMessageMs?: number;
  durationMs: number;
  exchange: Exchange;
}

export interface GrpcCallHandle {
  /** Resolves with the response headers once the server sent them (or its status, for a trailers-only answer). */
  started: Promise<{ headers: Record<string, string> }>;
  messages: AsyncIterable<GrpcMessage>;
  done: Promise<GrpcCallResult>;
  close(): void;
}

function positive(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback;
}

function metadataMap(md: grpc.Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!md) return out;
  for (const [k, v] of Object.entries(md.toJSON())) {
    out[k.toLowerCase()] = v.map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : String(x))).join(', ');
  }
  return out;
}

const CONNECT_DETAILS = /no connection established|connect ECONN|getaddrinfo|name resolution|DNS resolution|ENOTFOUND/i;
const TLS_DETAILS = /SSL|TLS|certificate|handshake|wrong version number|EPROTO/i;
const RESET_DETAILS = /connection dropped|ECONNRESET|EPIPE|socket|GOAWAY|stream closed/i;

/** A status the client library produced itself because nothing usable came back. */
function localFailure(
  code: number,
  details: string,
  answered: boolean,
  deadlinePassed: boolean,
): TransportErrorKind | null {
  if (answered) return null;
  if (code === grpc.status.DEADLINE_EXCEEDED && deadlinePassed) return 'timeout';
  if (code !== grpc.status.UNAVAILABLE && code !== grpc.status.INTERNAL) return null;
  if (TLS_DETAILS.test(details)) return 'tls';
  if (CONNECT_DETAILS.test(details)) return 'connect';
  if (RESET_DETAILS.test(details)) return 'reset';
  return null;
}

export function grpcCall(session: HttpSession, target: ResolvedTarget, spec: GrpcCallSpec): GrpcCallHandle {
  const redact: Redactor = createRedactor(target.secrets ?? []);
  const checkId = (session as { checkId?: unknown }).checkId;

  // ---- metadata: harness id, target headers (credentials) unless withheld, then the caller's
  const sent: Record<string, string> = {};
  const put = (k: string, v: string): void => {
    sent[k.toLowerCase()] = v;
  };
  if (typeof checkId === 'string' && checkId) put('x-a2a-conformance-check', checkId);
  if (!spec.withoutCredentials) for (const [k, v] of Object.entries(target.headers ?? {})) put(k, v);
  for (const [k, v] of Object.entries(spec.metadata)) put(k, v);
  const md = new grpc.Metadata();
  const badKeys: string[] = [];
  for (const [k, v] of Object.entries(sent)) {
    try {
      md.set(k, k.endsWith('-bin') ? Buffer.from(v, 'base64') : v);
    } catch {
      badKeys.push(k);
    }
  }

  // ---- the exchange
  const scheme = spec.endpoint.tls ? 'grpcs' : 'grpc';
  const reqText = JSON.stringify(spec.request.json);
  const request = {
    method: 'POST',
    url: `${scheme}://${spec.endpoint.address}${spec.path}`,
    headers: { ...sent, 'content-type': 'application/grpc', te: 'trailers' },
    body: reqText,
  };
  const exchange: Exchange = session.beginExchange
    ? session.beginExchange(spec.label, request)
    : {
        seq: session.transcript.exchanges.length + 1,
        label: redact(spec.label),
        request: { method: request.method, url: redact(request.url), headers: redactHeaders(request.headers, redact) },
        startedAt: 0,
      };
  if (!session.beginExchange) session.transcript.exchanges.push(exchange);
  if (exchange.request.body) exchange.request.body.bytes = spec.request.bytes.length;
  exchange.grpc = {
    method: spec.path,
    address: spec.endpoint.address,
    tls: spec.endpoint.tls,
    requestBytes: spec.request.bytes.length,
    ...(spec.request.extras.length
      ? { requestUnknownFields: spec.request.extras.map((e) => `${e.key} (field ${e.no})`) }
      : {}),
    responses: [],
  };
  if (badKeys.length) exchange.error = `metadata not sendable (invalid key or value): ${badKeys.join(', ')}`;

  // Timings and the deadline start when the call does (after its request slot), not while it waits for one.
  let t0 = performance.now();
  const elapsed = (): number => Math.round((performance.now() - t0) * 10) / 10;
  const timeoutMs = positive(spec.timeoutMs, positive(target.timeoutMs, FALLBACK_TIMEOUT_MS));
  let deadlineAt = Date.now() + timeoutMs;
  const maxBytes = positive(target.maxBodyBytes, 8 * 1024 * 1024);
  const idleMs = spec.streaming ? positive(spec.idleTimeoutMs, positive(target.streamIdleTimeoutMs, timeoutMs)) : 0;

  const queue = new LiveQueue<GrpcMessage>(MAX_PENDING_EVENTS, MAX_RETAINED_EVENT_BYTES, (m) => m.text.length);
  const messages: GrpcMessage[] = [];
  const events: RecordedSseEvent[] = [];
  let retained = 0;
  let count = 0;
  let totalBytes = 0;
  let headers: Record<string, string> | undefined;
  let headersMs: number | undefined;
  let firstMessageMs: number | undefined;
  let endCause: StreamEnd | undefined;

  let resolveStarted!: (v: { headers: Record<string, string> }) => void;
  let rejectStarted!: (e: unknown) => void;
  const started = new Promise<{ headers: Record<string, string> }>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  started.catch(() => undefined);

  let call: grpc.ClientReadableStream<Buffer> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let backstop: ReturnType<typeof setTimeout> | undefined;
  // The call holds a request slot (the runner's per-target and run-wide limits) until the server answers.
  let releaseSlot: (() => void) | undefined;
  const release = (): void => {
    releaseSlot?.();
    releaseSlot = undefined;
  };
  const stop = (cause: StreamEnd): void => {
    if (endCause) return;
    endCause = cause;
    call?.cancel(); // not started yet: it is cancelled as soon as it starts
  };
  const armIdle = (): void => {
    if (!idleMs) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle-timeout'), idleMs);
  };

  const ensureResponse = (): NonNullable<Exchange['response']> => {
    if (!exchange.response) exchange.response = { status: 200, headers: redactHeaders(headers ?? {}, redact) };
    return exchange.response;
  };

  let resolveDone!: (r: GrpcCallResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<GrpcCallResult>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => undefined);

  const start = (): void => {
    t0 = performance.now();
    deadlineAt = Date.now() + timeoutMs;
    const client = grpcClientFor(target, spec.endpoint);
    const c = client.makeServerStreamRequest<Buffer, Buffer>(
      spec.path,
      (b) => b,
      (b) => b,
      spec.request.bytes,
      md,
      { deadline: deadlineAt },
    );
    call = c;
    // A backstop in case the library never reports the deadline (it always should).
    backstop = setTimeout(() => stop('total-timeout'), timeoutMs + 2000);
    wire(c);
    if (endCause) c.cancel();
  };

  const wire = (call: grpc.ClientReadableStream<Buffer>): void => {
    call.on('metadata', (m: grpc.Metadata) => {
      release();
      headers = metadataMap(m);
      headersMs = elapsed();
      exchange.headersMs = headersMs;
      ensureResponse().headers = redactHeaders(headers, redact);
      resolveStarted({ headers });
      armIdle();
    });

    call.on('data', (buf: Buffer) => {
      const t = elapsed();
      firstMessageMs ??= t;
      count++;
      totalBytes += buf.length;
      const decoded = decodeMessage(spec.responseType, buf);
      const text = decoded.ok ? JSON.stringify(decoded.json) : `(undecodable: ${decoded.error})`;
      const msg: GrpcMessage = { t, bytes: buf.length, decoded, text };
      const info = exchange.grpc!;
      if ((info.responses?.length ?? 0) < MAX_RECORDED_EVENTS)
        info.responses!.push({
          t,
          bytes: buf.length,
          ...(decoded.unknownFields.length ? { unknownFields: decoded.unknownFields.slice(0, 20) } : {}),
          ...(decoded.ok ? {} : { error: decoded.error }),
        });
      if (messages.length < MAX_RECORDED_EVENTS && retained + text.length <= MAX_RETAINED_EVENT_BYTES) {
        retained += text.length;
        messages.push(msg);
        if (spec.streaming) events.push({ t, data: capUtf8(redact(text), TRANSCRIPT_BODY_CAP).text });
      }
      queue.push(msg);
      if (totalBytes > maxBytes) stop('size-cap');
      else armIdle();
    });

    call.on('error', () => {
      /* the status event carries the outcome */
    });

    call.on('status', (st: grpc.StatusObject) => {
      const resolve = resolveDone;
      const reject = rejectDone;
      release();
      clearTimeout(backstop);
      if (idleTimer) clearTimeout(idleTimer);
      const durationMs = elapsed();
      exchange.durationMs = durationMs;
      const trailersAll = metadataMap(st.metadata);
      const bin = st.metadata?.get(STATUS_DETAILS_KEY)?.[0];
      const statusDetails =
        bin !== undefined
          ? decodeStatusDetails(Buffer.isBuffer(bin) ? bin : Buffer.from(String(bin), 'base64'))
          : undefined;
      const { [STATUS_DETAILS_KEY]: _omit, ...trailers } = trailersAll;
      const details = st.details ?? '';
      const answered = headers !== undefined || count > 0;
      const deadlinePassed = Date.now() >= deadlineAt - 20;
      const info = exchange.grpc!;
      info.status = { code: st.code, name: grpcCodeName(st.code), message: redact(details) };
      if (Object.keys(trailers).length) info.trailers = redactHeaders(trailers, redact);
      if (statusDetails)
        info.statusDetails = JSON.parse(redact(JSON.stringify(statusDetails.json ?? { error: statusDetails.error })));

      const end: StreamEnd =
        endCause ??
        (st.code === grpc.status.DEADLINE_EXCEEDED && deadlinePassed && answered ? 'total-timeout' : 'closed');
      const failure = endCause ? null : localFailure(st.code, details, answered, deadlinePassed);
      if (failure) {
        const message = redact(`${grpcCodeName(st.code)}: ${details}`);
        exchange.error = `${failure}: ${message}`;
        const err = new TransportError(failure, message, exchange);
        rejectStarted(err);
        queue.end(err);
        reject(err);
        return;
      }
      const res = ensureResponse();
      if (spec.streaming) {
        res.events = events;
        res.streamEnd = end;
      } else if (messages[0]) {
        const text = redact(messages[0].text);
        const capped = capUtf8(text, TRANSCRIPT_BODY_CAP);
        res.body = { text: capped.text, bytes: messages[0].bytes, truncated: capped.cut };
      }
      resolveStarted({ headers: headers ?? {} });
      queue.end();
      resolve({
        code: st.code,
        codeName: grpcCodeName(st.code),
        details,
        headers: headers ?? {},
        trailers,
        ...(statusDetails ? { statusDetails } : {}),
        headersReceived: headers !== undefined,
        messages,
        messageCount: count,
        end,
        ...(headersMs !== undefined ? { headersMs } : {}),
        ...(firstMessageMs !== undefined ? { firstMessageMs } : {}),
        durationMs,
        exchange,
      });
    });
  };

  const slot = session.acquireSlot ? session.acquireSlot() : Promise.resolve(() => undefined);
  slot.then(
    (r) => {
      releaseSlot = r;
      start();
    },
    (e: unknown) => {
      // The check ended while the call waited for a slot: it never went out.
      const err = new TransportError('aborted', 'the check was aborted before the call was sent', exchange, {
        cause: e,
      });
      exchange.error = `aborted: ${err.message}`;
      exchange.durationMs = 0;
      rejectStarted(err);
      queue.end(err);
      rejectDone(err);
    },
  );

  return { started, messages: queue, done, close: () => stop('client-closed') };
}
