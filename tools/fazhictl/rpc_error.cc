#include "tools/fazhictl/rpc_error.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"

namespace fazhi::ctl {

std::string StatusCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string DescribeRpcError(const grpc::Status& status, const std::string& indent) {
  const absl::Status detailed = FromGrpcStatus(status);
  std::string out =
      absl::StrCat(StatusCodeName(status.error_code()), ": ",
                   status.error_message().empty() ? "(no message)" : status.error_message());
  google::rpc::BadRequest bad_request;
  if (errors::GetDetail(detailed, &bad_request)) {
    for (const auto& violation : bad_request.field_violations()) {
      absl::StrAppend(&out, "\n", indent, "field ", violation.field(), ": ",
                      violation.description());
    }
  }
  google::rpc::ResourceInfo resource;
  if (errors::GetDetail(detailed, &resource)) {
    absl::StrAppend(&out, "\n", indent, "resource ", resource.resource_type(), " ",
                    resource.resource_name());
    if (!resource.description().empty()) absl::StrAppend(&out, ": ", resource.description());
  }
  return out;
}

std::string ResourceNameOf(const grpc::Status& status) {
  google::rpc::ResourceInfo resource;
  if (!errors::GetDetail(FromGrpcStatus(status), &resource)) return "";
  return resource.resource_name();
}

}  // namespace fazhi::ctl
