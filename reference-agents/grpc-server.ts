/**
 * gRPC plumbing shared by the two reference agents. The A2A services themselves are the official SDK's
 * (`@a2a-js/sdk/server/grpc`, its 0.3 compat `legacyGrpcService`, and `a2a-sdk-v03/server/grpc`); this file only
 * binds a grpc-js server on a free port before the card is built (the card must name the port), registers services
 * whose implementations are attached once the SDK handler exists, and adds the bearer check the HTTP agents get
 * from ../auth/auth.ts (UNAUTHENTICATED, with a `www-authenticate` trailer, before the SDK sees the call).
 */
import * as grpc from '@grpc/grpc-js';
import { AUTH_REALM, tokenMatches } from './auth/auth.js';

type Handler = (call: unknown, callback?: unknown) => unknown;
type Impl = Record<string, Handler>;

export interface GrpcListening {
  port: number;
  /** The interface URL the cards declare: `http://host:port` (URL form, plaintext). */
  url: string;
  /** Attach the implementation of a service registered with `register` (before any call arrives). */
  attach(serviceName: string, impl: object): void;
  close(): Promise<void>;
}

/**
 * Binds a gRPC server (port 0 = any free port) with the given service definitions registered; their handlers
 * forward to implementations attached later.
 */
export async function listenGrpc(
  services: Record<string, grpc.ServiceDefinition>,
  opts: { host?: string; port?: number; publicHost?: string; bearerToken?: string },
): Promise<GrpcListening> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  const impls = new Map<string, Impl>();
  for (const [name, def] of Object.entries(services)) {
    const forward: Impl = {};
    for (const method of Object.keys(def)) {
      const streaming = def[method]!.responseStream;
      forward[method] = (call, callback) => {
        const impl = impls.get(name);
        const h = impl?.[method];
        if (!h) {
          const err = { code: grpc.status.UNAVAILABLE, details: 'agent is starting' };
          if (streaming) (call as grpc.ServerWritableStream<unknown, unknown>).emit('error', err);
          else (callback as grpc.sendUnaryData<unknown>)(err, null);
          return;
        }
        if (opts.bearerToken && !authorized(call as grpc.ServerUnaryCall<unknown, unknown>, opts.bearerToken)) {
          reject(call as grpc.ServerUnaryCall<unknown, unknown>, streaming, callback as grpc.sendUnaryData<unknown>);
          return;
        }
        return h(call, callback);
      };
    }
    server.addService(def, forward as grpc.UntypedServiceImplementation);
  }
  const host = opts.host ?? '127.0.0.1';
  const bindHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${opts.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  let advertised = opts.publicHost ?? host;
  if (advertised === '0.0.0.0' || advertised === '::') advertised = '127.0.0.1';
  const hostPart = advertised.includes(':') && !advertised.startsWith('[') ? `[${advertised}]` : advertised;
  return {
    port,
    url: `http://${hostPart}:${port}`,
    attach: (name, impl) => impls.set(name, impl as Impl),
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Open server streams would otherwise hold the shutdown.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}

function bearerOfMetadata(md: grpc.Metadata): string | undefined {
  const v = md.get('authorization')[0];
  const m = typeof v === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(v) : null;
  return m?.[1];
}

function authorized(call: grpc.ServerUnaryCall<unknown, unknown>, token: string): boolean {
  return tokenMatches(bearerOfMetadata(call.metadata), token);
}

function reject(
  call: grpc.ServerUnaryCall<unknown, unknown>,
  streaming: boolean,
  callback: grpc.sendUnaryData<unknown>,
): void {
  const presented = call.metadata.get('authorization').length > 0;
  const trailers = new grpc.Metadata();
  trailers.set('www-authenticate', `Bearer realm="${AUTH_REALM}"${presented ? ', error="invalid_token"' : ''}`);
  const err = {
    code: grpc.status.UNAUTHENTICATED,
    details: presented
      ? 'Unauthorized: invalid bearer token'
      : 'Unauthorized: missing bearer token (authorization: Bearer <token>)',
    metadata: trailers,
  };
  if (streaming) (call as unknown as grpc.ServerWritableStream<unknown, unknown>).emit('error', err);
  else callback(err, null);
}

/** SDK gRPC `UserBuilder`: the call's bearer token → an authenticated user (structurally the SDK's User). */
export function grpcBearerUserBuilder(token: string) {
  return async (call: { metadata: grpc.Metadata }) => {
    const ok = tokenMatches(bearerOfMetadata(call.metadata), token);
    return {
      get isAuthenticated() {
        return ok;
      },
      get userName() {
        return ok ? 'conformance-client' : '';
      },
    };
  };
}
