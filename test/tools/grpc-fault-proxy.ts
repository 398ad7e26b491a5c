/**
 * The gRPC half of the fault proxy: a grpc-js server with pass-through serialisers in front of an agent's gRPC port.
 * Every method of both A2A services (lf.a2a.v1 and a2a.v1, from the harness's own descriptors) is registered as a
 * server-streaming handler (the wire format of a unary call is the same), so a fault can decode, edit and re-encode
 * each request and response message, drop or add messages, rewrite response headers and trailers, replace the
 * status (code, message, grpc-status-details-bin) or keep a stream open. Upstream origins in messages are rewritten
 * like the HTTP proxy does (extended cards name interfaces).
 */
import * as grpc from '@grpc/grpc-js';
import { fromJson, toBinary, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { decodeMessage } from '../../src/grpc/codec.js';
import { A2A_SERVICE_PACKAGES, type PassThroughCall, passThroughService } from '../../src/grpc/pass-through.js';
import { grpcRegistry } from '../../src/grpc/registry.js';
import { decodeStatusDetails, encodeStatusDetails, STATUS_DETAILS_KEY } from '../../src/grpc/status.js';

export interface GrpcFaultContext {
  /** `/package.Service/Method`. */
  path: string;
  /** `lf.a2a.v1` or `a2a.v1`. */
  pkg: string;
  /** Method name, e.g. `GetTask`. */
  method: string;
  requestMetadata: Record<string, string>;
  /** ProtoJSON of the request. */
  requestJson: unknown;
  /** Index of the response message being edited. */
  messageIndex?: number;
  /** Encode ProtoJSON as this method's response type (to append raw bytes to a re-encoded message). */
  encodeResponse(json: unknown): Buffer;
  scratch: Record<string, unknown>;
}

export interface GrpcStatusEdit {
  code: number;
  details: string;
  /** Trailers (lower-case), without grpc-status-details-bin. */
  trailers: Record<string, string>;
  /** The decoded grpc-status-details-bin, or undefined to send none. */
  statusDetails?: {
    code: number;
    message: string;
    errorInfo?: { reason: string; domain: string; metadata?: Record<string, string> };
  };
}

export interface GrpcFaultHooks {
  /** Rewrite the request (metadata, ProtoJSON) before it goes upstream. */
  grpcRequest?: (
    req: { metadata: Record<string, string>; json: unknown },
    ctx: GrpcFaultContext,
  ) => { metadata: Record<string, string>; json: unknown };
  /** Answer without asking upstream: messages (ProtoJSON or raw bytes) then a status. */
  grpcIntercept?: (ctx: GrpcFaultContext) => { messages?: (unknown | Buffer)[]; status: GrpcStatusEdit } | undefined;
  /** Edit one response message: ProtoJSON → ProtoJSON, raw bytes (Buffer), several (array of either), null = drop. */
  grpcMessage?: (json: unknown, ctx: GrpcFaultContext) => unknown | Buffer | (unknown | Buffer)[] | null | undefined;
  /** Rewrite the response headers (initial metadata). */
  grpcHeaders?: (headers: Record<string, string>, ctx: GrpcFaultContext) => Record<string, string>;
  /** Rewrite the final status; `hang: true` keeps the call open instead of ending it. */
  grpcStatus?: (st: GrpcStatusEdit, ctx: GrpcFaultContext) => GrpcStatusEdit & { hang?: boolean };
}

export interface GrpcProxy {
  /** `http://127.0.0.1:port`: what cards should name instead of the upstream. */
  url: string;
  close(): Promise<void>;
}

type Call = PassThroughCall;

function mdToRecord(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.toJSON()))
    out[k] = v.map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : String(x))).join(', ');
  return out;
}

function recordToMd(r: Record<string, string>): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(r)) {
    try {
      md.set(k, k.endsWith('-bin') ? Buffer.from(v, 'base64') : v);
    } catch {
      /* not sendable: dropped */
    }
  }
  return md;
}

const RESERVED = /^(grpc-|:|content-type$|te$|user-agent$|host$)/;

function encode(type: DescMessage, m: unknown | Buffer): Buffer {
  if (Buffer.isBuffer(m)) return m;
  return Buffer.from(toBinary(type, fromJson(type, m as JsonValue, { registry: grpcRegistry() })));
}

/**
 * Start a gRPC proxy to `upstream` (`host:port`, plaintext). `rewrite` maps upstream origins in message strings;
 * `hooks()` returns the current fault's hooks (read per call, so the fault can be swapped).
 */
