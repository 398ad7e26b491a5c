/** Suite "send": message/send · SendMessage (0.3 §7.1, 1.0 §3.1.1, §3.2, §3.4). Binding-scoped. */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isInterrupted, isTerminal, type Level, type ProtocolVersion } from '../../src/core/types.js';
import type { OutgoingMessage, Reply, SendOptions } from '../../src/protocol/client.js';
import type { Artifact, Message, Part, SendResult, Task } from '../../src/protocol/model.js';
import { describeError, describeReply, expectAnyError, expectError } from '../lib/expect-error.js';
import { completedTask, ordinaryMessage, sendForTask, waitForTask } from '../lib/tasks.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';

/** The ordinary message the harness sent once per cell, and the answer the universal checks judge. */
interface OrdinarySend {
  sent: OutgoingMessage;
  reply: Reply<SendResult>;
}

/** Send an ordinary message once per cell; the universal checks judge this one answer. */
function ordinarySend(ctx: CheckContext): Promise<OrdinarySend> {
  return ctx.fixture('ordinary-send', async (f) => {
    const sent = ordinaryMessage(f);
    return { sent, reply: await f.client.send(sent, { label: 'send an ordinary message' }) };
  });
}

async function ordinaryReply(ctx: CheckContext): Promise<Reply<SendResult>> {
  return (await ordinarySend(ctx)).reply;
}

const textOf = (parts: readonly Part[] | undefined): string =>
  (parts ?? []).map((p) => (p.kind === 'text' ? p.text : '')).join('');

/** At most this many history entries are judged (targets are untrusted). */
const MAX_HISTORY_JUDGED = 50;

/**
 * The agent's messages in a send reply, each with where it sits: the reply Message, or the Task's status message and
 * the history entries that are not the message the harness sent (its messageId; a user-role echo of its text under
 * another id is the harness's message too, whatever id the server gave it).
 */
export function agentMessagesIn(sent: OutgoingMessage, r: SendResult): { where: string; message: Message }[] {
  if (r.kind === 'message') return [{ where: 'the reply Message', message: r.message }];
  const out: { where: string; message: Message }[] = [];
  if (r.task.status.message) out.push({ where: "the task's status message", message: r.task.status.message });
  const sentText = sent.text ?? textOf(sent.parts);
  (r.task.history ?? []).slice(0, MAX_HISTORY_JUDGED).forEach((m, i) => {
    const ours =
      m.messageId === sent.messageId || (m.role === 'user' && sentText !== '' && textOf(m.parts) === sentText);
    if (!ours) out.push({ where: `history[${i}] (messageId ${m.messageId})`, message: m });
  });
  return out;
}

function tasksIn(r: SendResult): Task[] {
  return r.kind === 'task' ? [r.task] : [];
}

function messagesIn(r: SendResult): Message[] {
  return r.kind === 'message'
    ? [r.message]
    : [...(r.task.history ?? []), ...(r.task.status.message ? [r.task.status.message] : [])];
}

export const resultValid = suite.check({
  id: 'send.result.valid',
  level: 'MUST',
  title: 'An ordinary message gets a Task or a Message, valid for the version',
  requirement:
    'The result of message/send · SendMessage MUST be a Task or a Message in the data structures of the ' +
    'protocol version (0.3: bare object with `kind`; 1.0: the SendMessageResponse wrapper {task} | ' +
    '{message}).',
  specRefs: {
    '0.3': [
      { section: '11.1.2', req: 'S03-13' },
      { section: '7.1', req: 'S03-14' },
      { section: '11.1.5', req: 'S03-14' },
    ],
    '1.0': [
      { section: '11.3', req: 'S10-40' },
      { section: '3.1.1', req: 'S10-06' },
      { section: '9.4.1', req: 'S10-28' },
    ],
  },
  async run(ctx) {
    const reply = await ordinaryReply(ctx);
    if (!reply.ok) {
      ctx.violated(`an ordinary message was answered with an error: ${describeReply(reply)}`, {
        expected: 'a Task or a Message',
        actual: describeReply(reply),
      });
      return;
    }
    reportSchemaErrors(ctx, reply.schemaErrors);
  },
});

