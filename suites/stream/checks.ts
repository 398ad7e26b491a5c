/**
 * Suite "stream": message/stream · SendStreamingMessage and resubscribe · SubscribeToTask (0.3 §7.2/§7.9, 1.0
 * §3.1.2/§3.1.6).
 */
import { HTTP_BINDINGS } from '../../src/core/types.js';
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isInterrupted, isTerminal, type Level, type ProtocolVersion } from '../../src/core/types.js';
import type { StreamResult } from '../../src/protocol/client.js';
import type { A2AError, A2AErrorName, Part, StreamItem, TaskStatus } from '../../src/protocol/model.js';
import { describeError, expectError } from '../lib/expect-error.js';
import { completedTask, ordinaryMessage, workingTask } from '../lib/tasks.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';

/** How long a stream may stay open after its terminal event before we call it hanging. */
const CLOSE_GRACE_MS = 3000;

function streamOf(ctx: CheckContext, key: string, make: (f: CheckContext) => Promise<StreamResult>) {
  return ctx.fixture(`stream:${key}`, make);
}

/** A stream of an ordinary message: every universal framing check judges this one. */
const ordinaryStream = (ctx: CheckContext) =>
  streamOf(
    ctx,
    'ordinary',
    (f) =>
      f.client.stream(ordinaryMessage(f), { label: 'stream an ordinary message', idleTimeoutMs: CLOSE_GRACE_MS }).done,
  );
const taskStream = (ctx: CheckContext) =>
  streamOf(
    ctx,
    'task',
    (f) =>
      f.client.stream(f.trigger('task'), { label: 'stream the `task` trigger', idleTimeoutMs: CLOSE_GRACE_MS }).done,
  );
const messageStream = (ctx: CheckContext) =>
  streamOf(
    ctx,
    'message',
    (f) =>
      f.client.stream(f.trigger('message'), { label: 'stream the `message` trigger', idleTimeoutMs: CLOSE_GRACE_MS })
        .done,
  );

const kinds = (s: StreamResult) => s.events.map((e) => e.item.kind);
const describeEnd = (s: StreamResult) =>
  `${s.end}` +
  `${s.closeAfterLastEventMs !== undefined ? ` ${Math.round(s.closeAfterLastEventMs)} ms after the last event` : ''}`;

function requireStream(ctx: CheckContext, s: StreamResult, what: string): void {
  if (s.error) ctx.untestable(`${what} was answered with an error instead of a stream: ${describeError(s.error)}`);
  if (s.events.length === 0) ctx.untestable(`${what} produced no events (${describeEnd(s)})`);
}

/** The state carried by a stream item, if any. */
function stateOf(item: StreamItem): TaskStatus | undefined {
  if (item.kind === 'task') return item.task.status;
  if (item.kind === 'status-update') return item.update.status;
  return undefined;
}

export const contentType = suite.check({
  id: 'stream.response.content-type',
  bindings: [...HTTP_BINDINGS],
  level: 'MUST',
  title: 'A stream answers HTTP 200 with Content-Type text/event-stream',
  requirement: 'Streaming responses MUST use Server-Sent Events: HTTP 200 with Content-Type: text/event-stream.',
  specRefs: {
    '0.3': [
      { section: '3.3.1', req: 'S03-11' },
      { section: '3.3.3', req: 'S03-35' },
    ],
    '1.0': [
      { section: '9.4.2', req: 'S10-28' },
      { section: '11.7', req: 'S10-28' },
    ],
  },
  requires: { capabilities: ['streaming'] },
  async run(ctx) {
    const s = await ordinaryStream(ctx);
    ctx.expect(
      s.status === 200,
      `the stream request answered HTTP ${s.status}${s.error ? ` (${describeError(s.error)})` : ''}`,
      { expected: 200, actual: s.status },
    );
    ctx.expect(/^text\/event-stream\b/i.test(s.contentType ?? ''), `Content-Type is "${s.contentType ?? '(none)'}"`, {
      expected: 'text/event-stream',
      actual: s.contentType ?? '(none)',
    });
  },
});

