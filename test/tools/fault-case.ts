/** A fault of the kill matrix: one way to break exactly one rule, and the checks that must catch it. */
import type { Binding, ProtocolVersion, SpecProfile } from '../../src/core/types.js';
import type { GatewayDeviation } from '../../reference-agents/gateway/deviations.js';
import type { Fault } from './fault-proxy.js';

export interface FaultCase extends Fault {
  /**
   * Check ids (exact, or globs with *) that must fail — or warn, for SHOULD checks — with this fault applied. Empty
   * for a benign variant.
   */
  kills: string[];
  /**
   * A benign variant, not a fault: a rewrite that keeps the server conformant (a legitimate choice the spec leaves
   * open). The matrix then proves the other direction: no check may FAIL with it where the baseline did not fail
   * (warnings and notes are allowed). `kills` is empty and `grep` names the checks it must not fail.
   */
  benign?: boolean;
  /** Reference agent put behind the proxy: the 1.x SDK agent (1.0 + 0.3 compat) or the 0.3.14 one. */
  agent: 'v1' | 'v03';
  /**
   * Card capability variant of that agent (default: both on). (additive) `bearerToken` starts the agent behind bearer
   * authentication (it declares the scheme and rejects requests without `Authorization: Bearer <token>`), and
   * `extendedCard` makes it declare and serve an authenticated extended card: pass both straight to
   * startV1Agent/startV03Agent, and key agents on them.
   */
  agentOptions?: { streaming?: boolean; pushNotifications?: boolean; bearerToken?: string; extendedCard?: boolean };
  /**
   * (additive) Headers the harness sends to the target (`ResolvedTarget.headers`, and their values in `secrets`):
   * the credentials of an agent started with a bearerToken. Not to be confused with the `headers` response hook.
   */
  targetHeaders?: Record<string, string>;
  /** (additive) The target's spec profile (targets.yaml `specProfile`; default 1.0.1), for its baseline too. */
  specProfile?: SpecProfile;
  /** (additive) targets.yaml `production` for the target (and its baseline): production-only rules are graded. */
  production?: boolean;
  /** Narrow the run to what the fault can affect (speed). Default: the suites of the killed checks. */
  grep?: string[];
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
  /**
   * (additive) A gateway fault: the agent (behind the baseline proxy) is target `direct`, the bundled gateway
   * (reference-agents/gateway) with these deviations in front of it is a gateway target (`upstream: direct`), and only
   * the gateway target's results are judged. The baseline runs the same pair through the transparent gateway. The
   * proxy hooks of the case itself are not used.
   */
  gateway?: { deviations: GatewayDeviation[] };
}

/** One agent per agent kind and option set (options in a stable order; defaults left out). */
export const agentKey = (f: Pick<FaultCase, 'agent' | 'agentOptions'>): string => {
  const o = f.agentOptions ?? {};
  const opts = Object.keys(o)
    .sort()
    .filter((k) => o[k as keyof typeof o] !== undefined)
    .map((k) => `${k}:${String(o[k as keyof typeof o])}`);
  return [f.agent, ...opts].join(' ');
};

/** agentKey for people: credentials are not printed. */
export const agentLabel = (f: Pick<FaultCase, 'agent' | 'agentOptions'>): string =>
  agentKey(f).replace(/bearerToken:\S+/, 'bearerToken');