export const agentRole = suite.check({
  id: 'send.message.agent-role',
  level: 'MUST',
  title: 'Messages from the agent carry the agent role',
  requirement:
    'Message.role identifies the sender: messages produced by the agent MUST have role agent (0.3 "agent", ' +
    '1.0 ROLE_AGENT): the reply Message, or the status message and the agent entries of the history of the ' +
    'reply Task.',
  specRefs: {
    '0.3': [{ section: '6.4', req: 'S03-x10' }],
    '1.0': [{ section: '4.1.5', req: 'S10-x05' }, { section: '4.1.4' }],
  },
  async run(ctx) {
    const { sent, reply } = await ordinarySend(ctx);
    if (!reply.ok) return ctx.untestable(`the ordinary message was answered with an error (${describeReply(reply)})`);
    const messages = agentMessagesIn(sent, reply.value);
    if (messages.length === 0)
      return ctx.skip(
        'the reply is a task with no status message and no agent message in its history: nothing to judge',
      );
    for (const { where, message } of messages)
      ctx.expect(message.role === 'agent', `${where} has role ${message.role}`, {
        expected: 'agent',
        actual: message.role,
      });
    ctx.note(`judged ${messages.length} agent message(s): ${messages.map((m) => m.where).join(', ')}`);
  },
});

/**
 * How strongly each kind of reply must carry its contextId: schema-0.3 makes Task.contextId required; a2a.proto 1.0
 * does not (§3.4.1: agents MAY generate one, and MUST return it if they do), and both protos say in lower case that
 * server messages "must" carry one.
 */
const CONTEXT_ID_LEVEL: Record<ProtocolVersion, { task: Level; message: Level }> = {
  '0.3': { task: 'MUST', message: 'SHOULD' },
  '1.0': { task: 'SHOULD', message: 'SHOULD' },
};

export const contextGenerated = suite.check({
  id: 'send.context-id.returned',
  level: 'MUST',
  title: 'A server-generated contextId is returned',
  requirement:
    'If the server generates a new contextId for a message without one, it MUST include it in the response ' +
    '(either Task or Message; Task.contextId is REQUIRED in 0.3); server messages carry a contextId (proto: ' +
    '"must be provided").',
  stance:
    'A 1.0 Task without contextId is a warning: a2a.proto 1.0 does not require the field and generating a ' +
    'context is a MAY (§3.4.1). A reply Message without one (the request carried none) fails when the agent ' +
    'provably generated a context: the task the Message names (its taskId) has a contextId in GetTask. ' +
    'Otherwise it is a warning in both versions (a lower-case "must" in the proto comments; the agent may have ' +
    'generated none).',
  specRefs: { '0.3': [{ section: '6.1', req: 'S03-14' }], '1.0': [{ section: '3.4.1', req: 'S10-12' }] },
  async run(ctx) {
    const reply = await ordinaryReply(ctx);
    if (!reply.ok) return ctx.untestable(`the ordinary message was answered with an error (${describeReply(reply)})`);
    const kind = reply.value.kind;
    const id = kind === 'task' ? reply.value.task.contextId : reply.value.message.contextId;
    if (typeof id === 'string' && id.length > 0) return;
    const missing = { expected: 'non-empty contextId', actual: id ?? '(absent)' };
    if (reply.value.kind === 'message') {
      const generated = await generatedContext(ctx, reply.value.message);
      if (generated) {
        ctx.violated(
          `the reply Message has no contextId, although the agent generated ${generated.contextId} for the ` +
            `task ${generated.taskId} it names`,
          { ...missing, expected: generated.contextId, path: '/contextId' },
        );
        return;
      }
    }
    ctx.violatedAt(
      CONTEXT_ID_LEVEL[ctx.version][kind],
      `the ${kind === 'task' ? 'Task' : 'Message'} has no contextId`,
      {
        ...missing,
      },
    );
  },
});

/**
 * The context an agent provably generated for a reply Message: the task the Message names (its taskId) read back
 * with GetTask carries a contextId. Undefined when the Message names no task or the task cannot be read.
 */
