#!/usr/bin/env node
/**
 * Compiles schemas/*.schema.json ahead of time.
 *
 *   generated/validators.ts   ajv standalone validators (one export per (profile, type), plus targets and results),
 *                             the (profile, type) -> validator table and a small schema graph that lets
 *                             src/schemas/impl.ts name the $defs entry an error belongs to.
 *   generated/types/*.ts      TypeScript types from json-schema-to-typescript.
 *
 * Deterministic (same input -> byte-identical output), strict mode on, exits 1 on any schema error.
 * Run: node scripts/build-schemas.mjs   (npm run build:schemas; also part of `prepare`).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';

const started = process.hrtime.bigint();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = path.join(root, 'schemas');
const outDir = path.join(root, 'generated');
const typesDir = path.join(outDir, 'types');

/** Wire profiles: which $defs entry validates each WireType (src/schemas/validate.ts). */
const WIRE = {
  '0.3-jsonrpc': {
    file: 'a2a-0.3-jsonrpc.schema.json',
    types: {
      AgentCard: 'AgentCard',
      Message: 'Message',
      Task: 'Task',
      SendMessageResult: 'SendMessageResult',
      StreamResponse: 'StreamResponse',
      JsonRpcResponse: 'JsonRpcResponse',
      JsonRpcError: 'JsonRpcError',
      PushConfig: 'TaskPushNotificationConfig',
      PushConfigList: 'TaskPushNotificationConfigList',
    },
  },
  '0.3-rest': {
    file: 'a2a-0.3-rest.schema.json',
    types: {
      AgentCard: 'AgentCard',
      Message: 'Message',
      Task: 'Task',
      SendMessageResult: 'SendMessageResponse',
      StreamResponse: 'StreamResponse',
      RestError: 'RestError',
      PushConfig: 'TaskPushNotificationConfig',
      PushConfigList: 'ListTaskPushNotificationConfigResponse',
    },
  },
  '1.0': {
    file: 'a2a-1.0.schema.json',
    types: {
      AgentCard: 'AgentCard',
      Message: 'Message',
      Task: 'Task',
      SendMessageResult: 'SendMessageResponse',
      StreamResponse: 'StreamResponse',
      JsonRpcResponse: 'JsonRpcResponse',
      JsonRpcError: 'JsonRpcError',
      RestError: 'RestError',
      PushConfig: 'TaskPushNotificationConfig',
      PushConfigList: 'ListTaskPushNotificationConfigsResponse',
      ListTasksResponse: 'ListTasksResponse',
    },
  },
};

/** Whole-document schemas (validated at their root). */
const DOCUMENTS = {
  targets: { file: 'targets.schema.json', exportName: 'validateTargets', typeName: 'TargetsFile' },
  results: { file: 'results.schema.json', exportName: 'validateResults', typeName: 'ResultsFile' },
};

/** json-schema-to-typescript output per schema file. */
const TYPE_FILES = [
  { file: 'targets.schema.json', out: 'targets.ts', name: 'TargetsFile' },
  { file: 'results.schema.json', out: 'results.ts', name: 'ResultsFile' },
  { file: 'a2a-0.3-jsonrpc.schema.json', out: 'a2a-0.3-jsonrpc.ts', name: 'A2A03JsonRpcSchema' },
  { file: 'a2a-0.3-rest.schema.json', out: 'a2a-0.3-rest.ts', name: 'A2A03RestSchema' },
  { file: 'a2a-1.0.schema.json', out: 'a2a-1.0.ts', name: 'A2A10Schema' },
];

function fail(message) {
  process.stderr.write(`build-schemas: ${message}\n`);
  process.exit(1);
}

