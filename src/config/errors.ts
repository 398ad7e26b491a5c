/** Configuration problems, each pinned to file:line:col. Exit code 2. */
export interface ConfigIssue {
  file: string;
  line?: number;
  col?: number;
  /** JSON-pointer-like path into the document, e.g. /targets/1/headers. */
  path?: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatIssue(i: ConfigIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.col ?? 1}` : i.file;
  return `${where}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}
