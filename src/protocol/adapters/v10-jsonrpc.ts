/** A2A 1.0 over JSON-RPC: PascalCase methods, ProtoJSON params, `A2A-Version: 1.0`, `tenant` in params. */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { encodeState } from './encode.js';
import { JsonRpcAdapter, type JsonRpcSpec } from './jsonrpc.js';
import { compact } from './wire-util.js';

export const V10_JSONRPC: JsonRpcSpec = {
  version: '1.0',
  profile: '1.0',
  dialect: 'proto-1.0',
  methods: {
    send: 'SendMessage',
    stream: 'SendStreamingMessage',
    get: 'GetTask',
    list: 'ListTasks',
    cancel: 'CancelTask',
    subscribe: 'SubscribeToTask',
    createPushConfig: 'CreateTaskPushNotificationConfig',
    getPushConfig: 'GetTaskPushNotificationConfig',
    listPushConfigs: 'ListTaskPushNotificationConfigs',
    deletePushConfig: 'DeleteTaskPushNotificationConfig',
    extendedCard: 'GetExtendedAgentCard',
  },
  tenantInParams: true,
  getParams: (id, historyLength) => compact({ id, historyLength }),
  taskIdParams: (id) => ({ id }),
  pushGetParams: (taskId, id) => ({ taskId, id }),
  pushListParams: (taskId) => ({ taskId }),
  pushDeleteParams: (taskId, id) => ({ taskId, id }),
  listParams: (p) =>
    compact({
      contextId: p.contextId,
      status: p.status !== undefined ? encodeState(p.status, 'proto-1.0') : undefined,
      pageSize: p.pageSize,
      pageToken: p.pageToken,
      historyLength: p.historyLength,
      statusTimestampAfter: p.statusTimestampAfter,
      includeArtifacts: p.includeArtifacts,
    }),
  extendedCardParams: () => ({}), // GetExtendedAgentCardRequest {tenant?}
};

export function createV10JsonRpcClient(opts: AdapterOptions): A2AClient {
  return new JsonRpcAdapter(V10_JSONRPC, opts);
}
