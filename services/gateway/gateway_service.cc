#include "services/gateway/gateway_service.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"
#include "services/gateway/summary_scoring.h"

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

absl::StatusOr<v1::DistrictComplianceSummary> GatewayServiceImpl::Summarize(
    grpc::ServerContext* context, const std::string& code, int year) {
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
    return errors::NotFound("Region", api::RegionName(code));
  }
  inputs.catalogue = ToAnswer(std::move(catalogue_result));
  v1::DistrictComplianceSummary summary = AssembleSummary(inputs);
  *summary.mutable_score() = ScoreSummary(summary, rules_);
  return summary;
}

void GatewayServiceImpl::ForEachBounded(int n, int parallelism,
                                        const std::function<void(int)>& task) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min(n, parallelism); ++t) {
    threads.emplace_back([&] {
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) task(i);
    });
  }
  for (auto& thread : threads) thread.join();
}

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
  auto summary = Summarize(context, request->region_code(), request->year());
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call");
  }
  return ReplyWith(std::move(summary), response);
}

grpc::Status GatewayServiceImpl::RankRegions(grpc::ServerContext* context,
                                             const v1::RankRegionsRequest* request,
                                             v1::RankRegionsResponse* response) {
  errors::FieldViolations violations;
  if (!api::IsRegionCode(request->parent_region_code())) {
    violations.Add("parent_region_code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310000\", got \"",
                                request->parent_region_code(), "\""));
  }
  api::CheckYear(violations, "year", request->year());
  auto page_size = storage::NormalizePageSize(request->page_size());
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  const uint64_t fingerprint = storage::QueryFingerprint(
      absl::StrCat("rank?parent=", request->parent_region_code(), "&year=", request->year()));
  auto resume = storage::DecodePageToken(request->page_token(), fingerprint);
  if (!resume.ok()) return ToGrpcStatus(resume.status());
  size_t offset = 0;
  if (!resume->empty() && !absl::SimpleAtoi(*resume, &offset)) {
    return ToGrpcStatus(errors::InvalidField("page_token", "is not a token this service issued"));
  }

  auto parent = backends_.FetchRegion(context, request->parent_region_code());
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  auto children = backends_.FetchChildRegions(context, request->parent_region_code());
  if (!children.ok()) return ToGrpcStatus(children.status());

  const int n = static_cast<int>(children->size());
  std::vector<v1::RankedRegion> ranked(n);
  // At most 4 regions at a time (each asks 3 backends): a wide parent
  // cannot exhaust the gateway or the backends.
  ForEachBounded(n, 4, [&](int i) {
    auto& line = ranked[i];
    *line.mutable_region() = (*children)[i];
    auto summary = Summarize(context, (*children)[i].code(), request->year());
    if (!summary.ok()) {
      line.set_partial(true);
      return;
    }
    *line.mutable_score() = summary->score();
    line.set_partial(summary->partial());
    int shortfalls = 0;
    for (const auto& f : summary->findings()) {
      if (f.severity() == v1::Finding::SEVERITY_SHORTFALL) ++shortfalls;
    }
    line.set_shortfalls(shortfalls);
  });
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call");
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const v1::RankedRegion& a, const v1::RankedRegion& b) {
                     if (a.score().computable() != b.score().computable()) {
                       return a.score().computable();
                     }
                     if (a.score().value() != b.score().value()) {
                       return a.score().value() > b.score().value();
                     }
                     return a.region().code() < b.region().code();
                   });
  for (int i = 0; i < n; ++i) ranked[i].set_rank(i + 1);
  response->set_total_regions(n);
  response->set_rules_version(rules_.version());
  const size_t end = std::min<size_t>(ranked.size(), offset + static_cast<size_t>(*page_size));
  for (size_t i = offset; i < end; ++i) *response->add_regions() = ranked[i];
  if (end < ranked.size()) {
    response->set_next_page_token(storage::EncodePageToken(fingerprint, absl::StrCat(end)));
  }
  return grpc::Status::OK;
}

grpc::Status GatewayServiceImpl::GetRegionTrend(grpc::ServerContext* context,
                                                const v1::GetRegionTrendRequest* request,
                                                v1::RegionTrend* response) {
  errors::FieldViolations violations;
  if (!api::IsRegionCode(request->region_code())) {
    violations.Add("region_code", "must be a six-digit GB/T 2260 code such as \"310113\"");
  }
  api::CheckYear(violations, "from_year", request->from_year());
  api::CheckYear(violations, "to_year", request->to_year());
  if (request->to_year() < request->from_year()) {
    violations.Add("to_year", "must not be before from_year");
  } else if (request->to_year() - request->from_year() >= 30) {
    violations.Add("to_year", "a trend covers at most 30 years");
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  const int years = request->to_year() - request->from_year() + 1;
  std::vector<absl::StatusOr<v1::DistrictComplianceSummary>> summaries(
      years, absl::UnknownError("not run"));
  ForEachBounded(years, 4, [&](int i) {
    summaries[i] = Summarize(context, request->region_code(), request->from_year() + i);
  });
  for (int i = 0; i < years; ++i) {
    if (!summaries[i].ok()) return ToGrpcStatus(summaries[i].status());
    const auto& s = *summaries[i];
    if (i == 0) *response->mutable_region() = s.region();
    auto* point = response->add_points();
    point->set_year(request->from_year() + i);
    *point->mutable_score() = s.score();
    point->set_government_report_filed(s.government_report().filed());
    for (const auto& indicator : s.indicators().indicators()) {
      if (indicator.verdict() == fazhi::metrics::v1::VERDICT_MET) {
        point->set_indicators_met(point->indicators_met() + 1);
      }
      if (indicator.verdict() == fazhi::metrics::v1::VERDICT_NOT_MET) {
        point->set_indicators_not_met(point->indicators_not_met() + 1);
      }
    }
    point->set_projects(s.projects().total());
    point->set_partial(s.partial());
  }
  return grpc::Status::OK;
}

}  // namespace fazhi::gateway
