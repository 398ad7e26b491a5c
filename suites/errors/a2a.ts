/**
 * Suite "errors", A2A errors: each error a black box can be made to produce, judged for its encoding (JSON-RPC code,
 * REST status per spec profile, a message), and the table-driven checks over all of them (1.0 ErrorInfo, typed
 * details, REST status table, google.rpc.Status body; 0.3 REST report). 0.3 §8.2, §3.2.3; 1.0 §3.3.2, §3.3.4, §5.4,
 * §9.5, §11.6.
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Level, ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import { gradedAt } from '../../src/checks/graded-at.js';
import type { Reply } from '../../src/protocol/client.js';
import type { A2AErrorName, PushConfig } from '../../src/protocol/model.js';
import { reasonForName } from '../../src/protocol/errors.js';
import { GRPC_CODE_NAMES } from '../../src/grpc/status.js';
import { describeError, describeReply, expectAnyError, REST_STATUS_10, unnamedOnWire } from '../lib/expect-error.js';
import { completedTask, workingTask } from '../lib/tasks.js';
import {
  cellInterface,
  decodeRaw,
  ERROR_INFO_DOMAIN,
  ERROR_INFO_TYPE,
  errorInfoLevel,
  errorInfoProblems,
  isA2AError,
  isObj,
  judgeA2AError,
  observe,
  unauthenticatedExtendedCard,
  probeId,
  type Obj,
} from '../lib/probe.js';
import {
  mediaTypeProbeGap,
  provokeAll,
  someTaskId,
  UNSUPPORTED_MEDIA_TYPE,
  unsupportedMediaReply,
  type ProvokedRow,
} from './provocations.js';

// ---- one check per provokable error

/**
 * The level of a capability gate per version: 1.0 §3.3.4 makes the error a MUST; 0.3 states the capability only as
 * a precondition of the method (§7.5 "Requires the server to have AgentCard.capabilities.pushNotifications: true",
 * §7.10 "available only if AgentCard.supportsAuthenticatedExtendedCard is true"), not as a duty to reject, so a 0.3
 * server that answers anyway, or with another error, is a warning.
 */
const CAPABILITY_GATE_LEVEL: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

export const taskNotFound = suite.check({
  id: 'errors.task-not-found.encoding',
  level: 'MUST',
  title: 'TaskNotFound is encoded per binding: -32001 / HTTP 404, with a message',
  requirement:
    'An unknown task id yields TaskNotFoundError: JSON-RPC code -32001 with a message; REST HTTP 404 with a ' +
    'JSON error body carrying a message (0.3: 404 is the one portable status).',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-17' },
      { section: '3.2.3', req: 'S03-35' },
    ],
    '1.0': [
      { section: '5.4', req: 'S10-38' },
      { section: '3.3.2', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    judgeA2AError(
      ctx,
      await ctx.client.get(`conformance-missing-${randomUUID()}`, { label: 'GetTask of an unknown id' }),
      'TaskNotFound',
      'GetTask of an unknown id',
    );
  },
});

export const taskNotCancelable = suite.check({
  id: 'errors.task-not-cancelable.encoding',
  level: 'MUST',
  title: 'TaskNotCancelable is encoded per binding and spec profile, with a message',
  requirement:
    'Canceling a completed task yields TaskNotCancelableError: JSON-RPC -32002; REST 1.0 HTTP 409 (1.0.0) or ' +
    '400 (1.0.1); 0.3 REST some 4xx/5xx; always with a message.',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-18' },
      { section: '7.4', req: 'S03-18' },
    ],
    '1.0': [
      { section: '5.4', req: 'S10-38' },
      { section: '3.1.5', req: 'S10-31' },
    ],
  },
  requires: { triggers: ['task'] },
  async run(ctx) {
    const task = await completedTask(ctx);
    judgeA2AError(
      ctx,
      await ctx.client.cancel(task.id, { label: 'CancelTask of the completed task' }),
      'TaskNotCancelable',
      'CancelTask of a completed task',
    );
  },
});

