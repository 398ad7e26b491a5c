/**
 * Gateway targets and their upstreams in one run. A gateway target (targets.yaml `upstream:`) waits until its upstream
 * is started and discovered (its start block may use `${UPSTREAM_URL}`), its gateway checks reach the upstream through
 * the upstream's own HTTP client, and the upstream's agent and connections stay up until every gateway in front of it
 * is done. The upstream runs once, however many gateways share it.
 */
import type { ResolvedTarget } from '../config/types.js';
import type { CardView, DeclaredInterface, Discovery } from '../discovery/types.js';
import type { HttpSession } from '../http/session.js';
import type { A2AClient } from '../protocol/client.js';
import type { ProtocolVersion } from '../core/types.js';

/** What a gateway target's checks may use of its upstream. */
export interface UpstreamServices {
  /** The upstream as resolved (started: `${PORT}` substituted). */
  target: ResolvedTarget;
  found: Discovery;
  views: Map<ProtocolVersion, CardView>;
  /** A session on the upstream's dispatcher, recording into a new transcript of the run. */
  newSession(label: string, signal: AbortSignal): HttpSession;
  makeClient(iface: DeclaredInterface, session: HttpSession, version: ProtocolVersion): A2AClient;
}

interface Slot {
  ready: Promise<UpstreamServices | undefined>;
  publish(s: UpstreamServices | undefined): void;
  published: boolean;
  /** One per gateway target in front of it, resolved when that gateway's run ends. */
  dependents: Promise<void>[];
}

export class UpstreamLinks {
  private readonly slots = new Map<string, Slot>();
  private readonly doneOf = new Map<string, () => void>();

  constructor(targets: readonly ResolvedTarget[]) {
    const names = new Set(targets.map((t) => t.name));
    for (const t of targets) {
      if (!t.upstream || !names.has(t.upstream)) continue;
      let slot = this.slots.get(t.upstream);
      if (!slot) {
        let publish!: (s: UpstreamServices | undefined) => void;
        const ready = new Promise<UpstreamServices | undefined>((resolve) => {
          publish = resolve;
        });
        const s: Slot = {
          ready,
          published: false,
          dependents: [],
          publish: (v) => {
            if (s.published) return;
            s.published = true;
            publish(v);
          },
        };
        slot = s;
        this.slots.set(t.upstream, slot);
      }
      slot.dependents.push(
        new Promise<void>((resolve) => {
          this.doneOf.set(t.name, resolve);
        }),
      );
    }
  }

  /** The upstream's services once discovered; undefined when it could not be tested (or is not in the run). */
  ready(upstream: string): Promise<UpstreamServices | undefined> {
    return this.slots.get(upstream)?.ready ?? Promise.resolve(undefined);
  }

  /** Called by the upstream's run after discovery (or with undefined when it cannot be tested). Idempotent. */
  publish(name: string, services: UpstreamServices | undefined): void {
    this.slots.get(name)?.publish(services);
  }

  /** Called by a gateway target's run when it ends, whatever the outcome. */
  gatewayDone(name: string): void {
    this.doneOf.get(name)?.();
  }

  /** Resolves when every gateway in front of `name` is done (immediately when there is none). */
  async released(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) return;
    slot.publish(undefined);
    await Promise.all(slot.dependents);
  }
}

/** `${UPSTREAM_URL}` in a gateway target's start block → the upstream's base URL. */
export function bindUpstreamUrl(target: ResolvedTarget, upstreamUrl: string): ResolvedTarget {
  if (!target.start) return target;
  const sub = (s: string) => s.replaceAll('${UPSTREAM_URL}', upstreamUrl);
  return {
    ...target,
    start: {
      ...target.start,
      command: sub(target.start.command),
      readyUrl: sub(target.start.readyUrl),
      env: Object.fromEntries(Object.entries(target.start.env).map(([k, v]) => [k, sub(v)])),
    },
  };
}

/**
 * The targets a selection needs: the selected ones plus the upstream of every selected gateway, in file order.
 * (`--target gw` runs gw's upstream too: a gateway is only judged against it.)
 */
export function withUpstreams(all: readonly ResolvedTarget[], selected: readonly string[]): ResolvedTarget[] {
  const want = new Set(selected);
  for (const t of all) if (want.has(t.name) && t.upstream) want.add(t.upstream);
  return all.filter((t) => want.has(t.name));
}
