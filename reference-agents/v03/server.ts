/**
 * Reference agent on a2a-sdk-v03 (@a2a-js/sdk 0.3.14), protocol 0.3.
 *
 * card      GET  <base>/.well-known/agent-card.json   (0.3 card: url + preferredTransport JSONRPC +
 * additionalInterfaces)
 *   JSON-RPC  POST <base>/a2a/jsonrpc                   (message/send, message/stream, tasks/get, tasks/cancel, ...)
 *   HTTP+JSON      <base>/a2a/rest/v1/<operation>       (e.g. POST /a2a/rest/v1/message:send; card interface url is
 *                                                         <base>/a2a/rest, clients append /v1/...)
 *
 * Everything protocol-related is the SDK's: DefaultRequestHandler, InMemoryTaskStore, InMemoryPushNotificationStore,
 * DefaultPushNotificationSender and the express handlers. Only the executor (business logic) is ours.
 *
 * Run: `node dist/reference-agents/v03/server.js` (env PORT, HOST, PUBLIC_HOST, REF_AGENT_NO_STREAMING,
 * REF_AGENT_NO_PUSH,
 * and optionally REF_AGENT_BEARER_TOKEN / REF_AGENT_EXTENDED_CARD: bearer authentication and an extended card, see
 * ../auth/auth.ts).
 */
import express from 'express';
import { AGENT_CARD_PATH, type AgentCard } from 'a2a-sdk-v03';
import {
  DefaultPushNotificationSender,
  DefaultRequestHandler,
  InMemoryPushNotificationStore,
  InMemoryTaskStore,
} from 'a2a-sdk-v03/server';
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from 'a2a-sdk-v03/server/express';
import { A2AService, grpcService, UserBuilder as GrpcUserBuilder } from 'a2a-sdk-v03/server/grpc';
import { grpcBearerUserBuilder, listenGrpc } from '../grpc-server.js';
import { V03ReferenceExecutor } from './executor.js';
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

export const V03_PATHS = { card: `/${AGENT_CARD_PATH}`, ...TRANSPORT_PATHS } as const;

export const V03_PROTOCOL_VERSION = '0.3.0';

/** Options of the 0.3 agent: the common ones plus the (additive) authentication switches. */
export type V03AgentOptions = ReferenceAgentOptions & AuthAgentOptions;

/** The card. `grpcUrl` (the agent's gRPC address) adds a GRPC additional interface after the HTTP ones. */
export function buildV03AgentCard(baseUrl: string, opts: V03AgentOptions = {}, grpcUrl?: string): AgentCard {
  const jsonrpcUrl = `${baseUrl}${V03_PATHS.jsonrpc}`;
  const restUrl = `${baseUrl}${V03_PATHS.rest}`;
  return {
    protocolVersion: V03_PROTOCOL_VERSION,
    name: 'A2A Conformance Reference Agent (SDK 0.3)',
    description:
      'Reference agent of the A2A conformance harness, built on @a2a-js/sdk 0.3.14. Serves protocol 0.3 over ' +
      'JSON-RPC ' +
      'and HTTP+JSON. Behaviour is selected by trigger phrases (see reference-agents/README.md).',
    version: '0.3.14',
    url: jsonrpcUrl,
    preferredTransport: 'JSONRPC',
    additionalInterfaces: [
      { url: jsonrpcUrl, transport: 'JSONRPC' },
      { url: restUrl, transport: 'HTTP+JSON' },
      ...(grpcUrl ? [{ url: grpcUrl, transport: 'GRPC' }] : []),
    ],
    provider: { organization: 'A2A conformance harness', url: 'https://a2a-protocol.org/' },
    capabilities: {
      streaming: opts.streaming ?? true,
      pushNotifications: opts.pushNotifications ?? true,
      stateTransitionHistory: false,
    },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: REFERENCE_SKILLS,
    supportsAuthenticatedExtendedCard: opts.extendedCard ?? false,
    ...(opts.bearerToken
      ? {
          securitySchemes: {
            [BEARER_SCHEME_NAME]: {
              type: 'http',
              scheme: 'bearer',
              description: 'Static bearer token (a throwaway test credential).',
            },
          },
          security: [{ [BEARER_SCHEME_NAME]: [] }],
        }
      : {}),
  };
}

/** The extended card served to authenticated callers: the public card plus one skill. */
export function buildV03ExtendedCard(card: AgentCard): AgentCard {
  return {
    ...card,
    description: `${card.description}${EXTENDED_DESCRIPTION_SUFFIX}`,
    skills: [...card.skills, EXTENDED_SKILL],
  };
}

export async function startV03Agent(opts: V03AgentOptions = {}): Promise<RunningReferenceAgent & { card: AgentCard }> {
  const app = express();
  const listening = await listen(app, opts);
  const grpcServer = await listenGrpc(
    { v03: A2AService },
    { ...opts, port: opts.grpcPort ?? 0, ...(opts.bearerToken ? { bearerToken: opts.bearerToken } : {}) },
  );
  const card = buildV03AgentCard(listening.baseUrl, opts, grpcServer.url);

  const executor = new V03ReferenceExecutor({
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
    new DefaultPushNotificationSender(pushStore),
    opts.extendedCard ? buildV03ExtendedCard(card) : undefined,
  );
  const userBuilder = opts.bearerToken ? bearerUserBuilder(opts.bearerToken) : UserBuilder.noAuthentication;
  app.use(V03_PATHS.card, agentCardHandler({ agentCardProvider: requestHandler }));
  if (opts.bearerToken) {
    app.use(V03_PATHS.jsonrpc, requireBearer(opts.bearerToken, 'jsonrpc'));
    app.use(V03_PATHS.rest, requireBearer(opts.bearerToken, 'rest'));
  }
  app.use(V03_PATHS.jsonrpc, jsonRpcHandler({ requestHandler, userBuilder }));
  app.use(V03_PATHS.rest, restHandler({ requestHandler, userBuilder }));
  const grpcUserBuilder = opts.bearerToken ? grpcBearerUserBuilder(opts.bearerToken) : GrpcUserBuilder.noAuthentication;
  grpcServer.attach('v03', grpcService({ requestHandler, userBuilder: grpcUserBuilder }));

  return {
    baseUrl: listening.baseUrl,
    card,
    interfaces: [
      { url: `${listening.baseUrl}${V03_PATHS.jsonrpc}`, binding: 'JSONRPC', protocolVersion: V03_PROTOCOL_VERSION },
      { url: `${listening.baseUrl}${V03_PATHS.rest}`, binding: 'HTTP+JSON', protocolVersion: V03_PROTOCOL_VERSION },
      { url: grpcServer.url, binding: 'GRPC', protocolVersion: V03_PROTOCOL_VERSION },
    ],
    close: async () => {
      executor.scenarios.dispose();
      await Promise.all([listening.close(), grpcServer.close()]);
    },
  };
}

if (isMainModule(import.meta.url)) {
  void runMain((o) => startV03Agent({ ...o, ...authOptionsFromEnv() }));
}
