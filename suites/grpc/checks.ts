/**
 * Suite "grpc": what only the gRPC binding has. Status codes per A2A error and ErrorInfo in status details are judged
 * by the errors suite on every binding (suites/lib/expect-error.ts holds the gRPC column per spec profile).
 * 0.3 §3.2.2, §3.3.2; 1.0 §10.1, §10.2, §10.6, §10.7.
 */
import { randomUUID } from 'node:crypto';
import type { CheckContext } from '../../src/checks/types.js';
import { parseGrpcUrl } from '../../src/grpc/endpoint.js';
import { isTransportError } from '../../src/http/transport-error.js';
import type { OperationName, Reply, StreamHandle } from '../../src/protocol/client.js';
import { describeError } from '../lib/expect-error.js';
import { judgeA2AError } from '../lib/probe.js';
import { ordinaryMessage } from '../lib/tasks.js';
import { suite } from './suite.js';

const probeTask = () => `conformance-grpc-${randomUUID()}`;

/** One cheap call per operation: unknown ids everywhere, so nothing is created but a TaskNotFound is provoked. */
async function callEach(ctx: CheckContext): Promise<{ op: OperationName; reply: Reply<unknown> }[]> {
  const id = probeTask();
  const c = ctx.client;
  const streamReply = async (h: StreamHandle): Promise<Reply<unknown>> => {
    const r = await h.done;
    return r.error
      ? { ok: false, error: r.error, exchange: r.exchange, schemaErrors: [] }
      : { ok: true, value: null, wire: null, exchange: r.exchange, schemaErrors: [] };
  };
  const calls: [OperationName, () => Promise<Reply<unknown>>][] = [
    ['send', () => c.send(ordinaryMessage(ctx), { label: 'SendMessage (method probe)' })],
    ['get', () => c.get(id, { label: 'GetTask of an unknown id (method probe)' })],
    ['cancel', () => c.cancel(id, { label: 'CancelTask of an unknown id (method probe)' })],
    ['subscribe', () => streamReply(c.subscribe(id, { label: 'subscribe to an unknown task (method probe)' }))],
    [
      'createPushConfig',
      () => c.createPushConfig(id, { url: 'https://push.invalid/a2a' }, { label: 'create push config (method probe)' }),
    ],
    ['getPushConfig', () => c.getPushConfig(id, 'cfg-1', { label: 'get push config (method probe)' })],
    ['listPushConfigs', () => c.listPushConfigs(id, { label: 'list push configs (method probe)' })],
    ['deletePushConfig', () => c.deletePushConfig(id, 'cfg-1', { label: 'delete push config (method probe)' })],
    ['extendedCard', () => c.extendedCard({ label: 'extended card (method probe)' })],
  ];
  if (ctx.version === '1.0') calls.push(['list', () => c.list({ pageSize: 1 }, { label: 'ListTasks (method probe)' })]);
  if (ctx.card.capabilities.streaming) {
    const h = () => streamReply(c.stream(ordinaryMessage(ctx), { label: 'SendStreamingMessage (method probe)' }));
    calls.push(['stream', h]);
  }
  return Promise.all(calls.map(async ([op, f]) => ({ op, reply: await f() })));
}

/** How gRPC servers word a call to a method or service they do not have (grpc-js, grpc-go, grpc-java, grpcio). */
const NO_SUCH_METHOD = /does not implement|unknown (method|service)|method not found|not implemented|unimplemented/i;

export const methodsServed = suite.check({
  id: 'grpc.service.methods',
  level: 'MUST',
  title: "Every method of the version's A2AService is served",
  requirement:
    'A gRPC interface MUST implement the A2AService of the normative proto: 0.3 `a2a.v1.A2AService`, 1.0 ' +
    '`lf.a2a.v1.A2AService`, every method under its proto name. A method answered with UNIMPLEMENTED and no ' +
    'ErrorInfo (the gRPC answer for a method or service the server does not have) is missing.',
  stance:
    'Push-notification methods of an agent whose card does not declare pushNotifications may be refused; an ' +
    'UNIMPLEMENTED without ErrorInfo there is only noted. Streaming methods are probed only when the card ' +
    'declares streaming. 0.3 errors carry no ErrorInfo and 0.3 SDKs map UnsupportedOperation to UNIMPLEMENTED, ' +
    'so on 0.3 only a status message saying the method does not exist counts as missing.',
  specRefs: {
    '0.3': [
      { section: '3.2.2', req: 'S03-34' },
      { section: '3.5.2', req: 'S03-34' },
    ],
    '1.0': [
      { section: '10.1', req: 'S10-42' },
      { section: '10.3', req: 'S10-42' },
    ],
  },
  async run(ctx) {
    const rows = await callEach(ctx);
    const push = new Set<OperationName>(['createPushConfig', 'getPushConfig', 'listPushConfigs', 'deletePushConfig']);
    let missing = 0;
    for (const { op, reply } of rows) {
      const method = ctx.client.describe(op);
      if (reply.ok) {
        ctx.note(`${method}: answered OK`);
        continue;
      }
      const e = reply.error;
      // 0.3 has no ErrorInfo, and its SDKs answer UnsupportedOperation with UNIMPLEMENTED: there only the message of
      // a gRPC server that has no such method tells.
      const absent =
        e.grpcStatus === 'UNIMPLEMENTED' &&
        e.identifiedBy !== 'error-info' &&
        (ctx.version === '1.0' || NO_SUCH_METHOD.test(e.message ?? ''));
      if (!absent) {
        ctx.note(`${method}: answered ${describeError(e)}`);
        continue;
      }
      if (push.has(op) && !ctx.card.capabilities.pushNotifications) {
        ctx.note(`${method}: UNIMPLEMENTED (push notifications are not declared)`);
        continue;
      }
      missing++;
      ctx.violated(`${method} is not served: UNIMPLEMENTED without ErrorInfo${e.message ? ` ("${e.message}")` : ''}`, {
        expected: `${method} implemented (any A2A answer)`,
        actual: describeError(e),
      });
    }
    if (!missing) ctx.note(`all ${rows.length} probed methods of ${ctx.client.describe('get').split('/')[0]} answer`);
  },
});

