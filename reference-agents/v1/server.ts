/**
 * Reference agent on @a2a-js/sdk 1.x (protocol 1.0), with the SDK's v0.3 compatibility layer enabled on every
 * HTTP transport, so the same server also answers 0.3 clients.
 *
 *   card      GET  <base>/.well-known/agent-card.json   (1.0 card with `A2A-Version: 1.0`; 0.3-shaped card when the
 *                                                         header is absent or 0.3)
 *   JSON-RPC  POST <base>/a2a/jsonrpc                   (1.0 with `A2A-Version: 1.0`; 0.3 when absent or `0.3`)
 *   HTTP+JSON      <base>/a2a/rest/<operation>          (1.0, e.g. POST /a2a/rest/message:send, `A2A-Version: 1.0`)
 *                  <base>/a2a/rest/v1/<operation>       (0.3, e.g. POST /a2a/rest/v1/message:send, no header)
 *   gRPC      http://host:<grpc port>                   (its own port, plaintext: lf.a2a.v1.A2AService with
 *                                                         `a2a-version: 1.0` metadata, and the SDK's 0.3 compat
 *                                                         a2a.v1.A2AService; env GRPC_PORT, default any free port)
 *
 * Everything protocol-related is the SDK's: DefaultRequestHandler, InMemoryTaskStore, InMemoryPushNotificationStore,
 * the legacy-aware push sender, and the express handlers. Only the executor (business logic) is ours.
 *
 * Run: `node dist/reference-agents/v1/server.js` (env PORT, HOST, PUBLIC_HOST, REF_AGENT_NO_STREAMING,
 * REF_AGENT_NO_PUSH,
 * and optionally REF_AGENT_BEARER_TOKEN / REF_AGENT_EXTENDED_CARD: bearer authentication and an extended card, see
 * ../auth/auth.ts).
 */
import express from 'express';
import { A2A_PROTOCOL_VERSION, AGENT_CARD_PATH, type AgentCard, type AgentInterface } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryPushNotificationStore, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { createLegacyAwarePushNotificationSender } from '@a2a-js/sdk/compat/v0_3/server';
import { A2AService, grpcService, UserBuilder as GrpcUserBuilder } from '@a2a-js/sdk/server/grpc';
import { LegacyA2AService, legacyGrpcService } from '@a2a-js/sdk/compat/v0_3/server/grpc';
import { grpcBearerUserBuilder, listenGrpc } from '../grpc-server.js';
import { V1ReferenceExecutor } from './executor.js';
import {
  authOptionsFromEnv,
  bearerUserBuilder,
  BEARER_SCHEME_NAME,
  requireBearer,
  type AuthAgentOptions,
} from '../auth/auth.js';
import { REFERENCE_TIMING } from '../triggers.js';
import { isMainModule, listen, runMain, type ReferenceAgentOptions, type RunningReferenceAgent } from '../runtime.js';
import { EXTENDED_DESCRIPTION_SUFFIX, EXTENDED_SKILL, REFERENCE_SKILLS, TRANSPORT_PATHS } from '../card-content.js';

export const V1_PATHS = { card: `/${AGENT_CARD_PATH}`, ...TRANSPORT_PATHS } as const;

/** Protocol version the compat interfaces are declared with (the SDK compares the A2A-Version header to it exactly). */
export const V1_LEGACY_INTERFACE_VERSION = '0.3';

/** Options of the 1.x agent: the common ones plus the (additive) authentication switches. */
export type V1AgentOptions = ReferenceAgentOptions & AuthAgentOptions;

/**
 * The card. `grpcUrl` (the agent's gRPC address) adds GRPC interfaces for 1.0 and 0.3 after the HTTP ones
 * (preference order: JSON-RPC, HTTP+JSON, gRPC).
 */
