/** The harness's webhook receiver: routing, recording bounds, event-driven waits, the per-run hub, redaction. */
import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/http/redact.js';
import type { Transcript } from '../../src/http/types.js';
import { recordDelivery, redactDeliveryHeaders } from '../../src/webhook/record.js';
import {
  startWebhookReceiver,
  WEBHOOK_BODY_CAP,
  WEBHOOK_MAX_PER_ENDPOINT,
  WebhookHub,
  type WebhookReceiver,
} from '../../src/webhook/receiver.js';

const open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  open.push(r);
  return r;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('webhook receiver', () => {
  it('binds 127.0.0.1 on a free port and gives each endpoint its own URL, token and credentials', async () => {
    const r = await receiver();
    expect(r.listenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = r.endpoint();
    const b = r.endpoint();
    expect(a.url).toMatch(new RegExp(`^${r.listenUrl}/hooks/[0-9a-f-]{36}$`));
    expect(a.url).not.toBe(b.url);
    expect(a.token).not.toBe(b.token);
    expect(a.credentials).not.toBe(a.token);
  });

  it('records a POST (headers, JSON body, arrival time), answers 2xx, and routes it to its endpoint only', async () => {
    const r = await receiver();
    const a = r.endpoint();
    const b = r.endpoint();
    const before = Date.now();
    const res = await post(a.url, '{"statusUpdate":{"taskId":"t1"}}', {
      authorization: 'Bearer x',
      'X-A2A-Notification-Token': 'tok',
    });
    expect(res.status).toBe(200);
    const [d] = a.deliveries();
    expect(d).toMatchObject({ seq: 1, method: 'POST', json: { statusUpdate: { taskId: 't1' } }, truncated: false });
    expect(d!.headers.authorization).toBe('Bearer x');
    expect(d!.headers['x-a2a-notification-token']).toBe('tok');
    expect(d!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(b.deliveries()).toHaveLength(0);
  });

  it('keeps requests for unknown paths apart (unrouted) and still answers 2xx', async () => {
    const r = await receiver();
    const res = await post(`${r.listenUrl}/elsewhere`, '{}');
    expect(res.status).toBe(200);
    expect(r.unrouted()).toHaveLength(1);
  });

  it(
    'waitFor resolves on the first matching delivery, ' +
      'event-driven, and returns already received ones at ' +
      'once',
    async () => {
      const r = await receiver();
      const ep = r.endpoint();
      const waiting = ep.waitFor((d) => (d.json as { n?: number })?.n === 2, { timeoutMs: 5000 });
      await post(ep.url, '{"n":1}');
      const t0 = Date.now();
      await post(ep.url, '{"n":2}');
      const d = await waiting;
      expect(d?.seq).toBe(2);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await ep.waitFor((x) => x.seq === 1, { timeoutMs: 0 }))?.seq).toBe(1);
    },
  );

  it('waitFor gives undefined on timeout and on abort', async () => {
    const r = await receiver();
    const ep = r.endpoint();
    const t0 = Date.now();
    expect(await ep.waitFor(() => true, { timeoutMs: 80 })).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    const ac = new AbortController();
    const p = ep.waitFor(() => true, { timeoutMs: 10_000, signal: ac.signal });
    ac.abort();
    expect(await p).toBeUndefined();
  });

  it('bounds the body it keeps and the deliveries per endpoint', async () => {
    const r = await receiver();
    const ep = r.endpoint();
    await post(ep.url, 'x'.repeat(WEBHOOK_BODY_CAP + 1000));
    const [big] = ep.deliveries();
    expect(big!.truncated).toBe(true);
    expect(big!.bytes).toBe(WEBHOOK_BODY_CAP + 1000);
    expect(Buffer.byteLength(big!.body)).toBe(WEBHOOK_BODY_CAP);
    expect(big!.json).toBeUndefined();
    for (let i = 0; i < WEBHOOK_MAX_PER_ENDPOINT + 3; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, WEBHOOK_MAX_PER_ENDPOINT + 3 - i) }, () => post(ep.url, '{}')),
      );
    }
    expect(ep.deliveries()).toHaveLength(WEBHOOK_MAX_PER_ENDPOINT);
    expect(ep.dropped).toBe(4);
  }, 30_000);

  it('advertises publicUrl (what the agent is told) while listening locally', async () => {
    const r = await receiver();
    const ep = r.endpoint({ publicUrl: 'https://hooks.example.test/base/' });
    expect(ep.url).toMatch(/^https:\/\/hooks\.example\.test\/base\/hooks\/[0-9a-f-]{36}$/);
    // A reverse proxy that keeps the path still reaches the endpoint.
    await post(`${r.listenUrl}/base/hooks/${ep.id}`, '{}');
    expect(ep.deliveries()).toHaveLength(1);
  });

  it('closes: later requests are refused', async () => {
    const r = await startWebhookReceiver();
    const ep = r.endpoint();
    await r.close();
    await expect(post(ep.url, '{}')).rejects.toThrow();
  });
});

