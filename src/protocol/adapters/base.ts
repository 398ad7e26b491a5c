/** What the JSON-RPC and REST adapters share: options, ids, URL resolution, headers, replies, raw(). */
import type { ResolvedTarget } from '../../config/types.js';
import type { Binding, ProtocolVersion } from '../../core/types.js';
import type { HttpResponse, HttpSession } from '../../http/session.js';
import type { Exchange, SchemaError } from '../../http/types.js';
import type { WireProfile } from '../../schemas/validate.js';
import type { CallOptions, RawRequest, RawResponse, Reply } from '../client.js';
import type { A2AError } from '../model.js';
import type { Dialect, Invalid } from './decode.js';
import type { ValidateFn } from './validation.js';
import { EXTENSIONS_HEADER } from '../headers.js';

export interface AdapterOptions {
  url: string;
  session: HttpSession;
  target: ResolvedTarget;
  /** AgentInterface.tenant (1.0): REST path prefix `/{tenant}` and `tenant` in JSON-RPC params. */
  tenant?: string;
  validate: ValidateFn;
  /**
   * Extension URIs declared on every request (the card's required extensions, so that ordinary checks are not all
   * rejected with ExtensionSupportRequired). A caller's own extensions header replaces them; an empty value sends none.
   */
  extensions?: string[];
}

/**
 * JSON-RPC request ids: `<checkId>-<n>` (the transcript id when the session does not expose a check id), with one
 * counter per session so ids stay unique across clients sharing a transcript.
 */
const counters = new WeakMap<HttpSession, { n: number }>();

export function nextRequestId(session: HttpSession): string {
  let c = counters.get(session);
  if (!c) {
    c = { n: 0 };
    counters.set(session, c);
  }
  c.n++;
  const checkId = (session as { checkId?: unknown }).checkId;
  return `${typeof checkId === 'string' && checkId ? checkId : session.transcript.id}-${c.n}`;
}

/** Interface URL + path: strip one trailing slash from the base, ensure one leading slash on the path. */
export function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  const b = base.endsWith('/') ? base.slice(0, -1) : base;
  return `${b}${path.startsWith('/') || path.startsWith('?') ? '' : '/'}${path}`;
}

export const VERSION_HEADER = 'A2A-Version';

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** An exchange that was never sent (operation absent from the binding); not part of the transcript. */
export function syntheticExchange(label: string, url: string, note: string): Exchange {
  return {
    seq: 0,
    label,
    request: { method: 'NONE', url, headers: {} },
    error: `not sent: ${note}`,
    startedAt: 0,
    durationMs: 0,
  };
}

export abstract class AdapterBase {
  abstract readonly version: ProtocolVersion;
  abstract readonly binding: Binding;
  protected abstract readonly profile: WireProfile;
  protected abstract readonly dialect: Dialect;

  readonly url: string;
  protected readonly session: HttpSession;
  protected readonly target: ResolvedTarget;
  protected readonly tenant: string | undefined;
  protected readonly validate: ValidateFn;

  constructor(opts: AdapterOptions) {
    this.url = opts.url;
    this.session = opts.session;
    this.target = opts.target;
    this.tenant = opts.tenant || undefined;
    this.validate = opts.validate;
    this.extensions = opts.extensions ?? [];
  }

  protected readonly extensions: string[];

  /** Headers every protocol request carries: A2A-Version for 1.0, then the caller's. */
  protected headers(extra?: Record<string, string>, omitVersion = false): Record<string, string> {
    const ext = EXTENSIONS_HEADER[this.version];
    const out: Record<string, string> = {
      ...(this.version === '1.0' && !omitVersion ? { [VERSION_HEADER]: '1.0' } : {}),
      ...(this.extensions.length ? { [ext]: this.extensions.join(', ') } : {}),
      ...(extra ?? {}),
    };
    for (const k of Object.keys(out)) if (k.toLowerCase() === ext.toLowerCase() && out[k] === '') delete out[k];
    return out;
  }

  protected annotate(exchange: Exchange, schemaErrors: SchemaError[]): void {
    if (schemaErrors.length) this.session.annotate(exchange, { schemaErrors });
  }

  protected okOrInvalid<T>(
    decoded: T | Invalid,
    res: HttpResponse,
    wire: unknown,
    schemaErrors: SchemaError[],
    what: string,
    requestId?: string | number,
  ): Reply<T> {
    this.annotate(res.exchange, schemaErrors);
    const rid = requestId !== undefined ? { requestId } : {};
    if (
      decoded !== null &&
      typeof decoded === 'object' &&
      'invalid' in (decoded as object) &&
      Object.keys(decoded as object).length === 1
    ) {
      const error: A2AError = {
        name: 'Unknown',
        identifiedBy: 'none',
        httpStatus: res.status,
        message: `response is not a usable ${what}: ${(decoded as Invalid).invalid}`,
        raw: wire,
      };
      return { ok: false, error, exchange: res.exchange, schemaErrors, wire, ...rid };
    }
    return { ok: true, value: decoded as T, wire, exchange: res.exchange, schemaErrors, ...rid };
  }

  protected errReply<T>(
    error: A2AError,
    exchange: Exchange,
    schemaErrors: SchemaError[],
    wire?: unknown,
    requestId?: string | number,
  ): Reply<T> {
    this.annotate(exchange, schemaErrors);
    return {
      ok: false,
      error,
      exchange,
      schemaErrors,
      ...(wire !== undefined ? { wire } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    };
  }

  async raw(req: RawRequest): Promise<RawResponse> {
    const url = req.url ?? joinUrl(this.url, req.path ?? '');
    const res = await this.session.request({
      method: req.method,
      url,
      headers: this.headers(req.headers, req.omitVersionHeader),
      ...(req.body !== undefined ? { body: req.body } : {}),
      label: req.label ?? `raw ${req.method} ${req.path ?? req.url ?? ''}`.trim(),
      ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
      ...(req.withoutCredentials ? { withoutCredentials: true } : {}),
    });
    return {
      status: res.status,
      headers: res.headers,
      text: res.text,
      ...(res.json !== undefined ? { json: res.json } : {}),
      exchange: res.exchange,
    };
  }

  protected callOpts(opts: CallOptions | undefined): { timeoutMs?: number; withoutCredentials?: boolean } {
    return {
      ...(opts?.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts?.withoutCredentials ? { withoutCredentials: true } : {}),
    };
  }
}
