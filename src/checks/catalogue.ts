/**
 * The check catalogue, two ways: metadata only (dist/catalogue.json, written at build time — what `--list`,
 * `--help` and selection need, without loading the suites' code and the schema validators), and the runnable
 * definitions (the suites themselves), loaded only for a run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/harness-info.js';
import type { CheckDefinition } from './types.js';

export type CheckInfo = Omit<CheckDefinition, 'run'>;

export async function loadCatalogueInfo(): Promise<CheckInfo[]> {
  const file = join(PACKAGE_ROOT, 'dist', 'catalogue.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CheckInfo[];
  return loadCatalogue();
}

export async function loadCatalogue(): Promise<CheckDefinition[]> {
  return (await import('../../suites/index.js')).ALL_CHECKS;
}