export const versionMetadata = suite.check({
  id: 'grpc.metadata.version',
  level: 'MUST',
  title: '1.0: A2A-Version is read from gRPC metadata',
  requirement:
    'Service parameters MUST be transmitted as gRPC metadata and implementations MUST extract them from it: a ' +
    'call with metadata `a2a-version: 99.0` fails with VersionNotSupported (gRPC status per spec profile, with ' +
    'ErrorInfo), while the same call with `a2a-version: 1.0` is processed.',
  specRefs: {
    '1.0': [
      { section: '10.2', req: 'S10-23' },
      { section: '3.6.2', req: 'S10-20' },
    ],
  },
  async run(ctx) {
    const id = probeTask();
    const ok = await ctx.client.get(id, { label: 'GetTask with a2a-version: 1.0' });
    ctx.expect(
      ok.ok || ok.error.name === 'TaskNotFound',
      `with a2a-version: 1.0 the call is not processed: ${ok.ok ? 'success' : describeError(ok.error)}`,
      { expected: 'TaskNotFound (the unknown id was looked up)', actual: ok.ok ? 'success' : describeError(ok.error) },
    );
    const bad = await ctx.client.get(id, {
      headers: { 'A2A-Version': '99.0' },
      label: 'GetTask with a2a-version: 99.0',
    });
    judgeA2AError(ctx, bad, 'VersionNotSupported', 'a call with metadata a2a-version: 99.0');
  },
});

export const streamEndsOk = suite.check({
  id: 'grpc.stream.ends-ok',
  level: 'MUST',
  title: 'A task stream ends with status OK after its terminal event',
  requirement:
    'Streaming uses server-streaming RPCs of StreamResponse: after the event carrying the terminal state the ' +
    'server completes the call with status OK (a non-OK status says the call failed).',
  specRefs: {
    '0.3': [{ section: '3.3.2', req: 'S03-34' }],
    '1.0': [
      { section: '10.7', req: 'S10-42' },
      { section: '3.1.2', req: 'S10-42' },
    ],
  },
  requires: { capabilities: ['streaming'], triggers: ['task'] },
  async run(ctx) {
    const r = await ctx.client.stream(ctx.trigger('task'), { label: 'SendStreamingMessage (`task` trigger)' }).done;
    const g = r.exchange.grpc;
    const last = r.events[r.events.length - 1];
    if (!last) return ctx.untestable(`the stream carried no event (${r.error ? describeError(r.error) : r.end})`);
    ctx.expect(
      !r.error && g?.status?.name === 'OK',
      `the stream ended with gRPC ${g?.status?.name ?? '(no status)'}` +
        `${g?.status?.message ? ` "${g.status.message}"` : ''} after ${r.events.length} event(s)`,
      { expected: 'status OK', actual: g?.status ?? r.end },
    );
  },
});

