/**
 * The lint gate (`npm run lint`, run by `npm test` before vitest) has teeth: Biome with the repository's biome.json
 * rejects a floating promise and a 200-character line of code, the line-length script rejects a 200-character line
 * Biome cannot wrap (a string), and a clean file passes both. The files live in a temporary folder inside the repo (so
 * biome.json and its includes apply exactly as to real code) and are removed afterwards, whatever the outcome.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIOME = join(ROOT, 'node_modules/.bin/biome');
const LINE_LENGTH = join(ROOT, 'scripts/check-line-length.mjs');

/** `export const v = [1, 1, …, 1];`, exactly `length` characters long (the name absorbs the remainder). */
function codeLine(length: number): string {
  const k = Math.floor((length - 21) / 3);
  return `export const v${'x'.repeat(length - 21 - 3 * k)} = [${'1, '.repeat(k)}1];`;
}

const SOURCES = {
  'clean.ts': [
    'export async function work(): Promise<number> {',
    '  return 1;',
    '}',
    'export async function caller(): Promise<number> {',
    '  return await work();',
    '}',
    '',
  ],
  'floating.ts': ['async function work(): Promise<void> {}', 'export function caller(): void {', '  work();', '}', ''],
  // 200 characters of code: Biome's formatter would wrap it, so `biome ci` rejects it as misformatted
  'long-code.ts': [codeLine(200), ''],
  // 200 characters inside a string: Biome leaves it alone, the line-length script does not
  'long-string.ts': [`export const text = '${'x'.repeat(200 - "export const text = '';".length)}';`, ''],
} as const;
type Name = keyof typeof SOURCES;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, { cwd: ROOT, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

interface BiomeDiagnostic {
  category: string;
  severity: string;
  location?: { path?: string };
}

let dir = '';
const path = (name: Name) => relative(ROOT, join(dir, name));
/** Biome over all four files at once (its project scan dominates the time), and over the clean file alone. */
let biomeAll: Run;
let biomeClean: Run;

beforeAll(async () => {
  dir = mkdtempSync(join(ROOT, 'test', 'lint-gate-tmp-'));
  for (const [name, lines] of Object.entries(SOURCES)) writeFileSync(join(dir, name), lines.join('\n'));
  [biomeAll, biomeClean] = await Promise.all([
    run(BIOME, ['ci', '--colors=off', '--reporter=json', relative(ROOT, dir)]),
    run(BIOME, ['ci', '--colors=off', path('clean.ts')]),
  ]);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const diagnostics = (name: Name): string[] => {
  const report = JSON.parse(biomeAll.stdout) as { diagnostics: BiomeDiagnostic[] };
  return report.diagnostics
    .filter((d) => d.severity === 'error' && d.location?.path?.endsWith(`/${name}`))
    .map((d) => d.category);
};

describe('lint gate', () => {
  it('the fixtures are what they claim: two lines of exactly 200 characters', () => {
    expect(SOURCES['long-code.ts'][0]).toHaveLength(200);
    expect(SOURCES['long-string.ts'][0]).toHaveLength(200);
  });

  it('biome ci rejects a floating promise (noFloatingPromises)', () => {
    expect(biomeAll.code).not.toBe(0);
    expect(diagnostics('floating.ts')).toContain('lint/nursery/noFloatingPromises');
  });

  it('biome ci rejects a 200-character line of code (formatting at 120 columns)', () => {
    expect(diagnostics('long-code.ts')).toContain('format');
  });

  it('the line-length script rejects a 200-character line, naming file and line; a clean file passes', async () => {
    const long = await run('node', [LINE_LENGTH, path('long-string.ts'), path('clean.ts')]);
    expect(long.code).toBe(1);
    expect(long.stderr).toContain(`${path('long-string.ts')}:1: 200 characters (max 120)`);
    expect(long.stderr).not.toContain('clean.ts');
    const code = await run('node', [LINE_LENGTH, path('long-code.ts')]);
    expect(code.code).toBe(1);
    const clean = await run('node', [LINE_LENGTH, path('clean.ts')]);
    expect(clean.code, clean.stderr).toBe(0);
  });

  it('a clean file passes biome ci (no diagnostics, exit 0)', () => {
    expect(diagnostics('clean.ts')).toEqual([]);
    expect(biomeClean.code, biomeClean.stdout + biomeClean.stderr).toBe(0);
  });
});
