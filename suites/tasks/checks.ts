/**
 * Suite "tasks": tasks/get · GetTask, tasks/cancel · CancelTask, ListTasks, multi-turn (0.3 §7.3/§7.4, 1.0
 * §3.1.3–§3.1.5, §3.4).
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isInterrupted, isTerminal } from '../../src/core/types.js';
import type { Task } from '../../src/protocol/model.js';
import { describeError, describeReply, expectAnyError, expectError } from '../lib/expect-error.js';
import { completedTask, inputRequiredTask, sendForTask, waitForTask, workingTask } from '../lib/tasks.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';

/** How long a canceled task is watched for a revival (the reference `slow` task would finish after 2 s). */
const REVIVAL_WINDOW_MS = 2500;

export const getReturnsTask = suite.check({
  id: 'tasks.get.returns-task',
  level: 'MUST',
  title: 'GetTask returns the task, valid for the version',
  requirement: 'tasks/get · GetTask MUST return the Task with the requested id, in the data structures of the version.',
  specRefs: {
    '0.3': [{ section: '7.3', req: 'S03-13' }],
    '1.0': [
      { section: '11.3', req: 'S10-40' },
      { section: '3.1.3', req: 'S10-29' },
    ],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    const r = await ctx.client.get(task.id, { label: 'GetTask' });
    if (!r.ok) {
      ctx.violated(`GetTask of an existing task failed: ${describeError(r.error)}`, {
        expected: 'the Task',
        actual: describeError(r.error),
      });
      return;
    }
    ctx.expect(r.value.id === task.id, 'GetTask returned a different task', { expected: task.id, actual: r.value.id });
    reportSchemaErrors(ctx, r.schemaErrors);
  },
});

export const getUnknown = suite.check({
  id: 'tasks.get.unknown',
  level: 'MUST',
  title: 'GetTask of an unknown id fails with TaskNotFound, encoded for the binding',
  requirement:
    'tasks/get · GetTask for an id that does not exist MUST return TaskNotFoundError (JSON-RPC -32001; HTTP 404).',
  specRefs: {
    '0.3': [
      { section: '3.2.3', req: 'S03-35' },
      { section: '8.2', req: 'S03-16' },
      { section: '7.3', req: 'S03-17' },
      { section: '8.2', req: 'S03-17' },
    ],
    '1.0': [
      { section: '3.1.3', req: 'S10-29' },
      { section: '5.4', req: 'S10-38' },
    ],
  },
  async run(ctx) {
    const r = await ctx.client.get(`conformance-missing-${randomUUID()}`, { label: 'GetTask of an unknown id' });
    expectError(ctx, r, 'TaskNotFound', 'GetTask of an unknown id');
  },
});

/** historyLength semantics differ by version (§7.4, §13 C19): 1.0 0 = no history; 0.3 proto 0 = unlimited. */
export const historyLimit = suite.check({
  id: 'tasks.get.history-length',
  level: 'MUST',
  title: 'GetTask historyLength N returns at most the N most recent messages',
  requirement: 'historyLength > 0: the server MUST NOT return more than N of the most recent messages in Task.history.',
  specRefs: {
    '0.3': [{ section: '7.3.1', req: 'S03-30' }],
    '1.0': [
      { section: '3.2.4', req: 'S10-18' },
      { section: '3.1.3', req: 'S10-18' },
    ],
  },
  requires: { triggers: ['input-required'] },
  async run(ctx) {
    const task = await multiTurnTask(ctx);
    const full = await ctx.client.get(task.id, { label: 'GetTask without historyLength' });
    const one = await ctx.client.get(task.id, { historyLength: 1, label: 'GetTask historyLength=1' });
    if (!full.ok || !one.ok)
      return ctx.untestable(
        `GetTask failed (${!full.ok ? describeError(full.error) : !one.ok ? describeError(one.error) : ''})`,
      );
    const total = full.value.history?.length ?? 0;
    if (total < 2) ctx.note(`the task keeps only ${total} history message(s); the limit is checked but not stressed`);
    const n = one.value.history?.length ?? 0;
    if (!ctx.expect(n <= 1, `historyLength=1 returned ${n} messages`, { expected: '≤ 1', actual: n })) return;
    const settledTask = isTerminal(full.value.status.state) || isInterrupted(full.value.status.state);
    if (n === 1 && total > 1 && !settledTask)
      ctx.note(
        `the task is still ${full.value.status.wireState}: its history may grow between the two reads, so which ` +
          'message is the most recent is not judged',
      );
    if (n === 1 && total > 1 && settledTask) {
      const mostRecent = full.value.history![total - 1]!.messageId;
      ctx.expect(
        one.value.history![0]!.messageId === mostRecent,
        'historyLength=1 did not return the most recent message',
        { expected: mostRecent, actual: one.value.history![0]!.messageId },
      );
    }
  },
});

