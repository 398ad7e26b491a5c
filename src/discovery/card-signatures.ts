/**
 * Agent card signatures (A2A 1.0 §8.4; 0.3 §5.5.6 defines the AgentCardSignature object only): the machinery the
 * card.signatures.* checks judge with. Nothing here judges; defects come back as data for the checks to report.
 *
 * A signature is a JWS (RFC 7515) in flattened form: `protected` (base64url JSON header), `signature` (base64url),
 * optional `header` (unprotected). The payload is the RFC 8785 canonical card without `signatures` (jcs.ts),
 * default-valued fields removed by the proto presence rules (§8.4.1); the signing input is
 * BASE64URL(header) '.' BASE64URL(payload). Keys come from a JWK Set fetched, bounded, from the header's `jku`.
 */
import { constants, createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isObj, type Obj } from '../core/json.js';
import type { HttpSession } from '../http/session.js';
import type { Expectation } from '../results/types.js';
import { canonicalize } from './jcs.js';
import { parseBoundedJson } from '../core/bounded-json.js';

/** Signatures judged per card, JWKS fetched per check, keys tried per signature: bounds against hostile cards. */
export const MAX_SIGNATURES = 10;
export const MAX_JWKS_FETCHES = 4;
const MAX_KEYS_TRIED = 4;
const JWKS_MAX_BYTES = 256 * 1024;
const JWKS_TIMEOUT_MS = 5000;

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** base64url without padding (RFC 7515 §2); undefined when the text is not that. */
export function fromBase64url(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, 'base64url');
}

export const toBase64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export interface DecodedSignature {
  index: number;
  path: string;
  /** `protected` as served (the signing input uses it verbatim). */
  protectedB64?: string;
  signature?: Buffer;
  /** The decoded protected header, when it is a JSON object. */
  header?: Obj;
  unprotected?: Obj;
  /** Structural defects (RFC 7515 / §8.4.2 MUST). */
  defects: { message: string; expectation: Expectation }[];
  /** `kid` missing from the protected header (judged by version: MUST in 1.0, not required by 0.3). */
  kidMissing?: { message: string; expectation: Expectation };
}

/** The card's signatures, or undefined when it carries none (absent or an empty list). */
export function signaturesOf(card: Obj): unknown[] | 'not-an-array' | undefined {
  const s = card.signatures;
  if (s === undefined || s === null) return undefined;
  if (!Array.isArray(s)) return 'not-an-array';
  return s.length ? s.slice(0, MAX_SIGNATURES) : undefined;
}

