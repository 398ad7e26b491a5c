/**
 * The shipped traceability files: every 0.3 and 1.0 server requirement is covered by checks or excluded with a reason.
 */
import { describe, expect, it } from 'vitest';
import { loadTraceability } from '../../src/traceability/coverage.js';

describe('requirements/ against the live catalogue', () => {
  it('has no uncovered requirement, no unknown check id and no dangling citation', async () => {
    const t = await loadTraceability();
    expect(t.problems.map((p) => `${p.version ?? ''} ${p.message}`)).toEqual([]);
    expect(t.ok).toBe(true);
  });
});
