/**
 * `npm run selftest:faults` (node --import tsx scripts/selftest-faults.ts): the kill matrix. Runs every fault of
 * test/faults/ against the bundled reference agents, writes the run's results to reports/kill-matrix.md and
 * reports/kill-matrix.json (docs/kill-matrix.md, the claims, is static: `npm run gen:docs`), prints a summary, and
 * exits 1 if a fault survives (kills nothing), a listed kill did not happen, or a check of a covered suite is killed
 * by no fault (unless ALLOW_UNKILLED says why it need not be).
 *
 * Options: --only <fault,...> runs only the named faults (no coverage verdict, files not written unless --write);
 * --modules <name,...> only the faults of those test/faults modules (coverage judged for their suites only; files
 * not written unless --write);
 * --concurrency N (default 6); --quiet. Importing this module (the integration test does, for ALLOW_UNKILLED) runs
 * nothing.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadFaultModules } from '../test/faults/index.js';
import { coveredSuites, problemsOf, runKillMatrix, writeKillMatrix } from '../test/tools/kill-matrix.js';

/**
 * Checks of the covered suites that need no fault, each with the reason it is proven failing some other way.
 * Keep this empty unless a check truly cannot be provoked through a proxy in front of the reference agents.
 */
export const ALLOW_UNKILLED: Record<string, string> = {};

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      modules: { type: 'string' },
      concurrency: { type: 'string' },
      quiet: { type: 'boolean' },
      write: { type: 'boolean' },
    },
  });
  let modules = await loadFaultModules();
  const pick = values.modules
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (pick) {
    const unknown = pick.filter((n) => !modules.some((m) => m.name === n));
    if (unknown.length) {
      process.stderr.write(
        `unknown fault module(s): ${unknown.join(', ')} (have ${modules.map((m) => m.name).join(', ')})\n`,
      );
      return 2;
    }
    modules = modules.filter((m) => pick.includes(m.name));
  }
  const suites = pick ? pick.filter((n) => coveredSuites([n]).includes(n)) : coveredSuites(modules.map((m) => m.name));
  let faults = modules.flatMap((m) => m.faults);
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (only) {
    const unknown = only.filter((n) => !faults.some((f) => f.name === n));
    if (unknown.length) {
      process.stderr.write(`unknown fault(s): ${unknown.join(', ')}\n`);
      return 2;
    }
    faults = faults.filter((f) => only.includes(f.name));
  }
  const concurrency = values.concurrency ? Number(values.concurrency) : 6;
  const log = (s: string) => {
    if (!values.quiet) process.stdout.write(`${s}\n`);
  };

  log(
    `kill matrix: ${faults.length} faults from ` +
      `${modules.map((m) => `${m.name} (${m.faults.length})`).join(', ')}; suites ${suites.join(', ')}`,
  );
  const matrix = await runKillMatrix({
    faults,
    concurrency,
    suites,
    onProgress: (e) => {
      if (e.type === 'agent-started') log(`  agent ${e.agent} at ${e.url}`);
      else if (e.type === 'fault-done') {
        const f = e.fault;
        const mark = f.benign ? (f.ok ? 'ok  ' : 'FALS') : f.ok ? 'ok  ' : f.killed.length ? 'MISS' : 'SURV';
        log(
          `  [${String(e.done).padStart(3)}/${e.total}] ${mark} ${f.name} (${f.durationMs} ms` +
            `${f.retries ? `, ${f.retries} retr${f.retries > 1 ? 'ies' : 'y'} after a flaky baseline` : ''}) ` +
            (f.benign
              ? `benign → ${
                  f.falseFailures
                    ?.map((x) => `FAILS ${x.checkId} ${x.version}/${x.binding ?? 'card'}: ${x.message}`)
                    .join('; ') || 'no failure'
                }`
              : `→ ${f.killed.map((k) => k.checkId).join(', ') || 'nothing'}`) +
            `${f.missingKills.length ? `; missing ${f.missingKills.join(', ')}` : ''}` +
            `${f.error ? `; error ${f.error.split('\n')[0]}` : ''}`,
        );
      }
    },
  });

  if ((!only && !pick) || values.write)
    writeKillMatrix(matrix, { markdown: `${root}reports/kill-matrix.md`, json: `${root}reports/kill-matrix.json` });
  const problems = problemsOf(only ? { ...matrix, unkilled: [] } : matrix, ALLOW_UNKILLED);
  const bySuite = suites.map((s) => {
    const checks = matrix.checks.filter((c) => c.suite === s);
    return `${s} ${checks.filter((c) => c.killedBy.length).length}/${checks.length}`;
  });
  log('');
  log(
    `${matrix.faults.length} faults in ${(matrix.durationMs / 1000).toFixed(1)} s; checks killed per suite: ` +
      `${bySuite.join(', ')}`,
  );
  for (const [id, why] of Object.entries(ALLOW_UNKILLED)) log(`  allowed unkilled: ${id}: ${why}`);
  if (!only && matrix.uncoveredCells.length) {
    log(
      `  (informational) ${matrix.uncoveredCells.length} cell(s) pass in a baseline but no fault kills ` +
        `them there: ` +
        matrix.uncoveredCells.map((c) => `${c.checkId} ${c.version}${c.binding ? `/${c.binding}` : ''}`).join(', '),
    );
  }
  if (problems.length) {
    process.stdout.write(`${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  log(only ? 'selected faults all kill what they must' : 'every fault kills what it must, and every check is killed');
  return 0;
}

const isMain = (() => {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isMain)
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