export const historyZero = suite.check({
  id: 'tasks.get.history-length-zero',
  level: 'MUST',
  title: 'GetTask historyLength 0 returns no history (1.0); 0.3 readings contradict each other',
  requirement:
    '1.0: historyLength 0 is a request to include no messages; the server MUST NOT return more messages than ' +
    'the value, and the history field SHOULD be omitted (not an empty array).',
  stance:
    '0.3 contradicts itself (§13 C19): schema-0.3 reads historyLength as "the number of most recent messages" ' +
    '(0: none), proto-0.3 says 0 means unlimited. A 0.3 server returning messages for 0 is a warning naming ' +
    'both readings, never a failure.',
  specRefs: {
    '0.3': [{ section: '7.3.1', req: 'S03-30' }],
    '1.0': [{ section: '3.2.4', req: 'S10-18' }],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    if (ctx.version === '0.3' && ctx.binding === 'grpc')
      return ctx.skip(
        'proto-0.3 GetTaskRequest.history_length has no field presence: on gRPC 0 is the same as not sending it ' +
          '(proto-0.3: 0 means unlimited), so there is nothing to distinguish',
      );
    const task = await completedTask(ctx);
    const r = await ctx.client.get(task.id, { historyLength: 0, label: 'GetTask historyLength=0' });
    if (!r.ok) {
      ctx.violated(`GetTask historyLength=0 failed: ${describeError(r.error)}`);
      return;
    }
    const n = r.value.history?.length ?? 0;
    if (ctx.version === '0.3') {
      if (n > 0) {
        const absent = await ctx.client.get(task.id, { label: 'GetTask without historyLength' });
        const m = absent.ok ? (absent.value.history?.length ?? 0) : undefined;
        ctx.ambiguous(
          `historyLength=0 returned ${n} message(s)` +
            (m !== undefined
              ? ` (without historyLength: ${m}${m < n ? ', so 0 returns more than no limit' : ''})`
              : ''),
          'schema-0.3 says historyLength is "the number of most recent messages" (0: none) while proto-0.3 says ' +
            '0 means unlimited (C19)',
          { expected: 'no messages (schema-0.3 reading)', actual: n },
        );
      } else ctx.note('historyLength=0 returned no history (the schema-0.3 reading)');
      return;
    }
    if (!ctx.expect(n === 0, `historyLength=0 returned ${n} messages`, { expected: 'history omitted', actual: n }))
      return;
    // The Task on the wire: the REST body, or the JSON-RPC envelope's result.
    const raw = r.wire as { history?: unknown; result?: { history?: unknown } } | undefined;
    const wireHistory = raw && typeof raw === 'object' ? (raw.history ?? raw.result?.history) : undefined;
    if (Array.isArray(wireHistory))
      ctx.violatedAt('SHOULD', 'historyLength=0: history is present as an empty array', {
        path: '/history',
        expected: 'history omitted',
        actual: [],
      });
  },
});

export const terminalImmutable = suite.check({
  id: 'tasks.terminal.immutable',
  level: 'MUST',
  title: 'A terminal state never changes on later gets',
  requirement:
    'Once a task reaches a terminal state it cannot be restarted or change state; later retrievals return ' +
    'the same terminal state.',
  specRefs: {
    '0.3': [{ section: '6.1', req: 'S03-x04' }, { section: '7.3' }],
    '1.0': [
      { section: '3.1.3', req: 'S10-29' },
      { section: '3.3.1', req: 'S10-29' },
    ],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    // A rejected follow-up must not revive it either.
    await ctx.client.send(
      { text: 'again', messageId: randomUUID(), taskId: task.id, contextId: task.contextId },
      { label: 'follow-up to the completed task' },
    );
    for (let i = 0; i < 2; i++) {
      const r = await ctx.client.get(task.id, { label: `GetTask #${i + 1}` });
      if (!r.ok) {
        ctx.violated(`GetTask of the completed task failed: ${describeError(r.error)}`);
        return;
      }
      ctx.expect(
        r.value.status.state === task.status.state,
        `the task moved from ${task.status.wireState} to ${r.value.status.wireState}`,
        { expected: task.status.wireState, actual: r.value.status.wireState },
      );
    }
  },
});

/** How long an asynchronous cancel may take to show in GetTask before the check gives up judging it. */
const ASYNC_CANCEL_WINDOW_MS = 5000;

