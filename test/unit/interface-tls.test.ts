/** What a declared interface URL says about TLS (card.interfaces.https reads nothing else). */
import { describe, expect, it } from 'vitest';
import { interfaceTls, isLoopbackHost } from '../../src/discovery/interface-tls.js';

describe('interfaceTls', () => {
  it.each([
    ['jsonrpc', 'https://agent.example/a2a', true, 'agent.example'],
    ['rest', 'HTTPS://Agent.Example/a2a/rest', true, 'agent.example'],
    ['jsonrpc', 'http://127.0.0.1:8080/a2a', false, '127.0.0.1'],
    ['rest', 'http://[::1]:8080/', false, '::1'],
    ['grpc', 'https://agent.example:443', true, 'agent.example'],
    ['grpc', 'grpcs://agent.example:8443', true, 'agent.example'],
    ['grpc', 'http://10.0.0.5:50051', false, '10.0.0.5'],
    ['grpc', 'grpc://agent.example:50051', false, 'agent.example'],
  ] as const)('%s %s → tls %s', (binding, url, tls, host) => {
    expect(interfaceTls({ binding, url })).toEqual({ tls, host });
  });

  it('does not guess where the URL names no scheme it knows', () => {
    expect(interfaceTls({ binding: 'grpc', url: 'agent.example:50051' }).tls).toBeUndefined();
    expect(interfaceTls({ binding: 'jsonrpc', url: 'ws://agent.example/a2a' }).tls).toBeUndefined();
    expect(interfaceTls({ binding: null, url: 'not a url' }).tls).toBeUndefined();
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['10.0.0.1', false],
    ['agent.example', false],
    ['127.0.0.1.nip.io', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