export function decodeSignature(raw: unknown, index: number): DecodedSignature {
  const path = `/signatures/${index}`;
  const d: DecodedSignature = { index, path, defects: [] };
  const defect = (message: string, expectation: Expectation) =>
    d.defects.push({ message: `signatures[${index}]: ${message}`, expectation });
  if (!isObj(raw)) {
    defect('is not an object', { path, expected: '{ protected, signature, header? }', actual: raw });
    return d;
  }

  if (typeof raw.signature !== 'string')
    defect('`signature` is missing or not a string', {
      path: `${path}/signature`,
      expected: 'base64url string',
      actual: raw.signature ?? '(absent)',
    });
  else {
    const sig = fromBase64url(raw.signature);
    if (!sig)
      defect('`signature` is not base64url (RFC 7515 §2: URL-safe alphabet, no padding)', {
        path: `${path}/signature`,
        expected: 'base64url string',
        actual: raw.signature.slice(0, 120),
      });
    else if (sig.length === 0)
      defect('`signature` is empty', {
        path: `${path}/signature`,
        expected: 'the base64url-encoded signature value',
        actual: '',
      });
    else d.signature = sig;
  }
  if (raw.header !== undefined && !isObj(raw.header))
    defect('`header` (unprotected JWS header) is not a JSON object', {
      path: `${path}/header`,
      expected: 'object',
      actual: raw.header,
    });
  else if (isObj(raw.header)) d.unprotected = raw.header;

  if (typeof raw.protected !== 'string' || raw.protected === '') {
    defect('`protected` is missing or not a non-empty string', {
      path: `${path}/protected`,
      expected: 'base64url-encoded JSON header',
      actual: raw.protected ?? '(absent)',
    });
    return d;
  }
  const bytes = fromBase64url(raw.protected);
  if (!bytes) {
    defect('`protected` is not base64url (RFC 7515 §2: URL-safe alphabet, no padding)', {
      path: `${path}/protected`,
      expected: 'base64url string',
      actual: raw.protected.slice(0, 120),
    });
    return d;
  }
  let header: unknown;
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const parsed = parseBoundedJson(text);
    if (parsed.error !== undefined) throw new Error(parsed.error);
    header = parsed.json;
  } catch (e) {
    defect(`the protected header is not UTF-8 JSON (${(e as Error).message})`, {
      path: `${path}/protected`,
      expected: 'BASE64URL(UTF8(JSON object))',
      actual: text.slice(0, 120) || `${bytes.length} bytes`,
    });
    return d;
  }
  if (!isObj(header)) {
    defect('the protected header is not a JSON object', {
      path: `${path}/protected`,
      expected: 'JSON object with alg and kid',
      actual: header,
    });
    return d;
  }
  d.protectedB64 = raw.protected;
  d.header = header;

  if (typeof header.alg !== 'string' || header.alg === '')
    defect('the protected header has no `alg` (RFC 7515 §4.1.1, A2A 1.0 §8.4.2: MUST)', {
      path: `${path}/protected`,
      expected: 'alg, e.g. "ES256"',
      actual: header,
    });
  if (header.kid === undefined) {
    d.kidMissing = {
      message:
        `signatures[${index}]: the protected header has no ` +
        `\`kid\`${d.unprotected?.kid !== undefined ? ' (it is only in the unprotected header)' : ''}`,
      expectation: { path: `${path}/protected`, expected: 'kid (key id) in the protected header', actual: header },
    };
  } else if (typeof header.kid !== 'string' || header.kid === '')
    defect('`kid` is not a non-empty string (RFC 7515 §4.1.4)', {
      path: `${path}/protected`,
      expected: 'string',
      actual: header.kid,
    });
  if (header.jku !== undefined && typeof header.jku !== 'string')
    defect('`jku` is not a string URI (RFC 7515 §4.1.2)', {
      path: `${path}/protected`,
      expected: 'URI of a JWK Set',
      actual: header.jku,
    });
  const shared = d.unprotected ? Object.keys(d.unprotected).filter((k) => k in header) : [];
  if (shared.length)
    defect(
      `protected and unprotected headers both carry ${shared.join(', ')} (RFC 7515 §7.2.1: they MUST be disjoint)`,
      { path, expected: 'disjoint header parameter sets', actual: shared },
    );
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// The signed payload

/**
 * Which fields of an a2a.proto (1.0) message are REQUIRED or `optional` (kept even when default-valued), which are
 * sub-messages, maps, or Structs. Fields not listed follow the generic rule: default values ("", 0, false, [], {} of a
 * map, null) are left out; a set sub-message is kept even when empty (message fields have presence).
 */
interface ProtoMsg {
  keep?: string[];
  messages?: Record<string, ProtoMsg>;
  /** map fields: the schema of message values (null: scalar values, kept as they are). */
  maps?: Record<string, ProtoMsg | null>;
  /** google.protobuf.Struct fields: JSON kept verbatim. */
  structs?: string[];
}

const SECURITY_REQUIREMENT: ProtoMsg = { maps: { schemes: {} } };
const flow = (required: boolean): ProtoMsg => ({ keep: required ? ['scopes'] : [], maps: { scopes: null } });
const SECURITY_SCHEME: ProtoMsg = {
  messages: {
    oauth2SecurityScheme: {
      keep: ['flows'],
      messages: {
        flows: {
          messages: {
            authorizationCode: flow(true),
            clientCredentials: flow(true),
            deviceCode: flow(true),
            implicit: flow(false),
            password: flow(false),
          },
        },
      },
    },
  },
};
const AGENT_CARD: ProtoMsg = {
  keep: [
    'name',
    'description',
    'supportedInterfaces',
    'version',
    'capabilities',
    'defaultInputModes',
    'defaultOutputModes',
    'skills',
    'documentationUrl',
    'iconUrl',
  ],
  messages: {
    supportedInterfaces: { keep: ['url', 'protocolBinding', 'protocolVersion'] },
    provider: { keep: ['url', 'organization'] },
    capabilities: {
      keep: ['streaming', 'pushNotifications', 'extendedAgentCard'],
      messages: { extensions: { structs: ['params'] } },
    },
    skills: { keep: ['id', 'name', 'description', 'tags'], messages: { securityRequirements: SECURITY_REQUIREMENT } },
    securityRequirements: SECURITY_REQUIREMENT,
  },
  maps: { securitySchemes: SECURITY_SCHEME },
};

const isDefaultScalar = (v: unknown) => v === null || v === '' || v === 0 || v === false;

