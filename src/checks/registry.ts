/** defineCheck(): validates check metadata once, resolves spec links, and keeps the catalogue. */
import type { ProtocolVersion, SpecRef } from '../core/types.js';
import type { CheckMeta } from '../results/types.js';
import { SPEC_SECTIONS } from './spec-sections.generated.js';
import type { CheckDefinition } from './types.js';

export const SPEC_BASE_URL: Record<ProtocolVersion, string> = {
  '0.3': 'https://a2a-protocol.org/v0.3.0/specification/',
  '1.0': 'https://a2a-protocol.org/v1.0.0/specification/',
};

const ID_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)+$/;

export function specUrl(version: ProtocolVersion, section: string): string {
  const entry = SPEC_SECTIONS[version]?.[section];
  return entry ? `${SPEC_BASE_URL[version]}#${entry.anchor}` : SPEC_BASE_URL[version];
}

export function specTitle(version: ProtocolVersion, section: string): string | undefined {
  return SPEC_SECTIONS[version]?.[section]?.title;
}

/** Validate and normalise a check definition. Throws on authoring mistakes (caught by the registry test). */
export function defineCheck(def: CheckDefinition): CheckDefinition {
  const problems: string[] = [];
  if (!ID_PATTERN.test(def.id)) problems.push(`id "${def.id}" must be lowercase segments joined by dots/hyphens`);
  if (!def.id.startsWith(`${def.suite}.`)) problems.push(`id "${def.id}" must start with its suite "${def.suite}."`);
  if (!def.requirement.trim()) problems.push('requirement sentence is empty');
  const versions = Object.keys(def.specRefs) as ProtocolVersion[];
  if (versions.length === 0) problems.push('no spec reference: a check must cite the section it verifies');
  for (const v of versions) {
    for (const ref of def.specRefs[v] ?? []) {
      if (!SPEC_SECTIONS[v]?.[ref.section]) problems.push(`spec ${v} has no section ${ref.section}`);
    }
  }
  if (def.bindings && def.scope !== 'binding') problems.push('bindings filter only applies to binding-scoped checks');
  if (problems.length) throw new Error(`check ${def.id}: ${problems.join('; ')}`);

  const specRefs: Partial<Record<ProtocolVersion, SpecRef[]>> = {};
  for (const v of versions)
    specRefs[v] = (def.specRefs[v] ?? []).map((r) => ({ ...r, url: r.url ?? specUrl(v, r.section) }));
  return { ...def, specRefs, scenario: def.scenario ?? def.id };
}

export function checkVersions(def: Pick<CheckDefinition, 'specRefs'>): ProtocolVersion[] {
  return (Object.keys(def.specRefs) as ProtocolVersion[]).sort();
}

export function toMeta(def: CheckDefinition): CheckMeta {
  return {
    id: def.id,
    suite: def.suite,
    title: def.title,
    level: def.level,
    requirement: def.requirement,
    specRefs: def.specRefs,
    scenario: def.scenario ?? def.id,
  };
}

/** Build a catalogue, rejecting duplicate ids. */
export function buildCatalogue(defs: CheckDefinition[]): Map<string, CheckDefinition> {
  const map = new Map<string, CheckDefinition>();
  for (const d of defs) {
    if (map.has(d.id)) throw new Error(`duplicate check id ${d.id}`);
    map.set(d.id, d);
  }
  return map;
}

/**
 * Glob over check ids: `*` matches within one segment, `**` across segments, `?` one character of a segment;
 * a plain id also selects its subtree (`stream` = `stream.**`).
 */
export function idMatcher(pattern: string): (id: string) => boolean {
  if (!/[*?]/.test(pattern)) return (id) => id === pattern || id.startsWith(`${pattern}.`);
  const segment = (p: string) =>
    p
      .split('*')
      .map((q) => q.split('?').map(escapeRe).join('[^.]'))
      .join('[^.]*');
  const re = new RegExp(`^${pattern.split('**').map(segment).join('.*')}$`);
  return (id) => re.test(id);
}

const escapeRe = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
