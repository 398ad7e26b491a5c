/** Report schema findings (from the adapters' validation) as violations, one per JSON path, with a cap. */
import type { CheckContext } from '../../src/checks/types.js';
import type { ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import type { SchemaError } from '../../src/http/types.js';

interface ProfileExemption {
  /** Instance paths (JSON-RPC envelope) the exemption covers. */
  path: RegExp;
  /** The schema nodes whose rule the profile does not have (SchemaError.schema). */
  schemas: readonly string[];
  /** Shown in the note: why these findings are not judged. */
  why: string;
}

/**
 * Rules of the 1.0 wire schema (written for 1.0.1, the default profile) that another spec profile does not have, per
 * profile: findings matching them are noted, not reported. 1.0.0 §9.5 leaves JSON-RPC `error.data` free-form (its
 * example is an object) beyond the ErrorInfo an A2A error must carry there; "an array of objects, each with @type"
 * came with 1.0.1, and errors.details.typed judges it for 1.0.1 targets only. The ErrorInfo entry itself (its
 * reason and domain) is still judged, and its presence is errors.a2a.error-info's.
 */
const NOT_IN_PROFILE: Record<SpecProfile, readonly ProfileExemption[]> = {
  '1.0.0': [
    {
      path: /^\/error\/data(\/|$)/,
      schemas: ['1.0#/$defs/ErrorDetails', '1.0#/$defs/ErrorDetail'],
      why: 'spec profile 1.0.0: JSON-RPC error.data entries need no "@type" (a 1.0.1 rule, see errors.details.typed)',
    },
  ],
  '1.0.1': [],
};

/** Split schema findings into those the target's version and spec profile have, and those it does not (with why). */
export function profileFindings(
  version: ProtocolVersion,
  profile: SpecProfile,
  errors: readonly SchemaError[],
): { judged: SchemaError[]; exempt: { error: SchemaError; why: string }[] } {
  const rules = version === '1.0' ? NOT_IN_PROFILE[profile] : [];
  const judged: SchemaError[] = [];
  const exempt: { error: SchemaError; why: string }[] = [];
  for (const error of errors) {
    const rule = rules.find((r) => r.path.test(error.path) && r.schemas.includes(error.schema));
    if (rule) exempt.push({ error, why: rule.why });
    else judged.push(error);
  }
  return { judged, exempt };
}

export function reportSchemaErrors(
  ctx: CheckContext,
  errors: readonly SchemaError[],
  opts: { prefix?: string; cap?: number } = {},
): void {
  const cap = opts.cap ?? 25;
  const prefix = opts.prefix ? `${opts.prefix} ` : '';
  const { judged, exempt } = profileFindings(ctx.version, ctx.target.specProfile, errors);
  for (const e of judged.slice(0, cap))
    ctx.violated(`${prefix}${e.path || '/'}: ${e.message}`, {
      path: e.path,
      expected: e.expected ?? e.schema,
      actual: e.actual,
    });
  if (judged.length > cap) ctx.note(`${judged.length - cap} more schema findings not shown`);
  for (const why of new Set(exempt.map((x) => x.why))) {
    const paths = exempt.filter((x) => x.why === why).map((x) => x.error.path);
    ctx.note(`${prefix}${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ' …' : ''}: not judged (${why})`);
  }
}
