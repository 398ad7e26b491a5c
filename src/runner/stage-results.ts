/**
 * Results for targets that never reached their checks: the agent did not start, the card could not be fetched at
 * the transport level (refused, timed out, reset, TLS, oversized headers…), or the harness itself failed on the
 * target. Each such stage is one `error` result per protocol version of interest, so every target has results in
 * every report (and the run's exit code, 3, says the target could not be tested).
 */
import type { ProtocolVersion } from '../core/types.js';
import type { ResolvedTarget } from '../config/types.js';
import type { CheckMeta, CheckResult } from '../results/types.js';

export type Stage = 'start' | 'discovery' | 'harness';

export const STAGE_CHECKS: Record<Stage, CheckMeta> = {
  start: {
    id: 'harness.target.start',
    suite: 'harness',
    title: 'The agent could be started',
    level: 'MUST',
    requirement:
      'The harness starts the agent as targets.yaml `start` says, and it answers its ready URL within readyTimeoutMs.',
    specRefs: {},
    scenario: 'harness.target.start',
  },
  discovery: {
    id: 'harness.target.discovery',
    suite: 'harness',
    title: 'The agent card could be fetched',
    level: 'MUST',
    requirement:
      'The agent card URL answers with a complete HTTP response within the configured bounds (timeoutMs, body and ' +
      'header size caps); without it no check can run.',
    specRefs: {},
    scenario: 'harness.target.discovery',
  },
  harness: {
    id: 'harness.target.run',
    suite: 'harness',
    title: 'The harness could run the target',
    level: 'MUST',
    requirement: 'The harness runs every selected check against the target without failing itself.',
    specRefs: {},
    scenario: 'harness.target.run',
  },
};

/** Versions a stage result is reported for: the target's claimed ones (or both), within --protocol. */
export function stageVersions(target: ResolvedTarget, protocols?: ProtocolVersion[]): ProtocolVersion[] {
  const claimed = (target.protocols?.length ? target.protocols : ['0.3', '1.0']) as ProtocolVersion[];
  const wanted = claimed.filter((v) => !protocols || protocols.includes(v));
  return wanted.length ? wanted : [claimed[0]!];
}

export function stageResults(
  stage: Stage,
  target: ResolvedTarget,
  message: string,
  opts: { protocols?: ProtocolVersion[]; transcriptIds?: string[]; durationMs?: number } = {},
): CheckResult[] {
  return stageVersions(target, opts.protocols).map((version) => ({
    checkId: STAGE_CHECKS[stage].id,
    target: target.name,
    version,
    binding: null,
    outcome: 'error',
    message,
    durationMs: opts.durationMs ?? 0,
    transcriptIds: opts.transcriptIds ?? [],
  }));
}
