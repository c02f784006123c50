// The one crossing between absl::Status and grpc::Status, both ways.
#ifndef FAZHI_COMMON_STATUS_GRPC_STATUS_H_
#define FAZHI_COMMON_STATUS_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/rpc/status.pb.h"

namespace fazhi {

// Maps code and message, and packs every payload of `status` (the google.rpc
// details attached by errors.h) into a google.rpc.Status carried as the
// grpc-status-details-bin trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The same google.rpc.Status as a message, for a reply that carries the
// outcome of each of its items (code, message and details).
google::rpc::Status ToRpcStatus(const absl::Status& status);

// The reverse, for clients: code, message, and each detail back as a payload,
// so errors::GetDetail works on what a backend returned.
absl::Status FromGrpcStatus(const grpc::Status& status);

// For service adapters: moves `result` into `*out` and returns OK, or maps
// its error with ToGrpcStatus.
template <typename T>
grpc::Status ReplyWith(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *out = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace fazhi

#endif  // FAZHI_COMMON_STATUS_GRPC_STATUS_H_
