/**
 * Gateway comparison: for every target with `upstream`, each (check, version, binding) whose outcome differs between
 * the gateway target and its upstream, classified by whose fault it is. A pure function of results.json, so a merged
 * run (shards) derives exactly what the unsharded run did.
 */
import type { Outcome } from '../core/types.js';
import type {
  CheckResult,
  ComparisonEntry,
  ComparisonKind,
  GatewayComparison,
  ResultsFile,
  TargetResult,
} from './types.js';

/** Outcomes that make a check count as failing on one side. */
const FAILING: ReadonlySet<Outcome | 'absent'> = new Set<Outcome | 'absent'>(['fail', 'error']);

const keyOf = (r: Pick<CheckResult, 'checkId' | 'version' | 'binding'>): string =>
  `${r.checkId}|${r.version}|${r.binding ?? '-'}`;

export function classify(gateway: Outcome | 'absent', direct: Outcome | 'absent'): ComparisonKind | undefined {
  const g = FAILING.has(gateway);
  const d = FAILING.has(direct);
  if (g && d) return 'inherited';
  if (g) return 'introduced';
  if (d) return gateway === 'absent' ? 'changed' : 'hidden';
  // A gateway-only check (no direct counterpart): its warnings are the gateway's; a pass or skip is no difference.
  if (direct === 'absent') return gateway === 'warn' ? 'changed' : undefined;
  return gateway === direct ? undefined : 'changed';
}

const emptyCounts = (): Record<ComparisonKind, number> => ({ introduced: 0, hidden: 0, changed: 0, inherited: 0 });

export function compareTargets(
  gateway: TargetResult,
  upstream: TargetResult | undefined,
  results: readonly CheckResult[],
): GatewayComparison {
  const base = { gateway: gateway.name, upstream: gateway.upstream ?? '', counts: emptyCounts(), entries: [] };
  if (!upstream)
    return {
      ...base,
      status: 'upstream-missing',
      message: `upstream target "${gateway.upstream}" is not in these results`,
    };
  if (gateway.status !== 'tested' || upstream.status !== 'tested')
    return {
      ...base,
      status: 'not-tested',
      message:
        `${gateway.status !== 'tested' ? `gateway ${gateway.name}: ${gateway.status}` : ''}` +
        `${gateway.status !== 'tested' && upstream.status !== 'tested' ? '; ' : ''}` +
        `${upstream.status !== 'tested' ? `upstream ${upstream.name}: ${upstream.status}` : ''}`,
    };
  const direct = new Map<string, CheckResult>();
  const through = new Map<string, CheckResult>();
  for (const r of results) {
    if (r.target === upstream.name) direct.set(keyOf(r), r);
    else if (r.target === gateway.name) through.set(keyOf(r), r);
  }
  const entries: ComparisonEntry[] = [];
  const keys = [...new Set([...through.keys(), ...direct.keys()])].sort();
  for (const key of keys) {
    const g = through.get(key);
    const d = direct.get(key);
    const kind = classify(g?.outcome ?? 'absent', d?.outcome ?? 'absent');
    if (!kind) continue;
    const ref = (g ?? d)!;
    entries.push({
      checkId: ref.checkId,
      version: ref.version,
      binding: ref.binding,
      kind,
      gateway: g?.outcome ?? 'absent',
      direct: d?.outcome ?? 'absent',
      gatewayMessage: g?.message,
      directMessage: d?.message,
      expected: g?.baseline === 'expected' || undefined,
    });
  }
  const counts = emptyCounts();
  for (const e of entries) counts[e.kind]++;
  return { ...base, status: 'compared', counts, entries };
}

/** Every gateway target's comparison, in target order (undefined when the run has no gateway target). */
export function compareGateways(file: Pick<ResultsFile, 'targets' | 'results'>): GatewayComparison[] | undefined {
  const gateways = file.targets.filter((t) => t.upstream);
  if (gateways.length === 0) return undefined;
  const byName = new Map(file.targets.map((t) => [t.name, t]));
  return gateways
    .map((g) => compareTargets(g, byName.get(g.upstream!), file.results))
    .sort((a, b) => a.gateway.localeCompare(b.gateway));
}

/**
 * What `--gate introduced` counts: introduced failures the gateway target's baseline does not expect, and with
 * `strict` also warnings the gateway introduced (warn through it, no fail/warn direct).
 */
export function introducedBlocking(comparisons: readonly GatewayComparison[] | undefined, strict: boolean): number {
  let n = 0;
  for (const c of comparisons ?? [])
    for (const e of c.entries) {
      if (e.expected) continue;
      if (e.kind === 'introduced') n++;
      else if (strict && e.kind === 'changed' && e.gateway === 'warn' && e.direct !== 'warn') n++;
    }
  return n;
}
