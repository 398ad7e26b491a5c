/**
 * Holds the run's ResultsFile and persists results.json as checks finish (atomic, throttled), so an interrupted
 * run leaves a valid file. Every write passes through the redactor as a last line of defence for secrets.
 *
 * Checkpoints cost what is new, not the whole file: each result is serialized and redacted once, each transcript once
 * it is complete (every exchange ended), and the pieces are joined. The final write serializes everything afresh.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
  /** Serialized, redacted, indented results (results[0..resultTexts.length)). */
  private readonly resultTexts: string[] = [];
  /** Transcript ids the serialized results reference. */
  private readonly usedIds = new Set<string>();
  /** Serialized, redacted, indented transcripts that were complete when first written. */
  private readonly transcriptTexts = new Map<string, string>();
  private checksText?: string;

  constructor(
    readonly file: ResultsFile,
    private readonly outDir: string,
    private readonly redact: (s: string) => string,
    private readonly throttleMs = 1000,
  ) {
    mkdirSync(outDir, { recursive: true });
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

  /** The checkpoint text: the same document as assemble() would give, built from cached pieces. */
  private serialize(): string {
    const piece = (v: unknown, depth: number) => indent(this.redact(JSON.stringify(v, null, 2)), depth);
    const results = this.file.results;
    for (let i = this.resultTexts.length; i < results.length; i++) {
      const r = results[i]!;
      this.resultTexts.push(piece(r, 2));
      for (const id of r.transcriptIds) this.usedIds.add(id);
    }
    const transcripts: string[] = [];
    for (const id of [...this.usedIds].sort()) {
      const t = this.transcripts.get(id);
      if (!t) continue;
      let text = this.transcriptTexts.get(id);
      if (text === undefined) {
        text = `${JSON.stringify(id)}: ${piece(t, 2)}`;
        if (t.exchanges.every((e) => e.durationMs !== undefined)) this.transcriptTexts.set(id, text);
      }
      transcripts.push(text);
    }
    this.checksText ??= piece(this.file.checks, 1);
    const members: string[] = [];
    for (const [key, value] of Object.entries({ ...this.file, summary: this.summary() })) {
      if (value === undefined) continue;
      const text =
        key === 'results'
          ? list('[', this.resultTexts, ']')
          : key === 'transcripts'
            ? list('{', transcripts, '}')
            : key === 'checks'
              ? this.checksText
              : piece(value, 1);
      members.push(`  ${JSON.stringify(key)}: ${text}`);
    }
    return `{\n${members.join(',\n')}\n}`;
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

  /** Persist the current state (atomic rename), returning the text written. */
  private write(): string {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t0 = Date.now();
    const text = this.serialize();
    const path = join(this.outDir, 'results.json');
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.lastWriteMs = Date.now() - t0;
    return text;
  }

  /**
   * Final write. Redacts the live object in place (no parsed copy: the end of a big run is where memory peaks) and
   * returns it with the exact text written, which the reports are rendered from.
   */
  finish(): { file: ResultsFile; text: string } {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const file = this.assemble();
    redactDeep(file, this.redact);
    relieveMemory();
    const text = `${stringifyResults(file)}\n`;
    const path = join(this.outDir, 'results.json');
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return { file, text };
  }
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

/** A JSON array or object body from already serialized members at depth 2. */
function list(open: string, items: string[], close: string): string {
  return items.length ? `${open}\n    ${items.join(',\n    ')}\n  ${close}` : `${open}${close}`;
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
