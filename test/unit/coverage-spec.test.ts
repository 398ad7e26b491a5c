/** scripts/coverage-spec.ts: the traceability loader, on small inline files and a fake catalogue. */
import { describe, expect, it } from 'vitest';
import { formatReport, loadTraceability, type CheckLike, type TraceProblem } from '../../scripts/coverage-spec.js';

const CHECKS: CheckLike[] = [
  {
    id: 'card.a',
    specRefs: { '0.3': [{ section: '5.1', req: 'S03-01' }], '1.0': [{ section: '8.2', req: 'S10-01' }] },
  },
  { id: 'send.b', specRefs: { '1.0': [{ section: '3.1.1', req: 'S10-02' }] } },
  { id: 'send.only-03', specRefs: { '0.3': [{ section: '7.1', req: 'S03-x01' }] } },
];

const v10 = (body: string) => `version: "1.0"\nrequirements:\n${body}`;
const v03 = (body: string) => `version: "0.3"\nrequirements:\n${body}`;

const CLEAN_10 = v10(`
  - id: S10-01
    level: MUST
    section: "8.2"
    text: The card is published.
  - id: S10-02
    level: SHOULD
    section: "3.1.1, proto"
    since: "1.0.1"
    text: Something about sending.
  - id: S10-x01
    level: MUST
    section: "13.4"
    text: Logs hold no secrets.
    excluded: { reason: not-black-box, note: server-side }
`);

const CLEAN_03 = v03(`
  - id: S03-01
    level: MUST
    section: "5.1"
    text: The card is published.
  - id: S03-x01
    level: D
    section: "7.1"
    text: Send works.
`);

async function load(sources: { '0.3'?: string; '1.0'?: string }, checks: CheckLike[] = CHECKS) {
  return loadTraceability({
    checks,
    sources: Object.fromEntries(Object.entries(sources).map(([v, text]) => [v, { text, file: `fixture-${v}.yaml` }])),
  });
}

const kinds = (ps: TraceProblem[]) => ps.map((p) => p.kind);