export async function startGrpcFaultProxy(
  upstream: string,
  hooks: () => GrpcFaultHooks | undefined,
  rewrite: (s: string) => string,
): Promise<GrpcProxy> {
  const client = new grpc.Client(upstream, grpc.credentials.createInsecure());
  const server = new grpc.Server();
  const open = new Set<Call>();
  for (const pkg of A2A_SERVICE_PACKAGES) {
    const { definition, implementation } = passThroughService(pkg, (call, m) =>
      handle(call, m.path, pkg, m.name, m.input, m.output),
    );
    server.addService(definition, implementation);
  }

  function finish(call: Call, st: GrpcStatusEdit & { hang?: boolean }): void {
    if (st.hang) {
      open.add(call);
      call.on('cancelled', () => open.delete(call));
      return;
    }
    const trailers = recordToMd(st.trailers);
    if (st.statusDetails) trailers.set(STATUS_DETAILS_KEY, encodeStatusDetails(st.statusDetails));
    if (st.code === 0) call.end(trailers);
    else call.emit('error', { code: st.code, details: st.details, metadata: trailers });
  }

  function handle(call: Call, path: string, pkg: string, method: string, input: DescMessage, output: DescMessage) {
    const h = hooks();
    const decodedReq = decodeMessage(input, call.request);
    const ctx: GrpcFaultContext = {
      path,
      pkg,
      method,
      requestMetadata: mdToRecord(call.metadata),
      requestJson: decodedReq.ok ? decodedReq.json : undefined,
      encodeResponse: (json) => encode(output, json),
      scratch: {},
    };
    const canned = h?.grpcIntercept?.(ctx);
    if (canned) {
      call.sendMetadata(new grpc.Metadata());
      for (const m of canned.messages ?? []) call.write(encode(output, m));
      finish(call, canned.status);
      return;
    }
    let reqBytes = call.request;
    let metadata = Object.fromEntries(Object.entries(ctx.requestMetadata).filter(([k]) => !RESERVED.test(k)));
    if (h?.grpcRequest && decodedReq.ok) {
      const edited = h.grpcRequest({ metadata, json: decodedReq.json }, ctx);
      metadata = edited.metadata;
      reqBytes = encode(input, edited.json);
    }
    const deadline = call.getDeadline();
    const up = client.makeServerStreamRequest<Buffer, Buffer>(
      path,
      (b) => b,
      (b) => b,
      reqBytes,
      recordToMd(metadata),
      deadline === Infinity ? {} : { deadline },
    );
    let index = 0;
    let headersSent = false;
    const sendHeaders = (md?: grpc.Metadata): void => {
      if (headersSent) return;
      headersSent = true;
      const rec = md ? mdToRecord(md) : {};
      call.sendMetadata(recordToMd(h?.grpcHeaders ? h.grpcHeaders(rec, ctx) : rec));
    };
    call.on('cancelled', () => up.cancel());
    up.on('metadata', (md: grpc.Metadata) => sendHeaders(md));
    up.on('data', (b: Buffer) => {
      sendHeaders();
      const d = decodeMessage(output, b);
      const text = d.ok ? JSON.stringify(d.json) : '';
      const rewritten = rewrite(text);
      const json: unknown = d.ok ? JSON.parse(rewritten) : undefined;
      const out = h?.grpcMessage && d.ok ? h.grpcMessage(json, { ...ctx, messageIndex: index }) : undefined;
      index++;
      if (out === null) return;
      if (out === undefined) {
        // Untouched messages pass byte for byte (unknown fields included); only origin rewrites re-encode.
        call.write(d.ok && rewritten !== text ? encode(output, json) : b);
        return;
      }
      for (const m of Array.isArray(out) ? out : [out]) call.write(encode(output, m));
    });
    up.on('error', () => {
      /* the status event follows */
    });
    up.on('status', (st: grpc.StatusObject) => {
      sendHeaders();
      const all = mdToRecord(st.metadata);
      const bin = st.metadata.get(STATUS_DETAILS_KEY)[0];
      const decoded =
        bin !== undefined ? decodeStatusDetails(Buffer.isBuffer(bin) ? bin : Buffer.from(bin)) : undefined;
      const trailers = Object.fromEntries(
        Object.entries(all).filter(([k]) => k !== STATUS_DETAILS_KEY && !RESERVED.test(k)),
      );
      const edit: GrpcStatusEdit = {
        code: st.code,
        details: st.details,
        trailers,
        ...(decoded && decoded.code !== undefined
          ? {
              statusDetails: {
                code: decoded.code,
                message: decoded.message ?? '',
                ...(decoded.errorInfo ? { errorInfo: decoded.errorInfo } : {}),
              },
            }
          : {}),
      };
      finish(call, h?.grpcStatus ? h.grpcStatus(edit, ctx) : edit);
    });
  }

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const c of open) c.end();
      client.close();
      server.forceShutdown();
    },
  };
}
