/** Launch an agent the target's `start:` block describes, wait until it answers, stop it afterwards. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { constants as osConstants } from 'node:os';
import type { Dispatcher } from 'undici';
import { request } from '../http/undici-lite.js';
import type { ResolvedTarget } from '../config/types.js';

const LOG_CAP = 64 * 1024;

export interface StartedAgent {
  /** The target with ${PORT} substituted. */
  target: ResolvedTarget;
  log(): { stdout: string; stderr: string; exitCode: number | null };
  stop(): Promise<void>;
}

export class StartError extends Error {
  constructor(
    message: string,
    readonly log: { stdout: string; stderr: string; exitCode: number | null },
  ) {
    super(message);
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const needsPort = (t: ResolvedTarget) =>
  [t.url, t.cardUrl, t.start!.command, t.start!.readyUrl, ...Object.values(t.start!.env)].some((s) =>
    s.includes('${PORT}'),
  );

/** Launches left to an agent whose harness-chosen port another process took between the choice and the bind. */
const PORT_RACE_ATTEMPTS = 3;

/** The agent died binding the port the harness chose for it (a free port can be taken before the agent binds it). */
const lostPortRace = (e: unknown, picked: boolean) =>
  picked && e instanceof StartError && e.log.exitCode !== null && /EADDRINUSE/.test(e.log.stderr);

export async function startAgent(
  target: ResolvedTarget,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<StartedAgent> {
  const picked = needsPort(target);
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(target, picked ? String(await freePort()) : undefined, dispatcher, signal);
    } catch (e) {
      if (attempt >= PORT_RACE_ATTEMPTS || signal?.aborted || !lostPortRace(e, picked)) throw e;
    }
  }
}

async function launch(
  target: ResolvedTarget,
  port: string | undefined,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<StartedAgent> {
  const spec = target.start!;
  const sub = (s: string) => (port ? s.replaceAll('${PORT}', port) : s);
  const resolved: ResolvedTarget = {
    ...target,
    url: sub(target.url),
    cardUrl: sub(target.cardUrl),
    start: {
      ...spec,
      command: sub(spec.command),
      readyUrl: sub(spec.readyUrl),
      env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, sub(v)])),
    },
  };
  const env = { ...process.env, ...resolved.start!.env, ...(port ? { PORT: port } : {}) };
  const child = spawn(resolved.start!.command, {
    shell: true,
    cwd: spec.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const tail = (buf: string, chunk: Buffer) => (buf + chunk.toString('utf8')).slice(-LOG_CAP);
  child.stdout!.on('data', (c: Buffer) => {
    stdout = tail(stdout, c);
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr = tail(stderr, c);
  });
  let exitCode: number | null = null;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = true;
      exitCode = code ?? (sig ? 128 + (osConstants.signals[sig] ?? 0) : null);
      resolve();
    }),
  );
  child.once('error', (e) => {
    stderr += `\n[harness] spawn error: ${e.message}`;
  });
  const log = () => ({ stdout, stderr, exitCode });

  const stop = async () => {
    if (exited) return;
    killGroup(child, 'SIGTERM');
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 2000);
    await exitPromise;
    clearTimeout(t);
  };

  const deadline = Date.now() + spec.readyTimeoutMs;
  while (true) {
    if (signal?.aborted) {
      await stop();
      throw new StartError('interrupted while waiting for the agent to start', log());
    }
    if (exited)
      throw new StartError(
        `agent process exited with code ${exitCode} before it was ready (command: ${spec.command})`,
        log(),
      );
    if (await answers(resolved.start!.readyUrl, dispatcher)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new StartError(
        `agent did not answer at ${resolved.start!.readyUrl} within ${spec.readyTimeoutMs} ms (readyTimeoutMs)`,
        log(),
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { target: resolved, log, stop };
}

async function answers(url: string, dispatcher: Dispatcher): Promise<boolean> {
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher,
      headersTimeout: 1000,
      bodyTimeout: 1000,
      signal: AbortSignal.timeout(1500),
    });
    await res.body.dump();
    return res.statusCode < 500;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  }
}
