/**
 * One place that knows how each binding and spec profile encodes a named error, so scenarios only say
 * "this must be TaskNotFound". JSON-RPC: the code (both versions). REST 1.0: the HTTP status of the profile
 * (1.0.0 vs 1.0.1, §10.3 / 1.0 §5.4) plus ErrorInfo; REST 0.3: only 404 for not-found is portable (§10.3).
 */
import type { Binding, ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Reply } from '../../src/protocol/client.js';
import type { A2AError, A2AErrorName } from '../../src/protocol/model.js';
import { ERROR_CODES } from '../../src/protocol/errors.js';

/** HTTP status per A2A error for the 1.0 REST binding, per spec profile (1.0 §5.4; changed in 1.0.1). */
export const REST_STATUS_10: Record<SpecProfile, Partial<Record<A2AErrorName, number>>> = {
  '1.0.0': {
    TaskNotFound: 404,
    TaskNotCancelable: 409,
    PushNotificationNotSupported: 400,
    UnsupportedOperation: 400,
    ContentTypeNotSupported: 415,
    InvalidAgentResponse: 502,
    ExtendedAgentCardNotConfigured: 400,
    ExtensionSupportRequired: 400,
    VersionNotSupported: 400,
    InvalidParams: 400,
    InvalidRequest: 400,
    JSONParseError: 400,
    Unauthenticated: 401,
    PermissionDenied: 403,
  },
  '1.0.1': {
    TaskNotFound: 404,
    TaskNotCancelable: 400,
    PushNotificationNotSupported: 400,
    UnsupportedOperation: 400,
    ContentTypeNotSupported: 400,
    InvalidAgentResponse: 500,
    ExtendedAgentCardNotConfigured: 400,
    ExtensionSupportRequired: 400,
    VersionNotSupported: 400,
    InvalidParams: 400,
    InvalidRequest: 400,
    JSONParseError: 400,
    Unauthenticated: 401,
    PermissionDenied: 403,
  },
};

/** What a binding must show for a named error. `status` undefined = no portable HTTP status to check. */
export function expectedEncoding(
  name: A2AErrorName,
  version: ProtocolVersion,
  binding: Binding,
  profile: SpecProfile,
): { code?: number; status?: number; statusRange?: [number, number] } {
  if (binding === 'jsonrpc') return { code: ERROR_CODES[name] };
  if (version === '1.0') return { status: REST_STATUS_10[profile][name] };
  // 0.3 REST: no normative table; 404 for not found is the only portable status, anything else is some 4xx/5xx.
  return name === 'TaskNotFound' ? { status: 404 } : { statusRange: [400, 599] };
}

export function describeError(e: A2AError): string {
  const parts = [e.name !== 'Unknown' ? e.name : 'unrecognised error'];
  if (e.code !== undefined) parts.push(`code ${e.code}`);
  parts.push(`HTTP ${e.httpStatus}`);
  if (e.reason) parts.push(`reason ${e.reason}`);
  if (e.message) parts.push(`"${e.message.slice(0, 160)}"`);
  return parts.join(', ');
}

export function describeReply(r: Reply<unknown>): string {
  if (!r.ok) return `error: ${describeError(r.error)}`;
  const v = r.value as {
    kind?: string;
    task?: { status?: { wireState?: string } };
    status?: { wireState?: string };
  } | null;
  if (v && typeof v === 'object' && 'status' in v && v.status) return `success: Task in ${v.status.wireState}`;
  if (v?.kind === 'task') return `success: Task in ${v.task?.status?.wireState}`;
  if (v?.kind === 'message') return 'success: Message';
  return 'success';
}

/**
 * Judge a reply that must be the named error. Returns true when it is. A wrong error or a success is a
 * violation; for REST the status is checked against the profile's table (ErrorInfo is judged by the errors suite).
 */
export function expectError(
  ctx: CheckContext,
  reply: Reply<unknown>,
  name: A2AErrorName | A2AErrorName[],
  what: string,
): boolean {
  const names = Array.isArray(name) ? name : [name];
  if (reply.ok) {
    ctx.violated(`${what}: expected ${names.join(' or ')}, but the call succeeded`, {
      expected: names.join(' | '),
      actual: describeReply(reply),
    });
    return false;
  }
  const e = reply.error;
  if (!names.includes(e.name)) {
    ctx.violated(`${what}: expected ${names.join(' or ')}, got ${describeError(e)}`, {
      expected: names
        .map((n) => `${n}${fmtEnc(expectedEncoding(n, ctx.version, ctx.binding!, ctx.target.specProfile))}`)
        .join(' | '),
      actual: describeError(e),
    });
    return false;
  }
  // Every encoding rule is judged (not only the first broken one), so one run shows all that is wrong.
  const enc = expectedEncoding(e.name, ctx.version, ctx.binding!, ctx.target.specProfile);
  let ok = true;
  if (enc.code !== undefined)
    ok =
      ctx.expect(e.code === enc.code, `${what}: ${e.name} must use JSON-RPC code ${enc.code}`, {
        path: '/error/code',
        expected: enc.code,
        actual: e.code ?? '(absent)',
      }) && ok;
  if (enc.status !== undefined)
    ok =
      ctx.expect(
        e.httpStatus === enc.status,
        `${what}: ${e.name} must be HTTP ${enc.status}` +
          `${ctx.version === '1.0' ? ` (spec profile ${ctx.target.specProfile})` : ''}`,
        { expected: enc.status, actual: e.httpStatus },
      ) && ok;
  if (enc.statusRange)
    ok =
      ctx.expect(
        e.httpStatus >= enc.statusRange[0] && e.httpStatus <= enc.statusRange[1],
        `${what}: an error must use a 4xx/5xx status`,
        { expected: '4xx or 5xx', actual: e.httpStatus },
      ) && ok;
  return ok;
}

/** Any error at all (0.3 rules that name no code). */
export function expectAnyError(ctx: CheckContext, reply: Reply<unknown>, what: string): boolean {
  if (reply.ok) {
    ctx.violated(`${what}: expected an error, but the call succeeded`, {
      expected: 'an error',
      actual: describeReply(reply),
    });
    return false;
  }
  return true;
}

function fmtEnc(enc: { code?: number; status?: number }): string {
  return enc.code !== undefined ? ` (${enc.code})` : enc.status !== undefined ? ` (HTTP ${enc.status})` : '';
}
