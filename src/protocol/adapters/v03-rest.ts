/**
 * A2A 0.3 over HTTP+JSON: `/v1/...` paths, ProtoJSON of proto-0.3 as the a2a-js 0.3.14 REST transport encodes it
 * (`{message:{messageId,role:"ROLE_USER",content:[{text}]},configuration:{...}}`), no A2A-Version header.
 */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { RestAdapter, type RestSpec } from './rest.js';

export const V03_REST: RestSpec = {
  version: '0.3',
  profile: '0.3-rest',
  dialect: 'proto-0.3',
  prefix: '/v1',
  extendedCardPath: '/card',
  tenantPrefix: false,
  listType: null, // `GET /v1/tasks` exists only in the spec table; proto-0.3 has no ListTasksResponse
  cancelBody: (taskId) => ({ name: `tasks/${taskId}` }),
};

export function createV03RestClient(opts: AdapterOptions): A2AClient {
  return new RestAdapter(V03_REST, opts);
}
