/**
 * Faults on the gRPC binding, applied by the gRPC half of the fault proxy (test/tools/grpc-fault-proxy.ts): decoded,
 * edited and re-encoded messages, statuses, trailers and metadata. One per rule of the grpc suite, plus the gRPC
 * cells of rules every binding shares (status code per spec profile, ErrorInfo, streams, results).
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { GrpcFaultContext, GrpcStatusEdit } from '../tools/grpc-fault-proxy.js';
import { FAULT_BEARER_TOKEN } from './auth.js';
import { isObj } from './index.js';

const GRPC = ['grpc' as const];
const UNIMPLEMENTED = 12;
const INTERNAL = 13;
const FAILED_PRECONDITION = 9;

/** The agent of the auth faults: bearer authentication, credentials in the target's headers. */
const AUTH_AGENT = {
  agent: 'v1' as const,
  agentOptions: { bearerToken: FAULT_BEARER_TOKEN, extendedCard: true },
  targetHeaders: { Authorization: `Bearer ${FAULT_BEARER_TOKEN}` },
};
const UNAUTHENTICATED = 16;
const INVALID_ARGUMENT = 3;

const is = (method: string) => (ctx: GrpcFaultContext) => ctx.method === method;

/** A proto field this message type does not define: number 4242, wire type 2, bytes "x". */
const UNKNOWN_FIELD = Buffer.from([0x92, 0x89, 0x02, 0x01, 0x78]);

