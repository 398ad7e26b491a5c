/** Harness name and version, read once from the package.json this module ships in. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && JSON.parse(readFileSync(p, 'utf8')).name === 'a2a-conformance') return dir;
    dir = dirname(dir);
  }
  throw new Error('a2a-conformance package.json not found');
}

export const PACKAGE_ROOT = findPackageRoot();
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
export const HARNESS = { name: pkg.name, version: pkg.version } as const;