export function buildV1AgentCard(baseUrl: string, opts: V1AgentOptions = {}, grpcUrl?: string): AgentCard {
  const jsonrpcUrl = `${baseUrl}${V1_PATHS.jsonrpc}`;
  const restUrl = `${baseUrl}${V1_PATHS.rest}`;
  const iface = (url: string, protocolBinding: string, protocolVersion: string): AgentInterface => ({
    url,
    protocolBinding,
    protocolVersion,
    tenant: '',
  });
  return {
    name: 'A2A Conformance Reference Agent (SDK 1.x)',
    description:
      'Reference agent of the A2A conformance harness, built on @a2a-js/sdk 1.x. Serves protocol 1.0 over ' +
      'JSON-RPC and ' +
      'HTTP+JSON, and protocol 0.3 through the SDK compatibility layer. Behaviour is selected by trigger phrases ' +
      '(see reference-agents/README.md).',
    supportedInterfaces: [
      iface(jsonrpcUrl, 'JSONRPC', A2A_PROTOCOL_VERSION),
      iface(restUrl, 'HTTP+JSON', A2A_PROTOCOL_VERSION),
      // The compat layer only serves 0.3 on a binding whose card declares a 0.3 interface (validateVersion), and the
      // 0.3 card is derived from the 0.3 interfaces only; so both are declared explicitly, at the same URLs.
      iface(jsonrpcUrl, 'JSONRPC', V1_LEGACY_INTERFACE_VERSION),
      iface(restUrl, 'HTTP+JSON', V1_LEGACY_INTERFACE_VERSION),
      ...(grpcUrl
        ? [iface(grpcUrl, 'GRPC', A2A_PROTOCOL_VERSION), iface(grpcUrl, 'GRPC', V1_LEGACY_INTERFACE_VERSION)]
        : []),
    ],
    provider: { organization: 'A2A conformance harness', url: 'https://a2a-protocol.org/' },
    version: '1.0.0',
    capabilities: {
      streaming: opts.streaming ?? true,
      pushNotifications: opts.pushNotifications ?? true,
      extensions: [],
      extendedAgentCard: opts.extendedCard ?? false,
    },
    // The SDK's own (ts-proto) shape of the oneof; the SDK translates it for the 0.3 card.
    securitySchemes: opts.bearerToken
      ? {
          [BEARER_SCHEME_NAME]: {
            scheme: {
              $case: 'httpAuthSecurityScheme',
              value: {
                scheme: 'Bearer',
                bearerFormat: '',
                description: 'Static bearer token (a throwaway test credential).',
              },
            },
          },
        }
      : {},
    securityRequirements: opts.bearerToken ? [{ schemes: { [BEARER_SCHEME_NAME]: { list: [] } } }] : [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: REFERENCE_SKILLS.map((skill) => ({ ...skill, securityRequirements: [] })),
    signatures: [],
  };
}

/** The extended card served to authenticated callers: the public card plus one skill. */
export function buildV1ExtendedCard(card: AgentCard): AgentCard {
  return {
    ...card,
    description: `${card.description}${EXTENDED_DESCRIPTION_SUFFIX}`,
    skills: [...card.skills, { ...EXTENDED_SKILL, examples: [], securityRequirements: [] }],
  };
}

export async function startV1Agent(opts: V1AgentOptions = {}): Promise<RunningReferenceAgent & { card: AgentCard }> {
  const app = express();
  const listening = await listen(app, opts);
  const grpcServer = await listenGrpc(
    { v1: A2AService, v03: LegacyA2AService },
    { ...opts, port: opts.grpcPort ?? 0, ...(opts.bearerToken ? { bearerToken: opts.bearerToken } : {}) },
  );
  const card = buildV1AgentCard(listening.baseUrl, opts, grpcServer.url);

  const executor = new V1ReferenceExecutor({
    ...REFERENCE_TIMING,
    ...(opts.slowMs !== undefined ? { slowTotalMs: opts.slowMs } : {}),
  });
  const pushStore = new InMemoryPushNotificationStore();
  const requestHandler = new DefaultRequestHandler(
    card,
    new InMemoryTaskStore(),
    executor,
    undefined,
    pushStore,
    createLegacyAwarePushNotificationSender(pushStore),
    opts.extendedCard ? buildV1ExtendedCard(card) : undefined,
  );
  const legacyCompat = { enabled: true };
  const userBuilder = opts.bearerToken ? bearerUserBuilder(opts.bearerToken) : UserBuilder.noAuthentication;
  app.use(V1_PATHS.card, agentCardHandler({ agentCardProvider: requestHandler, legacyCompat }));
  if (opts.bearerToken) {
    app.use(V1_PATHS.jsonrpc, requireBearer(opts.bearerToken, 'jsonrpc'));
    app.use(V1_PATHS.rest, requireBearer(opts.bearerToken, 'rest'));
  }
  app.use(V1_PATHS.jsonrpc, jsonRpcHandler({ requestHandler, userBuilder, legacyCompat }));
  app.use(V1_PATHS.rest, restHandler({ requestHandler, userBuilder, legacyCompat }));
  const grpcUserBuilder = opts.bearerToken ? grpcBearerUserBuilder(opts.bearerToken) : GrpcUserBuilder.noAuthentication;
  grpcServer.attach('v1', grpcService({ requestHandler, userBuilder: grpcUserBuilder }));
  grpcServer.attach('v03', legacyGrpcService({ requestHandler, userBuilder: grpcUserBuilder }));

  return {
    baseUrl: listening.baseUrl,
    card,
    interfaces: card.supportedInterfaces.map((i) => ({
      url: i.url,
      binding: i.protocolBinding as 'JSONRPC' | 'HTTP+JSON' | 'GRPC',
      protocolVersion: i.protocolVersion,
    })),
    close: async () => {
      executor.scenarios.dispose();
      await Promise.all([listening.close(), grpcServer.close()]);
    },
  };
}

if (isMainModule(import.meta.url)) {
  void runMain((o) => startV1Agent({ ...o, ...authOptionsFromEnv() }));
}
