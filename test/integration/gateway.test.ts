/**
 * Gateway transparency end to end: the bundled agents direct and through the bundled gateway (reference-agents/
 * gateway) in one run. The transparent gateway introduces nothing over the whole catalogue; a LiteLLM-like deviating
 * gateway (NDJSON streams, a stale card) is told apart from the agent's own faults
 * in results.json, JUnit, Markdown and HTML, and `--gate introduced` (the real CLI) fails on the gateway's faults only.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIGGER_PRESETS } from '../../src/config/trigger-presets.js';
import type { ResolvedTarget } from '../../src/config/types.js';
import type { ProtocolVersion } from '../../src/core/types.js';
import { grpcRegistry, serviceType } from '../../src/grpc/registry.js';
import { renderHtml, renderJunit, renderMarkdown } from '../../src/reporters/index.js';
import { EXIT, exitCodeOf } from '../../src/results/summarize.js';
import type { ResultsFile } from '../../src/results/types.js';
import { runConformance } from '../../src/runner/run.js';
import { validateResultsDocument } from '../../src/schemas/validate.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { startGateway, type RunningGateway } from '../../reference-agents/gateway/server.js';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const cli = runCli;
const KEY = 'gateway-test-key-0c41d2';

function target(name: string, url: string, protocols: ProtocolVersion[], extra: Partial<ResolvedTarget> = {}) {
  return {
    name,
    url,
    cardUrl: `${url}/.well-known/agent-card.json`,
    headers: {},
    secrets: [],
    protocols,
    timeoutMs: 8000,
    checkTimeoutMs: 20_000,
    streamIdleTimeoutMs: 8000,
    concurrency: 16,
    tags: [],
    triggers: TRIGGER_PRESETS.reference!,
    triggersPreset: 'reference',
    specProfile: '1.0.1',
    expectedFailures: [],
    maxBodyBytes: 8 * 1024 * 1024,
    source: { file: 'test/integration/gateway.test.ts', line: 0, col: 0 },
    ...extra,
  } satisfies ResolvedTarget;
}
const viaGateway = (name: string, gw: RunningGateway, upstream: string, protocols: ProtocolVersion[]) =>
  target(name, gw.baseUrl, protocols, {
    upstream,
    headers: { Authorization: `Bearer ${KEY}` },
    secrets: [`Bearer ${KEY}`, KEY],
  });

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c().catch(() => undefined)));
});

describe('transparent gateway', () => {
  let results: ResultsFile;
  /** Per gateway target: its gRPC port, and the agent's gRPC address the card must not name. */
  const grpcOf = new Map<string, { gatewayPort: number; upstreamAddress: string }>();
  beforeAll(async () => {
    const v1 = await startV1Agent({ port: 0 });
    const v03 = await startV03Agent({ port: 0 });
    const gw1 = await startGateway({ upstream: v1.baseUrl, agent: 'v1', key: KEY });
    const gw03 = await startGateway({ upstream: v03.baseUrl, agent: 'v03', key: KEY });
    const grpcAddress = (a: { interfaces: readonly { url: string; binding: string }[] }) =>
      new URL(a.interfaces.find((i) => i.binding === 'GRPC')!.url).host;
    grpcOf.set('v1-gw', { gatewayPort: gw1.grpcPort!, upstreamAddress: grpcAddress(v1) });
    grpcOf.set('v03-gw', { gatewayPort: gw03.grpcPort!, upstreamAddress: grpcAddress(v03) });
    closers.push(v1.close, v03.close, gw1.close, gw03.close);
    const out = mkdtempSync(join(tmpdir(), 'a2a-gw-'));
    ({ results } = await runConformance({
      targets: [
        target('v1', v1.baseUrl, ['0.3', '1.0']),
        viaGateway('v1-gw', gw1, 'v1', ['0.3', '1.0']),
        target('v03', v03.baseUrl, ['0.3']),
        viaGateway('v03-gw', gw03, 'v03', ['0.3']),
      ],
      checks: ALL_CHECKS,
      knownCheckIds: ALL_CHECKS.map((c) => c.id),
      strict: false,
      outDir: out,
      argv: ['gateway.test'],
    }));
  }, 120_000);

  it('introduces and hides nothing over the whole catalogue, for both agents', () => {
    expect(validateResultsDocument(JSON.parse(JSON.stringify(results)))).toEqual([]);
    expect(results.comparisons?.map((c) => [c.gateway, c.status])).toEqual([
      ['v03-gw', 'compared'],
      ['v1-gw', 'compared'],
    ]);
    for (const c of results.comparisons!) {
      const odd = c.entries.filter((e) => e.kind === 'introduced' || e.kind === 'hidden');
      expect(odd.map((e) => `${e.kind} ${e.checkId} ${e.version}/${e.binding}: ${e.gatewayMessage}`)).toEqual([]);
    }
  });

  it('passes every gateway check it can run, and runs them on the gateway targets only', () => {
    const gateway = results.results.filter((r) => r.checkId.startsWith('gateway.'));
    expect(new Set(gateway.map((r) => r.target))).toEqual(new Set(['v1-gw', 'v03-gw']));
    expect(gateway.filter((r) => r.outcome !== 'pass' && r.outcome !== 'skip').map((r) => r.message)).toEqual([]);
    expect(gateway.some((r) => r.checkId === 'gateway.latency.added' && r.metrics?.sendAddedMs !== undefined)).toBe(
      true,
    );
  });

  it("serves gRPC itself: its card names its own gRPC port, never the agent's; the gRPC cells dial it", () => {
    for (const [name, { gatewayPort, upstreamAddress }] of grpcOf) {
      const t = results.targets.find((x) => x.name === name)!;
      expect(JSON.stringify(t.cards)).not.toContain(upstreamAddress);
      const grpcCells = t.matrix.filter((c) => c.binding === 'grpc' && c.declared);
      expect(grpcCells.length, name).toBeGreaterThan(0);
      for (const c of grpcCells) {
        expect(c.tested, `${name} ${c.version}`).toBe(true);
        expect(new URL(c.url!).port).toBe(String(gatewayPort));
      }
      const dialled = results.results
        .filter((r) => r.target === name && r.binding === 'grpc')
        .flatMap((r) => r.transcriptIds.flatMap((id) => results.transcripts[id]?.exchanges ?? []))
        .map((x) => x.grpc?.address)
        .filter((a): a is string => a !== undefined);
      expect(dialled).toContain(`127.0.0.1:${gatewayPort}`);
      const passed = results.results.filter((r) => r.target === name && r.binding === 'grpc' && r.outcome === 'pass');
      expect(passed.length, `${name}: gRPC checks passing through the gateway`).toBeGreaterThan(10);
    }
  });

  it('keeps the agents inherited failures inherited: the default gate fails, --gate introduced passes', () => {
    const inherited = results.comparisons!.reduce((n, c) => n + c.counts.inherited, 0);
    expect(inherited).toBeGreaterThan(0); // the SDKs' own deviations (no baseline here)
    expect(exitCodeOf(results, false)).toBe(EXIT.failures);
    expect(exitCodeOf(results, false, 'introduced')).toBe(EXIT.ok);
  });
});

