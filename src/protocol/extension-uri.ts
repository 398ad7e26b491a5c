/**
 * Versions in extension URIs. Both versions recommend "including a version number directly in the URI path, such
 * as https://example.com/ext/my-extension/v1" (topics/extensions; 1.0 §4.6.3 "Extensions SHOULD include version
 * information in their URI identifier"). This reads the last version token of a URI's path (`v1`, `v2.1`, `1.0`)
 * so that another version of the same extension can be named, and two URIs can be told to be versions of one
 * extension (same URI with the version token left out).
 */

/** A version token: a path segment, or the tail of one after `-`, `_` or `.`, like `v1`, `v2.0`, `1.2.3`. */
const TOKEN = /(^|[/._-])(v?)(\d{1,6})((?:\.\d{1,6}){0,3})(?=$|\/)/gi;

export interface VersionedUri {
  /** The URI with its version token replaced by `{version}`: equal for two versions of one extension. */
  family: string;
  /** The major version number of the token. */
  major: number;
  /** The same URI at another major version (minor components kept as zeros). */
  withMajor(major: number): string;
}

/** The version token of an extension URI, or undefined when its path names none (or it is not a URL). */
export function versionedUri(uri: string): VersionedUri | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const path = url.pathname;
  let last: RegExpExecArray | undefined;
  for (const m of path.matchAll(TOKEN)) last = m as RegExpExecArray;
  if (!last) return undefined;
  const [whole, sep, v, major, minors] = last as unknown as [string, string, string, string, string];
  const start = last.index + sep.length;
  const end = last.index + whole.length;
  const prefix = `${url.protocol}//${url.host}${path.slice(0, start)}`;
  const suffix = `${path.slice(end)}${url.search}${url.hash}`;
  const zeros = minors.replace(/\d+/g, '0');
  return {
    family: `${prefix}{version}${suffix}`.toLowerCase(),
    major: Number(major),
    withMajor: (n) => `${prefix}${v}${n}${zeros}${suffix}`,
  };
}

/** Whether two URIs name versions of the same extension (including the very same URI). */
export function sameExtension(a: string, b: string): boolean {
  const x = versionedUri(a);
  const y = versionedUri(b);
  return x !== undefined && y !== undefined && x.family === y.family;
}

/**
 * A version of the extension that none of `known` names: the next major versions after the highest known one (at
 * most 10 tries), or undefined when the URI carries no version.
 */
export function unlistedVersion(uri: string, known: readonly string[]): string | undefined {
  const v = versionedUri(uri);
  if (!v) return undefined;
  const taken = new Set(known.map((k) => k.toLowerCase()));
  const highest = Math.max(
    v.major,
    ...known
      .map((k) => versionedUri(k))
      .filter((k) => k?.family === v.family)
      .map((k) => k!.major),
  );
  for (let n = highest + 1; n <= highest + 10; n++) {
    const candidate = v.withMajor(n);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
  return undefined;
}
