/**
 * One grpc-js client (channel) per target × address × security, created on first use and closed when the target
 * is done (`closeGrpcChannels`). Deliberately plain, like the HTTP dispatcher: no retries, no service config, no
 * reflection; message size bounded by the target's `maxBodyBytes`.
 */
import * as grpc from '@grpc/grpc-js';
import type { ResolvedTarget } from '../config/types.js';
import { harnessVersion } from '../http/undici-session.js';
import type { GrpcEndpoint } from './endpoint.js';

const pools = new WeakMap<ResolvedTarget, Map<string, grpc.Client>>();

function credentials(target: ResolvedTarget, tls: boolean): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const t = target.tls ?? {};
  return grpc.credentials.createSsl(
    t.ca ? Buffer.from(t.ca) : null,
    t.key ? Buffer.from(t.key) : null,
    t.cert ? Buffer.from(t.cert) : null,
    { rejectUnauthorized: !t.insecure },
  );
}

export function grpcClientFor(target: ResolvedTarget, ep: GrpcEndpoint): grpc.Client {
  let pool = pools.get(target);
  if (!pool) {
    pool = new Map();
    pools.set(target, pool);
  }
  const key = `${ep.tls ? 's' : 'p'}|${ep.address}`;
  let client = pool.get(key);
  if (!client) {
    const max = Math.max(1024, Math.floor(target.maxBodyBytes || 8 * 1024 * 1024));
    client = new grpc.Client(ep.address, credentials(target, ep.tls), {
      'grpc.max_receive_message_length': max,
      'grpc.max_send_message_length': max,
      'grpc.enable_retries': 0,
      'grpc.service_config_disable_resolution': 1,
      'grpc.primary_user_agent': `a2a-conformance/${harnessVersion()}`,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
      'grpc.max_metadata_size': 64 * 1024,
    });
    pool.set(key, client);
  }
  return client;
}

/** Close every channel opened for a target (the runner calls this when the target is done). */
export function closeGrpcChannels(target: ResolvedTarget): void {
  const pool = pools.get(target);
  if (!pool) return;
  for (const c of pool.values()) c.close();
  pools.delete(target);
}
