/**
 * The rule for tests that need a system tool (Chromium, xmllint): present → run; missing → skip with a notice on a
 * developer machine, fail naming the tool in CI.
 */
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_TOOL,
  type SystemTool,
  XMLLINT_TOOL,
  decideTool,
  findOnPath,
  isCi,
  toolGate,
} from '../helpers/system-tools.js';

describe('decideTool', () => {
  it('runs the tests when the tool is found, in CI or not', () => {
    for (const env of [{}, { CI: 'true' }]) {
      expect(decideTool(CHROMIUM_TOOL, '/usr/bin/chromium', env)).toEqual({
        action: 'run',
        path: '/usr/bin/chromium',
      });
    }
  });

  it('outside CI, a missing tool skips with a one-line notice saying what is missing and how to install it', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }]) {
      const d = decideTool(XMLLINT_TOOL, null, env);
      expect(d.action, JSON.stringify(env)).toBe('skip');
      if (d.action !== 'skip') continue;
      expect(d.notice).toContain('xmllint not found');
      expect(d.notice).toContain('apt-get install libxml2-utils');
      expect(d.notice).toContain('SKIPPED');
      expect(d.notice).not.toContain('\n');
    }
    const chromium = decideTool(CHROMIUM_TOOL, null, {});
    expect(chromium.action === 'skip' && chromium.notice).toContain('apt-get install chromium');
  });

  it('with CI=true a missing tool fails, naming the tool and how to install it', () => {
    for (const env of [{ CI: 'true' }, { CI: 'TRUE' }, { CI: '1' }]) {
      const d = decideTool(CHROMIUM_TOOL, null, env);
      expect(d.action, JSON.stringify(env)).toBe('fail');
      if (d.action !== 'fail') continue;
      expect(d.message).toMatch(/^Chromium is missing/);
      expect(d.message).toContain('apt-get install chromium');
    }
    const x = decideTool(XMLLINT_TOOL, null, { CI: 'true' });
    expect(x.action === 'fail' && x.message).toMatch(/^xmllint is missing.*apt-get install libxml2-utils/);
  });

  it('isCi reads CI like the CI systems set it', () => {
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
  });
});

describe('toolGate', () => {
  const fake = (name: string): SystemTool => ({
    name,
    commands: [`${name}-cmd`],
    install: `apt-get install ${name}`,
    enables: `the ${name} tests`,
  });

  it('missing outside CI: skip, the notice is printed once per process, require() throws the notice', () => {
    const lines: string[] = [];
    const tool = fake('gate-skip');
    const a = toolGate(
      tool,
      {},
      () => null,
      (l) => lines.push(l),
    );
    const b = toolGate(
      tool,
      {},
      () => null,
      (l) => lines.push(l),
    );
    expect(a.skip).toBe(true);
    expect(b.skip).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install gate-skip');
    expect(() => a.require()).toThrow(/SKIPPED/);
  });

  it('missing with CI=true: not skipped, require() fails naming the tool, nothing printed', () => {
    const lines: string[] = [];
    const gate = toolGate(
      fake('gate-ci'),
      { CI: 'true' },
      () => null,
      (l) => lines.push(l),
    );
    expect(gate.skip).toBe(false);
    expect(() => gate.require()).toThrow(/^gate-ci is missing .*CI is set/);
    expect(lines).toEqual([]);
  });

  it('present: not skipped, require() returns the path the lookup found', () => {
    const gate = toolGate(fake('gate-ok'), { CI: 'true' }, (cmds) => `/opt/bin/${cmds[0]}`);
    expect(gate.skip).toBe(false);
    expect(gate.require()).toBe('/opt/bin/gate-ok-cmd');
  });
});

describe('findOnPath', () => {
  it('finds a command that exists (first match wins) and returns null for one that does not', () => {
    expect(findOnPath(['no-such-command-a2a-xyz', 'sh'])).toMatch(/\/sh$/);
    expect(findOnPath(['no-such-command-a2a-xyz'])).toBeNull();
    expect(findOnPath(['sh; echo injected'])).toBeNull();
  });
});
