/**
 * targets.yaml → ResolvedTarget[]: parse with positions, validate against schemas/targets.schema.json,
 * apply `defaults:`, interpolate ${ENV} in named fields, resolve presets and files. Every problem is a ConfigIssue
 * with file:line:col.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Binding, ProtocolVersion, SpecProfile, TriggerName } from '../core/types.js';
import { validateTargetsDocument } from '../schemas/validate.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { interpolate } from './interpolate.js';
import { TRIGGER_PRESETS } from './trigger-presets.js';
import type { ExpectedFailure, LoadedConfig, ResolvedTarget, TriggerSpec } from './types.js';

/** Variables the harness itself provides to started agents. */
export const DEFERRED_VARS = ['PORT'] as const;
/** Also provided to a started gateway target: the base URL of its (started) upstream. */
export const UPSTREAM_VARS = ['UPSTREAM_URL'] as const;

const DEFAULTS = {
  timeoutMs: 10_000,
  checkTimeoutMs: 30_000,
  streamIdleTimeoutMs: 10_000,
  concurrency: 8,
  maxBodyBytes: 8 * 1024 * 1024,
  readyTimeoutMs: 20_000,
};

/** Raw shapes as the schema allows them (validated before use). */
interface RawTarget {
  name?: string;
  url?: string;
  cardUrl?: string;
  headers?: Record<string, string>;
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
  timeoutMs?: number;
  checkTimeoutMs?: number;
  streamIdleTimeoutMs?: number;
  concurrency?: number;
  maxBodyBytes?: number;
  tags?: string[];
  tls?: { ca?: string; cert?: string; key?: string; insecure?: boolean };
  start?: { command: string; cwd?: string; env?: Record<string, string>; readyUrl?: string; readyTimeoutMs?: number };
  triggers?: string | Partial<Record<TriggerName, TriggerSpec>>;
  specProfile?: SpecProfile;
  production?: boolean;
  expectedFailures?: ExpectedFailure[];
  webhook?: { host?: string; port?: number; publicUrl?: string };
  gateway?: string;
  upstream?: string;
}
interface RawFile {
  defaults?: RawTarget;
  targets: RawTarget[];
}

export function loadTargets(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, message: `cannot read targets file: ${(e as Error).message}` }]);
  }
  return parseTargets(text, file, env);
}

