/**
 * Push and auth suites against the bundled reference agents (in-process), plus every fault of test/faults/push.ts,
 * push-webhooks.ts and auth.ts through the fault proxy: each listed kill must fail (or warn) with its fault and pass
 * in a baseline run through the same proxy without it. Also: the webhook receiver's life cycle, the SSRF (C24) path,
 * and that a targets.yaml credential never reaches results or reports.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idMatcher } from '../../src/checks/registry.js';
import { loadTargets } from '../../src/config/load-targets.js';
import type { ResolvedTarget } from '../../src/config/types.js';
import type { ProtocolVersion } from '../../src/core/types.js';
import { writeReports } from '../../src/reporters/index.js';
import type { CheckResult, ResultsFile } from '../../src/results/types.js';
import { runConformance } from '../../src/runner/run.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { FAULTS as AUTH_FAULTS } from '../faults/auth.js';
import { FAULTS as PUSH_FAULTS } from '../faults/push.js';
import { FAULTS as PUSH_WEBHOOK_FAULTS } from '../faults/push-webhooks.js';
import type { FaultCase } from '../tools/fault-case.js';
import type { MatrixFault } from '../tools/kill-matrix.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../tools/fault-proxy.js';
import { referenceTarget } from '../helpers/reference-target.js';

const OURS = ALL_CHECKS.filter((c) => c.suite === 'push' || c.suite === 'auth');
const TOKEN = 'integration-secret-token-91b2d7';

type Agent = { baseUrl: string; close(): Promise<void> };
const agents = new Map<string, Promise<Agent>>();
const proxies: FaultProxy[] = [];

function agentFor(kind: FaultCase['agent'], o: FaultCase['agentOptions'] = {}): Promise<Agent> {
  const key = `${kind} ${JSON.stringify(o)}`;
  let a = agents.get(key);
  if (!a) {
    const opts = {
      port: 0,
      streaming: o.streaming ?? true,
      pushNotifications: o.pushNotifications ?? true,
      bearerToken: o.bearerToken,
      extendedCard: o.extendedCard,
    };
    a = kind === 'v1' ? startV1Agent(opts) : startV03Agent(opts);
    agents.set(key, a);
  }
  return a;
}

async function proxy(upstream: string, fault?: Fault): Promise<FaultProxy> {
  const p = await startFaultProxy(upstream, fault);
  proxies.push(p);
  return p;
}

function target(
  name: string,
  url: string,
  agent: FaultCase['agent'],
  headers: Record<string, string> = {},
): ResolvedTarget {
  return referenceTarget({
    name,
    url,
    agent,
    headers,
    secrets: Object.values(headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]),
    checkTimeoutMs: 20_000,
    source: 'test/integration/push-auth.test.ts',
  });
}

async function run(
  targets: ResolvedTarget[],
  grep: string[],
  protocols?: ProtocolVersion[],
  keep?: string,
): Promise<ResultsFile> {
  const matchers = grep.map(idMatcher);
  const checks = OURS.filter((c) => matchers.some((m) => m(c.id)));
  const outDir = keep ?? mkdtempSync(join(tmpdir(), 'a2a-push-auth-'));
  try {
    const { results } = await runConformance({
      targets,
      checks,
      knownCheckIds: ALL_CHECKS.map((c) => c.id),
      protocols,
      strict: false,
      concurrency: 32,
      outDir,
      argv: ['push-auth.test'],
    });
    return results;
  } finally {
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

const cell = (r: CheckResult) => `${r.checkId}|${r.version}|${r.binding}`;
const show = (rs: CheckResult[]) =>
  rs.map((r) => `${r.checkId} ${r.version}/${r.binding}: ${r.outcome} — ${r.message}`).join('\n');

// The SDKs log every push delivery with console.info, and deliveries that outlive a run's receiver with console.error;
// the agents run in this process.
beforeAll(() => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  const error = console.error.bind(console);
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!/^Error sending push notification/.test(String(args[0]))) error(...args);
  });
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close().catch(() => undefined)));
  await Promise.all([...agents.values()].map(async (a) => (await a.catch(() => undefined))?.close()));
});

describe('push and auth suites on the reference agents', () => {
  let results: CheckResult[];
  beforeAll(async () => {
    const [v1, v03, minimal, auth] = await Promise.all([
      agentFor('v1'),
      agentFor('v03'),
      agentFor('v1', { streaming: false, pushNotifications: false }),
      agentFor('v1', { bearerToken: TOKEN, extendedCard: true }),
    ]);
    const r = await run(
      [
        target('v1', v1.baseUrl, 'v1'),
        target('v03', v03.baseUrl, 'v03'),
        target('v1-minimal', minimal.baseUrl, 'v1'),
        target('v1-auth', auth.baseUrl, 'v1', { Authorization: `Bearer ${TOKEN}` }),
      ],
      ['push.**', 'auth.**'],
    );
    results = r.results;
  }, 90_000);

  it('no check fails or errors; the 0.3 deviations of SDK 0.3.14 warn (spec ambiguities, not failures)', () => {
    expect(show(results.filter((r) => r.outcome === 'fail' || r.outcome === 'error'))).toBe('');
    const warns = results
      .filter((r) => r.outcome === 'warn')
      .map((r) => `${r.target} ${r.checkId} ${r.version}/${r.binding}`)
      .sort();
    expect(warns).toEqual([
      'v03 push.config.create 0.3/rest', // accepts only {config: …} (0.3 prose) not the proto-0.3 body (C20)
      'v03 push.config.get-missing 0.3/grpc',
      'v03 push.config.get-missing 0.3/jsonrpc', // -32603 for a missing config; 0.3 names no error
      'v03 push.config.get-missing 0.3/rest',
      // 0.3.14 ignores PushNotificationConfig.authentication; 0.3 fixes no header format, so ambiguous:
      'v03 push.delivery.authorization 0.3/grpc',
      'v03 push.delivery.authorization 0.3/jsonrpc',
      'v03 push.delivery.authorization 0.3/rest',
      // SHOULD-level deviations of SDK 1.3.0 (their faults prove the checks against an emulated baseline):
      'v1 push.config.ssrf-rejected 1.0/grpc', // accepts private and link-local webhook URLs (§13.2)
      'v1 push.config.ssrf-rejected 1.0/jsonrpc',
      'v1 push.config.ssrf-rejected 1.0/rest',
      'v1-auth auth.extended-card.caching 1.0/rest', // no Cache-Control on the extended card (§13.3)
      'v1-auth push.config.ssrf-rejected 1.0/grpc',
      'v1-auth push.config.ssrf-rejected 1.0/jsonrpc',
      'v1-auth push.config.ssrf-rejected 1.0/rest',
    ]);
  });

  it("runs every push and auth check somewhere, and they pass there (or in their fault's emulated baseline)", () => {
    for (const c of OURS) {
      if (EMULATED.some((m) => m(c.id))) continue;
      const rs = results.filter((r) => r.checkId === c.id);
      expect(
        rs.some((r) => r.outcome === 'pass'),
        `${c.id}:\n${show(rs)}`,
      ).toBe(true);
    }
  });

  it('delivery checks see real deliveries on every declared cell of the push-capable agents', () => {
    const rec = results.filter((r) => r.checkId === 'push.delivery.received');
    expect(
      rec
        .filter((r) => r.outcome === 'pass')
        .map((r) => `${r.target} ${r.version}/${r.binding}`)
        .sort(),
    ).toEqual([
      'v03 0.3/grpc',
      'v03 0.3/jsonrpc',
      'v03 0.3/rest',
      'v1 0.3/grpc',
      'v1 0.3/jsonrpc',
      'v1 0.3/rest',
      'v1 1.0/grpc',
      'v1 1.0/jsonrpc',
      'v1 1.0/rest',
      'v1-auth 0.3/grpc',
      'v1-auth 0.3/jsonrpc',
      'v1-auth 0.3/rest',
      'v1-auth 1.0/grpc',
      'v1-auth 1.0/jsonrpc',
      'v1-auth 1.0/rest',
    ]);
  });
});

describe('webhook receiver life cycle and the SSRF path (§13 C24)', () => {
  it('is closed when the run is over', async () => {
    const v1 = await agentFor('v1');
    const dir = mkdtempSync(join(tmpdir(), 'a2a-push-life-'));
    try {
      const r = await run([target('v1', v1.baseUrl, 'v1')], ['push.delivery.received'], ['1.0'], dir);
      expect(
        r.results.every((x) => x.outcome === 'pass'),
        show(r.results),
      ).toBe(true);
      const hook = /http:\/\/127\.0\.0\.1:\d+\/hooks\/[0-9a-f-]+/.exec(JSON.stringify(r.transcripts))?.[0];
      expect(hook).toBeDefined();
      await expect(fetch(hook!, { method: 'POST', body: '{}' })).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('an agent refusing loopback webhooks makes delivery untestable (reason given) and CRUD is judged with a ' +
    'public URL', async () => {
    const v1 = await agentFor('v1');
    const ssrf: Fault = {
      name: 'ssrf-policy',
      description: 'refuses loopback webhook URLs',
      intercept: (ctx) => {
        const text = JSON.stringify(ctx.requestJson ?? '');
        if (!text.includes('"jsonrpc"')) return undefined;
        if (
          !/127\.0\.0\.1:\d+\/hooks\//.test(text) ||
          !/PushNotificationConfig|pushNotificationConfigs|pushNotificationConfig\/set/.test(`${text} ${ctx.path}`)
        )
          return undefined;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: (ctx.requestJson as { id?: unknown }).id ?? null,
            error: { code: -32602, message: 'webhook URL not allowed: private address' },
          }),
        };
      },
    };
    const p = await proxy(v1.baseUrl, ssrf);
    const r = await run(
      [target('v1-ssrf', p.url, 'v1')],
      ['push.config.create', 'push.config.get', 'push.delivery.**'],
      ['1.0'],
    );
    const jr = r.results.filter((x) => x.binding === 'jsonrpc');
    for (const x of jr.filter((y) => y.checkId.startsWith('push.delivery.'))) {
      expect(x.outcome, show([x])).toBe('untestable');
      expect(x.message).toMatch(/SSRF policy.*webhook\.publicUrl/);
    }
    expect(jr.find((x) => x.checkId === 'push.config.create')?.outcome).toBe('pass');
    expect(jr.find((x) => x.checkId === 'push.config.get')?.outcome).toBe('pass');
  }, 30_000);
});

describe('the 1.0.0 inline push config spelling (§13 C8)', () => {
  it('an agent honouring only configuration.pushNotificationConfig (1.0.0 example) warns, naming C8', async () => {
    const v1 = await agentFor('v1');
    // The agent as seen through this proxy reads only the 1.0.0 spelling (it maps it to the proto field itself).
    const legacyOnly: Fault = {
      name: 'legacy-inline-only',
      description: 'honours only the 1.0.0 example spelling',
      request: (req) => {
        let json: { params?: { configuration?: Record<string, any> }; configuration?: Record<string, any> } | undefined;
        try {
          json = JSON.parse(req.body);
        } catch {
          return req;
        }
        const cfg = json?.params?.configuration ?? json?.configuration;
        if (!cfg) return req;
        if (cfg.taskPushNotificationConfig) delete cfg.taskPushNotificationConfig;
        else if (cfg.pushNotificationConfig) {
          const { authentication, ...rest } = cfg.pushNotificationConfig;
          cfg.taskPushNotificationConfig = {
            ...rest,
            authentication: { scheme: authentication.schemes[0], credentials: authentication.credentials },
          };
          delete cfg.pushNotificationConfig;
        }
        return { ...req, body: JSON.stringify(json) };
      },
    };
    const p = await proxy(v1.baseUrl, legacyOnly);
    const r = await run([target('v1-legacy-inline', p.url, 'v1')], ['push.send.inline-config'], ['1.0']);
    // The emulation rewrites HTTP requests only: the gRPC cell reaches the agent as it is (and passes).
    const http = r.results.filter((x) => x.binding !== 'grpc');
    expect(http).toHaveLength(2);
    for (const x of http) {
      expect(x.outcome, show([x])).toBe('warn');
      expect(x.message).toMatch(/1\.0\.0 example.*C8/);
    }
  }, 40_000);
});

describe('credentials from targets.yaml never reach results or reports', () => {
  it(
    'the default targets.yaml declares the auth reference target; its literal token is a secret, alone and ' +
      'with its scheme',
    () => {
      const { targets } = loadTargets(join(import.meta.dirname, '../../targets.yaml'), {});
      const t = targets.find((x) => x.name === 'ref-v1-auth');
      expect(t).toBeDefined();
      const token = t!.start!.env.REF_AGENT_BEARER_TOKEN!;
      expect(t!.headers.Authorization).toBe(`Bearer ${token}`);
      expect(t!.secrets).toEqual(expect.arrayContaining([`Bearer ${token}`, token]));
      expect(t!.start!.env.REF_AGENT_EXTENDED_CARD).toBe('1');
    },
  );

  it('redacts the bearer token everywhere, while the harness-generated webhook credentials stay visible', async () => {
    const auth = await agentFor('v1', { bearerToken: TOKEN, extendedCard: true });
    const dir = mkdtempSync(join(tmpdir(), 'a2a-push-secret-'));
    try {
      const r = await run(
        [target('v1-auth', auth.baseUrl, 'v1', { Authorization: `Bearer ${TOKEN}` })],
        ['auth.**', 'push.delivery.authorization', 'push.config.get'],
        undefined,
        dir,
      );
      expect(r.results.filter((x) => x.outcome === 'pass').length).toBeGreaterThan(10);
      await writeReports(r, dir);
      const files = readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(['results.json', 'junit.xml', 'report.html', 'summary.md']));
      for (const f of files) expect(readFileSync(join(dir, f), 'utf8').includes(TOKEN), f).toBe(false);
      const json = readFileSync(join(dir, 'results.json'), 'utf8');
      // ours: the evidence of push.delivery.authorization
      expect(json).toMatch(/Bearer a2a-conformance-cred-[0-9a-f]{24}/);
      expect(json).toContain('«redacted»');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// Faults

const FAULTS: MatrixFault[] = [...PUSH_FAULTS, ...PUSH_WEBHOOK_FAULTS.filter((f) => !f.benign), ...AUTH_FAULTS];
/** Checks the reference agents cannot pass on their own: their faults carry a conformant baseline emulation. */
const EMULATED = FAULTS.filter((f) => f.baseline).flatMap((f) => f.kills.map(idMatcher));
const limit = pLimit(4);
const baselines = new Map<string, Promise<Map<string, CheckResult>>>();

