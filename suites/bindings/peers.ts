/**
 * The interfaces a cross-binding comparison talks to: per recognised binding of the version, the first declared
 * interface with a URL (the interface discovery tests for that binding), honouring the target's `bindings` filter.
 * Plus small helpers to name each binding's answer in findings.
 */
import { BINDINGS, type Binding } from '../../src/core/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';
import type { A2AClient, Reply } from '../../src/protocol/client.js';
import type { A2AError } from '../../src/protocol/model.js';

export interface Peer {
  binding: Binding;
  iface: DeclaredInterface;
  client: A2AClient;
  /** How findings name this binding, e.g. "JSON-RPC" or "HTTP+JSON". */
  label: string;
}

const LABEL: Record<Binding, string> = { jsonrpc: 'JSON-RPC', rest: 'HTTP+JSON', grpc: 'gRPC' };

/** One peer per recognised binding of this version; skips the check when fewer than two are declared. */
export function bindingPeers(ctx: CheckContext): Peer[] {
  const peers: Peer[] = [];
  for (const binding of BINDINGS) {
    if (ctx.target.bindings && !ctx.target.bindings.includes(binding)) continue;
    const iface = ctx.card.versionInterfaces.find((i) => i.binding === binding && i.url);
    if (iface) peers.push({ binding, iface, client: ctx.clientFor(iface), label: LABEL[binding] });
  }
  if (peers.length < 2) {
    const have = peers.map((p) => p.label).join(', ') || 'none';
    return ctx.skip(
      `the card declares fewer than two recognised bindings for ${ctx.version} ` +
        (`(${have}${ctx.target.bindings ? `; target bindings: ${ctx.target.bindings.join(', ')}` : ''}): ` +
          `nothing to compare`),
    );
  }
  return peers;
}

/** A short description of an error for cross-binding findings: name, then the binding's own encoding. */
export function errorSummary(e: A2AError): string {
  const enc = [
    e.code !== undefined ? `code ${e.code}` : undefined,
    e.grpcStatus !== undefined ? `gRPC ${e.grpcStatus}` : `HTTP ${e.httpStatus}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${e.name === 'Unknown' ? 'an unrecognised error' : e.name} (${enc})`;
}

/** A short description of any reply for cross-binding findings. */
export function replySummary(r: Reply<unknown>): string {
  if (!r.ok) return `error ${errorSummary(r.error)}`;
  const v = r.value as {
    kind?: string;
    task?: { status?: { wireState?: string } };
    status?: { wireState?: string };
  } | null;
  if (v?.kind === 'task') return `success: a Task (${v.task?.status?.wireState ?? '?'})`;
  if (v?.kind === 'message') return 'success: a Message';
  if (v && typeof v === 'object' && v.status) return `success: a Task (${v.status.wireState ?? '?'})`;
  return `success (HTTP ${r.exchange.response?.status ?? '?'})`;
}

/** "JSON-RPC → x; HTTP+JSON → y", for messages. */
export function perBinding(items: { peer: Peer; text: string }[]): string {
  return items.map((i) => `${i.peer.label} → ${i.text}`).join('; ');
}

/** {"JSON-RPC (url)": x, ...}, for the `actual` of an expectation. */
export function perBindingObject(items: { peer: Peer; text: string }[]): Record<string, string> {
  return Object.fromEntries(items.map((i) => [`${i.peer.label} (${i.peer.iface.url})`, i.text]));
}

export const isAuthFailure = (e: A2AError): boolean =>
  e.httpStatus === 401 ||
  e.httpStatus === 403 ||
  e.grpcStatus === 'UNAUTHENTICATED' ||
  e.grpcStatus === 'PERMISSION_DENIED' ||
  e.name === 'Unauthenticated' ||
  e.name === 'PermissionDenied';
