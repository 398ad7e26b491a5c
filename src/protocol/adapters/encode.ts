/**
 * Neutral → wire, per dialect:
 * - 'jsonrpc-0.3': schema-0.3 (`kind` on message and parts, lowercase roles, `pushNotificationConfig`, `blocking`)
 * - 'proto-0.3':   ProtoJSON of proto-0.3, as the a2a-js 0.3.14 REST transport sends it (`content`, `ROLE_USER`,
 *                  `{file:{fileWithUri|fileWithBytes,mimeType}}`, `{data:{data}}`, `pushNotification`, `blocking`,
 *                  push config `{name:"tasks/{t}/pushNotificationConfigs/{c}", pushNotificationConfig}`)
 * - 'proto-1.0':   ProtoJSON of proto-1.0 (`parts` with `text|raw|url|data`, `ROLE_USER`, `returnImmediately`,
 *                  `taskPushNotificationConfig`, flat push config with a single `authentication.scheme`)
 */
import { randomUUID } from 'node:crypto';
import type { TaskState } from '../../core/types.js';
import type { OutgoingMessage, SendOptions } from '../client.js';
import type { Part, PushConfig } from '../model.js';
import type { Dialect } from './decode.js';
import { compact, type Obj } from './wire-util.js';

export function freshMessageId(): string {
  return `msg-${randomUUID()}`;
}

function neutralParts(m: OutgoingMessage): Part[] {
  const parts: Part[] = [];
  if (m.text !== undefined) parts.push({ kind: 'text', text: m.text });
  if (m.parts) parts.push(...m.parts);
  return parts;
}

export function encodePart(p: Part, dialect: Dialect): unknown {
  switch (dialect) {
    case 'jsonrpc-0.3':
      switch (p.kind) {
        case 'text':
          return compact({ kind: 'text', text: p.text, metadata: p.metadata });
        case 'file':
          return compact({
            kind: 'file',
            file: compact({ bytes: p.bytes, uri: p.uri, mimeType: p.mediaType, name: p.name }),
            metadata: p.metadata,
          });
        case 'data':
          return compact({ kind: 'data', data: p.data, metadata: p.metadata });
        case 'invalid':
          return p.raw;
      }
      break;
    case 'proto-0.3':
      // proto-0.3 Part has no metadata and no file name.
      switch (p.kind) {
        case 'text':
          return { text: p.text };
        case 'file':
          return {
            file: compact({
              fileWithBytes: p.bytes,
              fileWithUri: p.bytes === undefined ? p.uri : undefined,
              mimeType: p.mediaType,
            }),
          };
        case 'data':
          return { data: { data: p.data } };
        case 'invalid':
          return p.raw;
      }
      break;
    case 'proto-1.0':
      switch (p.kind) {
        case 'text':
          return compact({ text: p.text, mediaType: p.mediaType, metadata: p.metadata });
        case 'file':
          return compact({
            raw: p.bytes,
            url: p.bytes === undefined ? p.uri : undefined,
            mediaType: p.mediaType,
            filename: p.name,
            metadata: p.metadata,
          });
        case 'data':
          return compact({ data: p.data, mediaType: p.mediaType, metadata: p.metadata });
        case 'invalid':
          return p.raw;
      }
      break;
  }
  return undefined;
}

/** The wire Message for a user message. */
export function encodeMessage(m: OutgoingMessage, dialect: Dialect): Obj {
  const parts = neutralParts(m).map((p) => encodePart(p, dialect));
  const messageId = m.messageId ?? freshMessageId();
  const ext = m.extensions?.length ? m.extensions : undefined;
  const refs = m.referenceTaskIds?.length ? m.referenceTaskIds : undefined;
  switch (dialect) {
    case 'jsonrpc-0.3':
      return compact({
        kind: 'message',
        role: 'user',
        messageId,
        parts,
        taskId: m.taskId,
        contextId: m.contextId,
        metadata: m.metadata,
        extensions: ext,
        referenceTaskIds: refs,
      });
    case 'proto-0.3':
      // proto-0.3 Message has no referenceTaskIds.
      return compact({
        messageId,
        role: 'ROLE_USER',
        content: parts,
        taskId: m.taskId,
        contextId: m.contextId,
        metadata: m.metadata,
        extensions: ext,
      });
    case 'proto-1.0':
      return compact({
        messageId,
        role: 'ROLE_USER',
        parts,
        taskId: m.taskId,
        contextId: m.contextId,
        metadata: m.metadata,
        extensions: ext,
        referenceTaskIds: refs,
      });
  }
}

