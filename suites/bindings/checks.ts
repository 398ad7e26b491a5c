/**
 * Suite "bindings": functional equivalence of the declared bindings (0.3 §3.4.1; 1.0 §5.1). Every binding-scoped check
 * already holds each binding to the same rules; these checks compare the bindings' answers with each other: the same
 * request on every declared binding of a version gives the same error, the same kind of result and final state, and
 * the same authentication outcome. Version-scoped (they span bindings); skipped when the version declares fewer than
 * two recognised bindings. What "the same" means is stated per check: the A2A error name (not its encoding), the result
 * kind (Task vs Message), the task's final state and its artifact ids.
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isInterrupted, isTerminal } from '../../src/core/types.js';
import type { Reply, SendOptions } from '../../src/protocol/client.js';
import type { SendResult, Task } from '../../src/protocol/model.js';
import { ordinaryMessage } from '../lib/tasks.js';
import {
  bindingPeers,
  errorSummary,
  isAuthFailure,
  perBinding,
  perBindingObject,
  replySummary,
  type Peer,
} from './peers.js';

const SPEC = { '0.3': [{ section: '3.4.1', req: 'S03-33' }], '1.0': [{ section: '5.1', req: 'S10-43' }] };

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** The comparison key of a reply: the A2A error name, or "success". */
const errorKey = (r: Reply<unknown>) => (r.ok ? 'success' : r.error.name);

