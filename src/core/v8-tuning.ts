/**
 * V8 tuning for a short, busy process (the CLI's run lasts seconds). Loaded first by bin/a2a-conformance.js, before
 * the harness's modules.
 *
 * V8 hands a function to its optimizing compiler (TurboFan, on background threads) once the function has run through
 * `--interrupt-budget` bytes of bytecode. At the default budget it compiles hundreds of functions a run never runs
 * long enough to pay back: in the default targets.yaml run the compiler threads took about a third of the harness's
 * CPU (~1.4 s of ~4 s). Eight times the budget leaves optimization to the really hot functions: ~14 % less CPU for
 * the default run, ~12 % for 10 targets (bench/notes.md), with no measurable loss in the main thread's speed.
 */
import { setFlagsFromString } from 'node:v8';

/** 8 × V8's default (67,584 bytes of bytecode in V8 11.3, Node 20). */
export const INTERRUPT_BUDGET = 540_672;

/** Applies the tuning unless the command line already sets the flag (`node --interrupt-budget=N ...`). */
export function tuneV8(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /^--interrupt[-_]budget(=|$)/.test(a))) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
