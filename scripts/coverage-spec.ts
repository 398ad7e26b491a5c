/** npm run coverage:spec — requirement traceability per protocol version (library: src/traceability/coverage.ts). */
import { pathToFileURL } from 'node:url';
import { formatReport, loadTraceability } from '../src/traceability/coverage.js';

export * from '../src/traceability/coverage.js';

async function main(argv: string[]): Promise<number> {
  const rootIdx = argv.indexOf('--root');
  const root = rootIdx >= 0 ? argv[rootIdx + 1] : undefined;
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
