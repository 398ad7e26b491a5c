/**
 * ProtoJSON ⇄ protobuf binary for the gRPC adapters. Requests are built as ProtoJSON by the same encoders as the
 * HTTP+JSON binding and converted here; responses are decoded from binary into ProtoJSON (the one JSON shape the
 * decoders and schemas already know) with every unknown field reported by path. Bounded: the runtime's recursion
 * limit applies, and no decode ever throws (a broken message becomes `{ error }`).
 */
import { fromBinary, fromJson, toBinary, toJson, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { grpcRegistry } from './registry.js';

/** Unknown top-level request fields are appended under these numbers (unknown-field tolerance probes). */
const EXTRA_FIELD_BASE = 9000;
const RECURSION_LIMIT = 64;

export interface EncodedRequest {
  bytes: Buffer;
  /** ProtoJSON of what was encoded (what the transcript shows), extras included. */
  json: Record<string, unknown>;
  /** Keys the schema does not know, sent as unknown fields (number, key). */
  extras: { no: number; key: string }[];
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/**
 * Encode a ProtoJSON request. Keys the message type does not define (a check's deliberate extras) are not dropped:
 * each is appended as a length-delimited unknown field carrying its JSON, so the server really receives an unknown
 * field. Throws only when a known field has a value ProtoJSON cannot represent (a harness bug).
 */
export function encodeRequest(type: DescMessage, json: Record<string, unknown>): EncodedRequest {
  const known = new Set<string>();
  for (const f of type.fields) {
    known.add(f.jsonName);
    known.add(f.name);
  }
  const extras: { no: number; key: string }[] = [];
  const clean: Record<string, unknown> = {};
  const tail: number[] = [];
  let n = 0;
  for (const [k, v] of Object.entries(json)) {
    if (known.has(k)) {
      clean[k] = v;
      continue;
    }
    const no = EXTRA_FIELD_BASE + n++;
    extras.push({ no, key: k });
    const payload = Buffer.from(JSON.stringify(v) ?? 'null', 'utf8');
    tail.push(...varint((no << 3) | 2), ...varint(payload.length), ...payload);
  }
  const msg = fromJson(type, clean as JsonValue, { registry: grpcRegistry(), ignoreUnknownFields: true });
  const body = toBinary(type, msg);
  return { bytes: Buffer.concat([Buffer.from(body), Buffer.from(tail)]), json, extras };
}

export type Decoded =
  | { ok: true; json: unknown; unknownFields: string[] }
  | { ok: false; error: string; unknownFields: string[] };

interface UnknownField {
  no: number;
  wireType: number;
}

/** Paths of unknown fields in a decoded message tree (`status.message.$unknown#7`). */
function unknownPaths(value: unknown, path: string, out: string[], depth = 0): void {
  if (depth > RECURSION_LIMIT || out.length >= 50 || value === null || typeof value !== 'object') return;
  if (value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownPaths(v, `${path}[${i}]`, out, depth + 1));
    return;
  }
  const obj = value as Record<string, unknown>;
  if (!('$typeName' in obj) && typeof obj.case === 'string') {
    // A oneof holder { case, value }: the path names the chosen member.
    unknownPaths(obj.value, path ? `${path}.${obj.case}` : obj.case, out, depth + 1);
    return;
  }
  const unknown = obj.$unknown as UnknownField[] | undefined;
  if (Array.isArray(unknown))
    for (const u of unknown) out.push(`${path || '(root)'}: field ${u.no} (wire type ${u.wireType})`);
  for (const [k, v] of Object.entries(obj)) {
    if (k === '$unknown' || k === '$typeName') continue;
    // A oneof group is not a field on the wire: its chosen member names the path.
    const group =
      v !== null && typeof v === 'object' && !('$typeName' in v) && typeof (v as { case?: unknown }).case === 'string';
    unknownPaths(v, group ? path : path ? `${path}.${k}` : k, out, depth + 1);
  }
}

/** Decode a binary message to ProtoJSON, listing unknown fields. Never throws. */
export function decodeMessage(type: DescMessage, bytes: Uint8Array): Decoded {
  let msg: ReturnType<typeof fromBinary>;
  try {
    msg = fromBinary(type, bytes, { readUnknownFields: true, recursionLimit: RECURSION_LIMIT });
  } catch (e) {
    return { ok: false, error: `not a valid ${type.typeName}: ${(e as Error).message}`, unknownFields: [] };
  }
  const unknownFields: string[] = [];
  unknownPaths(msg, '', unknownFields);
  try {
    return { ok: true, json: toJson(type, msg, { registry: grpcRegistry() }), unknownFields };
  } catch (e) {
    return { ok: false, error: `${type.typeName} has no ProtoJSON form: ${(e as Error).message}`, unknownFields };
  }
}
