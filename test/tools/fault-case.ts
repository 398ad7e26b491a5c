/** A fault of the kill matrix: one way to break exactly one rule, and the checks that must catch it. */
import type { Binding, ProtocolVersion } from '../../src/core/types.js';
import type { Fault } from './fault-proxy.js';

export interface FaultCase extends Fault {
  /** Check ids (exact, or globs with *) that must fail — or warn, for SHOULD checks — with this fault applied. */
  kills: string[];
  /** Reference agent put behind the proxy: the 1.x SDK agent (1.0 + 0.3 compat) or the 0.3.14 one. */
  agent: 'v1' | 'v03';
  /** Card capability variant of that agent (default: both on). */
  agentOptions?: { streaming?: boolean; pushNotifications?: boolean };
  /** Narrow the run to what the fault can affect (speed). Default: the suites of the killed checks. */
  grep?: string[];
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
}
