#!/usr/bin/env node
// After tsc: copies the files modules read beside themselves at run time (not compiled, so tsc leaves them out) into
// dist/, at the same relative path. Today: the inline CSS and JS of report.html (src/reporters/assets/). Run by
// `npm run build`.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_DIRS = ['src/reporters/assets'];

for (const dir of ASSET_DIRS) {
  const to = join(root, 'dist', dir);
  rmSync(to, { recursive: true, force: true }); // no stale asset survives a rename
  cpSync(join(root, dir), to, { recursive: true });
  console.log(`assets: ${dir} -> dist/${dir}`);
}
