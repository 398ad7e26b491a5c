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
 *
 * The guard also caps V8's young generation. V8 doubles the semi-spaces whenever much survives a scavenge, up to 16 MB
 * each on 64-bit (32 MB resident for the new space), and a run's in-flight requests and streams make it grow there.
 * `--max-semi-space-size` can only be given on the command line; what V8 does read at run time is the growth factor,
 * so the guard sets it to 1 whenever a doubling would take the new space over YOUNG_GENERATION_CAP_MB. A smaller
 * new space costs CPU (more scavenges, more promoted garbage): 4 MB cost ~5% of a default run's CPU, 8 MB ~2%.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
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

/** New space (both semi-spaces) the guard lets V8 grow to. 8 MB: 4 MB semi-spaces (V8's own default maximum: 16). */
export const YOUNG_GENERATION_CAP_MB = 8;
/**
 * V8 versions whose heap reads --semi-space-growth-factor each time it grows the new space (Node 20 to 24). V8 11 and
 * 12 (Node 20, 22) then stay within the cap; V8 13 (Node 24) sizes the new space in larger steps and ends near
 * twice the cap (14.5-17.3 MB measured, against 128 MB without the guard).
 */
const GROWTH_FACTOR_READ_AT_RUN_TIME = /^1[123]\./;

/** Whether growth is stopped (the factor is 1); undefined while the guard leaves V8's default alone. */
let youngFrozen: boolean | undefined;

function setGrowthFactor(factor: number): boolean {
  try {
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lets the new space double only while the result stays within `capBytes` (checked every tick, and every couple of
 * milliseconds while growth is allowed; V8 may also shrink it when idle). A long synchronous stretch of work may still
 * see two doublings before any timer can look. `freeze` stops growth whatever the size: at the start, before the
 * synchronous work of module loading.
 */
function holdYoungGeneration(capBytes: number, freeze = false): void {
  const size = newSpaceBytes();
  const frozen = freeze || size * 2 > capBytes;
  if (frozen !== youngFrozen && setGrowthFactor(frozen ? 1 : 2)) youngFrozen = frozen;
  // While growth is allowed, look again every couple of milliseconds (a tick may see several doublings); this ends
  // once the new space is at its cap, early in a run.
  if (youngFrozen === false && !growthWatch) {
    const watch = () => {
      growthWatch = undefined;
      if (youngFrozen === false && newSpaceBytes() !== size) holdYoungGeneration(capBytes);
      else if (youngFrozen === false) growthWatch = setTimeout(watch, GROWTH_WATCH_MS).unref();
    };
    growthWatch = setTimeout(watch, GROWTH_WATCH_MS).unref();
  }
}

let growthWatch: NodeJS.Timeout | undefined;
const GROWTH_WATCH_MS = 2;

const newSpaceBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

function releaseYoungGeneration(): void {
  clearTimeout(growthWatch);
  growthWatch = undefined;
  if (youngFrozen !== undefined && setGrowthFactor(2)) youngFrozen = undefined;
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

/**
 * Starts watching the heap; returns the function that stops it. Start it before loading what the run needs: module
 * loading alone grows the new space to 16 MB.
 */
export function startMemoryGuard(
  softLimitMb = MEMORY_SOFT_LIMIT_MB,
  youngCapMb: number | undefined = YOUNG_GENERATION_CAP_MB,
): () => void {
  const gc = gcFunction();
  if (!gc) return () => undefined;
  active++;
  const youngCap = youngCapMb && GROWTH_FACTOR_READ_AT_RUN_TIME.test(process.versions.v8) ? youngCapMb << 20 : 0;
  if (youngCap) holdYoungGeneration(youngCap, true);
  const floor = softLimitMb * 1024 * 1024;
  // Collect when the heap holds half the floor more than what survived the last collection (and at least the floor);
  // collections are spaced by ten times their own cost, so they never take more than ~10% of the time, however much
  // live data a big legitimate run holds. The cost is the CPU time the collection took, not its wall time: on a busy
  // machine a collection can wait a second for a core, and spacing by that let the heap grow by 100 MB between two.
  let threshold = floor;
  let next = 0;
  const timer = setInterval(() => {
    if (youngCap) holdYoungGeneration(youngCap);
    if (Date.now() < next || process.memoryUsage().heapUsed <= threshold) return;
    const cpu = process.cpuUsage();
    collect(gc);
    const spent = process.cpuUsage(cpu);
    next = Date.now() + Math.max(MIN_GAP_MS, (10 * (spent.user + spent.system)) / 1000);
    threshold = Math.max(floor, heapAfterGc + floor / 2);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    active = Math.max(0, active - 1);
    if (active === 0) releaseYoungGeneration();
  };
}
