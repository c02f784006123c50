#include "common/server/change_stream.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace fazhi::server {

grpc::Status InvalidWatchCursor() {
  return ToGrpcStatus(errors::InvalidField(
      "after_sequence", "must be 0 (from the start) or a sequence already received"));
}

grpc::Status WatchShuttingDown(const std::string& service, uint64_t cursor) {
  return ToGrpcStatus(errors::Unavailable(
      "SHUTTING_DOWN",
      absl::StrCat(service, " is shutting down; watch again from sequence ", cursor)));
}

grpc::Status WatchCancelled() { return ToGrpcStatus(errors::Cancelled("the watch was cancelled")); }

}  // namespace fazhi::server
