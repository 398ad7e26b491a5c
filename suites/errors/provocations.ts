/**
 * The A2A errors a black box can be made to produce, as data: which error, how to provoke it, where it applies.
 * The per-error checks judge one row each; the table-driven checks (ErrorInfo, REST status per profile, REST body)
 * run every applicable row once per cell through the `error-provocations` fixture.
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/checks/types.js';
import { CheckStop } from '../../src/checks/types.js';
import type { ProtocolVersion } from '../../src/core/types.js';
import type { Reply, SendResult } from '../../src/protocol/client.js';
import type { A2AErrorName, Part } from '../../src/protocol/model.js';
import { completedTask, ordinaryMessage } from '../lib/tasks.js';

export interface Provocation {
  name: A2AErrorName;
  /** How the error is provoked (shown in findings). */
  how: string;
  versions: ProtocolVersion[];
  /** Why the row does not apply to this cell; undefined when it applies. */
  notApplicable?(ctx: CheckContext): string | undefined;
  /**
   * The agent may legitimately not produce the error (lenient media types, a configured extended card): the row
   * counts only when the answer is this error; anything else means "not provoked here".
   */
  optional?: boolean;
  provoke(ctx: CheckContext): Promise<Reply<unknown>>;
}

/** A media type no agent is expected to accept. */
export const UNSUPPORTED_MEDIA_TYPE = 'application/x-a2a-conformance-unsupported';

/** Why the unsupported-media-type probe cannot work on this card (it accepts anything), or undefined. */
export function mediaTypeProbeGap(ctx: CheckContext): string | undefined {
  const modes = ctx.card.card.defaultInputModes;
  const list = Array.isArray(modes)
    ? modes.filter((m): m is string => typeof m === 'string').map((m) => m.trim().toLowerCase())
    : [];
  if (list.some((m) => m === '*/*' || m === '*' || m === 'application/*' || m === UNSUPPORTED_MEDIA_TYPE)) {
    return `defaultInputModes (${list.join(', ')}) admit ${UNSUPPORTED_MEDIA_TYPE}`;
  }
  return undefined;
}

/** Send a message whose only part has a media type the card's defaultInputModes exclude (shared per cell). */
export function unsupportedMediaReply(ctx: CheckContext): Promise<Reply<SendResult>> {
  return ctx.fixture('unsupported-media-type', async (f) => {
    const part: Part = {
      kind: 'file',
      bytes: Buffer.from('conformance probe').toString('base64'),
      mediaType: UNSUPPORTED_MEDIA_TYPE,
      name: 'probe.bin',
    };
    return f.client.send(
      { messageId: randomUUID(), parts: [part] },
      { label: `send a part of media type ${UNSUPPORTED_MEDIA_TYPE}` },
    );
  });
}

/** A task id to hang push-config calls on: a real completed task when the `task` trigger exists, else a made-up id. */
export async function someTaskId(ctx: CheckContext): Promise<{ id: string; real: boolean }> {
  if (ctx.hasTrigger('task')) {
    try {
      return { id: (await completedTask(ctx)).id, real: true };
    } catch (e) {
      if (!(e instanceof CheckStop)) throw e;
    }
  }
  return { id: `conformance-missing-${randomUUID()}`, real: false };
}

export const PROVOCATIONS: Provocation[] = [
  {
    name: 'TaskNotFound',
    how: 'GetTask of an unknown task id',
    versions: ['0.3', '1.0'],
    provoke: (ctx) => ctx.client.get(`conformance-missing-${randomUUID()}`, { label: 'GetTask of an unknown id' }),
  },
  {
    name: 'TaskNotCancelable',
    how: 'CancelTask of a completed task',
    versions: ['0.3', '1.0'],
    notApplicable: (ctx) => (ctx.hasTrigger('task') ? undefined : 'no `task` trigger configured'),
    provoke: async (ctx) =>
      ctx.client.cancel((await completedTask(ctx)).id, { label: 'CancelTask of a completed task' }),
  },
  {
    name: 'PushNotificationNotSupported',
    how: 'ListTaskPushNotificationConfigs while pushNotifications is not declared',
    versions: ['0.3', '1.0'],
    notApplicable: (ctx) =>
      ctx.card.capabilities.pushNotifications ? 'the card declares pushNotifications' : undefined,
    provoke: async (ctx) =>
      ctx.client.listPushConfigs((await someTaskId(ctx)).id, { label: 'list push configs (push not declared)' }),
  },
  {
    // 0.3 names no error for this case (the row feeds only the 0.3 REST report there).
    name: 'UnsupportedOperation',
    how: 'the extended card operation while no extended card is declared',
    versions: ['0.3', '1.0'],
    notApplicable: (ctx) =>
      ctx.card.capabilities.extendedCard ? 'the card declares capabilities.extendedAgentCard' : undefined,
    provoke: (ctx) => ctx.client.extendedCard({ label: 'GetExtendedAgentCard (not declared)' }),
  },
  {
    name: 'ContentTypeNotSupported',
    how: `a part of media type ${UNSUPPORTED_MEDIA_TYPE}`,
    versions: ['0.3', '1.0'],
    optional: true,
    notApplicable: mediaTypeProbeGap,
    provoke: (ctx) => unsupportedMediaReply(ctx),
  },
  {
    name: 'ExtendedAgentCardNotConfigured',
    how: 'GetExtendedAgentCard while the card declares one',
    versions: ['0.3', '1.0'],
    optional: true,
    notApplicable: (ctx) =>
      ctx.card.capabilities.extendedCard ? undefined : 'the card does not declare an extended card',
    provoke: (ctx) => ctx.client.extendedCard({ label: 'extended card (declared)' }),
  },
  {
    name: 'ExtensionSupportRequired',
    how: 'SendMessage without the extension the card marks required',
    versions: ['1.0'],
    notApplicable: (ctx) =>
      ctx.card.capabilities.extensions.some((e) => e.required) ? undefined : 'the card marks no extension required',
    provoke: (ctx) => ctx.client.send(ordinaryMessage(ctx), { label: 'send without the required extension' }),
  },
  {
    name: 'VersionNotSupported',
    how: 'SendMessage with A2A-Version: 99.0',
    versions: ['1.0'],
    provoke: (ctx) =>
      ctx.client.send(ordinaryMessage(ctx), {
        headers: { 'A2A-Version': '99.0' },
        label: 'send with A2A-Version: 99.0',
      }),
  },
];

export interface ProvokedRow {
  p: Provocation;
  /** The answer, when the row was provoked. */
  reply?: Reply<unknown>;
  /** Why there is no answer to judge (not applicable, untestable, lenient agent). */
  skipped?: string;
}

/** Run every row applicable to this cell once (shared per cell by the table-driven checks). */
export function provokeAll(ctx: CheckContext): Promise<ProvokedRow[]> {
  return ctx.fixture('error-provocations', async (f) => {
    const rows: ProvokedRow[] = [];
    for (const p of PROVOCATIONS) {
      if (!p.versions.includes(f.version)) continue;
      const gap = p.notApplicable?.(f);
      if (gap) {
        rows.push({ p, skipped: gap });
        continue;
      }
      try {
        const reply = await p.provoke(f);
        if (p.optional && (reply.ok || reply.error.name !== p.name)) {
          rows.push({
            p,
            skipped: reply.ok ? 'the agent accepted the request' : `the agent answered ${reply.error.name}`,
          });
        } else rows.push({ p, reply });
      } catch (e) {
        if (e instanceof CheckStop) rows.push({ p, skipped: e.message });
        else throw e;
      }
    }
    return rows;
  });
}