/** Sets an own data property: a card key "__proto__" stays a member (never the copy's prototype). */
function setOwn(o: Obj, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** §8.4.1 presence rules, as a2a.proto 1.0 declares them for AgentCard (generic rule elsewhere). */
function applyPresence(o: Obj, m: ProtoMsg): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const keep = m.keep?.includes(k) ?? false;
    if (v === undefined || v === null) continue;
    if (m.structs?.includes(k)) {
      setOwn(out, k, v);
      continue;
    }
    const sub = (m.messages && Object.hasOwn(m.messages, k) ? m.messages[k] : undefined) ?? {};
    if (m.maps && Object.hasOwn(m.maps, k) && isObj(v)) {
      const vs = m.maps[k];
      const entries = Object.entries(v).map(([mk, mv]) => [mk, vs && isObj(mv) ? applyPresence(mv, vs) : mv] as const);
      if (entries.length || keep) setOwn(out, k, Object.fromEntries(entries));
    } else if (Array.isArray(v)) {
      if (v.length || keep)
        setOwn(
          out,
          k,
          v.map((x) => (isObj(x) ? applyPresence(x, sub) : x)),
        );
    } else if (isObj(v)) {
      setOwn(out, k, applyPresence(v, sub));
    } else if (keep || !isDefaultScalar(v)) {
      setOwn(out, k, v);
    }
  }
  return out;
}

/** Every empty value removed, recursively: "", 0, false, null, [] and {} (objects emptied by the removal too). */
function withoutEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmpty);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const y = withoutEmpty(x);
    if (
      y === undefined ||
      isDefaultScalar(y) ||
      (Array.isArray(y) && y.length === 0) ||
      (isObj(y) && Object.keys(y).length === 0)
    )
      continue;
    setOwn(out, k, y);
  }
  return out;
}

export type PayloadForm = 'as served' | 'a2a.proto presence rules' | 'all empty values removed';

/**
 * The JCS payloads the harness tries, in order: the card as served (without `signatures`), then the card with the
 * a2a.proto 1.0 presence rules applied, then the card with every empty value removed. Duplicates are dropped.
 * Throws JcsError when the card is not I-JSON.
 */
export function payloadForms(card: Obj): { form: PayloadForm; payload: string }[] {
  const { signatures: _omit, ...served } = card;
  const forms: { form: PayloadForm; payload: string }[] = [];
  const add = (form: PayloadForm, v: unknown) => {
    const payload = canonicalize(v);
    if (!forms.some((f) => f.payload === payload)) forms.push({ form, payload });
  };
  add('as served', served);
  add('a2a.proto presence rules', applyPresence(served, AGENT_CARD));
  add('all empty values removed', withoutEmpty(served));
  return forms;
}

// ---------------------------------------------------------------------------------------------------------------
// Algorithms

export interface AlgSpec {
  hash: string | null;
  kty: string[];
  curve?: string;
  pss?: boolean;
  ieee?: boolean;
}

const ALGS: Record<string, AlgSpec> = {
  ES256: { hash: 'sha256', kty: ['ec'], curve: 'prime256v1', ieee: true },
  ES384: { hash: 'sha384', kty: ['ec'], curve: 'secp384r1', ieee: true },
  ES512: { hash: 'sha512', kty: ['ec'], curve: 'secp521r1', ieee: true },
  ES256K: { hash: 'sha256', kty: ['ec'], curve: 'secp256k1', ieee: true },
  RS256: { hash: 'sha256', kty: ['rsa'] },
  RS384: { hash: 'sha384', kty: ['rsa'] },
  RS512: { hash: 'sha512', kty: ['rsa'] },
  PS256: { hash: 'sha256', kty: ['rsa', 'rsa-pss'], pss: true },
  PS384: { hash: 'sha384', kty: ['rsa', 'rsa-pss'], pss: true },
  PS512: { hash: 'sha512', kty: ['rsa', 'rsa-pss'], pss: true },
  EdDSA: { hash: null, kty: ['ed25519', 'ed448'] },
  Ed25519: { hash: null, kty: ['ed25519'] },
};
const HASH_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** Why an alg cannot be verified with a public key, or the spec to verify it with. */
export function algOf(alg: string): AlgSpec | string {
  if (ALGS[alg]) return ALGS[alg]!;
  if (alg === 'none') return 'alg "none" is an unsecured JWS: it signs nothing';
  if (/^HS(256|384|512)$/.test(alg)) return `alg "${alg}" is a shared-secret MAC: no public key (jku) can verify it`;
  return `alg "${alg}" is not a JWS signature algorithm the harness knows (ES256/384/512, ES256K, RS*, PS*, EdDSA)`;
}

