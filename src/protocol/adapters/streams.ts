/**
 * HttpSession SSE stream → StreamHandle. Events are decoded and validated once, as they arrive, by a pump that
 * always drains the session stream (so `done` has every event even if nobody iterates); consumers iterate live.
 */
import type { SseEvent, SseStream } from '../../http/session.js';
import type { SchemaError } from '../../http/types.js';
import { LiveQueue } from '../../http/live-queue.js';
import { MAX_PENDING_EVENTS, MAX_RECORDED_EVENTS, MAX_RETAINED_EVENT_BYTES } from '../../http/limits.js';
import type { HttpSession } from '../../http/session.js';
import type { StreamEvent, StreamHandle, StreamResult } from '../client.js';
import type { A2AError } from '../model.js';

export type SubscribeVerb = 'POST' | 'GET';

export interface StreamDecoder {
  /** Decode one SSE event (status = HTTP status of the stream response). */
  event(ev: SseEvent, status: number): StreamEvent;
  /** The error carried by a non-SSE response, with findings for the exchange. */
  nonSse(
    status: number,
    contentType: string | undefined,
    body: { text: string; json?: unknown },
  ): { error: A2AError; schemaErrors: SchemaError[] };
}

/** Events a stream queues decoded for a consumer that has not taken them yet; later ones wait as raw text. */
const DECODED_PENDING_EVENTS = 256;

/** A queued event: decoded, or its raw SSE event while the consumer lags (decoded again when taken). */
type Queued = StreamEvent | { undecoded: SseEvent };

export function adaptStream(
  session: HttpSession,
  sse: SseStream,
  decoder: StreamDecoder,
  extra: { requestId?: string | number; subscribeVerb?: SubscribeVerb } = {},
): StreamHandle {
  const queue = new LiveQueue<Queued>(MAX_PENDING_EVENTS, MAX_RETAINED_EVENT_BYTES, (e) =>
    'undecoded' in e ? e.undecoded.data.length : e.data.length,
  );
  let status = 0;
  const events: AsyncIterable<StreamEvent> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<StreamEvent>> => {
        const r = await queue.next();
        if (r.done) return r;
        return { value: 'undecoded' in r.value ? decoder.event(r.value.undecoded, status) : r.value, done: false };
      },
      // Stopping iteration does not close the underlying stream (iterating again resumes, as with the queue).
      return: async () => ({ value: undefined, done: true }),
    }),
  };
  const collected: StreamEvent[] = [];
  const findings: { index: number; errors: SchemaError[] }[] = [];

  const started = sse.started.then((s) => ({
    status: s.status,
    ...(s.contentType !== undefined ? { contentType: s.contentType } : {}),
  }));
  started.catch(() => undefined);

  const done = (async (): Promise<StreamResult> => {
    let contentType: string | undefined;
    let nonSse: { text: string; json?: unknown } | undefined;
    try {
      const s = await sse.started;
      status = s.status;
      contentType = s.contentType;
      nonSse = s.nonSseBody;
    } catch {
      // Either a transport failure (done rejects below) or closed before headers (done resolves).
    }
    let index = 0;
    let retainedBytes = 0;
    try {
      for await (const ev of sse.events) {
        const se = decoder.event(ev, status);
        if (se.schemaErrors.length) findings.push({ index, errors: se.schemaErrors });
        let kept = false;
        if (collected.length < MAX_RECORDED_EVENTS && retainedBytes + ev.data.length <= MAX_RETAINED_EVENT_BYTES) {
          retainedBytes += ev.data.length;
          collected.push(se);
          kept = true;
        }
        index++;
        // A consumer that lags far behind (or never iterates) gets later events decoded when it takes them: a
        // decoded event (parsed JSON, item, findings) costs several times its text, and a flood queues thousands.
        queue.push(kept || queue.pending < DECODED_PENDING_EVENTS ? se : { undecoded: ev });
      }
    } catch {
      /* surfaced through sse.done */
    }
    let d: Awaited<SseStream['done']>;
    try {
      d = await sse.done;
    } catch (err) {
      queue.end(err);
      throw err;
    }
    for (const f of findings) session.annotate(d.exchange, { schemaErrors: f.errors, eventIndex: f.index });
    let error: A2AError | undefined;
    if (nonSse) {
      const r = decoder.nonSse(status, contentType, nonSse);
      error = r.error;
      if (r.schemaErrors.length) session.annotate(d.exchange, { schemaErrors: r.schemaErrors });
    }
    const last = collected[collected.length - 1];
    const result: StreamResult = {
      status,
      ...(contentType !== undefined ? { contentType } : {}),
      ...(error ? { error } : {}),
      events: collected,
      end: d.end,
      ...(d.headersMs !== undefined ? { headersMs: d.headersMs } : {}),
      ...(d.firstEventMs !== undefined ? { firstEventMs: d.firstEventMs } : {}),
      ...(last ? { closeAfterLastEventMs: Math.max(0, d.durationMs - last.t) } : {}),
      durationMs: d.durationMs,
      parseErrors: d.parseErrors,
      exchange: d.exchange,
      ...(extra.requestId !== undefined ? { requestId: extra.requestId } : {}),
      ...(extra.subscribeVerb ? { subscribeVerb: extra.subscribeVerb } : {}),
    };
    queue.end();
    return result;
  })();
  done.catch(() => undefined);

  return {
    started,
    events,
    done,
    close: () => sse.close(),
    ...(extra.subscribeVerb ? { subscribeVerb: extra.subscribeVerb } : {}),
  };
}

