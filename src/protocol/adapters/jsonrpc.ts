/**
 * The JSON-RPC binding, shared by 0.3 and 1.0. A JsonRpcSpec supplies what differs between versions (method names,
 * params shapes, data dialect, schema profile); everything else (envelopes, id handling, validation, error mapping,
 * streaming) lives here once.
 */
import type { HttpResponse, SseEvent } from '../../http/session.js';
import type { SchemaError } from '../../http/types.js';
import type { WireProfile, WireType } from '../../schemas/validate.js';
import type { ProtocolVersion } from '../../core/types.js';
import type {
  A2AClient,
  CallOptions,
  ListTasksParams,
  OperationName,
  OutgoingMessage,
  Reply,
  SendOptions,
  StreamEvent,
  StreamHandle,
  StreamOptions,
  SubscribeOptions,
} from '../client.js';
import type { ListTasksResult, PushConfig, SendResult, Task } from '../model.js';
import { errorFromHttp, errorFromJsonRpc } from '../errors.js';
import { AdapterBase, isSuccess, nextRequestId, syntheticExchange, type AdapterOptions } from './base.js';
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
import { encodePushConfig, encodeSendParams } from './encode.js';
import { adaptStream, notAStream, notJsonEvent, type StreamDecoder } from './streams.js';
import { runValidation } from './validation.js';
import { describeValue, isObj, parseEventData, type Obj } from './wire-util.js';

export interface JsonRpcSpec {
  version: ProtocolVersion;
  profile: WireProfile;
  dialect: Dialect;
  /** Wire method per operation; null = the operation does not exist in this binding (not sent). */
  methods: Record<OperationName, string | null>;
  /** Whether `tenant` goes into params (1.0). */
  tenantInParams: boolean;
  getParams(taskId: string, historyLength?: number): Obj;
  /** cancel / subscribe params. */
  taskIdParams(taskId: string): Obj;
  pushGetParams(taskId: string, configId: string): Obj;
  pushListParams(taskId: string): Obj;
  pushDeleteParams(taskId: string, configId: string): Obj;
  listParams?(p: ListTasksParams): Obj;
  /** undefined = omit `params`. */
  extendedCardParams(): Obj | undefined;
}

export class JsonRpcAdapter extends AdapterBase implements A2AClient {
  readonly binding = 'jsonrpc' as const;
  readonly version: ProtocolVersion;
  protected readonly profile: WireProfile;
  protected readonly dialect: Dialect;

  constructor(
    private readonly spec: JsonRpcSpec,
    opts: AdapterOptions,
  ) {
    super(opts);
    this.version = spec.version;
    this.profile = spec.profile;
    this.dialect = spec.dialect;
  }

  describe(op: OperationName): string {
    return this.spec.methods[op] ?? `${op} (absent from ${this.version} JSON-RPC)`;
  }

