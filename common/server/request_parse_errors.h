// Requests that do not parse get INVALID_ARGUMENT naming the field, not
// gRPC's bare INTERNAL.
//
// The protobuf runtime refuses a request whose `string` field holds invalid
// UTF-8 before any service code runs, and gRPC then answers INTERNAL with no
// message. The interceptor made here notices the failed parse (the received
// message is null after POST_RECV_MESSAGE) and replaces that status with
// INVALID_ARGUMENT and a google.rpc.BadRequest naming the field, which it
// learns from the runtime's own complaint (captured by a protobuf log
// handler on the parsing thread).
#ifndef FAZHI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_
#define FAZHI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <memory>

#include "google/protobuf/message.h"

namespace fazhi::server {

// Installs the protobuf log handler once per process (idempotent); other
// protobuf log lines are still written to stderr.
void CaptureProtobufParseComplaints();

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRequestParseInterceptorFactory();

// For a method served raw (its request and reply as bytes, so a cached reply
// can be sent without copying a message): parses `bytes` into `out`, or
// returns the same INVALID_ARGUMENT the interceptor gives.
grpc::Status ParseRawRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message* out);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_REQUEST_PARSE_ERRORS_H_
