/** Adapter factory without the schema facade (tests and callers that inject their own validator). */
import type { Binding, ProtocolVersion } from '../../core/types.js';
import type { A2AClient } from '../client.js';
import type { AdapterOptions } from './base.js';
import { createV03GrpcClient } from './v03-grpc.js';
import { createV03JsonRpcClient } from './v03-jsonrpc.js';
import { createV03RestClient } from './v03-rest.js';
import { createV10GrpcClient } from './v10-grpc.js';
import { createV10JsonRpcClient } from './v10-jsonrpc.js';
import { createV10RestClient } from './v10-rest.js';

export type { AdapterOptions } from './base.js';
export type { ValidateFn } from './validation.js';

const FACTORIES: Record<ProtocolVersion, Record<Binding, (opts: AdapterOptions) => A2AClient>> = {
  '0.3': { jsonrpc: createV03JsonRpcClient, rest: createV03RestClient, grpc: createV03GrpcClient },
  '1.0': { jsonrpc: createV10JsonRpcClient, rest: createV10RestClient, grpc: createV10GrpcClient },
};

export function createAdapter(version: ProtocolVersion, binding: Binding, opts: AdapterOptions): A2AClient {
  return FACTORIES[version][binding](opts);
}
