#!/usr/bin/env node
/**
 * Line-length gate (part of `npm run lint`): no line of code over 120 characters in the folders that hold the
 * harness, its suites, tests and tools. Biome lays code out at 120 columns but leaves long strings and comments alone;
 * this catches those. Generated files and recorded fixtures are exempt.
 *
 * Usage: `node scripts/check-line-length.mjs` checks the folders below (files git tracks or would track);
 * `node scripts/check-line-length.mjs FILE...` checks the given files instead (test/unit/lint-gate.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const FOLDERS = ['src', 'suites', 'test', 'scripts', 'reference-agents', 'bench'];
const CODE = /\.(ts|mts|js|mjs|css)$/;
const EXEMPT = [/\.generated\.ts$/, /^test\/fixtures\/recorded\//];

const listed = () =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...FOLDERS], {
    encoding: 'utf8',
  }).split('\n');
const args = process.argv.slice(2);
const files = (args.length ? args : listed()).filter((f) => CODE.test(f) && !EXEMPT.some((re) => re.test(f)));

const offences = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (args.length) throw e; // a file named on the command line must exist
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    const length = [...line].length;
    if (length > MAX) offences.push(`${file}:${i + 1}: ${length} characters (max ${MAX})`);
  });
}
if (offences.length) {
  process.stderr.write(`${offences.join('\n')}\n${offences.length} line(s) over ${MAX} characters\n`);
  process.exit(1);
}
process.stdout.write(`line length: ${files.length} files, none over ${MAX} characters\n`);
