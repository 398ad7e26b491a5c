/** A2A 0.3 over JSON-RPC: `category/action` methods, schema-0.3 shapes (`kind`, lowercase enums), no A2A-Version. */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { JsonRpcAdapter, type JsonRpcSpec } from './jsonrpc.js';
import { compact } from './wire-util.js';

export const V03_JSONRPC: JsonRpcSpec = {
  version: '0.3',
  profile: '0.3-jsonrpc',
  dialect: 'jsonrpc-0.3',
  methods: {
    send: 'message/send',
    stream: 'message/stream',
    get: 'tasks/get',
    list: null, // ListTask exists only for gRPC/REST in the 0.3 table
    cancel: 'tasks/cancel',
    subscribe: 'tasks/resubscribe',
    createPushConfig: 'tasks/pushNotificationConfig/set',
    getPushConfig: 'tasks/pushNotificationConfig/get',
    listPushConfigs: 'tasks/pushNotificationConfig/list',
    deletePushConfig: 'tasks/pushNotificationConfig/delete',
    extendedCard: 'agent/getAuthenticatedExtendedCard',
  },
  tenantInParams: false,
  getParams: (id, historyLength) => compact({ id, historyLength }),
  taskIdParams: (id) => ({ id }),
  pushGetParams: (id, pushNotificationConfigId) => ({ id, pushNotificationConfigId }),
  pushListParams: (id) => ({ id }),
  pushDeleteParams: (id, pushNotificationConfigId) => ({ id, pushNotificationConfigId }),
  extendedCardParams: () => undefined, // the method takes no params (schema-0.3 has no `params` member)
};

export function createV03JsonRpcClient(opts: AdapterOptions): A2AClient {
  return new JsonRpcAdapter(V03_JSONRPC, opts);
}
