#include "services/gateway/gateway_service.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace fazhi::gateway {
namespace {

std::string Describe(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
}

template <typename T>
BackendAnswer<T> ToAnswer(absl::StatusOr<T> result) {
  BackendAnswer<T> answer;
  if (result.ok()) {
    answer.data = std::move(*result);
  } else {
    answer.error = Describe(result.status());
  }
  return answer;
}

}  // namespace

grpc::Status GatewayServiceImpl::GetDistrictComplianceSummary(
    grpc::ServerContext* context, const v1::GetDistrictComplianceSummaryRequest* request,
    v1::DistrictComplianceSummary* response) {
  errors::FieldViolations violations;
  if (!api::IsRegionCode(request->region_code())) {
    violations.Add("region_code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310113\", got \"",
                                request->region_code(), "\""));
  }
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());

  const std::string code = request->region_code();
  const int year = request->year();
  // The three backends are asked at once; each fetch carries the caller's
  // deadline and cancellation.
  auto catalogue = std::async(std::launch::async,
                              [&] { return backends_.FetchCatalogueFacts(context, code, year); });
  auto metrics =
      std::async(std::launch::async, [&] { return backends_.FetchSnapshot(context, code, year); });
  auto reports =
      std::async(std::launch::async, [&] { return backends_.FetchReports(context, code, year); });

  SummaryInputs inputs;
  inputs.region_code = code;
  inputs.year = year;
  absl::StatusOr<CatalogueFacts> catalogue_result = catalogue.get();
  inputs.metrics = ToAnswer(metrics.get());
  inputs.reports = ToAnswer(reports.get());
  if (!catalogue_result.ok() && absl::IsNotFound(catalogue_result.status())) {
    return ToGrpcStatus(errors::NotFound("Region", api::RegionName(code)));
  }
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call");
  }
  inputs.catalogue = ToAnswer(std::move(catalogue_result));
  *response = AssembleSummary(inputs);
  return grpc::Status::OK;
}

}  // namespace fazhi::gateway
