/**
 * The a2a-tck's SUT contract (a2aproject/a2a-tck, 1.0 line: scenarios/core_operations.feature and the Python SUT's
 * executor): the TCK selects a behaviour by the `messageId` prefix of the user message (`tck-<name>-<session>`).
 * The 1.x reference agent honours it as well as its own triggers, so the harness and the TCK can be pointed at the
 * same agent (`npm run bench -- --tck DIR`). Written from the contract's description; no TCK code is used.
 *
 * Prefixes are matched in order (a longer prefix before one it extends). Behaviours the reference agent already has
 * map onto them (`tck-delayed-complete` is the `slow` task, `tck-input-required` the `input-required` one, ...);
 * the others are small scripts: optionally `working`, some artifact updates, then `completed` with an optional agent
 * message. Any other `tck-` id completes a task with an echo, like the TCK's own SUT.
 */
import type { ReferenceBehaviour } from './triggers.js';

/** One artifact part (text, inline file bytes, file URL or structured data). */
export type ArtifactPart =
  | { kind: 'text'; text: string }
  | { kind: 'file'; bytes: Buffer; name: string; mediaType: string }
  | { kind: 'url'; url: string; name: string; mediaType: string }
  | { kind: 'data'; data: Record<string, unknown> };

export interface TckScript {
  kind: 'script';
  working: boolean;
  artifacts: { part: ArtifactPart; append: boolean; lastChunk: boolean }[];
  /** Agent message on the `completed` status. */
  message?: string;
}

export type TckBehaviour =
  | { kind: 'trigger'; trigger: ReferenceBehaviour }
  | { kind: 'message'; text: string } // a direct Message reply, no task
  | TckScript;

const text = (t: string): ArtifactPart => ({ kind: 'text', text: t });
const one = (part: ArtifactPart) => [{ part, append: false, lastChunk: true }];
const script = (working: boolean, artifacts: TckScript['artifacts'], message?: string): TckScript => ({
  kind: 'script',
  working,
  artifacts,
  ...(message !== undefined ? { message } : {}),
});
const FILE: ArtifactPart = { kind: 'file', bytes: Buffer.from('tck'), name: 'output.txt', mediaType: 'text/plain' };

export const TCK_PREFIXES: readonly (readonly [string, TckBehaviour])[] = [
  ['tck-message-response', { kind: 'message', text: 'Direct message response' }],
  ['tck-input-required', { kind: 'trigger', trigger: 'input-required' }],
  ['tck-reject-task', { kind: 'trigger', trigger: 'rejected' }],
  ['tck-delayed-complete', { kind: 'trigger', trigger: 'slow' }],
  ['test-resubscribe-message-id', { kind: 'trigger', trigger: 'slow' }],
  ['tck-complete-task', script(false, [], 'Hello from TCK')],
  ['tck-artifact-text', script(false, one(text('Generated text content')))],
  [
    'tck-artifact-file-url',
    script(
      false,
      one({ kind: 'url', url: 'https://example.com/output.txt', name: 'output.txt', mediaType: 'text/plain' }),
    ),
  ],
  ['tck-artifact-file', script(false, one(FILE))],
  ['tck-artifact-data', script(false, one({ kind: 'data', data: { key: 'value', count: 42 } }))],
  [
    'tck-stream-artifact-chunked',
    script(true, [
      { part: text('chunk-1 '), append: true, lastChunk: false },
      { part: text('chunk-2'), append: true, lastChunk: true },
    ]),
  ],
  ['tck-stream-artifact-text', script(true, one(text('Streamed text content')))],
  ['tck-stream-artifact-file', script(true, one(FILE))],
  ['tck-stream-ordering-001', script(true, one(text('Ordered output')))],
  ['tck-stream-001', script(true, one(text('Stream hello from TCK')))],
  ['tck-stream-002', script(false, [])],
  ['tck-stream-003', script(true, one(text('Stream task lifecycle')))],
];

/** The TCK behaviour a messageId selects, or undefined when it is not a TCK id (the reference triggers apply). */
export function selectTckBehaviour(messageId: string | undefined): TckBehaviour | undefined {
  if (!messageId) return undefined;
  for (const [prefix, behaviour] of TCK_PREFIXES) if (messageId.startsWith(prefix)) return behaviour;
  if (messageId.startsWith('tck-')) return script(false, [], `Unhandled messageId prefix: ${messageId}`);
  return undefined;
}
