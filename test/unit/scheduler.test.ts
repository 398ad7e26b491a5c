import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../suites/index.js';
import { createDispatcher } from '../../src/http/dispatcher.js';
import { createHttpSession } from '../../src/http/undici-session.js';
import { PriorityGate, gateChain } from '../../src/runner/gate.js';
import { checksInFlightCap, connectionCap, expectedCost, longestFirst } from '../../src/runner/schedule.js';
import { makeTarget } from '../helpers/loopback-server.js';

describe('PriorityGate', () => {
  it('admits up to its limit, then hands slots over in FIFO order', async () => {
    const g = new PriorityGate(2);
    const a = await g.acquire();
    const b = await g.acquire();
    const order: string[] = [];
    const c = g.acquire().then((r) => {
      order.push('c');
      return r;
    });
    const d = g.acquire().then((r) => {
      order.push('d');
      return r;
    });
    expect(g.inFlight).toBe(2);
    expect(g.waiting).toBe(2);
    a();
    a(); // a second release of the same slot is ignored
    const rc = await c;
    expect(order).toEqual(['c']);
    expect(g.inFlight).toBe(2);
    b();
    const rd = await d;
    expect(order).toEqual(['c', 'd']);
    rc();
    rd();
    expect(g.inFlight).toBe(0);
  });

  it('drops a waiter whose signal aborts, without taking a slot', async () => {
    const g = new PriorityGate(1);
    const a = await g.acquire();
    const ac = new AbortController();
    const waiting = g.acquire(ac.signal);
    ac.abort(new Error('check timeout'));
    await expect(waiting).rejects.toThrow('check timeout');
    expect(g.waiting).toBe(0);
    a();
    expect(g.inFlight).toBe(0);
    await expect(g.acquire(ac.signal)).rejects.toThrow('check timeout');
  });

  it('serves higher-priority waiters first, FIFO within a priority', async () => {
    const g = new PriorityGate(1);
    const held = await g.acquire();
    const order: string[] = [];
    const take = (name: string, priority: number) =>
      g.acquire(undefined, priority).then((release) => {
        order.push(name);
        release();
      });
    const all = [take('quick-1', 0), take('quick-2', 0), take('racing-1', 100), take('racing-2', 100), take('t', 2)];
    held();
    await Promise.all(all);
    expect(order).toEqual(['racing-1', 'racing-2', 't', 'quick-1', 'quick-2']);
  });

  it('chains gates in order and releases every slot it took', async () => {
    const target = new PriorityGate(1);
    const run = new PriorityGate(1);
    const chain = gateChain(target, run);
    const r = await chain.acquire();
    expect([target.inFlight, run.inFlight]).toEqual([1, 1]);
    // The run-wide slot is busy: a second chained acquire takes the target slot only after the first releases.
    const ac = new AbortController();
    const pending = chain.acquire(ac.signal);
    r();
    const r2 = await pending;
    expect([target.inFlight, run.inFlight]).toEqual([1, 1]);
    r2();
    expect([target.inFlight, run.inFlight]).toEqual([0, 0]);
  });
});

describe('schedule', () => {
  it('ranks checks by the triggers they need: slow first, then task, then the rest', () => {
    const slow = ALL_CHECKS.find((c) => c.requires?.triggers?.includes('slow'))!;
    const task = ALL_CHECKS.find(
      (c) => c.requires?.triggers?.includes('task') && !c.requires.triggers.includes('slow'),
    )!;
    const plain = ALL_CHECKS.find((c) => !c.requires?.triggers?.length)!;
    expect(expectedCost(slow)).toBeGreaterThan(expectedCost(task));
    expect(expectedCost(task)).toBeGreaterThan(expectedCost(plain));
    const ordered = longestFirst(ALL_CHECKS.map((check) => ({ check })));
    const costs = ordered.map((t) => expectedCost(t.check));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    // Stable: equal costs keep the catalogue order.
    const plainIds = ALL_CHECKS.filter((c) => expectedCost(c) === 0).map((c) => c.id);
    expect(ordered.filter((t) => expectedCost(t.check) === 0).map((t) => t.check.id)).toEqual(plainIds);
  });

  it('derives a hard cap on checks in flight and on connections from the request limit', () => {
    expect(checksInFlightCap(8)).toBe(64);
    expect(checksInFlightCap(1)).toBe(16);
    expect(checksInFlightCap(64)).toBe(128);
    expect(connectionCap(8)).toBe(72);
  });
});

describe('HttpSession with a request gate', () => {
  let server: ReturnType<typeof createServer>;
  let url = '';
  let active = 0;
  let maxActive = 0;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"n":1}\n\n');
        setTimeout(() => res.end('data: {"n":2}\n\n'), 150);
        return;
      }
      active++;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('bounds plain requests in flight, and a stream holds its slot only until its headers arrive', async () => {
    const target = makeTarget({ url, concurrency: 2 });
    const dispatcher = createDispatcher(target, connectionCap(2));
    const gate = new PriorityGate(2);
    const session = createHttpSession({ target, dispatcher, transcriptId: 't', checkId: 'c', gate });
    try {
      // Two streams open first: once their headers are in, both slots are free again although they are still open.
      const streams = [0, 1].map(() => session.sse({ method: 'GET', url: `${url}/stream`, label: 'stream' }));
      await Promise.all(streams.map((s) => s.started));
      expect(gate.inFlight).toBe(0);
      maxActive = 0;
      const replies = await Promise.all(
        Array.from({ length: 6 }, (_, i) => session.request({ method: 'GET', url: `${url}/r${i}`, label: `r${i}` })),
      );
      expect(replies.every((r) => r.status === 200)).toBe(true);
      expect(maxActive).toBe(2);
      const done = await Promise.all(streams.map((s) => s.done));
      expect(done.map((d) => d.events.length)).toEqual([2, 2]);
      expect(gate.inFlight).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });
});
