/** What the gateway checks learn of an upstream's addresses: every interface authority of every card it declared. */
import { describe, expect, it } from 'vitest';
import type { UpstreamAccess } from '../../src/checks/types.js';
import type { CardSnapshot, CardView } from '../../src/discovery/types.js';
import {
  authorityOf,
  jsonPathMatching,
  upstreamAuthorities,
  upstreamAuthorityIn,
} from '../../suites/gateway/authorities.js';

const snapshot = (requested: CardSnapshot['requested'], json: unknown): CardSnapshot => ({
  requested,
  url: 'http://agent.internal:4000/.well-known/agent-card.json',
  headers: {},
  json,
  text: JSON.stringify(json),
});

function upstream(snapshots: CardSnapshot[]): UpstreamAccess {
  return {
    target: { url: 'http://agent.internal:4000', cardUrl: 'http://agent.internal:4000/.well-known/agent-card.json' },
    card: { allSnapshots: snapshots } as unknown as CardView,
  } as unknown as UpstreamAccess;
}

const card10 = {
  supportedInterfaces: [
    { url: 'http://agent.internal:4000/a2a/jsonrpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    { url: 'agent-grpc.internal:50051', protocolBinding: 'GRPC', protocolVersion: '1.0' },
  ],
};
const card03 = {
  url: 'http://agent.internal:4000/a2a/jsonrpc',
  preferredTransport: 'JSONRPC',
  protocolVersion: '0.3.0',
  additionalInterfaces: [{ url: 'grpc://10.0.0.7:50052', transport: 'GRPC' }],
};

describe('upstream authorities', () => {
  it('reads URLs and bare host:port, and nothing that is neither', () => {
    expect(authorityOf('https://Agent.Example:8443/x')).toBe('agent.example:8443');
    expect(authorityOf('https://agent.example:443/x')).toBe('agent.example');
    expect(authorityOf('agent-grpc.internal:50051')).toBe('agent-grpc.internal:50051');
    expect(authorityOf('[::1]:50051')).toBe('[::1]:50051');
    expect(authorityOf('/relative/path')).toBeUndefined();
    expect(authorityOf('agent')).toBeUndefined();
    expect(authorityOf('')).toBeUndefined();
  });

  it('learns the target URL and every interface of both card shapes, with where each was declared', () => {
    const all = upstreamAuthorities(upstream([snapshot('1.0', card10), snapshot('default', card03)]), [
      'http://gw.example/a2a/x',
    ]);
    expect(all.map((a) => [a.authority, a.declaredAt])).toEqual([
      ['agent.internal:4000', ['its target url', 'its cardUrl', 'card (1.0) supportedInterfaces[0].url']],
      ['agent-grpc.internal:50051', ['card (1.0) supportedInterfaces[1].url']],
      ['10.0.0.7:50052', ['card (default) additionalInterfaces[0].url']],
    ]);
    expect(all[1]!.label).toBe("the upstream's GRPC address");
    expect(upstreamAuthorityIn('http://agent-grpc.internal:50051', all)?.authority).toBe('agent-grpc.internal:50051');
    expect(upstreamAuthorityIn('gw.example:50051', all)).toBeUndefined();
  });

  it("leaves out the gateway's own authority, and matches an authority only where it stands alone", () => {
    const all = upstreamAuthorities(upstream([snapshot('1.0', card10)]), ['http://agent.internal:4000/a2a/x']);
    expect(all.map((a) => a.authority)).toEqual(['agent-grpc.internal:50051']);
    const grpc = all[0]!.pattern;
    expect(grpc.test('dial agent-grpc.internal:50051 now')).toBe(true);
    expect(grpc.test('agent-grpc.internal:500511')).toBe(false);
    expect(grpc.test('xagent-grpc.internal:50051')).toBe(false);
    const [portless] = upstreamAuthorities(
      upstream([
        snapshot('1.0', { supportedInterfaces: [{ url: 'https://agent.example/a2a', protocolBinding: 'GRPC' }] }),
      ]),
      ['http://agent.internal:4000'],
    );
    expect(portless!.pattern.test('see https://agent.example/a2a')).toBe(true);
    expect(portless!.pattern.test('agent.example.org')).toBe(false);
    expect(portless!.pattern.test('agent.example:8443')).toBe(false);
  });

  it('names the JSON path where an authority appears', () => {
    const [, grpc] = upstreamAuthorities(upstream([snapshot('1.0', card10)]), []);
    expect(
      jsonPathMatching({ name: 'x', supportedInterfaces: [{}, { url: 'agent-grpc.internal:50051' }] }, grpc!.pattern),
    ).toBe('supportedInterfaces[1].url');
    expect(jsonPathMatching({ name: 'x' }, grpc!.pattern)).toBeUndefined();
  });
});