async function generatedContext(
  ctx: CheckContext,
  m: Message,
): Promise<{ taskId: string; contextId: string } | undefined> {
  if (!m.taskId) return undefined;
  const t = await ctx.client.get(m.taskId, { label: 'GetTask of the task the reply Message names' });
  if (!t.ok) {
    ctx.note(`GetTask of the task the reply Message names answered ${describeError(t.error)}`);
    return undefined;
  }
  const contextId = t.value.contextId;
  return typeof contextId === 'string' && contextId !== '' ? { taskId: m.taskId, contextId } : undefined;
}

export const contextPreserved = suite.check({
  id: 'send.context-id.preserved',
  level: 'MUST',
  title: 'A client-supplied contextId is kept or the request rejected, never replaced',
  requirement:
    'If the server does not accept a client-provided contextId it MUST reject the request, and it MUST NOT ' +
    'generate a different one in its place.',
  specRefs: { '1.0': [{ section: '3.4.1', req: 'S10-12' }] },
  async run(ctx) {
    const contextId = `conformance-ctx-${randomUUID()}`;
    const reply = await ctx.client.send(
      { ...ordinaryMessage(ctx), contextId },
      { label: 'send with a client contextId' },
    );
    if (!reply.ok) {
      ctx.note(`rejected (allowed): ${describeReply(reply)}`);
      return;
    }
    const got = reply.value.kind === 'task' ? reply.value.task.contextId : reply.value.message.contextId;
    if (reply.value.kind === 'message' && got === undefined) {
      ctx.note('Message reply without contextId');
      return;
    }
    ctx.expect(got === contextId, `the server replaced the client's contextId`, {
      expected: contextId,
      actual: got ?? '(absent)',
    });
  },
});

export const taskIdsUnique = suite.check({
  id: 'send.task-id.unique',
  level: 'MUST',
  title: 'Each new task gets a unique server-generated id',
  requirement: 'Task IDs are generated by the server and MUST be unique; every new task is identified in the response.',
  specRefs: { '0.3': [{ section: '6.1', req: 'S03-x07' }], '1.0': [{ section: '3.4.2', req: 'S10-11' }] },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const [a, b] = await Promise.all([sendForTask(ctx, 'task'), sendForTask(ctx, 'task')]);
    ctx.expect(Boolean(a.task.id) && Boolean(b.task.id), 'a task came back without an id', {
      expected: 'non-empty ids',
      actual: [a.task.id, b.task.id],
    });
    ctx.expect(a.task.id !== b.task.id, 'two new tasks share one id', {
      expected: 'distinct ids',
      actual: [a.task.id, b.task.id],
    });
  },
});

/**
 * A message naming a task that does not exist: 1.0 §3.4.2 makes TaskNotFound a MUST; 0.3 only defines the error
 * ("The specified task id does not correspond to an existing or active task", §8.2) without saying message/send must
 * return it, so on 0.3 accepting the message is a warning.
 */
const UNKNOWN_TASK_SEND: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

export const unknownTaskId = suite.check({
  id: 'send.task-id.unknown',
  level: 'MUST',
  title: 'A message naming a task that does not exist is rejected with TaskNotFound',
  requirement:
    'If a message contains a taskId that does not correspond to an existing task, the server MUST return ' +
    'TaskNotFoundError; clients cannot create tasks with their own ids (0.3: the error is defined for this case; ' +
    'should).',
  stance:
    '0.3 defines TaskNotFoundError for an id that "does not correspond to an existing or active task" but states ' +
    'no duty for message/send: a 0.3 server that accepts the message warns, and another A2A code warns (§8.2 vs ' +
    '§11.1.5).',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-17' },
      { section: '7.1', req: 'S03-17' },
    ],
    '1.0': [
      { section: '3.4.2', req: 'S10-10' },
      { section: '3.1.1', req: 'S10-10' },
    ],
  },
  async run(ctx) {
    const reply = await ctx.client.send(
      { ...ordinaryMessage(ctx), taskId: `conformance-missing-${randomUUID()}` },
      { label: 'send to a task id that does not exist' },
    );
    if (reply.ok) {
      ctx.violatedAt(UNKNOWN_TASK_SEND[ctx.version], 'a message to an unknown taskId was accepted', {
        expected: 'TaskNotFound',
        actual: describeReply(reply),
      });
      return;
    }
    expectError(ctx, reply, 'TaskNotFound', 'message to an unknown taskId');
  },
});