export const eventsValid = suite.check({
  id: 'stream.events.valid',
  level: 'MUST',
  title: 'Each SSE event is one valid JSON document of the version (JSON-RPC: a response echoing the request id)',
  requirement:
    "Each event's data is one JSON document: on JSON-RPC a complete JSON-RPC response whose id equals the " +
    'request id, carrying a Task, Message or update event; on HTTP+JSON a bare StreamResponse.',
  specRefs: {
    '0.3': [
      { section: '3.2.1', req: 'S03-09' },
      { section: '7.2', req: 'S03-26' },
      { section: '3.3.1', req: 'S03-26' },
    ],
    '1.0': [
      { section: '9.4.2', req: 'S10-28' },
      { section: '11.7', req: 'S10-28' },
    ],
  },
  requires: { capabilities: ['streaming'] },
  async run(ctx) {
    const s = await ordinaryStream(ctx);
    requireStream(ctx, s, 'the stream');
    for (const p of s.parseErrors) ctx.violated(`SSE framing: ${p}`);
    s.events.forEach((e, i) => {
      if (e.json === undefined) {
        ctx.violated(`event ${i} is not JSON: ${e.data.slice(0, 120)}`, {
          expected: 'one JSON document per event',
          actual: e.data.slice(0, 200),
        });
        return;
      }
      if (ctx.binding === 'jsonrpc' && e.envelopeId !== s.requestId)
        ctx.violated(`event ${i} echoes id ${JSON.stringify(e.envelopeId)}, not the request id`, {
          expected: s.requestId,
          actual: e.envelopeId,
        });
      if (e.item.kind === 'invalid') ctx.violated(`event ${i}: ${e.item.reason}`);
      reportSchemaErrors(ctx, e.schemaErrors, { prefix: `event ${i}` });
    });
  },
});

/**
 * Stream shape rules per version: 1.0 §3.1.2 states them as MUSTs; 0.3 only in lower-case proto-0.3 comments ("the
 * stream should contain one, and only one, message", "the first response should be a Task", "should complete") and
 * topics ("usually closes"), so on 0.3 a broken shape is a warning (the 0.3 traceability rates S03-27 "D").
 */
const STREAM_SHAPE: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };
const SHAPE_STANCE =
  '0.3 states the stream shape only in proto-0.3 comments ("should") and the topics ("usually closes"): a 0.3 ' +
  'stream that breaks it is a warning; 1.0 §3.1.2 makes it a MUST.';

export const messageOnly = suite.check({
  id: 'stream.message-only.single',
  level: 'MUST',
  title: 'A message-only stream is exactly one Message, then closed',
  requirement: 'If the agent answers with a Message, the stream MUST contain exactly one Message and then close.',
  stance: SHAPE_STANCE,
  specRefs: { '0.3': [{ section: '7.2', req: 'S03-27' }], '1.0': [{ section: '3.1.2', req: 'S10-25' }] },
  requires: { capabilities: ['streaming'], triggers: ['message'] },
  async run(ctx) {
    const s = await messageStream(ctx);
    requireStream(ctx, s, 'the `message` trigger');
    if (s.events[0]!.item.kind !== 'message')
      return ctx.untestable(
        `the \`message\` trigger streamed a ${s.events[0]!.item.kind} first, not a Message`,
        'message',
      );
    if (s.events.length !== 1)
      ctx.violatedAt(
        STREAM_SHAPE[ctx.version],
        `the stream carried ${s.events.length} events: ${kinds(s).join(', ')}`,
        {
          expected: 'exactly one Message',
          actual: kinds(s),
        },
      );
    if (s.end !== 'closed')
      ctx.violatedAt(STREAM_SHAPE[ctx.version], `after the Message the stream ended by ${describeEnd(s)}`, {
        expected: 'the server closes the stream',
        actual: describeEnd(s),
      });
  },
});

export const taskFirst = suite.check({
  id: 'stream.task.starts-with-task',
  level: 'MUST',
  title: 'A task stream starts with the Task',
  requirement:
    'A task stream MUST begin with the Task object, followed by zero or more status and artifact update events.',
  stance: SHAPE_STANCE,
  specRefs: { '0.3': [{ section: '7.2', req: 'S03-27' }], '1.0': [{ section: '3.1.2', req: 'S10-25' }] },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const s = await taskStream(ctx);
    requireStream(ctx, s, 'the `task` trigger');
    if (kinds(s).includes('message') && !kinds(s).some((k) => k !== 'message'))
      return ctx.untestable('the `task` trigger streamed a Message, not a task', 'task');
    if (s.events[0]!.item.kind !== 'task')
      ctx.violatedAt(STREAM_SHAPE[ctx.version], `the first event is a ${s.events[0]!.item.kind}`, {
        expected: 'task',
        actual: kinds(s).slice(0, 4),
      });
    const ids = new Set(
      s.events
        .map((e) =>
          e.item.kind === 'task'
            ? e.item.task.id
            : e.item.kind === 'status-update' || e.item.kind === 'artifact-update'
              ? e.item.update.taskId
              : undefined,
        )
        .filter(Boolean),
    );
    ctx.expect(ids.size <= 1, `events of one stream name ${ids.size} different tasks`, {
      expected: 'one taskId',
      actual: [...ids],
    });
  },
});

