/**
 * gRPC status (+ google.rpc.ErrorInfo in grpc-status-details-bin) → the harness's A2AError. Identification order:
 * ErrorInfo reason, then the status code. A code alone rarely names one error (FAILED_PRECONDITION stands for six),
 * so the error carries every name the code can stand for in `alternatives`; `expectError` accepts any of them.
 */
import type { A2AError, A2AErrorName } from '../protocol/model.js';
import { nameFromReason } from '../protocol/errors.js';
import type { GrpcCallResult } from './call.js';

/** Names a gRPC status code can stand for, over both 1.0 profiles and the 0.3 SDK mappings (first = most likely). */
export const NAMES_BY_GRPC_CODE: Readonly<Record<string, readonly A2AErrorName[]>> = {
  NOT_FOUND: ['TaskNotFound'],
  FAILED_PRECONDITION: [
    'TaskNotCancelable',
    'UnsupportedOperation',
    'PushNotificationNotSupported',
    'ExtendedAgentCardNotConfigured',
    'ExtensionSupportRequired',
    'VersionNotSupported',
  ],
  UNIMPLEMENTED: ['UnsupportedOperation', 'PushNotificationNotSupported', 'VersionNotSupported', 'MethodNotFound'],
  INVALID_ARGUMENT: ['InvalidParams', 'InvalidRequest', 'ContentTypeNotSupported', 'JSONParseError'],
  INTERNAL: ['InternalError', 'InvalidAgentResponse'],
  UNAUTHENTICATED: ['Unauthenticated'],
  PERMISSION_DENIED: ['PermissionDenied'],
};

export function errorFromGrpc(r: GrpcCallResult): A2AError {
  const info = r.statusDetails?.errorInfo;
  const base = {
    httpStatus: 200,
    grpcStatus: r.codeName,
    ...(r.details ? { message: r.details } : {}),
    ...(info?.reason ? { reason: info.reason } : {}),
    ...(info?.domain ? { domain: info.domain } : {}),
    ...(r.statusDetails?.json?.details !== undefined ? { details: r.statusDetails.json.details } : {}),
    // Shaped like a google.rpc.Status in ProtoJSON (`details` = the decoded status details), so the checks that read
    // `details` of a REST error body read the gRPC ones the same way.
    raw: {
      code: r.code,
      status: r.codeName,
      message: r.details,
      ...(r.statusDetails?.json?.details !== undefined ? { details: r.statusDetails.json.details } : {}),
    },
  };
  const byReason = nameFromReason(info?.reason);
  if (byReason) return { name: byReason, identifiedBy: 'error-info', ...base };
  const byCode = NAMES_BY_GRPC_CODE[r.codeName];
  if (byCode?.length)
    return {
      name: byCode[0]!,
      identifiedBy: 'grpc-status',
      ...(byCode.length > 1 ? { alternatives: [...byCode.slice(1)] } : {}),
      ...base,
    };
  return { name: 'Unknown', identifiedBy: 'none', ...base };
}
