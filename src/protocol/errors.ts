/**
 * Error identification: JSON-RPC codes, 1.0 google.rpc.ErrorInfo reasons, 0.3 REST body codes and HTTP statuses
 * → A2AErrorName, recording how the name was derived. Lenient: never throws on malformed error documents.
 */
import { isObj } from '../core/json.js';
import type { Binding } from '../core/types.js';
import type { A2AError, A2AErrorName } from './model.js';

/** JSON-RPC error code of each named error (standard JSON-RPC codes and A2A codes, both versions). */
export const ERROR_CODES: Readonly<Partial<Record<A2AErrorName, number>>> = {
  JSONParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  TaskNotFound: -32001,
  TaskNotCancelable: -32002,
  PushNotificationNotSupported: -32003,
  UnsupportedOperation: -32004,
  ContentTypeNotSupported: -32005,
  InvalidAgentResponse: -32006,
  ExtendedAgentCardNotConfigured: -32007, // 0.3: AuthenticatedExtendedCardNotConfiguredError
  ExtensionSupportRequired: -32008, // 1.0 only
  VersionNotSupported: -32009, // 1.0 only
};

const NAME_BY_CODE: ReadonlyMap<number, A2AErrorName> = new Map(
  Object.entries(ERROR_CODES).map(([name, code]) => [code as number, name as A2AErrorName]),
);

/** Name for a JSON-RPC error code, or undefined for codes A2A does not define. */
export function nameFromJsonRpcCode(code: unknown): A2AErrorName | undefined {
  return typeof code === 'number' ? NAME_BY_CODE.get(code) : undefined;
}