function loadSchema(file) {
  const full = path.join(schemaDir, file);
  try {
    return JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${path.relative(root, full)}: ${e.message}`);
  }
}

const exportIdent = (profile, type) => `validate_${profile.replace(/[^A-Za-z0-9]/g, '_')}_${type}`;

// ---------------------------------------------------------------------------------------------------------------
// 1. Ajv: one instance (every schema is draft 2020-12), strict mode on.
// ---------------------------------------------------------------------------------------------------------------
const ajv = new Ajv2020({
  allErrors: true,
  verbose: true, // errors carry parentSchema/data: used for readable messages (x-expect, oneOf members, did-you-mean)
  strict: true,
  strictRequired: false, // oneOf/anyOf branches of the form {required:[member]} are the ProtoJSON oneof idiom
  allowUnionTypes: true,
  discriminator: true,
  code: { source: true, esm: true, lines: true }, // one statement per line: readable stack traces
});
addFormats(ajv);
// Annotation keyword: a short noun phrase used in error messages ("must be <x-expect>").
ajv.addKeyword({ keyword: 'x-expect', schemaType: 'string' });

const schemas = {};
const exportsMap = {};
const wireTable = {};
try {
  for (const [profile, spec] of Object.entries(WIRE)) {
    const schema = loadSchema(spec.file);
    schemas[spec.file] = schema;
    if (!schema.$id) fail(`${spec.file}: missing $id`);
    ajv.addSchema(schema);
    wireTable[profile] = {};
    for (const [type, def] of Object.entries(spec.types)) {
      if (!schema.$defs?.[def]) fail(`${spec.file}: $defs/${def} (for ${profile} ${type}) does not exist`);
      const ref = `${schema.$id}#/$defs/${def}`;
      ajv.getSchema(ref); // compile now: strict-mode errors surface here
      const ident = exportIdent(profile, type);
      exportsMap[ident] = ref;
      wireTable[profile][type] = { ident, def };
    }
  }
  for (const [, doc] of Object.entries(DOCUMENTS)) {
    const schema = loadSchema(doc.file);
    schemas[doc.file] = schema;
    if (!schema.$id) fail(`${doc.file}: missing $id`);
    ajv.addSchema(schema);
    ajv.getSchema(schema.$id);
    exportsMap[doc.exportName] = schema.$id;
  }
} catch (e) {
  fail(`schema compile error: ${e.message}`);
}

// Every $defs entry must compile, even the ones no export reaches (strict mode must see them all). Compiling each
// reachable def on its own again would be slow, so only the unreachable ones are compiled here.
function reachableDefs(schema, rootNames) {
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      const name = /^#\/\$defs\/([^/]+)$/.exec(node.$ref)?.[1];
      if (name && !seen.has(name)) {
        seen.add(name);
        visit(schema.$defs?.[name]);
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== '$defs') visit(v);
  };
  for (const name of rootNames) visit({ $ref: `#/$defs/${name}` });
  if (rootNames.length === 0) visit(schema);
  return seen;
}
for (const [file, schema] of Object.entries(schemas)) {
  const wire = Object.values(WIRE).find((w) => w.file === file);
  const reached = reachableDefs(schema, wire ? Object.values(wire.types) : []);
  for (const def of Object.keys(schema.$defs ?? {})) {
    if (reached.has(def)) continue;
    try {
      ajv.getSchema(`${schema.$id}#/$defs/${def}`);
    } catch (e) {
      fail(`schema compile error in ${schema.$id}#/$defs/${def}: ${e.message}`);
    }
  }
}

let code;
try {
  code = standaloneCode(ajv, exportsMap);
} catch (e) {
  fail(`standalone code generation failed: ${e.message}`);
}
code = code.replace(/^"use strict";\s*/, '');

// ---------------------------------------------------------------------------------------------------------------
// 2. Schema graph: per profile, which $defs entry sits at each property/item, so an error's instance path can be
//    attributed to the nearest $defs name ("1.0#/$defs/TaskStatus") without compiling anything at run time.
// ---------------------------------------------------------------------------------------------------------------
function defName(ref) {
  const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
  if (!m) fail(`unsupported $ref ${ref} (only local #/$defs/<name> refs are used)`);
  return m[1];
}

