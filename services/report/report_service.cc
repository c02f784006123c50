#include "services/report/report_service.h"

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "services/report/report_analysis.h"
#include "services/report/report_search.h"

namespace fazhi::report {

ReportServiceImpl::ReportServiceImpl(ReportStore* store, fazhi::rules::v1::RuleSet rules)
    : store_(store), rules_(std::move(rules)), part_rules_(PartRulesFrom(rules_)) {}

grpc::Status ReportServiceImpl::SubmitReport(grpc::ServerContext*,
                                             const v1::SubmitReportRequest* request,
                                             v1::Report* response) {
  errors::FieldViolations violations;
  v1::Report report = request->report();
  const bool has_text = TakeTextIn(report, violations);
  ValidateReport(report, violations, has_text);
  if (!request->report_id().empty() && !api::IsResourceId(request->report_id())) {
    violations.Add("report_id",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '-', got \"",
                                request->report_id(), "\""));
  }
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  AnalyzeReport(rules_, part_rules_, report);
  return ReplyWith(
      store_->SubmitReport(request->report_id(), std::move(report), request->request_id()),
      response);
}

grpc::Status ReportServiceImpl::GetReport(grpc::ServerContext*, const v1::GetReportRequest* request,
                                          v1::Report* response) {
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "reports", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->GetReport(api::IdOf("reports", request->name())), response);
}

grpc::Status ReportServiceImpl::ListReports(grpc::ServerContext*,
                                            const v1::ListReportsRequest* request,
                                            v1::ListReportsResponse* response) {
  errors::FieldViolations violations;
  api::CheckRegionName(violations, "region", request->region(), /*required=*/false);
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  api::CheckResourceName(violations, "filer", "units", request->filer(), /*required=*/false);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListReports(*request), response);
}

grpc::Status ReportServiceImpl::ListReportVersions(grpc::ServerContext*,
                                                   const v1::ListReportVersionsRequest* request,
                                                   v1::ListReportVersionsResponse* response) {
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "reports", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->ListReportVersions(api::IdOf("reports", request->name())), response);
}

grpc::Status ReportServiceImpl::SearchReports(grpc::ServerContext*,
                                              const v1::SearchReportsRequest* request,
                                              v1::SearchReportsResponse* response) {
  errors::FieldViolations violations;
  auto terms = search::ParseQuery(request->query());
  if (!terms.ok()) violations.Add("query", std::string(terms.status().message()));
  api::CheckRegionName(violations, "region", request->region(), /*required=*/false);
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  if (!v1::ReportKind_IsValid(request->kind())) {
    violations.Add("kind", "is not a known report kind");
  }
  if (request->page_size() < 0 || request->page_size() > 50) {
    violations.Add("page_size", absl::StrCat("must be 0..50, got ", request->page_size()));
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  const int page_size = request->page_size() == 0 ? 10 : request->page_size();
  return ReplyWith(store_->SearchReports(*request, *terms, page_size), response);
}

}  // namespace fazhi::report
