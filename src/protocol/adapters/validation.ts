/** Schema validation as adapters use it: injected validator, paths prefixed into the actual document, never throws. */
import type { SchemaError } from '../../http/types.js';
import type { WireProfile, WireType } from '../../schemas/validate.js';

/** Same shape as the facade's `validateWire(profile, type, doc)`. */
export type ValidateFn = (profile: WireProfile, type: WireType, doc: unknown) => SchemaError[];

/** Joins a JSON-pointer prefix and a validator path: ("/result", "/status/state") → "/result/status/state". */
export function joinPointer(prefix: string, path: string | undefined): string {
  const p = path ?? '';
  if (p === '' || p === '/') return prefix === '' ? p : prefix;
  return `${prefix}${p.startsWith('/') ? p : `/${p}`}`;
}

export function runValidation(
  validate: ValidateFn,
  profile: WireProfile,
  type: WireType,
  doc: unknown,
  prefix = '',
): SchemaError[] {
  try {
    const out = validate(profile, type, doc);
    if (!Array.isArray(out)) return [];
    return out.map((e) => ({ ...e, path: joinPointer(prefix, e.path) }));
  } catch (err) {
    return [
      {
        path: prefix,
        message: `harness: validator failed for ${type}: ${err instanceof Error ? err.message : String(err)}`,
        schema: `${profile}#${type}`,
      },
    ];
  }
}
