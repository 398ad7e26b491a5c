/** --list: the expanded plan and its counts, computed without sending any traffic. */
import type { Binding, ProtocolVersion } from '../core/types.js';
import { BINDINGS, PROTOCOL_VERSIONS } from '../core/types.js';
import { checkVersions } from '../checks/registry.js';
import type { CheckInfo } from '../checks/catalogue.js';
import type { ResolvedTarget } from '../config/types.js';

export function printPlan(
  out: NodeJS.WritableStream,
  targets: ResolvedTarget[],
  checks: CheckInfo[],
  filters: { protocols?: ProtocolVersion[]; bindings?: Binding[] },
): number {
  let total = 0;
  const lines: string[] = [];
  for (const t of targets) {
    const versions = PROTOCOL_VERSIONS.filter(
      (v) => (!t.protocols || t.protocols.includes(v)) && (!filters.protocols || filters.protocols.includes(v)),
    );
    const bindings = BINDINGS.filter(
      (b) => (!t.bindings || t.bindings.includes(b)) && (!filters.bindings || filters.bindings.includes(b)),
    );
    lines.push(`${t.name}  ${t.url}${t.start ? '  (started by the harness)' : ''}`);
    for (const v of versions) {
      const cells: (Binding | null)[] = [null, ...bindings];
      for (const b of cells) {
        const applicable = checks.filter(
          (c) =>
            (!c.requires?.upstream || Boolean(t.upstream)) &&
            checkVersions(c).includes(v) &&
            (b === null ? c.scope === 'version' : c.scope === 'binding' && (!c.bindings || c.bindings.includes(b))),
        );
        if (!applicable.length) continue;
        total += applicable.length;
        lines.push(`  ${v} · ${b ?? 'card'}  ${applicable.length} checks`);
        for (const c of applicable) {
          const reqs = [...new Set((c.specRefs[v] ?? []).map((r) => r.req).filter(Boolean))].join(',');
          lines.push(`    ${c.id.padEnd(48)} ${c.level.padEnd(6)} ${reqs.padEnd(16)} ${c.title}`);
        }
      }
    }
  }
  lines.push(
    '',
    `${total} planned check runs across ${targets.length} target(s); ${checks.length} distinct checks.`,
    'Cells are confirmed against each agent card at run time: versions or bindings the card does not declare ' +
      'are not run.',
  );
  out.write(`${lines.join('\n')}\n`);
  return total;
}
