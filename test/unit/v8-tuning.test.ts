import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tuningFor } from '../../src/core/v8-tuning.js';

describe('V8 tuning', () => {
  it('picks the tier-up flag of each known V8 line at 8 × its default, and nothing for an unknown one', () => {
    expect(tuningFor('11.3.244.8-node.33', [])).toBe('--interrupt-budget=540672');
    expect(tuningFor('12.4.254.21-node.57', [])).toBe('--invocation-count-for-turbofan=24000');
    expect(tuningFor('13.6.233.17-node.63', [])).toBe('--invocation-count-for-turbofan=24000');
    expect(tuningFor('14.1.0', [])).toBeUndefined();
  });

  it('leaves the flag to the command line when it sets it, in either spelling', () => {
    expect(tuningFor('11.3.244.8', ['--interrupt-budget=100000'])).toBeUndefined();
    expect(tuningFor('11.3.244.8', ['--interrupt_budget', '100000'])).toBeUndefined();
    expect(tuningFor('12.4.254.21', ['--invocation_count_for_turbofan=10'])).toBeUndefined();
    expect(tuningFor('11.3.244.8', ['--max-old-space-size=512'])).toBe('--interrupt-budget=540672');
  });

  it('names a flag the running V8 knows (V8 prints an error for an unknown one)', () => {
    const flag = tuningFor(process.versions.v8, []);
    if (!flag) return;
    const name = flag.slice(0, flag.indexOf('='));
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    expect(options).toContain(`  ${name} (`);
    const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
