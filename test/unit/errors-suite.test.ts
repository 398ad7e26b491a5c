/**
 * The errors, versions and extensions suites:
 * - catalogue metadata and the pure helpers (negotiation notes, result shapes, ErrorInfo judging);
 * - every fault of test/faults/{errors,versions,extensions}.ts kills what it lists: the check passes in a baseline
 *   run (plain proxy, or the fault's conformant `baseline` emulation) and fails/warns with the fault (MAY checks:
 *   pass → info), on the in-process reference agents;
 * - the outcomes on the unproxied reference agents that are not `pass` (SDK deviations and MAY observations) are
 *   pinned, so a change in the SDK or in a check is noticed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { idMatcher } from '../../src/checks/registry.js';
import type { CheckDefinition } from '../../src/checks/types.js';
import type { ResolvedTarget } from '../../src/config/types.js';
import type { Binding, Outcome, ProtocolVersion } from '../../src/core/types.js';
import type { A2AError } from '../../src/protocol/model.js';
import type { CheckResult } from '../../src/results/types.js';
import { runConformance } from '../../src/runner/run.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { EXTENSIONS_HEADER } from '../../suites/extensions/checks.js';
import { errorInfoProblems, sendResultShape } from '../../suites/lib/probe.js';
import { NEGOTIATION_CASES, parseNegotiationNote } from '../../suites/versions/negotiation.js';
import { startV1Agent } from '../../reference-agents/v1/server.js';
import { startV03Agent } from '../../reference-agents/v03/server.js';
import { CONTROLLED as ERROR_FAULTS, type ControlledFaultCase } from '../faults/errors.js';
import { FAULTS as ERROR_DETAIL_FAULTS } from '../faults/errors-details.js';
import { CONTROLLED as EXTENSION_FAULTS } from '../faults/extensions.js';
import { CONTROLLED as VERSION_FAULTS } from '../faults/versions.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../tools/fault-proxy.js';
import { referenceTarget } from '../helpers/reference-target.js';

const inSuite = (name: string): CheckDefinition[] => ALL_CHECKS.filter((c) => c.suite === name);
const ERRORS_CHECKS = inSuite('errors');
const VERSIONS_CHECKS = inSuite('versions');
const CATALOGUE: CheckDefinition[] = [...ERRORS_CHECKS, ...VERSIONS_CHECKS, ...inSuite('extensions')];
const FAULTS: ControlledFaultCase[] = [...ERROR_FAULTS, ...ERROR_DETAIL_FAULTS, ...VERSION_FAULTS, ...EXTENSION_FAULTS];

// ---------------------------------------------------------------------------------------------------------------

describe('catalogue', () => {
  it('has unique ids in their suites, a spec ref per version, and scope binding', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATALOGUE) {
      expect(c.id.startsWith(`${c.suite}.`)).toBe(true);
      expect(c.scope).toBe('binding');
      expect(Object.keys(c.specRefs).length).toBeGreaterThan(0);
    }
  });

  it('runs the versions suite on 1.0 only, and the JSON-RPC envelope checks on JSON-RPC only', () => {
    for (const c of VERSIONS_CHECKS) expect(Object.keys(c.specRefs)).toEqual(['1.0']);
    for (const c of ERRORS_CHECKS.filter((x) => x.id.startsWith('errors.jsonrpc.')))
      expect(c.bindings).toEqual(['jsonrpc']);
  });

  it('keeps the extensions header names in one table', () => {
    expect(EXTENSIONS_HEADER).toEqual({ '0.3': 'X-A2A-Extensions', '1.0': 'A2A-Extensions' });
  });

  it('has a fault for every check', () => {
    const unfaulted = CATALOGUE.filter((c) => !FAULTS.some((f) => f.kills.some((k) => idMatcher(k)(c.id)))).map(
      (c) => c.id,
    );
    expect(unfaulted).toEqual([]);
  });
});

describe('helpers', () => {
  it('parses negotiation notes as the runner renders them in details', () => {
    expect(parseNegotiationNote('· negotiation: header-99.0 → error VersionNotSupported, code -32009')).toEqual({
      key: 'header-99.0',
      observed: 'error VersionNotSupported, code -32009',
    });
    expect(parseNegotiationNote('negotiation: missing-header-0.3 → success, HTTP 200 (0.3-jsonrpc shapes)')?.key).toBe(
      'missing-header-0.3',
    );
    expect(parseNegotiationNote('· negotiation: bogus → x')).toBeUndefined();
    expect(Object.keys(NEGOTIATION_CASES)).toContain('empty-header');
  });

  it('tells the SendMessage result shapes apart', () => {
    expect(sendResultShape({ kind: 'message', parts: [] })).toBe('0.3-jsonrpc');
    expect(sendResultShape({ message: { role: 'ROLE_AGENT', parts: [{ text: 'x' }] } })).toBe('1.0');
    expect(sendResultShape({ message: { role: 'ROLE_AGENT', content: [{ text: 'x' }] } })).toBe('0.3-rest');
    expect(
      sendResultShape({ task: { id: 't', status: { state: 'TASK_STATE_COMPLETED', message: { content: [] } } } }),
    ).toBe('0.3-rest');
    expect(sendResultShape({ task: { id: 't', status: { state: 'TASK_STATE_COMPLETED' } } })).toBe('1.0');
    expect(sendResultShape('x')).toBe('unknown');
  });

  it('judges ErrorInfo: array, exact @type, reason, domain', () => {
    const info = {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'TASK_NOT_FOUND',
      domain: 'a2a-protocol.org',
    };
    const rpc = (data: unknown): A2AError => ({
      name: 'TaskNotFound',
      identifiedBy: 'jsonrpc-code',
      code: -32001,
      httpStatus: 200,
      raw: { code: -32001, message: 'x', data },
    });
    expect(errorInfoProblems(rpc([info]), 'jsonrpc', 'TaskNotFound')).toEqual([]);
    expect(errorInfoProblems(rpc(info), 'jsonrpc', 'TaskNotFound')).toEqual(['error.data is an object, not an array']);
    expect(errorInfoProblems(rpc(undefined), 'jsonrpc', 'TaskNotFound')[0]).toMatch(/absent/);
    expect(errorInfoProblems(rpc([{ ...info, '@type': undefined }]), 'jsonrpc', 'TaskNotFound')[0]).toMatch(
      /without "@type"/,
    );
    expect(
      errorInfoProblems(rpc([{ ...info, reason: 'NOT_FOUND', domain: 'example.com' }]), 'jsonrpc', 'TaskNotFound'),
    ).toHaveLength(2);
    const rest: A2AError = {
      name: 'TaskNotFound',
      identifiedBy: 'error-info',
      httpStatus: 404,
      raw: { error: { code: 404, status: 'NOT_FOUND', message: 'x', details: [info] } },
    };
    expect(errorInfoProblems(rest, 'rest', 'TaskNotFound')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Runs against the reference agents

type AgentKey = string;
const agents = new Map<AgentKey, Promise<{ baseUrl: string; close(): Promise<void> }>>();
const proxies: FaultProxy[] = [];

function agentFor(f: Pick<ControlledFaultCase, 'agent' | 'agentOptions'>) {
  const o = {
    port: 0,
    streaming: f.agentOptions?.streaming ?? true,
    pushNotifications: f.agentOptions?.pushNotifications ?? true,
  };
  const key = `${f.agent}|${o.streaming}|${o.pushNotifications}`;
  let a = agents.get(key);
  if (!a) {
    a = f.agent === 'v1' ? startV1Agent(o) : startV03Agent(o);
    agents.set(key, a);
  }
  return a;
}

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close().catch(() => undefined)));
  await Promise.all([...agents.values()].map(async (a) => (await a).close()));
});

function target(name: string, url: string, agent: 'v1' | 'v03'): ResolvedTarget {
  return referenceTarget({ name, url, agent, tags: ['errors-suite-test'], source: 'test/unit/errors-suite.test.ts' });
}

async function run(
  url: string,
  agent: 'v1' | 'v03',
  grep: string[],
  protocols?: ProtocolVersion[],
  bindings?: Binding[],
): Promise<CheckResult[]> {
  const matchers = grep.map(idMatcher);
  const checks = CATALOGUE.filter((c) => matchers.some((m) => m(c.id)));
  const outDir = mkdtempSync(join(tmpdir(), 'a2a-errors-suite-'));
  try {
    const { results } = await runConformance({
      targets: [target(`t-${agent}`, url, agent)],
      checks,
      knownCheckIds: CATALOGUE.map((c) => c.id),
      protocols,
      bindings,
      strict: false,
      concurrency: 16,
      outDir,
      argv: [],
    });
    return results.results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function proxied(upstream: string, fault?: Fault): Promise<string> {
  const p = await startFaultProxy(upstream, fault);
  proxies.push(p);
  return p.url;
}

const levelOf = (id: string) => CATALOGUE.find((c) => c.id === id)!.level;
const killOutcomes = (id: string): Outcome[] => (levelOf(id) === 'MAY' ? ['info'] : ['fail', 'warn']);
const cell = (r: CheckResult) => `${r.checkId} ${r.version}/${r.binding}`;

describe('faults kill their checks', () => {
  for (const f of FAULTS) {
    it.concurrent(f.name, { timeout: 90_000 }, async () => {
      const agent = await agentFor(f);
      const grep = f.grep ?? f.kills;
      const [base, faulty] = await Promise.all([
        run(await proxied(agent.baseUrl, f.baseline), f.agent, grep, f.protocols, f.bindings),
        run(await proxied(agent.baseUrl, f), f.agent, grep, f.protocols, f.bindings),
      ]);
      const baseBy = new Map(base.map((r) => [cell(r), r]));
      for (const k of f.kills) {
        const match = idMatcher(k);
        const killed = faulty.filter(
          (r) =>
            match(r.checkId) && killOutcomes(r.checkId).includes(r.outcome) && baseBy.get(cell(r))?.outcome === 'pass',
        );
        const seen = faulty
          .filter((r) => match(r.checkId))
          .map(
            (r) =>
              `${cell(r)}: baseline ${baseBy.get(cell(r))?.outcome} (${baseBy.get(cell(r))?.message}) → ` +
              `fault ${r.outcome} (${r.message})`,
          );
        expect(killed.length, `${f.name} must kill ${k}:\n${seen.join('\n')}`).toBeGreaterThan(0);
      }
    });
  }
});

/**
 * Outcomes other than `pass`/`skip` on the unproxied reference agents (default spec profile 1.0.1). fail = SDK
 * deviation (expected failure), warn = ambiguity stance, info = MAY observation. Key: `<check> <agent>
 * <version>/<binding>`.
 */
