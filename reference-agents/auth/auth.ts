/**
 * Bearer authentication for the reference agents, the way the SDK documents it: an Express middleware rejects
 * requests without valid credentials, and a `UserBuilder` turns the authenticated request into the SDK's `User`
 * (which the SDK's request handler then uses, e.g. to serve the extended agent card). Protocol work stays the SDK's.
 *
 *   REF_AGENT_BEARER_TOKEN=<token>   every A2A endpoint requires `Authorization: Bearer <token>`; the card declares an
 *                                    HTTP bearer security scheme and requires it. The card endpoint stays public.
 *   REF_AGENT_EXTENDED_CARD=1        the card declares the authenticated extended card (0.3
 *                                    `supportsAuthenticatedExtendedCard`, 1.0 `capabilities.extendedAgentCard`) and the
 *                                    SDK serves one with an extra skill to authenticated callers.
 *
 * A rejected request gets HTTP 401 with `WWW-Authenticate: Bearer realm="…"` (RFC 6750; `error="invalid_token"` when a
 * wrong token was presented) and a body in the binding's error shape: a JSON-RPC error envelope (the spec assigns no
 * code, §13 C26: an implementation-defined server error, -32000) or a google.rpc.Status-style REST error.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface AuthAgentOptions {
  /** Require `Authorization: Bearer <bearerToken>` on the A2A endpoints (and declare the scheme in the card). */
  bearerToken?: string;
  /** Declare and serve an authenticated extended agent card. */
  extendedCard?: boolean;
}

/** Name of the security scheme in the card. */
export const BEARER_SCHEME_NAME = 'bearer';
export const AUTH_REALM = 'a2a-conformance-reference';
/** Code of the JSON-RPC error for rejected credentials (JSON-RPC 2.0 implementation-defined server error). */
export const UNAUTHENTICATED_JSONRPC_CODE = -32000;
/** Skill only the extended card lists. */
export const EXTENDED_SKILL_ID = 'authenticated-extras';

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** REF_AGENT_BEARER_TOKEN and REF_AGENT_EXTENDED_CARD. */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthAgentOptions {
  const token = env.REF_AGENT_BEARER_TOKEN?.trim();
  return {
    ...(token ? { bearerToken: token } : {}),
    ...(truthy(env.REF_AGENT_EXTENDED_CARD) ? { extendedCard: true } : {}),
  };
}

/** The bearer token of a request, or undefined. */
export function bearerOf(req: Pick<Request, 'headers'>): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h) : null;
  return m?.[1];
}

export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The SDK `User` of an authenticated caller (structurally the SDK's `User` interface, both SDK lines). */
export class BearerUser {
  constructor(private readonly name: string) {}
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.name;
  }
}

/** Anonymous caller (only reachable when the middleware is not installed). */
export class AnonymousUser {
  get isAuthenticated(): boolean {
    return false;
  }
  get userName(): string {
    return '';
  }
}

/** SDK `UserBuilder`: the request's bearer token → an authenticated user; anything else → anonymous. */
export function bearerUserBuilder(token: string): (req: Request) => Promise<BearerUser | AnonymousUser> {
  return async (req) =>
    tokenMatches(bearerOf(req), token) ? new BearerUser('conformance-client') : new AnonymousUser();
}

async function readBody(req: Request, cap = 64 * 1024): Promise<string> {
  // express.json() may already have parsed it (not in these agents, but be safe).
  if (req.body !== undefined && typeof req.body === 'object') return JSON.stringify(req.body);
  let text = '';
  for await (const chunk of req) {
    if (text.length < cap) text += (chunk as Buffer).toString('utf8');
  }
  return text;
}

/**
 * Express middleware for one A2A endpoint: calls next() for a valid bearer token, answers 401 otherwise.
 * `binding` chooses the error body (JSON-RPC envelope or REST error).
 */
export function requireBearer(token: string, binding: 'jsonrpc' | 'rest'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const presented = bearerOf(req);
    if (tokenMatches(presented, token)) {
      next();
      return;
    }
    const invalid = req.headers.authorization
      ? ', error="invalid_token", error_description="the access token is not valid"'
      : '';
    const challenge = `Bearer realm="${AUTH_REALM}"${invalid}`;
    const message = req.headers.authorization
      ? 'Unauthorized: invalid bearer token'
      : 'Unauthorized: missing bearer token (Authorization: Bearer <token>)';
    void (async () => {
      let body: unknown;
      if (binding === 'jsonrpc') {
        let id: unknown = null;
        try {
          const parsed = JSON.parse(await readBody(req)) as { id?: unknown };
          if (typeof parsed?.id === 'string' || typeof parsed?.id === 'number') id = parsed.id;
        } catch {
          /* not JSON: id stays null */
        }
        body = { jsonrpc: '2.0', id, error: { code: UNAUTHENTICATED_JSONRPC_CODE, message } };
      } else {
        body = { error: { code: 401, status: 'UNAUTHENTICATED', message } };
      }
      res.status(401).setHeader('WWW-Authenticate', challenge);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    })().catch(next);
  };
}
