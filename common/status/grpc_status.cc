#include "common/status/grpc_status.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"

namespace fazhi {
namespace {

// Where a detail type stands in kDetailOrder; types not listed go after all
// of them.
size_t DetailRank(absl::string_view type_url) {
  constexpr absl::string_view kPrefix = "type.googleapis.com/";
  for (size_t i = 0; i < std::size(kDetailOrder); ++i) {
    if (type_url.size() == kPrefix.size() + kDetailOrder[i].size() &&
        absl::StartsWith(type_url, kPrefix) && absl::EndsWith(type_url, kDetailOrder[i])) {
      return i;
    }
  }
  return std::size(kDetailOrder);
}

}  // namespace

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(std::string(status.message()));
  // absl::Status keeps payloads in no defined order; sort them so that the
  // same error prints the same way every time.
  std::vector<std::pair<std::string, std::string>> details;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    details.emplace_back(std::string(type_url), std::string(payload));
  });
  std::sort(details.begin(), details.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(DetailRank(a.first), a.first) <
           std::make_tuple(DetailRank(b.first), b.first);
  });
  for (auto& [type_url, value] : details) {
    auto* any = rpc_status.add_details();
    any->set_type_url(std::move(type_url));
    any->set_value(std::move(value));
  }
  return rpc_status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details())) {
    for (const auto& any : rpc_status.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return result;
}

}  // namespace fazhi