/** UPPER_SNAKE_CASE of the name without the `Error` suffix (1.0 §9.5): TaskNotFound → TASK_NOT_FOUND. */
export function reasonForName(name: A2AErrorName): string {
  const base = name === 'JSONParseError' ? 'JSONParse' : name === 'InternalError' ? 'Internal' : name;
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

const ALL_NAMES: readonly A2AErrorName[] = [
  'JSONParseError',
  'InvalidRequest',
  'MethodNotFound',
  'InvalidParams',
  'InternalError',
  'TaskNotFound',
  'TaskNotCancelable',
  'PushNotificationNotSupported',
  'UnsupportedOperation',
  'ContentTypeNotSupported',
  'InvalidAgentResponse',
  'ExtendedAgentCardNotConfigured',
  'ExtensionSupportRequired',
  'VersionNotSupported',
  'Unauthenticated',
  'PermissionDenied',
];

const NAME_BY_REASON: ReadonlyMap<string, A2AErrorName> = new Map<string, A2AErrorName>([
  ...ALL_NAMES.map((n) => [reasonForName(n), n] as [string, A2AErrorName]),
  // Aliases seen in the wild / older spellings.
  ['AUTHENTICATED_EXTENDED_CARD_NOT_CONFIGURED', 'ExtendedAgentCardNotConfigured'],
  ['JSON_PARSE_ERROR', 'JSONParseError'],
  ['PARSE_ERROR', 'JSONParseError'],
  ['INTERNAL_ERROR', 'InternalError'],
  ['INVALID_ARGUMENT', 'InvalidParams'],
  ['TASK_NOT_CANCELLABLE', 'TaskNotCancelable'],
]);

/** Name for an ErrorInfo `reason` (case-insensitive, `Error` suffix tolerated), or undefined. */
export function nameFromReason(reason: unknown): A2AErrorName | undefined {
  if (typeof reason !== 'string' || reason === '') return undefined;
  const r = reason.trim().toUpperCase().replace(/[-\s]/g, '_');
  return NAME_BY_REASON.get(r) ?? NAME_BY_REASON.get(r.replace(/_ERROR$/, ''));
}

/** Name by HTTP status alone. 404 → TaskNotFound only for REST (a JSON-RPC 404 means a wrong URL). */
export function nameFromHttpStatus(status: number, binding: Binding): A2AErrorName | undefined {
  if (status === 401) return 'Unauthenticated';
  if (status === 403) return 'PermissionDenied';
  if (status === 404 && binding === 'rest') return 'TaskNotFound';
  return undefined;
}

export interface ErrorInfoView {
  reason?: string;
  domain?: string;
  metadata?: unknown;
}

/**
 * Finds a google.rpc.ErrorInfo in a details list (JSON-RPC `error.data`, REST `error.details`): an item whose
 * `@type` ends with `google.rpc.ErrorInfo`, or else any item carrying a string `reason`. Accepts a single object too
 * (1.0.0's own example put an object in `data`).
 */
export function findErrorInfo(details: unknown): ErrorInfoView | undefined {
  const list = Array.isArray(details) ? details : isObj(details) ? [details] : [];
  const objs = list.filter(isObj);
  const typed = objs.find(
    (d) => typeof d['@type'] === 'string' && (d['@type'] as string).endsWith('google.rpc.ErrorInfo'),
  );
  const hit = typed ?? objs.find((d) => typeof d.reason === 'string');
  if (!hit) return undefined;
  return {
    ...(typeof hit.reason === 'string' ? { reason: hit.reason } : {}),
    ...(typeof hit.domain === 'string' ? { domain: hit.domain } : {}),
    ...(hit.metadata !== undefined ? { metadata: hit.metadata } : {}),
  };
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/**
 * A JSON-RPC `error` member → A2AError. Identification order: JSON-RPC code, ErrorInfo reason in `data`,
 * HTTP status (401/403), otherwise Unknown.
 */
export function errorFromJsonRpc(error: unknown, httpStatus: number): A2AError {
  if (!isObj(error)) {
    const byStatus = nameFromHttpStatus(httpStatus, 'jsonrpc');
    return {
      name: byStatus ?? 'Unknown',
      identifiedBy: byStatus ? 'http-status' : 'none',
      httpStatus,
      message: 'JSON-RPC `error` is not an object',
      raw: error,
    };
  }
  const code = typeof error.code === 'number' ? error.code : undefined;
  const info = findErrorInfo(error.data);
  const base = {
    ...(code !== undefined ? { code } : {}),
    httpStatus,
    ...(str(error.message) !== undefined ? { message: str(error.message) } : {}),
    ...(info?.reason !== undefined ? { reason: info.reason } : {}),
    ...(info?.domain !== undefined ? { domain: info.domain } : {}),
    ...(error.data !== undefined ? { details: error.data } : {}),
    raw: error,
  };
  const byCode = nameFromJsonRpcCode(code);
  if (byCode) return { name: byCode, identifiedBy: 'jsonrpc-code', ...base };
  const byReason = nameFromReason(info?.reason);
  if (byReason) return { name: byReason, identifiedBy: 'error-info', ...base };
  const byStatus = nameFromHttpStatus(httpStatus, 'jsonrpc');
  if (byStatus) return { name: byStatus, identifiedBy: 'http-status', ...base };
  return { name: 'Unknown', identifiedBy: 'none', ...base };
}

/**
 * A REST error response → A2AError. Accepts the 1.0 google.rpc.Status wrapper (`{error:{code,status,message,
 * details}}`), the a2a-js 0.3 body (`{code,message,data}` with a JSON-RPC code), a2a-python 0.3 (`{message}`),
 * problem+json, or anything else. Identification order: ErrorInfo reason, JSON-RPC-range code in the body,
 * HTTP status (404/401/403), otherwise Unknown.
 */
export function errorFromRest(body: unknown, httpStatus: number, text?: string): A2AError {
  const inner = isObj(body) && isObj(body.error) ? body.error : isObj(body) ? body : undefined;
  const details = inner ? (inner.details ?? inner.data) : undefined;
  const info = findErrorInfo(details);
  const rawCode = inner && typeof inner.code === 'number' ? inner.code : undefined;
  const message =
    (inner &&
      (str(inner.message) ??
        str(inner.detail) ??
        str(inner.title) ??
        (typeof inner.error === 'string' ? inner.error : undefined))) ??
    (body === undefined && text ? text.slice(0, 500) : undefined);
  const base = {
    ...(rawCode !== undefined ? { code: rawCode } : {}),
    httpStatus,
    ...(message !== undefined ? { message } : {}),
    ...(info?.reason !== undefined ? { reason: info.reason } : {}),
    ...(info?.domain !== undefined ? { domain: info.domain } : {}),
    ...(details !== undefined ? { details } : {}),
    raw: body ?? text,
  };
  const byReason = nameFromReason(info?.reason);
  if (byReason) return { name: byReason, identifiedBy: 'error-info', ...base };
  const byCode = rawCode !== undefined && rawCode < 0 ? nameFromJsonRpcCode(rawCode) : undefined;
  if (byCode) return { name: byCode, identifiedBy: 'rest-body-code', ...base };
  const byStatus = nameFromHttpStatus(httpStatus, 'rest');
  if (byStatus) return { name: byStatus, identifiedBy: 'http-status', ...base };
  return { name: 'Unknown', identifiedBy: 'none', ...base };
}

/** An error identified by nothing but the HTTP exchange (non-JSON bodies, missing envelopes...). */
export function errorFromHttp(httpStatus: number, binding: Binding, message: string, raw?: unknown): A2AError {
  const byStatus = nameFromHttpStatus(httpStatus, binding);
  return {
    name: byStatus ?? 'Unknown',
    identifiedBy: byStatus ? 'http-status' : 'none',
    httpStatus,
    message,
    ...(raw !== undefined ? { raw } : {}),
  };
}
