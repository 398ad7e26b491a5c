/** --shard i/n: deterministic, complete, disjoint, balanced, and a gateway never leaves its upstream. */
import { describe, expect, it } from 'vitest';
import type { ResolvedTarget } from '../../src/config/types.js';
import { parseShard, shardTargets, shardUnits, targetCost } from '../../src/runner/shard.js';

const t = (name: string, extra: Partial<ResolvedTarget> = {}): ResolvedTarget => ({
  name,
  url: `http://127.0.0.1:1/${name}`,
  cardUrl: `http://127.0.0.1:1/${name}/.well-known/agent-card.json`,
  headers: {},
  secrets: [],
  timeoutMs: 1000,
  checkTimeoutMs: 1000,
  streamIdleTimeoutMs: 1000,
  concurrency: 1,
  tags: [],
  triggers: {},
  specProfile: '1.0.1',
  expectedFailures: [],
  maxBodyBytes: 1024,
  source: { file: 'targets.yaml', line: 1, col: 1 },
  ...extra,
});

const fleet: ResolvedTarget[] = [
  t('a', { protocols: ['0.3', '1.0'] }),
  t('b', { protocols: ['0.3'] }),
  t('c', { protocols: ['1.0'], bindings: ['jsonrpc'] }),
  t('a-gw1', { upstream: 'a', protocols: ['0.3', '1.0'] }),
  t('a-gw2', { upstream: 'a' }),
  t('d'),
  t('e', { protocols: ['0.3'], bindings: ['rest'] }),
  ...Array.from({ length: 20 }, (_, i) =>
    t(`agent-${String(i).padStart(2, '0')}`, i % 3 ? {} : { protocols: ['0.3'] }),
  ),
];

describe('shardTargets', () => {
  it('parses i/n and rejects anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '1/4/2', ' '])
      expect(typeof parseShard(bad), bad).toBe('string');
  });

  it('splits every target into exactly one shard, for every n, and the same way every time', () => {
    for (let n = 1; n <= 9; n++) {
      const shards = Array.from({ length: n }, (_, i) => shardTargets(fleet, { index: i + 1, count: n }, 100));
      const all = shards.flat();
      expect(all.length, `n=${n}: no overlap`).toBe(new Set(all).size);
      expect(new Set(all), `n=${n}: union is the run`).toEqual(new Set(fleet.map((x) => x.name)));
      const again = Array.from({ length: n }, (_, i) => shardTargets(fleet, { index: i + 1, count: n }, 100));
      expect(again).toEqual(shards);
      // The file order does not matter either: every job of a CI matrix computes the same split.
      const reversed = [...fleet].reverse();
      const fromReversed = Array.from(
        { length: n },
        (_, i) => new Set(shardTargets(reversed, { index: i + 1, count: n }, 100)),
      );
      expect(fromReversed).toEqual(shards.map((s) => new Set(s)));
    }
  });

  it('keeps gateways with their upstream', () => {
    expect(
      shardUnits(fleet)
        .find((u) => u.some((x) => x.name === 'a'))!
        .map((x) => x.name),
    ).toEqual(['a', 'a-gw1', 'a-gw2']);
    for (let n = 2; n <= 6; n++)
      for (let i = 1; i <= n; i++) {
        const s = shardTargets(fleet, { index: i, count: n }, 10);
        expect(s.includes('a'), `n=${n} i=${i}`).toBe(s.includes('a-gw1'));
        expect(s.includes('a'), `n=${n} i=${i}`).toBe(s.includes('a-gw2'));
      }
  });

  it('balances by expected cost: no shard exceeds another by more than the largest unit', () => {
    const costOf = (names: string[]) =>
      names.reduce((sum, name) => sum + targetCost(fleet.find((x) => x.name === name)!, 100), 0);
    const largest = Math.max(...shardUnits(fleet).map((u) => u.reduce((s, x) => s + targetCost(x, 100), 0)));
    for (const n of [2, 3, 4, 8]) {
      const loads = Array.from({ length: n }, (_, i) => costOf(shardTargets(fleet, { index: i + 1, count: n }, 100)));
      expect(Math.max(...loads) - Math.min(...loads), `n=${n}: ${loads.join(' ')}`).toBeLessThanOrEqual(largest);
    }
  });

  it('leaves surplus shards empty rather than splitting a target', () => {
    const few = fleet.slice(0, 3);
    const shards = Array.from({ length: 5 }, (_, i) => shardTargets(few, { index: i + 1, count: 5 }, 10));
    expect(shards.filter((s) => s.length === 0)).toHaveLength(2);
    expect(shards.flat().sort()).toEqual(['a', 'b', 'c']);
  });
});
