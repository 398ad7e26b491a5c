/**
 * Faults for the "extensions" suite. The reference agents declare no extension, so the checks about declared and
 * required extensions only apply when the proxy adds one to the card. The SDK's own card then lacks it: the SDK
 * neither echoes nor enforces it, which is the fault. The baselines emulate an agent that does (ControlledFaultCase,
 * see errors.ts).
 */
import { EXTENSIONS_HEADER, UNKNOWN_EXTENSION } from '../../suites/extensions/checks.js';
import { sameExtension } from '../../src/protocol/extension-uri.js';
import type { FaultCase } from '../tools/fault-case.js';
import type { Fault, FaultContext } from '../tools/fault-proxy.js';
import { conformantError, type ControlledFaultCase } from './errors.js';
import { clone, isObj, requestInfo, type Obj } from './index.js';

const one = (id: string) => ({ kills: [id], grep: [id] });

export const ECHO_EXTENSION = 'https://conformance.a2a-harness.invalid/extensions/echo/v1';
export const REQUIRED_EXTENSION = 'https://conformance.a2a-harness.invalid/extensions/required/v1';

/** URIs the request activates (either header spelling). */
export const requested = (ctx: Pick<FaultContext, 'requestHeaders'>): string[] =>
  [ctx.requestHeaders['a2a-extensions'], ctx.requestHeaders['x-a2a-extensions']]
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(',').map((s) => s.trim()))
    .filter(Boolean);

export const isProtocolCall = (ctx: Pick<FaultContext, 'path' | 'method'>) => !/\/\.well-known\//.test(ctx.path);

/** Add an extension to the card (both shapes carry `capabilities.extensions`). */
export function withExtension(uri: string, required: boolean) {
  return (card: Record<string, unknown>): Record<string, unknown> => {
    const c = clone(card);
    const caps = (isObj(c.capabilities) ? c.capabilities : (c.capabilities = {})) as Obj;
    const list = Array.isArray(caps.extensions) ? caps.extensions : [];
    caps.extensions = [...list, { uri, description: 'added by the conformance fault proxy', required }];
    return c;
  };
}

/** The response header of the request's version (1.0: A2A-Version header present; else 0.3). */
export const responseHeaderName = (ctx: Pick<FaultContext, 'requestHeaders'>) =>
  EXTENSIONS_HEADER[ctx.requestHeaders['a2a-version'] === '1.0' ? '1.0' : '0.3'].toLowerCase();

/** Conformant echo: the requested URIs the card declares are listed in the version's response header. */
const echoEmulation: Fault = {
  name: 'emulation: echoes activated extensions',
  description: 'declares an extension and echoes it when requested',
  card: withExtension(ECHO_EXTENSION, false),
  headers: (h, ctx) =>
    isProtocolCall(ctx) && requested(ctx).includes(ECHO_EXTENSION)
      ? { ...h, [responseHeaderName(ctx)]: ECHO_EXTENSION }
      : h,
};

/** Conformant enforcement of a required extension. */
const enforceEmulation = (version: '0.3' | '1.0'): Fault => ({
  name: `emulation: enforces the required extension (${version})`,
  description: 'declares a required extension and rejects requests that do not activate it',
  card: withExtension(REQUIRED_EXTENSION, true),
  intercept: (ctx) => {
    if (!isProtocolCall(ctx) || requested(ctx).includes(REQUIRED_EXTENSION)) return undefined;
    const info = requestInfo(ctx);
    if (info.op !== 'send' && info.op !== 'stream') return undefined;
    return conformantError(
      info,
      'ExtensionSupportRequired',
      `Client must declare support for required extensions: ${REQUIRED_EXTENSION}`,
    );
  },
});

/** Whether the request activates any version of the extension (`…/v1`, `…/v2`, …). */
const requestsAnyVersionOf = (ctx: Pick<FaultContext, 'requestHeaders'>, uri: string) =>
  requested(ctx).some((u) => sameExtension(u, uri));

