/**
 * camelCase audit of A2A JSON (1.0 §5.5: "All JSON serializations of the A2A protocol data model MUST use camelCase
 * naming for field names, not the snake_case convention used in Protocol Buffer definitions"). The schemas cannot
 * say it for optional members (they allow unknown members, §5.7), so snake_case spellings of optional fields
 * (`context_id`, `push_notifications`, `extended_agent_card`) would otherwise pass unseen.
 */

/** Members whose value is free-form (Struct, Value, Any, maps of owner-chosen names): never audited. */
const OPAQUE = new Set(['metadata', 'data', 'params', 'details', 'scopes']);
/** Maps keyed by names the owner picks (security scheme names) whose values are A2A objects: values audited only. */
const NAMED_MAPS = new Set(['securitySchemes', 'schemes']);
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
const MAX_DEPTH = 64;
const MAX_FINDINGS = 20;

export interface SnakeKey {
  /** JSON pointer of the member. */
  path: string;
  key: string;
  /** The camelCase spelling the spec uses. */
  camel: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
export const toCamel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** snake_case member names of an A2A document (bounded in depth and count). */
export function snakeCaseKeys(doc: unknown): SnakeKey[] {
  const out: SnakeKey[] = [];
  const visit = (v: unknown, path: string, depth: number, keysAreNames: boolean) => {
    if (out.length >= MAX_FINDINGS || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${path}/${i}`, depth + 1, false));
      return;
    }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (!keysAreNames && SNAKE.test(k)) out.push({ path: `${path}/${esc(k)}`, key: k, camel: toCamel(k) });
      if (OPAQUE.has(k)) continue;
      visit(x, `${path}/${esc(k)}`, depth + 1, !keysAreNames && NAMED_MAPS.has(k));
    }
  };
  visit(doc, '', 0, false);
  return out.slice(0, MAX_FINDINGS);
}
