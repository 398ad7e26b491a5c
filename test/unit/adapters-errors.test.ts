/** Error identification and state decoding, table-driven. */
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  errorFromJsonRpc,
  errorFromRest,
  findErrorInfo,
  nameFromJsonRpcCode,
  nameFromReason,
  reasonForName,
} from '../../src/protocol/errors.js';
import { decodeState } from '../../src/protocol/adapters/decode.js';
import { encodeState } from '../../src/protocol/adapters/encode.js';

describe('JSON-RPC codes', () => {
  it('maps every standard and A2A code', () => {
    expect(
      [
        -32700, -32600, -32601, -32602, -32603, -32001, -32002, -32003, -32004, -32005, -32006, -32007, -32008, -32009,
      ].map(nameFromJsonRpcCode),
    ).toEqual([
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
    ]);
    expect(nameFromJsonRpcCode(-32000)).toBeUndefined();
    expect(nameFromJsonRpcCode('-32001')).toBeUndefined();
    expect(Object.keys(ERROR_CODES)).toHaveLength(14);
  });
});

describe('ErrorInfo reasons', () => {
  it('UPPER_SNAKE of the name without Error', () => {
    expect(reasonForName('TaskNotFound')).toBe('TASK_NOT_FOUND');
    expect(reasonForName('PushNotificationNotSupported')).toBe('PUSH_NOTIFICATION_NOT_SUPPORTED');
    expect(reasonForName('ExtendedAgentCardNotConfigured')).toBe('EXTENDED_AGENT_CARD_NOT_CONFIGURED');
    expect(reasonForName('JSONParseError')).toBe('JSON_PARSE');
    expect(reasonForName('InternalError')).toBe('INTERNAL');
  });
  it('reason → name, tolerant of case and an Error suffix', () => {
    expect(nameFromReason('TASK_NOT_CANCELABLE')).toBe('TaskNotCancelable');
    expect(nameFromReason('version_not_supported')).toBe('VersionNotSupported');
    expect(nameFromReason('EXTENSION_SUPPORT_REQUIRED_ERROR')).toBe('ExtensionSupportRequired');
    expect(nameFromReason('AUTHENTICATED_EXTENDED_CARD_NOT_CONFIGURED')).toBe('ExtendedAgentCardNotConfigured');
    expect(nameFromReason('UNAUTHENTICATED')).toBe('Unauthenticated');
    expect(nameFromReason('SOMETHING_ELSE')).toBeUndefined();
    expect(nameFromReason(42)).toBeUndefined();
  });
  it('finds ErrorInfo by @type, by a reason member, or as a single object', () => {
    expect(
      findErrorInfo([
        { '@type': 'type.googleapis.com/google.rpc.BadRequest' },
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'R', domain: 'd' },
      ]),
    ).toEqual({ reason: 'R', domain: 'd' });
    expect(findErrorInfo([{ reason: 'R2' }])).toEqual({ reason: 'R2' });
    expect(findErrorInfo({ reason: 'R3' })).toEqual({ reason: 'R3' });
    expect(findErrorInfo('junk')).toBeUndefined();
  });
});

describe('errorFromJsonRpc / errorFromRest', () => {
  it('never throws on junk', () => {
    expect(errorFromJsonRpc('oops', 200)).toMatchObject({ name: 'Unknown', identifiedBy: 'none' });
    expect(errorFromJsonRpc(null, 403)).toMatchObject({ name: 'PermissionDenied', identifiedBy: 'http-status' });
    expect(errorFromRest(undefined, 502, 'Bad Gateway')).toMatchObject({
      name: 'Unknown',
      identifiedBy: 'none',
      message: 'Bad Gateway',
    });
    expect(errorFromRest([1, 2], 404)).toMatchObject({ name: 'TaskNotFound', identifiedBy: 'http-status' });
  });
  it('REST precedence: ErrorInfo reason > body code > HTTP status', () => {
    const both = { error: { code: -32001, message: 'm', details: [{ reason: 'TASK_NOT_CANCELABLE' }] } };
    expect(errorFromRest(both, 404)).toMatchObject({ name: 'TaskNotCancelable', identifiedBy: 'error-info' });
    expect(errorFromRest({ code: -32004, message: 'm' }, 404)).toMatchObject({
      name: 'UnsupportedOperation',
      identifiedBy: 'rest-body-code',
    });
    // a positive (HTTP) code in the body does not identify anything
    expect(errorFromRest({ error: { code: 400, message: 'bad' } }, 400)).toMatchObject({
      name: 'Unknown',
      identifiedBy: 'none',
      code: 400,
    });
    expect(errorFromRest({ detail: 'problem+json detail', title: 't' }, 401)).toMatchObject({
      name: 'Unauthenticated',
      message: 'problem+json detail',
    });
  });
  it('JSON-RPC precedence: code > ErrorInfo reason > HTTP status', () => {
    expect(errorFromJsonRpc({ code: -32001, data: [{ reason: 'TASK_NOT_CANCELABLE' }] }, 200)).toMatchObject({
      name: 'TaskNotFound',
      identifiedBy: 'jsonrpc-code',
      reason: 'TASK_NOT_CANCELABLE',
    });
    expect(errorFromJsonRpc({ code: -32099, message: 'auth' }, 401)).toMatchObject({
      name: 'Unauthenticated',
      identifiedBy: 'http-status',
      code: -32099,
    });
    expect(errorFromJsonRpc({ code: -32099, message: 'x' }, 200)).toMatchObject({
      name: 'Unknown',
      identifiedBy: 'none',
    });
  });
});

describe('task states', () => {
  it('decodes every spelling', () => {
    const cases: [unknown, string][] = [
      ['completed', 'completed'],
      ['input-required', 'input-required'],
      ['TASK_STATE_INPUT_REQUIRED', 'input-required'],
      ['TASK_STATE_CANCELLED', 'canceled'],
      ['TASK_STATE_CANCELED', 'canceled'],
      ['canceled', 'canceled'],
      ['TASK_STATE_AUTH_REQUIRED', 'auth-required'],
      ['TASK_STATE_UNSPECIFIED', 'unknown'],
      ['unknown', 'unknown'],
      ['nonsense', 'unknown'],
      [5, 'canceled'],
      [undefined, 'unknown'],
      [{}, 'unknown'],
    ];
    for (const [wire, state] of cases) expect(decodeState(wire).state, String(wire)).toBe(state);
    expect(decodeState('TASK_STATE_CANCELLED').wireState).toBe('TASK_STATE_CANCELLED');
  });
  it('encodes per dialect', () => {
    expect(encodeState('canceled', 'jsonrpc-0.3')).toBe('canceled');
    expect(encodeState('canceled', 'proto-0.3')).toBe('TASK_STATE_CANCELLED');
    expect(encodeState('canceled', 'proto-1.0')).toBe('TASK_STATE_CANCELED');
    expect(encodeState('input-required', 'proto-1.0')).toBe('TASK_STATE_INPUT_REQUIRED');
  });
});
