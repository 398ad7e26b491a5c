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

/**
 * gRPC status per A2A error for the 1.0 gRPC binding, per spec profile (1.0 §5.4; 1.0.1 moved
 * PushNotificationNotSupported, UnsupportedOperation and VersionNotSupported from UNIMPLEMENTED to
 * FAILED_PRECONDITION).
 */
export const GRPC_STATUS_10: Record<SpecProfile, Partial<Record<A2AErrorName, string>>> = {
  '1.0.0': {
    TaskNotFound: 'NOT_FOUND',
    TaskNotCancelable: 'FAILED_PRECONDITION',
    PushNotificationNotSupported: 'UNIMPLEMENTED',
    UnsupportedOperation: 'UNIMPLEMENTED',
    ContentTypeNotSupported: 'INVALID_ARGUMENT',
    InvalidAgentResponse: 'INTERNAL',
    ExtendedAgentCardNotConfigured: 'FAILED_PRECONDITION',
    ExtensionSupportRequired: 'FAILED_PRECONDITION',
    VersionNotSupported: 'UNIMPLEMENTED',
    InvalidParams: 'INVALID_ARGUMENT',
    InvalidRequest: 'INVALID_ARGUMENT',
    Unauthenticated: 'UNAUTHENTICATED',
    PermissionDenied: 'PERMISSION_DENIED',
  },
  '1.0.1': {
    TaskNotFound: 'NOT_FOUND',
    TaskNotCancelable: 'FAILED_PRECONDITION',
    PushNotificationNotSupported: 'FAILED_PRECONDITION',
    UnsupportedOperation: 'FAILED_PRECONDITION',
    ContentTypeNotSupported: 'INVALID_ARGUMENT',
    InvalidAgentResponse: 'INTERNAL',
    ExtendedAgentCardNotConfigured: 'FAILED_PRECONDITION',
    ExtensionSupportRequired: 'FAILED_PRECONDITION',
    VersionNotSupported: 'FAILED_PRECONDITION',
    InvalidParams: 'INVALID_ARGUMENT',
    InvalidRequest: 'INVALID_ARGUMENT',
    Unauthenticated: 'UNAUTHENTICATED',
    PermissionDenied: 'PERMISSION_DENIED',
  },
};

/** What a binding must show for a named error. `status` undefined = no portable HTTP status to check. */
export function expectedEncoding(
  name: A2AErrorName,
  version: ProtocolVersion,
  binding: Binding,
  profile: SpecProfile,
): { code?: number; status?: number; statusRange?: [number, number]; grpcStatus?: string; grpcError?: true } {
  if (binding === 'jsonrpc') return { code: ERROR_CODES[name] };
  if (binding === 'grpc') {
    // 0.3 names no table (§3.2.2 points at proto annotations that do not exist, §13 C21): NOT_FOUND for a missing
    // task is the only portable code, anything else must at least be a non-OK status.
    if (version === '1.0') {
      const grpcStatus = GRPC_STATUS_10[profile][name];
      return grpcStatus ? { grpcStatus } : { grpcError: true };
    }
    return name === 'TaskNotFound' ? { grpcStatus: 'NOT_FOUND' } : { grpcError: true };
  }
  if (version === '1.0') return { status: REST_STATUS_10[profile][name] };
  // 0.3 REST: no normative table; 404 for not found is the only portable status, anything else is some 4xx/5xx.
  return name === 'TaskNotFound' ? { status: 404 } : { statusRange: [400, 599] };
}

/**
 * Where the spec contradicts itself on which A2A error must be used, the stance for an error other than the named
 * one (a success still fails), per version and binding. 0.3 JSON-RPC: §8.2 "Servers SHOULD use these codes where
 * applicable" against §11.1.5 "MUST use the error codes defined in Section 8".
 */
export const WRONG_ERROR_STANCE: Record<ProtocolVersion, Partial<Record<Binding, string>>> = {
  '0.3': {
    jsonrpc:
      '0.3 §8.2 says servers SHOULD use the A2A error codes where applicable, §11.1.5 says they MUST: an error ' +
      'is returned, so another code is a warning',
    // HTTP+JSON: §3.2.3 "MUST use appropriate HTTP status codes" (404 for not found) is not contested.
  },
  '1.0': {},
};

