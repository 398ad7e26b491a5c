/**
 * Suite "auth": authentication of every request when the card declares security (0.3 §4.4; 1.0 §3.3.2, §7.4) and the
 * authenticated extended agent card (0.3 §7.10; 1.0 §3.1.11, §13.3). Not repeated here: whether the declared schemes
 * are well formed (card.security.well-formed), the error of an undeclared extended card
 * (errors.extended-card.not-declared)
 * and the -32007 encoding of a declared but unconfigured one (errors.extended-card.declared).
 *
 * Credentials come from the target's `headers` in targets.yaml; "without credentials" drops them all (the HTTP
 * session's withoutCredentials), "invalid credentials" sends each credential header with a corrupted value.
 */
import { HTTP_BINDINGS } from '../../src/core/types.js';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Reply, SendOptions } from '../../src/protocol/client.js';
import type { A2AError, SendResult } from '../../src/protocol/model.js';
import { describeError, describeReply } from '../lib/expect-error.js';
import { credentialHeaders, readsAsAuthFailure, unauthenticatedExtendedCard } from '../lib/probe.js';
import { ordinaryMessage } from '../lib/tasks.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';

/** The same headers with values the agent cannot accept (still redacted: they contain the secret). */
function corruptedHeaders(ctx: CheckContext): Record<string, string> {
  return Object.fromEntries(Object.entries(credentialHeaders(ctx)).map(([k, v]) => [k, `${v}-conformance-invalid`]));
}

interface AuthProbe {
  /** The ordinary message sent with the configured credentials. */
  withCreds: Reply<SendResult>;
  /** The same request without any of the target's headers. */
  without: Reply<SendResult>;
}

/**
 * One ordinary message with and without credentials (shared per cell). Untestable when even the authenticated request
 * fails: a rejection could not be attributed to authentication.
 */
function authProbe(ctx: CheckContext): Promise<AuthProbe> {
  return ctx.fixture('auth-probe', async (f) => {
    const withCreds = await f.client.send(ordinaryMessage(f), { label: 'send with the configured credentials' });
    // SendOptions has no withoutCredentials of its own; the adapters pass the call options through (CallOptions).
    const without = await f.client.send(ordinaryMessage(f), {
      label: 'send without credentials',
      withoutCredentials: true,
    } as SendOptions);
    return { withCreds, without };
  });
}

async function attributableProbe(ctx: CheckContext): Promise<AuthProbe> {
  const p = await authProbe(ctx);
  if (!p.withCreds.ok) {
    const none = Object.keys(credentialHeaders(ctx)).length === 0;
    return ctx.untestable(
      `the request fails even with the configured credentials (${describeError(p.withCreds.error)}), so a ` +
        `rejection cannot be attributed to authentication` +
        `${none ? '; targets.yaml gives this target no credential `headers`' : ''}`,
    );
  }
  return p;
}

const isHttpAuthStatus = (s: number) => s === 401 || s === 403;

/** Judge a rejection of a request made without (or with broken) credentials: it must read as an auth failure. */
function judgeRejection(ctx: CheckContext, e: A2AError, what: string): void {
  if (readsAsAuthFailure(e)) {
    ctx.note(`${what}: ${describeError(e)}`);
    return;
  }
  ctx.ambiguous(
    `${what}: rejected, but not recognisably for authentication (${describeError(e)})`,
    'the request may have failed for another reason (e.g. a routing or tenant header the harness dropped with ' +
      'the credentials), so the rejection proves nothing about authentication; expected HTTP 401/403, gRPC ' +
      'UNAUTHENTICATED, or a JSON-RPC custom error',
    { expected: 'an authentication failure', actual: describeError(e) },
  );
}

export const required = suite.check({
  id: 'auth.credentials.required',
  level: 'MUST',
  title: 'A request without credentials is rejected; the same request with them succeeds',
  requirement:
    'The server MUST authenticate every request against the requirements its card declares: a request ' +
    'without credentials is rejected (HTTP 401/403 or a JSON-RPC error), while the same request with valid ' +
    'credentials is processed.',
  specRefs: {
    '0.3': [{ section: '4.4', req: 'S03-23' }],
    '1.0': [
      { section: '7.4', req: 'S10-35' },
      { section: '3.3.2', req: 'S10-35' },
    ],
  },
  requires: { security: true },
  async run(ctx) {
    const p = await attributableProbe(ctx);
    if (p.without.ok) {
      ctx.violated('the request was processed without credentials', {
        expected: 'a rejection (HTTP 401/403 or an error)',
        actual: describeReply(p.without),
      });
      return;
    }
    judgeRejection(ctx, p.without.error, 'without credentials');
    ctx.note(`with them: ${describeReply(p.withCreds)}`);
  },
});

