/**
 * Whether a declared interface is reached over TLS, read from its URL alone (nothing is dialled): https for the HTTP
 * bindings; https/grpcs for a gRPC URL. A gRPC `host:port` carries no scheme, so the card does not say (the gRPC
 * client infers TLS from the target URL; grpc.transport.tls judges the handshake).
 */
import { parseGrpcUrl } from '../grpc/endpoint.js';
import type { DeclaredInterface } from './types.js';

export interface InterfaceTls {
  /** true: TLS; false: plaintext; undefined: the URL does not say (why). */
  tls: boolean | undefined;
  /** Host name (brackets stripped), when the URL has one. */
  host?: string;
  why?: string;
}

export function interfaceTls(i: Pick<DeclaredInterface, 'url' | 'binding'>): InterfaceTls {
  if (i.binding === 'grpc') {
    const ep = parseGrpcUrl(i.url, 'https://unknown.invalid');
    if ('error' in ep) return { tls: undefined, why: ep.error };
    const host = ep.address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (ep.form === 'host-port') return { tls: undefined, host, why: 'the host:port form names no scheme' };
    return { tls: ep.tls, host };
  }
  let u: URL;
  try {
    u = new URL(i.url);
  } catch {
    return { tls: undefined, why: `"${i.url}" is not an absolute URL` };
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.protocol === 'https:') return { tls: true, host };
  if (u.protocol === 'http:') return { tls: false, host };
  return { tls: undefined, host, why: `scheme "${u.protocol}" is neither http nor https` };
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: a host only this machine reaches (a local test setup). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
}