export const closesAfterTerminal = suite.check({
  id: 'stream.task.closes-after-terminal',
  level: 'MUST',
  title: 'The stream closes promptly after the terminal state',
  requirement: 'The stream MUST close when the task reaches a terminal state (0.3: after the event marked final).',
  stance: `A stream still open ${CLOSE_GRACE_MS} ms after the terminal event counts as not closed. ${SHAPE_STANCE}`,
  specRefs: {
    '0.3': [{ section: '7.2', req: 'S03-27' }],
    '1.0': [
      { section: '3.1.2', req: 'S10-25' },
      { section: '11.7', req: 'S10-25' },
    ],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const s = await taskStream(ctx);
    requireStream(ctx, s, 'the `task` trigger');
    const terminal = s.events.findIndex((e) => isTerminal(stateOf(e.item)?.state));
    if (terminal < 0)
      return ctx.untestable(
        `the \`task\` trigger's stream never reached a terminal state (${describeEnd(s)}); states: ${s.events
          .map((e) => stateOf(e.item)?.wireState)
          .filter(Boolean)
          .join(', ')}`,
        'task',
      );
    ctx.metric('closeAfterLastEventMs', s.closeAfterLastEventMs ?? -1);
    if (s.end !== 'closed')
      ctx.violatedAt(
        STREAM_SHAPE[ctx.version],
        `the stream was still open ${CLOSE_GRACE_MS} ms after the terminal state (ended by ${describeEnd(s)})`,
        { expected: 'closed by the server after the terminal state', actual: describeEnd(s) },
      );
  },
});

export const nothingAfterTerminal = suite.check({
  id: 'stream.task.terminal-is-last',
  level: 'MUST',
  title: 'The state never changes after a terminal state',
  requirement:
    'Once a task is terminal its state never changes: no event after the terminal one may report another ' +
    'state (1.0: events in generation order; the server MAY resend the final Task snapshot).',
  specRefs: {
    '0.3': [
      { section: '6.1', req: 'S03-x04' },
      { section: '7.2', req: 'S03-27' },
    ],
    '1.0': [
      { section: '3.5.2', req: 'S10-26' },
      { section: '3.1.2', req: 'S10-25' },
    ],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const s = await taskStream(ctx);
    requireStream(ctx, s, 'the `task` trigger');
    const idx = s.events.findIndex((e) => isTerminal(stateOf(e.item)?.state));
    if (idx < 0) return ctx.untestable('the stream never reached a terminal state', 'task');
    const final = stateOf(s.events[idx]!.item)!;
    s.events.slice(idx + 1).forEach((e, j) => {
      const st = stateOf(e.item);
      if (st && st.state !== final.state)
        ctx.violated(`event ${idx + 1 + j} changes the state from ${final.wireState} to ${st.wireState}`, {
          expected: final.wireState,
          actual: st.wireState,
        });
      if (e.item.kind === 'artifact-update')
        ctx.violated(`event ${idx + 1 + j} delivers an artifact after the terminal state`, {
          expected: 'no further updates',
          actual: 'artifact-update',
        });
    });
  },
});

export const finalFlag = suite.check({
  id: 'stream.final-flag',
  level: 'SHOULD',
  title: '0.3: the last status event carries final: true and nothing follows it',
  requirement:
    'In 0.3 the server marks the last event of a stream with final: true on a TaskStatusUpdateEvent ' +
    '(terminal or input-required) and sends nothing after it.',
  stance:
    'The rule comes from the schema description ("the final event in the stream") and the §7.2.2 example, not ' +
    'from RFC 2119 text: a SHOULD. A stream with no status update at all (one Task, then close) is allowed by ' +
    'proto-0.3 ("zero or more TaskStatusUpdateEvents") and passes with a note.',
  specRefs: {
    '0.3': [
      { section: '7.2.2', req: 'S03-27' },
      { section: '7.2', req: 'S03-27' },
    ],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const s = await taskStream(ctx);
    requireStream(ctx, s, 'the `task` trigger');
    const idx = s.events.findIndex((e) => e.item.kind === 'status-update' && e.item.update.final === true);
    if (idx < 0 && !s.events.some((e) => e.item.kind === 'status-update')) {
      ctx.note(
        `the stream carries no status update (${kinds(s).join(', ')}, ${describeEnd(s)}): no final flag to judge`,
      );
      return;
    }
    if (idx < 0) {
      ctx.violated('no status-update event carries final: true', {
        expected: 'final: true on the last status-update',
        actual: s.events.map((e) =>
          e.item.kind === 'status-update' ? `status-update(final=${e.item.update.final})` : e.item.kind,
        ),
      });
      return;
    }
    ctx.expect(idx === s.events.length - 1, `${s.events.length - 1 - idx} event(s) follow the final one`, {
      expected: 'nothing after final: true',
      actual: kinds(s).slice(idx),
    });
  },
});

function concatText(parts: Part[]): string {
  return parts
    .map((p) =>
      p.kind === 'text'
        ? p.text
        : p.kind === 'data'
          ? JSON.stringify(p.data)
          : p.kind === 'file'
            ? (p.uri ?? p.bytes ?? '')
            : '',
    )
    .join('');
}