/**
 * Error a message to a terminal task must produce, per version (0.3 names none; 1.0 §3.1.1 names UnsupportedOperation).
 */
const TERMINAL_SEND_ERROR = { '0.3': undefined, '1.0': 'UnsupportedOperation' } as const;

export const terminalTask = suite.check({
  id: 'send.terminal-task.rejected',
  level: 'MUST',
  title: 'A message to a task in a terminal state is rejected',
  requirement:
    'Tasks in a terminal state cannot be restarted: a message to one MUST result in an error (1.0: ' +
    'UnsupportedOperationError).',
  specRefs: {
    '0.3': [
      { section: '6.1', req: 'S03-21' },
      { section: '7.1', req: 'S03-21' },
    ],
    '1.0': [{ section: '3.1.1', req: 'S10-14' }],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    const reply = await ctx.client.send(
      { text: 'one more thing', messageId: randomUUID(), taskId: task.id, contextId: task.contextId },
      { label: 'send to the completed task' },
    );
    const name = TERMINAL_SEND_ERROR[ctx.version];
    if (name) expectError(ctx, reply, name, 'message to a completed task');
    else expectAnyError(ctx, reply, 'message to a completed task');
  },
});

/**
 * How each version asks for the blocking behaviour: 1.0 by default (flag unset), 0.3 has no default, so ask explicitly.
 */
const BLOCKING_SEND: Record<'0.3' | '1.0', SendOptions> = { '0.3': { returnImmediately: false }, '1.0': {} };

/**
 * Blocking and non-blocking sends: 1.0 §3.2.2 states both as MUSTs; 0.3 only describes `blocking` in the schema
 * ("If true, the client will wait for the task to complete. The server may reject this if the task is long-running"),
 * so on 0.3 a deviation is a warning.
 */
const BLOCKING_LEVEL: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };
const BLOCKING_STANCE =
  '0.3 describes `blocking` only in schema-0.3, which adds that the server may reject it for long-running tasks: ' +
  'on 0.3 a deviation is a warning; 1.0 §3.2.2 makes it a MUST.';

/** `ctx.expect` graded at a level of its own (see ctx.violatedAt). */
function expectAt(
  ctx: CheckContext,
  level: Level,
  cond: boolean,
  message: string,
  expectation?: Parameters<CheckContext['violated']>[1],
): boolean {
  if (!cond) ctx.violatedAt(level, message, expectation);
  return cond;
}

export const blockingWaits = suite.check({
  id: 'send.blocking.waits',
  level: 'MUST',
  title: 'A blocking send returns only once the task is terminal or interrupted',
  requirement:
    'By default (returnImmediately unset/false; 0.3: blocking true) the server MUST wait until the task ' +
    'reaches a terminal or interrupted state and return the latest task with all artifacts (compared with a ' +
    'GetTask right after).',
  stance: BLOCKING_STANCE,
  specRefs: { '0.3': [{ section: '7.1.1', req: 'S03-x08' }], '1.0': [{ section: '3.2.2', req: 'S10-16' }] },
  requires: { triggers: ['slow'] },
  async run(ctx) {
    const started = Date.now();
    const { task } = await sendForTask(ctx, 'slow', {
      ...BLOCKING_SEND[ctx.version],
      timeoutMs: Math.max(5000, ctx.remainingMs() - 1000),
    });
    ctx.metric('blockingSendMs', Date.now() - started);
    if (
      !expectAt(
        ctx,
        BLOCKING_LEVEL[ctx.version],
        isTerminal(task.status.state) || isInterrupted(task.status.state),
        `the blocking send returned a task in ${task.status.wireState}`,
        { expected: 'a terminal or interrupted state', actual: task.status.wireState },
      )
    )
      return;
    // "The latest task state with all artifacts": what GetTask now shows must already be in the reply.
    const now = await ctx.client.get(task.id, { label: 'GetTask after the blocking send' });
    if (!now.ok) {
      ctx.note(`GetTask after the blocking send failed (${describeError(now.error)}): artifacts not compared`);
      return;
    }
    expectAt(
      ctx,
      BLOCKING_LEVEL[ctx.version],
      now.value.status.state === task.status.state,
      `GetTask then shows ${now.value.status.wireState}`,
      {
        expected: task.status.wireState,
        actual: now.value.status.wireState,
      },
    );
    const replied = new Set((task.artifacts ?? []).map((a) => a.artifactId));
    const missing = (now.value.artifacts ?? []).map((a) => a.artifactId).filter((id) => !replied.has(id));
    expectAt(
      ctx,
      BLOCKING_LEVEL[ctx.version],
      missing.length === 0,
      `the blocking reply lacks artifact(s) GetTask shows: ${missing.join(', ')}`,
      {
        expected: 'every artifact of the task in the reply',
        actual: { reply: [...replied], getTask: (now.value.artifacts ?? []).map((a) => a.artifactId) },
      },
    );
  },
});

