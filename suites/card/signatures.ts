/**
 * Suite "card": agent card signatures (1.0 §8.4; 0.3 §5.5.6 defines the AgentCardSignature object only).
 * Version-scoped: the checks judge the card of the cell's version (`ctx.card`). Decoding, the signed payload forms,
 * algorithms, keys and the JWK Set fetch are machinery in src/discovery/card-signatures.ts; these checks judge.
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Obj } from '../../src/core/json.js';
import {
  MAX_JWKS_FETCHES,
  algOf,
  decodeSignature,
  fetchJwks,
  payloadForms,
  signaturesOf,
  verifyWithKeys,
  type Jwks,
  type PayloadForm,
} from '../../src/discovery/card-signatures.js';
import type { Expectation } from '../../src/results/types.js';

// ---------------------------------------------------------------------------------------------------------------
// Checks

/** A defect: a violation in 1.0; in 0.3, which defines the object but not the payload or the header, a warning. */
function judgeDefect(ctx: CheckContext, message: string, expectation: Expectation, why03: string): void {
  if (ctx.version === '0.3') ctx.ambiguous(message, why03, expectation);
  else ctx.violated(message, expectation);
}

function requireSignatures(ctx: CheckContext): unknown[] {
  const list = signaturesOf(ctx.card.card);
  if (list === undefined) return ctx.skip('the card carries no signatures');
  if (list === 'not-an-array') return ctx.untestable('`signatures` is not an array (see card.signatures.well-formed)');
  return list;
}

export const signaturesWellFormed = suite.check({
  id: 'card.signatures.well-formed',
  level: 'MUST',
  title: 'Card signatures are JWS objects whose protected header carries alg and kid',
  requirement:
    'Each AgentCardSignature has `protected` (base64url-encoded JSON JWS Protected Header) and `signature` ' +
    '(base64url); the protected header MUST include `alg` and `kid`.',
  stance:
    '0.3 defines the AgentCardSignature object (RFC 7515 JWS) but not the header parameters: in a 0.3 card, ' +
    'a missing `kid` (required from 1.0 §8.4.2 on) is a warning.',
  specRefs: {
    '0.3': [{ section: '5.5.6', req: 'S03-x15' }],
    '1.0': [
      { section: '8.4.2', req: 'S10-05' },
      { section: '4.4.7', req: 'S10-05' },
    ],
  },
  async run(ctx) {
    const sigs = signaturesOf(ctx.card.card);
    if (sigs === undefined) return ctx.skip('the card carries no signatures');
    if (sigs === 'not-an-array') {
      ctx.violated('`signatures` is not an array', {
        path: '/signatures',
        expected: 'array of AgentCardSignature',
        actual: ctx.card.card.signatures,
      });
      return;
    }
    for (const [i, raw] of sigs.entries()) {
      const d = decodeSignature(raw, i);
      for (const x of d.defects) ctx.violated(x.message, x.expectation);
      if (d.kidMissing)
        judgeDefect(
          ctx,
          d.kidMissing.message,
          d.kidMissing.expectation,
          '0.3 §5.5.6 defines the signature object only; `kid` is REQUIRED by 1.0 §8.4.2',
        );
      if (d.header) ctx.note(`signatures[${i}] protected header: ${JSON.stringify(d.header)}`);
    }
  },
});

