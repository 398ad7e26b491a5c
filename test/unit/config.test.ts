import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseTargets } from '../../src/config/load-targets.js';

const load = (yaml: string, env: Record<string, string> = {}) => parseTargets(yaml, 'targets.yaml', env);
const issuesOf = (yaml: string, env: Record<string, string> = {}) => {
  try {
    load(yaml, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('targets.yaml loading', () => {
  it('applies defaults, derives the card URL and interpolates headers', () => {
    const { targets } = load(
      `
defaults:
  timeoutMs: 1234
  headers:
    x-team: conformance
targets:
  - name: gw
    url: https://gw.example/a2a/my-agent/
    headers:
      Authorization: Bearer \${GW_KEY}
    triggers: a2a-tck
`,
      { GW_KEY: 'sk-secret-123' },
    );
    const t = targets[0]!;
    expect(t.url).toBe('https://gw.example/a2a/my-agent');
    expect(t.cardUrl).toBe('https://gw.example/a2a/my-agent/.well-known/agent-card.json');
    expect(t.timeoutMs).toBe(1234);
    expect(t.headers).toEqual({ 'x-team': 'conformance', Authorization: 'Bearer sk-secret-123' });
    expect(t.secrets).toContain('sk-secret-123');
    expect(t.triggers['input-required']?.messageIdPrefix).toBe('tck-input-required');
    expect(t.specProfile).toBe('1.0.1');
  });

  it('passes production through (defaults too), leaves it unset by default and rejects a non-boolean', () => {
    const { targets } = load(`defaults:
  production: true
targets:
  - name: prod
    url: https://agent.example
  - name: staging
    url: https://staging.example
    production: false
`);
    expect(targets.map((t) => t.production)).toEqual([true, false]);
    expect(load('targets:\n  - name: a\n    url: http://127.0.0.1:1\n').targets[0]!.production).toBeUndefined();
    const issues = issuesOf('targets:\n  - name: a\n    url: http://127.0.0.1:1\n    production: yes-please\n');
    expect(issues[0]!.line).toBe(4);
  });

  it('names a missing environment variable with its position', () => {
    const issues = issuesOf(`targets:
  - name: gw
    url: https://gw.example/a2a/x
    headers:
      Authorization: Bearer \${NOT_SET_ANYWHERE}
`);
    expect(issues[0]!.message).toContain('NOT_SET_ANYWHERE');
    expect(issues[0]!.line).toBe(5);
  });

  it('rejects unknown keys (typos) at file:line:col', () => {
    const issues = issuesOf(`targets:
  - name: a
    url: http://127.0.0.1:1
    timeoutMS: 5
`);
    expect(issues.length).toBeGreaterThan(0);
    const i = issues[0]!;
    expect(i.line).toBe(4);
    expect(i.col).toBeGreaterThan(0);
    expect(`${i.path} ${i.message}`).toMatch(/timeoutMS/);
  });

  it('reports wrong types with the offending path', () => {
    const issues = issuesOf(`targets:
  - name: a
    url: http://127.0.0.1:1
    protocols: ["2.0"]
`);
    expect(issues[0]!.path).toMatch(/^\/targets\/0\/protocols/);
    expect(issues[0]!.line).toBe(4);
  });

  it('reports YAML syntax errors and duplicate keys with positions', () => {
    const dup = issuesOf(`targets:
  - name: a
    name: b
    url: http://x
`);
    expect(dup[0]!.message).toMatch(/DUPLICATE_KEY|duplicate/i);
    expect(dup[0]!.line).toBe(3);
  });

  it('rejects duplicate target names and unknown presets', () => {
    const issues = issuesOf(`targets:
  - name: a
    url: http://127.0.0.1:1
  - name: a
    url: http://127.0.0.1:2
    triggers: nonsense
`);
    const text = issues.map((i) => i.message).join('\n');
    expect(text).toMatch(/duplicate target name "a"/);
    expect(text).toMatch(/unknown trigger preset "nonsense"/);
  });

  it('keeps ${PORT} for started agents and expresses the LiteLLM gateway case in three lines', () => {
    const { targets } = load(
      `targets:
  - name: local
    url: http://127.0.0.1:\${PORT}
    start: { command: "node agent.js" }
  - name: litellm
    url: https://litellm.example/a2a/my-agent
    headers: { Authorization: "Bearer \${LITELLM_KEY}" }
`,
      { LITELLM_KEY: 'sk-litellm-virtual-key' },
    );
    expect(targets[0]!.url).toBe('http://127.0.0.1:${PORT}');
    expect(targets[0]!.start!.readyUrl).toBe('http://127.0.0.1:${PORT}/.well-known/agent-card.json');
    expect(targets[1]!.cardUrl).toBe('https://litellm.example/a2a/my-agent/.well-known/agent-card.json');
    expect(targets[1]!.secrets).toContain('Bearer sk-litellm-virtual-key');
  });
});
