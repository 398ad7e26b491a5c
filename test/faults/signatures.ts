/**
 * Faults for the card signature checks (card.signatures.*, 1.0 §8.4). The reference agents do not sign their cards,
 * so every fault runs against a baseline emulation (see errors.ts, ControlledFaultCase) that does: the proxy signs
 * each card it serves with a test key (EC P-256, generated at module load) and serves that key's JWK Set at
 * JWKS_PATH on its own origin, named by the `jku` of the protected header. The hybrid 0.3 card is signed as served;
 * the 1.0 card over the a2a.proto presence-rules form (§8.4.1 default removal), so both payload forms of the verify
 * check are exercised. Each fault is that emulation with exactly one defect.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { payloadForms, toBase64url } from '../../src/discovery/card-signatures.js';
import type { Fault, FaultContext } from '../tools/fault-proxy.js';
import type { ControlledFaultCase } from './errors.js';
import { clone, isObj, type Obj } from './index.js';

export const JWKS_PATH = '/.well-known/test-jwks.json';
const KID = 'conformance-test-key-1';
const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const JWKS = JSON.stringify({
  keys: [{ ...signing.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig' }],
});

const grep = ['card.signatures.**'];

/** The proxy's own origin, read from the card (the proxy rewrote the agent's URLs to it). */
function originOf(card: Obj): string | undefined {
  const first =
    Array.isArray(card.supportedInterfaces) && isObj(card.supportedInterfaces[0])
      ? card.supportedInterfaces[0].url
      : undefined;
  const url = typeof card.url === 'string' ? card.url : first;
  try {
    return typeof url === 'string' ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

const isV10Card = (c: Obj) => Array.isArray(c.supportedInterfaces) && c.url === undefined;

interface SignOptions {
  /** Edit the protected header, or replace it with raw text. */
  header?: (h: Obj) => Obj | string;
  key?: KeyObject;
  /** Change the card after signing. */
  after?: (c: Obj) => void;
}

/** Sign a card (ES256 over the JCS payload, flattened JWS in `signatures`), with at most one defect. */
function signCard(opts: SignOptions = {}) {
  return (served: Record<string, unknown>, _ctx: FaultContext): Obj => {
    const card = clone(served);
    const origin = originOf(card);
    const header: Obj = { alg: 'ES256', typ: 'JOSE', kid: KID, ...(origin ? { jku: `${origin}${JWKS_PATH}` } : {}) };
    const h = opts.header ? opts.header(header) : header;
    const protectedB64 = toBase64url(typeof h === 'string' ? h : JSON.stringify(h));
    const forms = payloadForms(card);
    const payload =
      (isV10Card(card) ? forms.find((f) => f.form === 'a2a.proto presence rules') : undefined) ?? forms[0]!;
    const signature = sign('sha256', Buffer.from(`${protectedB64}.${toBase64url(payload.payload)}`), {
      key: opts.key ?? signing.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    card.signatures = [{ protected: protectedB64, signature: toBase64url(signature) }];
    opts.after?.(card);
    return card;
  };
}

const serveJwks: Fault['intercept'] = (ctx) =>
  ctx.method === 'GET' && ctx.path.split('?')[0] === JWKS_PATH
    ? { status: 200, headers: { 'content-type': 'application/json' }, body: JWKS }
    : undefined;

/** The conformant signer: every card signed, its key served at jku. */
export const signedEmulation: Fault = {
  name: 'emulation: signed card (ES256, jku)',
  description: 'signs every card with a test key and serves its JWK Set at jku',
  card: signCard(),
  intercept: serveJwks,
};

const signedFault = (name: string, description: string, kills: string, opts: SignOptions): ControlledFaultCase => ({
  name,
  description: `${description} (baseline: a card signed by the test key, JWK Set at jku)`,
  agent: 'v1',
  kills: [kills],
  grep,
  baseline: signedEmulation,
  card: signCard(opts),
  intercept: serveJwks,
});

export const FAULTS: ControlledFaultCase[] = [
  signedFault(
    'card-signature-kid-missing',
    'The protected header of the card signature has no `kid`.',
    'card.signatures.well-formed',
    {
      header: ({ kid: _kid, ...h }) => h,
    },
  ),
  signedFault(
    'card-signature-header-not-json',
    'The protected header of the card signature is base64url text that is not JSON.',
    'card.signatures.well-formed',
    {
      header: (h) => `alg=${String(h.alg)};kid=${String(h.kid)}`,
    },
  ),
  signedFault(
    'card-signature-tampered',
    'The card is changed after signing (its description), so the signature no longer covers it.',
    'card.signatures.verify',
    {
      after: (c) => {
        c.description = `${String(c.description)} (edited after signing)`;
      },
    },
  ),
  signedFault(
    'card-signature-wrong-key',
    'The card is signed with a different key than the one the jku JWK Set serves under that kid.',
    'card.signatures.verify',
    {
      key: stranger.privateKey,
    },
  ),
  signedFault(
    'card-signature-typ-jwt',
    'The protected header says typ "JWT" instead of "JOSE" (SHOULD: warn).',
    'card.signatures.typ',
    {
      header: (h) => ({ ...h, typ: 'JWT' }),
    },
  ),
];
