/**
 * Holds the run's ResultsFile and persists results.json as checks finish (atomic, throttled), so an interrupted
 * run leaves a valid file. Every write passes through the redactor as a last line of defence for secrets.
 *
 * Checkpoints cost what is new, not the whole file: each result is serialized and redacted once, each transcript once
 * it is complete (every exchange ended), and the pieces are kept as UTF-8 Buffers (compact, off the V8 heap: the
 * strings JSON.stringify + redaction + re-indentation build are trees of slices several times their size) and
 * written one after the other. No write builds the whole document as one string: the final write serializes
 * everything afresh, member by member, result by result and transcript by transcript, straight to the file.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Transcript } from '../http/types.js';
import { boundDepth } from '../core/bounded-json.js';
import { relieveMemory } from '../core/memory-guard.js';
import { summarize } from './summarize.js';
import type { CheckMeta, CheckResult, ResultsFile, TargetResult } from './types.js';

export class ResultsWriter {
  private timer?: NodeJS.Timeout;
  /** Cost of the last write; intermediate writes are spaced so they never take more than ~10% of the time. */
  private lastWriteMs = 0;
  private readonly transcripts = new Map<string, Transcript>();
  private extraStale = 0;
  /** Why the last intermediate write failed, if it did. */
  lastError?: string;
  /** Serialized, redacted, indented results (results[0..resultTexts.length)), in the spool. */
  private readonly resultTexts: (SpoolRef | Buffer)[] = [];
  /** Transcript ids the serialized results reference. */
  private readonly usedIds = new Set<string>();
  /** Serialized, redacted, indented `"id": {…}` members of transcripts that were complete when first written. */
  private readonly transcriptTexts = new Map<string, SpoolRef | Buffer>();
  private checksText?: Buffer;
  /** The serialized pieces above, on disk next to results.json (removed by finish()). */
  private readonly spool: Spool;

  constructor(
    readonly file: ResultsFile,
    private readonly outDir: string,
    private readonly redact: (s: string) => string,
    private readonly throttleMs = 1000,
  ) {
    mkdirSync(outDir, { recursive: true });
    this.spool = new Spool(join(outDir, '.results.json.spool'));
  }

  setChecks(meta: CheckMeta[]) {
    for (const m of meta) this.file.checks[m.id] = m;
    this.checksText = undefined;
  }

  addTarget(t: TargetResult) {
    this.file.targets.push(t);
    this.schedule();
  }

  registerTranscript(t: Transcript) {
    this.transcripts.set(t.id, t);
  }

  add(result: CheckResult) {
    this.file.results.push(result);
    this.schedule();
  }

  addStaleEntries(n: number) {
    this.extraStale += n;
  }

  summary() {
    return summarize(this.file.results, this.extraStale);
  }

  /** The file with the transcripts the results reference (in id order) and a fresh summary. */
  private assemble(): ResultsFile {
    const used = new Set(this.file.results.flatMap((r) => r.transcriptIds));
    const transcripts: Record<string, Transcript> = {};
    for (const id of [...used].sort()) {
      const t = this.transcripts.get(id);
      if (t) transcripts[id] = t;
    }
    return { ...this.file, transcripts, summary: this.summary() };
  }

  /** The checkpoint: the same document as assemble() would give, as a list of chunks built from cached pieces. */
  private serialize(): Chunk[] {
    const piece = (v: unknown, depth: number) => indent(this.redact(JSON.stringify(v, null, 2)), depth);
    const results = this.file.results;
    for (let i = this.resultTexts.length; i < results.length; i++) {
      const r = results[i]!;
      this.resultTexts.push(this.spool.append(piece(r, 2)));
      for (const id of r.transcriptIds) this.usedIds.add(id);
    }
    const transcripts: Chunk[] = [];
    for (const id of [...this.usedIds].sort()) {
      const t = this.transcripts.get(id);
      if (!t) continue;
      let text: Chunk | undefined = this.transcriptTexts.get(id);
      if (text === undefined) {
        text = `${JSON.stringify(id)}: ${piece(t, 2)}`;
        if (t.exchanges.every((e) => e.durationMs !== undefined)) {
          text = this.spool.append(text);
          this.transcriptTexts.set(id, text);
        }
      }
      transcripts.push(text);
    }
    this.checksText ??= Buffer.from(piece(this.file.checks, 1));
    const members: Chunk[][] = [];
    for (const [key, value] of Object.entries({ ...this.file, summary: this.summary() })) {
      if (value === undefined) continue;
      const text: Chunk[] =
        key === 'results'
          ? list('[', this.resultTexts, ']')
          : key === 'transcripts'
            ? list('{', transcripts, '}')
            : key === 'checks'
              ? [this.checksText]
              : [piece(value, 1)];
      members.push([`  ${JSON.stringify(key)}: `, ...text]);
    }
    return ['{\n', ...joinChunks(members, ',\n'), '\n}'];
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        try {
          this.write();
        } catch (e) {
          // An intermediate write must never end the run (disk full, odd data): the final write tries again.
          this.lastError = e instanceof Error ? e.message : String(e);
        }
      },
      Math.max(this.throttleMs, 8 * this.lastWriteMs),
    );
    this.timer.unref();
  }

  /** Persist the current state (atomic rename). */
  private write(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t0 = Date.now();
    writeChunksAtomic(join(this.outDir, 'results.json'), this.serialize(), this.spool);
    this.lastWriteMs = Date.now() - t0;
  }

  /**
   * Final write. Redacts the live object in place (no parsed copy: the end of a big run is where memory peaks) and
   * writes it piece by piece (finalChunks: the same bytes as `stringifyResults(file)` + newline, never one string
   * of the whole document). Returns the object, which the reports are rendered from, and the path written, which
   * report.html embeds by streaming it.
   */
  finish(): { file: ResultsFile; path: string } {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // The checkpoint caches are not needed any more: let them go before the final serialization.
    this.resultTexts.length = 0;
    this.transcriptTexts.clear();
    this.checksText = undefined;
    this.spool.remove();
    const file = this.assemble();
    redactDeep(file, this.redact);
    relieveMemory();
    const path = join(this.outDir, 'results.json');
    try {
      writeChunksAtomic(path, finalChunks(file));
    } catch {
      writeChunksAtomic(path, [`${stringifyResults(file)}\n`]);
    }
    return { file, path };
  }
}

