/** A request that produced no usable HTTP response (no undici dependency, so checks can import it cheaply). */
import type { Exchange } from './types.js';

export type TransportErrorKind = 'connect' | 'timeout' | 'reset' | 'tls' | 'aborted';

/** A request that produced no usable HTTP response. The exchange is already in the transcript, with `error`. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly exchange: Exchange,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTransportError(e: unknown): e is TransportError {
  return e instanceof TransportError;
}