export const artifactChunks = suite.check({
  id: 'stream.artifact.chunks',
  level: 'MUST',
  title: 'Artifact chunks obey append/lastChunk and reassemble to the stored artifact',
  requirement:
    'append: true adds parts to the artifact with the same artifactId already sent; lastChunk: true marks ' +
    'its final chunk. The reassembled artifact equals the artifact of the task.',
  specRefs: {
    '0.3': [{ section: '7.2.3', req: 'S03-28' }],
    '1.0': [{ section: '4.2.2' }, { section: '3.1.2', req: 'S10-25' }],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const s = await taskStream(ctx);
    requireStream(ctx, s, 'the `task` trigger');
    const built = new Map<string, { parts: Part[]; closed: boolean }>();
    let taskId: string | undefined;
    s.events.forEach((e, i) => {
      if (e.item.kind === 'task') taskId = e.item.task.id;
      if (e.item.kind !== 'artifact-update') return;
      const { artifact, append, lastChunk } = e.item.update;
      taskId ??= e.item.update.taskId;
      const prev = built.get(artifact.artifactId);
      if (append && !prev)
        ctx.violated(`event ${i}: append: true for artifact ${artifact.artifactId} that was never sent`, {
          expected: 'a first chunk without append',
          actual: 'append: true',
        });
      if (prev?.closed)
        ctx.violated(`event ${i}: a chunk for artifact ${artifact.artifactId} after its lastChunk`, {
          expected: 'nothing after lastChunk',
          actual: 'another chunk',
        });
      const parts = append && prev ? [...prev.parts, ...artifact.parts] : artifact.parts;
      built.set(artifact.artifactId, { parts, closed: Boolean(lastChunk) });
    });
    if (built.size === 0) return ctx.untestable('the `task` trigger streamed no artifact update', 'task');
    if (!taskId) return;
    const got = await ctx.client.get(taskId, { label: 'get the task to compare artifacts' });
    if (!got.ok) {
      ctx.violated(`GetTask after the stream failed: ${describeError(got.error)}`);
      return;
    }
    for (const [id, b] of built) {
      const stored = got.value.artifacts?.find((a) => a.artifactId === id);
      if (!stored) {
        ctx.violated(`artifact ${id} streamed but absent from GetTask`, {
          expected: id,
          actual: got.value.artifacts?.map((a) => a.artifactId) ?? [],
        });
        continue;
      }
      ctx.expect(
        concatText(stored.parts) === concatText(b.parts),
        `artifact ${id}: reassembled chunks differ from the stored artifact`,
        { expected: concatText(stored.parts).slice(0, 300), actual: concatText(b.parts).slice(0, 300) },
      );
    }
  },
});

export const incremental = suite.check({
  id: 'stream.delivery.incremental',
  level: 'SHOULD',
  title: 'Events arrive as they happen, not buffered until the end',
  requirement:
    'Streaming delivers updates in real time as the task progresses; a proxy or server that buffers the ' +
    'whole stream defeats it (time to first event is reported).',
  specRefs: {
    '0.3': [{ section: '3.3', req: 'S03-x05' }],
    '1.0': [{ section: '3.5.2', req: 'S10-x10' }, { section: '3.1.2' }],
  },
  requires: { capabilities: ['streaming'], triggers: ['slow'] },
  async run(ctx) {
    const s = await ctx.client.stream(ctx.trigger('slow'), { label: 'stream the `slow` trigger', idleTimeoutMs: 8000 })
      .done;
    requireStream(ctx, s, 'the `slow` trigger');
    ctx.metric('timeToFirstEventMs', s.firstEventMs ?? -1);
    ctx.metric('streamDurationMs', s.durationMs);
    if (s.durationMs < 500)
      return ctx.untestable(`the \`slow\` stream lasted only ${s.durationMs} ms; it must run for seconds`, 'slow');
    const first = s.firstEventMs ?? s.durationMs;
    ctx.expect(
      first < s.durationMs / 2,
      `the first event arrived after ${first} ms of a ${s.durationMs} ms stream: the stream looks buffered`,
      { expected: 'first event early in the stream', actual: `first event at ${first} ms, stream ${s.durationMs} ms` },
    );
  },
});

/**
 * Without the capability: 1.0 §3.3.4 names the error (MUST); 0.3 only states the capability as a precondition
 * (§7.2 "requires the server to have capabilities.streaming: true", §7.9 likewise), so a refusal is a SHOULD.
 */
const GATED_STREAM: Record<ProtocolVersion, { error?: A2AErrorName; level: Level }> = {
  '0.3': { level: 'SHOULD' },
  '1.0': { error: 'UnsupportedOperation', level: 'MUST' },
};

/**
 * The error a streaming call answered with: a plain (non-SSE) error, or an error as the first event of a 200 stream
 * (schema-0.3 SendStreamingMessageResponse allows a JSON-RPC error response as the SSE data; wire-formats §8.1).
 */