describe('webhook hub (one per run)', () => {
  it('starts lazily, shares one receiver per listen address, and closes all at the end', async () => {
    const hub = new WebhookHub();
    expect(hub.started).toBe(false);
    const [a, b] = await Promise.all([hub.receiver(), hub.receiver({})]);
    expect(a).toBe(b);
    expect(hub.started).toBe(true);
    const ep = a.endpoint();
    await hub.close();
    await expect(post(ep.url, '{}')).rejects.toThrow();
    await expect(hub.receiver()).rejects.toThrow(/closed/);
  });

  it('reports a receiver that cannot listen (the same error to every caller)', async () => {
    const taken = await receiver();
    const port = Number(new URL(taken.listenUrl).port);
    const hub = new WebhookHub();
    await expect(hub.receiver({ port })).rejects.toThrow(/EADDRINUSE/);
    await expect(hub.receiver({ port })).rejects.toThrow(/EADDRINUSE/);
    await hub.close();
  });
});

describe('delivery recording and redaction', () => {
  it('keeps the harness-generated credentials, removes target secrets, and hides foreign credentials', async () => {
    const redact = createRedactor(['target-secret-123']);
    const ours = ['a2a-conformance-cred-abc'];
    const h = redactDeliveryHeaders(
      {
        Authorization: 'Bearer a2a-conformance-cred-abc',
        'X-A2A-Notification-Token': 'someone-elses-token',
        'X-Echo': 'prefix target-secret-123 suffix',
        'Content-Type': 'application/json',
      },
      redact,
      ours,
    );
    expect(h.authorization).toBe('Bearer a2a-conformance-cred-abc');
    expect(h['x-a2a-notification-token']).toBe(REDACTED);
    expect(h['x-echo']).toBe(`prefix ${REDACTED} suffix`);
    expect(h['content-type']).toBe('application/json');
  });

  it('appends an inbound exchange to the check transcript', async () => {
    const r = await receiver();
    const transcript: Transcript = { id: 't', exchanges: [] };
    const redact = createRedactor(['target-secret-123']);
    const ep = r.endpoint({
      onDelivery: (d) => recordDelivery(transcript, d, { url: ep.url, redact, ours: [ep.token], startedAt: 5 }),
    });
    await post(ep.url, '{"leak":"target-secret-123"}', { 'x-a2a-notification-token': ep.token });
    expect(transcript.exchanges).toHaveLength(1);
    const x = transcript.exchanges[0]!;
    expect(x.label).toMatch(/webhook ← agent: POST delivery #1/);
    expect(x.request.headers['x-a2a-notification-token']).toBe(ep.token);
    expect(x.request.body?.text).toBe(`{"leak":"${REDACTED}"}`);
    expect(x.response?.status).toBe(200);
    ep.detach();
    await post(ep.url, '{}');
    expect(transcript.exchanges).toHaveLength(1);
    expect(ep.deliveries()).toHaveLength(2);
  });
});
