/**
 * Suite "extensions": activating extensions with the extensions service parameter (0.3 topics/extensions,
 * 1.0 §3.2.6, §4.6, §3.3.4). Binding-scoped, both versions. The header name per version is data (EXTENSIONS_HEADER).
 * The reference agents declare no extension: the declared/required checks are made applicable by faults that add
 * extensions to the card (test/faults/extensions.ts).
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { ProtocolVersion } from '../../src/core/types.js';
import type { Reply } from '../../src/protocol/client.js';
import { describeError, describeReply, expectAnyError } from '../lib/expect-error.js';
import { judgeA2AError } from '../lib/probe.js';
import { ordinaryMessage } from '../lib/tasks.js';
import { EXTENSIONS_HEADER } from '../../src/protocol/headers.js';

/** Request (and response) header carrying extension URIs, per version: 0.3 topics/extensions, 1.0 §3.2.6. */
export { EXTENSIONS_HEADER };

/** An extension URI no agent declares. */
export const UNKNOWN_EXTENSION = 'https://conformance.a2a-harness.invalid/extensions/unknown/v1';

export const declared = (ctx: CheckContext) => ctx.card.capabilities.extensions.filter((e) => e.uri);
export const requiredUris = (ctx: CheckContext) =>
  declared(ctx)
    .filter((e) => e.required)
    .map((e) => e.uri);

/**
 * Send an ordinary message activating `uris` plus the card's required extensions (comma-separated in one header
 * field, §9.2/§11.2), so the probe is not rejected for a missing required extension.
 */
function sendWith(ctx: CheckContext, uris: string[], label: string): Promise<Reply<unknown>> {
  const all = [...new Set([...requiredUris(ctx), ...uris])];
  return ctx.client.send(ordinaryMessage(ctx), {
    headers: all.length ? { [EXTENSIONS_HEADER[ctx.version]]: all.join(',') } : {},
    label,
  });
}

/** The client declares required extensions by default: these checks must send none. */
const WITHOUT_EXTENSIONS = (ctx: CheckContext) => ({ [EXTENSIONS_HEADER[ctx.version]]: '' });

/** URIs listed in a response's extensions header (either spelling, split on commas). */
export function echoed(r: Reply<unknown>, version: ProtocolVersion): { own?: string[]; other?: string[] } {
  const h = r.exchange.response?.headers ?? {};
  const other = (Object.keys(EXTENSIONS_HEADER) as ProtocolVersion[]).find((v) => v !== version)!;
  const split = (v: string | undefined) =>
    v === undefined
      ? undefined
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return {
    own: split(h[EXTENSIONS_HEADER[version].toLowerCase()]),
    other: split(h[EXTENSIONS_HEADER[other].toLowerCase()]),
  };
}

const REFS = {
  '0.3': [{ section: '5.5.2.1', req: 'S03-36', note: 'activation and echo: topics/extensions' }],
  '1.0': [
    { section: '4.6.3', req: 'S10-45' },
    { section: '3.2.6', req: 'S10-45' },
  ],
};

export const unknownIgnored = suite.check({
  id: 'extensions.unknown.ignored',
  level: 'SHOULD',
  title: 'Requesting an extension the agent does not support is ignored, not an error',
  requirement:
    'If a client requests an extension the agent does not support, the agent SHOULD ignore it for that ' +
    'interaction and proceed without it (unless it is a required one).',
  specRefs: REFS,
  async run(ctx) {
    const required = requiredUris(ctx);
    const r = await sendWith(
      ctx,
      [UNKNOWN_EXTENSION, ...required],
      `send activating an unknown extension${required.length ? ' (plus the required ones)' : ''}`,
    );
    if (required.length && !r.ok && r.error.name === 'ExtensionSupportRequired')
      return ctx.untestable(
        `the agent demands extensions even when the required ones are requested (${describeError(r.error)})`,
      );
    ctx.expect(r.ok, `a request activating the unknown extension ${UNKNOWN_EXTENSION} failed: ${describeReply(r)}`, {
      expected: 'success, the extension ignored',
      actual: describeReply(r),
    });
    if (r.ok) {
      const e = echoed(r, ctx.version);
      if (e.own?.includes(UNKNOWN_EXTENSION))
        ctx.violated(
          `the response claims the unknown extension is active (${EXTENSIONS_HEADER[ctx.version]}: ` +
            `${e.own.join(', ')})`,
          { expected: `${UNKNOWN_EXTENSION} not listed`, actual: e.own },
        );
    }
  },
});