const EXPECTED_NOT_PASSING: Record<string, Outcome> = {
  // @a2a-js/sdk 1.3.0, 1.0 JSON-RPC: envelope errors are -32602, enum/type/empty parts not validated (an unvalidated
  // required field is a warning: §3.3.2 MUST validate vs §5.7 SHOULD reject).
  'errors.jsonrpc.invalid-request v1 1.0/jsonrpc': 'fail',
  'errors.jsonrpc.invalid-params.empty-parts v1 1.0/jsonrpc': 'warn',
  'errors.jsonrpc.invalid-params.wrong-enum v1 1.0/jsonrpc': 'warn',
  'errors.jsonrpc.invalid-params.wrong-type v1 1.0/jsonrpc': 'fail',
  // @a2a-js/sdk 0.3.14: message not validated; tasks/get without an id answered TaskNotFound.
  'errors.jsonrpc.invalid-params.missing-message v03 0.3/jsonrpc': 'fail',
  'errors.jsonrpc.invalid-params.wrong-enum v03 0.3/jsonrpc': 'warn',
  'errors.jsonrpc.invalid-params.wrong-type v03 0.3/jsonrpc': 'fail',
  'errors.jsonrpc.invalid-params.get-task-without-id v03 0.3/jsonrpc': 'fail',
  // Both SDKs store a push config without url (stance: warning); only 0.3.14's REST layer rejects it.
  ...Object.fromEntries(
    ['v1 0.3/jsonrpc', 'v1 0.3/rest', 'v1 0.3/grpc', 'v1 1.0/jsonrpc', 'v1 1.0/rest', 'v1 1.0/grpc']
      .concat(['v03 0.3/jsonrpc', 'v03 0.3/grpc'])
      .map((c) => [`errors.push-config.missing-url ${c}`, 'warn' as Outcome]),
  ),
  // @a2a-js/sdk 1.3.0 names the failing parameter only in the message, with no google.rpc.BadRequest (1.0.1 SHOULD).
  'errors.validation.field-violations v1 1.0/jsonrpc': 'warn',
  'errors.validation.field-violations v1 1.0/rest': 'warn',
  'errors.validation.field-violations v1 1.0/grpc': 'warn',
  // Both SDKs answer -32602 for a string params (stance: warning).
  'errors.jsonrpc.params-not-structured v1 0.3/jsonrpc': 'warn',
  'errors.jsonrpc.params-not-structured v1 1.0/jsonrpc': 'warn',
  'errors.jsonrpc.params-not-structured v03 0.3/jsonrpc': 'warn',
  // Lenient about media types (validateInputModes off): MAY observation.
  'errors.content-type.unsupported v1 0.3/jsonrpc': 'info',
  'errors.content-type.unsupported v1 0.3/rest': 'info',
  'errors.content-type.unsupported v1 1.0/jsonrpc': 'info',
  'errors.content-type.unsupported v1 1.0/rest': 'info',
  'errors.content-type.unsupported v03 0.3/jsonrpc': 'info',
  'errors.content-type.unsupported v03 0.3/rest': 'info',
  'errors.content-type.unsupported v1 0.3/grpc': 'info',
  'errors.content-type.unsupported v1 1.0/grpc': 'info',
  'errors.content-type.unsupported v03 0.3/grpc': 'info',
  // 1.0.0 rejected (stance: warning); 1.0 REST header-less served as 1.0 (SDK deviation); JSON-RPC ignores the query
  // form.
  'versions.header.patch-ignored v1 1.0/jsonrpc': 'warn',
  'versions.header.patch-ignored v1 1.0/rest': 'warn',
  'versions.missing-header.dual-stack v1 1.0/rest': 'fail',
  'versions.query-param v1 1.0/jsonrpc': 'info',
};