function streamAnswerError(s: StreamResult): A2AError | undefined {
  if (s.error) return s.error;
  const first = s.events[0]?.item;
  return first?.kind === 'error' ? first.error : undefined;
}

/** Judge a streaming call made without the capability: it must be refused (1.0: UnsupportedOperation). */
function judgeGated(ctx: CheckContext, s: StreamResult, what: string, madeUpTask: boolean): void {
  const rule = GATED_STREAM[ctx.version];
  const error = streamAnswerError(s);
  if (!error) {
    ctx.violatedAt(rule.level, `${what} was answered with a stream of ${s.events.length} event(s)`, {
      expected: rule.error ?? 'an error',
      actual: `a stream: ${kinds(s).join(', ') || 'no events'}`,
    });
    return;
  }
  if (s.events[0]?.item.kind === 'error') ctx.note(`${what}: the error came as the first SSE event of a 200 stream`);
  if (madeUpTask && error.name === 'TaskNotFound') {
    ctx.ambiguous(
      `${what} answered TaskNotFound for the made-up task id`,
      'which check comes first (capability or task existence) is not specified; configure the `slow` trigger to ' +
        'subscribe to a real task',
      { expected: rule.error ?? 'an error', actual: describeError(error) },
    );
    return;
  }
  if (rule.error) expectError(ctx, { ok: false, error, exchange: s.exchange, schemaErrors: [] }, rule.error, what);
  else ctx.note(`${what}: answered ${describeError(error)} (0.3 names no error for this case)`);
}

/** The error a streaming message to a finished task must produce: 0.3 §7.2 names none; 1.0 §3.1.2 names one. */
const TERMINAL_STREAM_ERROR: Record<ProtocolVersion, A2AErrorName | undefined> = {
  '0.3': undefined,
  '1.0': 'UnsupportedOperation',
};

export const streamTerminal = suite.check({
  id: 'stream.send.terminal-task',
  level: 'MUST',
  title: 'Streaming a message to a task in a terminal state is rejected',
  requirement:
    'A task in a terminal state cannot be restarted: SendStreamingMessage / message/stream naming it MUST ' +
    'result in an error (1.0: UnsupportedOperationError), as a plain error or an error event.',
  specRefs: {
    '0.3': [{ section: '7.2', req: 'S03-21' }],
    '1.0': [{ section: '3.1.2', req: 'S10-14' }],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    const s = await ctx.client.stream(
      { text: 'one more thing', messageId: randomUUID(), taskId: task.id, contextId: task.contextId },
      { label: 'stream a message to the completed task', idleTimeoutMs: 3000 },
    ).done;
    const error = streamAnswerError(s);
    const name = TERMINAL_STREAM_ERROR[ctx.version];
    if (!error) {
      ctx.violated(`streaming to a completed task was answered with ${s.events.length} event(s)`, {
        expected: name ?? 'an error',
        actual: `a stream: ${kinds(s).join(', ') || 'no events'}`,
      });
      return;
    }
    if (name)
      expectError(
        ctx,
        { ok: false, error, exchange: s.exchange, schemaErrors: [] },
        name,
        'stream to a completed task',
      );
    else ctx.note(`answered ${describeError(error)} (0.3 names no error for this case)`);
  },
});

export const streamUnknownTask = suite.check({
  id: 'stream.send.unknown-task',
  level: 'MUST',
  title: '1.0: streaming a message that names a task that does not exist fails with TaskNotFound',
  requirement:
    'SendStreamingMessage whose message names a taskId that does not exist MUST return TaskNotFoundError (as a ' +
    'plain error or an error event), never a stream of a new task under that id.',
  specRefs: { '1.0': [{ section: '3.1.2', req: 'S10-14' }] },
  requires: { capabilities: ['streaming'] },
  async run(ctx) {
    const s = await ctx.client.stream(
      { ...ordinaryMessage(ctx), taskId: `conformance-missing-${randomUUID()}` },
      { label: 'stream a message to a task id that does not exist', idleTimeoutMs: 3000 },
    ).done;
    const error = streamAnswerError(s);
    if (!error) {
      ctx.violated(`streaming to an unknown task id was answered with ${s.events.length} event(s)`, {
        expected: 'TaskNotFoundError',
        actual: `a stream: ${kinds(s).join(', ') || 'no events'}`,
      });
      return;
    }
    expectError(
      ctx,
      { ok: false, error, exchange: s.exchange, schemaErrors: [] },
      'TaskNotFound',
      'stream to an unknown taskId',
    );
  },
});