export const pushNotSupported = suite.check({
  id: 'errors.push-not-supported.all-methods',
  level: 'MUST',
  title:
    'Without the pushNotifications capability, all four push-config operations fail with PushNotificationNotSupported',
  requirement:
    'If capabilities.pushNotifications is false or absent, Create, Get, List and Delete of push notification ' +
    'configs MUST return PushNotificationNotSupportedError (-32003; REST 400). 0.3: the methods require the ' +
    'capability, so they should fail with -32003.',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-19' },
      { section: '7.5', req: 'S03-19' },
    ],
    '1.0': [
      { section: '3.3.4', req: 'S10-24' },
      { section: '5.4', req: 'S10-38' },
    ],
  },
  stance:
    '0.3 states the capability as a precondition of the push-config methods (§7.5-§7.8), not as a duty to ' +
    'reject: on 0.3 every breach is a warning.',
  requires: { capabilitiesAbsent: ['pushNotifications'] },
  async run(checkCtx) {
    const ctx = gradedAt(checkCtx, CAPABILITY_GATE_LEVEL[checkCtx.version]);
    const task = await someTaskId(ctx);
    if (!task.real) ctx.note('no `task` trigger: the calls name a task id that does not exist');
    const cfg = 'conformance-config';
    const calls: [string, () => Promise<Reply<unknown>>][] = [
      [
        'create',
        () =>
          ctx.client.createPushConfig(
            task.id,
            { url: 'https://conformance.invalid/webhook', token: 'conformance' },
            { label: 'create push config' },
          ),
      ],
      ['get', () => ctx.client.getPushConfig(task.id, cfg, { label: 'get push config' })],
      ['list', () => ctx.client.listPushConfigs(task.id, { label: 'list push configs' })],
      ['delete', () => ctx.client.deletePushConfig(task.id, cfg, { label: 'delete push config' })],
    ];
    for (const [op, call] of calls) {
      const reply = await call();
      const what =
        `${op} (` +
        `${ctx.client.describe(`${op === 'list' ? 'listPushConfigs' : `${op}PushConfig`}` as 'getPushConfig')}` +
        `)`;
      if (!task.real && !reply.ok && reply.error.name === 'TaskNotFound') {
        ctx.ambiguous(
          `${what} answered TaskNotFound for the made-up task id`,
          'which check comes first (capability or task existence) is not specified; configure the `task` ' +
            'trigger to decide',
          { expected: 'PushNotificationNotSupported', actual: describeError(reply.error) },
        );
        continue;
      }
      judgeA2AError(ctx, reply, 'PushNotificationNotSupported', what);
    }
  },
});

export const extendedCardNotDeclared = suite.check({
  id: 'errors.extended-card.not-declared',
  level: 'MUST',
  title: 'The extended card operation fails when the card does not declare one (1.0: UnsupportedOperation)',
  requirement:
    '1.0: if capabilities.extendedAgentCard is false or absent, GetExtendedAgentCard MUST return ' +
    'UnsupportedOperationError (-32004; REST 400). 0.3: agent/getAuthenticatedExtendedCard is available only ' +
    'when supportsAuthenticatedExtendedCard is true, so it should fail otherwise.',
  specRefs: {
    '0.3': [{ section: '7.10', req: 'S03-22' }],
    '1.0': [
      { section: '3.3.4', req: 'S10-24' },
      { section: '3.1.11', req: 'S10-24' },
    ],
  },
  stance:
    '0.3 §7.10 states supportsAuthenticatedExtendedCard as a precondition ("available only if"), not as a duty ' +
    'to reject: on 0.3 a success or another failure is a warning.',
  requires: { capabilitiesAbsent: ['extendedCard'] },
  async run(checkCtx) {
    const ctx = gradedAt(checkCtx, CAPABILITY_GATE_LEVEL[checkCtx.version]);
    const reply = await ctx.client.extendedCard({ label: `${ctx.client.describe('extendedCard')} (not declared)` });
    if (ctx.version === '1.0') {
      judgeA2AError(ctx, reply, 'UnsupportedOperation', 'extended card not declared');
      return;
    }
    if (expectAnyError(ctx, reply, 'extended card not declared') && !reply.ok)
      ctx.note(`answered ${describeError(reply.error)} (0.3 names no error for this case)`);
  },
});

