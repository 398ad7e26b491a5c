/**
 * The check catalogue, two ways: metadata only (dist/catalogue.json, written at build time — what `--list`,
 * `--help` and selection need, without loading the suites' code and the schema validators), and the runnable
 * definitions (the suites themselves), loaded only for a run.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/harness-info.js';
import type { CheckDefinition } from './types.js';

export type CheckInfo = Omit<CheckDefinition, 'run'>;

export async function loadCatalogueInfo(): Promise<CheckInfo[]> {
  const file = join(PACKAGE_ROOT, 'dist', 'catalogue.json');
  const suites = join(PACKAGE_ROOT, 'dist', 'suites', 'index.js');
  // Only when it is at least as new as the compiled suites (a `tsc`-only rebuild must not leave a stale list).
  const mtime = (f: string) => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const [cat, code] = [mtime(file), mtime(suites)];
  if (cat !== undefined && code !== undefined && cat >= code)
    return JSON.parse(readFileSync(file, 'utf8')) as CheckInfo[];
  return loadCatalogue();
}

export async function loadCatalogue(): Promise<CheckDefinition[]> {
  return (await import('../../suites/index.js')).ALL_CHECKS;
}
