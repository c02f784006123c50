#include "services/report/report_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/server/call_identity.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"
#include "services/report/figure_publishing.h"
#include "services/report/report_analysis.h"
#include "services/report/report_search.h"
#include "services/report/search_hits.h"

namespace fazhi::report {
namespace {

using server::MethodRule;
using server::Permission;

// Who may call what. Reports are published 政务公开 information: anyone who
// reads may read them. A report is filed, and its figures published, by the
// reporter of its region.
std::map<std::string, MethodRule> Rules() {
  const MethodRule read = MethodRule::Needs(Permission::kRead);
  const MethodRule file = MethodRule::Needs(Permission::kFile);
  return {
      {"SubmitReport", file},       {"GetReport", read},     {"ListReports", read},
      {"ListReportVersions", read}, {"SearchReports", read}, {"PublishReportFigures", file},
      {"WatchChanges", read},
  };
}

}  // namespace

ReportServiceImpl::ReportServiceImpl(ReportStore* store, server::Authorizer& authorizer,
                                     fazhi::rules::v1::RuleSet rules, MetricsBackend metrics,
                                     CatalogueBackend catalogue)
    : store_(store),
      authorizer_(authorizer),
      access_(authorizer.Register(v1::ReportService::service_full_name(), Rules())),
      rules_(std::move(rules)),
      part_rules_(PartRulesFrom(rules_)),
      metrics_(std::move(metrics)),
      metrics_stub_(metrics_.channel == nullptr
                        ? nullptr
                        : fazhi::metrics::v1::MetricsService::NewStub(metrics_.channel)),
      catalogue_(std::move(catalogue)),
      catalogue_stub_(catalogue_.channel == nullptr
                          ? nullptr
                          : fazhi::catalogue::v1::CatalogueService::NewStub(catalogue_.channel)) {}

grpc::Status ReportServiceImpl::SubmitReport(grpc::ServerContext* context,
                                             const v1::SubmitReportRequest* request,
                                             v1::Report* response) {
  // A check needs the permission a filing does, but spends a read token: it
  // changes nothing. Like any refusal, a refused check is audited.
  const std::vector<std::string> regions = {api::RegionCodeOf(request->report().region())};
  const auto& entry = access_.Of("SubmitReport");
  auto caller =
      request->validate_only()
          ? authorizer_.AuthorizeCheckOnly(*context, entry, regions, request->request_id())
          : authorizer_.Authorize(*context, entry, regions, request->request_id());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  v1::Report report = request->report();
  const bool has_text = TakeTextIn(report, violations);
  ValidateReport(report, violations, has_text);
  ValidateCoFilers(report, violations);
  if (!request->report_id().empty() && !api::IsResourceId(request->report_id())) {
    violations.Add("report_id",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '-', got \"",
                                request->report_id(), "\""));
  }
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  AnalyzeReport(rules_, part_rules_, report);
  CheckAnalyzedReportSize(report, violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  // After the analysis: the filer table judges the kind as detected.
  if (absl::Status filers = CheckFilersInCatalogue(catalogue_, catalogue_stub_.get(), *context,
                                                   *caller, store_->Now(), rules_.report(), report);
      !filers.ok()) {
    return ToGrpcStatus(filers);
  }
  if (request->validate_only()) {
    // Nothing is stored, so there is no name, version or submit time, and
    // nothing for the audit trail: it records changes and refusals.
    report.clear_name();
    report.clear_version();
    report.clear_submit_time();
    *response = std::move(report);
    return grpc::Status::OK;
  }
  return ReplyWith(
      store_->SubmitReport(request->report_id(), std::move(report), request->request_id(), *caller),
      response);
}

grpc::Status ReportServiceImpl::GetReport(grpc::ServerContext* context,
                                          const v1::GetReportRequest* request,
                                          v1::Report* response) {
  auto caller = authorizer_.Authorize(*context, access_.Of("GetReport"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "reports", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->GetReport(api::IdOf("reports", request->name())), response);
}

grpc::Status ReportServiceImpl::ListReports(grpc::ServerContext* context,
                                            const v1::ListReportsRequest* request,
                                            v1::ListReportsResponse* response) {
  auto caller = authorizer_.Authorize(*context, access_.Of("ListReports"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckRegionName(violations, "region", request->region(), /*required=*/false);
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  api::CheckResourceName(violations, "filer", "units", request->filer(), /*required=*/false);
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListReports(*request), response);
}

grpc::Status ReportServiceImpl::ListReportVersions(grpc::ServerContext* context,
                                                   const v1::ListReportVersionsRequest* request,
                                                   v1::ListReportVersionsResponse* response) {
  auto caller = authorizer_.Authorize(*context, access_.Of("ListReportVersions"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "reports", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->ListReportVersions(api::IdOf("reports", request->name())), response);
}

grpc::Status ReportServiceImpl::SearchReports(grpc::ServerContext* context,
                                              const v1::SearchReportsRequest* request,
                                              v1::SearchReportsResponse* response) {
  auto caller = authorizer_.Authorize(*context, access_.Of("SearchReports"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  auto terms = search::ParseQuery(request->query());
  errors::AddViolationsOf(terms.status(), violations);
  api::CheckRegionName(violations, "region", request->region(), /*required=*/false);
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  if (!v1::ReportKind_IsValid(request->kind())) {
    violations.Add("kind", "is not a known report kind");
  }
  if (request->page_size() < 0 || request->page_size() > 50) {
    violations.Add("page_size", absl::StrCat("must be 0..50, got ", request->page_size()));
  }
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  const int page_size = request->page_size() == 0 ? 10 : request->page_size();
  auto page = store_->SearchReports(*request, *terms, page_size);
  if (!page.ok()) return ToGrpcStatus(page.status());
  *response = RenderSearchPage(*page, *terms);
  return grpc::Status::OK;
}

grpc::Status ReportServiceImpl::PublishReportFigures(grpc::ServerContext* context,
                                                     const v1::PublishReportFiguresRequest* request,
                                                     v1::PublishReportFiguresResponse* response) {
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "reports", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  auto report = store_->GetReport(api::IdOf("reports", request->name()));
  if (!report.ok()) return ToGrpcStatus(report.status());
  auto caller = authorizer_.Authorize(*context, access_.Of("PublishReportFigures"),
                                      {api::RegionCodeOf(report->region())});
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (metrics_stub_ == nullptr) {
    return ToGrpcStatus(errors::Unavailable(
        "METRICS_UNAVAILABLE", "the report service was started without a metrics service"));
  }
  // The caller's deadline and cancellation carry over to the metrics call.
  auto metrics_context = grpc::ClientContext::FromServerContext(*context);
  metrics_context->set_deadline(
      std::min(context->deadline(), absl::ToChronoTime(store_->Now() + metrics_.timeout)));
  // Metrics checks the reporter too, and records the figures as theirs,
  // published through this service.
  server::ActFor(*metrics_context, *caller);
  fazhi::metrics::v1::ReplaceReportObservationsResponse published;
  const grpc::Status status = metrics_stub_->ReplaceReportObservations(
      metrics_context.get(), PublicationOf(*report), &published);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return ToGrpcStatus(errors::Unavailable(
        "METRICS_UNAVAILABLE",
        absl::StrCat("the metrics service at ", metrics_.address, " did not take the figures of ",
                     request->name(), " (", status.error_message(),
                     "); nothing was published, call again")));
  }
  if (!status.ok()) return ToGrpcStatus(FromGrpcStatus(status));
  *response = PublicationResult(*report, published);
  return grpc::Status::OK;
}

grpc::ServerWriteReactor<v1::Change>* ReportServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  return watches_.WatchFor(authorizer_, access_.Of("WatchChanges"), context,
                           request->after_sequence());
}

}  // namespace fazhi::report
