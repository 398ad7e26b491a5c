#!/usr/bin/env node
// After tsc: writes dist/catalogue.json, the check metadata without code, so `--list` and `--help` need not load the
// suites (and with them the compiled schema validators). Run by `npm run build`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ALL_CHECKS } = await import(pathToFileURL(join(root, 'dist/suites/index.js')).href);
const meta = ALL_CHECKS.map(({ run, ...info }) => info);
writeFileSync(join(root, 'dist/catalogue.json'), `${JSON.stringify(meta)}\n`);
console.log(`catalogue: ${meta.length} checks -> dist/catalogue.json`);
