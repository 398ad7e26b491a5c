#!/usr/bin/env node
// Entry point for `npm run conformance` and the `a2a-conformance` bin: runs the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('a2a-conformance is not built yet: run `npm ci` (or `npm run build`) first.\n');
  process.exit(2);
}
// V8 tuning for a short busy process, before the harness's modules load (src/core/v8-tuning.ts).
(await import(new URL('../dist/src/core/v8-tuning.js', import.meta.url).href)).tuneV8();
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
// Started agents and sockets are closed by then; this only guards against a stray handle keeping us alive.
setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
