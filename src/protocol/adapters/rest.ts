/**
 * The HTTP+JSON (REST) binding, shared by 0.3 (`/v1/...`, ProtoJSON of proto-0.3) and 1.0 (no prefix, optional
 * `/{tenant}`, ProtoJSON of proto-1.0). A RestSpec supplies the differences.
 */
import type { ProtocolVersion } from '../../core/types.js';
import type { HttpResponse, SseEvent } from '../../http/session.js';
import type { SchemaError } from '../../http/types.js';
import type { WireProfile, WireType } from '../../schemas/validate.js';
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
import { errorFromRest } from '../errors.js';
import { AdapterBase, isSuccess, joinUrl, type AdapterOptions } from './base.js';
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
import {
  adaptStream,
  notAStream,
  notJsonEvent,
  subscribeWithFallback,
  type StreamDecoder,
  type SubscribeVerb,
} from './streams.js';
import { runValidation } from './validation.js';
import { describeValue, isObj, parseEventData, type Obj } from './wire-util.js';

export interface RestSpec {
  version: ProtocolVersion;
  profile: WireProfile;
  dialect: Dialect;
  /** '/v1' for 0.3, '' for 1.0. */
  prefix: string;
  /** Extended card path after the prefix: '/card' (0.3) or '/extendedAgentCard' (1.0). */
  extendedCardPath: string;
  /** Whether the interface tenant becomes a `/{tenant}` path prefix (1.0). */
  tenantPrefix: boolean;
  /** Schema type for the ListTasks response, when the profile has one. */
  listType: WireType | null;
  /**
   * The CancelTask body: the protos declare `body: "*"` (the request minus the path parameters), and the 0.3 prose
   * shows `{ name: "tasks/{id}" }`, so a strict server may refuse a POST without a JSON body.
   */
  cancelBody: (taskId: string) => Record<string, unknown>;
}

type Verb = 'GET' | 'POST' | 'DELETE';

const enc = encodeURIComponent;

export class RestAdapter extends AdapterBase implements A2AClient {
  readonly binding = 'rest' as const;
  readonly version: ProtocolVersion;
  protected readonly profile: WireProfile;
  protected readonly dialect: Dialect;

  constructor(
    private readonly spec: RestSpec,
    opts: AdapterOptions,
  ) {
    super(opts);
    this.version = spec.version;
    this.profile = spec.profile;
    this.dialect = spec.dialect;
  }

  private get tenantPath(): string {
    return this.spec.tenantPrefix && this.tenant !== undefined ? `/${enc(this.tenant)}` : '';
  }

  /** Full path (tenant + version prefix + operation path) as sent. */
  private path(p: string): string {
    return `${this.tenantPath}${this.spec.prefix}${p}`;
  }

  describe(op: OperationName): string {
    const t = this.spec.tenantPrefix && this.tenant !== undefined ? '/{tenant}' : '';
    const P = `${t}${this.spec.prefix}`;
    switch (op) {
      case 'send':
        return `POST ${P}/message:send`;
      case 'stream':
        return `POST ${P}/message:stream`;
      case 'get':
        return `GET ${P}/tasks/{id}`;
      case 'list':
        return `GET ${P}/tasks`;
      case 'cancel':
        return `POST ${P}/tasks/{id}:cancel`;
      case 'subscribe':
        return `POST ${P}/tasks/{id}:subscribe`;
      case 'createPushConfig':
        return `POST ${P}/tasks/{taskId}/pushNotificationConfigs`;
      case 'getPushConfig':
        return `GET ${P}/tasks/{taskId}/pushNotificationConfigs/{id}`;
      case 'listPushConfigs':
        return `GET ${P}/tasks/{taskId}/pushNotificationConfigs`;
      case 'deletePushConfig':
        return `DELETE ${P}/tasks/{taskId}/pushNotificationConfigs/{id}`;
      case 'extendedCard':
        return `GET ${P}${this.spec.extendedCardPath}`;
    }
  }

  private sendBody(m: OutgoingMessage, opts: SendOptions | undefined): Obj {
    return { ...encodeSendParams(m, opts, this.dialect), ...(opts?.extraParams ?? {}) };
  }

  encodeMessage(message: OutgoingMessage): unknown {
    return this.sendBody(message, undefined);
  }

  // ---- request/response

