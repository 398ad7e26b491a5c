/**
 * The gRPC binding, shared by 0.3 (`a2a.v1.A2AService`, resource names `tasks/{id}`) and 1.0
 * (`lf.a2a.v1.A2AService`, flat ids and `tenant`). A GrpcSpec supplies the differences: service, method names,
 * request builders and the ProtoJSON dialect. Requests are built as ProtoJSON by the same encoders as HTTP+JSON and
 * encoded with the harness's own schemas (schemas/proto/); responses are decoded to ProtoJSON, validated with the
 * HTTP+JSON wire profile of the version (ProtoJSON of the same proto) and decoded by the same decoders.
 * Service parameters travel as metadata (lower-case keys, §10.2).
 */
import type { DescMessage } from '@bufbuild/protobuf';
import type { ProtocolVersion } from '../../core/types.js';
import { grpcCall, type GrpcCallHandle, type GrpcCallResult, type GrpcMessage } from '../../grpc/call.js';
import { encodeRequest } from '../../grpc/codec.js';
import { parseGrpcUrl, type GrpcEndpoint } from '../../grpc/endpoint.js';
import { errorFromGrpc } from '../../grpc/errors.js';
import { messageType } from '../../grpc/registry.js';
import type { SchemaError } from '../../http/types.js';
import type { WireProfile, WireType } from '../../schemas/validate.js';
import type {
  A2AClient,
  CallOptions,
  ListTasksParams,
  OperationName,
  OutgoingMessage,
  RawRequest,
  RawResponse,
  Reply,
  SendOptions,
  StreamEvent,
  StreamHandle,
  StreamOptions,
  StreamResult,
  SubscribeOptions,
} from '../client.js';
import type { A2AError, ListTasksResult, PushConfig, SendResult, Task } from '../model.js';
import { AdapterBase, syntheticExchange, type AdapterOptions } from './base.js';
import {
  decodeListTasks,
  decodePushConfig,
  decodePushConfigList,
  decodeSendResult,
  decodeStreamItem,
  decodeTask,
  type Dialect,
  type Invalid,
} from './decode.js';
import { encodePushConfig, encodeSendParams, encodeState } from './encode.js';
import { runValidation } from './validation.js';
import { describeValue, isObj, type Obj } from './wire-util.js';

type Json = Record<string, unknown>;

/** One RPC: method name, request and response message types (short names in the spec's package). */
export interface GrpcMethod {
  name: string;
  request: string;
  response: string;
  streaming?: boolean;
}

export interface GrpcSpec {
  version: ProtocolVersion;
  profile: WireProfile;
  dialect: Dialect;
  /** Proto package, e.g. `lf.a2a.v1`; the service is `<package>.A2AService`. */
  pkg: string;
  methods: Record<OperationName, GrpcMethod | null>;
  /** Whether requests carry the interface `tenant` (1.0). */
  tenantField: boolean;
  getRequest(taskId: string, historyLength?: number): Json;
  taskRequest(taskId: string): Json;
  createPushRequest(taskId: string, config: PushConfig, body: Obj): Json;
  pushRequest(taskId: string, configId: string): Json;
  pushListRequest(taskId: string): Json;
  listRequest?(p: ListTasksParams, dialect: Dialect): Json;
}

export class GrpcAdapter extends AdapterBase implements A2AClient {
  readonly binding = 'grpc' as const;
  readonly version: ProtocolVersion;
  protected readonly profile: WireProfile;
  protected readonly dialect: Dialect;
  private readonly endpoint: GrpcEndpoint | { error: string };

  constructor(
    private readonly spec: GrpcSpec,
    opts: AdapterOptions,
  ) {
    super(opts);
    this.version = spec.version;
    this.profile = spec.profile;
    this.dialect = spec.dialect;
    this.endpoint = parseGrpcUrl(opts.url, opts.target.url);
  }

  get service(): string {
    return `${this.spec.pkg}.A2AService`;
  }

  describe(op: OperationName): string {
    const m = this.spec.methods[op];
    return m ? `${this.service}/${m.name}` : `${op} (no ${this.version} gRPC method)`;
  }

  private withTenant(body: Json): Json {
    return this.spec.tenantField && this.tenant !== undefined ? { tenant: this.tenant, ...body } : body;
  }

  private sendBody(m: OutgoingMessage, opts: SendOptions | undefined): Json {
    return this.withTenant({ ...encodeSendParams(m, opts, this.dialect), ...(opts?.extraParams ?? {}) });
  }

  encodeMessage(message: OutgoingMessage): unknown {
    return this.sendBody(message, undefined);
  }