export const cancelWorking = suite.check({
  id: 'tasks.cancel.working',
  level: 'MUST',
  title: 'Canceling a working task: the same task comes back, it ends canceled, and nothing revives it',
  requirement:
    'CancelTask on a cancelable task returns the updated Task (the same id); once canceled, no further task ' +
    'updates follow. The server attempts the cancel, but success is not guaranteed.',
  stance:
    'Cancellation is best effort (0.3 §7.4, 1.0 §3.1.5: "success is not guaranteed"): TaskNotCancelable for the ' +
    '`slow` task, or a cancel that does not take effect, makes the check untestable, not failed; a reply still ' +
    'working that reaches canceled later (an asynchronous cancel) passes with a note. Failed: another error, ' +
    'another task, or a revival after canceled.',
  specRefs: {
    '0.3': [{ section: '7.4', req: 'S03-13' }],
    '1.0': [
      { section: '11.3', req: 'S10-40' },
      { section: '3.1.5', req: 'S10-31' },
    ],
  },
  requires: { triggers: ['slow'] },
  async run(ctx) {
    const task = await workingTask(ctx);
    const r = await ctx.client.cancel(task.id, { label: 'CancelTask of the working task' });
    if (!r.ok) {
      if (r.error.name === 'TaskNotCancelable')
        return ctx.untestable(
          `the server refused to cancel the \`slow\` task (${describeError(r.error)}); cancellation is not ` +
            'guaranteed (§3.1.5), so a `slow` trigger whose task the agent can cancel is needed',
          'slow',
        );
      ctx.violated(`canceling a working task failed: ${describeError(r.error)}`, {
        expected: 'the Task (canceled, or being canceled), or TaskNotCancelable',
        actual: describeError(r.error),
      });
      return;
    }
    ctx.expect(r.value.id === task.id, 'CancelTask returned a different task', {
      expected: task.id,
      actual: r.value.id,
    });
    if (r.value.status.state !== 'canceled') {
      if (isTerminal(r.value.status.state))
        return ctx.untestable(
          `CancelTask returned the task already ${r.value.status.wireState}: the cancel came too late ` +
            '(§3.1.5: "the task might have already completed"); a slower `slow` task is needed',
          'slow',
        );
      const later = await waitForTask(
        ctx,
        task.id,
        (t) => isTerminal(t.status.state),
        Math.min(ASYNC_CANCEL_WINDOW_MS, ctx.remainingMs() / 3),
      );
      const after = later
        ? `then reached ${later.status.wireState}`
        : `was not canceled within ${ASYNC_CANCEL_WINDOW_MS} ms`;
      if (later?.status.state !== 'canceled')
        return ctx.untestable(
          `CancelTask returned the task in ${r.value.status.wireState} and it ${after}` +
            ': the cancel did not take effect, which the spec allows ("success is not guaranteed")',
        );
      ctx.note(
        `asynchronous cancel: CancelTask returned the task in ${r.value.status.wireState}, GetTask then showed it ` +
          'canceled',
      );
    }
    // Watch for a revival until well past the point where the slow task would have finished on its own.
    const revived = await waitForTask(
      ctx,
      task.id,
      (t) => t.status.state !== 'canceled',
      Math.min(REVIVAL_WINDOW_MS, ctx.remainingMs() / 2),
    );
    if (revived)
      ctx.violated(`after a successful cancel the task moved to ${revived.status.wireState}`, {
        expected: 'stays canceled',
        actual: revived.status.wireState,
      });
  },
});

export const cancelTerminal = suite.check({
  id: 'tasks.cancel.terminal',
  level: 'MUST',
  title: 'Canceling a completed task fails with TaskNotCancelable',
  requirement: 'CancelTask of a task in a terminal state MUST return TaskNotCancelableError (-32002).',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-16' },
      { section: '7.4', req: 'S03-18' },
      { section: '8.2', req: 'S03-18' },
    ],
    '1.0': [{ section: '3.1.5', req: 'S10-31' }],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    expectError(
      ctx,
      await ctx.client.cancel(task.id, { label: 'CancelTask of the completed task' }),
      'TaskNotCancelable',
      'cancel of a completed task',
    );
  },
});

export const cancelUnknown = suite.check({
  id: 'tasks.cancel.unknown',
  level: 'MUST',
  title: 'Canceling an unknown task fails with TaskNotFound',
  requirement: 'CancelTask for an id that does not exist MUST return TaskNotFoundError (-32001).',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-16' },
      { section: '7.4', req: 'S03-17' },
    ],
    '1.0': [{ section: '3.1.5', req: 'S10-31' }],
  },
  async run(ctx) {
    expectError(
      ctx,
      await ctx.client.cancel(`conformance-missing-${randomUUID()}`, { label: 'CancelTask of an unknown id' }),
      'TaskNotFound',
      'cancel of an unknown task',
    );
  },
});

export const cancelRepeat = suite.check({
  id: 'tasks.cancel.repeat',
  level: 'MUST',
  title: 'A repeated cancel keeps the task canceled',
  requirement:
    'Cancel is idempotent: repeating it has the same effect. The server either returns the canceled task ' +
    'again or TaskNotCancelableError.',
  stance:
    'Whether a cancel of an already canceled task succeeds or fails with TaskNotCancelable is ambiguous (§13 ' +
    'C15): both are accepted; the choice is reported.',
  specRefs: {
    '1.0': [
      { section: '3.3.1', req: 'S10-31' },
      { section: '3.1.5', req: 'S10-31' },
    ],
  },
  requires: { triggers: ['slow'] },
  async run(ctx) {
    const task = await workingTask(ctx);
    const first = await ctx.client.cancel(task.id, { label: 'first cancel' });
    if (!first.ok)
      return ctx.untestable(`the first cancel failed (${describeError(first.error)}); see tasks.cancel.working`);
    const second = await ctx.client.cancel(task.id, { label: 'second cancel' });
    if (second.ok) {
      ctx.expect(
        second.value.status.state === 'canceled',
        `the second cancel returned the task in ${second.value.status.wireState}`,
        { expected: 'canceled', actual: second.value.status.wireState },
      );
      ctx.note('the server answers a repeated cancel with the canceled task (idempotent reading of §3.3.1)');
    } else if (second.error.name === 'TaskNotCancelable' || second.error.name === 'TaskNotFound') {
      ctx.note(`the server answers a repeated cancel with ${second.error.name} (§3.1.5 reading)`);
    } else {
      ctx.violated(`the second cancel failed with ${describeError(second.error)}`, {
        expected: 'the canceled Task, TaskNotCancelable or TaskNotFound (purged)',
        actual: describeError(second.error),
      });
    }
  },
});