type OutcomeSpec = Pick<ControlledFaultCase, 'agent' | 'agentOptions'>;

describe('outcomes on the reference agents', () => {
  it.concurrent.each([
    ['v1', { agent: 'v1' as const } as OutcomeSpec],
    ['v03', { agent: 'v03' as const } as OutcomeSpec],
    ['v1 minimal', { agent: 'v1', agentOptions: { streaming: false, pushNotifications: false } } as OutcomeSpec],
  ])('%s', { timeout: 90_000 }, async (_name, spec) => {
    const agent = await agentFor(spec);
    const results = await run(agent.baseUrl, spec.agent, ['errors.**', 'versions.**', 'extensions.**']);
    const errors = results
      .filter((r) => r.outcome === 'error' || r.outcome === 'untestable')
      .map((r) => `${cell(r)}: ${r.outcome} ${r.message}`);
    expect(errors).toEqual([]);
    const got = Object.fromEntries(
      results
        .filter((r) => r.outcome !== 'pass' && r.outcome !== 'skip')
        .map((r) => [`${r.checkId} ${spec.agent} ${r.version}/${r.binding}`, r.outcome]),
    );
    expect(got).toEqual(filterFor(spec.agent, spec.agentOptions?.pushNotifications !== false));
  });
});

/** The expected non-passing outcomes of one agent; checks needing push notifications skip on an agent without. */
function filterFor(agent: 'v1' | 'v03', push = true): Record<string, Outcome> {
  return Object.fromEntries(
    Object.entries(EXPECTED_NOT_PASSING).filter(
      ([k]) => k.split(' ')[1] === agent && (push || !k.startsWith('errors.push-config.')),
    ),
  );
}
