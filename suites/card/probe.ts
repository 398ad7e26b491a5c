/** Does an interface really speak the binding it declares? One cheap GetTask for a random id tells. */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/checks/types.js';
import { isObj } from '../../src/core/json.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';
import type { Binding } from '../../src/core/types.js';
import type { Exchange } from '../../src/http/types.js';
import { parseBoundedJson } from '../../src/core/bounded-json.js';

export interface ProbeVerdict {
  iface: DeclaredInterface;
  speaks: boolean;
  /** What came back, in words. */
  observed: string;
}

export function judgeAnswer(binding: Binding, exchange: Exchange): { speaks: boolean; observed: string } {
  if (binding === 'grpc') return judgeGrpcAnswer(exchange);
  const res = exchange.response;
  if (!res) return { speaks: false, observed: `no response (${exchange.error ?? 'transport error'})` };
  let json: unknown;
  json = res.body?.text ? parseBoundedJson(res.body.text).json : undefined;
  const ct = res.headers['content-type'] ?? '(none)';
  const isRpc = isObj(json) && json.jsonrpc === '2.0' && ('result' in json || 'error' in json);
  if (binding === 'jsonrpc') {
    return isRpc
      ? { speaks: true, observed: `HTTP ${res.status} with a JSON-RPC 2.0 response` }
      : {
          speaks: false,
          observed:
            `HTTP ${res.status}, ${ct}, ` +
            `${json === undefined ? 'body is not JSON' : 'JSON but not a JSON-RPC 2.0 response'}`,
        };
  }
  if (isRpc)
    return {
      speaks: false,
      observed: `HTTP ${res.status} with a JSON-RPC envelope: this URL speaks JSON-RPC, not HTTP+JSON`,
    };
  if (res.status === 405 || res.status === 501)
    return { speaks: false, observed: `HTTP ${res.status}: the REST route is not served` };
  if (json === undefined) return { speaks: false, observed: `HTTP ${res.status}, ${ct}, body is not JSON` };
  return { speaks: res.status < 500, observed: `HTTP ${res.status} with a JSON body` };
}

/** gRPC: any status from the A2A service is an answer; UNIMPLEMENTED means the service or method is not there. */
function judgeGrpcAnswer(exchange: Exchange): { speaks: boolean; observed: string } {
  const g = exchange.grpc;
  if (!g?.status) return { speaks: false, observed: `no gRPC status (${exchange.error ?? 'transport error'})` };
  const s = `gRPC ${g.status.name}${g.status.message ? ` "${g.status.message.slice(0, 120)}"` : ''}`;
  // grpc-js reports a non-gRPC HTTP/2 answer (a non-200 status) as a status of its own ("Received HTTP status code
  // 404"): that is some other server, not a gRPC error.
  if (/^received http status code/i.test(g.status.message))
    return { speaks: false, observed: `${s}: the address answers HTTP, not gRPC` };
  if (g.status.name === 'UNIMPLEMENTED')
    return { speaks: false, observed: `${s}: ${g.method} is not served at this address` };
  return { speaks: true, observed: `${s} from ${g.method}` };
}

/** Probe once per interface per cell (shared by the checks that need it). */
export function probeInterface(ctx: CheckContext, iface: DeclaredInterface): Promise<ProbeVerdict> {
  return ctx.fixture(`probe:${iface.binding}:${iface.url}:${iface.tenant ?? ''}`, async (f) => {
    if (!iface.binding)
      return { iface, speaks: false, observed: `binding "${iface.bindingName}" cannot be probed by this harness` };
    const client = f.clientFor(iface);
    try {
      const reply = await client.get(`conformance-probe-${randomUUID()}`, {
        label: `probe ${iface.bindingName} at ${iface.url}`,
      });
      return { iface, ...judgeAnswer(iface.binding, reply.exchange) };
    } catch (e) {
      // An interface that cannot be reached does not serve its binding: that is the agent's problem, not ours.
      if ((e as Error).name === 'TransportError')
        return { iface, speaks: false, observed: `unreachable: ${(e as Error).message}` };
      throw e;
    }
  });
}
