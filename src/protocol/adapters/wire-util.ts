/** Tiny lenient readers for untrusted JSON. Nothing here throws. */
import { parseBoundedJson } from '../../core/bounded-json.js';

import { isObj, type Obj } from '../../core/json.js';

export { isObj, str, type Obj } from '../../core/json.js';

export const bool = (x: unknown): boolean | undefined => (typeof x === 'boolean' ? x : undefined);

/** Numbers, and numeric strings (ProtoJSON int64 is a string). */
export const num = (x: unknown): number | undefined => {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return undefined;
};

export const strArr = (x: unknown): string[] | undefined =>
  Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : undefined;

export const record = (x: unknown): Record<string, unknown> | undefined => (isObj(x) ? x : undefined);

/** Drops undefined members (keeps wire objects free of `"x": undefined`). */
export function compact<T extends Obj>(o: T): T {
  const out: Obj = {};
  // for…in over an object literal built by the decoders (own, enumerable keys only): no entry arrays per call.
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** Short description of a value for `invalid` reasons. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isObj(x)) {
    const keys = Object.keys(x);
    return keys.length
      ? `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`
      : 'an empty object';
  }
  if (typeof x === 'string') return `a string (${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)})`;
  return typeof x;
}

/** JSON.parse that reports instead of throwing; subtrees deeper than MAX_JSON_DEPTH are cut (core/bounded-json). */
export function parseEventData(data: string): { json: unknown } | { error: string } {
  const r = parseBoundedJson(data);
  return r.error !== undefined ? { error: r.error } : { json: r.json };
}
