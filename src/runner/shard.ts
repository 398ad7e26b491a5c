/**
 * `--shard i/n`: a deterministic 1/n of the run, for a CI job matrix. The unit is the target — a target's discovery,
 * fixtures and started agent serve all its checks, so they never split — and a gateway target stays with its upstream
 * (one unit: the upstream runs once and the comparison needs both). Units are balanced by expected cost (the checks
 * selected × the versions and bindings the target may serve, from targets.yaml alone, no traffic) with a greedy
 * longest-first assignment; ties break by name, so every job of the matrix computes the same split.
 */
import type { ProtocolVersion } from '../core/types.js';
import type { ResolvedTarget } from '../config/types.js';

export interface ShardSpec {
  index: number; // 1-based
  count: number;
}

/** `i/n` → ShardSpec, or an error message. */
export function parseShard(text: string): ShardSpec | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return `--shard must be i/n, e.g. 1/4 (got "${text}")`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${text}: need 1 <= i <= n`;
  return { index, count };
}

/** Expected cost of a target: checks × versions × bindings it may be run on. */
export function targetCost(t: ResolvedTarget, checks: number, protocols?: readonly ProtocolVersion[]): number {
  const versions = (t.protocols ?? ['0.3', '1.0']).filter((v) => !protocols || protocols.includes(v)).length || 1;
  const bindings = t.bindings?.length ?? 2;
  return checks * versions * bindings;
}

/** Targets that must run together: each upstream with every gateway in front of it. */
export function shardUnits(targets: readonly ResolvedTarget[]): ResolvedTarget[][] {
  const names = new Set(targets.map((t) => t.name));
  const root = (t: ResolvedTarget) => (t.upstream && names.has(t.upstream) ? t.upstream : t.name);
  const units = new Map<string, ResolvedTarget[]>();
  for (const t of targets) {
    const key = root(t);
    const unit = units.get(key) ?? [];
    unit.push(t);
    units.set(key, unit);
  }
  return [...units.values()];
}

/**
 * The names of the targets shard `spec` runs (in file order). Every target lands in exactly one shard; a shard may be
 * empty when there are fewer units than shards.
 */
export function shardTargets(
  targets: readonly ResolvedTarget[],
  spec: ShardSpec,
  checks: number,
  protocols?: readonly ProtocolVersion[],
): string[] {
  const units = shardUnits(targets).map((u) => ({
    names: u.map((t) => t.name),
    key: u.map((t) => t.name).sort()[0]!,
    cost: u.reduce((n, t) => n + targetCost(t, checks, protocols), 0),
  }));
  units.sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(spec.count).fill(0);
  const mine = new Set<string>();
  for (const u of units) {
    let best = 0;
    for (let i = 1; i < spec.count; i++) if (load[i]! < load[best]!) best = i;
    load[best]! += u.cost;
    if (best === spec.index - 1) for (const n of u.names) mine.add(n);
  }
  return targets.filter((t) => mine.has(t.name)).map((t) => t.name);
}