function buildGraph(schema) {
  const defs = schema.$defs ?? {};
  const nodeFor = (s, label, isDefRoot) => {
    if (!s || typeof s !== 'object') return undefined;
    if (typeof s.$ref === 'string') {
      if (!isDefRoot) return defName(s.$ref);
    }
    const n = { n: label };
    let children = false;
    if (s.properties) {
      const p = {};
      for (const key of Object.keys(s.properties)) {
        const c = nodeFor(s.properties[key], label, false);
        if (c !== undefined) p[key] = c;
      }
      if (Object.keys(p).length) {
        n.p = p;
        children = true;
      }
    }
    if (s.items && typeof s.items === 'object') {
      const c = nodeFor(s.items, label, false);
      if (c !== undefined) {
        n.i = c;
        children = true;
      }
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      const c = nodeFor(s.additionalProperties, label, false);
      if (c !== undefined) {
        n.a = c;
        children = true;
      }
    }
    if (s.discriminator && Array.isArray(s.oneOf)) {
      const k = s.discriminator.propertyName;
      const m = {};
      for (const branch of s.oneOf) {
        const name = defName(branch.$ref);
        const tag = defs[name]?.properties?.[k]?.const;
        if (typeof tag !== 'string') fail(`discriminator branch ${name} has no const "${k}"`);
        m[tag] = name;
      }
      n.d = { k, m };
      children = true;
    }
    // if {properties: {tag: {const}}} then {$ref}: follow the `then` schema when the tag matches (ErrorDetail ->
    // ErrorInfo).
    if (s.if?.properties && typeof s.then?.$ref === 'string') {
      const [k, cond] = Object.entries(s.if.properties)[0] ?? [];
      if (k && cond && typeof cond.const === 'string') {
        n.d = { k, m: { [cond.const]: defName(s.then.$ref) } };
        children = true;
      }
    }
    // Inline composite branches (e.g. targets `triggers` object form): follow their properties too.
    for (const kw of ['anyOf', 'oneOf']) {
      if (!Array.isArray(s[kw]) || s.discriminator) continue;
      for (const branch of s[kw]) {
        if (!branch || typeof branch !== 'object' || branch.$ref || branch.type !== 'object') continue;
        const c = nodeFor(branch, label, false);
        if (c && typeof c === 'object' && c.p) {
          n.p = { ...(n.p ?? {}), ...c.p };
          children = true;
        }
      }
    }
    return children || isDefRoot ? n : undefined;
  };
  const graph = { defs: {} };
  for (const name of Object.keys(defs)) graph.defs[name] = nodeFor(defs[name], `#/$defs/${name}`, true);
  if (schema.type || schema.properties) graph.root = nodeFor(schema, '#', true);
  return graph;
}

const graphs = {};
for (const [profile, spec] of Object.entries(WIRE)) graphs[profile] = buildGraph(schemas[spec.file]);
for (const [key, doc] of Object.entries(DOCUMENTS)) graphs[key] = buildGraph(schemas[doc.file]);

// ---------------------------------------------------------------------------------------------------------------
// 3. generated/validators.ts
// ---------------------------------------------------------------------------------------------------------------
const wireEntries = Object.entries(wireTable)
  .map(([profile, types]) => {
    const rows = Object.entries(types)
      .map(
        ([type, { ident, def }]) => `    ${JSON.stringify(type)}: { validate: ${ident}, def: ${JSON.stringify(def)} },`,
      )
      .join('\n');
    return `  ${JSON.stringify(profile)}: {\n${rows}\n  },`;
  })
  .join('\n');
const docEntries = Object.entries(DOCUMENTS)
  .map(([key, doc]) => `  ${JSON.stringify(key)}: { validate: ${doc.exportName}, def: null },`)
  .join('\n');

const header = `// @ts-nocheck
/* eslint-disable */
// Generated by scripts/build-schemas.mjs from schemas/*.schema.json. Do not edit; run \`npm run build:schemas\`.
// ajv standalone output still calls require() (ajv #1976/#2209), hence the createRequire shim.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
`;

const trailer = `
export interface GeneratedValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
  propertyName?: string;
  schema?: unknown;
  parentSchema?: any;
  data?: unknown;
}

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: GeneratedValidationError[] | null;
}

/** def: the $defs entry the validator applies (null for a whole-document schema). */
export interface GeneratedValidatorEntry {
  validate: GeneratedValidator;
  def: string | null;
}

/** A node of the schema graph: n = label ("#/$defs/Task" or "#"); p/i/a = properties/items/additionalProperties
 *  (a child node, or the name of a $defs entry); d = discriminator or if/then-on-a-const {k: tag property,
 *  m: tag value -> $defs name}. */
export interface SchemaGraphNode {
  n: string;
  p?: Record<string, SchemaGraphNode | string>;
  i?: SchemaGraphNode | string;
  a?: SchemaGraphNode | string;
  d?: { k: string; m: Record<string, string> };
}

export interface SchemaGraph {
  root?: SchemaGraphNode;
  defs: Record<string, SchemaGraphNode>;
}

/** (profile, WireType) -> validator. */
export const wireValidators: Record<string, Record<string, GeneratedValidatorEntry>> = {
${wireEntries}
};

/** Whole-document validators. */
export const documentValidators: Record<string, GeneratedValidatorEntry> = {
${docEntries}
};

export const schemaGraphs: Record<string, SchemaGraph> = ${JSON.stringify(graphs)};
`;

