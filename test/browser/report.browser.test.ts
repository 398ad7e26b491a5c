/**
 * report.html in a real headless Chromium (playwright-core + the system chromium). Without Chromium the file is
 * skipped with a loud notice on a developer machine and fails in CI (test/helpers/system-tools.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../src/reporters/html.js';
import { versionGrids } from '../../src/reporters/common.js';
import { mergeResults } from '../../src/cli/merge.js';
import { HOSTILE_NAME, buildLargeResults, buildSampleResults } from '../fixtures/results/sample.js';
import { CHROMIUM_TOOL, toolGate } from '../helpers/system-tools.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = '/tmp/report.png';
const GRID_SCREENSHOT = '/tmp/report-grid.png';

/** Chromium: skipped with a notice when missing, failing when missing in CI. */
const CHROMIUM = toolGate(CHROMIUM_TOOL);

/** The sample plus results of the `versions` suite (negotiation table). */
const sample = buildSampleResults({ negotiation: true });
/** Two runs with the same target names, as `merge` combines them for a vendor comparison. */
const merged = mergeResults([buildSampleResults(), sample]);
const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
const file = join(dir, 'report.html');
const bigFile = join(dir, 'big.html');
const mergedFile = join(dir, 'merged.html');
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

/** Visible rows of one target's version grid: scenario and flags (data-diff). */
const gridRows = (page: Page, target: string) =>
  page.$$eval(`.vgrid-card[data-target="${target}"] .vg-check`, (trs) =>
    trs
      .filter((tr) => !(tr as HTMLElement).hidden && !(tr.closest('.vgrid-card') as HTMLElement).hidden)
      .map((tr) => ({ scenario: (tr as HTMLElement).dataset.scenario!, diff: (tr as HTMLElement).dataset.diff ?? '' })),
  );

const visibleRows = (page: Page) =>
  page.$$eval('#matrix .check-row', (trs) =>
    trs
      .filter((tr) => !(tr as HTMLElement).hidden)
      .map((tr) => ({
        id: (tr as HTMLElement).dataset.checkId!,
        outcomes: ((tr as HTMLElement).dataset.outcomes ?? '').split(' '),
      })),
  );

