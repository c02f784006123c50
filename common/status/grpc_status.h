// The one crossing between absl::Status and grpc::Status, both ways.
#ifndef FAZHI_COMMON_STATUS_GRPC_STATUS_H_
#define FAZHI_COMMON_STATUS_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"

namespace fazhi {

// The order of the details in every google.rpc.Status the suite sends: the
// reason (ErrorInfo), then what the caller should fix (BadRequest's fields,
// PreconditionFailure's conditions), then the resource concerned
// (ResourceInfo), then when to retry (RetryInfo); any other type after these,
// by type URL. The same error always lists its details the same way.
inline constexpr absl::string_view kDetailOrder[] = {
    "google.rpc.ErrorInfo",    "google.rpc.BadRequest", "google.rpc.PreconditionFailure",
    "google.rpc.ResourceInfo", "google.rpc.RetryInfo",
};

// Maps code and message, and packs every payload of `status` (the google.rpc
// details attached by errors.h) into a google.rpc.Status carried as the
// grpc-status-details-bin trailer, in kDetailOrder.
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
