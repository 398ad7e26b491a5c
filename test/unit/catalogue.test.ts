/**
 * The catalogue is derived, so it is validated here: every check defined under suites/ is registered (no module
 * escapes discovery, nothing calls defineCheck directly), ids are unique, every suite is declared once, and every
 * registered check has at least one fault in the kill matrix that claims to kill it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idMatcher } from '../../src/checks/registry.js';
import { defineSuite } from '../../src/checks/suite.js';
import { PACKAGE_ROOT } from '../../src/core/harness-info.js';
import { ALL_CHECKS, ALL_SUITES, SUITE_MODULES } from '../../suites/index.js';
import { loadFaults } from '../faults/index.js';
import { ALLOW_UNKILLED } from '../../scripts/selftest-faults.js';

const SUITES_DIR = join(PACKAGE_ROOT, 'suites');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('check catalogue', () => {
  it('loads every suite module that defines checks, and nothing defines a check outside a suite', () => {
    const loaded = new Set(SUITE_MODULES);
    const problems: string[] = [];
    for (const file of sourceFiles(SUITES_DIR)) {
      const rel = relative(SUITES_DIR, file);
      const text = readFileSync(file, 'utf8');
      if (/\bdefineCheck\(/.test(text)) problems.push(`${rel} calls defineCheck directly (use its suite's check())`);
      if (/\bsuite\.check\(/.test(text) && !loaded.has(rel)) problems.push(`${rel} defines checks but is not loaded`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every check a unique id, a declared suite and a suite.ts per folder', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const suites = new Set(ALL_SUITES.map((s) => s.name));
    expect(ALL_CHECKS.filter((c) => !suites.has(c.suite)).map((c) => c.id)).toEqual([]);
    const folders = new Set(SUITE_MODULES.map((m) => m.split('/')[0]));
    for (const f of folders) expect(SUITE_MODULES, `suites/${f}/suite.ts`).toContain(`${f}/suite.ts`);
    expect([...folders].sort()).toEqual([...suites].sort());
  });

  it('rejects a duplicate check id and a suite declared twice at definition time', () => {
    const s = defineSuite({ name: 'selftest', title: 't', description: 'd', order: 99, scope: 'binding' });
    const spec = {
      id: 'selftest.dup.rule',
      title: 't',
      level: 'MUST' as const,
      requirement: 'r',
      specRefs: { '1.0': [{ section: '3.1.1' }] },
      run: async () => {},
    };
    s.check(spec);
    expect(() => s.check(spec)).toThrow(/duplicate check id selftest\.dup\.rule/);
    expect(() => defineSuite({ name: 'selftest', title: 't', description: 'd', order: 99, scope: 'binding' })).toThrow(
      /defined twice/,
    );
  });

  it('has at least one fault in the kill matrix for every registered check', async () => {
    const faults = await loadFaults();
    const matchers = faults.flatMap((f) => f.kills.map(idMatcher));
    const unfaulted = ALL_CHECKS.map((c) => c.id).filter(
      (id) => !(id in ALLOW_UNKILLED) && !matchers.some((m) => m(id)),
    );
    expect(unfaulted).toEqual([]);
  });
});