export const extendedCardDeclared = suite.check({
  id: 'errors.extended-card.declared',
  level: 'MUST',
  title: 'A declared extended card is served, or reported as not configured (-32007), never another error',
  requirement:
    'When the card declares the extended card, the operation returns the extended AgentCard; if the agent ' +
    'has none configured it MUST return ExtendedAgentCardNotConfiguredError (0.3: ' +
    'AuthenticatedExtendedCardNotConfiguredError), -32007 (REST 400 in 1.0), with a message. Authentication ' +
    'failures are judged by the auth suite.',
  stance:
    'Without configured credentials, a card that declares security makes any error other than -32007 ' +
    'untestable: the spec assigns JSON-RPC no code for an authentication failure (§3.3.2 "JSON-RPC custom ' +
    'error", §13 C26), so the rejection cannot be told from a wrong error.',
  specRefs: {
    '0.3': [
      { section: '8.2', req: 'S03-22' },
      { section: '7.10', req: 'S03-22' },
    ],
    '1.0': [
      { section: '3.3.4', req: 'S10-24' },
      { section: '3.1.11', req: 'S10-24' },
      { section: '5.4', req: 'S10-38' },
    ],
  },
  requires: { capabilities: ['extendedCard'] },
  async run(ctx) {
    const reply = await ctx.client.extendedCard({ label: `${ctx.client.describe('extendedCard')} (declared)` });
    if (reply.ok) {
      ctx.note('the extended card was returned (it is configured)');
      return;
    }
    const e = reply.error;
    const unauthenticated = unauthenticatedExtendedCard(ctx, e);
    if (unauthenticated) return ctx.untestable(unauthenticated);
    if (e.name === 'Unauthenticated' || e.name === 'PermissionDenied')
      return ctx.untestable(
        `the extended card requires credentials the target does not accept (${describeError(e)}); configure ` +
          `them in targets.yaml \`headers\``,
      );
    if (e.name !== 'ExtendedAgentCardNotConfigured' && !unnamedOnWire(ctx, e, ['ExtendedAgentCardNotConfigured'])) {
      ctx.violated(`the card declares an extended card, but the operation answered ${describeError(e)}`, {
        expected: 'the extended AgentCard, or ExtendedAgentCardNotConfigured (-32007)',
        actual: describeError(e),
      });
      return;
    }
    judgeA2AError(ctx, reply, 'ExtendedAgentCardNotConfigured', 'extended card declared but not configured');
  },
});

export const contentTypeUnsupported = suite.check({
  id: 'errors.content-type.unsupported',
  level: 'MAY',
  title: 'A part whose media type the card excludes: rejected with ContentTypeNotSupported, or accepted (lenient)',
  requirement:
    'A media type in the message parts that the agent does not support yields ContentTypeNotSupportedError; ' +
    'agents may also be lenient and process the message. Leniency and other rejections are reported.',
  stance:
    'S10-15 is descriptive, not a MUST, and §3.3.2 lists "unsupported content type" among validation errors ' +
    '(-32602): acceptance and other errors are information, not failures. The encoding of a ' +
    'ContentTypeNotSupported answer is judged by errors.content-type.encoding.',
  specRefs: {
    '0.3': [{ section: '8.2', req: 'S03-16' }],
    '1.0': [
      { section: '3.1.1', req: 'S10-15' },
      { section: '3.3.2', req: 'S10-15' },
    ],
  },
  async run(ctx) {
    const gap = mediaTypeProbeGap(ctx);
    if (gap) return ctx.skip(gap);
    const reply = await unsupportedMediaReply(ctx);
    if (reply.ok) {
      observe(
        ctx,
        `agent lenient: a part of media type ${UNSUPPORTED_MEDIA_TYPE} (not in defaultInputModes) was ` +
          `accepted (${describeReply(reply)})`,
      );
      return;
    }
    if (reply.error.name === 'ContentTypeNotSupported') {
      ctx.note(`rejected with ${describeError(reply.error)}`);
      return;
    }
    observe(ctx, `rejected, but not with ContentTypeNotSupported: ${describeError(reply.error)}`);
  },
});

