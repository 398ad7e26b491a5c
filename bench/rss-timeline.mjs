// RSS of the harness CLI over time (VmRSS every 250 ms), to see when memory peaks (checks vs writer flushes vs
// report writing):  node bench/rss-timeline.mjs --config bench/tmp/targets-10.yaml --out bench/tmp/rss-tl
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const t0 = performance.now();
const at = () => `${((performance.now() - t0) / 1000).toFixed(2)} s`;
const child = spawn(process.execPath, ['bin/a2a-conformance.js', ...process.argv.slice(2)], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NO_COLOR: '1' },
});
child.stderr.on('data', (c) => {
  for (const line of c.toString().split('\n'))
    if (/ (done|checks planned)$/.test(line.trim())) console.log(`${at()}  ${line.trim()}`);
});
const timer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    console.log(`${at()}  rss ${(kb / 1024).toFixed(0)} MB`);
  } catch {
    /* exited */
  }
}, 250);
child.on('exit', (code) => {
  clearInterval(timer);
  console.log(`${at()}  exit ${code}`);
});
