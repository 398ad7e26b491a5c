/**
 * V8 tuning for a short, busy process (the CLI's run lasts seconds). Loaded first by bin/a2a-conformance.js, before
 * the harness's modules.
 *
 * V8 hands a function to its optimizing compiler (TurboFan, on background threads) once the function has run long
 * enough. At V8's default threshold it compiles hundreds of functions a run never runs long enough to pay back: on
 * Node 20, in the default targets.yaml run, the compiler threads took about a third of the harness's CPU. Eight times
 * the threshold leaves optimization to the really hot functions: ~14 % less CPU for the default run on Node 20, ~3 %
 * on Node 24 (bench/notes.md). The flag that sets the threshold changed between V8 versions, and V8 prints an error
 * for a flag it does not know, so each known V8 line has its own row and any other version is left alone.
 */
import { setFlagsFromString } from 'node:v8';

interface TierUp {
  /** V8 versions (process.versions.v8) the row applies to. */
  v8: RegExp;
  flag: string;
  value: number;
}

const TIER_UP: readonly TierUp[] = [
  // Node 20: bytes of bytecode run before tier-up; 8 × the default 67,584 (V8 11.3).
  { v8: /^11\./, flag: 'interrupt-budget', value: 540_672 },
  // Node 22 (V8 12.4) and 24 (V8 13.6): invocations before TurboFan; 8 × the default 3,000.
  { v8: /^1[23]\./, flag: 'invocation-count-for-turbofan', value: 24_000 },
];

/** The V8 flag to set for this V8 version, unless there is none or the command line already sets it. */
export function tuningFor(v8Version: string, execArgv: readonly string[]): string | undefined {
  const row = TIER_UP.find((r) => r.v8.test(v8Version));
  if (!row) return undefined;
  const spelled = new RegExp(`^--${row.flag.replace(/-/g, '[-_]')}(=|$)`);
  if (execArgv.some((a) => spelled.test(a))) return undefined;
  return `--${row.flag}=${row.value}`;
}

/** Applies the tuning for the running V8; returns the flag it set, if any. */
export function tuneV8(execArgv: readonly string[] = process.execArgv): string | undefined {
  const flag = tuningFor(process.versions.v8, execArgv);
  if (flag) setFlagsFromString(flag);
  return flag;
}