/** Three tasks in one context, for the ListTasks checks (shared per cell). */
function listFixture(ctx: CheckContext): Promise<{ contextId: string; tasks: Task[] }> {
  return ctx.fixture('list-tasks', async (f) => {
    const first = await sendForTask(f, 'task');
    const contextId = first.task.contextId;
    const more = await Promise.all([
      sendForTask(f, 'task', {}, { contextId }),
      sendForTask(f, 'task', {}, { contextId }),
    ]);
    const tasks = [first.task, ...more.map((m) => m.task)];
    if (new Set(tasks.map((t) => t.contextId)).size !== 1)
      return f.untestable('the agent did not keep the three tasks in one context (needed to list them in isolation)');
    return { contextId, tasks };
  });
}

const LIST = { requires: { triggers: ['task' as const] } };

export const listPaging = suite.check({
  ...LIST,
  id: 'tasks.list.paging',
  level: 'MUST',
  title: 'ListTasks pages with pageSize=1 through every task of the context, tokens leading to the end',
  requirement:
    'ListTasks uses cursor pagination: pageToken is the previous nextPageToken; pages return at most ' +
    'pageSize tasks and together every matching task exactly once; nextPageToken is empty on the last page.',
  specRefs: { '1.0': [{ section: '3.1.4', req: 'S10-30' }] },
  async run(ctx) {
    const { contextId, tasks } = await listFixture(ctx);
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await ctx.client.list(
        { contextId, pageSize: 1, pageToken: token },
        { label: `ListTasks page ${page + 1}` },
      );
      if (!r.ok) {
        ctx.violated(`ListTasks failed: ${describeError(r.error)}`, {
          expected: 'a page of tasks',
          actual: describeError(r.error),
        });
        return;
      }
      ctx.expect(r.value.tasks.length <= 1, `page ${page + 1} has ${r.value.tasks.length} tasks for pageSize=1`, {
        expected: '≤ 1',
        actual: r.value.tasks.length,
      });
      seen.push(...r.value.tasks.map((t) => t.id));
      token = r.value.nextPageToken;
      if (!token) break;
    }
    ctx.expect(!token, 'paging did not end after 10 pages for 3 tasks', {
      expected: 'empty nextPageToken on the last page',
      actual: token,
    });
    const want = tasks.map((t) => t.id).sort();
    ctx.expect(
      JSON.stringify([...seen].sort()) === JSON.stringify(want),
      'the pages did not return every task of the context exactly once',
      { expected: want, actual: seen },
    );
  },
});

export const listTokenPresent = suite.check({
  ...LIST,
  id: 'tasks.list.next-page-token-present',
  level: 'MUST',
  title: 'ListTasks always carries nextPageToken, pageSize and totalSize (spec-literal)',
  requirement:
    'ListTasksResponse.nextPageToken MUST always be present ("" on the last page); tasks, pageSize and ' +
    'totalSize are REQUIRED.',
  stance:
    'ProtoJSON emitters drop "" and 0 by default, which the spec text contradicts (§13 C4): an absent field ' +
    'is a warning, a wrong value a failure.',
  specRefs: { '1.0': [{ section: '3.1.4', req: 'S10-30' }] },
  async run(ctx) {
    const { contextId } = await listFixture(ctx);
    const r = await ctx.client.list({ contextId, pageSize: 100 }, { label: 'ListTasks (single page)' });
    if (!r.ok) return ctx.untestable(`ListTasks failed: ${describeError(r.error)}`);
    const raw = ((ctx.binding === 'jsonrpc' ? (r.wire as { result?: unknown } | undefined)?.result : r.wire) ??
      {}) as Record<string, unknown>;
    // On gRPC these are proto3 implicit-presence fields: nothing on the wire *is* "" / 0, never "absent".
    const wire = ctx.binding === 'grpc' ? { nextPageToken: '', pageSize: 0, totalSize: 0, ...raw } : raw;
    const absent = ['nextPageToken', 'pageSize', 'totalSize'].filter((f) => wire[f] === undefined);
    if (absent.length)
      ctx.ambiguous(
        `the last page omits ${absent.join(', ')}`,
        'ProtoJSON omits default values; §3.1.4 says they are always present (§13 C4)',
        { expected: 'nextPageToken: "", pageSize, totalSize present', actual: `absent: ${absent.join(', ')}` },
      );
    if (typeof wire.nextPageToken === 'string')
      ctx.expect(wire.nextPageToken === '', `the only page has nextPageToken "${wire.nextPageToken}"`, {
        expected: '""',
        actual: wire.nextPageToken,
      });
    if (typeof wire.totalSize === 'number')
      ctx.expect(wire.totalSize === 3, `totalSize is ${wire.totalSize} for a context with 3 tasks`, {
        expected: 3,
        actual: wire.totalSize,
      });
  },
});

