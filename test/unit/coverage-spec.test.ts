/** scripts/coverage-spec.ts: the traceability loader, on small inline files and a fake catalogue. */
import { describe, expect, it } from 'vitest';
import {
  adoptCitedChecks,
  formatReport,
  loadTraceability,
  type CheckLike,
  type TraceProblem,
} from '../../scripts/coverage-spec.js';

const CHECKS: CheckLike[] = [
  {
    id: 'card.a',
    specRefs: { '0.3': [{ section: '5.1', req: 'S03-01' }], '1.0': [{ section: '8.2', req: 'S10-01' }] },
  },
  { id: 'send.b', specRefs: { '1.0': [{ section: '3.1.1', req: 'S10-02' }] } },
  { id: 'send.only-03', specRefs: { '0.3': [{ section: '7.1' }] } },
];

const v10 = (body: string) => `version: "1.0"\nrequirements:\n${body}`;
const v03 = (body: string) => `version: "0.3"\nrequirements:\n${body}`;

const CLEAN_10 = v10(`
  - id: S10-01
    level: MUST
    section: "8.2"
    text: The card is published.
    checks: [card.a]
  - id: S10-02
    level: SHOULD
    section: "3.1.1, proto"
    since: "1.0.1"
    text: Something about sending.
    checks: [send.b]
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
    checks: [card.a]
  - id: S03-x01
    level: D
    section: "7.1"
    text: Send works.
    checks: [send.only-03]
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
      line: 9,
    });
    expect(t.byCheck['card.a']).toEqual([
      { version: '0.3', requirement: 'S03-01' },
      { version: '1.0', requirement: 'S10-01' },
    ]);
    expect(t.hints).toEqual([]);
  });

  it('catches a check id that is not in the catalogue, with its line', async () => {
    const t = await load({ '1.0': CLEAN_10.replace('checks: [send.b]', 'checks: [send.b, send.bogus]') });
    expect(t.ok).toBe(false);
    expect(t.problems).toHaveLength(1);
    expect(t.problems[0]).toMatchObject({
      kind: 'unknown-check',
      version: '1.0',
      requirement: 'S10-02',
      check: 'send.bogus',
      line: 9,
      file: 'fixture-1.0.yaml',
    });
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
    // send.c also traces to nothing: a hint, not a problem.
    expect(t.hints).toContainEqual(
      expect.objectContaining({ kind: 'untraced-check', check: 'send.c', version: '1.0' }),
    );
  });

  it('catches a requirement removed from the file while a check still cites it', async () => {
    const withoutS1002 = CLEAN_10.replace(/ {2}- id: S10-02[\s\S]*?checks: \[send\.b\]\n/, '');
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
    checks: [card.a]
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

  it('rejects a check listed for a version it does not apply to', async () => {
    const t = await load({ '1.0': CLEAN_10.replace('checks: [send.b]', 'checks: [send.b, send.only-03]') });
    expect(t.problems).toEqual([expect.objectContaining({ kind: 'check-not-for-version', check: 'send.only-03' })]);
  });

  it('validates the entry shape', async () => {
    const t = await load({
      '1.0': v10(`
  - id: S10-01
    level: MUST
    section: "8.2"
    text: ok
    checks: [card.a]
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
    checks: [card.a]
  - id: S10-01
    level: MUST
    section: "8.2"
    text: duplicate
    checks: [card.a]
    colour: blue
`),
    });
    const messages = t.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/S10-02: give either checks or excluded/);
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

  it('hints when a check cites a requirement that does not list it', async () => {
    const t = await load({ '1.0': CLEAN_10.replace('checks: [card.a]', 'checks: [send.b]') });
    expect(t.problems).toEqual([]);
    expect(t.hints).toContainEqual(
      expect.objectContaining({ kind: 'cited-not-listed', check: 'card.a', requirement: 'S10-01' }),
    );
    expect(t.hints).toContainEqual(
      expect.objectContaining({ kind: 'untraced-check', check: 'card.a', version: '1.0' }),
    );
  });
});

describe('adoptCitedChecks', () => {
  it('adds citing checks, drops planned, keeps comments and layout', async () => {
    const text = v10(`
  # a comment that must survive
  - id: S10-01
    level: MUST
    section: "8.2"
    text: The card is published.
    planned: card
    note: kept
  - id: S10-02
    level: SHOULD
    section: "3.1.1"
    text: Something about sending.
    checks: [card.a]
  - id: S10-x01
    level: MUST
    section: "13.4"
    text: Logs hold no secrets.
    excluded: { reason: not-black-box, note: server-side }
`);
    const { text: out, changes } = adoptCitedChecks(text, '1.0', CHECKS);
    expect(changes).toEqual(['1.0 S10-01: + card.a (no longer planned)', '1.0 S10-02: + send.b']);
    expect(out).toContain('# a comment that must survive');
    expect(out).toContain('    checks: [card.a]\n    note: kept');
    expect(out).toContain('    checks: [card.a, send.b]');
    expect(out).not.toContain('planned');
    const t = await load({ '1.0': out });
    expect(t.problems).toEqual([]);
    // Nothing to adopt: the text comes back unchanged.
    expect(adoptCitedChecks(out, '1.0', CHECKS)).toEqual({ text: out, changes: [] });
  });
});