export const declaredEchoed = suite.check({
  id: 'extensions.declared.echoed',
  level: 'SHOULD',
  title: 'Activated extensions are echoed in the response header',
  requirement:
    'When the client requests extensions the card declares, the response SHOULD carry the extensions header ' +
    '(0.3 X-A2A-Extensions, 1.0 A2A-Extensions) listing the ones activated.',
  stance:
    'Which requested extensions an agent activates is not visible from outside: a header listing a subset is ' +
    'accepted; a response without the header is a warning (SHOULD).',
  specRefs: {
    ...REFS,
    '1.0': [
      { section: '4.6.3', req: 'S10-45', note: 'the echo SHOULD is in topics/extensions' },
      { section: '3.2.6', req: 'S10-45' },
    ],
  },
  async run(ctx) {
    const uris = declared(ctx).map((e) => e.uri);
    if (uris.length === 0) return ctx.skip('the card declares no extensions');
    const header = EXTENSIONS_HEADER[ctx.version];
    const r = await sendWith(ctx, uris, `send activating the declared extensions`);
    if (!r.ok)
      return ctx.untestable(
        `a request activating the declared extensions failed (${describeError(r.error)}); the extensions may ` +
          `need data the harness cannot provide`,
      );
    const e = echoed(r, ctx.version);
    if (e.own === undefined) {
      ctx.violated(
        `no ${header} response header after requesting ${uris.join(', ')}` +
          (e.other
            ? ` (found the other version's ${EXTENSIONS_HEADER[ctx.version === '1.0' ? '0.3' : '1.0']}: ` +
              `${e.other.join(', ')})`
            : ''),
        {
          expected: `${header}: <activated URIs>`,
          actual: e.other
            ? `${EXTENSIONS_HEADER[ctx.version === '1.0' ? '0.3' : '1.0']}: ${e.other.join(', ')}`
            : '(absent)',
        },
      );
      return;
    }
    const foreign = e.own.filter((u) => !uris.includes(u));
    ctx.expect(foreign.length === 0, `${header} lists extensions that were not requested: ${foreign.join(', ')}`, {
      expected: `a subset of ${uris.join(', ')}`,
      actual: e.own,
    });
    const missing = uris.filter((u) => !e.own!.includes(u));
    ctx.note(
      `${header}: ${e.own.join(', ') || '(empty)'}${missing.length ? ` (not activated: ${missing.join(', ')})` : ''}`,
    );
  },
});

export const requiredEnforced = suite.check({
  id: 'extensions.required.enforced',
  level: 'MUST',
  title: '1.0: a request without an extension the card marks required fails with ExtensionSupportRequired',
  requirement:
    'When the Agent Card marks an extension required: true and the client does not declare it, the agent ' +
    'MUST return ExtensionSupportRequiredError (JSON-RPC -32008, REST 400).',
  specRefs: {
    '1.0': [
      { section: '3.3.4', req: 'S10-24' },
      { section: '4.6.3', req: 'S10-45' },
      { section: '5.4', req: 'S10-38' },
    ],
  },
  async run(ctx) {
    const required = requiredUris(ctx);
    if (required.length === 0) return ctx.skip('the card marks no extension required');
    const r = await ctx.client.send(ordinaryMessage(ctx), {
      headers: WITHOUT_EXTENSIONS(ctx),
      label: 'send without the required extension',
    });
    judgeA2AError(ctx, r, 'ExtensionSupportRequired', `a request without ${required.join(', ')}`);
  },
});

export const requiredRejected03 = suite.check({
  id: 'extensions.required.rejected',
  level: 'SHOULD',
  title: '0.3: a request without an extension the card marks required is rejected',
  requirement:
    'If the Agent Card declares a required extension and the client does not request its activation, the ' +
    'agent should reject the request with an appropriate error (0.3 names no code).',
  specRefs: { '0.3': [{ section: '5.5.2.1', req: 'S03-36', note: 'required extensions: topics/extensions' }] },
  async run(ctx) {
    const required = requiredUris(ctx);
    if (required.length === 0) return ctx.skip('the card marks no extension required');
    const r = await ctx.client.send(ordinaryMessage(ctx), {
      headers: WITHOUT_EXTENSIONS(ctx),
      label: 'send without the required extension',
    });
    if (expectAnyError(ctx, r, `a request without ${required.join(', ')}`) && !r.ok)
      ctx.note(`rejected with ${describeError(r.error)}`);
  },
});