export const listOrder = suite.check({
  ...LIST,
  id: 'tasks.list.order',
  level: 'MUST',
  title: 'ListTasks is ordered by status timestamp, most recent first',
  requirement: 'ListTasks results MUST be sorted by status timestamp in descending order.',
  specRefs: { '1.0': [{ section: '3.1.4', req: 'S10-30' }] },
  async run(ctx) {
    const { contextId } = await listFixture(ctx);
    const r = await ctx.client.list({ contextId, pageSize: 100 }, { label: 'ListTasks' });
    if (!r.ok) return ctx.untestable(`ListTasks failed: ${describeError(r.error)}`);
    const stamps = r.value.tasks.map((t) => t.status.timestamp);
    if (stamps.some((s) => !s))
      return ctx.untestable(
        `listed tasks lack status timestamps (${stamps.map((x) => x ?? '-').join(', ')}), which are optional in ` +
          'a2a.proto (TaskStatus.timestamp has no REQUIRED): the order cannot be verified',
      );
    const times = stamps.map((s) => Date.parse(s!));
    const sorted = [...times].sort((a, b) => b - a);
    ctx.expect(JSON.stringify(times) === JSON.stringify(sorted), 'tasks are not in descending status-timestamp order', {
      expected: 'descending',
      actual: stamps,
    });
  },
});

export const listArtifacts = suite.check({
  ...LIST,
  id: 'tasks.list.artifacts',
  level: 'MUST',
  title: 'ListTasks omits artifacts unless includeArtifacts is true',
  requirement:
    'When includeArtifacts is false (default) the artifacts field MUST be omitted entirely; with ' +
    'includeArtifacts true artifacts are included.',
  specRefs: { '1.0': [{ section: '3.1.4', req: 'S10-30' }] },
  async run(ctx) {
    const { contextId } = await listFixture(ctx);
    const plain = await ctx.client.list({ contextId, pageSize: 100 }, { label: 'ListTasks (default)' });
    const withArt = await ctx.client.list(
      { contextId, pageSize: 100, includeArtifacts: true },
      { label: 'ListTasks includeArtifacts=true' },
    );
    if (!plain.ok || !withArt.ok)
      return ctx.untestable(`ListTasks failed: ${describeReply(!plain.ok ? plain : withArt)}`);
    const wireTasks =
      (
        (ctx.binding === 'jsonrpc' ? (plain.wire as { result?: unknown } | undefined)?.result : plain.wire) as
          | { tasks?: Record<string, unknown>[] }
          | undefined
      )?.tasks ?? [];
    wireTasks.forEach((t, i) =>
      ctx.expect(!('artifacts' in t), `tasks[${i}] carries an artifacts field without includeArtifacts`, {
        path: `/tasks/${i}/artifacts`,
        expected: 'field omitted',
        actual: t.artifacts,
      }),
    );
    ctx.expect(
      withArt.value.tasks.some((t) => (t.artifacts?.length ?? 0) > 0),
      'includeArtifacts=true returned no artifacts for completed tasks that have them',
      { expected: 'artifacts present', actual: 'none' },
    );
  },
});

export const listFilters = suite.check({
  ...LIST,
  id: 'tasks.list.filters',
  level: 'MUST',
  title: 'ListTasks honours the contextId and status filters',
  requirement: 'ListTasks filters by contextId and by status: only matching tasks are returned.',
  specRefs: {
    '1.0': [
      { section: '11.3', req: 'S10-40' },
      { section: '3.1.4', req: 'S10-30' },
    ],
  },
  async run(ctx) {
    const { contextId, tasks } = await listFixture(ctx);
    const byContext = await ctx.client.list({ contextId, pageSize: 100 }, { label: 'ListTasks contextId filter' });
    if (!byContext.ok) return ctx.untestable(`ListTasks failed: ${describeError(byContext.error)}`);
    const foreign = byContext.value.tasks.filter((t) => t.contextId !== contextId);
    ctx.expect(
      foreign.length === 0,
      `${foreign.length} task(s) from other contexts returned for contextId=${contextId}`,
      { expected: `only contextId ${contextId}`, actual: foreign.map((t) => t.contextId) },
    );
    ctx.expect(
      byContext.value.tasks.length === tasks.length,
      `the contextId filter returned ${byContext.value.tasks.length} of ${tasks.length} tasks`,
      { expected: tasks.length, actual: byContext.value.tasks.length },
    );
    const none = await ctx.client.list(
      { contextId, status: 'working', pageSize: 100 },
      { label: 'ListTasks status=WORKING' },
    );
    if (none.ok)
      ctx.expect(
        none.value.tasks.every((t) => t.status.state === 'working'),
        'the status filter returned tasks in other states',
        { expected: 'only TASK_STATE_WORKING', actual: none.value.tasks.map((t) => t.status.wireState) },
      );
    else ctx.violated(`ListTasks with a status filter failed: ${describeError(none.error)}`);
  },
});

/** A status-timestamp bound strictly between two of the listed tasks' timestamps (ms), or undefined. */
function boundBetween(times: number[]): number | undefined {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]! - sorted[i - 1]! >= 2) return Math.floor((sorted[i]! + sorted[i - 1]!) / 2);
  return undefined;
}