/** The inner push notification config (0.3: {id,url,token,authentication:{schemes[],credentials}}; 1.0 flat). */
function encodePushInner(c: PushConfig, dialect: Dialect): Obj {
  const auth = c.authentication
    ? dialect === 'proto-1.0'
      ? compact({ scheme: c.authentication.scheme, credentials: c.authentication.credentials })
      : compact({ schemes: [c.authentication.scheme], credentials: c.authentication.credentials })
    : undefined;
  return compact({ id: c.id, url: c.url, token: c.token, authentication: auth });
}

/** The request configuration, or undefined when nothing was asked for. */
export function encodeConfiguration(o: SendOptions | undefined, dialect: Dialect): Obj | undefined {
  if (!o) return undefined;
  const push = o.pushConfig ? encodePushInner(o.pushConfig, dialect) : undefined;
  const cfg =
    dialect === 'proto-1.0'
      ? compact({
          acceptedOutputModes: o.acceptedOutputModes,
          // No taskId inside an inline push config on a send (proto comment).
          taskPushNotificationConfig: push,
          historyLength: o.historyLength,
          returnImmediately: o.returnImmediately,
        })
      : compact({
          acceptedOutputModes: o.acceptedOutputModes,
          [dialect === 'proto-0.3' ? 'pushNotification' : 'pushNotificationConfig']: push,
          historyLength: o.historyLength,
          blocking: o.returnImmediately === undefined ? undefined : !o.returnImmediately,
        });
  return Object.keys(cfg).length ? cfg : undefined;
}

/** SendMessage params (JSON-RPC) / body (REST), before tenant and extraParams. */
export function encodeSendParams(m: OutgoingMessage, o: SendOptions | undefined, dialect: Dialect): Obj {
  return compact({ message: encodeMessage(m, dialect), configuration: encodeConfiguration(o, dialect) });
}

/** Create-push-config params (JSON-RPC) / body (REST). */
export function encodePushConfig(taskId: string, c: PushConfig, dialect: Dialect): Obj {
  switch (dialect) {
    case 'jsonrpc-0.3':
      return { taskId, pushNotificationConfig: encodePushInner(c, dialect) };
    case 'proto-0.3':
      // proto-0.3 `TaskPushNotificationConfig` (the REST body is the config itself, `body: "config"`).
      return {
        name: `tasks/${taskId}/pushNotificationConfigs/${c.id ?? ''}`,
        pushNotificationConfig: encodePushInner(c, dialect),
      };
    case 'proto-1.0':
      return compact({ taskId, ...encodePushInner(c, dialect) });
  }
}

const PROTO_STATE: Record<TaskState, string> = {
  submitted: 'TASK_STATE_SUBMITTED',
  working: 'TASK_STATE_WORKING',
  'input-required': 'TASK_STATE_INPUT_REQUIRED',
  'auth-required': 'TASK_STATE_AUTH_REQUIRED',
  completed: 'TASK_STATE_COMPLETED',
  canceled: 'TASK_STATE_CANCELED',
  failed: 'TASK_STATE_FAILED',
  rejected: 'TASK_STATE_REJECTED',
  unknown: 'TASK_STATE_UNSPECIFIED',
};

/** A neutral state in the dialect's spelling (proto-0.3 keeps its double-L CANCELLED). */
export function encodeState(s: TaskState, dialect: Dialect): string {
  if (dialect === 'jsonrpc-0.3') return s;
  if (dialect === 'proto-0.3' && s === 'canceled') return 'TASK_STATE_CANCELLED';
  return PROTO_STATE[s];
}