/** A byte range of the spool. */
interface SpoolRef {
  pos: number;
  len: number;
}

type Chunk = string | Buffer | SpoolRef;

/**
 * Append-only file of serialized pieces (opened on first use), so the checkpoint cache costs disk, not memory. A
 * piece that cannot be spooled (disk full) is kept in memory instead.
 */
class Spool {
  private fd?: number;
  private size = 0;
  private removed = false;
  constructor(private readonly path: string) {}

  append(text: string): SpoolRef | Buffer {
    const bytes = Buffer.from(text);
    if (this.removed) return bytes; // a checkpoint after the final write: nothing is left on disk behind it
    try {
      this.fd ??= openSync(this.path, 'w+', 0o600);
      const pos = this.size;
      writeAll(this.fd, bytes, pos);
      this.size += bytes.length;
      return { pos, len: bytes.length };
    } catch {
      return bytes;
    }
  }

  /** Copies a range to `out`, through a bounded buffer. */
  copyTo(out: number, ref: SpoolRef, buf: Buffer): void {
    if (this.fd === undefined) throw new Error('results spool is closed');
    for (let done = 0; done < ref.len; ) {
      const n = readSync(this.fd, buf, 0, Math.min(buf.length, ref.len - done), ref.pos + done);
      if (n <= 0) throw new Error('results spool is short');
      writeAll(out, buf.subarray(0, n));
      done += n;
    }
  }