export const invalid = suite.check({
  id: 'auth.credentials.invalid',
  level: 'MUST',
  title: 'A request with invalid credentials is rejected',
  requirement: 'Servers MUST reject requests with invalid or missing authentication credentials.',
  specRefs: {
    '0.3': [{ section: '4.4', req: 'S03-23' }],
    '1.0': [
      { section: '3.3.2', req: 'S10-35' },
      { section: '7.4', req: 'S10-35' },
    ],
  },
  requires: { security: true },
  async run(ctx) {
    await attributableProbe(ctx);
    const bad = corruptedHeaders(ctx);
    if (Object.keys(bad).length === 0)
      return ctx.untestable('targets.yaml gives this target no credential `headers` to corrupt');
    const r = await ctx.client.send(ordinaryMessage(ctx), { label: 'send with corrupted credentials', headers: bad });
    if (r.ok)
      ctx.violated(`the request was processed with corrupted credentials (${Object.keys(bad).join(', ')})`, {
        expected: 'a rejection',
        actual: describeReply(r),
      });
    else judgeRejection(ctx, r.error, 'corrupted credentials');
  },
});

export const status = suite.check({
  id: 'auth.rejection.status',
  level: 'SHOULD',
  title: 'An authentication failure uses HTTP 401 (or 403)',
  requirement:
    'Servers SHOULD use standard HTTP status codes, 401 Unauthorized or 403 Forbidden, for authentication ' +
    'challenges or rejections (1.0: HTTP 401; gRPC UNAUTHENTICATED; JSON-RPC: a custom error).',
  stance:
    '1.0 gives JSON-RPC authentication failures only as "a custom error" with no HTTP status (§13 C26): a ' +
    'JSON-RPC error at another status warns as ambiguous there; 0.3 §4.4 asks for 401/403 on every transport.',
  specRefs: {
    '0.3': [{ section: '4.4', req: 'S03-24' }],
    '1.0': [
      { section: '3.3.2', req: 'S10-35' },
      { section: '7.4', req: 'S10-35' },
    ],
  },
  requires: { security: true },
  async run(ctx) {
    const p = await attributableProbe(ctx);
    if (p.without.ok)
      return ctx.untestable('the request without credentials was not rejected; see auth.credentials.required');
    const e = p.without.error;
    if (ctx.binding === 'grpc') {
      // gRPC's counterparts of 401/403 (1.0 §3.3.2 names UNAUTHENTICATED; PERMISSION_DENIED for a forbidden caller).
      ctx.expect(
        e.grpcStatus === 'UNAUTHENTICATED' || e.grpcStatus === 'PERMISSION_DENIED',
        `the rejection uses gRPC ${e.grpcStatus ?? '(no status)'}`,
        { expected: 'gRPC UNAUTHENTICATED or PERMISSION_DENIED', actual: describeError(e) },
      );
      return;
    }
    if (isHttpAuthStatus(e.httpStatus)) {
      ctx.note(`rejected with HTTP ${e.httpStatus}`);
      return;
    }
    if (ctx.version === '1.0' && ctx.binding === 'jsonrpc' && e.code !== undefined) {
      ctx.ambiguous(
        `rejected with a JSON-RPC error (code ${e.code}) at HTTP ${e.httpStatus}`,
        '1.0 names only "a JSON-RPC custom error" for authentication failures (§3.3.2, §13 C26)',
        { expected: 'HTTP 401 or 403', actual: e.httpStatus },
      );
      return;
    }
    ctx.violated(`the rejection uses HTTP ${e.httpStatus}`, {
      expected: 'HTTP 401 or 403',
      actual: `HTTP ${e.httpStatus} (${describeError(e)})`,
    });
  },
});

