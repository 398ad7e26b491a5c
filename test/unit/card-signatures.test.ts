/** src/discovery/card-signatures.ts: JWS decoding, algorithms and key verification of signed agent cards. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  algOf,
  decodeSignature,
  payloadForms,
  signaturesOf,
  toBase64url,
  verifyWithKeys,
  type AlgSpec,
} from '../../src/discovery/card-signatures.js';

const b64json = (o: unknown) => toBase64url(JSON.stringify(o));
const card = { name: 'agent', description: 'd', version: '1', skills: [], capabilities: { streaming: false } };

function es256(header: Record<string, unknown>) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const protectedB64 = b64json(header);
  const payload = payloadForms(card)[0]!.payload;
  const signature = sign('sha256', Buffer.from(`${protectedB64}.${toBase64url(payload)}`), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1' } as Record<string, unknown>;
  return { protectedB64, signature, jwk };
}

describe('decodeSignature', () => {
  it('decodes a well-formed flattened JWS without defects', () => {
    const d = decodeSignature({ protected: b64json({ alg: 'ES256', kid: 'k1', typ: 'JOSE' }), signature: 'AAAA' }, 0);
    expect(d.defects).toEqual([]);
    expect(d.kidMissing).toBeUndefined();
    expect(d.header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'JOSE' });
  });

  it('reports a missing kid apart from the structural defects, noting an unprotected one', () => {
    const d = decodeSignature({ protected: b64json({ alg: 'ES256' }), header: { kid: 'k1' }, signature: 'AAAA' }, 2);
    expect(d.defects).toEqual([]);
    expect(d.kidMissing?.message).toMatch(/^signatures\[2\]: .*no `kid` \(it is only in the unprotected header\)/);
  });

  it('reports a header that is not JSON, a padded signature and header parameters given twice', () => {
    expect(decodeSignature({ protected: toBase64url('not json'), signature: 'AAAA' }, 0).defects[0]?.message).toMatch(
      /not UTF-8 JSON/,
    );
    expect(
      decodeSignature({ protected: b64json({ alg: 'ES256', kid: 'k' }), signature: 'AA==' }, 0).defects[0]?.message,
    ).toMatch(/`signature` is not base64url/);
    const both = decodeSignature(
      { protected: b64json({ alg: 'ES256', kid: 'k' }), header: { kid: 'k' }, signature: 'AAAA' },
      0,
    );
    expect(both.defects.map((x) => x.message)).toEqual([expect.stringMatching(/both carry kid .*disjoint/)]);
  });

  it('bounds the signatures judged per card', () => {
    expect(signaturesOf({})).toBeUndefined();
    expect(signaturesOf({ signatures: {} })).toBe('not-an-array');
    expect(signaturesOf({ signatures: Array.from({ length: 50 }, () => ({})) })).toHaveLength(10);
  });
});

describe('algOf', () => {
  it('knows the asymmetric JWS algorithms and says why others cannot be verified', () => {
    expect(algOf('ES256')).toMatchObject({ hash: 'sha256', curve: 'prime256v1' });
    expect(algOf('none')).toMatch(/unsecured/);
    expect(algOf('HS256')).toMatch(/shared-secret/);
    expect(algOf('XX1')).toMatch(/not a JWS signature algorithm/);
  });
});

describe('verifyWithKeys', () => {
  const spec = algOf('ES256') as AlgSpec;
  const forms = payloadForms(card);

  it('verifies a signature over the card as served', () => {
    const { protectedB64, signature, jwk } = es256({ alg: 'ES256', kid: 'k1' });
    expect(verifyWithKeys(spec, 'ES256', [jwk], forms, protectedB64, signature)).toEqual({
      tried: true,
      problems: [],
      form: 'as served',
      notes: [],
    });
  });

  it('does not verify a tampered signature or one by another key', () => {
    const { protectedB64, signature, jwk } = es256({ alg: 'ES256', kid: 'k1' });
    const tampered = Buffer.from(signature);
    tampered[0] = tampered[0]! ^ 1;
    expect(verifyWithKeys(spec, 'ES256', [jwk], forms, protectedB64, tampered).form).toBeUndefined();
    const other = es256({ alg: 'ES256', kid: 'k1' }).jwk;
    const r = verifyWithKeys(spec, 'ES256', [other], forms, protectedB64, signature);
    expect(r.tried).toBe(true);
    expect(r.form).toBeUndefined();
  });

  it('refuses keys that do not fit the alg, and notes a JWK whose own alg differs', () => {
    const { protectedB64, signature, jwk } = es256({ alg: 'ES256', kid: 'k1' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const r = verifyWithKeys(spec, 'ES256', [rsa as Record<string, unknown>], forms, protectedB64, signature);
    expect(r).toMatchObject({ tried: false, problems: ['the key is rsa, alg ES256 needs ec'] });
    const noted = verifyWithKeys(spec, 'ES256', [{ ...jwk, alg: 'ES384' }], forms, protectedB64, signature);
    expect(noted.notes).toEqual(['the JWK says alg ES384, the header ES256']);
    expect(noted.form).toBe('as served');
  });
});