export const returnImmediately = suite.check({
  id: 'send.non-blocking.returns-early',
  level: 'MUST',
  title: 'A non-blocking send returns at once, and the task can be followed to its end',
  requirement:
    'With returnImmediately: true (0.3: blocking: false) the server MUST return right after creating the ' +
    'task, typically SUBMITTED or WORKING; the task then continues and can be retrieved.',
  stance: BLOCKING_STANCE,
  specRefs: { '0.3': [{ section: '7.1.1', req: 'S03-x08' }], '1.0': [{ section: '3.2.2', req: 'S10-17' }] },
  requires: { triggers: ['slow'] },
  async run(ctx) {
    const started = Date.now();
    const { task } = await sendForTask(ctx, 'slow', { returnImmediately: true });
    const ms = Date.now() - started;
    ctx.metric('nonBlockingSendMs', ms);
    if (
      !expectAt(
        ctx,
        BLOCKING_LEVEL[ctx.version],
        !isTerminal(task.status.state),
        `the non-blocking send returned a finished task (${task.status.wireState}) after ${ms} ms`,
        { expected: 'SUBMITTED or WORKING', actual: task.status.wireState },
      )
    )
      return;
    const done = await waitForTask(ctx, task.id, (t) => isTerminal(t.status.state) || isInterrupted(t.status.state));
    expectAt(
      ctx,
      BLOCKING_LEVEL[ctx.version],
      done !== undefined,
      'the task never reached a terminal or interrupted state afterwards (polled GetTask)',
      { expected: 'terminal state', actual: 'still running when the check timed out' },
    );
  },
});

export const historyLength = suite.check({
  id: 'send.history-length.limit',
  level: 'MUST',
  title: 'configuration.historyLength limits the history in the send result',
  requirement:
    'historyLength N > 0 in the send configuration: the server MUST NOT return more than the N most recent ' +
    'messages in Task.history.',
  specRefs: { '0.3': [{ section: '7.1.1', req: 'S03-30' }], '1.0': [{ section: '3.2.4', req: 'S10-18' }] },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const { task } = await sendForTask(ctx, 'task', { historyLength: 1 });
    const n = task.history?.length ?? 0;
    ctx.expect(n <= 1, `historyLength 1 returned ${n} history messages`, { expected: '≤ 1', actual: n });
  },
});

export const historyLengthZero = suite.check({
  id: 'send.history-length.zero',
  level: 'MUST',
  title: '1.0: configuration.historyLength 0 returns no history in the send result',
  requirement:
    'SendMessageConfiguration.history_length: "A value of zero is a request to not include any messages. The ' +
    'server MUST NOT return more messages than the provided value."',
  stance:
    '1.0 only: 0.3 reads historyLength 0 in two contradicting ways (schema-0.3 "the number of most recent ' +
    'messages" vs proto-0.3 "0 means unlimited", C19), judged for GetTask by tasks.get.history-length-zero.',
  specRefs: { '1.0': [{ section: '3.2.4', req: 'S10-18' }] },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const { task } = await sendForTask(ctx, 'task', { historyLength: 0 });
    const n = task.history?.length ?? 0;
    ctx.expect(n === 0, `historyLength 0 returned ${n} history messages`, { expected: 'no history', actual: n });
  },
});

