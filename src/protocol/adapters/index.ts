/** Adapter factory without the schema facade (tests and callers that inject their own validator). */
import type { Binding, ProtocolVersion } from '../../core/types.js';
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { createV03JsonRpcClient } from './v03-jsonrpc.js';
import { createV03RestClient } from './v03-rest.js';
import { createV10JsonRpcClient } from './v10-jsonrpc.js';
import { createV10RestClient } from './v10-rest.js';

export type { AdapterOptions } from './base.js';
export type { ValidateFn } from './validation.js';

export function createAdapter(version: ProtocolVersion, binding: Binding, opts: AdapterOptions): A2AClient {
  if (version === '0.3') return binding === 'jsonrpc' ? createV03JsonRpcClient(opts) : createV03RestClient(opts);
  return binding === 'jsonrpc' ? createV10JsonRpcClient(opts) : createV10RestClient(opts);
}
