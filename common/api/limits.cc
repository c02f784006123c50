#include "common/api/limits.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace fazhi::limits {

bool CheckCount(errors::FieldViolations& violations, absl::string_view field, int count, int max) {
  if (count <= max) return true;
  violations.Add(std::string(field), absl::StrCat("has ", count, " items; the limit is ", max));
  return false;
}

absl::Status CheckReplySize(const google::protobuf::Message& reply, absl::string_view field) {
  return CheckReplyBytes(reply.ByteSizeLong(), field);
}

absl::Status CheckReplyBytes(size_t bytes, absl::string_view field) {
  if (bytes <= kMaxReplyBytes) return absl::OkStatus();
  return errors::InvalidField(
      field, absl::StrCat("asks for a reply of ", bytes, " bytes; the limit is ", kMaxReplyBytes,
                          " bytes (grpcurl's default): ask for fewer"));
}

bool CheckEncodedSize(errors::FieldViolations& violations, absl::string_view field,
                      const google::protobuf::Message& message, size_t max_bytes,
                      absl::string_view what) {
  const size_t bytes = message.ByteSizeLong();
  if (bytes <= max_bytes) return true;
  violations.Add(std::string(field), absl::StrCat("makes ", what, " of ", bytes,
                                                  " bytes; the limit is ", max_bytes, " bytes"));
  return false;
}

}  // namespace fazhi::limits
