/**
 * Turns raw ajv errors (from the generated standalone validators, compiled with allErrors + verbose) into short,
 * readable SchemaError entries: one message per problem, oneOf/anyOf noise collapsed, cross-version spelling hints.
 * Pure functions; no ajv at run time.
 */
import type { GeneratedValidationError, SchemaGraph, SchemaGraphNode } from '../../generated/validators.js';
import { isObj } from '../core/json.js';
import type { SchemaError } from '../http/types.js';

export interface FormatContext {
  /** Prefix of SchemaError.schema: "1.0", "0.3-jsonrpc", "0.3-rest", "targets", "results". */
  label: string;
  graph: SchemaGraph | undefined;
  /** $defs entry the document was validated against; null = the schema root. */
  rootDef: string | null;
  /** The validated document (used to name the $defs entry of each error and to report what was found). */
  doc: unknown;
  /** What an unexpected property is "not part of", e.g. "1.0 ProtoJSON". */
  dialect?: string;
}

const MAX_ACTUAL = 200;

/** JSON of a value, truncated to `max` characters (with an ellipsis). */
export function truncateJson(value: unknown, max = MAX_ACTUAL): string {
  let s: string;
  if (value === undefined) s = 'undefined';
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const splitPointer = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
const joinPointer = (base: string, segment: string): string => `${base}/${escapePointer(segment)}`;

const hasOwn = (o: object, k: string): boolean => Object.hasOwn(o, k);

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
  if (isObj(value) && hasOwn(value, segment)) return value[segment];
  return undefined;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const seg of splitPointer(pointer)) v = child(v, seg);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Which $defs entry an instance path belongs to (the generated schema graph mirrors properties/items/maps/kind).
// ---------------------------------------------------------------------------------------------------------------

function resolveNode(graph: SchemaGraph, ref: SchemaGraphNode | string | undefined): SchemaGraphNode | undefined {
  if (ref === undefined) return undefined;
  return typeof ref === 'string' ? (hasOwn(graph.defs, ref) ? graph.defs[ref] : undefined) : ref;
}

function followDiscriminator(graph: SchemaGraph, node: SchemaGraphNode, value: unknown): SchemaGraphNode {
  let n = node;
  for (let hop = 0; hop < 4 && n.d; hop++) {
    const tag = isObj(value) ? value[n.d.k] : undefined;
    const target = typeof tag === 'string' && hasOwn(n.d.m, tag) ? resolveNode(graph, n.d.m[tag]) : undefined;
    if (!target) break;
    n = target;
  }
  return n;
}