export const gating = suite.check({
  id: 'stream.capability.gated',
  level: 'MUST',
  title: 'Without the streaming capability, streaming methods answer UnsupportedOperation',
  requirement:
    'If capabilities.streaming is false or absent, SendStreamingMessage and SubscribeToTask MUST return ' +
    'UnsupportedOperationError (0.3: message/stream and tasks/resubscribe require the capability, so they ' +
    'should fail).',
  stance:
    'The error may come as a plain error response or as the first event of a 200 SSE stream (schema-0.3 ' +
    'SendStreamingMessageResponse; wire-formats §8.1): both are accepted. 0.3 states the capability as a ' +
    'precondition, not as a duty to reject: a 0.3 server that streams anyway is a warning.',
  specRefs: {
    '0.3': [
      { section: '7.2', req: 'S03-20' },
      { section: '7.9', req: 'S03-20' },
    ],
    '1.0': [
      { section: '3.3.4', req: 'S10-24' },
      { section: '3.1.6', req: 'S10-24' },
    ],
  },
  requires: { capabilitiesAbsent: ['streaming'] },
  async run(ctx) {
    const s = await ctx.client.stream(ordinaryMessage(ctx), {
      label: 'stream without the capability',
      idleTimeoutMs: 2000,
    }).done;
    judgeGated(ctx, s, 'streaming without the capability', false);
    const real = ctx.hasTrigger('slow');
    const taskId = real ? (await workingTask(ctx)).id : `conformance-missing-${randomUUID()}`;
    if (!real) ctx.note('no `slow` trigger: the subscription names a task id that does not exist');
    const sub = await ctx.client.subscribe(taskId, {
      label: `subscribe without the capability${real ? '' : ' (made-up task id)'}`,
      idleTimeoutMs: 2000,
    }).done;
    judgeGated(ctx, sub, 'subscribing without the capability', !real);
  },
});

/**
 * What a subscription to a running task must look like, per version: 1.0 §3.1.6 makes the Task the first event and
 * ends the stream at the terminal state (MUST); 0.3 §7.9 leaves what a resubscription sends first to the
 * implementation (noted only), and proto-0.3 says the stream "should" complete at a terminal or interrupted state.
 */
const SUBSCRIBE_RULES: Record<ProtocolVersion, { firstIsTask?: Level; ends: Level }> = {
  '0.3': { ends: 'SHOULD' },
  '1.0': { firstIsTask: 'MUST', ends: 'MUST' },
};

export const subscribeFirst = suite.check({
  id: 'stream.subscribe.starts-with-task',
  level: 'MUST',
  title: 'Subscribing to a running task yields the current Task first and ends at its terminal state',
  requirement:
    'SubscribeToTask: the first event MUST be the current Task; the stream MUST end when the task becomes ' +
    'terminal. 0.3 tasks/resubscribe: what comes first is implementation-dependent; the stream should end at a ' +
    'terminal or interrupted state.',
  stance:
    '0.3 §7.9: "The server\'s behavior regarding events missed during the disconnection period … is ' +
    'implementation-dependent": a 0.3 resubscription that does not start with the Task is only noted, and its ' +
    'end is a SHOULD (proto-0.3 "should complete"). A stream that goes silent before the terminal state (idle ' +
    'timeout, no keep-alives) is untestable: the spec sets no time bound.',
  specRefs: { '0.3': [{ section: '7.9', req: 'S03-29' }], '1.0': [{ section: '3.1.6', req: 'S10-27' }] },
  requires: { capabilities: ['streaming'], triggers: ['slow'] },
  async run(ctx) {
    const rules = SUBSCRIBE_RULES[ctx.version];
    const task = await workingTask(ctx);
    const idleTimeoutMs = Math.max(6000, ctx.target.streamIdleTimeoutMs);
    const s = await ctx.client.subscribe(task.id, { label: 'subscribe to the working task', idleTimeoutMs }).done;
    requireStream(ctx, s, 'subscribe');
    const first = s.events[0]!.item;
    if (first.kind !== 'task') {
      const msg = `the first event is a ${first.kind}`;
      if (rules.firstIsTask)
        ctx.violatedAt(rules.firstIsTask, msg, { expected: 'the current Task', actual: kinds(s).slice(0, 3) });
      else ctx.note(`${msg} (0.3: what a resubscription sends first is implementation-dependent)`);
    }
    const last = [...s.events]
      .reverse()
      .map((e) => stateOf(e.item))
      .find(Boolean);
    const ended =
      ctx.version === '0.3' ? isTerminal(last?.state) || isInterrupted(last?.state) : isTerminal(last?.state);
    if (!ended && s.end === 'idle-timeout')
      return ctx.untestable(
        `the subscription went silent for ${idleTimeoutMs} ms in ${last?.wireState ?? 'no state'} before the ` +
          'task ended (no keep-alives): the `slow` task is too slow for this window',
        'slow',
      );
    if (!ended)
      ctx.violatedAt(rules.ends, `the subscription ended in ${last?.wireState ?? 'no state'} (${describeEnd(s)})`, {
        expected: 'a terminal state, then close',
        actual: `${last?.wireState ?? '-'}, ${describeEnd(s)}`,
      });
    if (s.end !== 'closed')
      ctx.violatedAt(rules.ends, `the subscription ended by ${describeEnd(s)}`, {
        expected: 'closed',
        actual: describeEnd(s),
      });
  },
});

