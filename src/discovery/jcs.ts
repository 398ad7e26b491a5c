/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), for the signed agent card payload (1.0 §8.4.1).
 *
 * - Objects: members sorted by their names as arrays of UTF-16 code units (JavaScript's default string order), no
 *   whitespace; members whose value is `undefined` are left out, as JSON.stringify does.
 * - Numbers: the ECMAScript Number-to-String algorithm (what JSON.stringify emits for a finite number; -0 is "0").
 *   NaN and ±Infinity are not JSON: error.
 * - Strings: JSON.stringify's escaping is the one RFC 8785 §3.2.2.2 prescribes (\b \t \n \f \r \" \\, other controls
 *   as lower-case \u00xx, everything else literal). Lone surrogates are not I-JSON (RFC 7493): error.
 * The caller encodes the result as UTF-8.
 */

export class JcsError extends Error {
  override name = 'JcsError';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalize(value: unknown): string {
  return write(value, '');
}

function write(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new JcsError(`${path || '/'}: ${v} is not a JSON number`);
      return JSON.stringify(v);
    case 'string':
      return str(v, path);
    case 'object': {
      if (Array.isArray(v))
        return `[${v.map((x, i) => (x === undefined ? 'null' : write(x, `${path}/${i}`))).join(',')}]`;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${str(k, path)}:${write(obj[k], `${path}/${k}`)}`).join(',')}}`;
    }
    default:
      throw new JcsError(`${path || '/'}: a ${typeof v} is not JSON`);
  }
}

function str(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new JcsError(`${path || '/'}: string with a lone surrogate is not I-JSON`);
  return JSON.stringify(s);
}
