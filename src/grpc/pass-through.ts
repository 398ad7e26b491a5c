/**
 * A gRPC service definition that hands every A2A method to one handler as raw bytes, for servers that forward calls
 * (the bundled gateway, the test fault proxy). Every method is declared server-streaming, as the harness calls them,
 * so a unary answer and a stream pass through alike.
 */
import type * as grpc from '@grpc/grpc-js';
import type { DescMessage, DescMethod } from '@bufbuild/protobuf';
import { serviceType } from './registry.js';

export type PassThroughCall = grpc.ServerWritableStream<Buffer, Buffer>;

/** The packages whose A2AService a forwarding server serves: 1.0 (`lf.a2a.v1`) and 0.3 (`a2a.v1`). */
export const A2A_SERVICE_PACKAGES = ['lf.a2a.v1', 'a2a.v1'] as const;

export interface PassThroughMethod {
  /** The call's path, `/package.A2AService/Method`. */
  path: string;
  name: string;
  input: DescMessage;
  output: DescMessage;
}

const identity = (b: Buffer) => b;

/** The definition and implementation to give `grpc.Server.addService` for one package's A2AService. */
export function passThroughService(
  pkg: string,
  handle: (call: PassThroughCall, method: PassThroughMethod) => void,
): { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation } {
  const svc = serviceType(`${pkg}.A2AService`);
  const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const m of svc.methods as DescMethod[]) {
    const method: PassThroughMethod = {
      path: `/${svc.typeName}/${m.name}`,
      name: m.name,
      input: m.input,
      output: m.output,
    };
    definition[m.name] = {
      path: method.path,
      requestStream: false,
      responseStream: true,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: m.name,
    };
    implementation[m.name] = (call: PassThroughCall) => handle(call, method);
  }
  return { definition, implementation };
}
