/**
 * JSON from untrusted targets, bounded in depth. Everything the harness later does with a parsed value (validate,
 * compare, clone, serialise into results.json, render) may recurse; a body nested 100,000 levels deep must not reach
 * any of it. Two tools:
 *
 * - `parseBoundedJson(text)`: one linear scan cuts every subtree nested deeper than `MAX_JSON_DEPTH` out of the text
 *   (replaced by the string `DEPTH_MARKER`) before `JSON.parse` sees it, so parsing stays cheap and the value is
 *   shallow. The caller learns how many subtrees were cut.
 * - `boundDepth(value)`: the same bound applied to a value already in memory (iterative, never recursive), for the
 *   writer's last line of defence.
 */

/** Deepest nesting of objects/arrays kept from target JSON; deeper subtrees are replaced by `DEPTH_MARKER`. */
export const MAX_JSON_DEPTH = 64;
/** What replaces a subtree nested deeper than the bound. */
export const DEPTH_MARKER = `«cut: nested deeper than ${MAX_JSON_DEPTH} levels»`;

export interface BoundedJsonResult {
  json?: unknown;
  /** Parse failure (or why the text was not parsed). */
  error?: string;
  /** Subtrees cut at the depth bound (0 when none). */
  cut: number;
}

const OPEN_OBJ = 0x7b;
const OPEN_ARR = 0x5b;
const CLOSE_OBJ = 0x7d;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Returns `text` with every object/array nested deeper than `maxDepth` replaced by a JSON string marker. Strings are
 * skipped (brackets inside them do not count). `unbalanced` is set when the text ends inside a cut subtree (it cannot
 * be valid JSON then, and parsing the rest would only cost time).
 */
export function cutDeepJson(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
): { text: string; cut: number; maxDepth: number; unbalanced: boolean } {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let cutStart = -1;
  let last = 0;
  let cut = 0;
  const parts: string[] = [];
  const marker = JSON.stringify(DEPTH_MARKER.replace(String(MAX_JSON_DEPTH), String(maxDepth)));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth === maxDepth + 1) cutStart = i;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth === maxDepth + 1 && cutStart >= 0) {
        parts.push(text.slice(last, cutStart), marker);
        last = i + 1;
        cutStart = -1;
        cut++;
      }
      if (depth > 0) depth--;
    }
  }
  if (cut === 0 && cutStart < 0) return { text, cut: 0, maxDepth: deepest, unbalanced: false };
  if (cutStart >= 0) return { text: '', cut, maxDepth: deepest, unbalanced: true };
  parts.push(text.slice(last));
  return { text: parts.join(''), cut, maxDepth: deepest, unbalanced: false };
}

/** JSON.parse with the depth bound; never throws. */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): BoundedJsonResult {
  const bounded = cutDeepJson(text, maxDepth);
  if (bounded.unbalanced)
    return {
      error: `not parsed: nested deeper than ${maxDepth} levels and never closed (harness depth bound)`,
      cut: bounded.cut,
    };
  try {
    return { json: JSON.parse(bounded.text), cut: bounded.cut };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), cut: bounded.cut };
  }
}

/**
 * Replaces, in place, every object/array nested deeper than `maxDepth` inside `value` by `marker` (iterative).
 * Returns the value (itself, or the marker when `value` is already too deep at depth 0) and how many subtrees were cut.
 */
export function boundDepth(
  value: unknown,
  maxDepth: number,
  marker: unknown = DEPTH_MARKER,
): { value: unknown; cut: number } {
  if (!value || typeof value !== 'object') return { value, cut: 0 };
  if (maxDepth <= 0) return { value: marker, cut: 1 };
  let cut = 0;
  const stack: [Record<string | number, unknown>, number][] = [[value as Record<string, unknown>, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const k of keys) {
      const child = node[k];
      if (!child || typeof child !== 'object') continue;
      if (depth >= maxDepth) {
        node[k] = marker;
        cut++;
      } else stack.push([child as Record<string, unknown>, depth + 1]);
    }
  }
  return { value, cut };
}

export interface PreviewLimits {
  /** Items kept per array (the rest replaced by one marker string). */
  maxItems: number;
  /** Keys kept per object. */
  maxKeys: number;
  /** Characters kept per string. */
  maxString: number;
  maxDepth: number;
}

export const RECORD_PREVIEW_LIMITS: PreviewLimits = { maxItems: 100, maxKeys: 200, maxString: 4096, maxDepth: 32 };

/**
 * A bounded copy of a JSON value for the record (results.json `targets[].cards`): arrays, objects and strings are cut
 * at the limits, each cut saying how much was left out. Iterative; the input is not modified.
 */
export function previewJson(value: unknown, limits: PreviewLimits = RECORD_PREVIEW_LIMITS): unknown {
  const cutString = (s: string): string =>
    s.length > limits.maxString
      ? `${s.slice(0, limits.maxString)}«… ${s.length - limits.maxString} more characters»`
      : s;
  const leaf = (v: unknown): unknown => (typeof v === 'string' ? cutString(v) : v);
  if (!value || typeof value !== 'object') return leaf(value);
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: [unknown, Record<string | number, unknown>, number][] = [[value, root as Record<string, unknown>, 1]];
  while (stack.length) {
    const [src, dst, depth] = stack.pop()!;
    const put = (k: string | number, v: unknown): void => {
      if (!v || typeof v !== 'object') {
        dst[k] = leaf(v);
      } else if (depth >= limits.maxDepth) {
        dst[k] = DEPTH_MARKER;
      } else {
        const child = (Array.isArray(v) ? [] : {}) as Record<string | number, unknown>;
        dst[k] = child;
        stack.push([v, child, depth + 1]);
      }
    };
    if (Array.isArray(src)) {
      const n = Math.min(src.length, limits.maxItems);
      for (let i = 0; i < n; i++) put(i, src[i]);
      if (src.length > n) (dst as unknown as unknown[]).push(`«… ${src.length - n} more items not recorded»`);
    } else {
      const keys = Object.keys(src as object);
      const n = Math.min(keys.length, limits.maxKeys);
      for (let i = 0; i < n; i++) {
        const k = keys[i]!;
        // defineProperty: a "__proto__" key stays a plain data property of the copy.
        Object.defineProperty(dst, k, { value: undefined, writable: true, enumerable: true, configurable: true });
        put(k, (src as Record<string, unknown>)[k]);
      }
      if (keys.length > n) dst['«more keys»'] = `«… ${keys.length - n} more keys not recorded»`;
    }
  }
  return root;
}