export const challenge = suite.check({
  id: 'auth.rejection.www-authenticate',
  // An HTTP header; a gRPC rejection is judged by its status (auth.rejection.status).
  bindings: [...HTTP_BINDINGS],
  level: 'SHOULD',
  title: 'A 401 carries a WWW-Authenticate challenge',
  requirement:
    'A 401 Unauthorized response SHOULD include a WWW-Authenticate header naming the required authentication ' +
    'scheme(s).',
  specRefs: {
    '0.3': [
      { section: '4.4', req: 'S03-24' },
      { section: '7.10', req: 'S03-22' },
    ],
    '1.0': [
      { section: '3.3.2', req: 'S10-35' },
      { section: '7.4', req: 'S10-35' },
    ],
  },
  requires: { security: true },
  async run(ctx) {
    const p = await attributableProbe(ctx);
    if (p.without.ok)
      return ctx.untestable('the request without credentials was not rejected; see auth.credentials.required');
    const st = p.without.error.httpStatus;
    if (st !== 401) return ctx.skip(`applies to 401 responses; the rejection was HTTP ${st}`);
    const www = p.without.exchange.response?.headers['www-authenticate'];
    if (
      ctx.expect(Boolean(www?.trim()), 'the 401 carries no WWW-Authenticate header', {
        expected: 'WWW-Authenticate: <scheme> ...',
        actual: '(absent)',
      })
    )
      ctx.note(`WWW-Authenticate: ${www}`);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Extended agent card

export const extendedFetch = suite.check({
  id: 'auth.extended-card.fetch',
  level: 'MUST',
  title: 'The declared extended card is served to an authenticated client, valid for the version',
  requirement:
    'When the card declares the extended card (0.3 supportsAuthenticatedExtendedCard, 1.0 ' +
    'capabilities.extendedAgentCard), agent/getAuthenticatedExtendedCard · GetExtendedAgentCard with valid ' +
    'credentials returns an AgentCard of the version.',
  stance:
    'ExtendedAgentCardNotConfigured (-32007) is the required answer of an agent that declares the capability ' +
    'without a configured card (§3.3.4). Black-box that state cannot be provoked on purpose, so receiving it ' +
    'makes this check untestable (reported), not failed. Without configured credentials, a card that declares ' +
    'security makes any error untestable: JSON-RPC has no assigned code for an authentication failure (§3.3.2 ' +
    '"JSON-RPC custom error", §13 C26).',
  specRefs: {
    '0.3': [{ section: '7.10', req: 'S03-22' }],
    '1.0': [
      { section: '3.1.11', req: 'S10-34' },
      { section: '3.3.4', req: 'S10-24' },
    ],
  },
  requires: { capabilities: ['extendedCard'] },
  async run(ctx) {
    const r = await ctx.client.extendedCard({ label: 'get the extended card with credentials' });
    if (!r.ok) {
      const e = r.error;
      if (e.name === 'ExtendedAgentCardNotConfigured')
        return ctx.untestable(
          `the agent declares the extended card but answers ${describeError(e)}: no extended card is configured`,
        );
      const unauthenticated = unauthenticatedExtendedCard(ctx, e);
      if (unauthenticated) return ctx.untestable(unauthenticated);
      ctx.violated(`fetching the declared extended card failed: ${describeError(e)}`, {
        expected: 'an AgentCard',
        actual: describeError(e),
      });
      return;
    }
    reportSchemaErrors(ctx, r.schemaErrors, { prefix: 'extended card', cap: 20 });
    const card = r.value as { name?: unknown; skills?: unknown[] };
    ctx.note(
      `extended card "${String(card.name)}" with ${Array.isArray(card.skills) ? card.skills.length : 0} ` +
        `skills (public card: ` +
        `${Array.isArray(ctx.card.card.skills) ? (ctx.card.card.skills as unknown[]).length : 0})`,
    );
  },
});

export const extendedRequiresAuth = suite.check({
  id: 'auth.extended-card.requires-auth',
  level: 'MUST',
  title: 'The extended card is refused without credentials',
  requirement:
    'Getting the extended agent card MUST require authentication: without credentials the request is ' +
    'rejected (0.3: 401 Unauthorized).',
  stance:
    'A card that declares no security scheme gives the client no declared scheme to authenticate with ' +
    '(§3.1.11): a success without credentials then warns as ambiguous instead of failing.',
  specRefs: {
    '0.3': [{ section: '7.10', req: 'S03-22' }],
    '1.0': [
      { section: '13.3', req: 'S10-34' },
      { section: '3.1.11', req: 'S10-34' },
    ],
  },
  requires: { capabilities: ['extendedCard'] },
  async run(ctx) {
    const r = await ctx.client.extendedCard({
      label: 'get the extended card without credentials',
      withoutCredentials: true,
    });
    if (!r.ok) {
      ctx.note(`refused without credentials: ${describeError(r.error)}`);
      return;
    }
    if (!ctx.card.securityDeclared) {
      ctx.ambiguous(
        'the extended card was served without credentials',
        'the card declares no security scheme to authenticate with',
        { expected: 'a rejection', actual: describeReply(r) },
      );
      return;
    }
    ctx.violated('the extended card was served without credentials', {
      expected: 'a rejection (401)',
      actual: describeReply(r),
    });
  },
});
