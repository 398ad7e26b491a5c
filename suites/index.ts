/**
 * The catalogue: every check of every suite, in report order. Nothing is listed by hand: each folder under suites/
 * (but lib/) is a suite, declared once in its suite.ts; every other module in the folder is loaded, and the checks it
 * defines through the suite register themselves (src/checks/suite.ts). A duplicate id fails while loading.
 */
import { readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registeredChecks, registeredSuites } from '../src/checks/suite.js';
import type { CheckDefinition } from '../src/checks/types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `.ts` under vitest/tsx, `.js` in dist/. */
const ext = extname(fileURLToPath(import.meta.url));
const isModule = (f: string) => f.endsWith(ext) && !f.endsWith(`.d${ext}`) && !f.endsWith(`.test${ext}`);

/** Folders under suites/ that hold shared helpers, not a suite. */
const NOT_SUITES = new Set(['lib']);

/** Every suite module, relative to suites/ (suite.ts first in each folder, then by name). */
export const SUITE_MODULES: string[] = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_SUITES.has(d.name))
  .map((d) => d.name)
  .sort()
  .flatMap((dir) =>
    readdirSync(join(here, dir))
      .filter(isModule)
      .sort((a, b) => Number(b.startsWith('suite.')) - Number(a.startsWith('suite.')) || a.localeCompare(b))
      .map((f) => `${dir}/${f}`),
  );

for (const m of SUITE_MODULES) await import(pathToFileURL(join(here, m)).href);

export const ALL_CHECKS: CheckDefinition[] = registeredChecks();
export const ALL_SUITES = registeredSuites();
