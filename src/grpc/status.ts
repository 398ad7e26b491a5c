/**
 * gRPC status names and the `grpc-status-details-bin` trailer: a google.rpc.Status whose details are
 * google.protobuf.Any messages. Decoded to ProtoJSON for the transcript; the first google.rpc.ErrorInfo is lifted
 * out for error identification. Never throws on a malformed trailer.
 */
import { create, fromBinary, toBinary, toJson } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { grpcRegistry, messageType } from './registry.js';

/** gRPC status code → canonical name. */
export const GRPC_CODE_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

export function grpcCodeName(code: number): string {
  return GRPC_CODE_NAMES[code] ?? `CODE_${code}`;
}

export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

export interface DecodedStatusDetails {
  /** ProtoJSON of the google.rpc.Status (details that cannot be unpacked keep `@type` and the base64 value). */
  json?: Record<string, unknown>;
  code?: number;
  message?: string;
  /** Every detail's type URL, in order. */
  detailTypes: string[];
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  error?: string;
  bytes: number;
}

export function decodeStatusDetails(bin: Uint8Array): DecodedStatusDetails {
  const StatusSchema = messageType('google.rpc.Status');
  const ErrorInfoSchema = messageType('google.rpc.ErrorInfo');
  const registry = grpcRegistry();
  let status: ReturnType<typeof fromBinary>;
  try {
    status = fromBinary(StatusSchema, bin, { readUnknownFields: true, recursionLimit: 16 });
  } catch (e) {
    return { detailTypes: [], error: `not a google.rpc.Status: ${(e as Error).message}`, bytes: bin.length };
  }
  const s = status as unknown as {
    code: number;
    message: string;
    details: { $typeName: 'google.protobuf.Any'; typeUrl: string; value: Uint8Array }[];
  };
  const details: unknown[] = [];
  let errorInfo: DecodedStatusDetails['errorInfo'];
  for (const any of s.details) {
    let unpacked: unknown;
    try {
      const m = anyUnpack(any, registry);
      if (m) {
        const desc = registry.getMessage(m.$typeName);
        unpacked = desc ? { '@type': any.typeUrl, ...(toJson(desc, m, { registry }) as object) } : undefined;
        if (!errorInfo && m.$typeName === ErrorInfoSchema.typeName) {
          const ei = m as unknown as { reason: string; domain: string; metadata: Record<string, string> };
          errorInfo = { reason: ei.reason, domain: ei.domain, metadata: { ...ei.metadata } };
        }
      }
    } catch {
      unpacked = undefined;
    }
    details.push(unpacked ?? { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') });
  }
  return {
    json: { code: s.code, message: s.message, ...(details.length ? { details } : {}) },
    code: s.code,
    message: s.message,
    detailTypes: s.details.map((d) => d.typeUrl),
    ...(errorInfo ? { errorInfo } : {}),
    bytes: bin.length,
  };
}

/** Encode a google.rpc.Status with an optional ErrorInfo detail (fault tooling and tests build trailers with it). */
export function encodeStatusDetails(s: {
  code: number;
  message: string;
  errorInfo?: { reason: string; domain: string; metadata?: Record<string, string> };
}): Buffer {
  const StatusSchema = messageType('google.rpc.Status');
  const ErrorInfoSchema = messageType('google.rpc.ErrorInfo');
  const details = s.errorInfo
    ? [anyPack(ErrorInfoSchema, create(ErrorInfoSchema, { ...s.errorInfo, metadata: s.errorInfo.metadata ?? {} }))]
    : [];
  return Buffer.from(toBinary(StatusSchema, create(StatusSchema, { code: s.code, message: s.message, details })));
}
