/**
 * unauthenticatedExtendedCard (suites/lib/probe.ts): when an error answer to the extended-card operation cannot be
 * judged because the target has no credentials (auth.extended-card.fetch, errors.extended-card.declared).
 */
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/checks/types.js';
import type { A2AError } from '../../src/protocol/model.js';
import { unauthenticatedExtendedCard } from '../../suites/lib/probe.js';

const ctxWith = (headers: Record<string, string>, securityDeclared: boolean) =>
  ({ target: { headers }, card: { securityDeclared } }) as unknown as CheckContext;
const err = (over: Partial<A2AError>): A2AError => ({
  name: 'Unknown',
  identifiedBy: 'none',
  httpStatus: 200,
  ...over,
});

describe('unauthenticatedExtendedCard', () => {
  const reserved = err({ name: 'InvalidRequest', identifiedBy: 'jsonrpc-code', code: -32600 });
  const custom = err({ code: -31001 });
  const http401 = err({ httpStatus: 401, identifiedBy: 'http-status' });

  it('makes any error untestable when the card declares security and no credentials are configured', () => {
    for (const e of [reserved, custom, http401]) expect(unauthenticatedExtendedCard(ctxWith({}, true), e)).toBeTruthy();
    // Content negotiation headers are not credentials.
    expect(unauthenticatedExtendedCard(ctxWith({ Accept: 'application/json' }, true), reserved)).toBeTruthy();
  });

  it('without declared security, only an error that reads as an auth failure', () => {
    expect(unauthenticatedExtendedCard(ctxWith({}, false), reserved)).toBeUndefined();
    expect(unauthenticatedExtendedCard(ctxWith({}, false), custom)).toBeTruthy();
    expect(unauthenticatedExtendedCard(ctxWith({}, false), http401)).toBeTruthy();
  });

  it('judges every error when credentials are configured, and always judges -32007', () => {
    for (const e of [reserved, custom, http401])
      expect(unauthenticatedExtendedCard(ctxWith({ Authorization: 'Bearer x' }, true), e)).toBeUndefined();
    const notConfigured = err({ name: 'ExtendedAgentCardNotConfigured', identifiedBy: 'jsonrpc-code', code: -32007 });
    expect(unauthenticatedExtendedCard(ctxWith({}, true), notConfigured)).toBeUndefined();
  });
});
