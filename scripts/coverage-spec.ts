/** npm run coverage:spec — requirement traceability per protocol version (library: src/traceability/coverage.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  FILE_NAME,
  REPO_ROOT,
  TRACE_VERSIONS,
  adoptCitedChecks,
  formatReport,
  loadTraceability,
  type CheckLike,
} from '../src/traceability/coverage.js';

export * from '../src/traceability/coverage.js';

async function main(argv: string[]): Promise<number> {
  const rootIdx = argv.indexOf('--root');
  const root = rootIdx >= 0 ? argv[rootIdx + 1] : undefined;
  if (argv.includes('--adopt-cited')) {
    const dir = root ?? join(REPO_ROOT, 'requirements');
    const { ALL_CHECKS } = (await import('../suites/index.js')) as { ALL_CHECKS: CheckLike[] };
    for (const v of TRACE_VERSIONS) {
      const file = join(dir, FILE_NAME[v]);
      const { text, changes } = adoptCitedChecks(readFileSync(file, 'utf8'), v, ALL_CHECKS);
      if (changes.length) writeFileSync(file, text);
      process.stdout.write(
        `${relative(process.cwd(), file)}: ${changes.length} requirement(s) updated\n` +
          `${changes.map((c) => `  ${c}\n`).join('')}`,
      );
    }
    process.stdout.write('\n');
  }
  const t = await loadTraceability({ root });
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
  else process.stdout.write(formatReport(t, process.cwd(), argv.includes('--verbose')));
  return t.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`coverage-spec: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