export const contentTypeEncoding = suite.check({
  id: 'errors.content-type.encoding',
  level: 'MUST',
  title: 'When the agent answers ContentTypeNotSupported, it is encoded per binding and profile',
  requirement:
    'ContentTypeNotSupportedError uses JSON-RPC -32005; REST 1.0 HTTP 415 (1.0.0) or 400 (1.0.1); with a ' +
    'message. Recognised by its code or its ErrorInfo reason CONTENT_TYPE_NOT_SUPPORTED.',
  specRefs: {
    '0.3': [{ section: '8.2', req: 'S03-16' }],
    '1.0': [
      { section: '5.4', req: 'S10-38' },
      { section: '3.1.1', req: 'S10-15' },
    ],
  },
  async run(ctx) {
    const gap = mediaTypeProbeGap(ctx);
    if (gap) return ctx.skip(gap);
    const reply = await unsupportedMediaReply(ctx);
    if (reply.ok)
      return ctx.skip('the agent accepted the unsupported media type (lenient): no ContentTypeNotSupported to judge');
    const e = reply.error;
    const claims =
      e.name === 'ContentTypeNotSupported' || e.code === -32005 || /^CONTENT_TYPE_NOT_SUPPORTED$/i.test(e.reason ?? '');
    if (!claims)
      return ctx.skip(
        `the agent rejected the part with another error (${describeError(e)}); see errors.content-type.unsupported`,
      );
    // Identified by one signal, judge all of them against ContentTypeNotSupported.
    judgeA2AError(
      ctx,
      { ...reply, error: { ...e, name: 'ContentTypeNotSupported' } },
      'ContentTypeNotSupported',
      `a part of media type ${UNSUPPORTED_MEDIA_TYPE}`,
    );
  },
});

// ---- table-driven over every provokable error

type ErrorRow = ProvokedRow & { reply: Reply<unknown> & { ok: false } };

/**
 * The provoked rows that produced an error to judge. The first note is a summary (it becomes the pass message);
 * rows that were not provoked are listed after the check has judged the others (call `finish`).
 */
async function errorRows(ctx: CheckContext): Promise<{ rows: ErrorRow[]; finish(): void }> {
  const all = await provokeAll(ctx);
  const rows: ErrorRow[] = [];
  const others: string[] = [];
  for (const r of all) {
    if (r.skipped) others.push(`${r.p.name}: not provoked (${r.skipped})`);
    else if (!r.reply || r.reply.ok)
      others.push(`${r.p.name}: ${r.p.how} succeeded; nothing to judge here (see the ${r.p.name} check)`);
    else rows.push(r as ErrorRow);
  }
  if (rows.length) ctx.note(`judged ${rows.length} provoked error(s): ${rows.map((r) => r.p.name).join(', ')}`);
  return {
    rows,
    finish: () => {
      for (const o of others) ctx.note(o);
    },
  };
}

/** The error the server meant: its own identification when it names another A2A error, else the provoked one. */
function meant(r: ErrorRow): A2AErrorName | undefined {
  const e = r.reply.error;
  if (e.name === r.p.name || e.identifiedBy === 'none' || e.identifiedBy === 'http-status') return r.p.name;
  return undefined;
}