export const listTimestampFilter = suite.check({
  ...LIST,
  id: 'tasks.list.status-timestamp-filter',
  level: 'MUST',
  title: 'ListTasks honours the statusTimestampAfter filter',
  requirement:
    'With statusTimestampAfter, only tasks with a status timestamp greater than or equal to it are returned: a ' +
    "bound between two of a context's tasks' status timestamps drops the older task and keeps the newer ones.",
  stance:
    'a2a.proto ListTasksRequest says "Only tasks with a status timestamp time greater than or equal to this value ' +
    'will be returned"; §3.1.4 lists the filter, so it is graded MUST like the other filters. The bound is put ' +
    'strictly between two timestamps the agent itself listed (at least 2 ms apart), so the check does not depend ' +
    'on whether equality is honoured (@a2a-js/sdk compares with >). Tasks without status timestamps (optional in ' +
    'the proto) or with identical ones leave the check untestable.',
  specRefs: { '1.0': [{ section: '3.1.4', req: 'S10-30' }] },
  async run(ctx) {
    const { contextId } = await listFixture(ctx);
    const all = await ctx.client.list({ contextId, pageSize: 100 }, { label: 'ListTasks (timestamps of the context)' });
    if (!all.ok) return ctx.untestable(`ListTasks failed: ${describeError(all.error)}`);
    const stamped = all.value.tasks.map((t) => ({ id: t.id, at: Date.parse(t.status.timestamp ?? '') }));
    if (stamped.length < 2 || stamped.some((t) => Number.isNaN(t.at)))
      return ctx.untestable(
        `the context lists ${stamped.length} task(s), not all with a parsable status timestamp (optional in ` +
          'a2a.proto): no bound between two tasks can be chosen',
      );
    const bound = boundBetween(stamped.map((t) => t.at));
    if (bound === undefined)
      return ctx.untestable('the listed tasks share one status timestamp (or lie < 2 ms apart): no bound between');
    const after = new Date(bound).toISOString();
    const r = await ctx.client.list(
      { contextId, pageSize: 100, statusTimestampAfter: after },
      { label: `ListTasks statusTimestampAfter=${after}` },
    );
    if (!r.ok) return ctx.violated(`ListTasks with statusTimestampAfter failed: ${describeError(r.error)}`);
    const older = r.value.tasks.filter((t) => Date.parse(t.status.timestamp ?? '') < bound);
    ctx.expect(older.length === 0, `${older.length} task(s) with a status timestamp before ${after} returned`, {
      expected: `only tasks at or after ${after}`,
      actual: older.map((t) => `${t.id} @ ${t.status.timestamp ?? '(none)'}`),
    });
    const returned = new Set(r.value.tasks.map((t) => t.id));
    const dropped = stamped.filter((t) => t.at >= bound && !returned.has(t.id));
    ctx.expect(dropped.length === 0, `${dropped.length} task(s) newer than ${after} missing from the filtered list`, {
      expected: 'every task at or after the bound',
      actual: dropped.map((t) => `${t.id} @ ${new Date(t.at).toISOString()}`),
    });
  },
});

export const listPageSizeInvalid = suite.check({
  id: 'tasks.list.page-size-invalid',
  level: 'MUST',
  title: 'ListTasks rejects an out-of-range pageSize as invalid params',
  requirement: 'pageSize must be between 1 and 100; out-of-range values are validation errors (-32602 / HTTP 400).',
  specRefs: {
    '1.0': [
      { section: '3.1.4', req: 'S10-30' },
      { section: '3.3.2', req: 'S10-09' },
    ],
  },
  async run(ctx) {
    expectError(
      ctx,
      await ctx.client.list({ pageSize: 1000 }, { label: 'ListTasks pageSize=1000' }),
      'InvalidParams',
      'pageSize 1000',
    );
  },
});

/** A task that went input-required → follow-up → moved on: at least three history messages. */
function multiTurnTask(ctx: CheckContext): Promise<Task> {
  return ctx.fixture('multi-turn', async (f) => {
    const t = await inputRequiredTask(f);
    const r = await f.client.send(
      { text: 'for two at eight', messageId: randomUUID(), taskId: t.id, contextId: t.contextId },
      { label: 'answer the question' },
    );
    if (!r.ok) return f.untestable(`the follow-up to the input-required task failed (${describeError(r.error)})`);
    return (
      (await waitForTask(
        f,
        t.id,
        (x) => x.status.state !== 'input-required' && (isTerminal(x.status.state) || x.status.state !== 'working'),
        5000,
      )) ?? t
    );
  });
}

export const multiTurnFollowUp = suite.check({
  id: 'tasks.multi-turn.follow-up',
  level: 'MUST',
  title: 'A follow-up with the same taskId moves an input-required task on',
  requirement:
    'A task in input-required is continued by sending a message with the same taskId (and contextId); the ' +
    'task resumes instead of a new one being created.',
  specRefs: {
    '0.3': [{ section: '6.1', req: 'S03-x09' }, { section: '7.1' }],
    '1.0': [{ section: '3.4.3', req: 'S10-x06' }, { section: '3.1.1' }],
  },
  requires: { triggers: ['input-required'] },
  async run(ctx) {
    const t = await inputRequiredTask(ctx);
    const r = await ctx.client.send(
      { text: 'for two at eight', messageId: randomUUID(), taskId: t.id, contextId: t.contextId },
      { label: 'answer the question' },
    );
    if (!r.ok) {
      ctx.violated(`the follow-up was rejected: ${describeError(r.error)}`, {
        expected: 'the task continues',
        actual: describeError(r.error),
      });
      return;
    }
    if (r.value.kind === 'task')
      ctx.expect(r.value.task.id === t.id, 'the follow-up created a different task', {
        expected: t.id,
        actual: r.value.task.id,
      });
    const after = await waitForTask(ctx, t.id, (x) => x.status.state !== 'input-required', 5000);
    ctx.expect(after !== undefined, 'the task stayed in input-required after the follow-up', {
      expected: 'a state other than input-required',
      actual: 'input-required',
    });
  },
});

