/**
 * Stage marks for measurement: the run publishes the name of each stage boundary on a diagnostics channel
 * (`a2a-conformance:stage`). Nothing listens in normal runs (publishing is then a no-op); the benchmark's preload
 * (bench/cpu-report.mjs) subscribes and records the process's CPU time and RSS at every mark.
 */
import { channel } from 'node:diagnostics_channel';

export const STAGE_CHANNEL = 'a2a-conformance:stage';
const stages = channel(STAGE_CHANNEL);

export type StageName =
  | 'cli:ready' // modules loaded, configuration read; the run starts
  | 'target:checks-start' // a target is started and discovered; its checks begin
  | 'target:checks-done'
  | 'run:checks-done' // every target finished
  | 'run:results-written' // results.json written for the last time
  | 'cli:reports-written'; // junit.xml, report.html, summary.md written

export function markStage(name: StageName, target?: string): void {
  if (stages.hasSubscribers) stages.publish({ name, target });
}