export const signaturesTyp = suite.check({
  id: 'card.signatures.typ',
  level: 'SHOULD',
  title: 'The protected header of a card signature says typ "JOSE"',
  requirement: 'The JWS Protected Header `typ` SHOULD be set to "JOSE".',
  stance:
    'typ is compared as RFC 7515 §4.1.9 says media types are: case-insensitively, with "application/jose" ' +
    'the same as "JOSE".',
  specRefs: { '1.0': [{ section: '8.4.2', req: 'S10-05' }] },
  async run(ctx) {
    const headers = requireSignatures(ctx)
      .map((raw, i) => [i, decodeSignature(raw, i).header] as const)
      .filter((x): x is readonly [number, Obj] => x[1] !== undefined);
    if (headers.length === 0)
      return ctx.untestable('no signature has a decodable protected header (see card.signatures.well-formed)');
    for (const [i, h] of headers) {
      const typ = h.typ;
      const ok = typeof typ === 'string' && /^(application\/)?jose$/i.test(typ);
      if (!ok)
        ctx.violated(`signatures[${i}]: typ is ${typ === undefined ? 'absent' : JSON.stringify(typ)}`, {
          path: `/signatures/${i}/protected`,
          expected: 'typ: "JOSE"',
          actual: typ ?? '(absent)',
        });
      else if (typ !== 'JOSE') ctx.note(`signatures[${i}]: typ "${typ}" is equivalent to "JOSE"`);
    }
  },
});

