/** A2A 1.0 over HTTP+JSON: unprefixed paths (`/{tenant}` when the interface declares one), ProtoJSON, A2A-Version. */
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { RestAdapter, type RestSpec } from './rest.js';

export const V10_REST: RestSpec = {
  version: '1.0',
  profile: '1.0',
  dialect: 'proto-1.0',
  prefix: '',
  extendedCardPath: '/extendedAgentCard',
  tenantPrefix: true,
  listType: 'ListTasksResponse',
  cancelBody: () => ({}),
};

export function createV10RestClient(opts: AdapterOptions): A2AClient {
  return new RestAdapter(V10_REST, opts);
}