export const CONTROLLED: ControlledFaultCase[] = [
  {
    name: 'extensions-unknown-rejected',
    description:
      'A request activating an extension the agent does not know is rejected (ExtensionSupportRequired-style ' +
      'error) instead of the extension being ignored.',
    agent: 'v1',
    ...one('extensions.unknown.ignored'),
    intercept: (ctx) =>
      isProtocolCall(ctx) && requested(ctx).includes(UNKNOWN_EXTENSION)
        ? conformantError(requestInfo(ctx), 'ExtensionSupportRequired', `Unsupported extension ${UNKNOWN_EXTENSION}`)
        : undefined,
  },
  {
    name: 'extensions-declared-not-echoed',
    description:
      'The card declares an extension; a request activating it gets no extensions response header (baseline: ' +
      'an agent that echoes it).',
    agent: 'v1',
    ...one('extensions.declared.echoed'),
    baseline: echoEmulation,
    card: withExtension(ECHO_EXTENSION, false),
  },
  {
    name: 'extensions-echo-in-other-version-header',
    description:
      "The card declares an extension; the activated extension is echoed in the other version's header name " +
      '(X-A2A-Extensions on 1.0, A2A-Extensions on 0.3).',
    agent: 'v1',
    ...one('extensions.declared.echoed'),
    baseline: echoEmulation,
    card: withExtension(ECHO_EXTENSION, false),
    headers: (h, ctx) =>
      isProtocolCall(ctx) && requested(ctx).includes(ECHO_EXTENSION)
        ? {
            ...h,
            [responseHeaderName(ctx) === 'a2a-extensions' ? 'x-a2a-extensions' : 'a2a-extensions']: ECHO_EXTENSION,
          }
        : h,
  },
  {
    name: 'extensions-required-not-enforced',
    description:
      'The 1.0 card marks an extension required, yet a request that does not activate it is served ' +
      '(baseline: rejected with ExtensionSupportRequired).',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('extensions.required.enforced'),
    baseline: enforceEmulation('1.0'),
    card: withExtension(REQUIRED_EXTENSION, true),
  },
  {
    name: 'extensions-required-wrong-error',
    description:
      'The 1.0 card marks an extension required; a request without it is rejected with InvalidParams instead ' +
      'of ExtensionSupportRequired.',
    agent: 'v1',
    protocols: ['1.0'],
    ...one('extensions.required.enforced'),
    baseline: enforceEmulation('1.0'),
    card: withExtension(REQUIRED_EXTENSION, true),
    intercept: (ctx) => {
      if (!isProtocolCall(ctx) || requested(ctx).includes(REQUIRED_EXTENSION)) return undefined;
      const info = requestInfo(ctx);
      return info.op === 'send' ? conformantError(info, 'InvalidParams', 'missing extension') : undefined;
    },
  },
  {
    name: 'extensions-required-not-rejected-0-3',
    description:
      'The 0.3 card marks an extension required, yet a request without X-A2A-Extensions is served (baseline: ' +
      'rejected).',
    agent: 'v03',
    ...one('extensions.required.rejected'),
    baseline: enforceEmulation('0.3'),
    card: withExtension(REQUIRED_EXTENSION, true),
  },
  {
    name: 'extensions-version-fallback',
    description:
      'The card declares …/echo/v1; a request activating …/echo/v2 (a version the agent does not support) gets ' +
      '…/echo/v1 activated and echoed instead: a fallback to another version (baseline: the echoing agent).',
    agent: 'v1',
    ...one('extensions.version.no-fallback'),
    baseline: echoEmulation,
    card: withExtension(ECHO_EXTENSION, false),
    headers: (h, ctx) =>
      isProtocolCall(ctx) && requestsAnyVersionOf(ctx, ECHO_EXTENSION)
        ? { ...h, [responseHeaderName(ctx)]: ECHO_EXTENSION }
        : h,
  },
  {
    name: 'extensions-required-other-version-served',
    description:
      'The card marks …/required/v1 required; a request activating only …/required/v2 is served as if the ' +
      'required extension were active (baseline: rejected, as a request without it is).',
    agent: 'v1',
    ...one('extensions.version.no-fallback'),
    baseline: enforceEmulation('1.0'),
    card: withExtension(REQUIRED_EXTENSION, true),
    intercept: (ctx) => {
      if (!isProtocolCall(ctx) || requestsAnyVersionOf(ctx, REQUIRED_EXTENSION)) return undefined;
      const info = requestInfo(ctx);
      if (info.op !== 'send' && info.op !== 'stream') return undefined;
      return conformantError(info, 'ExtensionSupportRequired', `Required extension missing: ${REQUIRED_EXTENSION}`);
    },
  },
];

export const FAULTS: FaultCase[] = CONTROLLED;
