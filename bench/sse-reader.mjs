// Reads one SSE stream through the harness's own HTTP session (compiled dist/, as users run it) and reports memory
// and throughput as one JSON line on stdout. Started by scripts/bench.ts in its own process, so its RSS is the
// session's alone:  node bench/sse-reader.mjs <url> [maxBytes]
import { readFileSync } from 'node:fs';

const [url, maxBytesArg] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: node bench/sse-reader.mjs <url> [maxBytes]\n');
  process.exit(2);
}
const { createHttpSession } = await import(new URL('../dist/src/http/undici-session.js', import.meta.url).href);
const { createDispatcher } = await import(new URL('../dist/src/http/dispatcher.js', import.meta.url).href);

const maxBytes = Number(maxBytesArg ?? 4 * 1024 ** 3);
const target = {
  name: 'firehose',
  url,
  cardUrl: url,
  headers: {},
  secrets: [],
  timeoutMs: 10_000,
  checkTimeoutMs: 600_000,
  streamIdleTimeoutMs: 10_000,
  concurrency: 1,
  tags: [],
  triggers: {},
  specProfile: '1.0.1',
  expectedFailures: [],
  maxBodyBytes: maxBytes,
  source: { file: 'bench', line: 1, col: 1 },
};

const vmHWM = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
};

const dispatcher = createDispatcher(target);
const session = createHttpSession({ target, dispatcher, transcriptId: 'bench-sse', checkId: 'bench.sse' });

// Warm up undici and the parser on a tiny stream first, so the baseline includes the code the big read uses.
{
  const s = session.sse({
    method: 'GET',
    url: `${url}?bytes=65536`,
    label: 'warm-up',
    maxBytes,
    totalTimeoutMs: 60_000,
  });
  for await (const _ of s.events) {
    /* drain */
  }
  await s.done;
}
global.gc?.();
const baselineHeap = process.memoryUsage().heapUsed;
const baselineRss = process.memoryUsage().rss;
const baselineHwm = vmHWM();

let peakRss = baselineRss;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
}, 20);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const stream = session.sse({
  method: 'GET',
  url,
  label: 'firehose',
  maxBytes,
  totalTimeoutMs: 600_000,
  idleTimeoutMs: 10_000,
});
let events = 0;
let dataChars = 0;
for await (const ev of stream.events) {
  events++;
  dataChars += ev.data.length;
}
const done = await stream.done;
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const m = process.memoryUsage();
peakRss = Math.max(peakRss, m.rss);
const hwm = vmHWM();
// What the finished stream still holds (its recorded events, the transcript): heap after a full GC.
global.gc?.();
const retainedHeap = process.memoryUsage().heapUsed - baselineHeap;
// Approximate SSE bytes read: data plus the "data: " prefix and blank line of each event.
const bytes = dataChars + events * 8;
process.stdout.write(
  `${JSON.stringify({
    end: done.end,
    events,
    recordedEvents: done.events.length,
    bytes,
    ms: Math.round(ms),
    mbPerS: +(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    baselineRssMb: +(baselineRss / 2 ** 20).toFixed(1),
    peakRssMb: +(Math.max(peakRss, hwm) / 2 ** 20).toFixed(1),
    deltaRssMb: +((Math.max(peakRss, hwm) - Math.max(baselineRss, baselineHwm)) / 2 ** 20).toFixed(1),
    peakHeapMb: +(peakHeap / 2 ** 20).toFixed(1),
    retainedHeapMb: global.gc ? +(retainedHeap / 2 ** 20).toFixed(1) : null,
    parseErrors: done.parseErrors.length,
  })}\n`,
);
await dispatcher.close();
