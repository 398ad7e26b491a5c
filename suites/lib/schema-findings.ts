/** Report schema findings (from the adapters' validation) as violations, one per JSON path, with a cap. */
import type { CheckContext } from '../../src/checks/types.js';
import type { SchemaError } from '../../src/http/types.js';

export function reportSchemaErrors(
  ctx: CheckContext,
  errors: readonly SchemaError[],
  opts: { prefix?: string; cap?: number } = {},
): void {
  const cap = opts.cap ?? 25;
  const prefix = opts.prefix ? `${opts.prefix} ` : '';
  for (const e of errors.slice(0, cap))
    ctx.violated(`${prefix}${e.path || '/'}: ${e.message}`, {
      path: e.path,
      expected: e.expected ?? e.schema,
      actual: e.actual,
    });
  if (errors.length > cap) ctx.note(`${errors.length - cap} more schema findings not shown`);
}
