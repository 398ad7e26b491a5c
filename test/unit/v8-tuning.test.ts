import { describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET, tuneV8 } from '../../src/core/v8-tuning.js';

describe('V8 tuning', () => {
  it('raises the interrupt budget unless the command line sets it', () => {
    expect(INTERRUPT_BUDGET).toBeGreaterThan(67_584);
    expect(tuneV8(['--interrupt-budget=100000'])).toBe(false);
    expect(tuneV8(['--interrupt_budget', '100000'])).toBe(false);
    expect(tuneV8(['--max-old-space-size=512'])).toBe(true);
  });
});
