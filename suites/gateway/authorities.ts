/**
 * The network authorities (`host[:port]`) an upstream can be reached at, learned from what the run knows of it: its
 * target URL and card URL, and every interface URL its cards declare (`url`, `additionalInterfaces[].url`,
 * `supportedInterfaces[].url`; every card snapshot its discovery fetched, so the 0.3 and 1.0 cards both count).
 * A gateway's card and answers should name none of them; where one appears, the finding names which it is and
 * where the upstream declared it.
 */
import type { UpstreamAccess } from '../../src/checks/types.js';
import { isObj } from '../../src/core/json.js';
import { declaredInterfaces } from '../../src/discovery/read-card.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';

export interface UpstreamAuthority {
  /** Lower-cased `host[:port]` as spelled (a URL's default port is dropped, as URL parsing does). */
  authority: string;
  /** What it is, for messages: "the upstream's GRPC address", "the upstream address". */
  label: string;
  /** Where the upstream declares it (first few), e.g. "card (1.0) supportedInterfaces[2].url". */
  declaredAt: string[];
  /** Whether the authority has an explicit port (decides how a match is delimited). */
  hasPort: boolean;
  /** Matches the authority where it stands alone (not as the prefix of a longer name or authority). */
  pattern: RegExp;
}

const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/** `host[:port]` of an interface URL: a URL's authority or a bare `host:port` (the gRPC form); else undefined. */
export function authorityOf(url: string): string | undefined {
  const u = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    try {
      const host = new URL(u).host.toLowerCase();
      return host || undefined;
    } catch {
      return undefined;
    }
  }
  return HOST_PORT.test(u) && /[.:\]]/.test(u) ? u.toLowerCase() : undefined;
}

export const whereOf = (i: DeclaredInterface): string => (i.source === 'url' ? 'url' : `${i.source}[${i.index}].url`);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matcher(authority: string, hasPort: boolean): RegExp {
  // Without an explicit port, not where it is the prefix of another name or of an authority with a port.
  return new RegExp(`(?<![\\w.-])${escapeRe(authority)}${hasPort ? '(?!\\d)' : '(?![\\w.-]|:\\d)'}`, 'i');
}

const MAX_DECLARED_AT = 3;

/**
 * Every authority of the upstream, minus those the gateway target itself is reached at (an upstream that already
 * names its public gateway is not leaking anything). Bounded by the cards' own sizes (discovery bounds those).
 */
export function upstreamAuthorities(up: UpstreamAccess, gatewayUrls: string[]): UpstreamAuthority[] {
  const own = new Set(gatewayUrls.map(authorityOf).filter((a): a is string => a !== undefined));
  const byAuthority = new Map<string, UpstreamAuthority>();
  const add = (url: string, label: string, where: string) => {
    const authority = authorityOf(url);
    if (!authority || own.has(authority)) return;
    const hasPort = /:\d+$/.test(authority);
    let a = byAuthority.get(authority);
    if (!a) {
      a = { authority, label, declaredAt: [], hasPort, pattern: matcher(authority, hasPort) };
      byAuthority.set(authority, a);
    }
    // One place per source (target, each card snapshot): the first declaration in each says enough.
    const source = where.replace(/\) .*$/, ')');
    if (a.declaredAt.length < MAX_DECLARED_AT && !a.declaredAt.some((d) => d.replace(/\) .*$/, ')') === source))
      a.declaredAt.push(where);
  };
  add(up.target.url, 'the upstream address', 'its target url');
  if (up.target.cardUrl) add(up.target.cardUrl, 'the upstream address', 'its cardUrl');
  for (const s of up.card.allSnapshots) {
    if (!isObj(s.json)) continue;
    for (const i of declaredInterfaces(s.json))
      add(i.url, `the upstream's ${i.bindingName || 'interface'} address`, `card (${s.requested}) ${whereOf(i)}`);
  }
  return [...byAuthority.values()];
}

/** The upstream authority an interface URL names, if any. */
export function upstreamAuthorityIn(url: string, all: UpstreamAuthority[]): UpstreamAuthority | undefined {
  const a = authorityOf(url);
  return a === undefined ? undefined : all.find((x) => x.authority === a);
}

/** `label authority (declared by the upstream at …)`, for messages, naming at most `places` declarations. */
export const describeAuthority = (a: UpstreamAuthority, places = MAX_DECLARED_AT): string =>
  `${a.label} ${a.authority} (declared by the upstream at ${a.declaredAt.slice(0, places).join(', ')})`;

/** The first JSON path (at most `maxNodes` visited) whose string value (or key) matches. */
export function jsonPathMatching(json: unknown, re: RegExp, maxNodes = 5000): string | undefined {
  let visited = 0;
  const walk = (v: unknown, path: string): string | undefined => {
    if (++visited > maxNodes) return undefined;
    if (typeof v === 'string') return re.test(v) ? path || '(root)' : undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const hit = walk(v[i], `${path}[${i}]`);
        if (hit) return hit;
      }
      return undefined;
    }
    if (isObj(v))
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (re.test(k)) return p;
        const hit = walk(x, p);
        if (hit) return hit;
      }
    return undefined;
  };
  return walk(json, '');
}
