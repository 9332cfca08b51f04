import type { MethodDefinition } from "@grpc/grpc-js";
import type protobuf from "protobufjs";

/**
 * A gRPC method definition for grpc-js from protobufjs message types, so that the session needs no
 * proto-loader or generated code. Requests arrive as decoded protobufjs messages.
 */
export function grpcMethod<Req, Res>(
  path: string,
  request: protobuf.Type,
  response: protobuf.Type,
  streaming: boolean,
): MethodDefinition<Req, Res> {
  return {
    path,
    requestStream: streaming,
    responseStream: streaming,
    requestSerialize: (value: Req) => Buffer.from(request.encode(value as object).finish()),
    requestDeserialize: (bytes: Buffer) => request.decode(bytes) as Req,
    responseSerialize: (value: Res) => Buffer.from(response.encode(value as object).finish()),
    responseDeserialize: (bytes: Buffer) => response.decode(bytes) as Res,
  };
}
