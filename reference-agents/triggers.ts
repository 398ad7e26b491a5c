/**
 * The reference agents' trigger convention: ONE table, shared by the 1.x (protocol 1.0 + 0.3 compat) agent and the
 * 0.3.14 agent, and exported as data so the harness can use it as the `reference` trigger preset.
 *
 * A behaviour is selected by the incoming user message:
 *   1. its `messageId` starting with the trigger's `messageIdPrefix` (checked first), or
 *   2. its FIRST text part, trimmed and compared case-insensitively, being exactly the trigger's `text`.
 * Anything else behaves like `message` (a direct Message reply echoing the text).
 * A message that carries the `taskId` of an existing, non-terminal task is a follow-up turn instead
 * (see `reference-agents/README.md`): it completes that task with an artifact, whatever its text.
 */
import { TRIGGER_NAMES, type TriggerName } from '../src/core/types.js';

export interface ReferenceTrigger {
  /** Exact first-text-part match (trimmed, case-insensitive). */
  readonly text: string;
  /** `messageId` prefix (case-sensitive). */
  readonly messageIdPrefix: string;
  /** What the agent does, for humans and reports. */
  readonly behaviour: string;
}

export const REFERENCE_TRIGGERS = {
  message: {
    text: 'hello',
    messageIdPrefix: 'ref-message',
    behaviour: 'direct Message reply echoing the text (no task)',
  },
  task: {
    text: 'make a report',
    messageIdPrefix: 'ref-task',
    behaviour: 'task submitted -> working -> completed; one artifact streamed in 3 chunks (append/lastChunk), ~0.1 s',
  },
  slow: {
    text: 'long job',
    messageIdPrefix: 'ref-slow',
    behaviour: 'task stays working for 2 s (status update every 400 ms), then completes with an artifact; cancelable',
  },
  'input-required': {
    text: 'book a table',
    messageIdPrefix: 'ref-input',
    behaviour:
      'task ends input-required with an agent question; a follow-up with the same taskId completes it with an artifact',
  },
  failed: {
    text: 'fail please',
    messageIdPrefix: 'ref-fail',
    behaviour: 'task submitted -> working -> failed (with a status message)',
  },
  rejected: {
    text: 'reject please',
    messageIdPrefix: 'ref-reject',
    behaviour: 'task submitted -> rejected (with a status message)',
  },
  'auth-required': {
    text: 'auth please',
    messageIdPrefix: 'ref-auth',
    behaviour:
      'task submitted -> working -> auth-required with a status message; a follow-up with the same taskId completes it',
  },
} as const satisfies Record<TriggerName, ReferenceTrigger>;

/** Order in which prefixes/texts are tested (no prefix is a prefix of another, so order only documents intent). */
export const REFERENCE_TRIGGER_ORDER: readonly TriggerName[] = TRIGGER_NAMES;

/** Timing constants of the scripted behaviours (milliseconds). */
export const REFERENCE_TIMING = {
  /** Delay before each of the `task` trigger's artifact chunks and before its completion (4 steps => ~0.1 s). */
  taskChunkDelayMs: 25,
  /** Number of artifact chunks of the `task` trigger. */
  taskChunks: 3,
  /** Total working time of the `slow` trigger. */
  slowTotalMs: 2000,
  /** Interval between the `slow` trigger's working status updates. */
  slowTickMs: 400,
} as const;

/** Timing of one agent: the defaults above, with the `slow` duration overridable (REF_AGENT_SLOW_MS). */
export interface ReferenceTiming {
  readonly taskChunkDelayMs: number;
  readonly taskChunks: number;
  readonly slowTotalMs: number;
  readonly slowTickMs: number;
}

export type ReferenceBehaviour = TriggerName;

/** Select the behaviour for a new (non follow-up) user message. */
export function selectTrigger(firstText: string | undefined, messageId: string | undefined): ReferenceBehaviour {
  if (messageId) {
    for (const name of REFERENCE_TRIGGER_ORDER) {
      if (messageId.startsWith(REFERENCE_TRIGGERS[name].messageIdPrefix)) return name;
    }
  }
  const normalized = (firstText ?? '').trim().toLowerCase();
  if (normalized) {
    for (const name of REFERENCE_TRIGGER_ORDER) {
      if (normalized === REFERENCE_TRIGGERS[name].text) return name;
    }
  }
  return 'message';
}
