/** A2A 1.0 over gRPC: `lf.a2a.v1.A2AService`, flat ids, `tenant` in every request, A2A-Version as metadata. */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { GrpcAdapter, listTasksRequest, type GrpcSpec } from './grpc.js';
import { compact } from './wire-util.js';

export const V10_GRPC: GrpcSpec = {
  version: '1.0',
  profile: '1.0',
  dialect: 'proto-1.0',
  pkg: 'lf.a2a.v1',
  methods: {
    send: { name: 'SendMessage', request: 'SendMessageRequest', response: 'SendMessageResponse' },
    stream: {
      name: 'SendStreamingMessage',
      request: 'SendMessageRequest',
      response: 'StreamResponse',
      streaming: true,
    },
    get: { name: 'GetTask', request: 'GetTaskRequest', response: 'Task' },
    list: { name: 'ListTasks', request: 'ListTasksRequest', response: 'ListTasksResponse' },
    cancel: { name: 'CancelTask', request: 'CancelTaskRequest', response: 'Task' },
    subscribe: {
      name: 'SubscribeToTask',
      request: 'SubscribeToTaskRequest',
      response: 'StreamResponse',
      streaming: true,
    },
    createPushConfig: {
      name: 'CreateTaskPushNotificationConfig',
      request: 'TaskPushNotificationConfig',
      response: 'TaskPushNotificationConfig',
    },
    getPushConfig: {
      name: 'GetTaskPushNotificationConfig',
      request: 'GetTaskPushNotificationConfigRequest',
      response: 'TaskPushNotificationConfig',
    },
    listPushConfigs: {
      name: 'ListTaskPushNotificationConfigs',
      request: 'ListTaskPushNotificationConfigsRequest',
      response: 'ListTaskPushNotificationConfigsResponse',
    },
    deletePushConfig: {
      name: 'DeleteTaskPushNotificationConfig',
      request: 'DeleteTaskPushNotificationConfigRequest',
      response: 'google.protobuf.Empty',
    },
    extendedCard: { name: 'GetExtendedAgentCard', request: 'GetExtendedAgentCardRequest', response: 'AgentCard' },
  },
  tenantField: true,
  getRequest: (id, historyLength) => compact({ id, historyLength }),
  taskRequest: (id) => ({ id }),
  createPushRequest: (_taskId, _config, body) => body,
  pushRequest: (taskId, id) => ({ taskId, id }),
  pushListRequest: (taskId) => ({ taskId }),
  listRequest: listTasksRequest,
};

export function createV10GrpcClient(opts: AdapterOptions): A2AClient {
  return new GrpcAdapter(V10_GRPC, opts);
}