function verifyWith(spec: AlgSpec, key: KeyObject, input: Buffer, sig: Buffer): boolean {
  const opts = spec.pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[spec.hash!]! }
    : spec.ieee
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : key;
  try {
    return cryptoVerify(spec.hash, input, opts, sig);
  } catch {
    return false;
  }
}

/** The key type does not fit the alg: a reason, or undefined when it fits. */
function keyMismatch(spec: AlgSpec, alg: string, key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType ?? key.type;
  if (!spec.kty.includes(type)) return `the key is ${type}, alg ${alg} needs ${spec.kty.join(' or ')}`;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (spec.curve && curve && curve !== spec.curve)
    return `the key is on curve ${curve}, alg ${alg} needs ${spec.curve}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

export type Jwks = { keys: Obj[] } | { unavailable: string } | { broken: string; actual: unknown };

/**
 * The JWK Set at `jku`, bounded in time (at most 5 s, the target's request timeout, and what the check has left but
 * a second) and size; never with the target's credentials. `unavailable`: it could not be fetched (the check cannot
 * judge); `broken`: it answered, but not with a JWK Set.
 */
export async function fetchJwks(
  http: Pick<HttpSession, 'request'>,
  jku: string,
  budget: { targetTimeoutMs: number; remainingMs: number },
): Promise<Jwks> {
  const timeoutMs = Math.max(
    500,
    Math.min(JWKS_TIMEOUT_MS, budget.targetTimeoutMs || JWKS_TIMEOUT_MS, budget.remainingMs - 1000),
  );
  let res: Awaited<ReturnType<HttpSession['request']>>;
  try {
    // A JWK Set is public: the target's credentials are not sent to whatever host jku names.
    res = await http.request({
      method: 'GET',
      url: jku,
      label: `JWK Set (jku) ${jku}`,
      timeoutMs,
      maxBytes: JWKS_MAX_BYTES,
      withoutCredentials: true,
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
  } catch (e) {
    return { unavailable: `the JWK Set at ${jku} could not be fetched (${(e as Error).message})` };
  }
  if (res.status !== 200)
    return { broken: `the JWK Set at jku ${jku} answered HTTP ${res.status}`, actual: res.status };
  if (res.truncated)
    return { broken: `the JWK Set at jku ${jku} exceeds ${JWKS_MAX_BYTES} bytes`, actual: 'truncated' };
  if (!isObj(res.json) || !Array.isArray(res.json.keys))
    return { broken: `the document at jku ${jku} is not a JWK Set ({"keys": [...]})`, actual: res.text.slice(0, 200) };
  return { keys: res.json.keys.filter(isObj) };
}

export interface KeyVerification {
  /** Some key fitted the alg and was tried. */
  tried: boolean;
  /** Why keys could not be used (not a public JWK, wrong type or curve). */
  problems: string[];
  /** The payload form the signature verified over, if any. */
  form?: PayloadForm;
  /** Observations worth reporting (a JWK whose own alg differs from the header's). */
  notes: string[];
}

/**
 * Verify a decoded signature with the first usable candidate keys (at most 4) over each payload form in turn; stops
 * at the first form that verifies.
 */
export function verifyWithKeys(
  spec: AlgSpec,
  alg: string,
  candidates: Obj[],
  forms: { form: PayloadForm; payload: string }[],
  protectedB64: string,
  signature: Buffer,
): KeyVerification {
  const r: KeyVerification = { tried: false, problems: [], notes: [] };
  for (const jwk of candidates.slice(0, MAX_KEYS_TRIED)) {
    let key: KeyObject;
    try {
      const { d: _private, ...pub } = jwk;
      key = createPublicKey({ key: pub as JsonWebKey, format: 'jwk' });
    } catch (e) {
      r.problems.push(`key "${String(jwk.kid)}" is not a usable public JWK (${(e as Error).message})`);
      continue;
    }
    const mismatch = keyMismatch(spec, alg, key);
    if (mismatch) {
      r.problems.push(mismatch);
      continue;
    }
    if (typeof jwk.alg === 'string' && jwk.alg !== alg) r.notes.push(`the JWK says alg ${jwk.alg}, the header ${alg}`);
    r.tried = true;
    for (const f of forms) {
      const input = Buffer.from(`${protectedB64}.${toBase64url(f.payload)}`, 'ascii');
      if (verifyWith(spec, key, input, signature)) {
        r.form = f.form;
        return r;
      }
    }
  }
  return r;
}
