/**
 * Wire → neutral model, leniently. One decoder for the three JSON dialects: field names rarely collide, so each
 * decoder accepts every spelling it can recognise (`kind` discriminators, ProtoJSON oneof members, snake_case) and
 * leaves spelling verdicts to schema validation. Only where dialects truly conflict (the data part) does the
 * dialect decide. Malformed input yields `invalid` parts/items, never an exception.
 */
import { TASK_STATES, type TaskState } from '../../core/types.js';
import type {
  Artifact,
  ArtifactUpdate,
  ListTasksResult,
  Message,
  Part,
  PushConfig,
  Role,
  SendResult,
  StatusUpdate,
  StreamItem,
  Task,
  TaskStatus,
} from '../model.js';
import { bool, compact, describeValue, isObj, num, record, str, strArr, type Obj } from './wire-util.js';

export type Dialect = 'jsonrpc-0.3' | 'proto-0.3' | 'proto-1.0';

export interface Invalid {
  invalid: string;
}
export const isInvalid = (x: unknown): x is Invalid =>
  isObj(x) && typeof x.invalid === 'string' && Object.keys(x).length === 1;

const STATE_BY_NUMBER: Record<number, TaskState> = {
  0: 'unknown',
  1: 'submitted',
  2: 'working',
  3: 'completed',
  4: 'failed',
  5: 'canceled',
  6: 'input-required',
  7: 'rejected',
  8: 'auth-required',
};

/** Any wire spelling of a task state → neutral name ("TASK_STATE_CANCELLED", "canceled", 5 → canceled). */
export function decodeState(wire: unknown): { state: TaskState; wireState: string } {
  if (typeof wire === 'number') return { state: STATE_BY_NUMBER[wire] ?? 'unknown', wireState: String(wire) };
  if (typeof wire !== 'string')
    return { state: 'unknown', wireState: wire === undefined ? '' : (JSON.stringify(wire) ?? '') };
  let n = wire
    .trim()
    .toLowerCase()
    .replace(/^task_state_/, '')
    .replace(/_/g, '-');
  if (n === 'cancelled') n = 'canceled';
  if (n === 'unspecified') n = 'unknown';
  return { state: (TASK_STATES as readonly string[]).includes(n) ? (n as TaskState) : 'unknown', wireState: wire };
}

export function decodeRole(wire: unknown): Role {
  const r =
    typeof wire === 'string'
      ? wire.toLowerCase().replace(/^role_/, '')
      : wire === 1
        ? 'user'
        : wire === 2
          ? 'agent'
          : '';
  return r === 'user' ? 'user' : r === 'agent' ? 'agent' : 'unknown';
}

function metadataOf(o: Obj): Record<string, unknown> | undefined {
  return record(o.metadata);
}

export function decodePart(x: unknown, dialect: Dialect): Part {
  if (!isObj(x)) return { kind: 'invalid', raw: x };
  const metadata = metadataOf(x);
  const mediaType = str(x.mediaType) ?? str(x.media_type) ?? str(x.mimeType);
  const kind = str(x.kind);
  if (kind === 'text' || (kind === undefined && typeof x.text === 'string')) {
    if (typeof x.text !== 'string') return { kind: 'invalid', raw: x };
    return compact({ kind: 'text' as const, text: x.text, mediaType, metadata });
  }
  if (kind === 'file' || (kind === undefined && isObj(x.file))) {
    const f = record(x.file);
    if (!f) return { kind: 'invalid', raw: x };
    return compact({
      kind: 'file' as const,
      bytes: str(f.bytes) ?? str(f.fileWithBytes) ?? str(f.file_with_bytes),
      uri: str(f.uri) ?? str(f.fileWithUri) ?? str(f.file_with_uri),
      mediaType: str(f.mimeType) ?? str(f.mime_type) ?? str(f.mediaType) ?? mediaType,
      name: str(f.name) ?? str(x.filename),
      metadata,
    });
  }
  if (kind === undefined && (typeof x.raw === 'string' || typeof x.url === 'string')) {
    return compact({
      kind: 'file' as const,
      bytes: str(x.raw),
      uri: str(x.url),
      mediaType,
      name: str(x.filename),
      metadata,
    });
  }
  if (kind === 'data' || (kind === undefined && 'data' in x)) {
    // proto-0.3 wraps the object: {"data":{"data":{...}}}; 1.0 carries any JSON value directly.
    const data =
      dialect === 'proto-0.3' && kind === undefined && isObj(x.data) && 'data' in x.data ? x.data.data : x.data;
    return compact({ kind: 'data' as const, data, mediaType, metadata });
  }
  return { kind: 'invalid', raw: x };
}

function decodeParts(x: unknown, dialect: Dialect): Part[] {
  return Array.isArray(x) ? x.map((p) => decodePart(p, dialect)) : [];
}