export const signaturesVerify = suite.check({
  id: 'card.signatures.verify',
  level: 'MUST',
  title: 'Every card signature verifies over the canonical card with the key its header names',
  requirement:
    'A signature is a JWS over the RFC 8785 (JCS) canonical Agent Card without `signatures`, default values ' +
    'removed per the field presence rules; it verifies with the public key named by `kid` (retrieved via ' +
    '`jku`).',
  stance:
    'The harness canonicalises the card as served: it cannot know which fields the signer held as ' +
    "default-valued (§8.4.1 presence depends on the agent's own proto state). When the served form does not " +
    'verify, it tries each other form once, ' +
    'the a2a.proto 1.0 presence rules (defaults of fields that are neither REQUIRED nor `optional` removed) ' +
    'and every empty value ("", 0, false, [], {}) removed, and notes which form verified. ' +
    "Keys come only from the protected header's `jku` (no key store is configurable): without one, the check " +
    'is untestable. ' +
    'In a 0.3 card, which defines the signature object but not the signed payload, a signature that does not ' +
    'verify by the 1.0 procedure is a warning.',
  specRefs: {
    '0.3': [{ section: '5.5.6', req: 'S03-x15' }],
    '1.0': [
      { section: '8.4.1', req: 'S10-05' },
      { section: '8.4.3', req: 'S10-05' },
    ],
  },
  async run(ctx) {
    const sigs = requireSignatures(ctx);
    const why03 = '0.3 §5.5.6 defines the signature object but not its payload; judged by the 1.0 §8.4 procedure';
    let forms: { form: PayloadForm; payload: string }[];
    try {
      forms = payloadForms(ctx.card.card);
    } catch (e) {
      judgeDefect(
        ctx,
        `the card cannot be canonicalised with RFC 8785: ${(e as Error).message}`,
        { expected: 'an I-JSON card', actual: (e as Error).message },
        why03,
      );
      return;
    }
    const jwksCache = new Map<string, Promise<Jwks>>();
    const unavailable: string[] = [];
    let judged = 0;

    for (const [i, raw] of sigs.entries()) {
      const d = decodeSignature(raw, i);
      const at = `signatures[${i}]`;
      const path = `/signatures/${i}`;
      const h = d.header;
      if (!h || !d.protectedB64 || !d.signature || typeof h.alg !== 'string' || !h.alg) {
        unavailable.push(`${at} is malformed (see card.signatures.well-formed)`);
        continue;
      }
      const spec = algOf(h.alg);
      if (typeof spec === 'string') {
        judged++;
        judgeDefect(
          ctx,
          `${at}: ${spec}`,
          { path, expected: 'an asymmetric JWS alg (ES256, RS256, PS256, EdDSA, ...)', actual: h.alg },
          why03,
        );
        continue;
      }
      if (typeof h.jku !== 'string') {
        unavailable.push(`${at}: no jku and no key configured`);
        continue;
      }
      let jkuUrl: URL | undefined;
      try {
        jkuUrl = new URL(h.jku);
      } catch {
        jkuUrl = undefined;
      }
      if (!jkuUrl || !/^https?:$/.test(jkuUrl.protocol)) {
        judged++;
        judgeDefect(
          ctx,
          `${at}: jku "${h.jku}" is not an absolute http(s) URL`,
          { path, expected: 'URL of a JWK Set', actual: h.jku },
          why03,
        );
        continue;
      }
      if (jkuUrl.protocol !== 'https:')
        ctx.note(
          `${at}: jku ${h.jku} is not HTTPS (§8.4.3: keys SHOULD be retrieved over secure channels; RFC 7515 ` +
            `§4.1.2 requires TLS)`,
        );

      let jwksP = jwksCache.get(jkuUrl.href);
      if (!jwksP) {
        if (jwksCache.size >= MAX_JWKS_FETCHES) {
          unavailable.push(`${at}: more than ${MAX_JWKS_FETCHES} distinct jku URLs; not fetched`);
          continue;
        }
        jwksP = fetchJwks(ctx.http, jkuUrl.href, {
          targetTimeoutMs: ctx.target.timeoutMs,
          remainingMs: ctx.remainingMs(),
        });
        jwksCache.set(jkuUrl.href, jwksP);
      }
      const jwks = await jwksP;
      if ('unavailable' in jwks) {
        unavailable.push(`${at}: ${jwks.unavailable}`);
        continue;
      }
      judged++;
      if ('broken' in jwks) {
        judgeDefect(
          ctx,
          `${at}: ${jwks.broken}`,
          { path, expected: 'HTTP 200 with a JWK Set ({"keys": [...]})', actual: jwks.actual },
          why03,
        );
        continue;
      }

      const candidates = typeof h.kid === 'string' ? jwks.keys.filter((k) => k.kid === h.kid) : jwks.keys;
      if (typeof h.kid !== 'string') {
        if (candidates.length !== 1) {
          judgeDefect(
            ctx,
            `${at}: no kid, and the JWK Set at jku holds ${candidates.length} keys: the key cannot be chosen`,
            { path, expected: 'kid naming a key of the set', actual: (h.kid ?? '(absent)') as string },
            why03,
          );
          continue;
        }
        ctx.note(`${at}: no kid; using the only key of the JWK Set`);
      }
      if (candidates.length === 0) {
        judgeDefect(
          ctx,
          `${at}: the JWK Set at ${jkuUrl.href} has no key with kid "${String(h.kid)}"`,
          { path, expected: `a key with kid "${String(h.kid)}"`, actual: jwks.keys.map((k) => k.kid ?? '(no kid)') },
          why03,
        );
        continue;
      }
      const v = verifyWithKeys(spec, h.alg, candidates, forms, d.protectedB64, d.signature);
      for (const n of v.notes) ctx.note(`${at}: ${n}`);
      if (!v.tried) {
        judgeDefect(
          ctx,
          `${at}: ${v.problems.join('; ')}`,
          { path, expected: `a ${h.alg} public key`, actual: v.problems },
          why03,
        );
        continue;
      }
      if (!v.form) {
        judgeDefect(
          ctx,
          `${at} (alg ${h.alg}, kid ${String(h.kid ?? '-')}) does not verify over the canonical card; tried ` +
            `${forms.map((f) => f.form).join(', ')}`,
          {
            path,
            expected: `a ${h.alg} signature by the key at ${jkuUrl.href} over the JCS card without signatures`,
            actual: 'signature mismatch',
          },
          why03,
        );
        continue;
      }
      ctx.note(
        `${at} (alg ${h.alg}, kid ${String(h.kid ?? '-')}) verifies over the card ` +
          `${v.form === 'as served' ? 'as served' : `with ${v.form} (not as served)`}`,
      );
    }
    if (judged === 0) return ctx.untestable(unavailable.join('; ') || 'no signature could be judged');
    for (const u of unavailable) ctx.note(`not verified: ${u}`);
  },
});
