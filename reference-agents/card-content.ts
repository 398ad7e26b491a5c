/**
 * What both reference agents' cards say, independent of the SDK line: where the transports are mounted and the skills.
 * Each server adds the fields its SDK's AgentCard type requires (e.g. 1.x `securityRequirements: []` per skill).
 */
import { EXTENDED_SKILL_ID } from './auth/auth.js';
import { REFERENCE_TRIGGERS } from './triggers.js';

/** Mount points under the base URL (the card is served at the SDK's AGENT_CARD_PATH). */
export const TRANSPORT_PATHS = { jsonrpc: '/a2a/jsonrpc', rest: '/a2a/rest' } as const;

const TEXT = { inputModes: ['text/plain'], outputModes: ['text/plain'] };

export const REFERENCE_SKILLS = [
  {
    id: 'echo',
    name: 'Echo',
    description: 'Replies with a direct message that echoes the text (no task).',
    tags: ['echo', 'message'],
    examples: [REFERENCE_TRIGGERS.message.text],
    ...TEXT,
  },
  {
    id: 'scripted-tasks',
    name: 'Scripted tasks',
    description:
      'Runs a scripted task lifecycle selected by the message text or messageId prefix: chunked report, ' +
      'long cancelable job, input-required, auth-required, failed and rejected tasks.',
    tags: ['task', 'streaming', 'conformance'],
    examples: [
      REFERENCE_TRIGGERS.task.text,
      REFERENCE_TRIGGERS.slow.text,
      REFERENCE_TRIGGERS['input-required'].text,
      REFERENCE_TRIGGERS['auth-required'].text,
      REFERENCE_TRIGGERS.failed.text,
      REFERENCE_TRIGGERS.rejected.text,
    ],
    ...TEXT,
  },
];

/** The skill only the authenticated extended card lists. */
export const EXTENDED_SKILL = {
  id: EXTENDED_SKILL_ID,
  name: 'Authenticated extras',
  description: 'Listed only in the authenticated extended agent card.',
  tags: ['extended-card'],
  ...TEXT,
};

export const EXTENDED_DESCRIPTION_SUFFIX = ' (extended card for authenticated clients)';
