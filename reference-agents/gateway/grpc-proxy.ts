/**
 * The bundled gateway's gRPC side: a grpc-js server on a port of its own that forwards every A2A call to the
 * upstream's gRPC endpoint, message by message with pass-through serialisers. Every method of both A2A services
 * (`lf.a2a.v1` and `a2a.v1`, from the harness's descriptors in schemas/proto) is registered as server-streaming: A2A
 * has no client-streaming method, and the wire form of a unary answer is the same, so an upstream answering a unary
 * call with zero or two messages is passed on as it is rather than repaired.
 *
 * Like the HTTP side: the caller's key (`authorization: Bearer <key>` metadata) is checked and never forwarded
 * (`upstreamAuthorization` goes instead); request metadata (A2A-Version, A2A-Extensions included), response headers,
 * messages, status, trailers and `grpc-status-details-bin` pass through both ways; the deadline is kept; a cancelled
 * call is cancelled upstream. Card answers (GetExtendedAgentCard, 0.3 GetAgentCard) get their interface URLs
 * rewritten like the HTTP card. The gateway's HTTP deviations that concern every binding apply here too.
 */
import * as grpc from '@grpc/grpc-js';
import { fromJson, toBinary, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { decodeMessage } from '../../src/grpc/codec.js';
import type { GrpcEndpoint } from '../../src/grpc/endpoint.js';
import { A2A_SERVICE_PACKAGES, type PassThroughCall, passThroughService } from '../../src/grpc/pass-through.js';
import { grpcRegistry } from '../../src/grpc/registry.js';
import { STATUS_DETAILS_KEY } from '../../src/grpc/status.js';
import type { GatewayDeviation } from './deviations.js';

export interface GatewayGrpcOptions {
  host: string;
  port: number;
  key?: string;
  upstreamAuthorization?: string;
  /** The upstream's gRPC endpoint (learned from its card), or undefined when it declares none. */
  upstream(): Promise<GrpcEndpoint | undefined>;
  /** Rewrites a card answer (ProtoJSON uses the card's JSON field names) to name the gateway; `host` is the call's. */
  rewriteCard(card: unknown, host: string): unknown;
  deviations: ReadonlySet<GatewayDeviation>;
  /** Checks the caller's key (constant time). */
  keyMatches(presented: string | undefined): boolean;
}

export interface GatewayGrpc {
  port: number;
  close(): Promise<void>;
}

type Call = PassThroughCall;

/** Metadata the transport owns (and the caller's credentials): never copied from one hop to the other. */
const NOT_FORWARDED = /^(?:grpc-|:|content-type$|te$|user-agent$|host$|authorization$)/;
const A2A_METADATA = new Set(['a2a-version', 'a2a-extensions', 'x-a2a-extensions']);
/** Methods whose answer is an agent card (rewritten like the HTTP card). */
const CARD_METHODS = new Set(['GetExtendedAgentCard', 'GetAgentCard']);
const MAX_MESSAGE = 8 * 1024 * 1024;

function copyMetadata(from: grpc.Metadata, deviations: ReadonlySet<GatewayDeviation>, trailers = false): grpc.Metadata {
  const out = new grpc.Metadata();
  for (const k of Object.keys(from.getMap())) {
    if (NOT_FORWARDED.test(k) && !(trailers && k === STATUS_DETAILS_KEY)) continue;
    if (deviations.has('drop-a2a-headers') && A2A_METADATA.has(k)) continue;
    for (const v of from.get(k)) {
      try {
        out.add(k, v);
      } catch {
        /* not sendable: dropped */
      }
    }
  }
  return out;
}

const bearerOf = (md: grpc.Metadata): string | undefined => {
  const v = md.get('authorization')[0];
  return typeof v === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(v)?.[1] : undefined;
};

export async function startGatewayGrpc(opts: GatewayGrpcOptions): Promise<GatewayGrpc> {
  const on = opts.deviations;
  const clients = new Map<string, grpc.Client>();
  const clientFor = (e: GrpcEndpoint): grpc.Client => {
    const key = `${e.tls ? 'tls' : 'plain'} ${e.address}`;
    let c = clients.get(key);
    if (!c) {
      const creds = e.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
      c = new grpc.Client(e.address, creds, { 'grpc.max_receive_message_length': MAX_MESSAGE });
      clients.set(key, c);
    }
    return c;
  };
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });

  const fail = (call: Call, code: grpc.status, details: string, trailers = new grpc.Metadata()): void => {
    call.emit('error', { code, details, metadata: trailers });
  };

  /** A card answer with its interface URLs rewritten; the bytes as they came when nothing changed (or on error). */
  const rewriteCardMessage = (type: DescMessage, bytes: Buffer, host: string): Buffer => {
    const d = decodeMessage(type, bytes);
    if (!d.ok) return bytes;
    const rewritten = opts.rewriteCard(d.json, host);
    if (JSON.stringify(rewritten) === JSON.stringify(d.json)) return bytes;
    try {
      return Buffer.from(toBinary(type, fromJson(type, rewritten as JsonValue, { registry: grpcRegistry() })));
    } catch {
      return bytes;
    }
  };

  const handle = async (call: Call, path: string, method: string, output: DescMessage): Promise<void> => {
    if (opts.key && !opts.keyMatches(bearerOf(call.metadata))) {
      const trailers = new grpc.Metadata();
      trailers.set('www-authenticate', 'Bearer realm="a2a-gateway"');
      return fail(call, grpc.status.UNAUTHENTICATED, 'missing or invalid gateway key', trailers);
    }
    if (on.has('slow')) await new Promise((r) => setTimeout(r, 1500));
    const endpoint = await opts.upstream().catch(() => undefined);
    if (!endpoint) return fail(call, grpc.status.UNAVAILABLE, 'bad gateway: the upstream declares no gRPC interface');
    if (call.cancelled) return;
    const metadata = copyMetadata(call.metadata, on);
    if (opts.upstreamAuthorization) metadata.set('authorization', opts.upstreamAuthorization);
    const deadline = call.getDeadline();
    const up = clientFor(endpoint).makeServerStreamRequest<Buffer, Buffer>(
      path,
      (b) => b,
      (b) => b,
      call.request,
      metadata,
      deadline === Infinity ? {} : { deadline },
    );
    let headersSent = false;
    const sendHeaders = (md = new grpc.Metadata()) => {
      if (headersSent) return;
      headersSent = true;
      const out = copyMetadata(md, on);
      if (on.has('leak-upstream')) out.set('via', `2 ${endpoint.address}`);
      call.sendMetadata(out);
    };
    call.on('cancelled', () => up.cancel());
    up.on('metadata', (md: grpc.Metadata) => sendHeaders(md));
    up.on('data', (b: Buffer) => {
      sendHeaders();
      call.write(CARD_METHODS.has(method) ? rewriteCardMessage(output, b, call.getHost()) : b);
    });
    up.on('error', () => {
      /* the status event carries the outcome */
    });
    up.on('status', (st: grpc.StatusObject) => {
      if (call.cancelled) return;
      const trailers = copyMetadata(st.metadata, on, true);
      if (st.code === grpc.status.OK) {
        sendHeaders();
        call.end(trailers);
        return;
      }
      if (on.has('change-errors')) return fail(call, grpc.status.INTERNAL, 'Internal error');
      const details = on.has('leak-upstream') ? `${st.details} (from ${endpoint.address})` : st.details;
      fail(call, st.code, details, trailers);
    });
  };

  for (const pkg of A2A_SERVICE_PACKAGES) {
    const { definition, implementation } = passThroughService(pkg, (call, m) => {
      handle(call, m.path, m.name, m.output).catch((e: unknown) =>
        fail(call, grpc.status.INTERNAL, `gateway: ${(e as Error).message}`),
      );
    });
    server.addService(definition, implementation);
  }

  const bindHost = opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients.values()) c.close();
        server.tryShutdown(() => resolve());
        // Open streams would otherwise hold the shutdown.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}