export function decodeMessage(x: unknown, dialect: Dialect): Message | Invalid {
  if (!isObj(x)) return { invalid: `message is ${describeValue(x)}` };
  return compact({
    messageId: str(x.messageId) ?? str(x.message_id) ?? '',
    role: decodeRole(x.role),
    parts: decodeParts(x.parts ?? x.content, dialect),
    taskId: str(x.taskId) ?? str(x.task_id),
    contextId: str(x.contextId) ?? str(x.context_id),
    metadata: metadataOf(x),
    extensions: strArr(x.extensions),
    referenceTaskIds: strArr(x.referenceTaskIds) ?? strArr(x.reference_task_ids),
  });
}

export function decodeStatus(x: unknown, dialect: Dialect): TaskStatus {
  if (!isObj(x)) return { state: 'unknown', wireState: '' };
  const { state, wireState } = decodeState(x.state);
  const m = x.message ?? x.update;
  const message = m !== undefined && m !== null ? decodeMessage(m, dialect) : undefined;
  return compact({
    state,
    wireState,
    message: message && !('invalid' in message) ? message : undefined,
    timestamp: str(x.timestamp),
  });
}

export function decodeArtifact(x: unknown, dialect: Dialect): Artifact {
  const o = isObj(x) ? x : {};
  return compact({
    artifactId: str(o.artifactId) ?? str(o.artifact_id) ?? '',
    name: str(o.name),
    description: str(o.description),
    parts: decodeParts(o.parts, dialect),
    metadata: metadataOf(o),
    extensions: strArr(o.extensions),
  });
}

export function decodeTask(x: unknown, dialect: Dialect): Task | Invalid {
  if (!isObj(x)) return { invalid: `task is ${describeValue(x)}` };
  const history = Array.isArray(x.history)
    ? x.history.map((m) => decodeMessage(m, dialect)).filter((m): m is Message => !('invalid' in m))
    : undefined;
  return compact({
    id: str(x.id) ?? '',
    contextId: str(x.contextId) ?? str(x.context_id) ?? '',
    status: decodeStatus(x.status, dialect),
    history,
    artifacts: Array.isArray(x.artifacts) ? x.artifacts.map((a) => decodeArtifact(a, dialect)) : undefined,
    metadata: metadataOf(x),
  });
}

function decodeStatusUpdate(x: unknown, dialect: Dialect): StatusUpdate {
  const o = isObj(x) ? x : {};
  return compact({
    taskId: str(o.taskId) ?? str(o.task_id) ?? '',
    contextId: str(o.contextId) ?? str(o.context_id) ?? '',
    status: decodeStatus(o.status, dialect),
    final: bool(o.final),
    metadata: metadataOf(o),
  });
}

function decodeArtifactUpdate(x: unknown, dialect: Dialect): ArtifactUpdate {
  const o = isObj(x) ? x : {};
  return compact({
    taskId: str(o.taskId) ?? str(o.task_id) ?? '',
    contextId: str(o.contextId) ?? str(o.context_id) ?? '',
    artifact: decodeArtifact(o.artifact, dialect),
    append: bool(o.append),
    lastChunk: bool(o.lastChunk) ?? bool(o.last_chunk),
    metadata: metadataOf(o),
  });
}

const looksLikeTask = (o: Obj): boolean => 'status' in o && ('id' in o || 'contextId' in o);
const looksLikeMessage = (o: Obj): boolean => 'messageId' in o || (('parts' in o || 'content' in o) && 'role' in o);

/** A send result: bare `kind` object (0.3 JSON-RPC) or the `{task}|{message}` wrapper (ProtoJSON). */
export function decodeSendResult(x: unknown, dialect: Dialect): SendResult | Invalid {
  if (!isObj(x)) return { invalid: `result is ${describeValue(x)}` };
  const item = decodeStreamItem(x, dialect);
  if (item.kind === 'task') return item;
  if (item.kind === 'message') return item;
  if (item.kind === 'invalid') return { invalid: item.reason };
  return { invalid: `a send result cannot be a ${item.kind}` };
}

