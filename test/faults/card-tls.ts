/**
 * Faults and benign variants for card.interfaces.https. The reference agents serve plaintext on loopback, so the
 * baseline is an emulated production card (every interface URL rewritten to https://; nothing is dialled by the
 * check) on a target marked `production: true`, and each case changes one interface URL of that card.
 */
import type { FaultCase } from '../tools/fault-case.js';
import type { Fault } from '../tools/fault-proxy.js';
import { isObj, type Obj } from './index.js';

/** Every interface entry of a card, either shape (1.0 supportedInterfaces, 0.3 additionalInterfaces). */
function interfaceEntries(c: Obj): Obj[] {
  const lists = [c.supportedInterfaces, c.additionalInterfaces].filter(Array.isArray) as unknown[][];
  return lists.flat().filter(isObj);
}

const isGrpc = (i: Obj) => String(i.protocolBinding ?? i.transport ?? '').toUpperCase() === 'GRPC';

/** The production card: every http:// URL (top-level `url` and each interface) becomes https://. */
function tlsCard(c: Obj): Obj {
  const up = (u: unknown) => (typeof u === 'string' ? u.replace(/^http:\/\//i, 'https://') : u);
  if ('url' in c) c.url = up(c.url);
  for (const i of interfaceEntries(c)) i.url = up(i.url);
  return c;
}

/** tlsCard, then `change` on the first interface entry that `pick` selects. */
function tlsCardWith(pick: (i: Obj) => boolean, change: (i: Obj) => void): (c: Obj) => Obj {
  return (c) => {
    tlsCard(c);
    const hit = interfaceEntries(c).find(pick);
    if (hit) change(hit);
    return c;
  };
}

function productionEmulation(): Fault {
  return {
    name: 'emulation: production card (every interface over TLS)',
    description: 'rewrites every interface URL of the card from http:// to https://',
    card: (c) => tlsCard(c as Obj),
  };
}

function withBaseline(f: FaultCase & { baseline: Fault }): FaultCase {
  return f;
}

const COMMON = {
  agent: 'v1' as const,
  production: true,
  grep: ['card.interfaces.https'],
  baseline: productionEmulation(),
};

export const FAULTS: FaultCase[] = [
  withBaseline({
    ...COMMON,
    name: 'card-interface-plaintext-in-production',
    description:
      'A production card (targets.yaml production: true) declares one HTTP interface with an http:// URL among ' +
      'https:// ones.',
    kills: ['card.interfaces.https'],
    card: tlsCardWith(
      (i) => !isGrpc(i),
      (i) => {
        i.url = String(i.url).replace(/^https:\/\//i, 'http://');
      },
    ),
  }),
  withBaseline({
    ...COMMON,
    name: 'benign-card-grpc-grpcs-scheme',
    benign: true,
    description: 'A production card declares its gRPC interface as grpcs://host:port (TLS, the gRPC URL spelling).',
    kills: [],
    card: tlsCardWith(isGrpc, (i) => {
      i.url = String(i.url).replace(/^https:\/\//i, 'grpcs://');
    }),
  }),
  withBaseline({
    ...COMMON,
    name: 'benign-card-grpc-host-port',
    benign: true,
    description:
      'A production card declares its gRPC interface in the host:port form, which names no scheme (TLS is the ' +
      "client's default; grpc.transport.tls judges the handshake).",
    kills: [],
    card: tlsCardWith(isGrpc, (i) => {
      i.url = String(i.url).replace(/^https:\/\//i, '');
    }),
  }),
];