// ---------------------------------------------------------------------------------------------------------------
// 4. Types (json-schema-to-typescript; a devDependency, so skip with a note when it is not installed).
// ---------------------------------------------------------------------------------------------------------------
/** Branches of the form {required: [member]} only (the ProtoJSON oneof / "at least one of" idiom). */
const keyPresenceMembers = (branches) =>
  Array.isArray(branches) &&
  branches.every(
    (b) =>
      b && typeof b === 'object' && Object.keys(b).length === 1 && Array.isArray(b.required) && b.required.length === 1,
  )
    ? branches.map((b) => b.required[0])
    : null;

/** Rewrites validation idioms that json-schema-to-typescript renders badly into plain type shapes. */
function stripForTypes(value, isRoot, defName) {
  if (Array.isArray(value)) return value.map((v) => stripForTypes(v, false));
  if (!value || typeof value !== 'object') return value;
  const s = { ...value };
  for (const k of ['x-expect', '$schema', 'if', 'then', 'else']) delete s[k];
  if (isRoot) delete s.$id;
  if (s.discriminator) {
    // kind-discriminated union: the branches carry the tag; the shared `properties.kind` only duplicates it.
    delete s.discriminator;
    delete s.properties;
    delete s.required;
  }
  if (keyPresenceMembers(s.anyOf)) delete s.anyOf; // "at least one of": optional members are the best TS can say
  const members = keyPresenceMembers(s.oneOf);
  if (members && s.properties) {
    // Exactly one member: a union of variants, each with its member required and the others `never`.
    const { oneOf: _unused, description, title, ...base } = s;
    const variants = members.map((m) => {
      const properties = {};
      for (const [k, v] of Object.entries(base.properties)) {
        properties[k] = members.includes(k) && k !== m ? false : v;
      }
      return stripForTypes(
        {
          ...base,
          ...(defName ? { title: `${defName}_${m}` } : {}),
          properties,
          required: [...(base.required ?? []), m],
        },
        false,
      );
    });
    return { ...(title ? { title } : {}), ...(description ? { description } : {}), oneOf: variants };
  }
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$defs') {
      out[k] = {};
      for (const [name, def] of Object.entries(v)) out[k][name] = stripForTypes(def, false, name);
    } else if (k === 'properties') {
      out[k] = {};
      for (const [name, prop] of Object.entries(v)) out[k][name] = stripForTypes(prop, false);
    } else {
      out[k] = stripForTypes(v, false);
    }
  }
  return out;
}

let typeCount = 0;
let typesNote = '';
let jsts;
try {
  jsts = await import('json-schema-to-typescript');
} catch {
  typesNote = ' (types skipped: json-schema-to-typescript not installed)';
}

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'validators.ts'), header + code + '\n' + trailer);

if (jsts) {
  mkdirSync(typesDir, { recursive: true });
  const expected = new Set(TYPE_FILES.map((t) => t.out));
  for (const f of readdirSync(typesDir)) if (!expected.has(f)) rmSync(path.join(typesDir, f));
  const outputs = await Promise.all(
    TYPE_FILES.map(async (t) => {
      const schema = stripForTypes(schemas[t.file], true);
      if (!t.file.startsWith('targets') && !t.file.startsWith('results')) {
        delete schema.title;
        delete schema.description;
      }
      try {
        const ts = await jsts.compile(schema, t.name, {
          bannerComment: `/* Generated by scripts/build-schemas.mjs from schemas/${t.file}. Do not edit. */`,
          cwd: schemaDir,
          declareExternallyReferenced: true,
          unreachableDefinitions: true,
          ignoreMinAndMaxItems: true,
          strictIndexSignatures: false,
          unknownAny: true,
          format: false,
          $refOptions: { resolve: { external: false } },
        });
        return { out: t.out, ts };
      } catch (e) {
        return fail(`type generation failed for ${t.file}: ${e.message}`);
      }
    }),
  );
  for (const { out, ts } of outputs) writeFileSync(path.join(typesDir, out), ts);
  typeCount = outputs.length;
}

const ms = Number(process.hrtime.bigint() - started) / 1e6;
const kb = Math.round(Buffer.byteLength(header + code + trailer) / 1024);
process.stdout.write(
  `build-schemas: ${Object.keys(schemas).length} schemas, ${Object.keys(exportsMap).length} validators -> ` +
    `generated/validators.ts (${kb} KB), ` +
    `${typeCount} type files -> generated/types${typesNote} in ${(ms / 1000).toFixed(2)} s\n`,
);