/**
 * Subscribing to a finished task, per version: 1.0 §3.1.6 names UnsupportedOperationError (MUST); proto-0.3
 * TaskSubscription says "If the task is complete the stream will return the completed task (like GetTask) and close
 * the stream" (a proto comment: should).
 */
const SUBSCRIBE_TERMINAL: Record<ProtocolVersion, { error?: A2AErrorName; level: Level }> = {
  '0.3': { level: 'SHOULD' },
  '1.0': { error: 'UnsupportedOperation', level: 'MUST' },
};

export const subscribeTerminal = suite.check({
  id: 'stream.subscribe.terminal-task',
  level: 'MUST',
  title: 'Subscribing to a finished task: UnsupportedOperation (1.0); the completed task, then close (0.3)',
  requirement:
    'SubscribeToTask on a task in a terminal state MUST return UnsupportedOperationError. 0.3 tasks/resubscribe ' +
    'to a completed task returns the completed task (like GetTask) and closes the stream.',
  stance:
    'The 0.3 behaviour is a proto-0.3 comment, not RFC 2119 text: an error, or a stream that does not end with ' +
    'the completed task and close, is a warning on 0.3.',
  specRefs: {
    '0.3': [{ section: '7.9', req: 'S03-29' }],
    '1.0': [{ section: '3.1.6', req: 'S10-27' }],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const rule = SUBSCRIBE_TERMINAL[ctx.version];
    const task = await completedTask(ctx);
    const s = await ctx.client.subscribe(task.id, { label: 'subscribe to the completed task', idleTimeoutMs: 3000 })
      .done;
    const errorEvent = s.events.find((e) => e.item.kind === 'error');
    const error = s.error ?? (errorEvent?.item.kind === 'error' ? errorEvent.item.error : undefined);
    if (rule.error) {
      if (error)
        expectError(
          ctx,
          { ok: false, error, exchange: s.exchange, schemaErrors: [] },
          rule.error,
          'subscribe to a completed task',
        );
      else
        ctx.violated(`subscribing to a completed task streamed ${s.events.length} event(s) (${kinds(s).join(', ')})`, {
          expected: 'UnsupportedOperationError',
          actual: `a stream: ${kinds(s).join(', ') || 'no events'}`,
        });
      return;
    }
    if (error) {
      ctx.violatedAt(rule.level, `resubscribing to a completed task answered ${describeError(error)}`, {
        expected: 'the completed Task, then the stream closes',
        actual: describeError(error),
      });
      return;
    }
    const last = [...s.events].reverse().find((e) => e.item.kind === 'task')?.item;
    const done = last?.kind === 'task' && isTerminal(last.task.status.state) && last.task.id === task.id;
    if (!done || s.end !== 'closed')
      ctx.violatedAt(
        rule.level,
        `resubscribing to a completed task gave ${kinds(s).join(', ') || 'no events'} (${describeEnd(s)})`,
        { expected: 'the completed Task, then the stream closes', actual: `${kinds(s).join(', ')}; ${describeEnd(s)}` },
      );
  },
});

export const subscribeUnknown = suite.check({
  id: 'stream.subscribe.unknown-task',
  level: 'MUST',
  title: 'Subscribing to an unknown task fails with TaskNotFound',
  requirement: 'Resubscribe / SubscribeToTask for a task id that does not exist MUST return TaskNotFoundError.',
  specRefs: {
    '0.3': [
      { section: '7.9', req: 'S03-17' },
      { section: '8.2', req: 'S03-16' },
    ],
    '1.0': [{ section: '3.1.6', req: 'S10-27' }],
  },
  requires: { capabilities: ['streaming'] },
  async run(ctx) {
    const s = await ctx.client.subscribe(`conformance-missing-${randomUUID()}`, {
      label: 'subscribe to an unknown task',
      idleTimeoutMs: 3000,
    }).done;
    const errorEvent = s.events.find((e) => e.item.kind === 'error');
    const error = s.error ?? (errorEvent?.item.kind === 'error' ? errorEvent.item.error : undefined);
    if (!error) {
      ctx.violated(`subscribing to an unknown task streamed ${s.events.length} event(s)`, {
        expected: 'TaskNotFoundError',
        actual: kinds(s),
      });
      return;
    }
    expectError(
      ctx,
      { ok: false, error, exchange: s.exchange, schemaErrors: [] },
      'TaskNotFound',
      'subscribe to an unknown task',
    );
  },
});

