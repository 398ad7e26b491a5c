/**
 * Faults for the gateway suite: each runs the v1 agent direct and through the bundled gateway
 * (reference-agents/gateway) with one deviation real gateways ship switched on; the baseline is the same pair through
 * the transparent gateway. Only the gateway target's results are judged (test/tools/kill-matrix.ts).
 */
import { GATEWAY_DEVIATIONS, type GatewayDeviation } from '../../reference-agents/gateway/deviations.js';
import type { ControlledFaultCase } from './errors.js';
import { signedEmulation } from './signatures.js';

const through = (deviation: GatewayDeviation, kills: string[], extra: Partial<ControlledFaultCase> = {}) =>
  ({
    name: `gateway-${deviation}`,
    description: `The gateway ${GATEWAY_DEVIATIONS[deviation].description}.`,
    agent: 'v1',
    kills,
    grep: ['gateway.**'],
    gateway: { deviations: [deviation] },
    ...extra,
  }) satisfies ControlledFaultCase;

export const FAULTS: ControlledFaultCase[] = [
  through('skip-supported-interfaces', ['gateway.card.interfaces-rewritten', 'gateway.leak.upstream-address']),
  through('scheme-mismatch', ['gateway.card.interfaces-rewritten']),
  through('doubled-path', ['gateway.card.interfaces-rewritten', 'gateway.errors.preserved']),
  through('leak-upstream', ['gateway.leak.upstream-address']),
  through('buffer-sse', ['gateway.stream.like-direct']),
  through('ndjson', ['gateway.stream.like-direct']),
  through('drop-a2a-headers', ['gateway.headers.a2a-version', 'gateway.card.unchanged']),
  through('change-errors', ['gateway.errors.preserved']),
  through('stale-card', ['gateway.card.unchanged']),
  through('slow', ['gateway.latency.added']),
  // The card keeps the agent's gRPC address (the bundled gateway before it proxied gRPC): clients dial past it.
  through('grpc-not-rewritten', ['gateway.card.interfaces-rewritten', 'gateway.leak.upstream-address']),
  // The card advertises gRPC at the gateway's HTTP base, where none is served: the probe of every declared interface
  // fails through the gateway (introduced; the gateway checks that call the gRPC cell fail with it).
  through('grpc-unserved', ['card.interfaces.answer'], { grep: ['gateway.**', 'card.interfaces.**'] }),
  // No gateway check of its own: the 0.3 tasks checks fail through it (introduced), as the comparison reports.
  through('tasks-untranslated', ['tasks.get.returns-task'], { grep: ['tasks.get.**'], protocols: ['0.3'] }),
  // The reference agents do not sign their cards: the upstream proxy signs them (the signature faults' emulation).
  through('strip-signatures', ['gateway.card.signatures'], { baseline: signedEmulation, protocols: ['1.0'] }),
];