  private async call<T>(
    op: OperationName,
    verb: Verb,
    path: string,
    body: unknown,
    opts: CallOptions | undefined,
    resultType: WireType | null,
    decode: (doc: unknown) => T | Invalid,
    what: string,
  ): Promise<Reply<T>> {
    const res = await this.session.request({
      method: verb,
      url: joinUrl(this.url, this.path(path)),
      headers: this.headers(opts?.headers),
      ...(body !== undefined ? { body } : {}),
      label: opts?.label ?? this.describe(op),
      ...this.callOpts(opts),
    });
    return this.reply(res, resultType, decode, what, op === 'deletePushConfig');
  }

  private reply<T>(
    res: HttpResponse,
    resultType: WireType | null,
    decode: (doc: unknown) => T | Invalid,
    what: string,
    noBody: boolean,
  ): Reply<T> {
    if (isSuccess(res.status)) {
      if (noBody) return { ok: true, value: null as T, wire: res.json, exchange: res.exchange, schemaErrors: [] };
      if (res.json === undefined) {
        const ct = res.headers['content-type'];
        return this.errReply(
          {
            name: 'Unknown',
            identifiedBy: 'none',
            httpStatus: res.status,
            message:
              `HTTP ${res.status} but the body is not JSON${ct ? ` (content-type ${ct})` : ''}` +
              `${res.jsonError ? `: ${res.jsonError}` : ''}`,
            raw: res.text.slice(0, 2000),
          },
          res.exchange,
          [],
        );
      }
      const errs = resultType ? runValidation(this.validate, this.profile, resultType, res.json) : [];
      return this.okOrInvalid(decode(res.json), res, res.json, errs, what);
    }
    const errs = res.json !== undefined ? runValidation(this.validate, this.profile, 'RestError', res.json) : [];
    return this.errReply(errorFromRest(res.json, res.status, res.text), res.exchange, errs, res.json);
  }

  // ---- operations

  send(message: OutgoingMessage, opts?: SendOptions): Promise<Reply<SendResult>> {
    return this.call(
      'send',
      'POST',
      '/message:send',
      this.sendBody(message, opts),
      opts,
      'SendMessageResult',
      (d) => decodeSendResult(d, this.dialect),
      'send result',
    );
  }

  get(taskId: string, opts?: CallOptions & { historyLength?: number }): Promise<Reply<Task>> {
    const q = opts?.historyLength !== undefined ? `?historyLength=${enc(String(opts.historyLength))}` : '';
    return this.call(
      'get',
      'GET',
      `/tasks/${enc(taskId)}${q}`,
      undefined,
      opts,
      'Task',
      (d) => decodeTask(d, this.dialect),
      'Task',
    );
  }

  list(params: ListTasksParams, opts?: CallOptions): Promise<Reply<ListTasksResult>> {
    const q = new URLSearchParams();
    if (params.contextId !== undefined) q.set('contextId', params.contextId);
    if (params.status !== undefined) q.set('status', encodeState(params.status, this.dialect));
    if (params.pageSize !== undefined) q.set('pageSize', String(params.pageSize));
    if (params.pageToken !== undefined) q.set('pageToken', params.pageToken);
    if (params.historyLength !== undefined) q.set('historyLength', String(params.historyLength));
    if (params.statusTimestampAfter !== undefined) q.set('statusTimestampAfter', params.statusTimestampAfter);
    if (params.includeArtifacts !== undefined) q.set('includeArtifacts', String(params.includeArtifacts));
    const qs = q.toString();
    return this.call(
      'list',
      'GET',
      `/tasks${qs ? `?${qs}` : ''}`,
      undefined,
      opts,
      this.spec.listType,
      (d) => decodeListTasks(d, this.dialect),
      'ListTasksResponse',
    );
  }

  cancel(taskId: string, opts?: CallOptions): Promise<Reply<Task>> {
    return this.call(
      'cancel',
      'POST',
      `/tasks/${enc(taskId)}:cancel`,
      this.spec.cancelBody(taskId),
      opts,
      'Task',
      (d) => decodeTask(d, this.dialect),
      'Task',
    );
  }

  createPushConfig(taskId: string, config: PushConfig, opts?: CallOptions): Promise<Reply<PushConfig>> {
    return this.call(
      'createPushConfig',
      'POST',
      `/tasks/${enc(taskId)}/pushNotificationConfigs`,
      encodePushConfig(taskId, config, this.dialect),
      opts,
      'PushConfig',
      decodePushConfig,
      'push config',
    );
  }

  getPushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<PushConfig>> {
    return this.call(
      'getPushConfig',
      'GET',
      `/tasks/${enc(taskId)}/pushNotificationConfigs/${enc(configId)}`,
      undefined,
      opts,
      'PushConfig',
      decodePushConfig,
      'push config',
    );
  }

  listPushConfigs(taskId: string, opts?: CallOptions): Promise<Reply<PushConfig[]>> {
    return this.call(
      'listPushConfigs',
      'GET',
      `/tasks/${enc(taskId)}/pushNotificationConfigs`,
      undefined,
      opts,
      'PushConfigList',
      decodePushConfigList,
      'push config list',
    );
  }

  deletePushConfig(taskId: string, configId: string, opts?: CallOptions): Promise<Reply<null>> {
    return this.call(
      'deletePushConfig',
      'DELETE',
      `/tasks/${enc(taskId)}/pushNotificationConfigs/${enc(configId)}`,
      undefined,
      opts,
      null,
      () => null,
      'delete result',
    );
  }

  extendedCard(opts?: CallOptions): Promise<Reply<unknown>> {
    return this.call(
      'extendedCard',
      'GET',
      this.spec.extendedCardPath,
      undefined,
      opts,
      'AgentCard',
      (d) => (isObj(d) ? d : { invalid: `agent card is ${describeValue(d)}` }),
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
        if ('error' in parsed) return notJsonEvent(ev, parsed.error, `${profile}#StreamResponse`);
        const json = parsed.json;
        // An error inside the stream: `event: error` (a2a-js) or a bare error body.
        const errorShaped = isObj(json) && Object.keys(json).length === 1 && isObj(json.error);
        if (ev.event === 'error' || errorShaped) {
          const schemaErrors: SchemaError[] = runValidation(validate, profile, 'RestError', json);
          return { ...base, json, item: { kind: 'error', error: errorFromRest(json, status, ev.data) }, schemaErrors };
        }
        const schemaErrors: SchemaError[] = runValidation(validate, profile, 'StreamResponse', json);
        return { ...base, json, item: decodeStreamItem(json, dialect), schemaErrors };
      },
      nonSse: (status, contentType, body) => {
        if (!isSuccess(status)) {
          const schemaErrors = body.json !== undefined ? runValidation(validate, profile, 'RestError', body.json) : [];
          return { error: errorFromRest(body.json, status, body.text), schemaErrors };
        }
        return notAStream(status, `content-type ${contentType ?? '(none)'}`, body.json ?? body.text.slice(0, 2000));
      },
    };
  }

  private openSse(
    verb: SubscribeVerb,
    path: string,
    body: unknown,
    label: string,
    opts: (CallOptions & { idleTimeoutMs?: number }) | undefined,
    subscribeVerb?: SubscribeVerb,
  ): StreamHandle {
    const sse = this.session.sse({
      method: verb,
      url: joinUrl(this.url, this.path(path)),
      headers: this.headers(opts?.headers),
      ...(body !== undefined ? { body } : {}),
      label,
      ...(opts?.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts?.timeoutMs !== undefined ? { totalTimeoutMs: opts.timeoutMs } : {}),
      ...(opts?.withoutCredentials ? { withoutCredentials: true } : {}),
    });
    return adaptStream(this.session, sse, this.streamDecoder(), subscribeVerb ? { subscribeVerb } : {});
  }

  stream(message: OutgoingMessage, opts?: StreamOptions): StreamHandle {
    return this.openSse(
      'POST',
      '/message:stream',
      this.sendBody(message, opts),
      opts?.label ?? this.describe('stream'),
      opts,
    );
  }

  subscribe(taskId: string, opts?: SubscribeOptions): StreamHandle {
    const path = `/tasks/${enc(taskId)}:subscribe`;
    const template = this.describe('subscribe').replace(/^POST /, '');
    const open = (verb: SubscribeVerb): StreamHandle =>
      this.openSse(verb, path, undefined, opts?.label ? `${opts.label} (${verb})` : `${verb} ${template}`, opts, verb);
    return opts?.verb ? open(opts.verb) : subscribeWithFallback(open);
  }
}