beforeAll(async () => {
  if (CHROMIUM.skip) return;
  const exe = CHROMIUM.require();
  writeFileSync(file, renderHtml(sample));
  writeFileSync(bigFile, renderHtml(buildLargeResults(620)));
  writeFileSync(mergedFile, renderHtml(merged));
  browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') seen.problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
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
  expect(
    seen.requests.map(bare).filter((u) => u !== bare(page.url()) && u !== 'about:blank'),
    'no network requests besides the file',
  ).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(CHROMIUM.skip)('report.html in headless Chromium', () => {
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
    expect(await page.textContent('.target-card[data-target="ref-v1"] details.card-snapshot pre')).toContain(
      HOSTILE_NAME,
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(2);
    // rows use content-visibility:auto (skipped while off-screen): give the shot a viewport tall enough for all of it
    for (let i = 0; i < 2; i++) {
      // twice: rendered rows settle at their real height
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 1280, height: Math.min(height, 8000) });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
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
    await page.waitForFunction(() => !location.hash.includes('q=')); // the search applies after a 90 ms debounce
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
    expect(await page.locator('#detail .spec-refs a').first().getAttribute('href')).toMatch(
      /^https:\/\/a2a-protocol\.org\/v0\.3\.0\//,
    );
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
    const filterMs = await page.evaluate(
      () =>
        new Promise<number>((done) => {
          const t = performance.now();
          (document.getElementById('filter-outcome-error') as HTMLInputElement).click();
          requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)));
        }),
    );
    expect(await page.evaluate(() => location.hash)).toBe('#outcome=error');
    const rows = await visibleRows(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.outcomes.includes('error'))).toBe(true);
    expect(loadMs, `load took ${loadMs} ms`).toBeLessThan(4000);
    expect(filterMs, `filter took ${filterMs} ms`).toBeLessThan(1500);
    // this large: each version grid is built when it scrolls into view, then follows the active filters
    const grid = page.locator('.vgrid-card').first();
    expect(await grid.locator('.vg-check').count()).toBe(0);
    await grid.scrollIntoViewIfNeeded();
    await grid.locator('.vg-check').first().waitFor({ state: 'attached' });
    const gridRowsShown = await grid.locator('.vg-check:not([hidden])').count();
    expect(gridRowsShown).toBeGreaterThan(0);
    expect(gridRowsShown).toBeLessThan(await grid.locator('.vg-check').count());
    expect(
      await grid
        .locator('.vg-check:not([hidden])')
        .evaluateAll((trs) => trs.every((tr) => tr.querySelector('button.pill[data-outcome="error"]:not(.dim)'))),
    ).toBe(true);
  });

  it(
    'version grid: one per target, rows aligned by scenario, a regression row is marked (same flags as ' +
      'versionGrids())',
    async () => {
      const { page } = await open();
      expect(
        await page.$$eval('#versions-section .vgrid-card', (els) => els.map((e) => (e as HTMLElement).dataset.target)),
      ).toEqual(['ref-v1', 'gw-legacy']);
      // columns: A2A 0.3 and A2A 1.0, each with card/jsonrpc/rest, then the difference column
      const heads = await page.$$eval('.vgrid[data-target="gw-legacy"] .vg-hb [data-binding]', (els) =>
        els.map((e) => `${(e as HTMLElement).dataset.version} ${e.textContent}`),
      );
      expect(heads).toEqual(['0.3 card', '0.3 jsonrpc', '0.3 rest', '1.0 card', '1.0 jsonrpc', '1.0 rest']);
      // the regression: card.fields.required passes on 0.3 and fails on 1.0 (card column)
      const reg = page.locator('.vgrid[data-target="gw-legacy"] .vg-check.is-regression');
      expect(await reg.count()).toBe(1);
      expect(await reg.getAttribute('data-scenario')).toBe('card.fields');
      expect(await reg.locator('.flag-regression').textContent()).toBe('regression · card');
      expect(
        await reg.locator('button.pill').evaluateAll((ps) => ps.map((p) => (p as HTMLElement).dataset.outcome)),
      ).toEqual(['pass', 'fail']);
      expect(await page.locator('.vgrid[data-target="ref-v1"] .vg-check.is-regression').count()).toBe(0);
      expect(await page.textContent('.vgrid-card[data-target="gw-legacy"] [data-count="regression"]')).toBe(
        '1 regression',
      );
      expect(await page.textContent('.vgrid-card[data-target="gw-legacy"] [data-count="fixed"]')).toBe(
        '2 fixed in 1.0',
      );
      expect(await page.textContent('.vg-check[data-scenario="extensions.info"] .flag-only')).toBe('1.0 only');
      // the client derives exactly the flags the Markdown summary uses
      for (const g of versionGrids(sample)) {
        const rows = await gridRows(page, g.target);
        expect(rows.map((r) => r.scenario)).toEqual(g.rows.map((r) => r.scenario));
        const flags = (diff: string) =>
          diff
            .split(' ')
            .filter((k) => k === 'regression' || k === 'fixed' || k === 'only-failing')
            .sort()
            .join(' ');
        expect(
          rows.map((r) => flags(r.diff)),
          g.target,
        ).toEqual(
          g.rows.map((r) =>
            [...new Set(r.diffs.map((d) => d.kind as string)), ...(r.oneVersionFailure ? ['only-failing'] : [])]
              .sort()
              .join(' '),
          ),
        );
      }
      // a grid cell opens the same detail panel
      await reg.locator('button.pill[data-outcome="fail"]').click();
      await page.waitForSelector('#detail:not([hidden])');
      expect(await page.textContent('#detail .check-id')).toBe('card.fields.required');
      expect(await page.textContent('#detail')).toContain('A2A 1.0');
      await page.keyboard.press('Escape');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.locator('.vgrid-card[data-target="gw-legacy"]').scrollIntoViewIfNeeded();
      await page.locator('.vgrid-card[data-target="gw-legacy"]').screenshot({ path: GRID_SCREENSHOT });
    },
  );

  it('version grid follows the filters: rows shown, target, binding columns, search; kept in the hash', async () => {
    const { page } = await open();
    await page.selectOption('#vgrid-show', 'regression');
    expect(await gridRows(page, 'gw-legacy')).toEqual([{ scenario: 'card.fields', diff: 'regression' }]);
    expect(await gridRows(page, 'ref-v1')).toEqual([]);
    expect(await page.isVisible('.vgrid-card[data-target="ref-v1"] .empty')).toBe(true);
    expect(await page.evaluate(() => location.hash)).toBe('#grid=regression');
    await page.selectOption('#vgrid-show', 'diff');
    // differences: regressions, fixes, failing one-version checks (the failing 1.0-only negotiation checks)
    expect((await gridRows(page, 'gw-legacy')).map((r) => r.scenario)).toEqual([
      'card.fields',
      'core.send',
      'errors.unknown',
      'versions.header.accepted',
      'versions.header.unsupported',
      'versions.header.case-insensitive',
    ]);
    await page.selectOption('#filter-target', 'gw-legacy');
    expect(await page.isHidden('.vgrid-card[data-target="ref-v1"]')).toBe(true);
    await page.selectOption('#vgrid-show', '');
    await page.selectOption('#filter-binding', 'jsonrpc');
    const cols = await page.$$eval('.vgrid[data-target="gw-legacy"] .vg-hb [data-binding]', (els) =>
      els
        .filter((e) => !(e as HTMLElement).hidden)
        .map((e) => `${(e as HTMLElement).dataset.version} ${e.textContent}`),
    );
    expect(cols).toEqual(['0.3 jsonrpc', '1.0 jsonrpc']);
    expect((await gridRows(page, 'gw-legacy')).map((r) => r.scenario)).not.toContain('card.fields'); // card-only row
    await page.fill('#filter-search', 'ECONNRESET');
    await page.waitForFunction(() => location.hash.includes('q=ECONNRESET'));
    expect((await gridRows(page, 'gw-legacy')).map((r) => r.scenario)).toEqual(['errors.unknown']);
    // restored from the hash on load
    const { page: again } = await open(`${fileUrl}#grid=regression&target=gw-legacy`);
    expect(await again.inputValue('#vgrid-show')).toBe('regression');
    expect(await gridRows(again, 'gw-legacy')).toEqual([{ scenario: 'card.fields', diff: 'regression' }]);
    await again.click('#filter-reset');
    expect(await again.inputValue('#vgrid-show')).toBe('');
    expect((await gridRows(again, 'ref-v1')).length).toBeGreaterThan(10);
  });

  it(
    'negotiation table: per target, rows = versions checks, columns = binding, cell = outcome + message ' +
      '(hostile text inert)',
    async () => {
      const { page } = await open();
      expect(
        await page.$$eval('#negotiation .nego-card', (els) => els.map((e) => (e as HTMLElement).dataset.target)),
      ).toEqual(['ref-v1', 'gw-legacy']);
      const ref = page.locator('.nego-card[data-target="ref-v1"]');
      expect(await ref.locator('thead th').allTextContents()).toEqual(['Check', 'jsonrpc', 'rest']);
      expect(await ref.locator('tbody tr').count()).toBe(6);
      const row = ref.locator('tr[data-check-id="versions.header.unsupported"]');
      expect(await row.locator('td').first().textContent()).toContain('Unsupported A2A-Version 99.0 is rejected');
      expect(await row.locator('td[data-binding="jsonrpc"] .pill').textContent()).toBe('pass');
      expect(await row.locator('td[data-binding="jsonrpc"] .nego-msg').textContent()).toBe(
        'rejected: JSON-RPC error -32009 VersionNotSupportedError',
      );
      const hostile = page.locator(
        '.nego-card[data-target="gw-legacy"] tr[data-check-id="versions.header.unsupported"] ' +
          'td[data-binding="rest"] .nego-msg',
      );
      expect(await hostile.textContent()).toContain('</script><script>window.__pwned=2</script>');
      expect(await page.locator('#negotiation b, #negotiation script, #negotiation a').count()).toBe(0);
      await page
        .locator(
          '.nego-card[data-target="gw-legacy"] tr[data-check-id="versions.header.accepted"] ' +
            'td[data-binding="rest"] button.pill',
        )
        .click();
      await page.waitForSelector('#detail:not([hidden])');
      expect(await page.textContent('#detail-message')).toBe('HTTP 404 from the gateway <html>not found</html>');
      // no versions results, no section
      const { page: plain } = await open(pathToFileURL(bigFile).href);
      expect(await plain.locator('#negotiation-section').count()).toBe(0);
    },
  );

  it('a merged results file (same target names) renders as a cross-target comparison', async () => {
    const { page } = await open(pathToFileURL(mergedFile).href);
    const names = ['ref-v1', 'gw-legacy', 'ref-v1#2', 'gw-legacy#2'];
    expect(await page.$$eval('#matrix .h-target [data-target]', (els) => els.map((e) => e.textContent))).toEqual(names);
    expect(await page.locator('#matrix .h-cell .m-th').count()).toBe(24);
    expect(await page.locator('#matrix button.pill').count()).toBe(merged.results.length);
    expect(await page.$$eval('.target-card', (els) => els.map((e) => (e as HTMLElement).dataset.target))).toEqual(
      names,
    );
    expect(await page.$$eval('.vgrid-card', (els) => els.map((e) => (e as HTMLElement).dataset.target))).toEqual(names);
    expect(await page.$$eval('.nego-card', (els) => els.map((e) => (e as HTMLElement).dataset.target))).toEqual([
      'ref-v1#2',
      'gw-legacy#2',
    ]);
    // a renamed target filters through the hash, and its transcripts (re-keyed "1/…") resolve
    const { page: p2 } = await open(`${pathToFileURL(mergedFile).href}#target=${encodeURIComponent('gw-legacy#2')}`);
    expect(await p2.inputValue('#filter-target')).toBe('gw-legacy#2');
    expect(
      await p2.$$eval('#matrix .h-target [data-target]', (els) =>
        els.filter((e) => !(e as HTMLElement).hidden).map((e) => e.textContent),
      ),
    ).toEqual(['gw-legacy#2']);
    expect(
      await p2.$$eval('.vgrid-card', (els) =>
        els.filter((e) => !(e as HTMLElement).hidden).map((e) => (e as HTMLElement).dataset.target),
      ),
    ).toEqual(['gw-legacy#2']);
    await p2.click('.check-row[data-check-id="streaming.sse.content-type"] button.pill[data-outcome="fail"]:visible');
    await p2.waitForSelector('#detail:not([hidden])');
    expect(await p2.textContent('#detail')).toContain('Targetgw-legacy#2');
    expect(await p2.locator('#detail .transcript').getAttribute('data-transcript')).toMatch(/^1\/t\d+$/);
    expect(await p2.locator('#detail .transcript .err').count()).toBe(0);
    expect(await p2.locator('#detail .sse-event').count()).toBe(3);
  });
});
