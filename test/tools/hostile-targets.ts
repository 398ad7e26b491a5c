/**
 * targets.yaml for a hostile run: one target per behaviour of the hostile agent (test/tools/hostile-agent.ts), each
 * configured with a secret credential, plus (optionally) the healthy bundled reference agent started by the harness.
 * Used by the hostile integration test and the benchmark; also runnable:
 * `node --import tsx test/tools/hostile-targets.ts OUT.yaml` starts the hostile agent, writes the file and keeps
 * serving until SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE_SECRET, startHostileAgent, type HostileAgent } from './hostile-agent.js';

export interface HostileTargetsOptions {
  /** Add the healthy reference agent `healthy-ref-v1` (started by the harness). Default true. */
  healthy?: boolean;
  timeoutMs?: number;
  checkTimeoutMs?: number;
  streamIdleTimeoutMs?: number;
  concurrency?: number;
  /** Put into the healthy agent's environment, so a test can find any process left behind. */
  marker?: string;
}

export const HEALTHY_TARGET = 'healthy-ref-v1';
/** The repository root (the healthy agent is started from there). */
const ROOT = join(import.meta.dirname, '..', '..');

/** The healthy target's YAML entry (also used to run it alone, for comparison). */
export function healthyTargetYaml(root: string = ROOT, marker?: string): string {
  return [
    `  - name: ${HEALTHY_TARGET}`,
    '    url: http://127.0.0.1:${PORT}',
    '    start:',
    '      command: node dist/reference-agents/v1/server.js',
    `      cwd: ${JSON.stringify(root)}`,
    // A 5 s slow task (2 s by default): the checks that race it (cancel, subscribe while working) must not lose the
    // race to a machine that fifty hostile targets keep busy, or the healthy verdicts would differ from the solo run.
    `      env: { REF_AGENT_SLOW_MS: "5000"${marker ? `, A2A_HOSTILE_MARKER: ${JSON.stringify(marker)}` : ''} }`,
    '    protocols: ["1.0"]',
    '    triggers: reference',
    '    headers: { X-Healthy: "healthy-header-value" }',
    '    concurrency: 16',
    '    timeoutMs: 8000',
    '    checkTimeoutMs: 20000',
    '    streamIdleTimeoutMs: 8000',
  ].join('\n');
}

/** Behaviours whose content (not their timing) the hostile test asserts on. */
const PARSED_IN_FULL = new Set(['card-many-skills', 'card-deep-json']);

export function hostileTargetsYaml(h: HostileAgent, opts: HostileTargetsOptions = {}): string {
  const lines = [
    'defaults:',
    `  timeoutMs: ${opts.timeoutMs ?? 2000}`,
    `  checkTimeoutMs: ${opts.checkTimeoutMs ?? 4000}`,
    `  streamIdleTimeoutMs: ${opts.streamIdleTimeoutMs ?? 1500}`,
    `  concurrency: ${opts.concurrency ?? 16}`,
    '  headers: { Authorization: "Bearer ${HOSTILE_TOKEN}" }',
    'targets:',
  ];
  const add = (name: string, url: string): void => {
    lines.push(`  - name: hostile-${name}`, `    url: ${JSON.stringify(url)}`);
    // Targets whose answers the test inspects (a huge or deep card that must be parsed and bounded, not timed out):
    // a generous timeout, so a loaded machine does not turn a content assertion into a timing one.
    if (PARSED_IN_FULL.has(name)) lines.push('    timeoutMs: 15000');
  };
  for (const [name, url] of Object.entries(h.targetUrls)) add(name, url);
  add('tls-wrong-name', h.tlsUrl);
  add('https-on-plain', h.httpsOnPlainUrl);
  if (opts.healthy ?? true) lines.push(healthyTargetYaml(ROOT, opts.marker));
  return `${lines.join('\n')}\n`;
}

/** Environment the hostile targets file needs. */
export const HOSTILE_ENV = { HOSTILE_TOKEN: HOSTILE_SECRET };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2] ?? 'hostile-targets.yaml';
  const h = await startHostileAgent();
  writeFileSync(out, hostileTargetsYaml(h));
  process.stdout.write(`HOSTILE_TARGETS ${out} ${h.url}\n`);
  const stop = (): void => void h.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
