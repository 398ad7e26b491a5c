/**
 * The deviations the bundled gateway can be switched into, one per fault real gateways ship
 * (../shared/reference/ecosystem-update.md §3). Off by default: the gateway is then a faithful reverse proxy.
 */
export const GATEWAY_DEVIATIONS = {
  'skip-supported-interfaces': {
    description:
      'card rewrite touches `url` and `additionalInterfaces` only: every `supportedInterfaces[].url` keeps the ' +
      'upstream address (LiteLLM PR #30950)',
  },
  'scheme-mismatch': {
    description:
      'rewritten URLs do not follow the scheme of the client-facing hop (agentgateway#1031: `http://` behind TLS; ' +
      'here mirrored as `https://` in front of plain HTTP, since the tests run without a TLS terminator)',
  },
  'doubled-path': {
    description:
      'the route prefix is applied twice in rewritten URLs: `/a2a/{agent}/a2a/{agent}/…` (agentgateway#3500)',
  },
  'leak-upstream': {
    description:
      'responses carry the in-cluster upstream address: a `Via` header and error messages naming it ' +
      '(agentgateway#3500, PR #1760)',
  },
  'buffer-sse': {
    description: 'SSE responses are buffered whole and sent when the upstream closes them (xagent#1358, nginx)',
  },
  ndjson: {
    description: 'streams are re-framed as NDJSON (`application/x-ndjson`, one JSON object per line; LiteLLM#35027)',
  },
  'tasks-untranslated': {
    description:
      '0.3 `tasks/*` JSON-RPC calls are forwarded as 1.0 (`A2A-Version: 1.0`, PascalCase method) and the 1.0 answer ' +
      'is returned untranslated (LiteLLM: no version translation on tasks/*)',
  },
  'drop-a2a-headers': {
    description: '`A2A-Version`, `A2A-Extensions` and `X-A2A-Extensions` are not forwarded in either direction',
  },
  'change-errors': {
    description:
      'upstream errors are replaced: JSON-RPC errors become -32603 "Internal error", REST errors a 502 with a ' +
      'generic body',
  },
  'stale-card': {
    description:
      'serves a stale card: push notifications and the extended card hidden, the last skill missing (LiteLLM ' +
      'registered-card drift)',
  },
  'strip-signatures': {
    description: 'drops the card `signatures` instead of keeping them or re-signing',
  },
  'grpc-not-rewritten': {
    description:
      'proxies HTTP only and leaves every GRPC interface URL as the upstream declares it: the card leaks the ' +
      "agent's gRPC address, which clients then dial directly, past the gateway (an HTTP-only gateway's rewrite)",
  },
  'grpc-unserved': {
    description:
      'rewrites every interface URL to its HTTP base, GRPC ones included, though it serves no gRPC there: the card ' +
      'advertises an interface clients cannot reach (a blanket URL rewrite)',
  },
  slow: {
    description: 'adds 1.5 s before every request is forwarded (an overloaded or cold gateway)',
  },
} as const satisfies Record<string, { description: string }>;

export type GatewayDeviation = keyof typeof GATEWAY_DEVIATIONS;

export const isDeviation = (s: string): s is GatewayDeviation => Object.hasOwn(GATEWAY_DEVIATIONS, s);
