/** Service-parameter headers whose name depends on the protocol version. */
import type { ProtocolVersion } from '../core/types.js';

/** Extensions activation header: 1.0 `A2A-Extensions` (§3.2.6), 0.3 `X-A2A-Extensions` (topics/extensions). */
export const EXTENSIONS_HEADER: Record<ProtocolVersion, string> = {
  '0.3': 'X-A2A-Extensions',
  '1.0': 'A2A-Extensions',
};