export function parseTargets(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const pos = positionFinder(doc, lineCounter, file);

  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const [start] = e.linePos ?? [];
        return { file, line: start?.line, col: start?.col, message: `YAML ${e.code}: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const raw = doc.toJS() as unknown;
  const schemaErrors = validateTargetsDocument(raw ?? {});
  if (schemaErrors.length > 0) {
    throw new ConfigError(schemaErrors.map((e) => ({ ...pos(e.path), path: e.path || '/', message: e.message })));
  }

  const data = raw as RawFile;
  const issues: ConfigIssue[] = [];
  const baseDir = dirname(resolve(file));
  const seen = new Map<string, number>();
  const targets: ResolvedTarget[] = [];

  data.targets.forEach((t, i) => {
    const at = (sub: string): ConfigIssue => ({
      ...pos(`/targets/${i}${sub}`),
      path: `/targets/${i}${sub}`,
      message: '',
    });
    const merged: RawTarget = {
      ...data.defaults,
      ...t,
      headers: { ...data.defaults?.headers, ...t.headers },
      tags: [...(data.defaults?.tags ?? []), ...(t.tags ?? [])],
    };
    const name = t.name!;
    if (seen.has(name))
      issues.push({
        ...at('/name'),
        message: `duplicate target name "${name}" (first defined as target #${seen.get(name)! + 1})`,
      });
    seen.set(name, i);

    const secrets: string[] = [];
    const deferred: readonly string[] = merged.start ? [...DEFERRED_VARS, ...(t.upstream ? UPSTREAM_VARS : [])] : [];
    const interp = (value: string, sub: string, secret: boolean): string => {
      const r = interpolate(value, env, deferred);
      for (const m of r.missing)
        issues.push({ ...at(sub), message: `environment variable ${m} is not set (referenced as \${${m}})` });
      if (secret) secrets.push(...r.substituted);
      return r.value;
    };

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged.headers ?? {})) {
      headers[k] = interp(String(v), `/headers/${k}`, true);
      // A header value is a credential unless it is plainly not (content negotiation etc.).
      if (!/^(accept|accept-language|user-agent)$/i.test(k) && headers[k]) {
        secrets.push(headers[k]);
        // `<scheme> <credentials>` (Authorization: Bearer …): the credentials alone are a secret too, wherever they
        // travel without the scheme (an agent's log line, a start.env value, an echo).
        const m = /^(proxy-)?authorization$/i.test(k)
          ? /^[A-Za-z][\w.+-]*[ \t]+(\S.*)$/.exec(headers[k]!.trim())
          : null;
        if (m) secrets.push(m[1]!.trim());
      }
    }
    let url = merged.url ? interp(merged.url, '/url', false) : undefined;
    let cardUrl = merged.cardUrl ? interp(merged.cardUrl, '/cardUrl', false) : undefined;
    if (!url && !cardUrl) issues.push({ ...at(''), message: 'a target needs `url` (or `cardUrl`)' });
    if (!url && cardUrl) url = cardUrl.replace(/\/\.well-known\/agent(-card)?\.json$/, '');
    url = (url ?? '').replace(/\/+$/, '');
    cardUrl ??= `${url}/.well-known/agent-card.json`;
    for (const [sub, value] of [
      ['/url', url],
      ['/cardUrl', cardUrl],
    ] as const) {
      try {
        new URL(value.replaceAll('${PORT}', '1').replaceAll('${UPSTREAM_URL}', 'http://upstream'));
      } catch {
        issues.push({ ...at(sub), message: `"${value}" is not a valid URL after interpolation` });
      }
    }

    let triggers: Partial<Record<TriggerName, TriggerSpec>> = {};
    let triggersPreset: string | undefined;
    if (typeof merged.triggers === 'string') {
      const preset = TRIGGER_PRESETS[merged.triggers];
      if (!preset)
        issues.push({
          ...at('/triggers'),
          message: `unknown trigger preset "${merged.triggers}" (known: ${Object.keys(TRIGGER_PRESETS).join(', ')})`,
        });
      triggers = { ...preset };
      triggersPreset = merged.triggers;
    } else if (merged.triggers) {
      triggers = merged.triggers;
    }

    const readFileField = (p: string | undefined, sub: string): string | undefined => {
      if (!p) return undefined;
      const path = isAbsolute(p) ? p : resolve(baseDir, p);
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        issues.push({ ...at(sub), message: `cannot read ${path}: ${(e as Error).message}` });
        return undefined;
      }
    };
    const tls = merged.tls
      ? {
          ca: readFileField(merged.tls.ca, '/tls/ca'),
          cert: readFileField(merged.tls.cert, '/tls/cert'),
          key: readFileField(merged.tls.key, '/tls/key'),
          insecure: merged.tls.insecure,
        }
      : undefined;
    if (tls?.key) secrets.push(tls.key);

    const start = merged.start
      ? {
          command: interp(merged.start.command, '/start/command', false),
          cwd: merged.start.cwd ? resolve(baseDir, merged.start.cwd) : baseDir,
          // Interpolated values are secrets; so are literal values of variables named like credentials (…_TOKEN,
          // …_KEY).
          env: Object.fromEntries(
            Object.entries(merged.start.env ?? {}).map(([k, v]) => {
              const value = interp(String(v), `/start/env/${k}`, true);
              if (/token|secret|passw|api[_-]?key|credential/i.test(k) && value) secrets.push(value);
              return [k, value];
            }),
          ),
          readyUrl: merged.start.readyUrl ? interp(merged.start.readyUrl, '/start/readyUrl', false) : cardUrl,
          readyTimeoutMs: merged.start.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs,
        }
      : undefined;

    const p = pos(`/targets/${i}`);
    targets.push({
      name,
      url,
      cardUrl,
      headers,
      secrets: [...new Set(secrets.filter((s) => s.length >= 4))],
      protocols: merged.protocols,
      bindings: merged.bindings,
      timeoutMs: merged.timeoutMs ?? DEFAULTS.timeoutMs,
      checkTimeoutMs: merged.checkTimeoutMs ?? DEFAULTS.checkTimeoutMs,
      streamIdleTimeoutMs: merged.streamIdleTimeoutMs ?? DEFAULTS.streamIdleTimeoutMs,
      concurrency: merged.concurrency ?? DEFAULTS.concurrency,
      maxBodyBytes: merged.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
      tags: [...new Set(merged.tags ?? [])],
      tls,
      start,
      triggers,
      triggersPreset,
      specProfile: merged.specProfile ?? '1.0.1',
      ...(merged.production !== undefined ? { production: merged.production } : {}),
      expectedFailures: merged.expectedFailures ?? [],
      webhook: merged.webhook,
      gateway: merged.gateway,
      upstream: t.upstream,
      source: { file, line: p.line ?? 1, col: p.col ?? 1 },
    });
  });

  issues.push(...upstreamIssues(data.targets, pos));
  if (issues.length > 0) throw new ConfigError(issues);
  return { file, targets };
}

/**
 * `upstream:` must name another target of the file that reaches the agent directly: not itself, not a gateway in turn
 * (one hop is compared; a chain would compare a gateway with a gateway).
 */
function upstreamIssues(
  targets: RawTarget[],
  pos: (pointer: string) => { file: string; line?: number; col?: number },
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(targets.map((t) => [t.name, t]));
  targets.forEach((t, i) => {
    if (!t.upstream) return;
    const path = `/targets/${i}/upstream`;
    const up = byName.get(t.upstream);
    const problem =
      t.upstream === t.name
        ? `target "${t.name}" names itself as its upstream`
        : !up
          ? `upstream "${t.upstream}" is not a target of this file (known: ${[...byName.keys()].join(', ')})`
          : up.upstream
            ? `upstream "${t.upstream}" is itself a gateway (upstream: ${up.upstream}); ` +
              'name the target that reaches the agent directly'
            : undefined;
    if (problem) issues.push({ ...pos(path), path, message: problem });
  });
  return issues;
}

/** Map a JSON pointer from the schema validator to the YAML node's line:col (nearest existing ancestor). */
function positionFinder(doc: Document, lc: LineCounter, file: string) {
  return (pointer: string): { file: string; line?: number; col?: number } => {
    const segs = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = segs.length; n >= 0; n--) {
      const node = doc.getIn(segs.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      // For a key that exists, point at the key rather than its value when possible.
      if (node && typeof node === 'object' && node.range) {
        const { line, col } = lc.linePos(node.range[0]);
        return { file, line, col };
      }
    }
    return { file, line: 1, col: 1 };
  };
}
