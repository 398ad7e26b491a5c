/**
 * report.html in a real headless Chromium (playwright-core + the system chromium). Not skipped when
 * Chromium is missing: it fails with install instructions (CI installs it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../src/reporters/html.js';
import { HOSTILE_NAME, buildLargeResults, buildSampleResults } from '../fixtures/results/sample.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SCREENSHOT = '/tmp/report.png';

function findChromium(): string | null {
  for (const cmd of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const sample = buildSampleResults();
const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
const file = join(dir, 'report.html');
const bigFile = join(dir, 'big.html');
const fileUrl = pathToFileURL(file).href;
let browser: Browser | undefined;

/** One page for the whole file (a new page costs ~300 ms); every test loads the report afresh. */
let page: Page;
const seen = { problems: [] as string[], requests: [] as string[], dialogs: [] as string[] };

async function open(url = fileUrl, width = 1280): Promise<{ page: Page }> {
  await page.setViewportSize({ width, height: 900 });
  await page.goto('about:blank'); // so that a URL differing only by its hash still loads a fresh document
  seen.problems.length = seen.requests.length = seen.dialogs.length = 0;
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 5000 });
  return { page };
}

const visibleRows = (page: Page) =>
  page.$$eval('#matrix .check-row', (trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).map((tr) => ({
    id: (tr as HTMLElement).dataset.checkId!, outcomes: ((tr as HTMLElement).dataset.outcomes ?? '').split(' '),
  })));

beforeAll(async () => {
  const exe = findChromium();
  if (!exe) {
    throw new Error(
      'Chromium not found on PATH (looked for "chromium" and "chromium-browser"). This test does not skip: ' +
      'install it with `apt-get install -y chromium` (Debian/Ubuntu) and re-run. CI installs it.',
    );
  }
  writeFileSync(file, renderHtml(sample));
  writeFileSync(bigFile, renderHtml(buildLargeResults(620)));
  browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
}, 15_000);

