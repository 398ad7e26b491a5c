/**
 * The harness's gRPC schemas at run time: one @bufbuild/protobuf registry built from the FileDescriptorSet that
 * scripts/build-protos.mjs compiled from schemas/proto/ (lf.a2a.v1, a2a.v1, google.rpc, well-known types).
 * No .proto parsing and no server reflection at run time.
 */
import {
  createFileRegistry,
  fromBinary,
  type DescMessage,
  type DescService,
  type FileRegistry,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { GRPC_DESCRIPTOR_SET_B64 } from '../../generated/grpc-descriptors.js';

let cached: FileRegistry | undefined;

export function grpcRegistry(): FileRegistry {
  if (!cached) {
    const set = fromBinary(FileDescriptorSetSchema, Buffer.from(GRPC_DESCRIPTOR_SET_B64, 'base64'));
    cached = createFileRegistry(set);
  }
  return cached;
}

export function messageType(typeName: string): DescMessage {
  const d = grpcRegistry().getMessage(typeName);
  if (!d) throw new Error(`gRPC schema has no message ${typeName}`);
  return d;
}

export function serviceType(typeName: string): DescService {
  const d = grpcRegistry().getService(typeName);
  if (!d) throw new Error(`gRPC schema has no service ${typeName}`);
  return d;
}
