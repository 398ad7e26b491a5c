/**
 * errors.validation.field-violations: 1.0 §3.3.2 "Servers SHOULD specify which parameter(s) failed validation and
 * why"; 1.0.1 adds how: well-known google.rpc types SHOULD be used (§3.3.2), google.rpc.BadRequest for validation
 * errors (§9.5 JSON-RPC `error.data`, §11.6 REST `error.details`; §10.6 shows it in the gRPC status details). The
 * check sends a SendMessage whose message lacks the REQUIRED `messageId` and reads the validation error.
 */
import { suite } from './suite.js';
import { isObj, type Obj } from '../../src/core/json.js';
import type { Binding, SpecProfile } from '../../src/core/types.js';
import type { A2AError } from '../../src/protocol/model.js';
import { describeError, describeReply } from '../lib/expect-error.js';
import { ordinaryMessage } from '../lib/tasks.js';

export const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

/** The parameter the probe leaves out (a REQUIRED member of Message in every binding). */
export const BROKEN_FIELD = 'message.messageId';

/**
 * Per spec profile: whether the parameter must be named in a structured google.rpc.BadRequest (1.0.1: well-known
 * types SHOULD be used, §3.3.2, §9.5, §11.6) or the error message naming it is enough (1.0.0 names no detail type
 * for JSON-RPC and REST; its §10.6 BadRequest is an example).
 */
const STRUCTURED: Record<SpecProfile, boolean> = { '1.0.0': false, '1.0.1': true };

/** Bounds on what is read from the target's details. */
const MAX_DETAILS = 32;
const MAX_VIOLATIONS = 64;

export interface FieldViolationView {
  field: string;
  description?: string;
}

/** Every google.rpc.BadRequest in a details list (ProtoJSON Any), and their field violations. */
export function badRequestsIn(details: unknown): { count: number; violations: FieldViolationView[] } {
  const list = Array.isArray(details) ? details.slice(0, MAX_DETAILS) : isObj(details) ? [details] : [];
  let count = 0;
  const violations: FieldViolationView[] = [];
  for (const d of list) {
    if (!isObj(d) || typeof d['@type'] !== 'string' || !/(^|\/)google\.rpc\.BadRequest$/.test(d['@type'])) continue;
    count++;
    const fv = d.fieldViolations ?? d.field_violations;
    if (!Array.isArray(fv)) continue;
    for (const v of fv.slice(0, MAX_VIOLATIONS))
      if (isObj(v) && typeof v.field === 'string')
        violations.push({
          field: v.field,
          ...(typeof v.description === 'string' ? { description: v.description } : {}),
        });
  }
  return { count, violations };
}

/** A target's text, cut for a finding (reports escape it; this only bounds its length). */
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whether a field path or a message names the parameter (any case or separator: messageId, message_id). */
export function namesParameter(text: string, field: string): boolean {
  const leaf = field.split('.').pop() ?? field;
  return squash(text).includes(squash(leaf));
}

export type FieldVerdict =
  | { ok: true; how: string }
  | { ok: false; problem: string; expected: string; actual: unknown };

