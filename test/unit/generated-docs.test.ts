/**
 * The generated documentation is true: README's generated regions (suites table, counts, suite names) and
 * docs/kill-matrix.md are regenerated in memory from the live catalogue and fault modules and compared with the
 * committed files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/harness-info.js';
import { ALL_CHECKS, ALL_SUITES } from '../../suites/index.js';
import { GEN_DOCS_COMMAND, fillRegions, generatedDocs, readmeRegions } from '../../scripts/gen-docs.js';
import { loadFaultModules } from '../faults/index.js';

const modules = await loadFaultModules();
const files = await generatedDocs(PACKAGE_ROOT, modules);

describe('generated docs', () => {
  it.each(files.map((f) => [f.path, f] as const))('%s is up to date', (path, f) => {
    const committed = readFileSync(join(PACKAGE_ROOT, path), 'utf8');
    expect(committed === f.text, `${path} is stale: run \`${GEN_DOCS_COMMAND}\` and commit the result`).toBe(true);
  });

  it('README states the live check, fault and benign-variant counts and one table row per suite', () => {
    const readme = files.find((f) => f.path === 'README.md')!.text;
    const faults = modules.reduce((n, m) => n + m.faults.filter((f) => !f.benign).length, 0);
    const benign = modules.reduce((n, m) => n + m.faults.filter((f) => f.benign).length, 0);
    expect(readme).toContain(`${ALL_CHECKS.length} checks in ${ALL_SUITES.length} suites`);
    expect(readme).toContain(`${faults} faults and ${benign} benign variants`);
    for (const s of ALL_SUITES) {
      const n = ALL_CHECKS.filter((c) => c.suite === s.name).length;
      expect(readme).toMatch(new RegExp(`\\| \`${s.name}\` +\\| ${n} +\\|`));
    }
  });

  it('docs/kill-matrix.md names every fault and every check', () => {
    const doc = files.find((f) => f.path === 'docs/kill-matrix.md')!.text;
    const cell = (s: string) => new RegExp(`\\| \`${s.replace(/\./g, '\\.')}\` +\\|`);
    for (const f of modules.flatMap((m) => m.faults)) expect(doc).toMatch(cell(f.name));
    for (const c of ALL_CHECKS) expect(doc).toMatch(cell(c.id));
  });

  it('refuses a README with an unknown, mismatched or missing generated region', () => {
    const regions = readmeRegions(ALL_SUITES, ALL_CHECKS, 1);
    const all = Object.keys(regions)
      .map((n) => `<!-- generated:${n} --><!-- /generated:${n} -->`)
      .join('\n');
    expect(() => fillRegions(all, regions)).not.toThrow();
    expect(() => fillRegions(`${all}\n<!-- generated:nope -->x<!-- /generated:nope -->`, regions)).toThrow(
      /unknown generated region "nope"/,
    );
    expect(() => fillRegions(`${all}\n<!-- generated:suites -->x<!-- /generated:fault-count -->`, regions)).toThrow(
      /closed by/,
    );
    expect(() => fillRegions(all.replace(/<!-- generated:suites -->.*\n/, ''), regions)).toThrow(/missing: suites/);
  });
});
