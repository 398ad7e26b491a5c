/**
 * The CLI contract, end to end through the real bin: exit codes, config errors with positions, unreachable and
 * hanging targets, --list without traffic, the four report files, secrets never written, SIGINT.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResultsDocument } from '../../src/schemas/validate.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const cli = runCli;

const tmp = () => mkdtempSync(join(tmpdir(), 'a2a-cli-'));
function targetsFile(yaml: string): string {
  const dir = tmp();
  writeFileSync(join(dir, 'targets.yaml'), yaml);
  return join(dir, 'targets.yaml');
}

let hanging: Server;
let hangingPort = 0;
const sockets: Socket[] = [];
let closedPort = 0;

beforeAll(async () => {
  // Accepts connections and never answers: the harness must cut it off by its timeouts.
  hanging = createServer((s) => {
    sockets.push(s);
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingPort = (hanging.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  hanging.close();
});

describe('a2a-conformance CLI', () => {
  it('prints help and version with exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes/);
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('exits 2 on a usage error', async () => {
    const r = await cli(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-flag/);
    expect((await cli(['--protocol', '2.0'])).code).toBe(2);
  });

  it('exits 2 on an invalid targets.yaml, naming file:line:col', async () => {
    const file = targetsFile('targets:\n  - name: a\n    url: http://127.0.0.1:1\n    timeoutMS: 5\n');
    const r = await cli(['--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toMatch(/timeoutMS/);
  });

  it('exits 2 for an unknown --target name', async () => {
    const file = targetsFile(`targets:\n  - name: a\n    url: http://127.0.0.1:${closedPort}\n`);
    const r = await cli(['--config', file, '--target', 'b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown target/);
  });

  it('lists the plan without sending traffic', async () => {
    const file = targetsFile(
      `targets:\n  - name: a\n    url: http://127.0.0.1:${hangingPort}\n    protocols: ["1.0"]\n`,
    );
    const before = sockets.length;
    const r = await cli(['--config', file, '--list', '--suite', 'card']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/card\.wellknown\.reachable/);
    expect(r.stdout).toMatch(/planned check runs/);
    expect(sockets.length).toBe(before);
  });

  it('exits 3 with a clear message for an unreachable target, and still writes the reports', async () => {
    const out = tmp();
    const file = targetsFile(`targets:\n  - name: gone\n    url: http://127.0.0.1:${closedPort}\n`);
    const r = await cli(['--config', file, '--out', out]);
    expect(r.code).toBe(3);
    expect(`${r.stdout}${r.stderr}`).toMatch(/gone.*unreachable|unreachable.*gone/s);
    expect(readdirSync(out).sort()).toEqual(['ctrf.json', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.targets[0].status).toBe('unreachable');
    expect(results.exitCode).toBe(3);
  });

  it('cuts off a target that never answers, by the timeout', async () => {
    const out = tmp();
    const file = targetsFile(`targets:\n  - name: hangs\n    url: http://127.0.0.1:${hangingPort}\n`);
    const r = await cli(['--config', file, '--out', out, '--timeout', '600']);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(8000);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.targets[0].statusMessage).toMatch(/within 600 ms|timed? ?out/i);
  });

  it('runs a reference agent: four valid reports, exit by the results, no secret written anywhere', async () => {
    const out = tmp();
    const secret = 'sk-never-write-me-8c1f2a';
    const file = targetsFile(`targets:
  - name: ref
    url: http://127.0.0.1:\${PORT}
    start: { command: "node ${join(ROOT, 'dist/reference-agents/v03/server.js')}" }
    headers: { Authorization: "Bearer \${TEST_SECRET}", x-api-key: "\${TEST_SECRET}" }
    triggers: reference
    concurrency: 32
`);
    const r = await cli(['--config', file, '--out', out, '--suite', 'card,send'], { env: { TEST_SECRET: secret } });
    expect([0, 1]).toContain(r.code);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['ctrf.json', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    for (const f of files) expect(readFileSync(join(out, f), 'utf8')).not.toContain(secret);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
    // The agent's gRPC interface is tested next to the HTTP ones (credentials travel as metadata, redacted too).
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    for (const b of ['jsonrpc', 'rest', 'grpc']) expect(junit).toContain(`classname="ref.send.0.3.${b}"`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(validateResultsDocument(results)).toEqual([]);
    expect(results.results.length).toBeGreaterThan(10);
    expect(results.run.partial).toBe(false);
    expect(results.exitCode).toBe(r.code);
    // The agent really received the credentials (they are redacted in the transcript, not missing).
    const someExchange = Object.values(
      results.transcripts as Record<string, { exchanges: { request: { headers: Record<string, string> } }[] }>,
    )
      .flatMap((t) => t.exchanges)
      .find((e) => e.request.headers.authorization);
    expect(someExchange?.request.headers.authorization).toMatch(/redacted/);
  }, 30_000);

  it('on SIGINT writes valid partial reports and exits 130', async () => {
    const out = tmp();
    const file = targetsFile(`targets:
  - name: ref
    url: http://127.0.0.1:\${PORT}
    start: { command: "node ${join(ROOT, 'dist/reference-agents/v1/server.js')}" }
    triggers: reference
`);
    const r = await cli(['--config', file, '--out', out], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (existsSync(join(out, 'results.json'))) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
      },
    });
    expect(r.code).toBe(130);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(validateResultsDocument(results)).toEqual([]);
    expect(results.run.interrupted).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
  }, 30_000);
});