/** Judge a validation error: does it say which parameter failed, in the form the spec profile asks for? */
export function judgeFieldViolations(
  e: Pick<A2AError, 'details' | 'message'>,
  field: string,
  profile: SpecProfile,
): FieldVerdict {
  const { count, violations } = badRequestsIn(e.details);
  const expected = `a ${BAD_REQUEST_TYPE} detail with fieldViolations[].field naming ${field}`;
  if (violations.some((v) => namesParameter(v.field, field)))
    return {
      ok: true,
      how: `google.rpc.BadRequest names ${clip(violations.map((v) => v.field).join(', '))}`,
    };
  if (violations.length)
    return {
      ok: false,
      problem: `the BadRequest field violations name ${clip(violations.map((v) => v.field).join(', '))}, not ${field}`,
      expected,
      actual: violations.slice(0, 8),
    };
  if (count > 0)
    return {
      ok: false,
      problem: 'the google.rpc.BadRequest detail has no fieldViolations',
      expected,
      actual: e.details,
    };
  const inMessage = typeof e.message === 'string' && namesParameter(e.message, field);
  const said = clip(e.message ?? '');
  if (inMessage && !STRUCTURED[profile]) return { ok: true, how: `the error message names the parameter: "${said}"` };
  return {
    ok: false,
    problem: inMessage
      ? `only the error message names the parameter ("${said}"); there is no google.rpc.BadRequest ` +
        'detail (1.0.1: well-known types SHOULD be used for validation errors)'
      : 'the error says neither in a google.rpc.BadRequest detail nor in its message which parameter failed',
    expected: STRUCTURED[profile] ? expected : `${expected}, or a message naming it`,
    actual: { message: e.message ?? '(none)', details: e.details ?? '(none)' },
  };
}

/** A validation error in any binding: InvalidParams, or the status the bindings give it. */
const isValidationError = (e: A2AError, binding: Binding | undefined): boolean =>
  e.name === 'InvalidParams' || e.grpcStatus === 'INVALID_ARGUMENT' || (binding === 'rest' && e.httpStatus === 400);

export const fieldViolations = suite.check({
  id: 'errors.validation.field-violations',
  level: 'SHOULD',
  title: '1.0: a validation error says which parameter failed (google.rpc.BadRequest fieldViolations)',
  requirement:
    'Servers SHOULD specify which parameter(s) failed validation and why; 1.0.1: with the well-known ' +
    'google.rpc.BadRequest (fieldViolations[].field) in the error details. A SendMessage whose message lacks ' +
    'messageId gets a validation error naming message.messageId.',
  stance:
    'Graded by spec profile: under 1.0.1 (§3.3.2 well-known types SHOULD be used; §9.5, §11.6 BadRequest for ' +
    'validation errors) a message that names the parameter without a BadRequest detail warns; under 1.0.0, which ' +
    'names no detail type for JSON-RPC and REST, the message naming it is enough. Field paths match in any case ' +
    'or separator (message_id). An agent that accepts the message, or answers with another error, is untestable ' +
    '(errors.jsonrpc.invalid-params.missing-message-id judges that on JSON-RPC).',
  specRefs: {
    '1.0': [
      { section: '3.3.2', req: 'S10-x09' },
      { section: '9.5', req: 'S10-x09' },
      { section: '11.6', req: 'S10-x09' },
      { section: '10.6' },
    ],
  },
  async run(ctx) {
    const msg = ordinaryMessage(ctx);
    const enc = ctx.client.encodeMessage(msg) as Obj;
    const params = isObj(enc.params) ? enc.params : enc;
    if (!isObj(params.message)) return ctx.untestable('the adapter encoded no message to leave messageId out of');
    const { messageId: _id, ...broken } = params.message;
    const r = await ctx.client.send(msg, {
      extraParams: { message: broken },
      label: 'SendMessage whose message has no messageId (a validation error)',
    });
    r.exchange.invalidRequest = true;
    if (r.ok)
      return ctx.untestable(
        `the agent accepted a message without messageId (${describeReply(r)}): no validation error to read`,
      );
    if (!isValidationError(r.error, ctx.binding ?? undefined))
      return ctx.untestable(
        `a message without messageId was answered ${describeError(r.error)}, not with a validation error ` +
          '(InvalidParams / 400 / INVALID_ARGUMENT)',
      );
    const v = judgeFieldViolations(r.error, BROKEN_FIELD, ctx.target.specProfile);
    if (v.ok) ctx.note(`${describeError(r.error)}: ${v.how}`);
    else
      ctx.violated(`${describeError(r.error)}: ${v.problem}`, {
        path: ctx.binding === 'jsonrpc' ? '/error/data' : ctx.binding === 'rest' ? '/error/details' : '/details',
        expected: v.expected,
        actual: v.actual,
      });
  },
});