export const contextInferred = suite.check({
  id: 'tasks.multi-turn.context-inferred',
  level: 'MUST',
  title: "A follow-up with only taskId keeps the task's contextId",
  requirement: 'If a message carries a taskId but no contextId, the server MUST infer the contextId from the task.',
  specRefs: {
    '1.0': [
      { section: '3.4.3', req: 'S10-13' },
      { section: '3.4.1', req: 'S10-13' },
    ],
  },
  requires: { triggers: ['input-required'] },
  async run(ctx) {
    const t = await inputRequiredTask(ctx);
    const r = await ctx.client.send(
      { text: 'for two at eight', messageId: randomUUID(), taskId: t.id },
      { label: 'follow-up with taskId only' },
    );
    if (!r.ok) {
      ctx.violated(`the taskId-only follow-up was rejected: ${describeError(r.error)}`, {
        expected: 'accepted, contextId inferred',
        actual: describeError(r.error),
      });
      return;
    }
    const ctxId = r.value.kind === 'task' ? r.value.task.contextId : r.value.message.contextId;
    ctx.expect(ctxId === undefined || ctxId === t.contextId, 'the follow-up answered in a different context', {
      expected: t.contextId,
      actual: ctxId,
    });
    const got = await ctx.client.get(t.id, { label: 'GetTask after the follow-up' });
    if (got.ok)
      ctx.expect(got.value.contextId === t.contextId, 'the task changed context', {
        expected: t.contextId,
        actual: got.value.contextId,
      });
  },
});

export const contextMismatch = suite.check({
  id: 'tasks.multi-turn.context-mismatch',
  level: 'MUST',
  title: 'A follow-up whose contextId does not match the task is rejected',
  requirement: 'A message whose contextId does not match the context of the referenced task MUST be rejected.',
  specRefs: { '1.0': [{ section: '3.4.3', req: 'S10-13' }] },
  requires: { triggers: ['input-required'] },
  async run(ctx) {
    const t = await inputRequiredTask(ctx);
    const r = await ctx.client.send(
      {
        text: 'for two at eight',
        messageId: randomUUID(),
        taskId: t.id,
        contextId: `conformance-other-${randomUUID()}`,
      },
      { label: 'follow-up with a foreign contextId' },
    );
    expectAnyError(ctx, r, 'follow-up with a mismatched contextId');
  },
});

/** In-task authorization: MUST in 1.0 (§7.6.1), SHOULD in 0.3 (§4.5), so two ids aligned on one scenario. */
const AUTH_REQUIRED_SCENARIO = 'tasks.auth-required.state';

async function judgeAuthRequired(ctx: CheckContext): Promise<void> {
  const reply = await ctx.client.send(ctx.trigger('auth-required'), { label: 'send the `auth-required` trigger' });
  if (!reply.ok) {
    ctx.violated(`the auth-required trigger was answered with an error: ${describeError(reply.error)}`, {
      expected: 'a Task in auth-required',
      actual: describeError(reply.error),
    });
    return;
  }
  if (reply.value.kind !== 'task') {
    ctx.violated('secondary credentials were requested without a Task (a Message came back)', {
      expected: 'a Task in auth-required',
      actual: 'Message',
    });
    return;
  }
  let task = reply.value.task;
  if (task.status.state === 'submitted' || task.status.state === 'working')
    task =
      (await waitForTask(
        ctx,
        task.id,
        (t) => t.status.state === 'auth-required' || isTerminal(t.status.state),
        5000,
      )) ?? task;
  if (
    !ctx.expect(task.status.state === 'auth-required', `the task is in ${task.status.wireState}`, {
      expected: 'auth-required',
      actual: task.status.wireState,
    })
  )
    return;
  const msg = task.status.message;
  ctx.expect(
    Boolean(msg && msg.parts.length > 0),
    'the auth-required status carries no message explaining what is needed',
    { path: '/status/message', expected: 'a status message with at least one part', actual: msg ?? '(absent)' },
  );
  if (msg)
    ctx.expect(msg.role === 'agent', `the status message has role ${msg.role}`, {
      expected: 'agent',
      actual: msg.role,
    });
}

export const authRequired10 = suite.check({
  id: 'tasks.auth-required.state',
  level: 'MUST',
  scenario: AUTH_REQUIRED_SCENARIO,
  title: 'Work that needs further credentials is a Task in auth-required with an explaining status message',
  requirement:
    'If the agent requires additional authorization during a task it MUST track the work as a Task, move it ' +
    'to TASK_STATE_AUTH_REQUIRED and include a status message explaining what is required.',
  specRefs: { '1.0': [{ section: '7.6.1', req: 'S10-44' }] },
  requires: { triggers: ['auth-required'] },
  run: judgeAuthRequired,
});

export const authRequired03 = suite.check({
  id: 'tasks.auth-required.state-0-3',
  level: 'SHOULD',
  scenario: AUTH_REQUIRED_SCENARIO,
  title: '0.3: work that needs secondary credentials moves to auth-required with details in the status message',
  requirement:
    'When secondary credentials are needed the agent SHOULD move the task to auth-required and describe what ' +
    'is required in the status message.',
  specRefs: { '0.3': [{ section: '4.5', req: 'S03-25' }] },
  requires: { triggers: ['auth-required'] },
  run: judgeAuthRequired,
});

