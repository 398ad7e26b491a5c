/**
 * A2A 0.3 over gRPC: `a2a.v1.A2AService` (proto-0.3), resource names (`tasks/{id}`,
 * `tasks/{id}/pushNotificationConfigs/{config}`), no A2A-Version, X-A2A-Extensions as metadata. proto-0.3 has no
 * ListTasks method (the spec table's `ListTask` is absent from the proto), so `list` is answered without sending.
 */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { GrpcAdapter, type GrpcSpec } from './grpc.js';
import { compact } from './wire-util.js';

const task = (id: string): string => `tasks/${id}`;
const pushName = (taskId: string, id: string): string => `tasks/${taskId}/pushNotificationConfigs/${id}`;

export const V03_GRPC: GrpcSpec = {
  version: '0.3',
  profile: '0.3-rest',
  dialect: 'proto-0.3',
  pkg: 'a2a.v1',
  methods: {
    send: { name: 'SendMessage', request: 'SendMessageRequest', response: 'SendMessageResponse' },
    stream: {
      name: 'SendStreamingMessage',
      request: 'SendMessageRequest',
      response: 'StreamResponse',
      streaming: true,
    },
    get: { name: 'GetTask', request: 'GetTaskRequest', response: 'Task' },
    list: null,
    cancel: { name: 'CancelTask', request: 'CancelTaskRequest', response: 'Task' },
    subscribe: {
      name: 'TaskSubscription',
      request: 'TaskSubscriptionRequest',
      response: 'StreamResponse',
      streaming: true,
    },
    createPushConfig: {
      name: 'CreateTaskPushNotificationConfig',
      request: 'CreateTaskPushNotificationConfigRequest',
      response: 'TaskPushNotificationConfig',
    },
    getPushConfig: {
      name: 'GetTaskPushNotificationConfig',
      request: 'GetTaskPushNotificationConfigRequest',
      response: 'TaskPushNotificationConfig',
    },
    listPushConfigs: {
      name: 'ListTaskPushNotificationConfig',
      request: 'ListTaskPushNotificationConfigRequest',
      response: 'ListTaskPushNotificationConfigResponse',
    },
    deletePushConfig: {
      name: 'DeleteTaskPushNotificationConfig',
      request: 'DeleteTaskPushNotificationConfigRequest',
      response: 'google.protobuf.Empty',
    },
    extendedCard: { name: 'GetAgentCard', request: 'GetAgentCardRequest', response: 'AgentCard' },
  },
  tenantField: false,
  getRequest: (id, historyLength) => compact({ name: task(id), historyLength }),
  taskRequest: (id) => ({ name: task(id) }),
  createPushRequest: (taskId, config, body) => ({ parent: task(taskId), configId: config.id ?? '', config: body }),
  pushRequest: (taskId, id) => ({ name: pushName(taskId, id) }),
  pushListRequest: (taskId) => ({ parent: task(taskId) }),
};

export function createV03GrpcClient(opts: AdapterOptions): A2AClient {
  return new GrpcAdapter(V03_GRPC, opts);
}