export const knownFields = suite.check({
  id: 'grpc.wire.known-fields',
  level: 'SHOULD',
  phase: 'post',
  title: "Responses use only fields of the version's proto",
  requirement:
    'gRPC messages MUST use the normative Protocol Buffers definition of the version: every field of every ' +
    'response message is one the proto defines (unknown field numbers mean another definition).',
  stance:
    'Proto3 readers skip unknown fields, so clients keep working; a newer minor version may add fields. Reported ' +
    'as a SHOULD: an unknown field in a response of a declared version means a different proto.',
  specRefs: {
    '0.3': [{ section: '3.2.2', req: 'S03-34' }],
    '1.0': [{ section: '10.1', req: 'S10-42' }],
  },
  async run(ctx) {
    const calls = ctx.cellExchanges().filter(({ exchange }) => exchange.grpc?.responses?.length);
    if (calls.length === 0) return ctx.skip('no gRPC response message was recorded in this cell');
    let seen = 0;
    for (const { checkId, exchange } of calls)
      for (const [i, m] of (exchange.grpc!.responses ?? []).entries()) {
        seen++;
        for (const u of m.unknownFields ?? [])
          ctx.violated(`[${checkId}] ${exchange.label}, message ${i}: unknown ${u}`, {
            path: u.split(':')[0],
            expected: `only fields of ${exchange.grpc!.method.split('/')[1]}`,
            actual: u,
          });
      }
    ctx.note(`${seen} response message(s) of ${calls.length} call(s) decoded`);
  },
});

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

export const cardUrl = suite.check({
  id: 'grpc.card.interface-url',
  scope: 'version',
  level: 'MUST',
  title: 'A declared gRPC interface has a URL a client can dial',
  requirement:
    'The url of a GRPC interface is an absolute URL (1.0.1: "a valid absolute HTTPS URL in production"; ' +
    'https/grpcs for TLS, http/grpc for plaintext) or, as the proto after 1.0.1 describes it, `host:port`.',
  stance:
    'The spec has changed its mind: 1.0.1 shows URLs (`https://grpc.example.com/a2a`), the later proto comment ' +
    '`hostname:port`. Both are accepted; a URL path is noted (gRPC routes by service and method only). Only a ' +
    'value that is neither fails.',
  specRefs: {
    '0.3': [{ section: '5.5.5', req: 'S03-34' }],
    '1.0': [
      { section: '4.4.6', req: 'S10-42' },
      { section: '10.1', req: 'S10-42' },
    ],
  },
  async run(ctx) {
    const ifaces = ctx.card.versionInterfaces.filter((i) => i.binding === 'grpc');
    if (ifaces.length === 0) return ctx.skip(`the card declares no gRPC interface for ${ctx.version}`);
    for (const i of ifaces) {
      const ep = parseGrpcUrl(i.url, ctx.target.url);
      const where = `${i.source}[${i.index}]`;
      if ('error' in ep) {
        ctx.violated(`${where} url "${i.url}": ${ep.error}`, {
          path: `/${i.source}/${i.index}/url`,
          expected: 'https://host[:port] (or http:// for plaintext) or host:port',
          actual: i.url,
        });
        continue;
      }
      ctx.note(
        `${where} ${i.url}: ${ep.form === 'url' ? 'URL form' : 'host:port form'}, dialled as ${ep.address} ` +
          `${ep.tls ? 'with TLS' : 'in plaintext'}${ep.path ? ` (path ${ep.path} plays no part in gRPC routing)` : ''}`,
      );
    }
  },
});

export const transportSecurity = suite.check({
  id: 'grpc.transport.tls',
  level: 'MUST',
  title: 'gRPC runs over TLS where declared (plaintext only for local test setups)',
  requirement:
    'gRPC transport MUST support TLS (gRPC over HTTP/2 with TLS): an interface declared with TLS (https/grpcs, or ' +
    'host:port on an https target) completes a TLS handshake; a plaintext interface on a non-loopback host breaks ' +
    'the TLS requirement.',
  stance:
    'A plaintext interface on a loopback address is a test setup and only noted; elsewhere it is a warning, ' +
    'since the agent may still offer TLS on another interface the card does not list.',
  specRefs: {
    '0.3': [{ section: '3.2.2', req: 'S03-34' }],
    '1.0': [{ section: '10.1', req: 'S10-42' }],
  },
  async run(ctx) {
    const ep = parseGrpcUrl(ctx.client.url, ctx.target.url);
    if ('error' in ep) return ctx.untestable(`the interface URL cannot be dialled: ${ep.error}`);
    const host = ep.address.replace(/:\d+$/, '');
    if (!ep.tls) {
      if (LOOPBACK.test(host)) return ctx.note(`plaintext gRPC on loopback ${ep.address} (test setup)`);
      ctx.ambiguous(
        `plaintext gRPC interface on ${ep.address}`,
        'the spec requires gRPC over TLS; the card declares this interface without it',
        { expected: 'https:// (TLS)', actual: ctx.client.url },
      );
      return;
    }
    try {
      const r = await ctx.client.get(probeTask(), { label: 'GetTask over TLS (handshake probe)' });
      ctx.note(`TLS handshake with ${ep.address} completed (${r.ok ? 'OK' : describeError(r.error)})`);
    } catch (e) {
      if (!isTransportError(e) || e.kind !== 'tls') throw e;
      ctx.violated(`TLS is declared for ${ep.address} but the handshake failed: ${e.message}`, {
        expected: 'a TLS handshake',
        actual: e.message,
      });
    }
  },
});
