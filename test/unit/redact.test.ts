import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  createRedactor,
  createTailRedactor,
  isSensitiveHeader,
  isSensitiveQueryParam,
  redactHeaders,
  redactUrl,
  secretVariants,
} from '../../src/http/redact.js';

const SECRET = 'sk-live-Zx9/Qp+7"w\\k';

describe('createRedactor', () => {
  const r = createRedactor([SECRET, 'tok_1234567890']);

  it('replaces the raw value everywhere', () => {
    expect(r(`a ${SECRET} b ${SECRET}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(r('no secrets here')).toBe('no secrets here');
  });

  it('replaces the value inside JSON (escaped quotes and backslashes)', () => {
    const doc = JSON.stringify({ params: { token: SECRET, nested: [{ x: `prefix${SECRET}suffix` }] } });
    const out = r(doc);
    expect(out).not.toContain('Zx9');
    expect(out).toContain(REDACTED);
    expect(JSON.parse(out)).toEqual({ params: { token: REDACTED, nested: [{ x: `prefix${REDACTED}suffix` }] } });
  });

  it('replaces base64 and base64url forms, also embedded in a longer base64 string', () => {
    const b64 = Buffer.from(SECRET).toString('base64');
    expect(r(`Basic ${b64}`)).toBe(`Basic ${REDACTED}`);
    const b64url = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(r(b64url)).not.toContain(b64url);
    for (const prefix of ['u:', 'us:', 'use:']) {
      const embedded = Buffer.from(`${prefix}tok_1234567890`).toString('base64');
      const out = r(`Authorization: Basic ${embedded}`);
      expect(out).toContain(REDACTED);
      // Whatever is left cannot be decoded back to the secret.
      expect(Buffer.from(out.replace(/^Authorization: Basic /, ''), 'base64').toString()).not.toContain(
        'tok_1234567890',
      );
    }
  });

  it('replaces percent-encoded and form-encoded forms (URL query strings)', () => {
    const url = `https://h/x?api=${encodeURIComponent(SECRET)}&b=1`;
    expect(r(url)).toBe(`https://h/x?api=${REDACTED}&b=1`);
    const form = new URLSearchParams({ q: SECRET }).toString();
    expect(r(form)).toBe(`q=${REDACTED}`);
    const lower = encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect(r(lower)).toBe(REDACTED);
  });

  it('ignores empty and very short secrets', () => {
    const rr = createRedactor(['', 'ab']);
    expect(rr('ab cd')).toBe('ab cd');
  });

  it('handles regex metacharacters in secrets', () => {
    const rr = createRedactor(['a.b*c(d)[e]{f}|g^h$']);
    expect(rr('x a.b*c(d)[e]{f}|g^h$ y axbbbc')).toBe(`x ${REDACTED} y axbbbc`);
  });

  it('variants cover the documented encodings', () => {
    const v = secretVariants('hello world secret');
    expect(v).toContain('hello world secret');
    expect(v).toContain('hello%20world%20secret');
    expect(v).toContain('hello+world+secret');
    expect(v).toContain(Buffer.from('hello world secret').toString('base64'));
  });
});

describe('createTailRedactor', () => {
  it('redacts a secret prefix left at the end of a cut body', () => {
    const t = createTailRedactor(['tok_1234567890']);
    expect(t('{"a":"tok_12345')).toBe(`{"a":"${REDACTED}`);
    expect(t('{"a":"tok')).toBe('{"a":"tok'); // too short to be meaningful
    expect(t('nothing')).toBe('nothing');
  });
});

describe('header-level redaction', () => {
  it('classifies header names', () => {
    for (const h of [
      'Authorization',
      'proxy-authorization',
      'Cookie',
      'set-cookie',
      'x-api-key',
      'X-Goog-Api-Key',
      'x-auth-token',
      'x-litellm-api-key',
      'client-secret',
      'x-session-id',
    ]) {
      expect(isSensitiveHeader(h), h).toBe(true);
    }
    for (const h of [
      'content-type',
      'accept',
      'a2a-version',
      'a2a-extensions',
      'keep-alive',
      'www-authenticate',
      'x-a2a-conformance-check',
      'user-agent',
    ]) {
      expect(isSensitiveHeader(h), h).toBe(false);
    }
  });

  it('redacts sensitive headers wholesale and secret values in others; lower-cases names', () => {
    const r = createRedactor(['tok_1234567890']);
    const out = redactHeaders(
      { Authorization: 'Bearer abc', 'X-Custom': 'v=tok_1234567890', Accept: 'text/event-stream' },
      r,
    );
    expect(out).toEqual({ authorization: REDACTED, 'x-custom': `v=${REDACTED}`, accept: 'text/event-stream' });
  });
});

describe('redactUrl', () => {
  const r = createRedactor(['tok_1234567890']);
  it('redacts secret values, sensitive query parameters and userinfo passwords', () => {
    expect(redactUrl('https://h/p?x=tok_1234567890', r)).toBe(`https://h/p?x=${REDACTED}`);
    expect(redactUrl('https://h/p?api_key=unlisted&b=2', r)).toBe(`https://h/p?api_key=${REDACTED}&b=2`);
    expect(redactUrl('https://h/p?access_token=zzz#frag', r)).toBe(`https://h/p?access_token=${REDACTED}#frag`);
    expect(redactUrl('https://user:pw@h/p', r)).toBe(`https://user:${REDACTED}@h/p`);
  });
  it('keeps protocol fields that look sensitive by name (pageToken)', () => {
    expect(isSensitiveQueryParam('pageToken')).toBe(false);
    expect(redactUrl('https://h/tasks?pageToken=abc&pageSize=1', r)).toBe('https://h/tasks?pageToken=abc&pageSize=1');
  });
});
