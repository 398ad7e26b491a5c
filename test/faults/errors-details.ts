/**
 * Faults for errors.validation.field-violations. The reference SDK names the failing parameter only in its error
 * message ("message.messageId is required"), with no google.rpc.BadRequest: the baseline emulates an agent that adds
 * one (fieldViolations naming the parameter its message names), and each fault is that agent with one defect.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { Fault, FaultContext } from '../tools/fault-proxy.js';
import { isObj, isRpcEnvelope, type Obj } from './index.js';

const BAD_REQUEST = 'type.googleapis.com/google.rpc.BadRequest';

/** The details list of a 1.0 validation error (JSON-RPC -32602 `error.data`, REST 400 `error.details`). */
function validationError(body: unknown, ctx: FaultContext): { error: Obj; key: 'data' | 'details' } | undefined {
  if (isRpcEnvelope(body) && isObj(body.error) && body.error.code === -32602) return { error: body.error, key: 'data' };
  if (ctx.status === 400 && isObj(body) && isObj(body.error) && body.error.status === 'INVALID_ARGUMENT')
    return { error: body.error, key: 'details' };
  return undefined;
}

/** The parameter the SDK's message names ("message.messageId is required"). */
const namedField = (message: unknown): string | undefined =>
  typeof message === 'string' ? /^([A-Za-z_][\w.]*) is required/.exec(message)?.[1] : undefined;

/** Add a google.rpc.BadRequest to every validation error whose message names a field; `field` rewrites the name. */
function withBadRequest(field: (named: string) => string) {
  return (body: unknown, ctx: FaultContext): unknown => {
    const v = validationError(body, ctx);
    const named = v ? namedField(v.error.message) : undefined;
    if (!v || named === undefined) return undefined;
    const list = Array.isArray(v.error[v.key]) ? (v.error[v.key] as unknown[]) : [];
    v.error[v.key] = [
      ...list,
      { '@type': BAD_REQUEST, fieldViolations: [{ field: field(named), description: String(v.error.message) }] },
    ];
    return body;
  };
}

/** Conformant: validation errors carry a google.rpc.BadRequest naming the parameter (1.0.1 §9.5, §11.6). */
function badRequestEmulation(): Fault {
  return {
    name: 'emulation: validation errors with google.rpc.BadRequest',
    description: 'adds a BadRequest whose fieldViolations name the parameter the error message names',
    json: withBadRequest((f) => f),
  };
}

function withBaseline(f: FaultCase & { baseline: Fault }): FaultCase {
  return f;
}

const COMMON = {
  agent: 'v1' as const,
  protocols: ['1.0' as const],
  bindings: ['jsonrpc' as const, 'rest' as const],
  kills: ['errors.validation.field-violations'],
  grep: ['errors.validation.field-violations'],
  baseline: badRequestEmulation(),
};

export const FAULTS: FaultCase[] = [
  withBaseline({
    ...COMMON,
    name: 'errors-validation-no-bad-request',
    description:
      'A validation error names the failing parameter only in its message, with no google.rpc.BadRequest detail: ' +
      'what the reference SDK does (baseline: an agent that adds a BadRequest naming it).',
    json: (body, ctx) => {
      const v = validationError(body, ctx);
      const list = v ? v.error[v.key] : undefined;
      if (!v || !Array.isArray(list)) return undefined;
      v.error[v.key] = list.filter((d) => !(isObj(d) && d['@type'] === BAD_REQUEST));
      return body;
    },
  }),
  withBaseline({
    ...COMMON,
    name: 'errors-validation-bad-request-wrong-field',
    description:
      "A validation error's google.rpc.BadRequest names another parameter (message.parts) than the one that failed.",
    json: withBadRequest(() => 'message.parts'),
  }),
];