export const unknownFields = suite.check({
  id: 'send.unknown-fields.ignored',
  level: 'SHOULD',
  title: 'Unknown request fields are ignored',
  requirement: 'Implementations SHOULD ignore unrecognized fields in requests rather than rejecting them.',
  specRefs: { '1.0': [{ section: '5.7', req: 'S10-08' }] },
  async run(ctx) {
    const reply = await ctx.client.send(ordinaryMessage(ctx), {
      extraParams: { conformanceUnknownField: { probe: 1 } },
      label: 'send with an unknown field',
    });
    ctx.expect(reply.ok, `a request with one unknown field was rejected: ${describeReply(reply)}`, {
      expected: 'success',
      actual: describeReply(reply),
    });
  },
});

const TIMESTAMP_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export const timestamps = suite.check({
  id: 'send.timestamps.utc',
  level: 'MUST',
  title: 'Timestamps are ISO 8601 UTC with Z',
  requirement:
    'Timestamps MUST be ISO 8601 in UTC with the "Z" designator; other offsets MUST NOT be used (millisecond ' +
    'precision SHOULD).',
  specRefs: { '1.0': [{ section: '5.6.1', req: 'S10-07' }] },
  async run(ctx) {
    const reply = await ordinaryReply(ctx);
    const tasks = reply.ok ? tasksIn(reply.value) : [];
    if (ctx.hasTrigger('task')) tasks.push(await completedTask(ctx));
    const stamps = tasks.map((t) => t.status.timestamp).filter((s): s is string => typeof s === 'string');
    if (stamps.length === 0) {
      return ctx.hasTrigger('task')
        ? ctx.skip('no task carried a status timestamp')
        : ctx.untestable('the ordinary reply holds no task timestamp', 'task');
    }
    for (const s of stamps)
      ctx.expect(TIMESTAMP_Z.test(s), `timestamp "${s}" is not UTC with Z`, {
        path: '/status/timestamp',
        expected: 'e.g. 2026-01-01T00:00:00.000Z',
        actual: s,
      });
  },
});

/** JSON pointers into a part: …/parts/N… (0.3 JSON-RPC, 1.0) or …/content/N… (0.3 HTTP+JSON). */
const PART_PATH = /\/(parts|content)\/\d+(\/|$)/;

function partProblems(parts: Part[], where: string): string[] {
  return parts.flatMap((p, i) =>
    p.kind === 'invalid' ? [`${where}.parts[${i}] is not a valid part: ${JSON.stringify(p.raw).slice(0, 160)}`] : [],
  );
}

/**
 * "Required arrays hold at least one element" is a 1.0 rule (§5.7 "Arrays marked as required MUST contain at least
 * one element"); 0.3 only types `parts: Part[]` (no minItems in schema-0.3), so an empty list there is a warning.
 */
const NON_EMPTY_PARTS: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

export const artifactShape = suite.check({
  id: 'send.artifacts.shape',
  level: 'MUST',
  title: 'Artifacts carry an artifactId and at least one valid part',
  requirement:
    'The artifacts of a completed task: Artifact.artifactId and Artifact.parts are REQUIRED, parts has at least ' +
    'one element (1.0 §5.7; 0.3: should), and each part holds exactly one content kind (1.0: one of ' +
    'text/raw/url/data).',
  stance:
    'A completed `task` without artifacts is untestable, not failed: results SHOULD be returned as artifacts ' +
    '(1.0 §3.7, 0.3 §6.1), not MUST.',
  specRefs: {
    '0.3': [{ section: '6.7', req: 'S03-x11' }, { section: '6.5' }],
    '1.0': [{ section: '4.1.7', req: 'S10-x04' }, { section: '4.1.6' }],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    const artifacts: Artifact[] = task.artifacts ?? [];
    if (artifacts.length === 0)
      return ctx.untestable(
        'the `task` trigger completed without any artifact: results SHOULD be artifacts (1.0 §3.7, 0.3 §6.1), ' +
          'and the trigger promises one, so there is nothing to judge',
        'task',
      );
    artifacts.forEach((a, i) => {
      ctx.expect(Boolean(a.artifactId), `artifacts[${i}] has no artifactId`, {
        path: `/artifacts/${i}/artifactId`,
        expected: 'non-empty id',
        actual: a.artifactId ?? '(absent)',
      });
      if (a.parts.length === 0)
        ctx.violatedAt(NON_EMPTY_PARTS[ctx.version], `artifacts[${i}] has no parts`, {
          path: `/artifacts/${i}/parts`,
          expected: '≥ 1 part',
          actual: 0,
        });
      for (const p of partProblems(a.parts, `artifacts[${i}]`)) ctx.violated(p);
    });
  },
});

