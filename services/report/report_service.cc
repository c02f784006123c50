#include "services/report/report_service.h"

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "services/report/report_analysis.h"

namespace fazhi::report {

ReportServiceImpl::ReportServiceImpl(ReportStore* store, fazhi::rules::v1::RuleSet rules)
    : store_(store), rules_(std::move(rules)), part_rules_(PartRulesFrom(rules_)) {}

grpc::Status ReportServiceImpl::SubmitReport(grpc::ServerContext*,
                                             const v1::SubmitReportRequest* request,
                                             v1::Report* response) {
  errors::FieldViolations violations;
  ValidateReport(request->report(), violations);
  if (!request->report_id().empty() && !api::IsResourceId(request->report_id())) {
    violations.Add("report_id",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '-', got \"",
                                request->report_id(), "\""));
  }
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  v1::Report report = request->report();
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

}  // namespace fazhi::report