/** One stream payload (after envelope removal) → StreamItem. */
export function decodeStreamItem(x: unknown, dialect: Dialect): StreamItem {
  if (!isObj(x)) return { kind: 'invalid', reason: `payload is ${describeValue(x)}` };
  const kind = str(x.kind);
  if (kind !== undefined) {
    switch (kind) {
      case 'task': {
        const t = decodeTask(x, dialect);
        return 'invalid' in t ? { kind: 'invalid', reason: t.invalid } : { kind: 'task', task: t };
      }
      case 'message': {
        const m = decodeMessage(x, dialect);
        return 'invalid' in m ? { kind: 'invalid', reason: m.invalid } : { kind: 'message', message: m };
      }
      case 'status-update':
        return { kind: 'status-update', update: decodeStatusUpdate(x, dialect) };
      case 'artifact-update':
        return { kind: 'artifact-update', update: decodeArtifactUpdate(x, dialect) };
      default:
        return { kind: 'invalid', reason: `unknown kind ${JSON.stringify(kind)}` };
    }
  }
  const members: [string, (v: unknown) => StreamItem][] = [
    [
      'task',
      (v) => {
        const t = decodeTask(v, dialect);
        return 'invalid' in t ? { kind: 'invalid', reason: t.invalid } : { kind: 'task', task: t };
      },
    ],
    [
      'message',
      (v) => {
        const m = decodeMessage(v, dialect);
        return 'invalid' in m ? { kind: 'invalid', reason: m.invalid } : { kind: 'message', message: m };
      },
    ],
    [
      'msg',
      (v) => {
        const m = decodeMessage(v, dialect);
        return 'invalid' in m ? { kind: 'invalid', reason: m.invalid } : { kind: 'message', message: m };
      },
    ],
    ['statusUpdate', (v) => ({ kind: 'status-update', update: decodeStatusUpdate(v, dialect) })],
    ['status_update', (v) => ({ kind: 'status-update', update: decodeStatusUpdate(v, dialect) })],
    ['artifactUpdate', (v) => ({ kind: 'artifact-update', update: decodeArtifactUpdate(v, dialect) })],
    ['artifact_update', (v) => ({ kind: 'artifact-update', update: decodeArtifactUpdate(v, dialect) })],
  ];
  const present = members.filter(([k]) => isObj(x[k]));
  if (present.length === 1) return present[0]![1](x[present[0]![0]]);
  if (present.length > 1) {
    // More than one oneof member: report, but still pick the first so checks can go on.
    const picked = present[0]![1](x[present[0]![0]]);
    return picked.kind === 'invalid'
      ? picked
      : { kind: 'invalid', reason: `several payload members: ${present.map(([k]) => k).join(', ')}` };
  }
  // No discriminator at all: a bare Task/Message (servers that ignore the wrapper).
  if (looksLikeTask(x)) {
    const t = decodeTask(x, dialect);
    if (!('invalid' in t)) return { kind: 'task', task: t };
  }
  if (looksLikeMessage(x)) {
    const m = decodeMessage(x, dialect);
    if (!('invalid' in m)) return { kind: 'message', message: m };
  }
  return { kind: 'invalid', reason: `no recognisable payload: ${describeValue(x)}` };
}

function parseConfigName(name: unknown): { taskId?: string; id?: string } {
  if (typeof name !== 'string') return {};
  const m = /^tasks\/([^/]+)(?:\/pushNotificationConfigs\/([^/]*))?/.exec(name);
  return m ? compact({ taskId: m[1], id: m[2] || undefined }) : {};
}

/** Push config in any shape: 0.3 JSON-RPC `{taskId, pushNotificationConfig}`, proto-0.3 `{name, ...}`, 1.0 flat. */
export function decodePushConfig(x: unknown): PushConfig | Invalid {
  if (!isObj(x)) return { invalid: `push config is ${describeValue(x)}` };
  const nested = record(x.pushNotificationConfig) ?? record(x.push_notification_config);
  const inner = nested ?? x;
  const fromName = parseConfigName(x.name);
  const auth = record(inner.authentication);
  const schemes = auth ? strArr(auth.schemes) : undefined;
  const scheme = auth ? (str(auth.scheme) ?? schemes?.[0]) : undefined;
  return compact({
    id: str(inner.id) || fromName.id,
    taskId: str(x.taskId) ?? str(x.task_id) ?? fromName.taskId,
    url: str(inner.url) ?? '',
    token: str(inner.token),
    authentication: auth ? compact({ scheme: scheme ?? '', credentials: str(auth.credentials) }) : undefined,
  });
}

/** A list of push configs: bare array (0.3 JSON-RPC) or `{configs, nextPageToken}` (ProtoJSON). */
export function decodePushConfigList(x: unknown): PushConfig[] | Invalid {
  const list = Array.isArray(x)
    ? x
    : isObj(x)
      ? Array.isArray(x.configs)
        ? x.configs
        : Object.keys(x).length === 0
          ? []
          : undefined
      : undefined;
  if (!list) return { invalid: `push config list is ${describeValue(x)}` };
  return list.map((c) => decodePushConfig(c)).filter((c): c is PushConfig => !('invalid' in c));
}

/** ListTasksResponse; a bare array (0.3 REST spec table "→ Task[]") is accepted too. */
export function decodeListTasks(x: unknown, dialect: Dialect): ListTasksResult | Invalid {
  const tasksRaw = Array.isArray(x) ? x : isObj(x) ? x.tasks : undefined;
  if (!Array.isArray(x) && !isObj(x)) return { invalid: `list result is ${describeValue(x)}` };
  const tasks = Array.isArray(tasksRaw)
    ? tasksRaw.map((t) => decodeTask(t, dialect)).filter((t): t is Task => !('invalid' in t))
    : [];
  if (Array.isArray(x)) return { tasks };
  return compact({
    tasks,
    nextPageToken: str(x.nextPageToken) ?? str(x.next_page_token),
    pageSize: num(x.pageSize) ?? num(x.page_size),
    totalSize: num(x.totalSize) ?? num(x.total_size),
  });
}