export const messageParts = suite.check({
  id: 'send.parts.valid',
  level: 'MUST',
  title: 'Every part the agent returns is a valid part of the version',
  requirement:
    'Message.parts is REQUIRED with at least one part, and each part holds exactly one content kind (0.3: ' +
    'text/file/data with kind; 1.0: exactly one of text/raw/url/data).',
  specRefs: {
    '0.3': [{ section: '6.5', req: 'S03-x11' }, { section: '6.4' }],
    '1.0': [{ section: '4.1.6', req: 'S10-x04' }, { section: '4.1.4' }],
  },
  async run(ctx) {
    const reply = await ordinaryReply(ctx);
    if (!reply.ok) return ctx.untestable(`the ordinary message was answered with an error (${describeReply(reply)})`);
    const msgs = messagesIn(reply.value);
    if (msgs.length === 0) return ctx.skip('the reply holds no message to judge');
    msgs.forEach((m, i) => {
      if (m.parts.length === 0)
        ctx.violatedAt(NON_EMPTY_PARTS[ctx.version], `message ${i} has no parts`, { expected: '≥ 1 part', actual: 0 });
      for (const p of partProblems(m.parts, `message ${i}`)) ctx.violated(p);
    });
    for (const t of tasksIn(reply.value))
      for (const p of (t.artifacts ?? []).flatMap((a, i) => partProblems(a.parts, `artifacts[${i}]`))) ctx.violated(p);
    // "Exactly one content member" and the member spellings are the version's schema rules: report its part findings.
    reportSchemaErrors(
      ctx,
      reply.schemaErrors.filter((x) => PART_PATH.test(x.path)),
    );
  },
});

/**
 * A task stream's first event is the Task: 1.0 §3.1.2 "the stream MUST begin with the Task object"; 0.3 says so
 * only in a proto comment ("the first response should be a Task object").
 */
const STREAM_STARTS_WITH_TASK: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

/**
 * A task the agent ends in a terminal state of its own choice (`failed`: the work failed; `rejected`: the agent
 * refused it). Seen on real SDKs: an executor that throws yields a blocking reply under a new task id that GetTask
 * does not know, and a stream without the initial Task.
 */
