/**
 * Secret redaction for everything the HTTP layer records (URLs, headers, bodies, SSE data).
 *
 * Two levels:
 * - value level: every configured secret, and the encodings it is likely to travel in (base64 / base64url, also
 *   embedded in a longer base64 string, hex, percent-encoded, form-encoded, JSON-escaped), is replaced by «redacted»
 *   wherever it occurs;
 * - header level: headers that carry credentials by name (authorization, cookie, *key*, *token*, ...) are replaced
 *   wholesale, whatever their value.
 */

export const REDACTED = '«redacted»';

/**
 * Secrets shorter than this are not searched for in free text: replacing every "ab" would destroy transcripts and
 * such values are not credentials. Header-level redaction still applies to them.
 */
export const MIN_SECRET_LENGTH = 4;

/** Embedded base64 fragments shorter than this are not searched for (false positives). */
const MIN_BASE64_FRAGMENT = 8;

export type Redactor = (s: string) => string;

const SENSITIVE_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const SENSITIVE_HEADER_PARTS = ['key', 'token', 'secret', 'auth', 'password', 'passwd', 'credential', 'session'];
/** Contain a sensitive part but carry no credential and matter to checks (auth challenges). */
const PUBLIC_HEADER_NAMES = new Set(['www-authenticate', 'proxy-authenticate']);

/** True for header names whose value must never be recorded. */
export function isSensitiveHeader(name: string): boolean {
  const n = name.toLowerCase();
  if (PUBLIC_HEADER_NAMES.has(n)) return false;
  if (SENSITIVE_HEADER_NAMES.has(n)) return true;
  return SENSITIVE_HEADER_PARTS.some((p) => n.includes(p));
}

/** Query parameters that match a sensitive word but are protocol fields, not credentials. */
const PUBLIC_QUERY_PARAMS = new Set(['pagetoken', 'page_token', 'nextpagetoken', 'next_page_token']);

/** True for query parameter names whose value must never be recorded (`api_key`, `token`, `access_token`...). */
export function isSensitiveQueryParam(name: string): boolean {
  const n = name.toLowerCase();
  if (PUBLIC_QUERY_PARAMS.has(n)) return false;
  return isSensitiveHeader(n);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toBase64Url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Every spelling under which `secret` may appear in recorded text. */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>();
  const add = (v: string | undefined): void => {
    if (v && v.length >= MIN_SECRET_LENGTH) out.add(v);
  };
  add(secret);

  // JSON-escaped (secret inside a JSON string literal).
  add(JSON.stringify(secret).slice(1, -1));

  // URL encodings (query strings, form bodies); both hex cases.
  const pct = encodeURIComponent(secret);
  add(pct);
  add(pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  add(new URLSearchParams({ x: secret }).toString().slice(2));
  try {
    add(encodeURI(secret));
  } catch {
    /* lone surrogates */
  }

  // hex (agents echo credentials in odd encodings); byte-aligned, so it also matches inside a longer hex string.
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  add(hex);
  add(hex.toUpperCase());

  // base64 / base64url, exact and embedded at any byte alignment (e.g. inside base64("user:" + secret)).
  const bytes = Buffer.from(secret, 'utf8');
  const full = bytes.toString('base64');
  add(full);
  add(full.replace(/=+$/, ''));
  add(toBase64Url(full));
  const n = bytes.length;
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    // Characters that depend only on secret bytes: bit ranges fully inside [8k, 8(k+n)).
    const start = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + n)) / 6);
    const fragment = enc.slice(start, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      add(fragment);
      add(toBase64Url(fragment));
    }
  }
  return [...out];
}

/**
 * Returns a function replacing every secret value (and its encoded forms) with «redacted».
 * Safe to call on any string; returns the input unchanged when there is nothing to redact.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  return memo(redactors, secrets, buildRedactor);
}

/**
 * Redactors are built per secret set once (every check's session asks for the same target's): building one derives
 * every spelling of every secret and compiles a RegExp. Few distinct sets exist in a run; the memo stays small.
 */
const redactors = new Map<string, Redactor>();
const tailRedactors = new Map<string, Redactor>();
const MEMO_MAX = 64;

function memo(cache: Map<string, Redactor>, secrets: readonly string[], build: (s: readonly string[]) => Redactor) {
  const key = secrets.map((s) => (typeof s === 'string' ? `${s.length}:${s}` : '')).join('\u0000');
  let r = cache.get(key);
  if (!r) {
    if (cache.size >= MEMO_MAX) cache.delete(cache.keys().next().value as string);
    r = build([...secrets]);
    cache.set(key, r);
  }
  return r;
}

function buildRedactor(secrets: readonly string[]): Redactor {
  const variants = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) continue;
    for (const v of secretVariants(s)) variants.add(v);
  }
  if (variants.size === 0) return (s) => s;
  // Longest first so a longer spelling wins over a shorter one it contains.
  const sorted = [...variants].sort((a, b) => b.length - a.length);
  const re = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  const redact: Redactor = (s) => {
    if (typeof s !== 'string' || s.length === 0) return s;
    re.lastIndex = 0;
    return s.replace(re, REDACTED);
  };
  return redact;
}

/**
 * For text cut at an arbitrary byte (body caps): redact a trailing prefix of a secret that the cut left behind.
 * Only prefixes of at least MIN_SECRET_LENGTH characters are considered.
 */
export function createTailRedactor(secrets: readonly string[]): Redactor {
  return memo(tailRedactors, secrets, buildTailRedactor);
}

function buildTailRedactor(secrets: readonly string[]): Redactor {
  const list = secrets
    .filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => secretVariants(s));
  if (list.length === 0) return (s) => s;
  return (s) => {
    let cut = -1;
    for (const v of list) {
      for (let len = Math.min(v.length - 1, s.length); len >= MIN_SECRET_LENGTH; len--) {
        if (s.endsWith(v.slice(0, len))) {
          cut = Math.max(cut, len);
          break;
        }
      }
    }
    return cut > 0 ? s.slice(0, s.length - cut) + REDACTED : s;
  };
}

/** Lower-cases header names, redacts sensitive headers wholesale and secret values everywhere else. */
export function redactHeaders(headers: Record<string, string>, redact: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    out[name] = isSensitiveHeader(name) ? REDACTED : redact(String(v));
  }
  return out;
}

/**
 * Redacts a URL: secret values anywhere (path, query, fragment), and the values of query parameters and userinfo
 * whose names look sensitive (`?api_key=...`, `?token=...`, `https://user:pass@host`).
 */
export function redactUrl(url: string, redact: Redactor): string {
  let out = redact(url);
  // userinfo password: scheme://user:pass@host
  out = out.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]*)@/, (_m, pre: string) => `${pre}${REDACTED}@`);
  // query parameters with sensitive names
  out = out.replace(/([?&])([^=&#]+)=([^&#]*)/g, (m, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      /* keep raw */
    }
    return isSensitiveQueryParam(decoded) ? `${sep}${name}=${REDACTED}` : m;
  });
  return out;
}