export const FAULTS: FaultCase[] = [
  {
    name: 'grpc-method-missing',
    description:
      'gRPC: GetTaskPushNotificationConfig answers UNIMPLEMENTED "The server does not implement the method" (a ' +
      'server whose service lacks one method).',
    agent: 'v1',
    kills: ['grpc.service.methods'],
    grep: ['grpc.service.methods'],
    bindings: GRPC,
    grpcIntercept: (ctx) =>
      ctx.method === 'GetTaskPushNotificationConfig'
        ? {
            status: {
              code: UNIMPLEMENTED,
              details: `The server does not implement the method ${ctx.path}`,
              trailers: {},
            },
          }
        : undefined,
  },
  {
    name: 'grpc-wrong-service',
    description:
      'gRPC 1.0: the interface does not serve lf.a2a.v1.A2AService (every call: UNIMPLEMENTED "unknown service"), ' +
      'as a server still on the 0.3 service name would answer.',
    agent: 'v1',
    kills: ['card.interfaces.answer', 'grpc.service.methods'],
    protocols: ['1.0'],
    grpcIntercept: (ctx) =>
      ctx.pkg === 'lf.a2a.v1'
        ? { status: { code: UNIMPLEMENTED, details: `unknown service ${ctx.pkg}.A2AService`, trailers: {} } }
        : undefined,
  },
  {
    name: 'grpc-version-metadata-ignored',
    description:
      'gRPC 1.0: the server does not read A2A-Version from metadata (a gateway that drops it: every call arrives ' +
      'as a2a-version 1.0), so a2a-version: 99.0 is served.',
    agent: 'v1',
    kills: ['grpc.metadata.version'],
    protocols: ['1.0'],
    bindings: GRPC,
    grpcRequest: (req, ctx) =>
      ctx.pkg === 'lf.a2a.v1' ? { ...req, metadata: { ...req.metadata, 'a2a-version': '1.0' } } : req,
  },
  {
    name: 'grpc-stream-ends-internal',
    description: 'gRPC: a SendStreamingMessage that completed normally ends with INTERNAL instead of OK.',
    agent: 'v1',
    kills: ['grpc.stream.ends-ok'],
    bindings: GRPC,
    grpcStatus: (st, ctx) =>
      ctx.method === 'SendStreamingMessage' && st.code === 0
        ? { ...st, code: INTERNAL, details: 'stream reset by the gateway' }
        : st,
  },
  {
    name: 'grpc-unknown-field-in-task',
    description: 'gRPC: every GetTask response carries a field the proto does not define (number 4242).',
    agent: 'v1',
    kills: ['grpc.wire.known-fields'],
    grep: ['grpc.wire.known-fields', 'grpc.service.methods', 'tasks.get.returns-task'],
    bindings: GRPC,
    grpcMessage: (json, ctx) => (ctx.method === 'GetTask' ? [encodeWithUnknown(json, ctx)] : undefined),
  },
  {
    name: 'grpc-card-url-undialable',
    description: 'Card: the gRPC interface URL is "tcp://…" (no scheme gRPC can use).',
    agent: 'v1',
    kills: ['grpc.card.interface-url'],
    grep: ['grpc.card.interface-url'],
    card: (card) => {
      const rewrite = (i: unknown, key: string) => {
        if (isObj(i) && String(i[key]).toUpperCase() === 'GRPC' && typeof i.url === 'string')
          i.url = i.url.replace(/^https?:/, 'tcp:');
      };
      for (const i of (card.supportedInterfaces as unknown[] | undefined) ?? []) rewrite(i, 'protocolBinding');
      for (const i of (card.additionalInterfaces as unknown[] | undefined) ?? []) rewrite(i, 'transport');
      return card;
    },
  },
  {
    name: 'grpc-tls-declared-plaintext-served',
    description: 'Card: the gRPC interface is declared https:// (TLS) but the server speaks plaintext.',
    agent: 'v1',
    kills: ['grpc.transport.tls'],
    grep: ['grpc.transport.tls'],
    bindings: GRPC,
    card: (card) => {
      for (const i of (card.supportedInterfaces as unknown[] | undefined) ?? [])
        if (isObj(i) && i.protocolBinding === 'GRPC' && typeof i.url === 'string')
          i.url = i.url.replace(/^http:/, 'https:');
      for (const i of (card.additionalInterfaces as unknown[] | undefined) ?? [])
        if (isObj(i) && i.transport === 'GRPC' && typeof i.url === 'string') i.url = i.url.replace(/^http:/, 'https:');
      return card;
    },
  },
  {
    name: 'grpc-task-not-found-internal',
    description: 'gRPC: TaskNotFound is sent as INTERNAL (ErrorInfo TASK_NOT_FOUND kept) instead of NOT_FOUND.',
    agent: 'v1',
    kills: ['errors.task-not-found.encoding'],
    grep: ['errors.task-not-found.encoding'],
    bindings: GRPC,
    grpcStatus: (st) => (st.code === 5 ? { ...st, code: INTERNAL } : st),
  },
  {
    name: 'grpc-error-info-dropped',
    description: 'gRPC 1.0: errors carry no grpc-status-details-bin (no google.rpc.Status, no ErrorInfo).',
    agent: 'v1',
    kills: ['errors.a2a.error-info'],
    grep: ['errors.a2a.error-info'],
    protocols: ['1.0'],
    bindings: GRPC,
    grpcStatus: (st) => dropDetails(st),
  },
  {
    name: 'grpc-unsupported-operation-1-0-0-code',
    description:
      'gRPC 1.0: UnsupportedOperation uses UNIMPLEMENTED (the spec-profile 1.0.0 code) where 1.0.1 requires ' +
      'FAILED_PRECONDITION; the harness runs the 1.0.1 profile.',
    agent: 'v1',
    kills: ['errors.extended-card.not-declared'],
    grep: ['errors.extended-card.not-declared'],
    protocols: ['1.0'],
    bindings: GRPC,
    grpcStatus: (st, ctx) =>
      ctx.method === 'GetExtendedAgentCard' && st.code === FAILED_PRECONDITION ? { ...st, code: UNIMPLEMENTED } : st,
  },
  {
    name: 'grpc-stream-left-open',
    description: 'gRPC: a task stream is never completed after its terminal event (no status, the call hangs).',
    agent: 'v1',
    kills: ['stream.task.closes-after-terminal'],
    grep: ['stream.task.closes-after-terminal'],
    bindings: GRPC,
    grpcStatus: (st, ctx) => (ctx.method === 'SendStreamingMessage' && st.code === 0 ? { ...st, hang: true } : st),
  },
  {
    name: 'grpc-agent-message-as-user',
    description: 'gRPC: a direct Message reply to SendMessage has role ROLE_USER.',
    agent: 'v1',
    kills: ['send.message.agent-role'],
    grep: ['send.message.agent-role'],
    bindings: GRPC,
    grpcMessage: (json, ctx) => {
      if (!is('SendMessage')(ctx) || !isObj(json) || !isObj(json.message)) return undefined;
      return { ...json, message: { ...json.message, role: 'ROLE_USER' } };
    },
  },
  {
    name: 'grpc-auth-rejection-invalid-argument',
    description: 'gRPC: a call without credentials is rejected with INVALID_ARGUMENT instead of UNAUTHENTICATED.',
    ...AUTH_AGENT,
    kills: ['auth.rejection.status'],
    grep: ['auth.rejection.status'],
    bindings: GRPC,
    grpcStatus: (st) => (st.code === UNAUTHENTICATED ? { ...st, code: INVALID_ARGUMENT } : st),
  },
  {
    name: 'grpc-equivalence-task-lookup-error',
    description:
      'gRPC only: GetTask / CancelTask of an unknown task answer UnsupportedOperation (FAILED_PRECONDITION with ' +
      'ErrorInfo UNSUPPORTED_OPERATION) while JSON-RPC and HTTP+JSON answer TaskNotFound.',
    agent: 'v1',
    kills: ['bindings.equivalence.errors'],
    grep: ['bindings.equivalence.errors'],
    grpcStatus: (st, ctx) =>
      (ctx.method === 'GetTask' || ctx.method === 'CancelTask') && st.code === 5
        ? {
            ...st,
            code: FAILED_PRECONDITION,
            details: 'operation not supported',
            statusDetails: {
              code: FAILED_PRECONDITION,
              message: 'operation not supported',
              errorInfo: { reason: 'UNSUPPORTED_OPERATION', domain: 'a2a-protocol.org' },
            },
          }
        : st,
  },
  {
    name: 'grpc-equivalence-auth-unchecked',
    description: 'gRPC only: calls without credentials are served (the gateway adds its own token upstream).',
    ...AUTH_AGENT,
    kills: ['bindings.equivalence.auth'],
    grep: ['bindings.equivalence.auth'],
    grpcRequest: (req) =>
      req.metadata.authorization
        ? req
        : { ...req, metadata: { ...req.metadata, authorization: `Bearer ${FAULT_BEARER_TOKEN}` } },
  },
  {
    name: 'grpc-stream-starts-with-status',
    description: 'gRPC: a task stream of SendStreamingMessage drops its first message (the Task).',
    agent: 'v1',
    kills: ['stream.task.starts-with-task'],
    grep: ['stream.task.starts-with-task'],
    bindings: GRPC,
    grpcMessage: (json, ctx) =>
      ctx.method === 'SendStreamingMessage' && ctx.messageIndex === 0 && isObj(json) && json.task ? null : undefined,
  },
  {
    name: 'grpc-get-task-other-id',
    description: 'gRPC: GetTask answers with a Task whose id is not the one asked for.',
    agent: 'v1',
    kills: ['tasks.get.returns-task'],
    grep: ['tasks.get.returns-task'],
    bindings: GRPC,
    grpcMessage: (json, ctx) =>
      ctx.method === 'GetTask' && isObj(json) ? { ...json, id: `${String(json.id)}-other` } : undefined,
  },
  {
    name: 'grpc-send-replaces-context-id',
    description: 'gRPC: SendMessage results carry another contextId than the one the client sent.',
    agent: 'v1',
    kills: ['send.context-id.preserved'],
    grep: ['send.context-id.preserved'],
    protocols: ['1.0'],
    bindings: GRPC,
    grpcMessage: (json, ctx) => {
      if (ctx.method !== 'SendMessage' || !isObj(json)) return undefined;
      const key = ['task', 'message'].find((k) => isObj(json[k]) && (json[k] as Record<string, unknown>).contextId);
      return key ? { ...json, [key]: { ...(json[key] as object), contextId: 'ctx-replaced-by-fault' } } : undefined;
    },
  },
  {
    name: 'grpc-subscribe-unknown-task-ok',
    description: 'gRPC: subscribing to an unknown task ends at once with status OK and no message.',
    agent: 'v1',
    kills: ['stream.subscribe.unknown-task'],
    grep: ['stream.subscribe.unknown-task'],
    bindings: GRPC,
    grpcStatus: (st, ctx) =>
      (ctx.method === 'SubscribeToTask' || ctx.method === 'TaskSubscription') && st.code === 5
        ? { code: 0, details: '', trailers: {} }
        : st,
  },
];

function dropDetails(st: GrpcStatusEdit): GrpcStatusEdit {
  const { statusDetails: _drop, ...rest } = st;
  return rest;
}

/** The message re-encoded with an unknown field appended (raw bytes, so nothing on the way drops it). */
function encodeWithUnknown(json: unknown, ctx: GrpcFaultContext): Buffer {
  return Buffer.concat([ctx.encodeResponse(json), UNKNOWN_FIELD]);
}