export const errors = suite.check({
  id: 'bindings.equivalence.errors',
  level: 'MUST',
  title: 'Every binding answers GetTask and CancelTask of an unknown task with the same A2A error',
  requirement:
    'All declared bindings MUST map errors consistently: GetTask and CancelTask of a task id that does not ' +
    'exist give the same A2A error (e.g. TaskNotFound: -32001 on JSON-RPC, 404 on HTTP+JSON) on every ' +
    'binding.',
  stance:
    "The error is compared by its A2A name, read from each binding's own encoding (JSON-RPC code, ErrorInfo " +
    'reason, REST body code or status); whether it is the right error and correctly encoded is judged per ' +
    'binding by the tasks and errors suites.',
  specRefs: SPEC,
  async run(ctx) {
    const peers = bindingPeers(ctx);
    const id = `conformance-unknown-${randomUUID()}`;
    const ops = [
      { name: 'GetTask', call: (p: Peer) => p.client.get(id, { label: `${p.label}: GetTask of an unknown task id` }) },
      {
        name: 'CancelTask',
        call: (p: Peer) => p.client.cancel(id, { label: `${p.label}: CancelTask of an unknown task id` }),
      },
    ];
    for (const op of ops) {
      const answers: { peer: Peer; reply: Reply<unknown> }[] = [];
      for (const peer of peers) answers.push({ peer, reply: await op.call(peer) });
      const items = answers.map((a) => ({ peer: a.peer, text: replySummary(a.reply) }));
      const unidentified = answers.filter((a) => !a.reply.ok && a.reply.error.name === 'Unknown');
      if (unidentified.length && unidentified.length < answers.length)
        ctx.note(
          `${op.name}: ${unidentified.map((a) => a.peer.label).join(', ')} answered an error the harness cannot ` +
            'identify as an A2A error; it is left out of the comparison',
        );
      const compared =
        unidentified.length < answers.length ? answers.filter((a) => !unidentified.includes(a)) : answers;
      const keys = new Set(compared.map((a) => errorKey(a.reply)));
      if (keys.size > 1) {
        ctx.violated(`${op.name} of an unknown task id is answered differently per binding: ${perBinding(items)}`, {
          expected: 'the same A2A error on every binding (TaskNotFound)',
          actual: perBindingObject(items),
        });
        continue;
      }
      const [only] = [...keys];
      if (only === 'success')
        ctx.note(
          `${op.name} of an unknown task id succeeded on every binding (judged by the tasks suite): ` +
            `${perBinding(items)}`,
        );
      else if (only === 'Unknown')
        ctx.note(
          `${op.name}: no binding's error could be identified as an A2A error, so they are not compared: ` +
            `${perBinding(items)}`,
        );
      else ctx.note(`${op.name}: every binding answers ${only}: ${perBinding(items)}`);
    }
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Results

interface Outcome {
  peer: Peer;
  reply: Reply<SendResult>;
  /** The task as last seen (send result, then GetTask polls), for task results. */
  task?: Task;
  /** Whether the task reached a terminal or interrupted state within the wait. */
  settled?: boolean;
}

const settledState = (t: Task) => isTerminal(t.status.state) || isInterrupted(t.status.state);

/**
 * What is compared of a task's artifacts across bindings: how many there are and the part kinds of each (sorted).
 * Artifact ids are the server's (proto-1.0: "Unique identifier (e.g. UUID) … unique within a task"): two tasks on
 * two bindings may legitimately carry different ones, so ids are only noted.
 */
function artifactSignature(t: Task): { ids: string[]; signature: string } {
  const arts = t.artifacts ?? [];
  const shapes = arts.map((a) => a.parts.map((p) => p.kind).join('+') || '(no parts)').sort();
  return { ids: arts.map((a) => a.artifactId).sort(), signature: JSON.stringify(shapes) };
}

/** Send on one binding and follow a task to a settled state with that binding's GetTask. */
async function sendAndFollow(ctx: CheckContext, peer: Peer, useTask: boolean, waitMs: number): Promise<Outcome> {
  const message = useTask ? ctx.trigger('task') : ordinaryMessage(ctx);
  const reply = await peer.client.send(message, {
    label: `${peer.label}: send the ${useTask ? '`task` trigger' : 'ordinary message'}`,
  });
  if (!reply.ok || reply.value.kind !== 'task') return { peer, reply };
  let task = reply.value.task;
  const deadline = Date.now() + waitMs;
  let delay = 50;
  while (!settledState(task) && Date.now() < deadline && !ctx.signal.aborted) {
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 400);
    const g = await peer.client.get(task.id, { label: `${peer.label}: poll GetTask` });
    if (g.ok)
      task =
        g.value.artifacts === undefined && task.artifacts !== undefined
          ? { ...g.value, artifacts: task.artifacts }
          : g.value;
  }
  return { peer, reply, task, settled: settledState(task) };
}

export const results = suite.check({
  id: 'bindings.equivalence.results',
  level: 'MUST',
  title: 'The same request gives the same kind of result, final state and artifacts on every binding',
  requirement:
    'All declared bindings MUST return semantically equivalent results for the same request: the same ' +
    'trigger (`task`, else an ordinary message) answers with the same kind of result (Task or Message) on ' +
    'every binding and, for a task, reaches the same final state with as many artifacts of the same part kinds.',
  stance:
    "Tasks are followed with each binding's own GetTask until terminal or interrupted; if one does not " +
    'settle in time the comparison of final states is untestable, not failed. Artifact ids are chosen by the ' +
    'server per task (two tasks may carry different ones) and are only noted.',
  specRefs: SPEC,
  async run(ctx) {
    const peers = bindingPeers(ctx);
    const useTask = ctx.hasTrigger('task');
    const what = useTask ? 'the `task` trigger' : 'an ordinary message';
    const waitMs = Math.max(1000, Math.min(15_000, ctx.remainingMs() - 2000));
    const outcomes = await Promise.all(peers.map((p) => sendAndFollow(ctx, p, useTask, waitMs)));
    const kindOf = (o: Outcome) => (o.reply.ok ? o.reply.value.kind : 'error');
    const kinds = outcomes.map((o) => ({
      peer: o.peer,
      text: o.reply.ok
        ? o.reply.value.kind === 'task'
          ? `a Task${o.task ? ` (${o.task.status.wireState})` : ''}`
          : 'a Message'
        : `error ${errorSummary(o.reply.error)}`,
    }));

    if (outcomes.every((o) => !o.reply.ok))
      return ctx.untestable(`${what} failed on every binding (${perBinding(kinds)}); see the send suite`);
    if (new Set(outcomes.map(kindOf)).size > 1) {
      ctx.violated(`${what} is answered with different kinds of result per binding: ${perBinding(kinds)}`, {
        expected: 'the same kind of result (Task or Message) on every binding',
        actual: perBindingObject(kinds),
      });
      return;
    }
    if (kindOf(outcomes[0]!) === 'message') {
      ctx.note(`every binding answers ${what} with a Message`);
      return;
    }

    const unsettled = outcomes.filter((o) => !o.settled);
    const states = outcomes.map((o) => ({
      peer: o.peer,
      text: `${o.task!.status.wireState}${o.settled ? '' : ' (not settled)'}`,
    }));
    if (unsettled.length)
      return ctx.untestable(
        `the task did not reach a final state within ${Math.round(waitMs / 1000)} s on ` +
          `${unsettled.map((o) => o.peer.label).join(', ')}: final states cannot be compared ` +
          `(${perBinding(states)})`,
        useTask ? 'task' : undefined,
      );
    if (new Set(outcomes.map((o) => o.task!.status.state)).size > 1) {
      ctx.violated(`${what} ends in different states per binding: ${perBinding(states)}`, {
        expected: 'the same final state on every binding',
        actual: perBindingObject(states),
      });
    }
    const sigs = outcomes.map((o) => ({ o, ...artifactSignature(o.task!) }));
    const arts = sigs.map((s) => ({
      peer: s.o.peer,
      text: s.ids.length ? `${s.ids.join(', ')} (parts: ${JSON.parse(s.signature).join('; ')})` : '(no artifacts)',
    }));
    if (new Set(sigs.map((s) => s.signature)).size > 1) {
      ctx.violated(`${what} produces different artifacts per binding (count or part kinds): ${perBinding(arts)}`, {
        expected: 'as many artifacts, with the same part kinds, on every binding',
        actual: perBindingObject(arts),
      });
    } else if (new Set(sigs.map((s) => JSON.stringify(s.ids))).size > 1) {
      ctx.note(`artifact ids differ per binding (server-chosen, not compared): ${perBinding(arts)}`);
    }
    ctx.note(`final states: ${perBinding(states)}; artifacts: ${perBinding(arts)}`);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Authentication

export const auth = suite.check({
  id: 'bindings.equivalence.auth',
  level: 'MUST',
  title: 'Every binding authenticates alike: a request without credentials is rejected on all of them',
  requirement:
    'All declared bindings MUST support the same authentication: the configured credentials are accepted on ' +
    'every binding, and the same request without credentials is rejected on every binding alike.',
  stance:
    'Compared is whether the request is rejected, not how (1.0 gives JSON-RPC authentication failures only ' +
    'as "a custom error", §13 C26). A binding where even the authenticated request fails for another reason ' +
    'than authentication is left out (noted). When no binding rejects the request, the bindings are alike; ' +
    'auth.credentials.required reports it.',
  specRefs: SPEC,
  requires: { security: true },
  async run(ctx) {
    const peers = bindingPeers(ctx);
    const probes: { peer: Peer; withCreds: Reply<SendResult>; without: Reply<SendResult> }[] = [];
    for (const peer of peers) {
      const withCreds = await peer.client.send(ordinaryMessage(ctx), {
        label: `${peer.label}: send with the configured credentials`,
      });
      // SendOptions has no withoutCredentials of its own; the adapters pass the call options through (CallOptions).
      const without = await peer.client.send(ordinaryMessage(ctx), {
        label: `${peer.label}: send without credentials`,
        withoutCredentials: true,
      } as SendOptions);
      probes.push({ peer, withCreds, without });
    }
    // The configured credentials themselves: accepted on one binding and refused as unauthenticated on another?
    const credItems = probes.map((p) => ({ peer: p.peer, text: replySummary(p.withCreds) }));
    const credOk = probes.filter((p) => p.withCreds.ok);
    const credRefused = probes.filter((p) => !p.withCreds.ok && isAuthFailure(p.withCreds.error));
    if (credOk.length && credRefused.length) {
      ctx.violated(
        `the configured credentials are accepted on ${credOk.map((p) => p.peer.label).join(', ')} but ` +
          `rejected on ${credRefused.map((p) => p.peer.label).join(', ')}: ${perBinding(credItems)}`,
        { expected: 'the declared scheme accepted on every binding', actual: perBindingObject(credItems) },
      );
    }
    const usable = probes.filter((p) => p.withCreds.ok);
    for (const p of probes.filter((x) => !x.withCreds.ok && !isAuthFailure(x.withCreds.error))) {
      ctx.note(
        `${p.peer.label} left out: the request fails even with the configured credentials ` +
          `(${replySummary(p.withCreds)}), so a rejection there cannot be attributed to authentication`,
      );
    }
    if (usable.length < 2) {
      if (credOk.length && credRefused.length) return;
      return ctx.untestable(
        `fewer than two bindings process the authenticated request (${perBinding(credItems)}): nothing to compare`,
      );
    }
    const items = usable.map((p) => ({
      peer: p.peer,
      text: p.without.ok ? `processed (${replySummary(p.without)})` : `rejected (${errorSummary(p.without.error)})`,
    }));
    const rejected = usable.filter((p) => !p.without.ok);
    if (rejected.length > 0 && rejected.length < usable.length) {
      ctx.violated(
        `a request without credentials is rejected on ${rejected.map((p) => p.peer.label).join(', ')} ` +
          `but processed on ${usable
            .filter((p) => p.without.ok)
            .map((p) => p.peer.label)
            .join(', ')}: ${perBinding(items)}`,
        { expected: 'a rejection on every binding', actual: perBindingObject(items) },
      );
      return;
    }
    if (rejected.length === 0)
      ctx.note(
        `no binding rejects a request without credentials (alike; see auth.credentials.required): ${perBinding(items)}`,
      );
    else ctx.note(`rejected on every binding: ${perBinding(items)}`);
  },
});
