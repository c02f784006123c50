#include "services/gateway/gateway_service.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/server/request_parse_errors.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"
#include "services/gateway/backend_fan_out.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;

constexpr int kMaxPassages = 50;

grpc::Status Cancelled() {
  return ToGrpcStatus(errors::Cancelled("the caller cancelled the call"));
}

// The gateway answers from published 政务公开 data: every method reads.
std::map<std::string, server::MethodRule> Rules() {
  const server::MethodRule read = server::MethodRule::Needs(server::Permission::kRead);
  return {{"GetDistrictComplianceSummary", read},
          {"RankRegions", read},
          {"GetRegionTrend", read},
          {"GetProjectDossier", read}};
}

}  // namespace

GatewayServiceImpl::GatewayServiceImpl(const GatewayOptions& options,
                                       server::Authorizer& authorizer,
                                       fazhi::rules::v1::RuleSet rules)
    : authorizer_(authorizer),
      access_(authorizer.Register(v1::GatewayService::service_full_name(), Rules())),
      rules_(std::move(rules)),
      fan_out_(std::max(1, options.fan_out)),
      clients_(options.backends),
      cache_(options.cache),
      summaries_(options, rules_, &clients_, &cache_),
      rankings_(options, &clients_, &cache_, &summaries_),
      dossiers_(&clients_, options.clock),
      followers_(options.cache
                     ? std::make_unique<CacheFollowers>(&clients_, &cache_, options.follow)
                     : nullptr),
      workers_(options.workers) {
  // Backend calls made for a caller carry its end user. Every method has the
  // same rule, so any method's names the caller the handler admitted.
  clients_.set_caller_of([this](const grpc::ServerContextBase& parent) {
    auto caller =
        authorizer_.AuthorizeWithinCall(parent, access_.Of("GetDistrictComplianceSummary"));
    return caller.ok() ? *std::move(caller) : storage::Caller(server::kAnonymous);
  });
}

grpc::Status GatewayServiceImpl::Admit(const grpc::CallbackServerContext& context,
                                       absl::string_view method) const {
  auto caller = authorizer_.Authorize(context, access_.Of(method));
  return caller.ok() ? grpc::Status::OK : ToGrpcStatus(caller.status());
}

grpc::ServerUnaryReactor* GatewayServiceImpl::Finish(grpc::CallbackServerContext* context,
                                                     const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

grpc::ServerUnaryReactor* GatewayServiceImpl::Defer(grpc::CallbackServerContext* context,
                                                    std::function<grpc::Status()> answer) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  workers_.Run([context, reactor, answer = std::move(answer)] {
    grpc::Status status = context->IsCancelled() ? Cancelled() : answer();
    if (context->IsCancelled()) status = Cancelled();
    reactor->Finish(status);
  });
  return reactor;
}

grpc::ServerUnaryReactor* GatewayServiceImpl::GetDistrictComplianceSummary(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes,
    grpc::ByteBuffer* response) {
  if (grpc::Status admitted = Admit(*context, "GetDistrictComplianceSummary"); !admitted.ok()) {
    return Finish(context, admitted);
  }
  v1::GetDistrictComplianceSummaryRequest request;
  if (grpc::Status parsed = server::ParseRawRequest(*request_bytes, &request); !parsed.ok()) {
    return Finish(context, parsed);
  }
  errors::FieldViolations violations;
  if (!api::IsRegionCode(request.region_code())) {
    violations.Add("region_code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310113\", got \"",
                                request.region_code(), "\""));
  }
  api::CheckYear(violations, "year", request.year());
  if (!violations.empty()) return Finish(context, ToGrpcStatus(violations.ToStatus()));
  if (summaries_.CachedSummaryReply(request.region_code(), request.year(), response)) {
    return Finish(context,
                  ToGrpcStatus(limits::CheckReplyBytes(response->Length(), "region_code")));
  }
  return Defer(context,
               [this, context, code = request.region_code(), year = request.year(),
                response]() -> grpc::Status {
                 auto summary = summaries_.Summarize(context, code, year);
                 if (!summary.ok()) return ToGrpcStatus(summary.status());
                 // Every reply fits grpcurl's receive limit, or is refused saying so.
                 if (absl::Status fits = limits::CheckReplySize(*summary, "region_code");
                     !fits.ok()) {
                   return ToGrpcStatus(fits);
                 }
                 bool own_buffer = false;
                 return grpc::SerializationTraits<v1::DistrictComplianceSummary>::Serialize(
                     *summary, response, &own_buffer);
               });
}

grpc::ServerUnaryReactor* GatewayServiceImpl::RankRegions(grpc::CallbackServerContext* context,
                                                          const v1::RankRegionsRequest* request,
                                                          v1::RankRegionsResponse* response) {
  if (grpc::Status admitted = Admit(*context, "RankRegions"); !admitted.ok()) {
    return Finish(context, admitted);
  }
  auto cached =
      rankings_.CachedRanking(request->parent_region_code(), request->level(), request->year());
  if (cached != nullptr) return Finish(context, Rank(context, request, response, cached));
  return Defer(context, [this, context, request, response] {
    return Rank(context, request, response, nullptr);
  });
}

