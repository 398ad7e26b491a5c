/** The one entry point for protocol clients: version × binding → adapter, validating with the schema facade. */
import type { ResolvedTarget } from '../config/types.js';
import type { Binding, ProtocolVersion } from '../core/types.js';
import type { HttpSession } from '../http/session.js';
import { validateWire } from '../schemas/validate.js';
import { createAdapter } from './adapters/index.js';
import type { ValidateFn } from './adapters/validation.js';
import type { A2AClient } from './client.js';

export type { ValidateFn } from './adapters/validation.js';

export interface CreateClientOptions {
  version: ProtocolVersion;
  binding: Binding;
  /** The interface URL (card `url` / `supportedInterfaces[].url`). */
  url: string;
  session: HttpSession;
  target: ResolvedTarget;
  /** AgentInterface.tenant, when the interface declares one. */
  tenant?: string;
  /** Defaults to the schema facade's validateWire. */
  validate?: ValidateFn;
  /** Extension URIs to declare on every request (the card's required extensions). */
  extensions?: string[];
}

export function createClient(opts: CreateClientOptions): A2AClient {
  return createAdapter(opts.version, opts.binding, {
    url: opts.url,
    session: opts.session,
    target: opts.target,
    ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
    validate: opts.validate ?? validateWire,
    ...(opts.extensions?.length ? { extensions: opts.extensions } : {}),
  });
}
