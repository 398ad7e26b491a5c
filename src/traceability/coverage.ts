/**
 * Requirement traceability: requirements/a2a-<version>.yaml against the live check catalogue.
 *
 *   node --import tsx scripts/coverage-spec.ts [--root DIR] [--json] [--verbose]
 *
 * --verbose      print every hint (default: grouped)
 *
 * One source of truth: a check cites the requirement it verifies in its own `specRefs` (`{ section, req }`); the
 * requirement files list the requirements only, and which checks cover each is derived here from those citations.
 *
 * Each requirement (S03-xx / S10-xx, and S03-xNN / S10-xNN for requirements the checklist missed) is
 *   covered    cited by at least one check of the catalogue, in that version's specRefs
 *   excluded   `excluded: { reason, note }` (reason: not-black-box | ambiguous | needs-capability | out-of-scope;
 *              `ambiguous` must cite the wire-formats §13 C-number in its note)
 *   planned    `planned: <suite>` or a list of suites: a suite about to cover it (counts as uncovered)
 *   uncovered  none of these: a known gap
 *
 * Exit 1 when a requirement is uncovered or planned, an excluded one is cited by a check, a check's specRefs cite a
 * requirement id the version's file does not define, or a file is malformed.
 * `loadTraceability()` is the reusable part (unit tests, later `--list --coverage`).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { ProtocolVersion, SpecRef } from '../core/types.js';
import { SPEC_SECTIONS } from '../checks/spec-sections.generated.js';
import { PACKAGE_ROOT } from '../core/harness-info.js';

export const TRACE_VERSIONS: readonly ProtocolVersion[] = ['0.3', '1.0'];
export const REQUIREMENT_LEVELS = ['MUST', 'SHOULD', 'MAY', 'D'] as const;
export const EXCLUSION_REASONS = ['not-black-box', 'ambiguous', 'needs-capability', 'out-of-scope'] as const;
export type RequirementLevel = (typeof REQUIREMENT_LEVELS)[number];
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export type TraceStatus = 'covered' | 'excluded' | 'planned' | 'uncovered';

const ID_PATTERN: Record<ProtocolVersion, RegExp> = { '0.3': /^S03-x?\d{2}$/, '1.0': /^S10-x?\d{2}$/ };
export const FILE_NAME: Record<ProtocolVersion, string> = { '0.3': 'a2a-0.3.yaml', '1.0': 'a2a-1.0.yaml' };
const KNOWN_KEYS = new Set(['id', 'level', 'section', 'text', 'since', 'excluded', 'planned', 'note']);

/** What the loader needs of a check: its id and its per-version spec references. */
export interface CheckLike {
  id: string;
  suite?: string;
  specRefs: Partial<Record<ProtocolVersion, SpecRef[]>>;
}

export interface Requirement {
  id: string;
  level: RequirementLevel;
  section: string;
  text: string;
  since?: '1.0.1';
  /** Derived: the checks whose specRefs cite this requirement for this version, in catalogue order. */
  checks?: string[];
  excluded?: { reason: ExclusionReason; note: string };
  planned?: string[];
  note?: string;
  /** 1-based line of the entry in its file. */
  line: number;
  status: TraceStatus;
}

export interface VersionTrace {
  version: ProtocolVersion;
  file: string;
  requirements: Requirement[];
  counts: Record<TraceStatus, number>;
}

export type ProblemKind =
  | 'malformed'
  | 'duplicate-id'
  | 'excluded-but-cited'
  | 'unknown-requirement'
  | 'uncovered'
  | 'planned';

export interface TraceProblem {
  kind: ProblemKind;
  version: ProtocolVersion;
  file: string;
  line?: number;
  requirement?: string;
  check?: string;
  message: string;
}

export type HintKind = 'untraced-check';

export interface TraceHint {
  kind: HintKind;
  version: ProtocolVersion;
  check: string;
  requirement?: string;
  message: string;
}

export interface Traceability {
  versions: Partial<Record<ProtocolVersion, VersionTrace>>;
  /** Anything that makes the coverage run fail (exit 1). */
  problems: TraceProblem[];
  /** Consistency hints that do not fail the run (a check that cites no requirement of a version it applies to). */
  hints: TraceHint[];
  /** Reverse map: check id → the requirements it cites. */
  byCheck: Record<string, { version: ProtocolVersion; requirement: string }[]>;
  checkCount: number;
  ok: boolean;
}

