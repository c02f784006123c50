#include "common/server/change_stream.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace fazhi::server {

grpc::Status ChangeStreams::InvalidCursor() {
  return ToGrpcStatus(errors::InvalidField(
      "after_sequence", "must be 0 (from the start) or a sequence already received"));
}

grpc::Status ChangeStreams::ShuttingDown(uint64_t cursor) const {
  return ToGrpcStatus(errors::Unavailable(
      "SHUTTING_DOWN",
      absl::StrCat(service_, " is shutting down; watch again from sequence ", cursor)));
}

}  // namespace fazhi::server
