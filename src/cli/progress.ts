/** Progress output: a live status line on a TTY, plain lines otherwise. Honours NO_COLOR / FORCE_COLOR. */
import type { Outcome } from '../core/types.js';
import type { ProgressEvent } from '../runner/run.js';

export interface ProgressPrinter {
  onEvent(e: ProgressEvent): void;
  done(): void;
}

export function useColor(stream: NodeJS.WriteStream, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

const CODES: Record<string, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};
export function painter(enabled: boolean) {
  return (color: keyof typeof CODES, s: string) =>
    enabled ? `\x1b[${CODES[color]![0]}m${s}\x1b[${CODES[color]![1]}m` : s;
}

/**
 * Text from targets made safe for a terminal: C0/C1 controls (ANSI escapes included), DEL and bidi overrides or
 * isolates are shown as \uXXXX, so nothing a target sends can move the cursor, recolour or reorder the output.
 */
export function termSafe(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, env = process.env): ProgressPrinter {
  const live = Boolean(stream.isTTY) && env.CI === undefined;
  const paint = painter(useColor(stream, env));
  let planned = 0;
  let done = 0;
  let failures = 0;
  const targets = new Map<string, { planned: number; done: number }>();
  let lastDraw = 0;

  const line = () => {
    const active = [...targets.entries()].filter(([, t]) => t.done < t.planned).map(([n]) => n);
    return (
      `checks ${done}/${planned}  failures ${failures ? paint('red', String(failures)) : '0'}  targets ` +
      (`${targets.size - active.length}/${targets.size} done` +
        `${active.length ? `  (running: ${active.slice(0, 3).join(', ')}${active.length > 3 ? '…' : ''})` : ''}`)
    );
  };
  const draw = (force = false) => {
    if (!live) return;
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    stream.write(`\r\x1b[2K${line()}`);
  };
  const print = (s: string) => {
    if (live) stream.write('\r\x1b[2K');
    stream.write(`${s}\n`);
    draw(true);
  };
  const mark: Partial<Record<Outcome, string>> = { fail: paint('red', 'FAIL'), error: paint('red', 'ERROR') };

  return {
    onEvent(e) {
      switch (e.type) {
        case 'target-start':
          targets.set(e.target, { planned: 0, done: 0 });
          if (!live) print(`[${e.target}] starting`);
          break;
        case 'target-planned':
          targets.get(e.target)!.planned = e.checks;
          planned += e.checks;
          if (!live) print(`[${e.target}] ${e.checks} checks planned`);
          break;
        case 'result': {
          done++;
          const t = targets.get(e.result.target);
          if (t) t.done++;
          const r = e.result;
          if ((r.outcome === 'fail' || r.outcome === 'error') && r.baseline !== 'expected') {
            failures++;
            print(
              `${mark[r.outcome]} ${r.target} ${r.version}/${r.binding ?? 'card'} ${r.checkId}: ${termSafe(r.message)}`,
            );
          }
          draw();
          break;
        }
        case 'target-done':
          print(
            `[${e.target}] ` +
              (`${e.status === 'tested' ? paint('green', 'done') : paint('red', e.status)}` +
                `${e.message ? `: ${termSafe(e.message)}` : ''}`),
          );
          break;
      }
    },
    done() {
      if (live) stream.write('\r\x1b[2K');
    },
  };
}
