/**
 * extensions.version.no-fallback: a client requesting a version of a declared extension that the agent does not
 * support (topics/extensions, both versions: "client requests /v2 but the agent only supports /v1"; 1.0 §4.6.3). The
 * agent SHOULD ignore it and proceed, unless the extension is required (1.0: MUST return an error; 0.3: the required
 * extension was not requested, which SHOULD be rejected), and MUST NOT fall back to another version. The harness
 * names the unsupported version from the declared URI's version token (src/protocol/extension-uri.ts); what is
 * observable of a fallback is the activated extensions the answer lists: the extensions response header and the
 * `extensions` of the agent's message and artifacts.
 */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Level, ProtocolVersion } from '../../src/core/types.js';
import type { Reply } from '../../src/protocol/client.js';
import { sameExtension, unlistedVersion, versionedUri } from '../../src/protocol/extension-uri.js';
import type { SendResult } from '../../src/protocol/model.js';
import { describeError, describeReply } from '../lib/expect-error.js';
import { ordinaryMessage } from '../lib/tasks.js';
import { declared, echoed, EXTENSIONS_HEADER, requiredUris } from './checks.js';

/**
 * How a request naming only an unsupported version of a required extension must be answered, per version: 1.0
 * §4.6.3 "the agent MUST return an error indicating unsupported extension"; 0.3 topics/extensions only says a request
 * that does not activate a required extension should be rejected.
 */
const REQUIRED_MISMATCH: Record<ProtocolVersion, Level> = { '0.3': 'SHOULD', '1.0': 'MUST' };

/** Extension URIs an answer lists as activated: the version's response header, and agent message/artifacts. */
function activatedIn(r: Reply<SendResult>, version: ProtocolVersion): string[] {
  const out = new Set(echoed(r, version).own ?? []);
  if (r.ok) {
    const v = r.value;
    const lists =
      v.kind === 'message'
        ? [v.message.extensions]
        : [v.task.status.message?.extensions, ...(v.task.artifacts ?? []).map((a) => a.extensions)];
    for (const l of lists.slice(0, 64)) for (const u of (l ?? []).slice(0, 64)) out.add(u);
  }
  return [...out];
}

function send(ctx: CheckContext, uris: string[], label: string): Promise<Reply<SendResult>> {
  return ctx.client.send(ordinaryMessage(ctx), {
    headers: { [EXTENSIONS_HEADER[ctx.version]]: uris.join(',') },
    label,
  });
}

export const noFallback = suite.check({
  id: 'extensions.version.no-fallback',
  level: 'MUST',
  title: 'Requesting an unsupported version of a declared extension never activates another version',
  requirement:
    'If a client requests a version of an extension that the agent does not support, the agent SHOULD ignore ' +
    'the extension for that interaction and proceed without it, unless the extension is marked as required in ' +
    'the AgentCard, in which case the agent MUST return an error indicating unsupported extension. It MUST NOT ' +
    'fall back to a previous version of the extension automatically.',
  stance:
    'The unsupported version is the declared URI with the next major version in its version token (`…/v1` → ' +
    '`…/v2`, a version the card does not list); a card whose extension URIs carry no version skips (§4.6.3 ' +
    'SHOULD include one). A fallback is seen when the answer lists another version of that extension as ' +
    'activated (extensions header, message or artifact `extensions`); when the agent shows no activation even ' +
    'for the declared version itself (control request), a fallback would be invisible and the check is ' +
    'untestable. Listing the requested unlisted version is only noted (the agent may support it undeclared). ' +
    'For a required extension, 1.0 demands an error (MUST); 0.3 only says a request without the required ' +
    'extension should be rejected (SHOULD).',
  specRefs: {
    '0.3': [{ section: '5.5.2.1', req: 'S03-x16', note: 'extension versioning: topics/extensions' }],
    '1.0': [{ section: '4.6.3', req: 'S10-x21' }],
  },
  async run(ctx) {
    const exts = declared(ctx);
    if (exts.length === 0) return ctx.skip('the card declares no extensions');
    const target = exts.find((e) => versionedUri(e.uri));
    if (!target)
      return ctx.skip(
        'no declared extension carries a version in its URI (§4.6.3: SHOULD), so there is no other version to ' +
          'request or fall back to',
      );
    const other = unlistedVersion(
      target.uri,
      exts.map((e) => e.uri),
    );
    if (!other) return ctx.untestable(`no unlisted version of ${target.uri} could be named`);
    const required = exts.some((e) => e.required && sameExtension(e.uri, target.uri));
    const others = requiredUris(ctx).filter((u) => !sameExtension(u, target.uri));
    const r = await send(
      ctx,
      [...others, other],
      `send activating ${other}, a version of the declared ${target.uri} the card does not list`,
    );
    const header = EXTENSIONS_HEADER[ctx.version];
    if (!r.ok) {
      if (required) ctx.note(`rejected as the required extension demands: ${describeError(r.error)}`);
      else
        ctx.violatedAt(
          'SHOULD',
          `a request naming an unsupported version (${other}) failed: ${describeError(r.error)}`,
          {
            expected: 'success, the unsupported version ignored',
            actual: describeError(r.error),
          },
        );
      return;
    }
    const activated = activatedIn(r, ctx.version);
    const fellBack = activated.filter((u) => u !== other && sameExtension(u, target.uri));
    for (const u of fellBack)
      ctx.violated(`asked for ${other}, the agent activated ${u} instead (a fallback to another version)`, {
        expected: `no version of the extension other than ${other} activated`,
        actual: activated,
      });
    if (activated.includes(other)) ctx.note(`the answer lists the requested ${other} as activated (undeclared)`);
    if (required) {
      ctx.violatedAt(
        REQUIRED_MISMATCH[ctx.version],
        `the card marks ${target.uri} required, yet a request naming only ${other} was served`,
        { expected: 'an error indicating the unsupported extension', actual: describeReply(r) },
      );
      return;
    }
    if (fellBack.length) return;
    const control = await send(ctx, [...others, target.uri], `control: send activating the declared ${target.uri}`);
    if (!control.ok)
      return ctx.untestable(
        `the control request activating the declared ${target.uri} failed (${describeError(control.error)}); ` +
          'whether a fallback would show cannot be told',
      );
    if (!activatedIn(control, ctx.version).includes(target.uri))
      return ctx.untestable(
        `the agent shows no activation even of the declared ${target.uri} when it is requested (no ${header} ` +
          'header naming it, no message or artifact extensions): a fallback would not be visible; see ' +
          'extensions.declared.echoed',
      );
    ctx.note(
      `${other}: activated ${activated.length ? activated.join(', ') : 'nothing'}; the declared ${target.uri} is ` +
        'listed when it is the one requested',
    );
  },
});
