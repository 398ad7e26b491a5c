/** createClient picks the adapter per version × binding and defaults to the schema facade. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent } from 'undici';

// The facade's implementation is built separately; replace the module so this test does not depend on it.
const validateWire = vi.fn((_profile: string, type: string) =>
  type === 'Task' ? [{ path: '/id', message: 'from facade', schema: 'x' }] : [],
);
vi.mock('../../src/schemas/validate.js', () => ({ validateWire }));

const { createClient } = await import('../../src/protocol/create-client.js');
const { createHttpSession } = await import('../../src/http/undici-session.js');
const { makeTarget, sendJson, startLoopback } = await import('../helpers/loopback-server.js');

let srv: Awaited<ReturnType<typeof startLoopback>>;
let dispatcher: Agent;
beforeAll(async () => {
  srv = await startLoopback((req, res) =>
    sendJson(res, 200, {
      jsonrpc: '2.0',
      id: (req.json as { id: unknown }).id,
      result: { id: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } },
    }),
  );
  dispatcher = new Agent();
});
afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});

describe('createClient', () => {
  it('builds each version × binding', () => {
    const target = makeTarget({ url: srv.url });
    const session = createHttpSession({ target, dispatcher, transcriptId: 't', checkId: 'c' });
    for (const version of ['0.3', '1.0'] as const) {
      for (const binding of ['jsonrpc', 'rest'] as const) {
        const c = createClient({ version, binding, url: srv.url, session, target });
        expect([c.version, c.binding, c.url]).toEqual([version, binding, srv.url]);
      }
    }
  });

  it('validates with the facade by default, with an injected validator otherwise', async () => {
    const target = makeTarget({ url: srv.url });
    const session = createHttpSession({ target, dispatcher, transcriptId: 't', checkId: 'c' });
    const r = await createClient({ version: '1.0', binding: 'jsonrpc', url: srv.url, session, target }).get('t');
    expect(validateWire).toHaveBeenCalledWith('1.0', 'Task', expect.objectContaining({ id: 't' }));
    expect(r.schemaErrors).toEqual([{ path: '/result/id', message: 'from facade', schema: 'x' }]);
    const injected = vi.fn(() => []);
    const r2 = await createClient({
      version: '1.0',
      binding: 'jsonrpc',
      url: srv.url,
      session,
      target,
      validate: injected,
    }).get('t');
    expect(injected).toHaveBeenCalled();
    expect(r2.schemaErrors).toEqual([]);
  });

  it(
    "declares the card's required extensions on every request unless the caller overrides or empties the " + 'header',
    async () => {
      const seen: (string | undefined)[] = [];
      const ext = await startLoopback((req, res) => {
        seen.push(req.headers['a2a-extensions'] as string | undefined);
        sendJson(res, 200, {
          jsonrpc: '2.0',
          id: (req.json as { id: unknown }).id,
          result: { id: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } },
        });
      });
      try {
        const target = makeTarget({ url: ext.url });
        const session = createHttpSession({ target, dispatcher, transcriptId: 't', checkId: 'c' });
        const c = createClient({
          version: '1.0',
          binding: 'jsonrpc',
          url: ext.url,
          session,
          target,
          extensions: ['urn:a2a:ext:required'],
        });
        await c.get('t');
        await c.get('t', { headers: { 'A2A-Extensions': 'urn:a2a:ext:other' } });
        await c.get('t', { headers: { 'A2A-Extensions': '' } });
        expect(seen).toEqual(['urn:a2a:ext:required', 'urn:a2a:ext:other', undefined]);
      } finally {
        await ext.close();
      }
    },
  );
});