function narrowing(f: FaultCase): string[] {
  return f.grep?.length ? f.grep : [...new Set(f.kills.map((k) => `${k.split('.')[0]}.**`))];
}

function baselineFor(f: MatrixFault): Promise<Map<string, CheckResult>> {
  const key =
    `${f.agent} ${JSON.stringify(f.agentOptions ?? {})} ${narrowing(f).join(',')} ` +
    `${f.protocols ?? ''}${f.baseline ? ` via ${f.baseline.name}` : ''}`;
  let b = baselines.get(key);
  if (!b) {
    b = limit(async () => {
      const agent = await agentFor(f.agent, f.agentOptions);
      const p = await proxy(agent.baseUrl, f.baseline);
      const r = await run([target(`baseline ${f.name}`, p.url, f.agent, f.targetHeaders)], narrowing(f), f.protocols);
      return new Map(r.results.map((x) => [cell(x), x]));
    });
    baselines.set(key, b);
  }
  return b;
}

describe.concurrent('faults (test/faults/push.ts, test/faults/auth.ts)', () => {
  it('every push and auth check is listed as the kill of some fault', () => {
    const listed = FAULTS.flatMap((f) => f.kills.map(idMatcher));
    expect(OURS.filter((c) => !listed.some((m) => m(c.id))).map((c) => c.id)).toEqual([]);
  });

  for (const f of FAULTS) {
    it(`${f.name} kills ${f.kills.join(', ')}`, async () => {
      const base = await baselineFor(f);
      const results = await limit(async () => {
        const agent = await agentFor(f.agent, f.agentOptions);
        const p = await proxy(agent.baseUrl, f);
        return (await run([target(f.name, p.url, f.agent, f.targetHeaders)], narrowing(f), f.protocols)).results;
      });
      for (const k of f.kills) {
        const m = idMatcher(k);
        const mine = results.filter((r) => m(r.checkId));
        // As in the kill matrix: a violation shows as fail, warn or, for a MAY check, info.
        const isMay = (id: string) => OURS.find((c) => c.id === id)?.level === 'MAY';
        const killed = mine.filter(
          (r) =>
            (r.outcome === 'fail' || r.outcome === 'warn' || (r.outcome === 'info' && isMay(r.checkId))) &&
            base.get(cell(r))?.outcome === 'pass',
        );
        expect(
          killed.length,
          `${k} was not killed by ${f.name}:\nwith the ` +
            `fault:\n${show(mine)}\nbaseline:\n${show(mine.map((r) => base.get(cell(r))!).filter(Boolean))}`,
        ).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});
