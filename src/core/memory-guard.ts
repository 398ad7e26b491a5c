/**
 * Memory guard. Hostile targets make the harness allocate a lot that it throws away at once (megabytes of bodies cut
 * at the cap, floods of SSE events, checkpoints of results.json): the live heap stays small (tens of MB), but V8,
 * with gigabytes of headroom, lets garbage pile up and the process grows to hundreds of MB. While a run is in progress
 * the guard looks at the heap ten times a second and, when it holds more than `softLimitMb` and more than half of it
 * above what survived the previous collection, asks V8 for a full collection (spaced by 300 ms or ten times the cost
 * of the last one). `relieveMemory()` does the same between the big allocations of the end of a run (the final
 * results.json, each report), when the heap grew by RELIEVE_MIN_GROWTH_MB since the last forced collection.
 *
 * The collector is reached through `--expose-gc` set at run time (no flag needed on the command line). Where that is
 * not possible the guard does nothing: memory is then only V8's business, as before.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap size (MB) above which the guard collects. */
export const MEMORY_SOFT_LIMIT_MB = 64;
const CHECK_EVERY_MS = 100;
const MIN_GAP_MS = 300;

let collector: (() => void) | null | undefined;

function gcFunction(): (() => void) | null {
  if (collector !== undefined) return collector;
  collector = null;
  try {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') collector = existing;
    else {
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('gc');
      if (typeof fn === 'function') collector = fn as () => void;
    }
  } catch {
    collector = null;
  }
  return collector;
}

let active = 0;

/**
 * Growth of the heap (MB) since the last forced collection below which `relieveMemory()` does not collect: a full
 * collection costs tens of milliseconds of CPU whatever it frees, and the small reports leave only a few MB.
 */
export const RELIEVE_MIN_GROWTH_MB = 16;
/** Heap used right after the last forced collection. */
let heapAfterGc = 0;

function collect(gc: () => void): void {
  gc();
  heapAfterGc = process.memoryUsage().heapUsed;
}

/**
 * A full collection now, when a run is in progress (a guard is started), the collector is reachable and the heap
 * grew by RELIEVE_MIN_GROWTH_MB or more since the last forced collection.
 */
export function relieveMemory(): void {
  if (active === 0) return;
  const gc = gcFunction();
  if (gc && process.memoryUsage().heapUsed >= heapAfterGc + RELIEVE_MIN_GROWTH_MB * 1024 * 1024) collect(gc);
}

/** Starts watching the heap; returns the function that stops it. */
export function startMemoryGuard(softLimitMb = MEMORY_SOFT_LIMIT_MB): () => void {
  const gc = gcFunction();
  if (!gc) return () => undefined;
  active++;
  const floor = softLimitMb * 1024 * 1024;
  // Collect when the heap holds half the floor more than what survived the last collection (and at least the floor);
  // collections are spaced by ten times their own cost, so they never take more than ~10% of the time, however much
  // live data a big legitimate run holds.
  let threshold = floor;
  let next = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    if (now < next || process.memoryUsage().heapUsed <= threshold) return;
    collect(gc);
    const after = Date.now();
    next = after + Math.max(MIN_GAP_MS, 10 * (after - now));
    threshold = Math.max(floor, heapAfterGc + floor / 2);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    active = Math.max(0, active - 1);
  };
}
