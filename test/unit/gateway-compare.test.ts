/** `upstream:` in targets.yaml, and the gateway comparison derived from results (src/results/compare.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseTargets } from '../../src/config/load-targets.js';
import type { Outcome } from '../../src/core/types.js';
import { classify, compareGateways, introducedBlocking } from '../../src/results/compare.js';
import { EXIT, exitCodeOf, summarize } from '../../src/results/summarize.js';
import type { CheckResult, TargetResult } from '../../src/results/types.js';
import { withUpstreams } from '../../src/runner/upstream.js';

const issuesOf = (yaml: string) => {
  try {
    parseTargets(yaml, 'targets.yaml', {});
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.line}:${i.col} ${i.message}`);
    throw e;
  }
  return [];
};

describe('upstream: in targets.yaml', () => {
  it('names another target that reaches the agent directly', () => {
    const { targets } = parseTargets(
      `targets:
  - { name: agent, url: "http://127.0.0.1:\${PORT}", start: { command: "node agent.js" } }
  - name: gw
    upstream: agent
    url: "http://127.0.0.1:\${PORT}/a2a/agent"
    start: { command: "node gw.js", env: { GATEWAY_UPSTREAM: "\${UPSTREAM_URL}" } }
`,
      'targets.yaml',
      {},
    );
    expect(targets[1]!.upstream).toBe('agent');
    // ${UPSTREAM_URL} is the harness's to fill in once the upstream is up, like ${PORT}.
    expect(targets[1]!.start!.env.GATEWAY_UPSTREAM).toBe('${UPSTREAM_URL}');
    expect(withUpstreams(targets, ['gw']).map((t) => t.name)).toEqual(['agent', 'gw']);
    expect(withUpstreams(targets, ['agent']).map((t) => t.name)).toEqual(['agent']);
  });

  it('rejects an unknown upstream, itself, and a chain of gateways, at file:line:col', () => {
    expect(issuesOf('targets:\n  - { name: gw, url: "http://x", upstream: nope }\n')).toEqual([
      expect.stringMatching(/^2:\d+ upstream "nope" is not a target of this file/),
    ]);
    expect(issuesOf('targets:\n  - { name: gw, url: "http://x", upstream: gw }\n')[0]).toMatch(/names itself/);
    const chain = issuesOf(
      'targets:\n  - { name: a, url: "http://a" }\n  - { name: b, url: "http://b", upstream: a }\n' +
        '  - { name: c, url: "http://c", upstream: b }\n',
    );
    expect(chain).toEqual([expect.stringMatching(/^4:\d+ upstream "b" is itself a gateway/)]);
    expect(issuesOf('targets:\n  - { name: a, url: "http://a", upstream: 3 }\n').length).toBe(1);
  });
});

const target = (name: string, upstream?: string, status: TargetResult['status'] = 'tested'): TargetResult => ({
  name,
  url: `http://${name}`,
  cardUrl: `http://${name}/.well-known/agent-card.json`,
  tags: [],
  status,
  cards: [],
  matrix: [],
  ...(upstream ? { upstream } : {}),
});
const result = (t: string, checkId: string, outcome: Outcome, extra: Partial<CheckResult> = {}): CheckResult => ({
  checkId,
  target: t,
  version: '1.0',
  binding: 'jsonrpc',
  outcome,
  message: `${t} ${outcome}`,
  durationMs: 1,
  transcriptIds: [],
  ...extra,
});

describe('gateway comparison', () => {
  it('classifies by whose fault a failure is', () => {
    expect(classify('fail', 'pass')).toBe('introduced');
    expect(classify('error', 'skip')).toBe('introduced');
    expect(classify('fail', 'absent')).toBe('introduced');
    expect(classify('pass', 'fail')).toBe('hidden');
    expect(classify('fail', 'error')).toBe('inherited');
    expect(classify('warn', 'pass')).toBe('changed');
    expect(classify('skip', 'pass')).toBe('changed');
    expect(classify('absent', 'fail')).toBe('changed');
    expect(classify('warn', 'absent')).toBe('changed');
    expect(classify('pass', 'pass')).toBeUndefined();
    expect(classify('pass', 'absent')).toBeUndefined();
  });

  const targets = [target('agent'), target('gw', 'agent'), target('gw2', 'agent'), target('lonely', 'missing')];
  const results = [
    result('agent', 'a.x', 'pass'),
    result('gw', 'a.x', 'fail'),
    result('agent', 'a.y', 'fail'),
    result('gw', 'a.y', 'fail'),
    result('agent', 'a.z', 'fail'),
    result('gw', 'a.z', 'pass'),
    result('agent', 'a.w', 'pass'),
    result('gw', 'a.w', 'warn'),
    result('gw', 'gateway.only', 'fail', { baseline: 'expected' }),
    result('gw2', 'a.x', 'pass'),
    result('gw2', 'a.y', 'fail'),
  ];

  it('compares each gateway with its upstream, once per (check, version, binding)', () => {
    const cmp = compareGateways({ targets, results })!;
    expect(cmp.map((c) => [c.gateway, c.status])).toEqual([
      ['gw', 'compared'],
      ['gw2', 'compared'],
      ['lonely', 'upstream-missing'],
    ]);
    const gw = cmp[0]!;
    expect(gw.counts).toEqual({ introduced: 2, hidden: 1, changed: 1, inherited: 1 });
    expect(gw.entries.find((e) => e.checkId === 'a.x')).toMatchObject({ kind: 'introduced', gateway: 'fail' });
    expect(gw.entries.find((e) => e.checkId === 'gateway.only')).toMatchObject({ direct: 'absent', expected: true });
    // A cell only the upstream ran is a change (the gateway does not offer it), not something it hid.
    expect(cmp[1]!.entries.find((e) => e.checkId === 'a.z')).toMatchObject({ kind: 'changed', gateway: 'absent' });
  });

  it('--gate introduced counts unexpected introduced failures only (and introduced warnings when strict)', () => {
    const cmp = compareGateways({ targets: targets.slice(0, 3), results })!;
    expect(introducedBlocking(cmp, false)).toBe(1);
    expect(introducedBlocking(cmp, true)).toBe(2);
    const file = { targets: targets.slice(0, 3), results, summary: summarize(results), comparisons: cmp };
    expect(exitCodeOf(file, false)).toBe(EXIT.failures);
    expect(exitCodeOf(file, false, 'introduced')).toBe(EXIT.failures);
    const clean = results.filter((r) => r.checkId !== 'a.x' && !(r.target === 'gw' && r.checkId === 'a.w'));
    const cleanCmp = compareGateways({ targets: targets.slice(0, 3), results: clean });
    const cleanFile = {
      targets: targets.slice(0, 3),
      results: clean,
      summary: summarize(clean),
      comparisons: cleanCmp,
    };
    expect(exitCodeOf(cleanFile, false)).toBe(EXIT.failures); // the agent's own failures
    expect(exitCodeOf(cleanFile, true, 'introduced')).toBe(EXIT.ok);
    // Nothing to compare with: not a pass.
    const lonely = compareGateways({ targets, results: clean });
    expect(
      exitCodeOf({ targets, results: clean, summary: summarize(clean), comparisons: lonely }, false, 'introduced'),
    ).toBe(EXIT.untested);
  });

  it('does not compare when a side could not be tested', () => {
    const cmp = compareGateways({
      targets: [target('agent', undefined, 'unreachable'), target('gw', 'agent')],
      results,
    });
    expect(cmp![0]).toMatchObject({ status: 'not-tested', counts: { introduced: 0 } });
    expect(cmp![0]!.message).toMatch(/upstream agent: unreachable/);
  });
});