afterEach(async () => {
  // Every test: no console errors, no page errors, no dialog (alert from an injection), no network
  // request other than the report file itself, and the injected globals never ran.
  if (!page) return;
  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
  expect(pwned, 'window.__pwned must stay undefined').toBeUndefined();
  expect(seen.dialogs, 'no dialog may fire').toEqual([]);
  expect(seen.problems, 'no console errors/warnings or page errors').toEqual([]);
  const bare = (u: string) => u.split('#')[0];
  expect(seen.requests.map(bare).filter((u) => u !== bare(page.url()) && u !== 'about:blank'), 'no network requests besides the file').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders header, target summaries and the matrix; hostile card text is inert text', async () => {
    const { page } = await open();
    await expect(page.textContent('#verdict')).resolves.toBe('FAIL');
    const targets = await page.$$eval('.target-card', (els) => els.map((e) => (e as HTMLElement).dataset.target));
    expect(targets).toEqual(['ref-v1', 'gw-legacy']);
    expect(await page.textContent('.target-card[data-target="gw-legacy"] .status-message')).toContain('behind gateway');
    const ids = new Set(sample.results.map((r) => r.checkId));
    expect(await page.locator('#matrix .check-row').count()).toBe(ids.size);
    expect(await page.locator('#matrix button.pill').count()).toBe(sample.results.length);
    expect(await page.locator('#matrix .h-cell .m-th').count()).toBe(12);
    // The hostile card name shows up as literal text inside the card snapshot, and created no element.
    await page.click('.target-card[data-target="ref-v1"] details.card-snapshot summary');
    expect(await page.textContent('.target-card[data-target="ref-v1"] details.card-snapshot pre')).toContain(HOSTILE_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(2);
    // rows use content-visibility:auto (skipped while off-screen): give the shot a viewport tall enough for all of it
    await page.setViewportSize({ width: 1280, height: 2000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('the "fail" filter leaves only failing rows visible and is kept in location.hash', async () => {
    const { page } = await open();
    const all = await visibleRows(page);
    await page.click('#filter-outcome-fail');
    const rows = await visibleRows(page);
    const failing = all.filter((r) => r.outcomes.includes('fail'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(all.length);
    expect(rows).toEqual(failing);
    expect(await page.evaluate(() => location.hash)).toBe('#outcome=fail');
    // non-matching cells in the remaining rows are dimmed, failing ones are not
    expect(await page.locator('#matrix .check-row:not([hidden]) button.pill[data-outcome="fail"].dim').count()).toBe(0);
    await page.click('#filter-reset');
    expect(await visibleRows(page)).toHaveLength(all.length);
    expect(await page.evaluate(() => location.hash)).toBe('');
  });

  it('search narrows rows (by id/title and by result message), combined with other filters', async () => {
    const { page } = await open();
    await page.fill('#filter-search', 'latency');
    await page.waitForFunction(() => location.hash.includes('q=latency'));
    expect((await visibleRows(page)).map((r) => r.id)).toEqual(['streaming.sse.first-event-latency']);
    await page.fill('#filter-search', 'ECONNRESET');
    await page.waitForFunction(() => location.hash.includes('q=ECONNRESET'));
    expect((await visibleRows(page)).map((r) => r.id)).toEqual(['errors.unknown-method']);
    await page.fill('#filter-search', '');
    await page.selectOption('#filter-suite', 'card');
    await page.click('#filter-level-SHOULD');
    expect((await visibleRows(page)).map((r) => r.id)).toEqual(['card.security.declared']);
    await page.selectOption('#filter-binding', 'rest');
    expect(await visibleRows(page)).toEqual([]); // card checks have no REST cells
    expect(await page.isVisible('#matrix-empty')).toBe(true);
  });

  it('a cell opens the detail panel with requirement, expected/actual and the SSE transcript', async () => {
    const { page } = await open();
    await page.click('.check-row[data-check-id="streaming.sse.content-type"] button.pill[data-outcome="fail"]');
    await page.waitForSelector('#detail:not([hidden])');
    const text = (await page.textContent('#detail'))!;
    expect(text).toContain('Streaming responses are text/event-stream');
    expect(text).toContain('The server MUST respond with Content-Type: text/event-stream');
    expect(text).toContain('application/x-ndjson');
    expect(await page.locator('#detail .spec-refs a').first().getAttribute('href')).toMatch(/^https:\/\/a2a-protocol\.org\/v0\.3\.0\//);
    expect(await page.locator('#detail .exchange').count()).toBe(1);
    expect(await page.textContent('#detail .exchange .method')).toBe('POST');
    expect(await page.locator('#detail .sse-event').count()).toBe(3);
    expect(await page.textContent('#detail .sse-event .t')).toBe('t+14 ms');
    expect(await page.textContent('#detail .sse-event .schema-error')).toContain('/result/status/state');
    expect(await page.evaluate(() => location.hash)).toMatch(/^#r=\d+$/);
    await page.screenshot({ path: '/tmp/report-detail.png' });
    // hostile message is shown verbatim as text
    await page.click('#detail-close');
    await page.click('.check-row[data-check-id="card.fields.required"] button.pill[data-outcome="fail"]');
    expect(await page.textContent('#detail-message')).toContain('</script><script>window.__pwned=2</script>');
    expect(await page.locator('#detail a[href^="javascript:"]').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#detail')).toBe(true);
  });

  it('restores filters and the open detail from the URL hash', async () => {
    const idx = sample.results.findIndex((r) => r.outcome === 'error');
    const { page } = await open(`${fileUrl}#outcome=warn&q=latency&r=${idx}`);
    expect((await visibleRows(page)).map((r) => r.id)).toEqual(['streaming.sse.first-event-latency']);
    expect(await page.isChecked('#filter-outcome-warn')).toBe(true);
    expect(await page.inputValue('#filter-search')).toBe('latency');
    expect(await page.textContent('#detail')).toContain('connect ECONNRESET 203.0.113.7:443');
  });

  it('stays usable at a narrow width', async () => {
    const { page } = await open(fileUrl, 420);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // the matrix scrolls inside its own box
    await page.click('.check-row[data-check-id="core.send.content-type"] button.pill[data-outcome="fail"]');
    const box = await page.locator('#detail').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(420);
  });

  it('handles ~5k results quickly (render once, filter by toggling hidden)', async () => {
    const t0 = Date.now();
    const { page } = await open(pathToFileURL(bigFile).href);
    const loadMs = Date.now() - t0;
    const cells = await page.locator('#matrix button.pill').count();
    expect(cells).toBeGreaterThan(5000);
    // time the filter itself plus the two frames that render it (Playwright's click adds its own waits)
    const filterMs = await page.evaluate(() => new Promise<number>((done) => {
      const t = performance.now();
      (document.getElementById('filter-outcome-error') as HTMLInputElement).click();
      requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
    }));
    expect(await page.evaluate(() => location.hash)).toBe('#outcome=error');
    const rows = await visibleRows(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.outcomes.includes('error'))).toBe(true);
    expect(loadMs, `load took ${loadMs} ms`).toBeLessThan(4000);
    expect(filterMs, `filter took ${filterMs} ms`).toBeLessThan(1500);
  });
});
