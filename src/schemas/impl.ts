/**
 * Wire / config / results validation on top of the ahead-of-time compiled validators in generated/validators.ts
 * (scripts/build-schemas.mjs). Nothing here compiles a schema.
 */
import { documentValidators, schemaGraphs, wireValidators } from '../../generated/validators.js';
import type { GeneratedValidatorEntry } from '../../generated/validators.js';
import type { SchemaError } from '../http/types.js';
import type { ResultsFile } from '../results/types.js';
import type { ResultsFile as ResultsFileFromSchema } from '../../generated/types/results.js';
import type { WireProfile, WireType } from './validate.js';
import { formatErrors } from './error-format.js';

/** How unexpected properties are described per profile ("unexpected property 'kind' (not part of 1.0 ProtoJSON)"). */
const DIALECT: Record<WireProfile, string | undefined> = {
  '0.3-jsonrpc': undefined,
  '0.3-rest': '0.3 ProtoJSON',
  '1.0': '1.0 ProtoJSON',
};

const hasOwn = (o: object, k: string): boolean => Object.hasOwn(o, k);

function run(entry: GeneratedValidatorEntry, label: string, doc: unknown, dialect?: string): SchemaError[] {
  if (entry.validate(doc)) return [];
  return formatErrors(entry.validate.errors, {
    label,
    graph: schemaGraphs[label],
    rootDef: entry.def,
    doc,
    dialect,
  });
}

/** The WireTypes a profile has a schema for (e.g. no JsonRpcResponse on 0.3-rest, ListTasksResponse only on 1.0). */
export function supportedWireTypes(profile: WireProfile): WireType[] {
  return hasOwn(wireValidators, profile) ? (Object.keys(wireValidators[profile]) as WireType[]) : [];
}

/**
 * Validates one wire document. Returns [] when valid. Throws when the (profile, type) combination has no schema
 * (a harness bug, not a finding about the agent).
 */
export function validateWire(profile: WireProfile, type: WireType, doc: unknown): SchemaError[] {
  const table = hasOwn(wireValidators, profile) ? wireValidators[profile] : undefined;
  const entry = table && hasOwn(table, type) ? table[type] : undefined;
  if (!entry) {
    const known = table ? Object.keys(table).join(', ') : 'none';
    throw new Error(`no wire schema for type '${type}' in profile '${profile}' (types of this profile: ${known})`);
  }
  return run(entry, profile, doc, DIALECT[profile]);
}

/** Validates a parsed targets.yaml document (before defaults and interpolation). */
export function validateTargetsDocument(doc: unknown): SchemaError[] {
  return run(documentValidators.targets, 'targets', doc);
}

/** Validates a results.json document. */
export function validateResultsDocument(doc: unknown): SchemaError[] {
  return run(documentValidators.results, 'results', doc);
}

/**
 * Compile-time guard: schemas/results.schema.json and src/results/types.ts must describe the same shape.
 * If `tsc` fails here, update the schema (or the types) and run `npm run build:schemas`.
 * Only the types -> schema direction is asserted: the schema deliberately makes Expectation.expected/actual
 * optional (JSON drops undefined values), which TypeScript's `unknown` member cannot express.
 */
export function assertResultsTypesMatchSchema(file: ResultsFile): ResultsFileFromSchema {
  return file;
}