  private envelope(method: string, params: unknown, id: string): Obj {
    return { jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) };
  }

  private withTenant(params: Obj): Obj {
    return this.spec.tenantInParams && this.tenant !== undefined ? { ...params, tenant: this.tenant } : params;
  }

  private sendParams(m: OutgoingMessage, opts: SendOptions | undefined): Obj {
    return { ...this.withTenant(encodeSendParams(m, opts, this.dialect)), ...(opts?.extraParams ?? {}) };
  }

  encodeMessage(message: OutgoingMessage): unknown {
    return this.envelope(this.spec.methods.send!, this.sendParams(message, undefined), nextRequestId(this.session));
  }

  // ---- request/response

  private async call<T>(
    op: OperationName,
    params: unknown,
    opts: CallOptions | undefined,
    resultType: WireType | null,
    decode: (result: unknown) => T | Invalid,
    what: string,
  ): Promise<Reply<T>> {
    const method = this.spec.methods[op]!;
    const id = nextRequestId(this.session);
    const res = await this.session.request({
      method: 'POST',
      url: this.url,
      headers: this.headers(opts?.headers),
      body: this.envelope(method, params, id),
      label: opts?.label ?? method,
      ...this.callOpts(opts),
    });
    return this.reply(res, id, resultType, decode, what);
  }

  private reply<T>(
    res: HttpResponse,
    id: string,
    resultType: WireType | null,
    decode: (r: unknown) => T | Invalid,
    what: string,
  ): Reply<T> {
    const json = res.json;
    if (!isObj(json) || (!('result' in json) && !('error' in json))) {
      const errs = isObj(json) ? runValidation(this.validate, this.profile, 'JsonRpcResponse', json) : [];
      const ct = res.headers['content-type'];
      const msg =
        json === undefined
          ? `HTTP ${res.status} response is not JSON${ct ? ` (content-type ${ct})` : ''}` +
            `${res.jsonError ? `: ${res.jsonError}` : ''}`
          : `HTTP ${res.status} response is not a JSON-RPC response: ${describeValue(json)}`;
      return this.errReply(
        errorFromHttp(res.status, 'jsonrpc', msg, json ?? res.text.slice(0, 2000)),
        res.exchange,
        errs,
        json,
        id,
      );
    }
    const errs = runValidation(this.validate, this.profile, 'JsonRpcResponse', json);
    if (json.error !== undefined && json.error !== null) {
      return this.errReply(errorFromJsonRpc(json.error, res.status), res.exchange, errs, json, id);
    }
    if (resultType) errs.push(...runValidation(this.validate, this.profile, resultType, json.result, '/result'));
    return this.okOrInvalid(decode(json.result), res, json, errs, what, id);
  }

  // ---- operations

  send(message: OutgoingMessage, opts?: SendOptions): Promise<Reply<SendResult>> {
    return this.call(
      'send',
      this.sendParams(message, opts),
      opts,
      'SendMessageResult',
      (r) => decodeSendResult(r, this.dialect),
      'send result',
    );
  }

  get(taskId: string, opts?: CallOptions & { historyLength?: number }): Promise<Reply<Task>> {
    return this.call(
      'get',
      this.withTenant(this.spec.getParams(taskId, opts?.historyLength)),
      opts,
      'Task',
      (r) => decodeTask(r, this.dialect),
      'Task',
    );
  }

  async list(params: ListTasksParams, opts?: CallOptions): Promise<Reply<ListTasksResult>> {
    if (!this.spec.methods.list || !this.spec.listParams) {
      const note = `ListTasks does not exist in ${this.version} JSON-RPC`;
      return {
        ok: false,
        error: { name: 'UnsupportedOperation', identifiedBy: 'none', httpStatus: 0, message: `${note} (not sent)` },
        exchange: syntheticExchange(opts?.label ?? 'ListTasks', this.url, note),
        schemaErrors: [],
      };
    }
    return this.call(
      'list',
      this.withTenant(this.spec.listParams(params)),
      opts,
      'ListTasksResponse',
      (r) => decodeListTasks(r, this.dialect),
      'ListTasksResponse',
    );
  }

  cancel(taskId: string, opts?: CallOptions): Promise<Reply<Task>> {
    return this.call(
      'cancel',
      this.withTenant(this.spec.taskIdParams(taskId)),
      opts,
      'Task',
      (r) => decodeTask(r, this.dialect),
      'Task',
    );
  }

  createPushConfig(taskId: string, config: PushConfig, opts?: CallOptions): Promise<Reply<PushConfig>> {
    return this.call(
      'createPushConfig',
      this.withTenant(encodePushConfig(taskId, config, this.dialect)),
      opts,
      'PushConfig',
      decodePushConfig,
      'push config',
    );
  }

  getPushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<PushConfig>> {
    return this.call(
      'getPushConfig',
      this.withTenant(this.spec.pushGetParams(taskId, configId)),
      opts,
      'PushConfig',
      decodePushConfig,
      'push config',
    );
  }

  listPushConfigs(taskId: string, opts?: CallOptions): Promise<Reply<PushConfig[]>> {
    return this.call(
      'listPushConfigs',
      this.withTenant(this.spec.pushListParams(taskId)),
      opts,
      'PushConfigList',
      decodePushConfigList,
      'push config list',
    );
  }

  deletePushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<null>> {
    return this.call(
      'deletePushConfig',
      this.withTenant(this.spec.pushDeleteParams(taskId, configId)),
      opts,
      null,
      () => null,
      'delete result',
    );
  }

  extendedCard(opts?: CallOptions): Promise<Reply<unknown>> {
    const p = this.spec.extendedCardParams();
    return this.call(
      'extendedCard',
      p === undefined ? undefined : this.withTenant(p),
      opts,
      'AgentCard',
      (r) => (isObj(r) ? r : { invalid: `agent card is ${describeValue(r)}` }),
      'AgentCard',
    );
  }

  // ---- streaming

  private streamDecoder(): StreamDecoder {
    const { validate, profile, dialect } = this;
    return {
      event: (ev: SseEvent, status: number): StreamEvent => {
        const base = { t: ev.t, data: ev.data };
        const parsed = parseEventData(ev.data);
        if ('error' in parsed) return notJsonEvent(ev, parsed.error, `${profile}#JsonRpcResponse`);
        const json = parsed.json;
        const schemaErrors: SchemaError[] = runValidation(validate, profile, 'JsonRpcResponse', json);
        if (!isObj(json)) {
          return {
            ...base,
            json,
            item: { kind: 'invalid', reason: `event is not a JSON-RPC response: ${describeValue(json)}` },
            schemaErrors,
          };
        }
        const envelopeId = json.id;
        if (json.error !== undefined && json.error !== null) {
          return {
            ...base,
            json,
            item: { kind: 'error', error: errorFromJsonRpc(json.error, status) },
            envelopeId,
            schemaErrors,
          };
        }
        if (!('result' in json)) {
          return {
            ...base,
            json,
            item: { kind: 'invalid', reason: 'JSON-RPC event has neither result nor error' },
            envelopeId,
            schemaErrors,
          };
        }
        schemaErrors.push(...runValidation(validate, profile, 'StreamResponse', json.result, '/result'));
        return { ...base, json, item: decodeStreamItem(json.result, dialect), envelopeId, schemaErrors };
      },
      nonSse: (status, contentType, body) => {
        const json = body.json;
        if (isObj(json) && json.error !== undefined && json.error !== null) {
          // The envelope schema validates `error` in full (1.0: data[] items with @type).
          const schemaErrors = runValidation(validate, profile, 'JsonRpcResponse', json);
          return { error: errorFromJsonRpc(json.error, status), schemaErrors };
        }
        const what =
          isObj(json) && 'result' in json
            ? 'a non-streaming JSON-RPC result'
            : `content-type ${contentType ?? '(none)'}`;
        if (!isSuccess(status)) {
          return {
            error: errorFromHttp(
              status,
              'jsonrpc',
              `HTTP ${status} (${what}) instead of an event stream`,
              json ?? body.text.slice(0, 2000),
            ),
            schemaErrors: [],
          };
        }
        return notAStream(status, what, json ?? body.text.slice(0, 2000));
      },
    };
  }

  private openStream(
    op: 'stream' | 'subscribe',
    params: Obj,
    opts: (CallOptions & { idleTimeoutMs?: number }) | undefined,
  ): StreamHandle {
    const method = this.spec.methods[op]!;
    const id = nextRequestId(this.session);
    const sse = this.session.sse({
      method: 'POST',
      url: this.url,
      headers: this.headers(opts?.headers),
      body: this.envelope(method, params, id),
      label: opts?.label ?? method,
      ...(opts?.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts?.timeoutMs !== undefined ? { totalTimeoutMs: opts.timeoutMs } : {}),
      ...(opts?.withoutCredentials ? { withoutCredentials: true } : {}),
    });
    return adaptStream(this.session, sse, this.streamDecoder(), { requestId: id });
  }

  stream(message: OutgoingMessage, opts?: StreamOptions): StreamHandle {
    return this.openStream('stream', this.sendParams(message, opts), opts);
  }

  subscribe(taskId: string, opts?: SubscribeOptions): StreamHandle {
    return this.openStream('subscribe', this.withTenant(this.spec.taskIdParams(taskId)), opts);
  }
}
