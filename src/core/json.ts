/** Lenient readers for untrusted JSON, shared by discovery, adapters, suites and tests. Nothing here throws. */

/** A JSON object (as parsed: unknown values). */
export type Obj = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The value when it is a string. */
export const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
