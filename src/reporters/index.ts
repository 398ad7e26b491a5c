/**
 * Report writers. results.json is the single source; junit.xml, report.html, summary.md and ctrf.json are derived
 * from it alone. Every file is written atomically (temp file in the same directory + rename) because the
 * runner rewrites results.json while checks finish and readers (CI, a browser) may look at any moment.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ResultsFile } from '../results/types.js';
import { stringifyResults } from '../results/writer.js';
import { relieveMemory } from '../core/memory-guard.js';
import { renderCtrf } from './ctrf.js';
import { embedJsonChunk, htmlParts, renderHtml } from './html.js';
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
  /**
   * results.json already written by the caller (the runner's final write): not serialized again, and streamed into
   * report.html piece by piece, so a big run's results are never held as one string. Wins over `resultsText`.
   */
  resultsPath?: string;
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

/** Writes `file` atomically from pieces produced by `write` (each piece appended as it comes). */
async function writeStreamAtomic(file: string, write: (put: (s: string) => Promise<void>) => Promise<void>) {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await write(async (s) => {
        await handle.write(s, null, 'utf8');
      });
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** report.html with the results streamed in from results.json on disk (the same bytes as renderHtml). */
async function writeHtmlFrom(results: ResultsFile, jsonPath: string, file: string, strict?: boolean) {
  const { head, tail } = htmlParts(results, { strict });
  await writeStreamAtomic(file, async (put) => {
    await put(head);
    // 64 KiB pieces stay in V8's young generation (larger strings go to the large-object space, which only a full
    // collection frees: 1 MiB pieces piled up there by the hundred before one came).
    for await (const chunk of createReadStream(jsonPath, { encoding: 'utf8', highWaterMark: 64 * 1024 }))
      await put(embedJsonChunk(chunk as string));
    await put(tail);
  });
}

/** results.json as the runner should (re)write it: pretty, 2-space, trailing newline. */
export function serializeResults(results: ResultsFile): string {
  return `${stringifyResults(results)}\n`;
}

/**
 * A stand-in written when a reporter failed: the file still exists and is well-formed, and says what went wrong.
 * `message` is harness text (an exception message), escaped like anything else.
 */
export function fallbackReport(name: string, message: string): string {
  const clean = message.replace(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd]/g, '?').slice(0, 2000);
  const xml = clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  if (name === REPORT_FILES.junit)
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="a2a-conformance" tests="1" failures="0" errors="1">' +
      '<testsuite name="a2a-conformance.reporter" tests="1" failures="0" errors="1">' +
      `<testcase classname="a2a-conformance.reporter" name="junit.xml"><error message="${xml}"/></testcase>` +
      '</testsuite></testsuites>\n'
    );
  if (name === REPORT_FILES.html)
    return (
      '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" ' +
      `content="default-src 'none'"><title>a2a-conformance report</title></head><body><h1>Report not rendered</h1>` +
      `<p>The HTML reporter failed: ${xml}</p><p>results.json holds every result.</p></body></html>\n`
    );
  if (name === REPORT_FILES.ctrf) {
    const now = Date.now();
    const test = { name: 'ctrf.json', status: 'failed', duration: 0, message: `the CTRF reporter failed: ${clean}` };
    const summary = { tests: 1, passed: 0, failed: 1, pending: 0, skipped: 0, other: 0, start: now, stop: now };
    return `${JSON.stringify({ results: { tool: { name: 'a2a-conformance' }, summary, tests: [test] } }, null, 2)}\n`;
  }
  return (
    `# a2a-conformance\n\nThe Markdown reporter failed: ${xml.replace(/[\\`*_[\]|]/g, '\\$&')}\n\n` +
    'results.json holds every result.\n'
  );
}

/**
 * Writes results.json, junit.xml, report.html, summary.md and ctrf.json into outDir (created if needed). Each
 * reporter is isolated: one that throws on odd data is replaced by a short well-formed stand-in saying so (listed in
 * `errors`), and the others are still written.
 */
export async function writeReports(
  results: ResultsFile,
  outDir: string,
  opts: ReportOptions = {},
): Promise<{ files: string[]; errors: string[] }> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  // One report at a time, each written atomically as soon as it is rendered: big runs peak in memory here, so no two
  // rendered reports are held at once. results.json goes first: the others are derived from it.
  const resultsPath = opts.resultsPath && resolve(opts.resultsPath);
  // A render gives the text to write, or writes the file itself (streamed) and gives nothing.
  const outputs: [string, (file: string) => string | Promise<void>][] = [
    [
      REPORT_FILES.results,
      (file) =>
        resultsPath
          ? resultsPath === file
            ? Promise.resolve()
            : copyFile(resultsPath, file)
          : (opts.resultsText ?? serializeResults(results)),
    ],
    [REPORT_FILES.junit, () => renderJunit(results, { strict: opts.strict })],
    [
      REPORT_FILES.html,
      (file) =>
        resultsPath
          ? writeHtmlFrom(results, resultsPath, file, opts.strict)
          : renderHtml(results, { strict: opts.strict, json: opts.resultsText }),
    ],
    [REPORT_FILES.markdown, () => renderMarkdown(results, { strict: opts.strict })],
    [REPORT_FILES.ctrf, () => renderCtrf(results, { strict: opts.strict })],
  ];
  const files: string[] = [];
  const errors: string[] = [];
  for (const [name, render] of outputs) {
    const file = join(dir, name);
    let text: string | undefined;
    try {
      const out = render(file);
      if (typeof out === 'string') text = out;
      else await out;
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      errors.push(`${name}: ${message}`);
      text = name === REPORT_FILES.results ? stringifyResults(results) : fallbackReport(name, message);
    }
    if (text !== undefined) await writeFileAtomic(file, text);
    files.push(file);
    relieveMemory(); // each rendered report is garbage now: do not let the next one stack on top of it
  }
  return { files, errors };
}
