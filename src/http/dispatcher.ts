/**
 * One undici Agent per target. Deliberately plain: no retry, no redirect, no decompression interceptors; they would
 * hide non-conformance (a 307 from a gateway, a flaky 503) that the harness must see and record.
 */
import type { Agent as AgentType } from 'undici';
import { Agent } from './undici-lite.js';
import type { ResolvedTarget } from '../config/types.js';

/** Connect (TCP + TLS handshake) bound, ms. Kept below the request timeout so a dead host fails as 'connect'. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * `connections` bounds the sockets open to the target (default: its `concurrency`). The runner passes more: streams
 * keep a socket while they wait on the agent, and the requests in flight are bounded by the runner's request gate.
 */
export function dispatcherOptions(target: ResolvedTarget, connections?: number): AgentType.Options {
  const timeoutMs = positive(target.timeoutMs, 30_000);
  const idleMs = positive(target.streamIdleTimeoutMs, timeoutMs);
  const tls = target.tls ?? {};
  return {
    connections: Math.max(1, Math.floor(positive(connections, positive(target.concurrency, 1)))),
    pipelining: 1, // one request per connection at a time: agents and gateways are not pipelining-safe
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    // Backstops only: HttpSession passes tighter per-request values and enforces its own whole-exchange bound.
    headersTimeout: timeoutMs,
    bodyTimeout: Math.max(timeoutMs, idleMs),
    connect: {
      timeout: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs),
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      rejectUnauthorized: !tls.insecure,
    },
  };
}

export function createDispatcher(target: ResolvedTarget, connections?: number): AgentType {
  return new Agent(dispatcherOptions(target, connections));
}

function positive(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback;
}