export interface TraceabilityOptions {
  /** Directory holding a2a-0.3.yaml and a2a-1.0.yaml. Default: <repo>/requirements. */
  root?: string;
  /** Inline YAML per version instead of files (tests). Only the versions given are analysed. */
  sources?: Partial<Record<ProtocolVersion, { text: string; file?: string }>>;
  /** The catalogue. Default: ALL_CHECKS from suites/index.ts, imported live. */
  checks?: CheckLike[];
}

export const REPO_ROOT = PACKAGE_ROOT;

export async function loadTraceability(opts: TraceabilityOptions = {}): Promise<Traceability> {
  const root = opts.root ?? join(REPO_ROOT, 'requirements');
  const docs: { version: ProtocolVersion; file: string; text: string }[] = [];
  const readProblems: TraceProblem[] = [];
  if (opts.sources) {
    for (const v of TRACE_VERSIONS) {
      const s = opts.sources[v];
      if (s) docs.push({ version: v, file: s.file ?? `<inline ${v}>`, text: s.text });
    }
  } else {
    for (const v of TRACE_VERSIONS) {
      const file = join(root, FILE_NAME[v]);
      try {
        docs.push({ version: v, file, text: readFileSync(file, 'utf8') });
      } catch (e) {
        readProblems.push({
          kind: 'malformed',
          version: v,
          file,
          message: `cannot read ${file}: ${(e as Error).message}`,
        });
      }
    }
  }
  const checks = opts.checks ?? ((await import('../../suites/index.js')) as { ALL_CHECKS: CheckLike[] }).ALL_CHECKS;
  const trace = analyzeTraceability(docs, checks);
  trace.problems.unshift(...readProblems);
  trace.ok = trace.problems.length === 0;
  return trace;
}

