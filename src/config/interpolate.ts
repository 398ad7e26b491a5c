/** `${ENV_VAR}` interpolation on named fields only (never text substitution before parsing). */

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Interpolated {
  value: string;
  /** Values substituted from the environment: secrets, never to be written to a report. */
  substituted: string[];
  /** Names that were referenced but are not set. */
  missing: string[];
}

/**
 * Replace ${NAME} with env[NAME]. Names in `deferred` are left in place (e.g. PORT, known only when the harness
 * starts the agent). `$${X}` escapes to a literal `${X}`.
 */
export function interpolate(input: string, env: NodeJS.ProcessEnv, deferred: readonly string[] = []): Interpolated {
  const substituted: string[] = [];
  const missing: string[] = [];
  const value = input.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match: string, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    if (deferred.includes(name)) return match;
    const v = env[name];
    if (v === undefined || v === '') {
      missing.push(name);
      return match;
    }
    substituted.push(v);
    return v;
  });
  return { value, substituted, missing };
}

export function referencedVariables(input: string): string[] {
  return [...input.matchAll(PATTERN)].map((m) => m[1]!);
}
