/** Depth-bounded JSON from targets, bounded record copies, and the writer/reporters that survive odd data. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEPTH_MARKER,
  MAX_JSON_DEPTH,
  boundDepth,
  cutDeepJson,
  parseBoundedJson,
  previewJson,
} from '../../src/core/bounded-json.js';
import { termSafe } from '../../src/cli/progress.js';
import { fallbackReport, writeReports } from '../../src/reporters/index.js';
import { stringifyResults } from '../../src/results/writer.js';
import { parseXml } from '../fixtures/junit/mini-xml.js';
import { buildSampleResults } from '../fixtures/results/sample.js';

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

function depthOf(v: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x && typeof x === 'object') {
      max = Math.max(max, d + 1);
      for (const c of Object.values(x)) stack.push([c, d + 1]);
    }
  }
  return max;
}

describe('parseBoundedJson', () => {
  it('parses ordinary JSON unchanged', () => {
    const text = JSON.stringify({ a: [1, { b: 'x]}' }], c: '\\"[' });
    expect(parseBoundedJson(text)).toEqual({ json: JSON.parse(text), cut: 0 });
  });

  it('cuts every subtree deeper than the bound, so serialising the value cannot overflow the stack', () => {
    const r = parseBoundedJson(`{"skills":${deep(100_000)},"name":"x","caps":{"x":${deep(100_000)}}}`);
    expect(r.error).toBeUndefined();
    expect(r.cut).toBe(2);
    const v = r.json as { name: string; skills: unknown };
    expect(v.name).toBe('x');
    expect(depthOf(v)).toBe(MAX_JSON_DEPTH);
    expect(JSON.stringify(v)).toContain(DEPTH_MARKER);
  });

  it('keeps exactly MAX_JSON_DEPTH levels and ignores brackets inside strings', () => {
    expect(parseBoundedJson(deep(MAX_JSON_DEPTH)).cut).toBe(0);
    expect(parseBoundedJson(deep(MAX_JSON_DEPTH + 1)).cut).toBe(1);
    const inString = `["${'['.repeat(1000)}"]`;
    expect(parseBoundedJson(inString)).toEqual({ json: ['['.repeat(1000)], cut: 0 });
    expect(cutDeepJson('["\\"[[[["]', 2)).toMatchObject({ cut: 0, unbalanced: false });
  });

  it('does not parse a document that ends inside an over-deep subtree (8 MiB of "[" is refused at once)', () => {
    const t0 = Date.now();
    const r = parseBoundedJson('['.repeat(8 * 1024 * 1024));
    expect(r.json).toBeUndefined();
    expect(r.error).toMatch(/nested deeper than 64 levels and never closed/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('reports malformed JSON as an error, never throws', () => {
    expect(parseBoundedJson('{"a":').error).toBeTruthy();
    expect(parseBoundedJson('\u0000\uffff').error).toBeTruthy();
  });

  it('keeps __proto__ as a plain key (no prototype change)', () => {
    const r = parseBoundedJson('{"__proto__":{"polluted":1},"a":{"__proto__":{"x":1}}}');
    const v = r.json as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('boundDepth and previewJson', () => {
  it('boundDepth cuts a value in place, iteratively', () => {
    let v: unknown = 1;
    for (let i = 0; i < 200_000; i++) v = [v];
    const r = boundDepth(v, 10);
    expect(r.cut).toBe(1);
    expect(depthOf(r.value)).toBe(10);
    expect(() => JSON.stringify(r.value)).not.toThrow();
  });

  it('previewJson keeps a bounded copy: items, keys, strings and depth, each cut saying so', () => {
    const card = {
      name: 'n'.repeat(10_000),
      skills: Array.from({ length: 10_000 }, (_, i) => ({ id: `s${i}` })),
      many: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])),
    };
    const p = previewJson(card) as { name: string; skills: unknown[]; many: Record<string, unknown> };
    expect(p.skills).toHaveLength(101);
    expect(p.skills[100]).toBe('«… 9900 more items not recorded»');
    expect(p.name.length).toBeLessThan(4200);
    expect(p.name).toMatch(/«… 5904 more characters»$/);
    expect(Object.keys(p.many)).toHaveLength(201);
    expect(card.skills).toHaveLength(10_000); // the input is untouched
    const proto = previewJson(JSON.parse('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});

describe('results writer and reporters on odd data', () => {
  it('stringifyResults survives a value too deep for JSON.stringify', () => {
    const results = buildSampleResults();
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = { v };
    results.targets[0]!.cards.push({ requestedVersion: 'default', card: v });
    expect(() => JSON.stringify(results)).toThrow(RangeError);
    const text = stringifyResults(results);
    expect(JSON.parse(text).targets[0].cards.at(-1).card).toBeTruthy();
    expect(text).toContain(DEPTH_MARKER);
  });

  it('one reporter failing does not stop the others; its file is a well-formed stand-in', async () => {
    const results = buildSampleResults();
    // A getter that throws the second time it is read: results.json (first) renders, the reporters after it fail.
    let reads = 0;
    Object.defineProperty(results, 'results', {
      enumerable: true,
      get() {
        reads++;
        if (reads > 1) throw new Error('odd <data> & "quotes"');
        return [];
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'reporters-isolated-'));
    const { files, errors } = await writeReports(results, dir);
    expect(files).toHaveLength(5);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).results).toEqual([]);
    expect(() => parseXml(readFileSync(join(dir, 'junit.xml'), 'utf8'))).not.toThrow();
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('odd &lt;data&gt; &amp; &quot;quotes&quot;');
    const ctrf = JSON.parse(readFileSync(join(dir, 'ctrf.json'), 'utf8'));
    expect(ctrf.results.summary.failed).toBe(1);
  });

  it('fallback reports escape and drop characters XML cannot hold', () => {
    const xml = fallbackReport('junit.xml', 'bad \u0000\u001b[31m ]]> <x> \ud800');
    expect(() => parseXml(xml)).not.toThrow();
    expect(fallbackReport('summary.md', '`*_|')).toContain('\\`\\*\\_\\|');
  });
});

describe('termSafe', () => {
  it('shows controls, escapes and bidi characters as \\u escapes; keeps text and tabs', () => {
    expect(termSafe('ok\tgo \u001b[31mred\u001b[0m \u0007 \u009b \u202eevil\u2066 line\nforged')).toBe(
      'ok\tgo \\u001b[31mred\\u001b[0m \\u0007 \\u009b \\u202eevil\\u2066 line\\u000aforged',
    );
  });
});

describe('card signature payloads with hostile keys', () => {
  it('a "__proto__" member stays a member in every payload form (never the prototype of a copy)', async () => {
    const { payloadForms } = await import('../../src/discovery/card-signatures.js');
    const card = JSON.parse(
      '{"name":"n","__proto__":{"x":"1"},"capabilities":{"__proto__":{"y":"2"},"streaming":true}}',
    );
    const forms = payloadForms(card);
    expect(forms.length).toBeGreaterThan(0);
    for (const f of forms) {
      expect(f.payload, f.form).toContain('"__proto__":{"x":"1"}');
      expect(f.payload, f.form).toContain('"__proto__":{"y":"2"}');
    }
  });
});

describe('memory guard', () => {
  it('collects garbage while a run is in progress, and relieveMemory() does nothing outside a run', async () => {
    const { relieveMemory, startMemoryGuard } = await import('../../src/core/memory-guard.js');
    const collected: string[] = [];
    const registry = new FinalizationRegistry<string>((tag) => collected.push(tag));
    const drop = (tag: string): void => {
      // A big object of old space (survives scavenges of the young generation) registered, then dropped.
      const big = { data: new Array(200_000).fill(tag) };
      registry.register(big, tag);
    };
    drop('outside');
    relieveMemory(); // no guard started: no collection
    await new Promise((r) => setTimeout(r, 50));
    expect(collected).toEqual([]);
    const stop = startMemoryGuard(0.001);
    try {
      drop('inside');
      const t0 = Date.now();
      while (!collected.includes('inside') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      expect(collected).toContain('inside');
    } finally {
      stop();
    }
  });

  it('relieveMemory() collects only once the heap grew by RELIEVE_MIN_GROWTH_MB since the last one', async () => {
    const { relieveMemory, startMemoryGuard, RELIEVE_MIN_GROWTH_MB } = await import('../../src/core/memory-guard.js');
    const collected: string[] = [];
    const registry = new FinalizationRegistry<string>((tag) => collected.push(tag));
    const settle = () => new Promise((r) => setTimeout(r, 50));
    // Large arrays live in large-object space: only a full collection frees them.
    const drop = (tag: string, mb: number): void => {
      const big = { data: new Array(Math.round((mb * 1024 * 1024) / 8)).fill(0.5) };
      registry.register(big, tag);
    };
    const stop = startMemoryGuard(1e6); // the guard's own timer never collects at this limit
    try {
      drop('first', 2 * RELIEVE_MIN_GROWTH_MB);
      relieveMemory();
      await settle();
      expect(collected).toContain('first');
      drop('small', 1);
      relieveMemory(); // the heap grew by about 1 MB: not worth a full collection
      await settle();
      expect(collected).not.toContain('small');
      drop('big', 2 * RELIEVE_MIN_GROWTH_MB);
      relieveMemory();
      await settle();
      expect(collected).toEqual(expect.arrayContaining(['small', 'big']));
    } finally {
      stop();
    }
  });
});
