/**
 * Holds the run's ResultsFile and persists results.json as checks finish (atomic, throttled), so an interrupted
 * run leaves a valid file. Every write passes through the redactor as a last line of defence for secrets.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transcript } from '../http/types.js';
import { summarize } from './summarize.js';
import type { CheckMeta, CheckResult, ResultsFile, TargetResult } from './types.js';

export class ResultsWriter {
  private timer?: NodeJS.Timeout;
  /** Cost of the last write; intermediate writes are spaced so they never take more than ~20% of the time. */
  private lastWriteMs = 0;
  private readonly transcripts = new Map<string, Transcript>();
  private extraStale = 0;

  constructor(readonly file: ResultsFile, private readonly outDir: string, private readonly redact: (s: string) => string, private readonly throttleMs = 250) {
    mkdirSync(outDir, { recursive: true });
  }

  setChecks(meta: CheckMeta[]) {
    for (const m of meta) this.file.checks[m.id] = m;
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

  /** The file as it would be written now (redacted), as an object. */
  snapshot(): ResultsFile {
    return JSON.parse(this.serialize()) as ResultsFile;
  }

  private serialize(): string {
    const used = new Set(this.file.results.flatMap((r) => r.transcriptIds));
    const transcripts: Record<string, Transcript> = {};
    for (const id of [...used].sort()) {
      const t = this.transcripts.get(id);
      if (t) transcripts[id] = t;
    }
    const file: ResultsFile = { ...this.file, transcripts, summary: this.summary() };
    return this.redact(JSON.stringify(file, null, 2));
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.write(); }, Math.max(this.throttleMs, 4 * this.lastWriteMs));
    this.timer.unref();
  }

  /** Persist the current state (atomic rename), returning the text written. */
  private write(): string {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    const t0 = Date.now();
    const text = this.serialize();
    const path = join(this.outDir, 'results.json');
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.lastWriteMs = Date.now() - t0;
    return text;
  }

  /** Final write; returns the file as written (redacted), which the reports are rendered from. */
  flush(): ResultsFile {
    return JSON.parse(this.write()) as ResultsFile;
  }
}