describe('loadTraceability', () => {
  it('accepts consistent files: counts, reverse map, ok', async () => {
    const t = await load({ '0.3': CLEAN_03, '1.0': CLEAN_10 });
    expect(t.problems).toEqual([]);
    expect(t.ok).toBe(true);
    expect(t.versions['1.0']!.counts).toEqual({ covered: 2, excluded: 1, planned: 0, uncovered: 0 });
    expect(t.versions['0.3']!.counts).toEqual({ covered: 2, excluded: 0, planned: 0, uncovered: 0 });
    expect(t.versions['1.0']!.requirements[1]).toMatchObject({
      id: 'S10-02',
      since: '1.0.1',
      status: 'covered',
      line: 8,
    });
    expect(t.byCheck['card.a']).toEqual([
      { version: '0.3', requirement: 'S03-01' },
      { version: '1.0', requirement: 'S10-01' },
    ]);
    expect(t.hints).toEqual([]);
  });

  it('derives the covering checks from the citations, in catalogue order', async () => {
    const checks = [...CHECKS, { id: 'send.d', specRefs: { '1.0': [{ section: '3.1.1', req: 'S10-02' }] } }];
    const t = await load({ '1.0': CLEAN_10 }, checks);
    expect(t.versions['1.0']!.requirements.find((r) => r.id === 'S10-02')!.checks).toEqual(['send.b', 'send.d']);
    expect(t.byCheck['send.d']).toEqual([{ version: '1.0', requirement: 'S10-02' }]);
  });

  it('rejects a `checks:` list in the file (the link lives in the checks), with its line', async () => {
    const t = await load({
      '1.0': CLEAN_10.replace('    text: Something about sending.\n', '$&    checks: [send.b]\n'),
    });
    expect(t.ok).toBe(false);
    expect(t.problems).toEqual([
      expect.objectContaining({ kind: 'malformed', requirement: 'S10-02', line: 8, file: 'fixture-1.0.yaml' }),
    ]);
    expect(t.problems[0]!.message).toMatch(/derived from the checks' specRefs/);
  });

  it('catches a check whose specRefs cite a requirement the file does not define', async () => {
    const checks = [...CHECKS, { id: 'send.c', specRefs: { '1.0': [{ section: '3.1.1', req: 'S10-99' }] } }];
    const t = await load({ '1.0': CLEAN_10 }, checks);
    expect(kinds(t.problems)).toContain('unknown-requirement');
    expect(t.problems.find((p) => p.kind === 'unknown-requirement')).toMatchObject({
      check: 'send.c',
      requirement: 'S10-99',
      version: '1.0',
    });
  });

  it('catches a requirement removed from the file while a check still cites it', async () => {
    const withoutS1002 = CLEAN_10.replace(/ {2}- id: S10-02[\s\S]*?text: Something about sending\.\n/, '');
    const t = await load({ '1.0': withoutS1002 });
    expect(t.problems).toEqual([
      expect.objectContaining({ kind: 'unknown-requirement', check: 'send.b', requirement: 'S10-02' }),
    ]);
  });

  it('reports uncovered and planned requirements as problems', async () => {
    const t = await load({
      '1.0': `${CLEAN_10}
  - id: S10-03
    level: MUST
    section: "3.6.2"
    text: Versions are negotiated.
    planned: versions
  - id: S10-04
    level: SHOULD
    section: "8.6.1"
    text: Cards are cacheable.
  - id: S10-05
    level: MUST
    section: "3.3.4"
    text: Capability gating.
    planned: [push, auth]
`,
    });
    expect(t.versions['1.0']!.counts).toEqual({ covered: 2, excluded: 1, planned: 2, uncovered: 1 });
    expect(t.problems.map((p) => [p.kind, p.requirement])).toEqual([
      ['planned', 'S10-03'],
      ['uncovered', 'S10-04'],
      ['planned', 'S10-05'],
    ]);
    expect(t.versions['1.0']!.requirements.find((r) => r.id === 'S10-05')!.planned).toEqual(['push', 'auth']);
    const text = formatReport(t);
    expect(text).toMatch(/planned 2 · uncovered 1/);
    expect(text).toMatch(/S10-04 +SHOULD/);
    expect(text).toMatch(/FAIL: 3 problem/);
  });

  it('rejects an excluded requirement that a check cites', async () => {
    const checks = [...CHECKS, { id: 'send.e', specRefs: { '1.0': [{ section: '13.4', req: 'S10-x01' }] } }];
    const t = await load({ '1.0': CLEAN_10 }, checks);
    expect(t.problems).toEqual([expect.objectContaining({ kind: 'excluded-but-cited', requirement: 'S10-x01' })]);
  });

  it('validates the entry shape', async () => {
    const t = await load({
      '1.0': v10(`
  - id: S10-01
    level: MUST
    section: "8.2"
    text: ok
  - id: S10-02
    level: MUST
    section: "3.1.1"
    text: both
    checks: [send.b]
    excluded: { reason: out-of-scope, note: n }
  - id: S10-x02
    level: MUST
    section: "3.1.5"
    text: ambiguous without a C-number
    excluded: { reason: ambiguous, note: the spec disagrees with itself }
  - id: S10-x03
    level: MUST
    section: "3.1.5"
    text: a bad reason
    excluded: { reason: too-hard, note: n }
  - id: S03-01
    level: OFTEN
    section: "99.9"
    text: wrong prefix, level and section
    since: "1.0.2"
  - id: S10-01
    level: MUST
    section: "8.2"
    text: duplicate
    colour: blue
`),
    });
    const messages = t.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/S10-02: `checks` is derived/);
    expect(messages).toMatch(/S10-x02: an ambiguous exclusion must cite/);
    expect(messages).toMatch(/S10-x03: excluded.reason "too-hard"/);
    expect(messages).toMatch(/id "S03-01" does not match/);
    expect(messages).toMatch(/level "OFTEN"/);
    expect(messages).toMatch(/no section 99\.9/);
    expect(messages).toMatch(/since may only be "1\.0\.1"/);
    expect(messages).toMatch(/unknown key "colour"/);
    expect(kinds(t.problems)).toContain('duplicate-id');
    // An ambiguous exclusion citing its C-number is fine.
    const good = await load({
      '1.0': CLEAN_10.replace(
        'excluded: { reason: not-black-box, note: server-side }',
        'excluded: { reason: ambiguous, note: "C6: §3.1.1 vs §3.2.2" }',
      ),
    });
    expect(good.problems).toEqual([]);
  });

  it('reports malformed YAML and a wrong version header', async () => {
    const bad = await load({ '1.0': 'version: "1.0"\nrequirements: [\n' });
    expect(kinds(bad.problems)).toEqual(['malformed']);
    const wrong = await load({ '0.3': CLEAN_10 });
    expect(wrong.problems.some((p) => /version is "1.0", expected "0.3"/.test(p.message))).toBe(true);
  });

  it('hints when a check cites no requirement of a version it applies to', async () => {
    const checks = [...CHECKS, { id: 'send.f', specRefs: { '1.0': [{ section: '3.1.1' }] } }];
    const t = await load({ '1.0': CLEAN_10 }, checks);
    expect(t.problems).toEqual([]);
    expect(t.hints).toEqual([expect.objectContaining({ kind: 'untraced-check', check: 'send.f', version: '1.0' })]);
  });
});
