// The report service's gRPC adapter: validate, analyse, store, map status.
#ifndef FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
#define FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_

#include <vector>

#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/report/report_store.h"
#include "services/report/report_structure.h"

namespace fazhi::report {

class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  // `store` must outlive the service; `rules` is the rules file in force.
  ReportServiceImpl(ReportStore* store, fazhi::rules::v1::RuleSet rules);

  grpc::Status SubmitReport(grpc::ServerContext*, const v1::SubmitReportRequest*,
                            v1::Report*) override;
  grpc::Status GetReport(grpc::ServerContext*, const v1::GetReportRequest*, v1::Report*) override;
  grpc::Status ListReports(grpc::ServerContext*, const v1::ListReportsRequest*,
                           v1::ListReportsResponse*) override;
  grpc::Status ListReportVersions(grpc::ServerContext*, const v1::ListReportVersionsRequest*,
                                  v1::ListReportVersionsResponse*) override;
  grpc::Status SearchReports(grpc::ServerContext*, const v1::SearchReportsRequest*,
                             v1::SearchReportsResponse*) override;

 private:
  ReportStore* store_;
  const fazhi::rules::v1::RuleSet rules_;
  const std::vector<PartRule> part_rules_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
