/**
 * Inline CSS and JS of report.html, read from `assets/report.css` and `assets/report.js` beside this module (in the
 * source tree under vitest/tsx, and in dist/, where `npm run build` copies them: scripts/copy-assets.mjs). They are
 * real files so that Biome formats and lints them; html.ts inlines them verbatim, so the page stays one
 * self-contained file.
 *
 * Rules for report.js: plain browser JavaScript (ES2020, no modules, no build step), never the sequences "</script"
 * or "<!--", and never innerHTML/outerHTML/insertAdjacentHTML/document.write: every piece of data reaches the DOM
 * through textContent, createTextNode or setAttribute on a fixed attribute name (links only for http(s) URLs). Unit
 * tests enforce these rules.
 *
 * The version grid and the negotiation table derive from the results with the same rules as
 * versionGrids() / negotiationTables() in common.ts (the browser test compares both).
 */
import { readFileSync } from 'node:fs';

const asset = (name: string): string => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

export const REPORT_CSS = asset('report.css');
export const REPORT_JS = asset('report.js');
