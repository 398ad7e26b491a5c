/** Runs the compiled CLI as a child process, as a user would, and collects what it printed and how it ended. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/a2a-conformance.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment (after NO_COLOR=1 and CI=1). */
  env?: Record<string, string>;
  /** Called once the child exists (to signal it, or to sample its memory). */
  onSpawn?: (child: ChildProcess) => void;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    opts.onSpawn?.(child);
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}