grpc::Status GatewayServiceImpl::Rank(const grpc::CallbackServerContext* context,
                                      const v1::RankRegionsRequest* request,
                                      v1::RankRegionsResponse* response,
                                      std::shared_ptr<const std::vector<v1::RankedRegion>> cached) {
  errors::FieldViolations violations;
  const bool by_level = request->level() != cv1::REGION_LEVEL_UNSPECIFIED;
  if (!cv1::RegionLevel_IsValid(request->level())) {
    violations.Add("level", "is not a known region level");
  }
  if (!api::IsRegionCode(request->parent_region_code()) &&
      !(by_level && request->parent_region_code().empty())) {
    violations.Add("parent_region_code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310000\"",
                                by_level ? " (or empty, with level, for the whole country)" : "",
                                ", got \"", request->parent_region_code(), "\""));
  }
  api::CheckYear(violations, "year", request->year());
  auto page = storage::StartPage(
      request->page_size(), request->page_token(),
      absl::StrCat("rank?parent=", request->parent_region_code(), "&year=", request->year(),
                   "&level=", static_cast<int>(request->level())));
  if (!page.ok() && !errors::AddViolationsOf(page.status(), violations)) {
    return ToGrpcStatus(page.status());
  }
  size_t offset = 0;
  if (page.ok() && !page->resume_after.empty() && !absl::SimpleAtoi(page->resume_after, &offset)) {
    violations.Add("page_token", "is not a token this service issued");
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());

  if (cached == nullptr) {
    auto ranking = rankings_.Ranking(context, request->parent_region_code(), request->level(),
                                     request->year());
    if (!ranking.ok()) return ToGrpcStatus(ranking.status());
    cached = *std::move(ranking);
  }
  const std::vector<v1::RankedRegion>& ranked = *cached;
  response->set_total_regions(static_cast<int32_t>(ranked.size()));
  response->set_rules_version(rules_.version());
  const size_t end = std::min<size_t>(ranked.size(), offset + static_cast<size_t>(page->page_size));
  for (size_t i = offset; i < end; ++i) *response->add_regions() = ranked[i];
  if (end < ranked.size()) response->set_next_page_token(page->NextToken(absl::StrCat(end)));
  return ToGrpcStatus(limits::CheckReplySize(*response, "page_size"));
}

grpc::ServerUnaryReactor* GatewayServiceImpl::GetRegionTrend(
    grpc::CallbackServerContext* context, const v1::GetRegionTrendRequest* request,
    v1::RegionTrend* response) {
  if (grpc::Status admitted = Admit(*context, "GetRegionTrend"); !admitted.ok()) {
    return Finish(context, admitted);
  }
  return Defer(context,
               [this, context, request, response] { return Trend(context, request, response); });
}

grpc::Status GatewayServiceImpl::Trend(const grpc::CallbackServerContext* context,
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
      years, errors::Pending("the summary of the year"));
  ForEachBounded(years, fan_out_, [&](int i) {
    summaries[i] = summaries_.Summarize(context, request->region_code(), request->from_year() + i);
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
      if (indicator.verdict() == mv1::VERDICT_MET) {
        point->set_indicators_met(point->indicators_met() + 1);
      }
      if (indicator.verdict() == mv1::VERDICT_NOT_MET) {
        point->set_indicators_not_met(point->indicators_not_met() + 1);
      }
    }
    point->set_projects(s.projects().total());
    point->set_partial(s.partial());
  }
  return ToGrpcStatus(limits::CheckReplySize(*response, "to_year"));
}

grpc::ServerUnaryReactor* GatewayServiceImpl::GetProjectDossier(
    grpc::CallbackServerContext* context, const v1::GetProjectDossierRequest* request,
    v1::ProjectDossier* response) {
  if (grpc::Status admitted = Admit(*context, "GetProjectDossier"); !admitted.ok()) {
    return Finish(context, admitted);
  }
  errors::FieldViolations violations;
  api::CheckResourceName(violations, "project", "projects", request->project());
  if (request->max_passages() < 0 || request->max_passages() > kMaxPassages) {
    violations.Add("max_passages",
                   absl::StrCat("must be 0..", kMaxPassages, ", got ", request->max_passages()));
  }
  if (!violations.empty()) return Finish(context, ToGrpcStatus(violations.ToStatus()));
  const int max_passages = request->max_passages() == 0 ? 10 : request->max_passages();
  return Defer(context, [this, context, request, response, max_passages]() -> grpc::Status {
    auto inputs = dossiers_.FetchInputs(context, request->project(), max_passages);
    if (!inputs.ok()) return ToGrpcStatus(inputs.status());
    *response = AssembleDossier(*inputs);
    return ToGrpcStatus(limits::CheckReplySize(*response, "max_passages"));
  });
}

}  // namespace fazhi::gateway
