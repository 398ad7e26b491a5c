/**
 * Report writers. results.json is the single source; junit.xml, report.html, summary.md and ctrf.json are derived
 * from it alone. Every file is written atomically (temp file in the same directory + rename) because the
 * runner rewrites results.json while checks finish and readers (CI, a browser) may look at any moment.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ResultsFile } from '../results/types.js';
import { renderCtrf } from './ctrf.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export { renderHtml, embedJson } from './html.js';
export { renderJunit } from './junit.js';
export { buildCtrf, renderCtrf } from './ctrf.js';
export { renderMarkdown, mdText } from './markdown.js';
export { computeVerdict } from './common.js';
export type { Verdict } from './common.js';

export interface ReportOptions {
  /** Warnings fail the run (JUnit failure type="SHOULD", Markdown lists them). Default: results.run.options.strict. */
  strict?: boolean;
  /** results.json as already serialized by the caller (written verbatim instead of serializing again). */
  resultsText?: string;
}

export const REPORT_FILES = {
  results: 'results.json',
  junit: 'junit.xml',
  html: 'report.html',
  markdown: 'summary.md',
  ctrf: 'ctrf.json',
} as const;

/** Writes `data` to `file` atomically: a unique temp file next to it, then rename(2) over the target. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { encoding: 'utf8', mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** results.json as the runner should (re)write it: pretty, 2-space, trailing newline. */
export function serializeResults(results: ResultsFile): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** Writes results.json, junit.xml, report.html, summary.md and ctrf.json into outDir (created if needed). */
export async function writeReports(
  results: ResultsFile,
  outDir: string,
  opts: ReportOptions = {},
): Promise<{ files: string[] }> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  // One report at a time, each written atomically as soon as it is rendered: big runs peak in memory here, so no two
  // rendered reports are held at once. results.json goes first: the others are derived from it.
  const outputs: [string, () => string][] = [
    [REPORT_FILES.results, () => opts.resultsText ?? serializeResults(results)],
    [REPORT_FILES.junit, () => renderJunit(results, { strict: opts.strict })],
    [REPORT_FILES.html, () => renderHtml(results, { strict: opts.strict, json: opts.resultsText })],
    [REPORT_FILES.markdown, () => renderMarkdown(results, { strict: opts.strict })],
    [REPORT_FILES.ctrf, () => renderCtrf(results, { strict: opts.strict })],
  ];
  const files: string[] = [];
  for (const [name, render] of outputs) {
    const file = join(dir, name);
    await writeFileAtomic(file, render());
    files.push(file);
  }
  return { files };
}