/** Pure analysis of parsed-from-text requirement files against a catalogue. */
export function analyzeTraceability(
  docs: { version: ProtocolVersion; file: string; text: string }[],
  checks: CheckLike[],
): Traceability {
  const problems: TraceProblem[] = [];
  const hints: TraceHint[] = [];
  const byCheck: Traceability['byCheck'] = {};
  const versions: Traceability['versions'] = {};

  for (const doc of docs) {
    const { version, file } = doc;
    const problem = (p: Omit<TraceProblem, 'version' | 'file'>) => problems.push({ version, file, ...p });
    const parsed = parseRequirements(doc, problem);
    const requirements = parsed ?? [];
    const trace: VersionTrace = {
      version,
      file,
      requirements,
      counts: { covered: 0, excluded: 0, planned: 0, uncovered: 0 },
    };
    versions[version] = trace;
    const ids = new Set<string>();

    // Which checks cite which requirement of this version (the only place the link is written).
    const byId = new Map(requirements.map((r) => [r.id, r]));
    const citedBy = new Map<string, string[]>();
    for (const c of parsed ? checks : []) {
      const cited = new Set((c.specRefs[version] ?? []).map((ref) => ref.req).filter((x) => x !== undefined));
      for (const req of cited) {
        if (!byId.has(req))
          problem({
            kind: 'unknown-requirement',
            check: c.id,
            requirement: req,
            message: `check "${c.id}" cites ${req} for ${version}, which ${file} does not define`,
          });
        (citedBy.get(req) ?? citedBy.set(req, []).get(req)!).push(c.id);
        (byCheck[c.id] ??= []).push({ version, requirement: req });
      }
      if (c.specRefs[version] && cited.size === 0)
        hints.push({
          kind: 'untraced-check',
          version,
          check: c.id,
          message: `check "${c.id}" applies to ${version} but cites no ${version} requirement`,
        });
    }

    for (const r of requirements) {
      if (ids.has(r.id))
        problem({ kind: 'duplicate-id', line: r.line, requirement: r.id, message: `${r.id} is defined twice` });
      ids.add(r.id);
      const citing = citedBy.get(r.id) ?? [];
      if (citing.length) r.checks = citing;
      r.status = r.excluded ? 'excluded' : r.planned ? 'planned' : citing.length ? 'covered' : 'uncovered';
      trace.counts[r.status]++;
      if (r.excluded && citing.length)
        problem({
          kind: 'excluded-but-cited',
          line: r.line,
          requirement: r.id,
          message: `${r.id} is excluded (${r.excluded.reason}) but ${citing.join(', ')} cite it: drop one or the other`,
        });
      if (r.status === 'uncovered')
        problem({
          kind: 'uncovered',
          line: r.line,
          requirement: r.id,
          message: `${r.id} (${r.level}) is cited by no check and has no exclusion and no plan: ${r.text}`,
        });
      if (r.status === 'planned')
        problem({
          kind: 'planned',
          line: r.line,
          requirement: r.id,
          message:
            `${r.id} (${r.level}) is planned for ${r.planned!.join(', ')}` +
            `${citing.length ? ` (cited by ${citing.join(', ')}: drop \`planned\`)` : ''}: ${r.text}`,
        });
    }
  }
  return { versions, problems, hints, byCheck, checkCount: checks.length, ok: problems.length === 0 };
}

function parseRequirements(
  doc: { version: ProtocolVersion; file: string; text: string },
  problem: (p: Omit<TraceProblem, 'version' | 'file'>) => void,
): Requirement[] | null {
  const lc = new LineCounter();
  const yaml = parseDocument(doc.text, { lineCounter: lc, prettyErrors: false });
  const lineOf = (n: YamlNode | null | undefined): number | undefined =>
    n?.range ? lc.linePos(n.range[0]).line : undefined;
  for (const e of yaml.errors)
    problem({ kind: 'malformed', line: e.linePos?.[0]?.line, message: `YAML: ${e.message.split('\n')[0]}` });
  if (yaml.errors.length) return null;
  const top = yaml.contents;
  if (!isMap(top)) {
    problem({ kind: 'malformed', message: 'the file must be a mapping with `version` and `requirements`' });
    return null;
  }
  const declared = top.get('version');
  if (String(declared) !== doc.version)
    problem({
      kind: 'malformed',
      line: lineOf(top.get('version', true) as YamlNode),
      message: `version is ${JSON.stringify(declared)}, expected "${doc.version}"`,
    });
  const seq = top.get('requirements', true);
  if (!isSeq(seq)) {
    problem({ kind: 'malformed', message: '`requirements` must be a list' });
    return null;
  }

  const out: Requirement[] = [];
  for (const item of seq.items) {
    const line = lineOf(item as YamlNode) ?? 0;
    if (!isMap(item)) {
      problem({ kind: 'malformed', line, message: 'a requirement must be a mapping' });
      continue;
    }
    const raw = (item.toJSON() ?? {}) as Record<string, unknown>;
    const bad = (message: string) =>
      problem({ kind: 'malformed', line, requirement: typeof raw.id === 'string' ? raw.id : undefined, message });
    for (const k of Object.keys(raw)) if (!KNOWN_KEYS.has(k) && k !== 'checks') bad(`unknown key "${k}"`);
    const id = typeof raw.id === 'string' ? raw.id : '';
    if (!ID_PATTERN[doc.version].test(id)) {
      bad(`id ${JSON.stringify(raw.id)} does not match ${ID_PATTERN[doc.version]}`);
      if (!id) continue;
    }
    const level = raw.level as RequirementLevel;
    if (!REQUIREMENT_LEVELS.includes(level))
      bad(`${id}: level ${JSON.stringify(raw.level)} is not one of ${REQUIREMENT_LEVELS.join(', ')}`);
    const section = isScalar(item.get('section', true)) ? String(raw.section) : '';
    if (!section) bad(`${id}: section is required`);
    for (const token of section
      .split(/[,;]\s*/)
      .map((s) => s.trim().replace(/^§/, ''))
      .filter(Boolean)) {
      if (/^\d+(\.\d+)*$/.test(token)) {
        if (!SPEC_SECTIONS[doc.version]?.[token])
          bad(`${id}: the ${doc.version} specification has no section ${token}`);
      } else if (!/^(proto|schema|topics\/[a-z-]+|A(\.\d+)*)\b/.test(token)) {
        bad(`${id}: section "${token}" is neither a section number nor proto / schema / topics/<page>`);
      }
    }
    if (typeof raw.text !== 'string' || !raw.text.trim()) bad(`${id}: text is required`);
    if (raw.since !== undefined && (raw.since !== '1.0.1' || doc.version !== '1.0'))
      bad(`${id}: since may only be "1.0.1", in the 1.0 file`);
    if (raw.checks !== undefined)
      bad(`${id}: \`checks\` is derived from the checks' specRefs; cite ${id} there and remove the key here`);
    const planned = raw.planned === undefined ? undefined : Array.isArray(raw.planned) ? raw.planned : [raw.planned];
    if (planned && (planned.length === 0 || planned.some((p) => typeof p !== 'string' || !p)))
      bad(`${id}: planned must be a suite name or a list of suite names`);
    let excluded: Requirement['excluded'];
    if (raw.excluded !== undefined) {
      const ex = raw.excluded as { reason?: unknown; note?: unknown } | null;
      if (!ex || typeof ex !== 'object') bad(`${id}: excluded must be { reason, note }`);
      else {
        if (!EXCLUSION_REASONS.includes(ex.reason as ExclusionReason))
          bad(`${id}: excluded.reason ${JSON.stringify(ex.reason)} is not one of ${EXCLUSION_REASONS.join(', ')}`);
        if (typeof ex.note !== 'string' || !ex.note.trim()) bad(`${id}: excluded.note is required`);
        else if (ex.reason === 'ambiguous' && !/\bC\d+\b/.test(ex.note))
          bad(`${id}: an ambiguous exclusion must cite the wire-formats §13 C-number (e.g. "C5") in its note`);
        excluded = { reason: ex.reason as ExclusionReason, note: String(ex.note ?? '') };
      }
      if (planned) bad(`${id}: an excluded requirement cannot also be planned`);
    }
    out.push({
      id,
      level,
      section,
      text: String(raw.text ?? ''),
      line,
      status: 'uncovered',
      ...(raw.since !== undefined ? { since: '1.0.1' as const } : {}),
      ...(excluded ? { excluded } : {}),
      ...(planned ? { planned: planned as string[] } : {}),
      ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

export function formatReport(t: Traceability, cwd = process.cwd(), verbose = false): string {
  const rel = (f: string) => (f.startsWith('<') ? f : relative(cwd, f) || f);
  const lines: string[] = [`Requirement coverage against the live catalogue (${t.checkCount} checks)`, ''];
  for (const v of TRACE_VERSIONS) {
    const vt = t.versions[v];
    if (!vt) continue;
    const c = vt.counts;
    const byLevel = (s: TraceStatus) =>
      REQUIREMENT_LEVELS.map(
        (l) => `${vt.requirements.filter((r) => r.status === s && r.level === l).length} ${l}`,
      ).join(' / ');
    lines.push(`${v}  ${rel(vt.file)}: ${vt.requirements.length} requirements`);
    lines.push(`     covered ${c.covered} · excluded ${c.excluded} · planned ${c.planned} · uncovered ${c.uncovered}`);
    lines.push(`     covered by level: ${byLevel('covered')};  uncovered by level: ${byLevel('uncovered')}`);
    const reasons = EXCLUSION_REASONS.map(
      (r) => `${r} ${vt.requirements.filter((x) => x.excluded?.reason === r).length}`,
    ).join(', ');
    lines.push(`     exclusions: ${reasons}`);
  }
  for (const v of TRACE_VERSIONS) {
    const vt = t.versions[v];
    if (!vt) continue;
    const unc = vt.requirements.filter((r) => r.status === 'uncovered');
    if (unc.length) {
      lines.push('', `Uncovered ${v} (${unc.length}):`);
      for (const r of unc) lines.push(`  ${r.id.padEnd(8)} ${r.level.padEnd(6)} §${r.section.padEnd(12)} ${r.text}`);
    }
    const planned = vt.requirements.filter((r) => r.status === 'planned');
    if (planned.length) {
      const bySuite = new Map<string, string[]>();
      for (const r of planned) for (const s of r.planned!) (bySuite.get(s) ?? bySuite.set(s, []).get(s)!).push(r.id);
      lines.push('', `Planned ${v} (${planned.length}, counted as uncovered until the suites land):`);
      for (const [s, ids] of [...bySuite].sort()) lines.push(`  ${s.padEnd(11)} ${ids.join(', ')}`);
    }
  }
  const other = t.problems.filter((p) => p.kind !== 'uncovered' && p.kind !== 'planned');
  if (other.length) {
    lines.push('', `Problems (${other.length}):`);
    for (const p of other) lines.push(`  ${rel(p.file)}${p.line ? `:${p.line}` : ''}  [${p.kind}] ${p.message}`);
  }
  if (t.hints.length) {
    lines.push('', `Hints (${t.hints.length}, do not fail the ` + `run${verbose ? '' : '; --verbose lists each'}):`);
    if (verbose) for (const h of t.hints) lines.push(`  ${h.version} [${h.kind}] ${h.message}`);
    else
      for (const v of TRACE_VERSIONS) {
        const untraced = t.hints.filter((h) => h.version === v).map((h) => h.check);
        if (untraced.length) lines.push(`  ${v}: checks citing no requirement: ${untraced.join(', ')}`);
      }
  }
  const verdict = t.ok ? 'OK: every requirement is covered or excluded' : `FAIL: ${t.problems.length} problem(s)`;
  lines.push('', verdict);
  return `${lines.join('\n')}\n`;
}
