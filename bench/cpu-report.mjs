// Preloaded by scripts/bench.ts into the harness CLI, and through NODE_OPTIONS into the agents the CLI starts.
// At exit every process writes its own CPU time and peak RSS (getrusage RUSAGE_SELF, so each process counts only
// itself) as JSON:
//   the CLI (argv[1] is bin/a2a-conformance.js)  → the file named by A2A_BENCH_REPORT
//   any other node process (the started agents) → <A2A_BENCH_AGENTS_DIR>/<pid>.json
// The CLI also reports its stage marks (src/core/stages.ts): CPU time and RSS at each stage boundary.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const isCli = /a2a-conformance(\.js)?$/.test(process.argv[1] ?? '');
const out = isCli
  ? process.env.A2A_BENCH_REPORT
  : process.env.A2A_BENCH_AGENTS_DIR && join(process.env.A2A_BENCH_AGENTS_DIR, `${process.pid}.json`);
const stages = [];
if (out && isCli) {
  subscribe('a2a-conformance:stage', (m) => {
    const c = process.cpuUsage();
    stages.push({
      name: m.name,
      target: m.target,
      cpuMs: (c.user + c.system) / 1000,
      rssMb: process.memoryUsage.rss() / 1048576,
      atMs: performance.now(),
    });
  });
}
if (out) {
  process.on('exit', (code) => {
    const r = process.resourceUsage();
    try {
      writeFileSync(
        out,
        JSON.stringify({
          pid: process.pid,
          argv: process.argv.slice(1, 3),
          code,
          userMs: r.userCPUTime / 1000,
          systemMs: r.systemCPUTime / 1000,
          maxRssMb: r.maxRSS / 1024,
          uptimeMs: performance.now(),
          ...(isCli ? { stages } : {}),
        }),
      );
    } catch {
      // never disturb the measured process
    }
  });
}
