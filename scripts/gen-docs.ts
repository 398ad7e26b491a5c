/**
 * `npm run gen:docs` (node --import tsx scripts/gen-docs.ts): the documentation derived from the live catalogue and
 * the fault modules, so it cannot drift from them.
 *
 * - README.md: the regions between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` (the suites table, the
 *   check, suite and fault counts, the suite names of `--suite`); everything outside them is hand-written and kept.
 *   The whole file is then put through Biome's formatter (it aligns Markdown tables), so `biome ci` stays clean.
 * - docs/kill-matrix.md: which fault claims to kill which check (test/tools/kill-matrix-doc.ts), static; formatted
 *   by Biome too.
 *
 * `--check` writes nothing and exits 1 naming every stale file; test/unit/generated-docs.test.ts does the same.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckDefinition } from '../src/checks/types.js';
import { PACKAGE_ROOT } from '../src/core/harness-info.js';
import { ALL_CHECKS, ALL_SUITES } from '../suites/index.js';
import { loadFaultModules, type FaultModule } from '../test/faults/index.js';
import { coveredSuites, renderKillMatrixDoc } from '../test/tools/kill-matrix-doc.js';

export const GEN_DOCS_COMMAND = 'npm run gen:docs';

interface Suiteish {
  name: string;
  description: string;
}

/** The README regions, by marker name; `block` regions stand on lines of their own, the others inside a sentence. */
export function readmeRegions(
  suites: readonly Suiteish[],
  checks: readonly CheckDefinition[],
  faults: number,
  benign = 0,
): Record<string, { block: boolean; text: string }> {
  const count = (s: string) => checks.filter((c) => c.suite === s).length;
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const table = [
    '| Suite | Checks | Covers |',
    '|---|---|---|',
    ...suites.map((s) => `| \`${s.name}\` | ${count(s.name)} | ${esc(s.description)} |`),
  ].join('\n');
  return {
    suites: { block: true, text: table },
    'catalogue-size': { block: false, text: `${checks.length} checks in ${suites.length} suites` },
    'fault-count': {
      block: false,
      text: `${faults} faults${benign ? ` and ${benign} benign variants no check may fail` : ''}`,
    },
    'suite-names': { block: false, text: suites.map((s) => `\`${s.name}\``).join(', ') },
  };
}

const REGION = /<!-- generated:([a-z0-9-]+) -->([\s\S]*?)<!-- \/generated:([a-z0-9-]+) -->/g;

/** README text with every generated region replaced; throws on an unknown, unclosed or missing region. */
export function fillRegions(readme: string, regions: Record<string, { block: boolean; text: string }>): string {
  const seen = new Set<string>();
  const out = readme.replace(REGION, (_m, open: string, _body: string, close: string) => {
    if (open !== close) throw new Error(`README: <!-- generated:${open} --> is closed by /generated:${close}`);
    const r = regions[open];
    if (!r) throw new Error(`README: unknown generated region "${open}" (known: ${Object.keys(regions).join(', ')})`);
    seen.add(open);
    const body = r.block ? `\n\n${r.text}\n\n` : r.text;
    return `<!-- generated:${open} -->${body}<!-- /generated:${open} -->`;
  });
  const missing = Object.keys(regions).filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`README: generated region(s) missing: ${missing.join(', ')}`);
  return out;
}

/** Markdown as `biome format` writes it (biome.json of the repository: 120 columns, aligned tables). */
export function biomeFormat(text: string, asPath: string, root = PACKAGE_ROOT): string {
  return execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', `--stdin-file-path=${asPath}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface GeneratedFile {
  /** Relative to the package root. */
  path: string;
  text: string;
}

/** Every generated file, as it should be now (README.md whole, with its hand-written parts as they are on disk). */
export async function generatedDocs(
  root = PACKAGE_ROOT,
  modules?: FaultModule[],
  checks: CheckDefinition[] = ALL_CHECKS,
): Promise<GeneratedFile[]> {
  const faultModules = modules ?? (await loadFaultModules());
  const faults = faultModules.reduce((n, m) => n + m.faults.filter((f) => !f.benign).length, 0);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const benign = faultModules.reduce((n, m) => n + m.faults.filter((f) => f.benign).length, 0);
  const filled = fillRegions(readme, readmeRegions(ALL_SUITES, checks, faults, benign));
  const suites = coveredSuites(
    faultModules.map((m) => m.name),
    checks,
  );
  return [
    { path: 'README.md', text: biomeFormat(filled, 'README.md', root) },
    {
      path: 'docs/kill-matrix.md',
      text: biomeFormat(renderKillMatrixDoc(faultModules, checks, suites), 'docs/kill-matrix.md', root),
    },
  ];
}

/** Generated files whose committed text differs from what they should be. */
export function staleFiles(files: GeneratedFile[], root = PACKAGE_ROOT): string[] {
  return files
    .filter((f) => {
      try {
        return readFileSync(join(root, f.path), 'utf8') !== f.text;
      } catch {
        return true;
      }
    })
    .map((f) => f.path);
}

async function main(argv: string[]): Promise<number> {
  const files = await generatedDocs();
  const stale = staleFiles(files);
  if (argv.includes('--check')) {
    if (stale.length) {
      process.stderr.write(`stale generated docs: ${stale.join(', ')}; run \`${GEN_DOCS_COMMAND}\`\n`);
      return 1;
    }
    return 0;
  }
  for (const f of files) if (stale.includes(f.path)) writeFileSync(join(PACKAGE_ROOT, f.path), f.text);
  process.stdout.write(stale.length ? `wrote ${stale.join(', ')}\n` : 'generated docs are up to date\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gen-docs: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