function endStateCheck(trigger: 'failed' | 'rejected') {
  const what = trigger === 'failed' ? 'fails' : 'rejects';
  return suite.check({
    id: `send.${trigger}.lifecycle`,
    level: 'MUST',
    title: `A task the agent ${what} keeps its id, ends ${trigger}, and its stream starts with the Task`,
    requirement:
      `A message the agent ${what} yields a Task that ends in ${trigger}: the blocking reply is that task (GetTask ` +
      `returns it under the same id, in ${trigger}); streamed, the stream begins with the Task (0.3: should), ` +
      `every event names that task, and the stream ends in ${trigger} and closes.`,
    stance:
      `The \`${trigger}\` trigger promises a Task: an error or a Message reply, or a task ending in another ` +
      'state, makes the check untestable (the trigger did not work), not failed. A missing status message is ' +
      'noted (the spec does not require one).',
    specRefs: {
      '0.3': [
        { section: '7.1', req: 'S03-x08' },
        { section: '7.2', req: 'S03-27' },
      ],
      '1.0': [
        { section: '3.2.2', req: 'S10-16' },
        { section: '3.1.2', req: 'S10-25' },
        { section: '3.1.1', req: 'S10-11' },
      ],
    },
    requires: { triggers: [trigger] },
    async run(ctx) {
      const reply = await ctx.client.send(ctx.trigger(trigger), {
        label: `send \`${trigger}\` trigger (blocking)`,
        ...BLOCKING_SEND[ctx.version],
        timeoutMs: Math.max(5000, Math.min(15_000, ctx.remainingMs() / 3)),
      });
      if (!reply.ok || reply.value.kind !== 'task')
        return ctx.untestable(`the \`${trigger}\` trigger did not produce a task (${describeReply(reply)})`, trigger);
      let task = reply.value.task;
      if (!isTerminal(task.status.state)) {
        ctx.note(`the blocking reply was ${task.status.wireState}; following the task with GetTask`);
        task = (await waitForTask(ctx, task.id, (t) => isTerminal(t.status.state), 8000)) ?? task;
      }
      if (task.status.state !== trigger)
        return ctx.untestable(
          `the \`${trigger}\` trigger's task ended in ${task.status.wireState}, not ${trigger}`,
          trigger,
        );
      if (!task.status.message) ctx.note(`the ${trigger} task carries no status message`);
      const got = await ctx.client.get(reply.value.task.id, { label: `GetTask of the ${trigger} task` });
      if (!got.ok)
        ctx.violated(
          `GetTask of the task the blocking send returned (${reply.value.task.id}) failed: ${describeReply(got)}`,
          { expected: `the ${trigger} task`, actual: describeReply(got) },
        );
      else {
        ctx.expect(got.value.id === reply.value.task.id, 'GetTask returned another task', {
          expected: reply.value.task.id,
          actual: got.value.id,
        });
        ctx.expect(got.value.status.state === trigger, `GetTask shows the task in ${got.value.status.wireState}`, {
          expected: trigger,
          actual: got.value.status.wireState,
        });
      }
      if (!ctx.card.capabilities.streaming) {
        ctx.note('the card does not declare streaming: the stream half is not judged');
        return;
      }
      const s = await ctx.client.stream(ctx.trigger(trigger), {
        label: `stream \`${trigger}\` trigger`,
        idleTimeoutMs: 5000,
      }).done;
      if (s.error || s.events.length === 0) {
        ctx.violated(
          `streaming the \`${trigger}\` trigger gave no stream (${s.error ? describeError(s.error) : s.end})`,
          {
            expected: `a task stream ending in ${trigger}`,
            actual: s.error ? describeError(s.error) : `no events (${s.end})`,
          },
        );
        return;
      }
      const first = s.events[0]!.item;
      const taskId = first.kind === 'task' ? first.task.id : undefined;
      if (first.kind !== 'task')
        ctx.violatedAt(
          STREAM_STARTS_WITH_TASK[ctx.version],
          `the ${trigger} task's stream starts with a ${first.kind}`,
          {
            expected: 'the Task',
            actual: s.events.slice(0, 3).map((e) => e.item.kind),
          },
        );
      const ids = new Set(
        s.events
          .map((e) => (e.item.kind === 'task' ? e.item.task.id : 'update' in e.item ? e.item.update.taskId : undefined))
          .filter((x): x is string => typeof x === 'string'),
      );
      if (ids.size > 1 || (taskId && !ids.has(taskId)))
        ctx.violated(`the ${trigger} task's stream names ${ids.size} task ids`, {
          expected: `one task id${taskId ? ` (${taskId})` : ''}`,
          actual: [...ids],
        });
      const last = [...s.events]
        .reverse()
        .map((e) =>
          e.item.kind === 'task'
            ? e.item.task.status
            : e.item.kind === 'status-update'
              ? e.item.update.status
              : undefined,
        )
        .find(Boolean);
      ctx.expect(last?.state === trigger, `the ${trigger} task's stream ended in ${last?.wireState ?? 'no state'}`, {
        expected: trigger,
        actual: last?.wireState ?? '(none)',
      });
      ctx.expect(s.end === 'closed', `the ${trigger} task's stream ended by ${s.end}, not closed by the server`, {
        expected: 'closed',
        actual: s.end,
      });
    },
  });
}

export const failedLifecycle = endStateCheck('failed');
export const rejectedLifecycle = endStateCheck('rejected');