/** A task as one operation reported it, for the cross-operation comparison. */
interface Sighting {
  via: string;
  id: string;
  contextId?: string;
  state: string;
}

const sighting = (via: string, t: Task): Sighting => ({
  via,
  id: t.id,
  ...(t.contextId ? { contextId: t.contextId } : {}),
  state: t.status.state,
});

export const crossOperation = suite.check({
  id: 'tasks.consistency.cross-operation',
  level: 'MUST',
  title: 'Send, stream, GetTask and ListTasks describe the same task alike (id, contextId, final state)',
  requirement:
    'A task has one id and one contextId: the contextId a send or stream returns for a task is the one GetTask ' +
    '(and, in 1.0, ListTasks) returns for it, and a terminal state reported by one operation is the state the ' +
    'others report.',
  stance:
    'A task is compared only once it is terminal (its state can no longer change between the calls); a task ' +
    'that does not settle makes the check untestable.',
  specRefs: {
    '0.3': [
      { section: '6.1', req: 'S03-14' },
      { section: '7.3', req: 'S03-13' },
    ],
    '1.0': [
      { section: '3.4.1', req: 'S10-12' },
      { section: '3.1.3', req: 'S10-29' },
    ],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const seen: Sighting[][] = [];
    // Blocking send, followed to its end.
    const { task: sent } = await sendForTask(ctx, 'task', {
      returnImmediately: false,
      timeoutMs: Math.max(5000, ctx.remainingMs() / 3),
    });
    const done = isTerminal(sent.status.state)
      ? sent
      : await waitForTask(ctx, sent.id, (t) => isTerminal(t.status.state), 8000);
    if (!done) return ctx.untestable('the `task` trigger did not reach a terminal state', 'task');
    // The send's own view (its id and contextId), in the state the task settled in.
    seen.push([{ ...sighting('SendMessage', sent), state: done.status.state }]);
    // Streamed: the Task first, then updates; the last state wins.
    if (ctx.card.capabilities.streaming) {
      const s = await ctx.client.stream(ctx.trigger('task'), {
        label: 'stream the `task` trigger',
        idleTimeoutMs: 5000,
      }).done;
      const first = s.events.find((e) => e.item.kind === 'task')?.item;
      if (first?.kind === 'task') {
        let state: string = first.task.status.state;
        let contextId = first.task.contextId;
        for (const e of s.events) {
          if (e.item.kind === 'status-update') {
            state = e.item.update.status.state;
            contextId ||= e.item.update.contextId;
            if (e.item.update.contextId && first.task.contextId && e.item.update.contextId !== first.task.contextId)
              ctx.violated(`a status update of the streamed task names contextId ${e.item.update.contextId}`, {
                expected: first.task.contextId,
                actual: e.item.update.contextId,
              });
          }
        }
        seen.push([{ via: 'SendStreamingMessage', id: first.task.id, ...(contextId ? { contextId } : {}), state }]);
      } else ctx.note('the `task` trigger streamed no Task: the stream is not compared');
    }
    for (const group of seen) {
      const ref = group[0]!;
      const got = await ctx.client.get(ref.id, { label: `GetTask of the task from ${ref.via}` });
      if (!got.ok) {
        ctx.violated(`GetTask of the task ${ref.via} returned (${ref.id}) failed: ${describeError(got.error)}`, {
          expected: 'the task',
          actual: describeError(got.error),
        });
        continue;
      }
      group.push(sighting('GetTask', got.value));
      if (ctx.version === '1.0' && ref.contextId) {
        const l = await ctx.client.list(
          { contextId: ref.contextId, pageSize: 100 },
          { label: 'ListTasks by contextId' },
        );
        if (l.ok) {
          const listed = l.value.tasks.find((t) => t.id === ref.id);
          if (listed) group.push(sighting('ListTasks', listed));
          else
            ctx.violated(`ListTasks for contextId ${ref.contextId} does not list the task ${ref.id} (${ref.via})`, {
              expected: `a list containing ${ref.id}`,
              actual: l.value.tasks.map((t) => t.id),
            });
        } else ctx.note(`ListTasks failed (${describeError(l.error)}): judged by the ListTasks checks`);
      }
      const describe = (x: Sighting) => `${x.via}: ${x.id}, context ${x.contextId ?? '(none)'}, ${x.state}`;
      for (const x of group.slice(1)) {
        if (x.id !== ref.id)
          ctx.violated(`${x.via} returned another task than ${ref.via}`, { expected: ref.id, actual: x.id });
        if (ref.contextId && x.contextId !== ref.contextId)
          ctx.violated(
            `${x.via} reports contextId ${x.contextId ?? '(none)'} for the task ${ref.via} put in ${ref.contextId}`,
            {
              expected: ref.contextId,
              actual: x.contextId ?? '(absent)',
            },
          );
        if (x.state !== ref.state)
          ctx.violated(`${x.via} reports the terminal task in ${x.state}, ${ref.via} in ${ref.state}`, {
            expected: ref.state,
            actual: x.state,
          });
      }
      ctx.note(group.map(describe).join(' · '));
    }
  },
});
