/**
 * startAgent: a free port the harness picked can be taken by another process before the agent binds it; an agent that
 * dies of EADDRINUSE is launched again on a new port, any other early exit is reported at once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { StartError, startAgent } from '../../src/runner/start-agent.js';
import { referenceTarget } from '../helpers/reference-target.js';

const dir = mkdtempSync(join(tmpdir(), 'a2a-start-agent-'));
const dispatcher = new Agent();
afterAll(async () => {
  await dispatcher.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * An agent script: each launch appends a line to `launches`; the first `failures` launches print `message` to stderr
 * and exit 1, the next one serves HTTP on $PORT.
 */
function script(name: string, failures: number, message: string): { file: string; launches: string } {
  const launches = join(dir, `${name}.launches`);
  const file = join(dir, `${name}.mjs`);
  const body = [
    "import { appendFileSync, existsSync, readFileSync } from 'node:fs';",
    "import { createServer } from 'node:http';",
    `const log = ${JSON.stringify(launches)};`,
    "const n = existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean).length : 0;",
    "appendFileSync(log, process.env.PORT + '\\n');",
    `if (n < ${failures}) { console.error(${JSON.stringify(message)}); process.exit(1); }`,
    "createServer((_q, r) => r.end('{}')).listen(Number(process.env.PORT), '127.0.0.1');",
  ].join('\n');
  writeFileSync(file, body);
  return { file, launches };
}

function target(file: string) {
  return {
    ...referenceTarget({ name: 't', url: 'http://127.0.0.1:${PORT}', agent: 'v1', source: 'start-agent.test.ts' }),
    start: {
      command: `node ${file}`,
      cwd: dir,
      env: {},
      readyUrl: 'http://127.0.0.1:${PORT}/',
      readyTimeoutMs: 10_000,
    },
  };
}

const launchesOf = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);

describe('startAgent', () => {
  it('launches again on a new port when the agent lost its port to another process (EADDRINUSE)', async () => {
    const s = script('race', 1, 'Error: listen EADDRINUSE: address already in use 127.0.0.1:1234');
    const agent = await startAgent(target(s.file), dispatcher);
    try {
      const ports = launchesOf(s.launches);
      expect(ports).toHaveLength(2);
      expect(agent.target.url).toBe(`http://127.0.0.1:${ports[1]}`);
    } finally {
      await agent.stop();
    }
  });

  it('reports any other early exit at once, with its stderr', async () => {
    const s = script('crash', 5, 'TypeError: boom');
    const err = await startAgent(target(s.file), dispatcher).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartError);
    expect((err as StartError).log.stderr).toContain('TypeError: boom');
    expect(launchesOf(s.launches)).toHaveLength(1);
  });

  it('gives up after three lost races', async () => {
    const s = script('always-taken', 10, 'Error: listen EADDRINUSE: address already in use');
    const err = await startAgent(target(s.file), dispatcher).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartError);
    expect(launchesOf(s.launches)).toHaveLength(3);
  });
});
