/**
 * A view of a check's context in which every violation is graded at a given level: for a rule that, as a whole, is
 * a SHOULD in one version (0.3 states a capability as a precondition, not as a duty to reject) while shared judging
 * helpers (expectError, judgeA2AError) report through `violated` and `expect`. Everything else is the context itself.
 */
import type { CheckContext } from './types.js';
import type { Level } from '../core/types.js';

export function gradedAt(ctx: CheckContext, level: Level): CheckContext {
  if (level === ctx.check.level) return ctx;
  const violated: CheckContext['violated'] = (message, expectation) => ctx.violatedAt(level, message, expectation);
  const expect: CheckContext['expect'] = (cond, message, expectation) => {
    if (!cond) violated(message, expectation);
    return cond;
  };
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === 'violated') return violated;
      if (prop === 'expect') return expect;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