  /** Service parameters as metadata: A2A-Version (1.0), the extensions header, then the caller's. */
  private metadata(extra?: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.headers(extra))) out[k.toLowerCase()] = v;
    return out;
  }

  private type(short: string): DescMessage {
    return messageType(short.includes('.') ? short : `${this.spec.pkg}.${short}`);
  }

  private notSent<T>(op: OperationName, label: string | undefined, note: string): Reply<T> {
    return {
      ok: false,
      error: { name: 'UnsupportedOperation', identifiedBy: 'none', httpStatus: 0, message: `${note} (not sent)` },
      exchange: syntheticExchange(label ?? this.describe(op), this.url, note),
      schemaErrors: [],
    };
  }

  /** Starts a call; a URL the harness cannot dial is reported like an unreachable host. */
  private open(
    op: OperationName,
    body: Json,
    opts: (CallOptions & { idleTimeoutMs?: number }) | undefined,
  ): GrpcCallHandle | { notDialable: string } {
    const m = this.spec.methods[op]!;
    if ('error' in this.endpoint) return { notDialable: this.endpoint.error };
    let request: ReturnType<typeof encodeRequest>;
    try {
      request = encodeRequest(this.type(m.request), body);
    } catch (e) {
      return { notDialable: `the request cannot be encoded as ${m.request}: ${(e as Error).message}` };
    }
    return grpcCall(this.session, this.target, {
      endpoint: this.endpoint,
      path: `/${this.service}/${m.name}`,
      streaming: m.streaming === true,
      request,
      responseType: this.type(m.response),
      metadata: this.metadata(opts?.headers),
      label: opts?.label ?? this.describe(op),
      ...(opts?.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts?.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts?.withoutCredentials ? { withoutCredentials: true } : {}),
    });
  }

  private async unary<T>(
    op: OperationName,
    body: Json,
    opts: CallOptions | undefined,
    resultType: WireType | null,
    decode: (doc: unknown) => T | Invalid,
    what: string,
  ): Promise<Reply<T>> {
    if (!this.spec.methods[op]) return this.notSent(op, opts?.label, `${op} does not exist in ${this.version} gRPC`);
    const h = this.open(op, body, opts);
    if ('notDialable' in h) return this.undialable(op, opts?.label, h.notDialable);
    const r = await h.done;
    return this.reply(r, resultType, decode, what);
  }

  private undialable<T>(op: OperationName, label: string | undefined, why: string): Reply<T> {
    const note = `gRPC interface URL ${this.url} cannot be dialled: ${why}`;
    return {
      ok: false,
      error: { name: 'Unknown', identifiedBy: 'none', httpStatus: 0, message: note },
      exchange: syntheticExchange(label ?? this.describe(op), this.url, note),
      schemaErrors: [],
    };
  }

  private reply<T>(
    r: GrpcCallResult,
    resultType: WireType | null,
    decode: (doc: unknown) => T | Invalid,
    what: string,
  ): Reply<T> {
    if (r.code !== 0) return this.errReply(errorFromGrpc(r), r.exchange, [], r.exchange.grpc?.statusDetails);
    const first = r.messages[0];
    if (r.messageCount !== 1 || !first) {
      const error: A2AError = {
        name: 'Unknown',
        identifiedBy: 'none',
        httpStatus: 200,
        grpcStatus: r.codeName,
        message: `unary call answered with ${r.messageCount} messages and status OK (exactly one expected)`,
      };
      return this.errReply(error, r.exchange, [], first?.decoded.ok ? first.decoded.json : undefined);
    }
    if (!first.decoded.ok) {
      const error: A2AError = {
        name: 'Unknown',
        identifiedBy: 'none',
        httpStatus: 200,
        grpcStatus: r.codeName,
        message: `response is not a valid ${what}: ${first.decoded.error}`,
      };
      const errs: SchemaError[] = [{ path: '', message: first.decoded.error, schema: `${this.profile}#${what}` }];
      return this.errReply(error, r.exchange, errs);
    }
    const wire = first.decoded.json;
    const errs = resultType ? runValidation(this.validate, this.profile, resultType, wire) : [];
    const decoded = decode(wire);
    this.annotate(r.exchange, errs);
    if (isObj(decoded) && 'invalid' in decoded && Object.keys(decoded).length === 1) {
      const error: A2AError = {
        name: 'Unknown',
        identifiedBy: 'none',
        httpStatus: 200,
        grpcStatus: r.codeName,
        message: `response is not a usable ${what}: ${(decoded as unknown as Invalid).invalid}`,
        raw: wire,
      };
      return { ok: false, error, exchange: r.exchange, schemaErrors: errs, wire };
    }
    return { ok: true, value: decoded as T, wire, exchange: r.exchange, schemaErrors: errs };
  }

  // ---- operations

  send(message: OutgoingMessage, opts?: SendOptions): Promise<Reply<SendResult>> {
    return this.unary(
      'send',
      this.sendBody(message, opts),
      opts,
      'SendMessageResult',
      (d) => decodeSendResult(d, this.dialect),
      'SendMessageResponse',
    );
  }

  get(taskId: string, opts?: CallOptions & { historyLength?: number }): Promise<Reply<Task>> {
    return this.unary(
      'get',
      this.withTenant(this.spec.getRequest(taskId, opts?.historyLength)),
      opts,
      'Task',
      (d) => decodeTask(d, this.dialect),
      'Task',
    );
  }

  list(params: ListTasksParams, opts?: CallOptions): Promise<Reply<ListTasksResult>> {
    if (!this.spec.listRequest)
      return Promise.resolve(this.notSent('list', opts?.label, `ListTasks does not exist in ${this.version} gRPC`));
    return this.unary(
      'list',
      this.withTenant(this.spec.listRequest(params, this.dialect)),
      opts,
      'ListTasksResponse',
      (d) => decodeListTasks(d, this.dialect),
      'ListTasksResponse',
    );
  }

  cancel(taskId: string, opts?: CallOptions): Promise<Reply<Task>> {
    return this.unary(
      'cancel',
      this.withTenant(this.spec.taskRequest(taskId)),
      opts,
      'Task',
      (d) => decodeTask(d, this.dialect),
      'Task',
    );
  }

  createPushConfig(taskId: string, config: PushConfig, opts?: CallOptions): Promise<Reply<PushConfig>> {
    const body = encodePushConfig(taskId, config, this.dialect);
    return this.unary(
      'createPushConfig',
      this.withTenant(this.spec.createPushRequest(taskId, config, body)),
      opts,
      'PushConfig',
      decodePushConfig,
      'TaskPushNotificationConfig',
    );
  }

  getPushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<PushConfig>> {
    return this.unary(
      'getPushConfig',
      this.withTenant(this.spec.pushRequest(taskId, configId)),
      opts,
      'PushConfig',
      decodePushConfig,
      'TaskPushNotificationConfig',
    );
  }

  listPushConfigs(taskId: string, opts?: CallOptions): Promise<Reply<PushConfig[]>> {
    return this.unary(
      'listPushConfigs',
      this.withTenant(this.spec.pushListRequest(taskId)),
      opts,
      'PushConfigList',
      decodePushConfigList,
      'push config list',
    );
  }

  deletePushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<null>> {
    return this.unary(
      'deletePushConfig',
      this.withTenant(this.spec.pushRequest(taskId, configId)),
      opts,
      null,
      () => null,
      'google.protobuf.Empty',
    );
  }

  extendedCard(opts?: CallOptions): Promise<Reply<unknown>> {
    return this.unary(
      'extendedCard',
      this.withTenant({}),
      opts,
      'AgentCard',
      (d) => (isObj(d) ? d : { invalid: `agent card is ${describeValue(d)}` }),
      'AgentCard',
    );
  }

  /** HTTP-shaped raw requests have no gRPC meaning: answered without sending, like an absent operation. */
  override async raw(req: RawRequest): Promise<RawResponse> {
    const note = 'raw HTTP requests are not part of the gRPC binding';
    return {
      status: 0,
      headers: {},
      text: '',
      exchange: syntheticExchange(req.label ?? `raw ${req.method}`, this.url, note),
    };
  }

  // ---- streaming

  private streamEvent(m: GrpcMessage): StreamEvent {
    if (!m.decoded.ok)
      return {
        t: m.t,
        data: m.text,
        item: { kind: 'invalid', reason: m.decoded.error },
        schemaErrors: [{ path: '', message: m.decoded.error, schema: `${this.profile}#StreamResponse` }],
      };
    const json = m.decoded.json;
    return {
      t: m.t,
      data: m.text,
      json,
      item: decodeStreamItem(json, this.dialect),
      schemaErrors: runValidation(this.validate, this.profile, 'StreamResponse', json),
    };
  }

  private openStream(
    op: OperationName,
    body: Json,
    opts: (CallOptions & { idleTimeoutMs?: number }) | undefined,
  ): StreamHandle {
    const h = this.spec.methods[op]
      ? this.open(op, body, opts)
      : { notDialable: `${op} does not exist in ${this.version} gRPC` };
    if ('notDialable' in h) return this.deadStream(op, opts?.label, h.notDialable);
    const collected: StreamEvent[] = [];
    const findings: { index: number; errors: SchemaError[] }[] = [];
    const session = this.session;
    const adapter = this;
    let index = 0;
    const live = (async function* (): AsyncGenerator<StreamEvent> {
      for await (const m of h.messages) yield adapter.streamEvent(m);
    })();
    // The pump: decode each message once, as it arrives, whether or not anybody iterates.
    const queue: StreamEvent[] = [];
    const waiters: (() => void)[] = [];
    let finished = false;
    let failure: unknown;
    const pump = (async () => {
      try {
        for await (const se of live) {
          if (se.schemaErrors.length) findings.push({ index, errors: se.schemaErrors });
          index++;
          collected.push(se);
          queue.push(se);
          waiters.splice(0).forEach((w) => w());
        }
      } catch (e) {
        failure = e;
      } finally {
        finished = true;
        waiters.splice(0).forEach((w) => w());
      }
    })();
    const events: AsyncIterable<StreamEvent> = {
      [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
        let i = 0;
        return {
          async next(): Promise<IteratorResult<StreamEvent>> {
            for (;;) {
              if (i < queue.length) return { value: queue[i++]!, done: false };
              if (finished) {
                if (failure) throw failure;
                return { value: undefined, done: true };
              }
              await new Promise<void>((w) => waiters.push(w));
            }
          },
          async return(): Promise<IteratorResult<StreamEvent>> {
            return { value: undefined, done: true };
          },
        };
      },
    };
    const started = h.started.then((s) => ({
      status: 200,
      contentType: s.headers['content-type'] ?? 'application/grpc',
    }));
    started.catch(() => undefined);
    const done = (async (): Promise<StreamResult> => {
      const r = await h.done;
      await pump;
      for (const f of findings) session.annotate(r.exchange, { schemaErrors: f.errors, eventIndex: f.index });
      const last = collected[collected.length - 1];
      return {
        status: 200,
        contentType: r.headers['content-type'] ?? 'application/grpc',
        // A status the harness caused (close, idle window, deadline) is the stream's end, not the server's error.
        ...(r.code !== 0 && r.end === 'closed' ? { error: errorFromGrpc(r) } : {}),
        events: collected,
        end: r.end,
        ...(r.headersMs !== undefined ? { headersMs: r.headersMs } : {}),
        ...(r.firstMessageMs !== undefined ? { firstEventMs: r.firstMessageMs } : {}),
        ...(last ? { closeAfterLastEventMs: Math.max(0, r.durationMs - last.t) } : {}),
        durationMs: r.durationMs,
        parseErrors: r.messages.filter((m) => !m.decoded.ok).map((m) => (m.decoded.ok ? '' : m.decoded.error)),
        exchange: r.exchange,
      };
    })();
    done.catch(() => undefined);
    return { started, events, done, close: () => h.close() };
  }

  /** A stream that could not be opened (no such method in this version, or an undialable URL). */
  private deadStream(op: OperationName, label: string | undefined, note: string): StreamHandle {
    const exchange = syntheticExchange(label ?? this.describe(op), this.url, note);
    const error: A2AError = { name: 'UnsupportedOperation', identifiedBy: 'none', httpStatus: 0, message: note };
    const result: StreamResult = {
      status: 0,
      error,
      events: [],
      end: 'closed',
      durationMs: 0,
      parseErrors: [],
      exchange,
    };
    return {
      started: Promise.resolve({ status: 0 }),
      events: { [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true }) }) },
      done: Promise.resolve(result),
      close: () => undefined,
    };
  }

  stream(message: OutgoingMessage, opts?: StreamOptions): StreamHandle {
    return this.openStream('stream', this.sendBody(message, opts), opts);
  }

  subscribe(taskId: string, opts?: SubscribeOptions): StreamHandle {
    return this.openStream('subscribe', this.withTenant(this.spec.taskRequest(taskId)), opts);
  }
}

/** ListTasksRequest ProtoJSON (1.0). */
export function listTasksRequest(p: ListTasksParams, dialect: Dialect): Json {
  const out: Json = {};
  if (p.contextId !== undefined) out.contextId = p.contextId;
  if (p.status !== undefined) out.status = encodeState(p.status, dialect);
  if (p.pageSize !== undefined) out.pageSize = p.pageSize;
  if (p.pageToken !== undefined) out.pageToken = p.pageToken;
  if (p.historyLength !== undefined) out.historyLength = p.historyLength;
  if (p.statusTimestampAfter !== undefined) out.statusTimestampAfter = p.statusTimestampAfter;
  if (p.includeArtifacts !== undefined) out.includeArtifacts = p.includeArtifacts;
  return out;
}
