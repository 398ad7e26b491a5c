/**
 * action.yml, run the way a GitHub runner runs a composite action: each `run` step through bash with the step's `env`
 * (expressions `${{ inputs.* }}` evaluated from the inputs and their defaults), GITHUB_ACTION_PATH, GITHUB_WORKSPACE,
 * and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. The install step (`npm ci` of this repository, already done for the
 * tests) and `uses:` steps (artifact upload) are not executed; their shape is checked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../src/core/types.js';
import { outputsOf } from '../../src/cli/action.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Step {
  name: string;
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionFile {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionFile;

/** The subset of GitHub expressions action.yml uses in env / working-directory / with. */
function evaluate(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const m = /^inputs\.([\w-]+)$/.exec(expr);
    if (m) return inputs[m[1]!] ?? '';
    if (expr === 'github.action_path') return ROOT;
    throw new Error(`expression not supported by this test: ${expr}`);
  });
}

function runAction(given: Record<string, string>, workspace = mkdtempSync(join(tmpdir(), 'a2a-action-'))) {
  writeFileSync(
    join(workspace, 'targets.yaml'),
    `targets:
  - name: my-agent
    url: http://127.0.0.1:\${PORT}
    start: { command: ${JSON.stringify(`node ${join(ROOT, 'dist/reference-agents/v1/server.js')}`)} }
    triggers: reference
`,
  );
  const outputFile = join(workspace, `github-output-${Object.keys(given).join('-')}-${Math.random()}`);
  const summaryFile = join(workspace, `step-summary-${Math.random()}.md`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputs = {
    ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])),
    ...given,
  };
  const codes: Record<string, number | null> = {};
  for (const step of action.runs.steps) {
    if (!step.run || /^npm ci\b/.test(step.run)) continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, inputs)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: step['working-directory'] ? evaluate(step['working-directory'], inputs) : workspace,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        CI: 'true',
        NO_COLOR: '1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    codes[step.id ?? step.name] = r.status;
  }
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { workspace, codes, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

describe('action.yml', () => {
  it('is a composite action whose run steps take inputs only through env, and whose outputs are all set', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) {
      if (s.run) expect(s.run, `${s.name}: no expression inside a shell line`).not.toMatch(/\$\{\{/);
      if (s.run) expect(s.shell).toBe('bash');
    }
    const run = action.runs.steps.find((s) => s.id === 'run')!;
    const passed = Object.values(run.env ?? {}).join(' ');
    for (const name of Object.keys(action.inputs))
      if (!['upload-artifact', 'artifact-name'].includes(name))
        expect(passed, `input ${name} reaches the run step`).toContain(`inputs.${name} }}`);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toContain("inputs.upload-artifact == 'true'");
    // Every declared output is one the run step writes.
    const written = Object.keys(outputsOf(undefined, 0, '/x')).concat(
      Object.keys(
        outputsOf(
          {
            summary: { total: 0, byOutcome: Object.fromEntries(OUTCOMES.map((o) => [o, 0])), unexpectedFailures: 0 },
            results: [],
            targets: [],
            run: { options: { strict: false }, partial: false },
          } as never,
          0,
          '/x',
        ),
      ),
    );
    for (const [name, o] of Object.entries(action.outputs)) {
      expect(o.value).toBe(`\${{ steps.run.outputs.${name} }}`);
      expect(written, `output ${name}`).toContain(name);
    }
  });

  it('runs the CLI, sets the outputs and appends summary.md to the job summary', () => {
    const r = runAction({ suites: 'card', versions: '1.0' });
    expect(r.codes.run).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs['exit-code']).toBe('0');
    expect(Number(r.outputs.pass)).toBeGreaterThan(0);
    expect(r.outputs.fail).toBe('0');
    expect(r.outputs['report-dir']).toBe(join(r.workspace, 'a2a-conformance'));
    expect(existsSync(r.outputs.results!)).toBe(true);
    expect(existsSync(join(r.workspace, 'a2a-conformance', 'junit.xml'))).toBe(true);
    expect(r.summary).toMatch(/^## ✅ A2A conformance — PASS/);
  }, 90_000);

  it('never lets an input reach a shell: metacharacters are one CLI argument, and fail as usage errors', () => {
    const r = runAction({ targets: '"$(touch pwned)";touch pwned2', 'allow-failure': 'true' });
    expect(existsSync(join(r.workspace, 'pwned'))).toBe(false);
    expect(existsSync(join(r.workspace, 'pwned2'))).toBe(false);
    expect(r.codes.run, 'a usage error fails the step even with allow-failure').toBe(2);
    expect(r.outputs.verdict).toBe('usage-error');
  }, 60_000);

  it('passes the step on findings with allow-failure, outputs still set', () => {
    // strict + the errors suite: the SDK's own deviations fail the run (no baseline in this targets file).
    const r = runAction({ suites: 'errors', versions: '1.0', bindings: 'jsonrpc', 'allow-failure': 'true' });
    expect(r.outputs.verdict).toBe('fail');
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.codes.run).toBe(0);
    expect(r.summary).toMatch(/A2A conformance — FAIL/);
  }, 90_000);

  it('runs a sharded matrix: each shard job, then the merge job over their reports', () => {
    const ws = mkdtempSync(join(tmpdir(), 'a2a-action-'));
    const one = runAction({ suites: 'card', versions: '1.0', shard: '1/2', 'out-dir': 'shards/1' }, ws);
    const two = runAction({ suites: 'card', versions: '1.0', shard: '2/2', 'out-dir': 'shards/2' }, ws);
    expect([one.codes.run, two.codes.run]).toEqual([0, 0]);
    expect(Number(one.outputs.total) + Number(two.outputs.total)).toBeGreaterThan(0);
    const merged = runAction({ merge: 'shards', 'out-dir': 'merged' }, ws);
    expect(merged.codes.run).toBe(0);
    expect(merged.outputs.total).toBe(String(Number(one.outputs.total) + Number(two.outputs.total)));
    expect(merged.outputs.verdict).toBe('pass');
    expect(merged.summary).toMatch(/A2A conformance — PASS/);
  }, 90_000);
});