export const errorInfo = suite.check({
  id: 'errors.a2a.error-info',
  level: 'MUST',
  title: '1.0: every A2A error carries google.rpc.ErrorInfo (type, reason, domain)',
  requirement:
    'A2A-specific errors include a google.rpc.ErrorInfo with "@type": ' +
    '"type.googleapis.com/google.rpc.ErrorInfo", reason = the error name in UPPER_SNAKE_CASE without "Error" ' +
    '(e.g. TASK_NOT_FOUND) and domain "a2a-protocol.org": REST `error.details` MUST (§11.6, both profiles); ' +
    'gRPC the `status.details` of grpc-status-details-bin MUST (§10.6); JSON-RPC `error.data` (an array) MUST in ' +
    '1.0.0, SHOULD in 1.0.1 (§9.5).',
  stance:
    "Graded per binding and the target's spec profile: 1.0.1 §9.5 deleted 1.0.0's JSON-RPC MUST and says " +
    'implementations SHOULD use well-known types such as ErrorInfo, so a JSON-RPC error without one is a warning ' +
    'under 1.0.1 and a failure under 1.0.0; REST (§11.6) and gRPC (§10.6) keep the MUST.',
  specRefs: {
    '1.0': [
      { section: '9.5', req: 'S10-37', note: 'JSON-RPC: MUST in 1.0.0, SHOULD in 1.0.1' },
      { section: '10.6', req: 'S10-37' },
      { section: '11.6', req: 'S10-37' },
      { section: '3.3.2', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    const { rows, finish } = await errorRows(ctx);
    let judged = 0;
    for (const r of rows) {
      const e = r.reply.error;
      const name = isA2AError(e.name) ? e.name : meant(r);
      if (!name || !isA2AError(name)) {
        ctx.note(
          `${r.p.name}: the agent answered ${describeError(e)} (not an A2A error; judged by the ${r.p.name} check)`,
        );
        continue;
      }
      judged++;
      const problems = errorInfoProblems(e, ctx.binding!, name);
      for (const p of problems)
        ctx.violatedAt(errorInfoLevel(ctx), `${name} (${r.p.how}): ${p}`, {
          path: ctx.binding === 'jsonrpc' ? '/error/data' : '/error/details',
          expected:
            `[{"@type":"${ERROR_INFO_TYPE}","reason":"${reasonForName(name)}","domain":"${ERROR_INFO_DOMAIN}` + `"}]`,
          actual: (ctx.binding === 'jsonrpc' ? (e.raw as Obj | undefined)?.data : e.details) ?? '(absent)',
        });
      if (!problems.length) ctx.note(`${name}: ErrorInfo reason ${reasonForName(name)} ✓`);
    }
    finish();
    if (judged === 0) return ctx.untestable('no A2A error could be provoked in this cell');
  },
});

/** Raw standard-error probes (not A2A errors) whose details list must also be typed in 1.0.1. */
async function standardErrorProbes(ctx: CheckContext): Promise<{ what: string; details: unknown }[]> {
  if (ctx.binding === 'grpc') return []; // raw HTTP probes; gRPC errors are judged through the provoked rows
  if (ctx.binding === 'jsonrpc') {
    const env = ctx.client.encodeMessage({ messageId: randomUUID(), text: 'x' }) as Obj;
    const { message: _m, ...params } = (isObj(env.params) ? env.params : {}) as Obj;
    const p = decodeRaw(
      await ctx.client.raw({
        method: 'POST',
        body: { ...env, id: probeId(), params },
        label: 'SendMessage without message (InvalidParams)',
      }),
      'jsonrpc',
    );
    return p.error
      ? [{ what: `InvalidParams (${describeError(p.error)})`, details: (p.error.raw as Obj | undefined)?.data }]
      : [];
  }
  const tenant = cellInterface(ctx)?.tenant;
  const p = decodeRaw(
    await ctx.client.raw({
      method: 'POST',
      path: `${tenant ? `/${encodeURIComponent(tenant)}` : ''}/message:send`,
      body: {},
      label: 'POST message:send with an empty body (InvalidParams)',
    }),
    'rest',
  );
  const inner = isObj(p.res.json) && isObj(p.res.json.error) ? p.res.json.error : undefined;
  return p.error ? [{ what: `validation error (${describeError(p.error)})`, details: inner?.details }] : [];
}

export const typedDetails = suite.check({
  id: 'errors.details.typed',
  level: 'MUST',
  title: '1.0.1: every error detail object carries "@type"',
  requirement:
    '1.0.1: error details are an array of objects, each of which MUST include a "@type" key (ProtoJSON Any): ' +
    'JSON-RPC `error.data[]`, REST `error.details[]`, for A2A and standard errors alike.',
  stance:
    'Added by the 1.0.1 patch (1.0.0 showed an untyped object in `data`): judged only for targets on spec ' +
    'profile 1.0.1 (on 1.0.0 the wire audit does not judge the shape of JSON-RPC error.data either).',
  specRefs: {
    '1.0': [
      { section: '3.3.2', req: 'S10-37', note: '1.0.1 wording' },
      { section: '9.5', req: 'S10-37' },
      { section: '11.6', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    if (ctx.target.specProfile !== '1.0.1')
      return ctx.skip(`spec profile ${ctx.target.specProfile}: typed details are a 1.0.1 rule`);
    const { rows: provoked, finish } = await errorRows(ctx);
    const rows = provoked.map((r) => ({
      what: `${r.p.name} (${r.p.how})`,
      details: ctx.binding === 'jsonrpc' ? (r.reply.error.raw as Obj | undefined)?.data : r.reply.error.details,
    }));
    const all = [...rows, ...(await standardErrorProbes(ctx))];
    let seen = 0;
    for (const { what, details } of all) {
      if (details === undefined || details === null) continue;
      seen++;
      if (!Array.isArray(details)) {
        ctx.violated(
          `${what}: details are ${typeof details === 'object' ? 'an object' : typeof details}, not an array`,
          { expected: 'an array of {"@type": ...} objects', actual: details },
        );
        continue;
      }
      const bad = details
        .map((d, i) => [d, i] as const)
        .filter(([d]) => !(isObj(d) && typeof d['@type'] === 'string' && d['@type'] !== ''));
      for (const [d, i] of bad)
        ctx.violated(`${what}: detail [${i}] has no "@type"`, {
          path: `${ctx.binding === 'jsonrpc' ? '/error/data' : '/error/details'}/${i}`,
          expected: 'an object with "@type"',
          actual: d,
        });
      if (!bad.length) ctx.note(`${what}: ${details.length} detail(s), all typed ✓`);
    }
    if (seen === 0) ctx.note('no error carried details (nothing to judge beyond errors.a2a.error-info)');
    finish();
  },
});

export const restStatusTable = suite.check({
  id: 'errors.rest.status-table',
  level: 'MUST',
  bindings: ['rest'],
  title: '1.0 REST: each A2A error uses the HTTP status of the spec profile (table-driven)',
  requirement:
    "A2A errors MUST map to the HTTP statuses of §5.4 for the target's spec profile: 1.0.1 (default) " +
    'TaskNotFound 404, TaskNotCancelable 400, ContentTypeNotSupported 400, InvalidAgentResponse 500, the ' +
    'others 400; 1.0.0 TaskNotCancelable 409, ContentTypeNotSupported 415, InvalidAgentResponse 502.',
  specRefs: {
    '1.0': [
      { section: '5.4', req: 'S10-38', note: 'changed in 1.0.1' },
      { section: '11.6', req: 'S10-38' },
    ],
  },
  async run(ctx) {
    const table = REST_STATUS_10[ctx.target.specProfile];
    let judged = 0;
    const { rows, finish } = await errorRows(ctx);
    for (const r of rows) {
      const e = r.reply.error;
      const name = meant(r);
      if (!name) {
        ctx.note(`${r.p.name}: the agent answered ${describeError(e)}; judged by the ${r.p.name} check`);
        continue;
      }
      const want = table[name];
      if (want === undefined) continue;
      judged++;
      if (
        ctx.expect(
          e.httpStatus === want,
          `${name} (${r.p.how}) is HTTP ${e.httpStatus}, profile ${ctx.target.specProfile} says ${want}`,
          { expected: want, actual: e.httpStatus },
        )
      )
        ctx.note(`${name} → HTTP ${e.httpStatus} ✓`);
    }
    finish();
    if (judged === 0) return ctx.untestable('no A2A error could be provoked in this cell');
  },
});

/**
 * Whether error.status must be present: 1.0.0 §11.6 "the representation specified in AIP-193" (code, status, message,
 * details); 1.0.1 §11.6 maps only code, message and details (status appears in the example only).
 */
const STATUS_FIELD_LEVEL: Record<SpecProfile, Level> = { '1.0.0': 'MUST', '1.0.1': 'SHOULD' };

export const restBodyFormat = suite.check({
  id: 'errors.rest.body-format',
  level: 'MUST',
  bindings: ['rest'],
  title: '1.0 REST: error bodies are google.rpc.Status {error:{code,status,message,details}}, not problem+json',
  requirement:
    'HTTP error responses use the google.rpc.Status JSON representation: {"error": {"code": <the HTTP status>, ' +
    '"message": <string>, "details": [...]}}, with "status": <google.rpc.Code name> (AIP-193; required by 1.0.0, ' +
    'shown in the 1.0.1 example).',
  stance:
    '1.0 §6.4/§6.5 still show application/problem+json; §11.6 and the 1.0.1 explanation make ' +
    'google.rpc.Status normative (wire-formats §13 C3): problem+json is a failure. 1.0.1 §11.6 maps only code, ' +
    'message and details, so an absent error.status is a warning under 1.0.1 (a failure under 1.0.0); a present ' +
    'but invalid one fails.',
  specRefs: {
    '1.0': [
      { section: '11.6', req: 'S10-37' },
      { section: '3.3.2', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    const { rows, finish } = await errorRows(ctx);
    if (rows.length === 0) return ctx.untestable('no A2A error could be provoked in this cell');
    for (const r of rows) {
      const what = `${r.p.name} (${r.p.how})`;
      const status = r.reply.exchange.response?.status ?? r.reply.error.httpStatus;
      const ct = r.reply.exchange.response?.headers['content-type'] ?? '';
      if (/problem\+json/i.test(ct))
        ctx.violated(
          `${what}: Content-Type ${ct}; A2A REST errors are google.rpc.Status JSON, not RFC 9457 problem details`,
          { expected: 'application/json or application/a2a+json', actual: ct },
        );
      const body = r.reply.wire;
      const err = isObj(body) ? body.error : undefined;
      if (!isObj(err)) {
        ctx.violated(`${what}: the body has no "error" object`, {
          path: '/error',
          expected: '{"error": {code, status, message, details}}',
          actual: body ?? r.reply.exchange.response?.body?.text ?? '(empty)',
        });
        continue;
      }
      ctx.expect(
        err.code === status,
        `${what}: error.code is ${JSON.stringify(err.code)}, the HTTP status is ${status}`,
        { path: '/error/code', expected: status, actual: err.code ?? '(absent)' },
      );
      if (err.status === undefined)
        ctx.violatedAt(STATUS_FIELD_LEVEL[ctx.target.specProfile], `${what}: error.status is absent`, {
          path: '/error/status',
          expected: 'a google.rpc.Code name, e.g. NOT_FOUND',
          actual: '(absent)',
        });
      else
        ctx.expect(
          typeof err.status === 'string' && GRPC_CODE_NAMES.includes(err.status),
          `${what}: error.status is ${JSON.stringify(err.status)}, not a google.rpc.Code name`,
          { path: '/error/status', expected: 'e.g. NOT_FOUND, FAILED_PRECONDITION', actual: err.status },
        );
      ctx.expect(typeof err.message === 'string', `${what}: error.message is not a string`, {
        path: '/error/message',
        expected: 'string',
        actual: err.message ?? '(absent)',
      });
      if (err.details !== undefined)
        ctx.expect(Array.isArray(err.details), `${what}: error.details is not an array`, {
          path: '/error/details',
          expected: 'array',
          actual: err.details,
        });
    }
    finish();
  },
});

export const rest03Report = suite.check({
  id: 'errors.rest-03.status-report',
  level: 'MAY',
  bindings: ['rest'],
  title: '0.3 REST: which HTTP status and body each A2A error gets (report)',
  requirement:
    '0.3 REST has no normative status table: errors use "suitable" 4xx/5xx statuses and a consistent JSON ' +
    'error format. TaskNotFound → 404 is judged by errors.task-not-found.encoding; the rest is reported.',
  stance: 'Only 404 for not-found is portable in 0.3 (wire-formats §10.3): everything else is information.',
  specRefs: { '0.3': [{ section: '3.2.3', req: 'S03-35' }] },
  async run(ctx) {
    const { rows, finish } = await errorRows(ctx);
    if (rows.length === 0) return ctx.untestable('no A2A error could be provoked in this cell');
    for (const r of rows) {
      const e = r.reply.error;
      const body = r.reply.wire;
      const line =
        `${r.p.name} (${r.p.how}) → HTTP ${e.httpStatus}` +
        `${e.code !== undefined ? `, body code ${e.code}` : ''}${body === undefined ? ', body not JSON' : ''}`;
      const odd =
        e.httpStatus < 400 ||
        e.httpStatus > 599 ||
        body === undefined ||
        !(typeof e.message === 'string' && e.message.trim());
      if (odd) observe(ctx, `${line}${!(typeof e.message === 'string' && e.message.trim()) ? ', no message' : ''}`);
      else ctx.note(line);
    }
    finish();
  },
});

export const pushConfigMissingUrl = suite.check({
  id: 'errors.push-config.missing-url',
  level: 'MUST',
  title: 'A push notification config without a url is rejected with InvalidParams',
  requirement:
    'PushNotificationConfig.url is REQUIRED and servers MUST validate input parameters: creating a config ' +
    'without `url` MUST be answered with InvalidParams (-32602; REST 400), not stored.',
  stance:
    '§3.3.2 says servers MUST validate all input, but §5.7 says implementations SHOULD reject messages missing ' +
    'required fields: accepting the config is a warning (and the stored config is deleted again); another error ' +
    'than InvalidParams fails.',
  specRefs: {
    '0.3': [
      { section: '7.5', req: 'S03-31' },
      { section: '8.1', req: 'S03-15' },
    ],
    '1.0': [
      { section: '3.1.7', req: 'S10-32' },
      { section: '3.3.2', req: 'S10-09' },
    ],
  },
  requires: { capabilities: ['pushNotifications'], triggers: ['slow'] },
  async run(ctx) {
    const task = await workingTask(ctx);
    // Deliberately not a valid PushConfig: the REQUIRED url is left out.
    const noUrl = { token: 'conformance-no-url' } as Partial<PushConfig> as PushConfig;
    const r = await ctx.client.createPushConfig(task.id, noUrl, { label: 'create a push config without url' });
    // The answer (a config without url, if stored) is judged here, not by the wire audit.
    r.exchange.invalidRequest = true;
    if (r.ok) {
      ctx.ambiguous(
        'a push notification config without url was accepted',
        'servers MUST validate all input (§3.3.2), but required fields SHOULD be validated (§5.7)',
        { expected: 'InvalidParams', actual: describeReply(r) },
      );
      const id = r.value?.id;
      if (id) await ctx.client.deletePushConfig(task.id, id, { label: 'delete the config stored without url' });
      return;
    }
    judgeA2AError(ctx, r, 'InvalidParams', 'push config without url');
  },
});
