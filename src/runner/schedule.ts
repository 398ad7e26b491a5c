/**
 * Scheduling policy: which checks start first and how many run at once against one target.
 *
 * A run lasts as long as its critical path: the checks that wait on the agent's long tasks. They start first (their
 * expected cost is known from the triggers they need), so they overlap everything else instead of queueing behind it.
 * What loads the agent is bounded separately, as requests in flight (see RequestGate); the number of checks in flight
 * only has a hard cap so that waiting checks (streams, timers, webhooks) never flood an agent with connections.
 */
import type { TriggerName } from '../core/types.js';
import type { CheckDefinition } from '../checks/types.js';

/** Relative expected duration of a check that needs each trigger (only the order matters). */
const TRIGGER_COST: Partial<Record<TriggerName, number>> = {
  slow: 100, // seconds by definition ("a task that stays working for seconds")
  task: 2, // completes, usually after a few updates
  'input-required': 1,
  'auth-required': 1,
  failed: 1,
  rejected: 1,
};

/** Expected cost of a check (higher starts earlier); 0 for checks that need no trigger. */
export function expectedCost(check: Pick<CheckDefinition, 'requires'>): number {
  let cost = 0;
  for (const t of check.requires?.triggers ?? []) cost = Math.max(cost, TRIGGER_COST[t] ?? 0);
  return cost;
}

/** Longest-expected first; ties keep the catalogue order (a stable sort). Returns a new array. */
export function longestFirst<T extends { check: Pick<CheckDefinition, 'requires'> }>(tasks: readonly T[]): T[] {
  return tasks
    .map((t, i) => ({ t, i, c: expectedCost(t.check) }))
    .sort((a, b) => b.c - a.c || a.i - b.i)
    .map((x) => x.t);
}

/** Hard cap on checks in flight against one target, derived from its request limit (`concurrency`). */
export const CHECKS_PER_REQUEST_SLOT = 8;
export const MIN_CHECKS_IN_FLIGHT = 16;
export const MAX_CHECKS_IN_FLIGHT = 128;

export function checksInFlightCap(concurrency: number): number {
  const c = Number.isFinite(concurrency) && concurrency >= 1 ? Math.floor(concurrency) : 1;
  return Math.min(MAX_CHECKS_IN_FLIGHT, Math.max(MIN_CHECKS_IN_FLIGHT, c * CHECKS_PER_REQUEST_SLOT));
}

/** Connections the target's HTTP pool may open: one per check in flight plus the request slots (streams hold one). */
export function connectionCap(concurrency: number): number {
  return checksInFlightCap(concurrency) + Math.max(1, Math.floor(concurrency));
}
