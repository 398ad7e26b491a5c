/**
 * Process plumbing shared by the two reference agents: options from the environment, listening on a port (0 = any
 * free port), the `A2A_REFERENCE_READY <baseUrl>` start-up line, and clean shutdown on SIGTERM/SIGINT.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const READY_PREFIX = 'A2A_REFERENCE_READY';

export interface ReferenceAgentOptions {
  /** TCP port; 0 (default) picks a free port. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). Also used in the advertised URLs unless `publicHost` is set. */
  host?: string;
  /** Host name to put in advertised URLs (default: `host`, with 0.0.0.0/:: replaced by 127.0.0.1). */
  publicHost?: string;
  /** Declare `capabilities.streaming` (default true). */
  streaming?: boolean;
  /** Declare `capabilities.pushNotifications` (default true). */
  pushNotifications?: boolean;
  /** gRPC port (0 / unset = any free port; the card names it). */
  grpcPort?: number;
  /** Working time of the `slow` trigger, ms (default REFERENCE_TIMING.slowTotalMs, 2000). */
  slowMs?: number;
}

export interface RunningReferenceAgent {
  /** `http://host:port` (no trailing slash). The card is at `${baseUrl}/.well-known/agent-card.json`. */
  baseUrl: string;
  /** Every interface the card declares, for reports and tests. */
  interfaces: ReadonlyArray<{ url: string; binding: 'JSONRPC' | 'HTTP+JSON' | 'GRPC'; protocolVersion: string }>;
  close(): Promise<void>;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/**
 * Options from PORT, GRPC_PORT, HOST, PUBLIC_HOST, REF_AGENT_NO_STREAMING, REF_AGENT_NO_PUSH, REF_AGENT_SLOW_MS.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ReferenceAgentOptions {
  const port = env.PORT === undefined || env.PORT.trim() === '' ? 0 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid PORT: ${env.PORT}`);
  const grpcPort = env.GRPC_PORT === undefined || env.GRPC_PORT.trim() === '' ? 0 : Number(env.GRPC_PORT);
  if (!Number.isInteger(grpcPort) || grpcPort < 0 || grpcPort > 65535)
    throw new Error(`invalid GRPC_PORT: ${env.GRPC_PORT}`);
  const slow = env.REF_AGENT_SLOW_MS?.trim();
  const slowMs = slow ? Number(slow) : undefined;
  if (slowMs !== undefined && (!Number.isInteger(slowMs) || slowMs < 1 || slowMs > 600_000))
    throw new Error(`invalid REF_AGENT_SLOW_MS: ${env.REF_AGENT_SLOW_MS} (an integer of ms, 1..600000)`);
  return {
    ...(slowMs !== undefined ? { slowMs } : {}),
    port,
    grpcPort,
    host: env.HOST?.trim() || '127.0.0.1',
    ...(env.PUBLIC_HOST?.trim() ? { publicHost: env.PUBLIC_HOST.trim() } : {}),
    streaming: !truthy(env.REF_AGENT_NO_STREAMING),
    pushNotifications: !truthy(env.REF_AGENT_NO_PUSH),
  };
}

export interface ListeningServer {
  server: Server;
  baseUrl: string;
  close(): Promise<void>;
}

/** Binds an HTTP server (so the real port is known before the agent card is built). */
export async function listen(app: RequestListener, opts: ReferenceAgentOptions): Promise<ListeningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let advertised = opts.publicHost ?? host;
  if (advertised === '0.0.0.0' || advertised === '::') advertised = '127.0.0.1';
  const hostPart = advertised.includes(':') && !advertised.startsWith('[') ? `[${advertised}]` : advertised;
  const baseUrl = `http://${hostPart}:${port}`;
  return {
    server,
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SSE streams and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** True when `importMetaUrl` is the module node was started with (`node dist/reference-agents/v1/server.js`). */
export function isMainModule(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(fileURLToPath(importMetaUrl)) === realpathSync(entry);
  } catch {
    return false;
  }
}

/**
 * Command-line entry: start from the environment, print the ready line, stop on SIGTERM/SIGINT.
 * The SDKs log to stdout (console.info on every push delivery); stdout is reserved for the ready line, so
 * console.log/info/debug are redirected to stderr in this mode.
 */
export async function runMain(start: (opts: ReferenceAgentOptions) => Promise<RunningReferenceAgent>): Promise<void> {
  const toStderr = (...args: unknown[]): void => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  let agent: RunningReferenceAgent;
  try {
    agent = await start(optionsFromEnv());
  } catch (err) {
    console.error('reference agent failed to start:', err);
    process.exit(1);
  }
  process.stdout.write(`${READY_PREFIX} ${agent.baseUrl}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    agent.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`error while stopping on ${signal}:`, err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