/**
 * Whether a binding has a portable way to name an A2A error on the wire. 0.3 HTTP+JSON has none (§3.2.3: "appropriate
 * HTTP status codes" and "a consistent JSON format that maps to A2A error types", no field for the type): only 404
 * for not-found is portable (wire-formats §10.3), so an error body naming nothing is judged by its status alone.
 */
export const ERROR_NAMED_ON_WIRE: Record<ProtocolVersion, Record<Binding, boolean>> = {
  '0.3': { jsonrpc: true, rest: false, grpc: true },
  '1.0': { jsonrpc: true, rest: true, grpc: true },
};

/**
 * In a cell whose binding cannot name errors (0.3 HTTP+JSON), an error that names none: identified by nothing, or
 * read as TaskNotFound only from its 404 when another error is expected (a 0.3 server may use 404 for any "not
 * found", e.g. no extended card). Such an answer can be any of the expected errors; only its status is judged.
 */
export function unnamedOnWire(ctx: CheckContext, e: A2AError, expected: A2AErrorName[]): boolean {
  if (!ctx.binding || ERROR_NAMED_ON_WIRE[ctx.version][ctx.binding]) return false;
  if (e.identifiedBy === 'none') return true;
  return e.identifiedBy === 'http-status' && e.name === 'TaskNotFound' && !expected.includes('TaskNotFound');
}

export function describeError(e: A2AError): string {
  const parts = [e.name !== 'Unknown' ? e.name : 'unrecognised error'];
  if (e.code !== undefined) parts.push(`code ${e.code}`);
  parts.push(e.grpcStatus !== undefined ? `gRPC ${e.grpcStatus}` : `HTTP ${e.httpStatus}`);
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
  // A gRPC status without ErrorInfo names a set of errors; any name in it matches (the status is judged below).
  const alt = reply.error.alternatives?.find((n) => names.includes(n));
  const e = alt ? { ...reply.error, name: alt } : reply.error;
  const others = names.filter((n) => n !== 'TaskNotFound');
  if (!names.includes(e.name) && unnamedOnWire(ctx, e, names) && others.length > 0) {
    const ok = ctx.expect(e.httpStatus >= 400 && e.httpStatus <= 599, `${what}: an error must use a 4xx/5xx status`, {
      expected: '4xx or 5xx',
      actual: e.httpStatus,
    });
    if (ok)
      ctx.note(
        `${what}: answered ${describeError(e)}; the body names no A2A error, which 0.3 HTTP+JSON has no field for ` +
          `(only 404 for not-found is portable): accepted as ${others.join(' or ')}`,
      );
    return ok;
  }
  const contested = ctx.binding ? WRONG_ERROR_STANCE[ctx.version][ctx.binding] : undefined;
  if (!names.includes(e.name) && contested) {
    ctx.ambiguous(`${what}: expected ${names.join(' or ')}, got ${describeError(e)}`, contested, {
      expected: names
        .map((n) => `${n}${fmtEnc(expectedEncoding(n, ctx.version, ctx.binding!, ctx.target.specProfile))}`)
        .join(' | '),
      actual: describeError(e),
    });
    return false;
  }
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
  if (enc.grpcStatus !== undefined)
    ok =
      ctx.expect(
        e.grpcStatus === enc.grpcStatus,
        `${what}: ${e.name} must be gRPC ${enc.grpcStatus}` +
          `${ctx.version === '1.0' ? ` (spec profile ${ctx.target.specProfile})` : ''}`,
        { expected: enc.grpcStatus, actual: e.grpcStatus ?? '(no gRPC status)' },
      ) && ok;
  if (enc.grpcError)
    ok =
      ctx.expect(
        e.grpcStatus !== undefined && e.grpcStatus !== 'OK',
        `${what}: an error must use a non-OK gRPC status`,
        {
          expected: 'a non-OK gRPC status',
          actual: e.grpcStatus ?? '(none)',
        },
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

function fmtEnc(enc: { code?: number; status?: number; grpcStatus?: string }): string {
  if (enc.code !== undefined) return ` (${enc.code})`;
  if (enc.grpcStatus !== undefined) return ` (gRPC ${enc.grpcStatus})`;
  return enc.status !== undefined ? ` (HTTP ${enc.status})` : '';
}