/** One raw gRPC call through grpc-js with pass-through bytes: status code, trailers and the decoded answers. */
function grpcCall(
  port: number,
  method: 'GetTask' | 'GetExtendedAgentCard',
  metadata: Record<string, string>,
): Promise<{ code: number; trailers: grpc.Metadata; answers: unknown[] }> {
  const svc = serviceType('lf.a2a.v1.A2AService');
  const m = svc.methods.find((x) => x.name === method)!;
  const request: Record<string, string> = method === 'GetTask' ? { id: `missing-${Date.now()}` } : {};
  const body = Buffer.from(toBinary(m.input, fromJson(m.input, request, { registry: grpcRegistry() })));
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const answers: unknown[] = [];
  return new Promise((resolve) => {
    const call = client.makeUnaryRequest(
      `/${svc.typeName}/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      md,
      { deadline: Date.now() + 8000 },
      (_err: unknown, b?: Buffer) => {
        if (b) answers.push(toJson(m.output, fromBinary(m.output, b), { registry: grpcRegistry() }));
      },
    );
    call.on('status', (st: grpc.StatusObject) => {
      client.close();
      resolve({ code: st.code, trailers: st.metadata, answers });
    });
  });
}

describe("the bundled gateway's gRPC side and what its card declares", () => {
  it("checks the key from metadata and sends its own credentials upstream, never the caller's", async () => {
    const agent = await startV1Agent({ port: 0, bearerToken: 'upstream-token-5b1e', extendedCard: true });
    const gw = await startGateway({
      upstream: agent.baseUrl,
      key: KEY,
      upstreamAuthorization: 'Bearer upstream-token-5b1e',
    });
    const wrongUpstream = await startGateway({ upstream: agent.baseUrl, key: KEY });
    try {
      const key = { authorization: `Bearer ${KEY}`, 'a2a-version': '1.0' };
      const ok = await grpcCall(gw.grpcPort!, 'GetTask', key);
      expect(ok.code, 'the agent answers TaskNotFound: the gateway put its own token in').toBe(grpc.status.NOT_FOUND);
      // The extended card over gRPC names the gateway like the HTTP card does.
      const extended = await grpcCall(gw.grpcPort!, 'GetExtendedAgentCard', key);
      expect(extended.code).toBe(grpc.status.OK);
      const urls = (extended.answers[0] as { supportedInterfaces: { url: string }[] }).supportedInterfaces.map(
        (i) => new URL(i.url).host,
      );
      expect(urls.length).toBeGreaterThan(0);
      const gwHost = new URL(gw.origin).hostname;
      expect(
        urls.every((h) => h === new URL(gw.origin).host || h === `${gwHost}:${gw.grpcPort}`),
        urls.join(),
      ).toBe(true);
      const none = await grpcCall(gw.grpcPort!, 'GetTask', { 'a2a-version': '1.0' });
      expect(none.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(String(none.trailers.get('www-authenticate')[0])).toMatch(/realm="a2a-gateway"/);
      // Without upstream credentials the caller's key is not passed on, so the agent refuses it.
      const forwarded = await grpcCall(wrongUpstream.grpcPort!, 'GetTask', {
        authorization: `Bearer ${KEY}`,
        'a2a-version': '1.0',
      });
      expect(forwarded.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(String(forwarded.trailers.get('www-authenticate')[0])).not.toMatch(/a2a-gateway/);
    } finally {
      await Promise.all([gw.close(), wrongUpstream.close(), agent.close()]);
    }
  });

  it('leaves out of its card an interface it cannot proxy, and the gateway checks accept that', async () => {
    const agent = await startV1Agent({ port: 0 });
    // It proxies gRPC to another address than the one the agent's card declares: that interface is not served.
    const gw = await startGateway({ upstream: agent.baseUrl, agent: 'v1', key: KEY, upstreamGrpc: '127.0.0.1:9' });
    try {
      const res = await fetch(`${gw.baseUrl}/.well-known/agent-card.json`, {
        headers: { authorization: `Bearer ${KEY}`, 'a2a-version': '1.0' },
      });
      const card = (await res.json()) as { supportedInterfaces: { url: string; protocolBinding: string }[] };
      expect(card.supportedInterfaces.map((i) => i.protocolBinding)).toEqual([
        'JSONRPC',
        'HTTP+JSON',
        'JSONRPC',
        'HTTP+JSON',
      ]);
      const out = mkdtempSync(join(tmpdir(), 'a2a-gw-drop-'));
      const { results } = await runConformance({
        targets: [target('v1', agent.baseUrl, ['1.0']), viaGateway('v1-gw', gw, 'v1', ['1.0'])],
        checks: ALL_CHECKS.filter((c) => c.id.startsWith('gateway.card.') || c.id === 'gateway.leak.upstream-address'),
        knownCheckIds: ALL_CHECKS.map((c) => c.id),
        strict: false,
        outDir: out,
        argv: ['gateway.test'],
      });
      const byId = (id: string) => results.results.filter((r) => r.target === 'v1-gw' && r.checkId === id);
      const rewritten = byId('gateway.card.interfaces-rewritten');
      expect(rewritten.length).toBeGreaterThan(0);
      for (const r of rewritten) {
        expect(r.outcome, r.message).toBe('pass');
        expect(r.details?.join('\n')).toMatch(/does not declare the upstream's GRPC 1\.0 interface/);
      }
      expect(byId('gateway.leak.upstream-address').every((r) => r.outcome === 'pass')).toBe(true);
      // A curated card is a SHOULD finding of its own: the upstream declares more interfaces.
      const unchanged = byId('gateway.card.unchanged');
      expect(unchanged.length).toBeGreaterThan(0);
      expect(unchanged.every((r) => r.outcome === 'warn')).toBe(true);
    } finally {
      await Promise.all([gw.close(), agent.close()]);
    }
  });
});

/** targets.yaml with the v1 agent started direct and the bundled gateway started in front of it. */
function gatewayTargets(deviations: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-gw-cli-'));
  const file = join(dir, 'targets.yaml');
  writeFileSync(
    file,
    `defaults: { triggers: reference, timeoutMs: 8000, checkTimeoutMs: 20000, concurrency: 16 }
targets:
  - name: agent
    url: http://127.0.0.1:\${PORT}
    start: { command: node dist/reference-agents/v1/server.js, cwd: ${JSON.stringify(ROOT)} }
    protocols: ["0.3", "1.0"]
  - name: litellm-like
    upstream: agent
    gateway: "bundled gateway, deviations: ${deviations || 'none'}"
    url: http://127.0.0.1:\${PORT}/a2a/agent
    headers: { Authorization: "Bearer ${KEY}" }
    start:
      command: node dist/reference-agents/gateway/server.js
      cwd: ${JSON.stringify(ROOT)}
      env: { GATEWAY_UPSTREAM: "\${UPSTREAM_URL}", GATEWAY_KEY: "${KEY}", GATEWAY_DEVIATIONS: "${deviations}" }
    protocols: ["0.3", "1.0"]
`,
  );
  return file;
}

describe('a LiteLLM-like deviating gateway, through the CLI', () => {
  const suites = ['-s', 'card', '-s', 'stream', '-s', 'gateway'];
  let out: string;
  let gated: { code: number | null; stdout: string; stderr: string };
  let results: ResultsFile;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'a2a-gw-out-'));
    const file = gatewayTargets('ndjson,stale-card');
    gated = await cli(['-c', file, '-o', out, '--gate', 'introduced', ...suites]);
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  }, 90_000);

  it('separates the gateway faults from the agent in results.json', () => {
    const c = results.comparisons!.find((x) => x.gateway === 'litellm-like')!;
    expect(c.upstream).toBe('agent');
    const introduced = new Set(c.entries.filter((e) => e.kind === 'introduced').map((e) => e.checkId));
    expect(introduced).toContain('stream.response.content-type');
    // Gateway-only warnings are the gateway's too (listed as changed: warn through it, not run direct).
    const changed = c.entries.filter((e) => e.kind === 'changed' && e.direct === 'absent').map((e) => e.checkId);
    expect(changed).toEqual(expect.arrayContaining(['gateway.card.unchanged', 'gateway.stream.like-direct']));
    // Every introduced entry really fails through the gateway and not direct.
    for (const e of c.entries.filter((x) => x.kind === 'introduced')) {
      expect(['fail', 'error']).toContain(e.gateway);
      expect(['fail', 'error']).not.toContain(e.direct);
    }
    expect(results.run.options.gate).toBe('introduced');
  });

  it('exits 1 under --gate introduced, and marks the findings in JUnit, Markdown and HTML', () => {
    expect(gated.code, gated.stderr).toBe(EXIT.failures);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/message="\[introduced by the gateway: passes direct on agent\] /);
    expect(junit).toContain('name="gateway-comparison" value="introduced"');
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/### Gateway litellm-like vs direct agent/);
    expect(md).toMatch(/❌ introduced by the gateway \| `stream\.response\.content-type`/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<section id="gateway-comparison"/);
    expect(html).toMatch(/<tr data-kind="introduced"><td>introduced by the gateway<\/td><td><code>stream\.response/);
    // The renderers are pure functions of results.json: the same file renders the same marks again.
    expect(renderJunit(results)).toContain('[introduced by the gateway');
    expect(renderMarkdown(results)).toContain('introduced by the gateway');
    expect(renderHtml(results)).toContain('data-kind="introduced"');
  });

  it('passes --gate introduced with the transparent gateway, though the agent has failures of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-gw-out-'));
    const file = gatewayTargets('');
    const strictAll = await cli(['-c', file, '-o', dir, '-s', 'errors', '-s', 'gateway']);
    expect(strictAll.code, 'the SDK deviations fail the default gate').toBe(EXIT.failures);
    const r = await cli(['-c', file, '-o', dir, '--gate', 'introduced', '-s', 'errors', '-s', 'gateway']);
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok);
    const again = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
    expect(again.comparisons![0]!.counts.introduced).toBe(0);
    expect(again.comparisons![0]!.counts.inherited).toBeGreaterThan(0);
  }, 90_000);

  it('refuses --gate introduced without a gateway target, and --shard out of range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-gw-out-'));
    const file = gatewayTargets('');
    const noGw = await cli(['-c', file, '-o', dir, '-t', 'agent', '--gate', 'introduced', '--list']);
    expect(noGw.code).toBe(EXIT.usage);
    expect(noGw.stderr).toMatch(/--gate introduced needs a gateway target/);
    const bad = await cli(['-c', file, '--shard', '3/2', '--list']);
    expect(bad.code).toBe(EXIT.usage);
  });
});
