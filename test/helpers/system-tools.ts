/**
 * System tools some tests need beyond npm (Debian packages): Chromium for the browser test of report.html, xmllint for
 * the JUnit XSD validation. On a developer machine without them those tests are skipped with one loud line on stderr
 * that says what is missing and how to install it; in CI (`CI` set and not "false"/"0") a missing tool fails the tests
 * that need it, naming the tool, so CI can never skip them silently. `.ci/run` installs both.
 */
import { spawnSync } from 'node:child_process';

export interface SystemTool {
  /** Shown in notices and failures. */
  name: string;
  /** Executable names looked up on PATH, first found wins. */
  commands: readonly string[];
  /** How to install it (Debian/Ubuntu). */
  install: string;
  /** The tests it enables, for the notice. */
  enables: string;
}

export const CHROMIUM_TOOL: SystemTool = {
  name: 'Chromium',
  commands: ['chromium', 'chromium-browser'],
  install: 'apt-get install chromium',
  enables: 'the browser test of report.html (test/browser/report.browser.test.ts)',
};

export const XMLLINT_TOOL: SystemTool = {
  name: 'xmllint',
  commands: ['xmllint'],
  install: 'apt-get install libxml2-utils',
  enables: 'the JUnit XSD validation tests (test/unit/reporters.test.ts)',
};

/** True when the environment says it is CI (GitHub, GitLab and most CI systems set CI=true). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

export type ToolDecision =
  | { action: 'run'; path: string }
  | { action: 'skip'; notice: string }
  | { action: 'fail'; message: string };

/** What to do with the tests that need `tool`, given where it was found (null: not on PATH) and the environment. */
export function decideTool(tool: SystemTool, found: string | null, env: NodeJS.ProcessEnv): ToolDecision {
  if (found) return { action: 'run', path: found };
  const looked = tool.commands.map((c) => `"${c}"`).join(' or ');
  if (isCi(env)) {
    return {
      action: 'fail',
      message:
        `${tool.name} is missing (no ${looked} on PATH) and CI is set: ${tool.enables} must run in CI, ` +
        `not skip. Install it: \`${tool.install}\` (.ci/run does).`,
    };
  }
  return {
    action: 'skip',
    notice: `!!! SKIPPED ${tool.enables}: ${tool.name} not found (no ${looked} on PATH). Enable: \`${tool.install}\``,
  };
}

/** The first of `commands` found on PATH, as an absolute path, or null. */
export function findOnPath(commands: readonly string[]): string | null {
  for (const cmd of commands) {
    const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
    const path = r.stdout?.trim();
    if (r.status === 0 && path) return path;
  }
  return null;
}

export interface ToolGate {
  /** Skip the tests that need the tool (missing, outside CI). */
  skip: boolean;
  /** The tool's path; throws the CI failure when it is missing in CI. Call it in the tests (or their beforeAll). */
  require(): string;
}

const announced = new Set<string>();

/**
 * Looks `tool` up once and decides. Missing outside CI: prints the notice (once per process) and `skip` is true.
 * Missing in CI: `skip` is false and `require()` throws, so the tests run and fail with the reason.
 */
export function toolGate(
  tool: SystemTool,
  env: NodeJS.ProcessEnv = process.env,
  find: (commands: readonly string[]) => string | null = findOnPath,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ToolGate {
  const decision = decideTool(tool, find(tool.commands), env);
  if (decision.action === 'skip' && !announced.has(tool.name)) {
    announced.add(tool.name);
    log(decision.notice);
  }
  return {
    skip: decision.action === 'skip',
    require() {
      if (decision.action === 'run') return decision.path;
      throw new Error(decision.action === 'fail' ? decision.message : decision.notice);
    },
  };
}