export const subscribeVerbs = suite.check({
  id: 'stream.subscribe.verbs',
  level: 'SHOULD',
  bindings: ['rest'],
  title: 'HTTP+JSON subscribe accepts both POST (spec prose) and GET (proto annotation)',
  requirement:
    'The REST subscribe route is POST …/tasks/{id}:subscribe in the prose and GET in the proto annotations; ' +
    'a server should accept both so every client works.',
  stance:
    'The spec contradicts itself on the verb (§13 C1, upstream issue #1574): serving only one verb is a ' +
    'warning, never a failure.',
  specRefs: { '0.3': [{ section: '3.5.6', req: 'S03-35' }], '1.0': [{ section: '11.3.2', req: 'S10-40' }] },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    const ok: string[] = [];
    for (const verb of ['POST', 'GET'] as const) {
      const r = await ctx.client.raw({
        method: verb,
        path: `${ctx.version === '0.3' ? '/v1' : ''}/tasks/${encodeURIComponent(task.id)}:subscribe`,
        headers: { accept: 'text/event-stream' },
        label: `${verb} subscribe`,
        timeoutMs: 4000,
      });
      if (r.status !== 404 && r.status !== 405 && r.status !== 501) ok.push(`${verb} → ${r.status}`);
      else ctx.note(`${verb} → HTTP ${r.status}`);
    }
    if (ok.length === 1)
      ctx.ambiguous(`only one verb is routed (${ok[0]})`, '§13 C1: the prose says POST, the proto says GET');
    else if (ok.length === 0)
      ctx.violated('neither POST nor GET …:subscribe is routed', {
        expected: 'POST and GET routed',
        actual: 'both 404/405',
      });
  },
});

export const concurrentSubscribers = suite.check({
  id: 'stream.subscribe.concurrent',
  level: 'MUST',
  title: 'Two subscribers see the same events in order; closing one leaves the other running',
  requirement:
    'When multiple streams are active for a task, every stream MUST receive the same events in the same ' +
    'order, and closing one MUST NOT affect the others.',
  specRefs: { '1.0': [{ section: '3.5.2', req: 'S10-26' }] },
  requires: { capabilities: ['streaming'], triggers: ['slow'] },
  async run(ctx) {
    const task = await workingTask(ctx);
    const idleTimeoutMs = Math.max(6000, ctx.target.streamIdleTimeoutMs);
    const a = ctx.client.subscribe(task.id, { label: 'subscriber A', idleTimeoutMs });
    const b = ctx.client.subscribe(task.id, { label: 'subscriber B (closed early)', idleTimeoutMs });
    const c = ctx.client.subscribe(task.id, { label: 'subscriber C', idleTimeoutMs });
    // Close B after its first event.
    for await (const _ of b.events) {
      b.close();
      break;
    }
    const [ra, rb, rc] = await Promise.all([a.done, b.done, c.done]);
    requireStream(ctx, ra, 'subscriber A');
    const sig = (s: StreamResult) =>
      s.events
        .slice(1)
        .map(
          (e) =>
            `${e.item.kind}:` +
            (stateOf(e.item)?.wireState ??
              (e.item.kind === 'artifact-update' ? e.item.update.artifact.artifactId : '')),
        );
    const last = (s: StreamResult) =>
      [...s.events]
        .reverse()
        .map((e) => stateOf(e.item))
        .find(Boolean)?.state;
    // Silence before the terminal state (no keep-alives) is not a broken stream: the spec sets no time bound.
    for (const [name, r] of [
      ['A', ra],
      ['C', rc],
    ] as const)
      if (!isTerminal(last(r)) && r.end === 'idle-timeout')
        return ctx.untestable(
          `subscriber ${name} went silent for ${idleTimeoutMs} ms before the task ended (no keep-alives): the ` +
            '`slow` task is too slow for this window',
          'slow',
        );
    ctx.expect(
      isTerminal(last(ra)) && ra.end === 'closed',
      `subscriber A did not run to the terminal state after B closed (${describeEnd(ra)}, last state ` +
        `${last(ra) ?? '-'})`,
      { expected: 'A runs to the terminal state', actual: describeEnd(ra) },
    );
    ctx.expect(
      isTerminal(last(rc)) && rc.end === 'closed',
      `subscriber C did not run to the terminal state after B closed (${describeEnd(rc)})`,
      { expected: 'C runs to the terminal state', actual: describeEnd(rc) },
    );
    // Subscribers attach at slightly different moments, so one may start later: the later one's events must be
    // exactly the tail of the earlier one's (same events, same order, none missing in between).
    const [seqA, seqC] = [sig(ra), sig(rc)];
    const [longer, shorter] = seqA.length >= seqC.length ? [seqA, seqC] : [seqC, seqA];
    const aligned = JSON.stringify(longer.slice(longer.length - shorter.length)) === JSON.stringify(shorter);
    ctx.expect(aligned, 'subscribers A and C saw different event sequences (not one the tail of the other)', {
      expected: seqA,
      actual: seqC,
    });
    ctx.note(`subscriber B closed after ${rb.events.length} event(s)`);
  },
});