  remove(): void {
    this.removed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, bytes: Buffer, position?: number): void {
  for (let off = 0; off < bytes.length; )
    off += writeSync(fd, bytes, off, bytes.length - off, position === undefined ? null : position + off);
}

/**
 * Spool pieces are copied through a buffer of this size, the size sockets read in (a freed buffer of 1 MiB raises
 * glibc's mmap threshold, after which allocations up to that size stay in the heap, which is not given back).
 */
const COPY_BUFFER_BYTES = 64 * 1024;

/** Writes chunks one after the other to `path.tmp`, then renames it over `path`. */
function writeChunksAtomic(path: string, chunks: Iterable<Chunk>, spool?: Spool): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    let buf: Buffer | undefined;
    for (const c of chunks) {
      if (typeof c === 'string') writeAll(fd, Buffer.from(c));
      else if (Buffer.isBuffer(c)) writeAll(fd, c);
      else if (spool) spool.copyTo(fd, c, (buf ??= Buffer.allocUnsafe(COPY_BUFFER_BYTES)));
      else throw new Error('a spooled piece without its spool');
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * results.json as `stringifyResults(file)` + newline would give it, in pieces, generated one at a time: each
 * top-level member, each result and each transcript serialized on its own (JSON.stringify indented with 2 spaces,
 * re-indented for its depth, is exactly its text inside the whole). Throws when a piece cannot be serialized (too
 * deep, too large); finish() then writes stringifyResults' output and its fallbacks instead.
 */
function* finalChunks(file: ResultsFile): Generator<Chunk> {
  let first = true;
  for (const [key, value] of Object.entries(file)) {
    if (key === 'results' && Array.isArray(value)) {
      yield* member(key, first);
      yield* listOf('[', value as unknown[], (r) => piece(r, 2), ']');
    } else if (key === 'transcripts' && value && typeof value === 'object' && !Array.isArray(value)) {
      yield* member(key, first);
      const entries = Object.entries(value as Record<string, unknown>);
      yield* listOf('{', entries, ([id, t]) => `${JSON.stringify(id)}: ${piece(t, 2)}`, '}');
    } else {
      const text = JSON.stringify(value, null, 2) as string | undefined;
      if (text === undefined) continue;
      yield* member(key, first);
      yield indent(text, 1);
    }
    first = false;
  }
  yield first ? '{}\n' : '\n}\n';
}

function* member(key: string, first: boolean): Generator<Chunk> {
  yield `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
}

function* listOf<T>(open: string, items: T[], text: (item: T) => string, close: string): Generator<Chunk> {
  if (!items.length) {
    yield `${open}${close}`;
    return;
  }
  for (let i = 0; i < items.length; i++) yield `${i ? ',\n    ' : `${open}\n    `}${text(items[i]!)}`;
  yield `\n  ${close}`;
}

function piece(v: unknown, depth: number): string {
  const text = JSON.stringify(v, null, 2) as string | undefined;
  return text === undefined ? 'null' : indent(text, depth);
}

/** The chunks of `groups`, with `sep` between groups. */
function joinChunks(groups: Chunk[][], sep: string): Chunk[] {
  const out: Chunk[] = [];
  groups.forEach((g, i) => {
    if (i) out.push(sep);
    out.push(...g);
  });
  return out;
}

/** Deepest nesting tolerated in results.json before the writer cuts (target JSON is already cut at 64 on input). */
const RESULTS_MAX_DEPTH = 200;

/**
 * JSON.stringify of the results that cannot fail on target data: on failure (a value too deep for the stack, a
 * document too large for one string), retry with every subtree deeper than RESULTS_MAX_DEPTH cut, then without the
 * transcripts' recorded bodies and events, then without transcripts. Mutates `file` on the fallback paths only.
 */
export function stringifyResults(file: ResultsFile): string {
  try {
    return JSON.stringify(file, null, 2);
  } catch {
    /* fall through */
  }
  boundDepth(file, RESULTS_MAX_DEPTH);
  try {
    return JSON.stringify(file, null, 2);
  } catch {
    /* fall through */
  }
  for (const t of Object.values(file.transcripts)) {
    for (const ex of t.exchanges) {
      const cut = { text: '«dropped: results.json could not hold it»', bytes: 0, truncated: true };
      if (ex.request.body) ex.request.body = { ...cut, bytes: ex.request.body.bytes };
      if (ex.response?.body) ex.response.body = { ...cut, bytes: ex.response.body.bytes };
      if (ex.response?.events) ex.response.events = [];
    }
  }
  try {
    return JSON.stringify(file, null, 2);
  } catch {
    file.transcripts = {};
    return JSON.stringify(file, null, 2);
  }
}

/** Re-indents a JSON.stringify(v, null, 2) text for nesting at `depth` (2 spaces per level). */
function indent(text: string, depth: number): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${'  '.repeat(depth)}`) : text;
}

/** A JSON array or object body from already serialized members at depth 2, as chunks. */
function list(open: string, items: Chunk[], close: string): Chunk[] {
  if (!items.length) return [`${open}${close}`];
  const out: Chunk[] = [`${open}\n    `];
  items.forEach((item, i) => {
    if (i) out.push(',\n    ');
    out.push(item);
  });
  out.push(`\n  ${close}`);
  return out;
}

/** Replace every string value of a JSON-like value in place with its redacted form. */
function redactDeep(value: unknown, redact: (s: string) => string): void {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] === 'string') v[i] = redact(v[i] as string);
        else if (v[i] && typeof v[i] === 'object') stack.push(v[i]);
      }
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (typeof o[k] === 'string') o[k] = redact(o[k] as string);
        else if (o[k] && typeof o[k] === 'object') stack.push(o[k]);
      }
    }
  }
}