/** "1.0#/$defs/TaskStatus" for an error at /status/state of a 1.0 Task. */
export function schemaLabelAt(ctx: FormatContext, instancePath: string): string {
  const graph = ctx.graph;
  let node = graph ? (ctx.rootDef !== null ? resolveNode(graph, ctx.rootDef) : graph.root) : undefined;
  if (!graph || !node) return ctx.rootDef !== null ? `${ctx.label}#/$defs/${ctx.rootDef}` : `${ctx.label}#`;
  let value = ctx.doc;
  for (const seg of splitPointer(instancePath)) {
    node = followDiscriminator(graph, node, value);
    let next: SchemaGraphNode | string | undefined;
    if (node.p && hasOwn(node.p, seg)) next = node.p[seg];
    else if (Array.isArray(value)) next = node.i;
    else if (isObj(value)) next = node.a;
    const resolved = resolveNode(graph, next);
    if (!resolved) return `${ctx.label}${node.n}`;
    node = resolved;
    value = child(value, seg);
  }
  return `${ctx.label}${followDiscriminator(graph, node, value).n}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------------------

/** Branches of the form {required: [member]} (ProtoJSON oneof / "at least one of"); null otherwise. */
function keyPresenceMembers(branches: unknown): string[] | null {
  if (!Array.isArray(branches) || branches.length === 0) return null;
  const members: string[] = [];
  for (const b of branches) {
    if (!isObj(b) || Object.keys(b).length !== 1 || !Array.isArray(b.required) || b.required.length !== 1) return null;
    members.push(String(b.required[0]));
  }
  return members;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(schemaType: unknown, actual: string): boolean {
  const types = Array.isArray(schemaType) ? schemaType : [schemaType];
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

const orList = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

function expectPhrase(e: GeneratedValidationError): string | undefined {
  const ps = e.parentSchema;
  return isObj(ps) && typeof ps['x-expect'] === 'string' ? (ps['x-expect'] as string) : undefined;
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function didYouMean(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = c.toLowerCase() === name.toLowerCase() ? 0 : levenshtein(name.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

const PROTO_ENUM = /^(TASK_STATE_|ROLE_)[A-Z_]+$/;
const JSONRPC_ENUM = /^[a-z][a-z-]*$/;

function enumHint(ctx: FormatContext, value: unknown, allowed: unknown[]): string {
  if (typeof value === 'number') return ' (ProtoJSON writers emit enum names, not numbers)';
  if (typeof value !== 'string') return '';
  const allowedStrings = allowed.filter((a): a is string => typeof a === 'string');
  if (value === 'TASK_STATE_CANCELLED' && allowedStrings.includes('TASK_STATE_CANCELED'))
    return ' ("TASK_STATE_CANCELLED" is the proto-0.3 spelling; 1.0 has one L)';
  if (value === 'TASK_STATE_CANCELED' && allowedStrings.includes('TASK_STATE_CANCELLED'))
    return ' (proto-0.3 spells it TASK_STATE_CANCELLED)';
  if (allowedStrings.some((a) => PROTO_ENUM.test(a)) && JSONRPC_ENUM.test(value))
    return ` ("${value}" is the 0.3 JSON-RPC spelling; ${ctx.dialect ?? 'ProtoJSON'} uses enum names)`;
  if (allowedStrings.some((a) => JSONRPC_ENUM.test(a)) && PROTO_ENUM.test(value))
    return ` ("${value}" is the ProtoJSON spelling; 0.3 JSON-RPC uses lowercase values)`;
  return '';
}

function requiredHint(ctx: FormatContext, missing: string, data: unknown): string {
  const has = (k: string) => isObj(data) && hasOwn(data, k);
  if (missing === 'parts' && has('content')) return " ('content' is the 0.3 HTTP+JSON name of this field)";
  if (missing === 'content' && has('parts'))
    return " (0.3 HTTP+JSON names this field 'content'; 'parts' is the JSON-RPC and 1.0 name)";
  if (missing === 'kind' && ctx.label === '0.3-jsonrpc') return " (0.3 JSON-RPC objects carry a 'kind' discriminator)";
  if (missing === 'final' && ctx.label === '0.3-jsonrpc')
    return ' (0.3 JSON-RPC status updates must carry final: true|false)';
  return '';
}

function defaultsHint(ctx: FormatContext, instancePath: string, prop: string): string {
  if (ctx.label === 'targets' && instancePath === '/defaults' && ['name', 'url', 'cardUrl', 'start'].includes(prop))
    return ` ('${prop}' can only be set per target)`;
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// Main entry
// ---------------------------------------------------------------------------------------------------------------

export function formatErrors(raw: GeneratedValidationError[] | null | undefined, ctx: FormatContext): SchemaError[] {
  if (!raw || raw.length === 0) return [];
  const dropped = new Set<GeneratedValidationError>();
  const extra = new Map<GeneratedValidationError, SchemaError>();
  const within = (s: GeneratedValidationError, e: GeneratedValidationError) =>
    s.instancePath === e.instancePath || s.instancePath.startsWith(`${e.instancePath}/`);

  // Pass 1: composite keywords decide what happens to their branch errors.
  for (const e of raw) {
    if (e.keyword === 'if' || e.keyword === 'discriminator') {
      // "must match then schema" / discriminator tag errors duplicate the branch's or the tag's own errors.
      dropped.add(e);
      continue;
    }
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const branches = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
    const prefix = `${e.schemaPath}/`;
    // Branch errors: same schema-path prefix. Key-presence and typed branches only fail at the composite's own
    // instance path; descendants there belong to nested composites that are handled on their own.
    const branchErrors = (deep: boolean) =>
      raw.filter(
        (s) => s !== e && s.schemaPath.startsWith(prefix) && (deep ? within(s, e) : s.instancePath === e.instancePath),
      );
    const data = e.data !== undefined ? e.data : valueAt(ctx.doc, e.instancePath);
    const expect = expectPhrase(e);
    const members = keyPresenceMembers(branches);
    const schema = schemaLabelAt(ctx, e.instancePath);

    if (expect) {
      branchErrors(true).forEach((s) => dropped.add(s));
      extra.set(e, {
        path: e.instancePath,
        message: `must be ${expect}`,
        schema,
        actual: truncateJson(data),
        expected: expect,
      });
      continue;
    }
    if (members) {
      branchErrors(false).forEach((s) => dropped.add(s));
      if (!isObj(data)) {
        dropped.add(e); // "must be object" already says it
        continue;
      }
      const found = members.filter((m) => hasOwn(data, m));
      const quantifier = e.keyword === 'oneOf' ? 'exactly one' : 'at least one';
      let message =
        `${quantifier} of ${members.join(', ')} must be present (found ` +
        `${found.length ? found.join(', ') : 'none'})`;
      if (found.length === 0 && hasOwn(data, 'kind') && ctx.dialect)
        message +=
          `; this looks like a 0.3 JSON-RPC object with 'kind', ${ctx.dialect} uses the member name instead, ` +
          `e.g. {"${members[0]}": {...}}`;
      extra.set(e, {
        path: e.instancePath,
        message,
        schema,
        expected: `${quantifier} of: ${members.join(', ')}`,
        ...(found.length > 1 ? { actual: found.join(', ') } : {}),
      });
      continue;
    }
    const types = branches.map((b) => (isObj(b) ? b.type : undefined));
    if (e.keyword === 'oneOf' && Array.isArray(e.params?.passingSchemas)) {
      // Several branches matched: nothing to collapse, say so once.
      extra.set(e, {
        path: e.instancePath,
        message: 'must match exactly one of the allowed shapes (matches several)',
        schema,
        actual: truncateJson(data),
      });
      continue;
    }
    if (types.every((t) => t !== undefined)) {
      const actualType = jsonType(data);
      const matching = types.map((t, i) => (typeMatches(t, actualType) ? i : -1)).filter((i) => i >= 0);
      if (matching.length > 0) {
        // Keep the errors of the branch(es) of the right JSON type; the others only say "wrong type".
        for (const s of branchErrors(false)) {
          const m = /^(\d+)\//.exec(s.schemaPath.slice(prefix.length));
          if (m && !matching.includes(Number(m[1]))) dropped.add(s);
        }
        dropped.add(e);
      } else {
        branchErrors(false).forEach((s) => dropped.add(s));
        const names = types.flatMap((t) => (Array.isArray(t) ? t : [t])).map(String);
        extra.set(e, {
          path: e.instancePath,
          message: `must be ${orList([...new Set(names)])}`,
          schema,
          actual: truncateJson(data),
          expected: orList([...new Set(names)]),
        });
      }
      continue;
    }
    branchErrors(true).forEach((s) => dropped.add(s));
    extra.set(e, {
      path: e.instancePath,
      message:
        e.keyword === 'oneOf'
          ? 'must match exactly one of the allowed shapes'
          : 'must match at least one of the allowed shapes',
      schema,
      actual: truncateJson(data),
    });
  }

  // propertyNames: the sub-error carries propertyName and the x-expect of the name schema.
  const nameExpect = new Map<string, string>();
  for (const e of raw) {
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') {
      dropped.add(e);
      const expect = expectPhrase(e);
      if (expect) nameExpect.set(`${e.instancePath}\u0000${e.propertyName}`, expect);
    }
  }

  // Paths that have an enum error: a type error there adds nothing.
  const enumPaths = new Set(raw.filter((e) => e.keyword === 'enum' && !dropped.has(e)).map((e) => e.instancePath));

  const out: SchemaError[] = [];
  const seen = new Set<string>();
  const push = (err: SchemaError) => {
    const key = `${err.path}\u0000${err.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(err);
  };

  for (const e of raw) {
    if (dropped.has(e)) continue;
    const pre = extra.get(e);
    if (pre) {
      push(pre);
      continue;
    }
    const data = e.data !== undefined ? e.data : valueAt(ctx.doc, e.instancePath);
    const expect = expectPhrase(e);
    const p = e.params ?? {};
    switch (e.keyword) {
      case 'required': {
        const missing = String(p.missingProperty);
        push({
          path: joinPointer(e.instancePath, missing),
          message: `required property '${missing}' is missing${requiredHint(ctx, missing, data)}`,
          schema: schemaLabelAt(ctx, e.instancePath),
        });
        break;
      }
      case 'additionalProperties': {
        const prop = String(p.additionalProperty);
        const known =
          isObj(e.parentSchema) && isObj(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
        const suggestion = didYouMean(prop, known);
        const hint = defaultsHint(ctx, e.instancePath, prop) || (suggestion ? ` (did you mean '${suggestion}'?)` : '');
        push({
          path: joinPointer(e.instancePath, prop),
          message: `unknown property '${prop}'${hint}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(isObj(data) ? data[prop] : undefined),
          ...(known.length ? { expected: `one of ${known.join(', ')}` } : {}),
        });
        break;
      }
      case 'false schema': {
        const segs = splitPointer(e.instancePath);
        const prop = segs[segs.length - 1] ?? '';
        const parent = segs.length ? `/${segs.slice(0, -1).map(escapePointer).join('/')}`.replace(/^\/$/, '') : '';
        push({
          path: e.instancePath,
          message: `unexpected property '${prop}'${ctx.dialect ? ` (not part of ${ctx.dialect})` : ''}`,
          schema: schemaLabelAt(ctx, parent),
          actual: truncateJson(data),
        });
        break;
      }
      case 'enum': {
        const allowed = Array.isArray(p.allowedValues) ? (p.allowedValues as unknown[]) : [];
        const list = allowed.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(', ');
        push({
          path: e.instancePath,
          message: `must be one of ${list}${enumHint(ctx, data, allowed)}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: list,
        });
        break;
      }
      case 'const': {
        const c = JSON.stringify(p.allowedValue);
        push({
          path: e.instancePath,
          message: `must be ${c}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: c,
        });
        break;
      }
      case 'type': {
        if (enumPaths.has(e.instancePath)) break;
        const t = String(p.type).split(',');
        const expected = expect ?? orList(t);
        push({
          path: e.instancePath,
          message: `must be ${expected}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: orList(t),
        });
        break;
      }
      case 'pattern':
      case 'format': {
        const what = e.keyword === 'pattern' ? `a string matching ${String(p.pattern)}` : `a valid ${String(p.format)}`;
        push({
          path: e.instancePath,
          message: `must be ${expect ?? what}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: expect ?? what,
        });
        break;
      }
      case 'minLength': {
        const limit = Number(p.limit);
        push({
          path: e.instancePath,
          message: limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
        });
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const limit = Number(p.limit);
        const word = e.keyword === 'minItems' ? 'at least' : 'at most';
        push({
          path: e.instancePath,
          message: `must contain ${word} ${limit} item${limit === 1 ? '' : 's'}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: `${word} ${limit} item${limit === 1 ? '' : 's'}`,
        });
        break;
      }
      case 'minProperties': {
        const known =
          isObj(e.parentSchema) && isObj(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
        push({
          path: e.instancePath,
          message: known.length
            ? `must set at least one of ${known.join(', ')}`
            : `must have at least ${String(p.limit)} properties`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
        });
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        push({
          path: e.instancePath,
          message: `must be ${String(p.comparison)} ${String(p.limit)}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
          expected: `${String(p.comparison)} ${String(p.limit)}`,
        });
        break;
      }
      case 'uniqueItems': {
        push({
          path: e.instancePath,
          message: `must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are equal)`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
        });
        break;
      }
      case 'propertyNames': {
        const name = String(p.propertyName);
        const why = nameExpect.get(`${e.instancePath}\u0000${name}`);
        push({
          path: joinPointer(e.instancePath, name),
          message: `invalid property name '${name}'${why ? `: must be ${why}` : ''}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          ...(why ? { expected: why } : {}),
        });
        break;
      }
      case 'contains': {
        push({
          path: e.instancePath,
          message: `must contain ${expect ?? 'a matching item'}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
        });
        break;
      }
      default: {
        push({
          path: e.instancePath,
          message: e.message ?? `fails ${e.keyword}`,
          schema: schemaLabelAt(ctx, e.instancePath),
          actual: truncateJson(data),
        });
      }
    }
  }
  return out;
}
