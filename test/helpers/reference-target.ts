/** A ResolvedTarget for a bundled reference agent started in-process (tests and the kill matrix). */
import { TRIGGER_PRESETS } from '../../src/config/trigger-presets.js';
import type { ResolvedTarget } from '../../src/config/types.js';
import type { ProtocolVersion } from '../../src/core/types.js';

/** What each reference agent claims to serve (the claim targets.yaml makes for them). */
export const REFERENCE_CLAIMS: Record<'v1' | 'v03', ProtocolVersion[]> = { v1: ['0.3', '1.0'], v03: ['0.3'] };

export interface ReferenceTargetOptions {
  name: string;
  url: string;
  agent: 'v1' | 'v03';
  /** Request headers (credentials); their values are the target's secrets unless `secrets` says otherwise. */
  headers?: Record<string, string>;
  secrets?: string[];
  checkTimeoutMs?: number;
  tags?: string[];
  /** The file that builds the target (shown where a report names the target's source). */
  source: string;
}

export function referenceTarget(o: ReferenceTargetOptions): ResolvedTarget {
  const headers = o.headers ?? {};
  return {
    name: o.name,
    url: o.url,
    cardUrl: `${o.url}/.well-known/agent-card.json`,
    headers,
    secrets: o.secrets ?? Object.values(headers),
    protocols: REFERENCE_CLAIMS[o.agent],
    timeoutMs: 5000,
    checkTimeoutMs: o.checkTimeoutMs ?? 15_000,
    streamIdleTimeoutMs: 5000,
    concurrency: 32,
    tags: o.tags ?? [],
    triggers: TRIGGER_PRESETS.reference!,
    triggersPreset: 'reference',
    specProfile: '1.0.1',
    expectedFailures: [],
    maxBodyBytes: 8 * 1024 * 1024,
    source: { file: o.source, line: 0, col: 0 },
  };
}