/**
 * REST subscribe with the §13 C1 fallback: POST first; when it answers 405, or 404 without an A2A error identified
 * in the body (a route that does not exist rather than a task that does not), retry with GET. When the GET then
 * answers 405 (or an unidentified 404) after a POST 404 with a JSON error body, the POST answer stands. Both
 * exchanges are recorded; `subscribeVerb` says which attempt the result comes from.
 */
export function subscribeWithFallback(open: (verb: SubscribeVerb) => StreamHandle): StreamHandle {
  const first = open('POST');
  let current = first;
  let closed = false;

  const chosen = (async (): Promise<StreamHandle> => {
    let status: number;
    try {
      status = (await first.started).status;
    } catch {
      return first;
    }
    if (status !== 404 && status !== 405) return first;
    let res: StreamResult;
    try {
      res = await first.done;
    } catch {
      return first;
    }
    if (res.events.length > 0) return first;
    const identified =
      res.error && (res.error.identifiedBy === 'error-info' || res.error.identifiedBy === 'rest-body-code');
    if (status === 404 && identified) return first;
    if (closed) return first;
    const second = open('GET');
    current = second;
    // A POST-only server answers the GET with 405 (or a bare 404): the POST's JSON 404 was then the real answer
    // (a 0.3 error body need not name the error).
    const jsonNotFound = status === 404 && res.error !== undefined && typeof res.error.raw === 'object';
    if (!jsonNotFound) return second;
    try {
      const again = await second.done;
      const unidentified =
        !again.error || (again.error.identifiedBy !== 'error-info' && again.error.identifiedBy !== 'rest-body-code');
      const st = again.exchange.response?.status;
      if (again.events.length === 0 && (st === 405 || (st === 404 && unidentified))) return first;
    } catch {
      return first;
    }
    return second;
  })();

  const started = chosen.then((h) => h.started);
  const done = chosen.then((h) => h.done);
  started.catch(() => undefined);
  done.catch(() => undefined);

  const events: AsyncIterable<StreamEvent> = {
    [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
      let inner: AsyncIterator<StreamEvent> | undefined;
      return {
        async next() {
          if (!inner) inner = (await chosen).events[Symbol.asyncIterator]();
          return inner.next();
        },
        async return() {
          return { value: undefined, done: true };
        },
      };
    },
  };

  return {
    started,
    events,
    done,
    close: () => {
      closed = true;
      current.close();
      void chosen.then((h) => h.close());
    },
    get subscribeVerb(): SubscribeVerb | undefined {
      return current.subscribeVerb;
    },
  };
}

/** A stream event whose data is not JSON: an invalid item plus the schema finding (both bindings). */
export function notJsonEvent(ev: { t: number; data: string }, error: string, schema: string): StreamEvent {
  const reason = `event data is not JSON: ${error}`;
  return {
    t: ev.t,
    data: ev.data,
    item: { kind: 'invalid', reason },
    schemaErrors: [{ path: '', message: reason, schema }],
  };
}

/** A 2xx answer to a streaming request that is not an event stream (both bindings). */
export function notAStream(
  status: number,
  what: string,
  raw: unknown,
): { error: A2AError; schemaErrors: SchemaError[] } {
  return {
    error: {
      name: 'Unknown',
      identifiedBy: 'none',
      httpStatus: status,
      message: `expected text/event-stream, got ${what}`,
      raw,
    },
    schemaErrors: [],
  };
}
