// The report service's gRPC adapter: validate, analyse, store, map status.
#ifndef FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
#define FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/server/authorizer.h"
#include "common/server/change_stream.h"
#include "common/server/tls.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/report/filer_check.h"
#include "services/report/report_store.h"
#include "services/report/report_structure.h"

namespace fazhi::report {

// The metrics service PublishReportFigures writes to, and the catalogue
// SubmitReport checks filers and regions in.
using MetricsBackend = ServiceBackend;
using CatalogueBackend = ServiceBackend;

class ReportServiceImpl final
    : public v1::ReportService::WithCallbackMethod_WatchChanges<v1::ReportService::Service> {
 public:
  // `store` and `authorizer` must outlive the service; `rules` is the rules
  // file in force. `metrics.channel` and `catalogue.channel` carry the
  // report service's own identity: metrics checks it as the service
  // publishing figures, the catalogue as the service checking filers, and
  // each the caller it acts for. Without a catalogue every submission is
  // refused UNAVAILABLE: no report is filed unchecked.
  ReportServiceImpl(ReportStore* store, server::Authorizer& authorizer,
                    fazhi::rules::v1::RuleSet rules, MetricsBackend metrics = {},
                    CatalogueBackend catalogue = {});

  grpc::Status SubmitReport(grpc::ServerContext*, const v1::SubmitReportRequest*,
                            v1::Report*) override;
  grpc::Status GetReport(grpc::ServerContext*, const v1::GetReportRequest*, v1::Report*) override;
  grpc::Status ListReports(grpc::ServerContext*, const v1::ListReportsRequest*,
                           v1::ListReportsResponse*) override;
  grpc::Status ListReportVersions(grpc::ServerContext*, const v1::ListReportVersionsRequest*,
                                  v1::ListReportVersionsResponse*) override;
  grpc::Status SearchReports(grpc::ServerContext*, const v1::SearchReportsRequest*,
                             v1::SearchReportsResponse*) override;
  grpc::Status PublishReportFigures(grpc::ServerContext*, const v1::PublishReportFiguresRequest*,
                                    v1::PublishReportFiguresResponse*) override;
  // On the callback API: an open watch holds no thread (change_stream.h).
  grpc::ServerWriteReactor<v1::Change>* WatchChanges(grpc::CallbackServerContext*,
                                                     const v1::WatchChangesRequest*) override;

  // Ends every open WatchChanges stream with UNAVAILABLE (the caller resumes
  // from its last sequence). For the server's shutdown hooks.
  void StopWatches() { watches_.Stop(); }
  // WatchChanges streams open now.
  size_t OpenWatches() const { return watches_.open_streams(); }

 private:
  ReportStore* store_;
  server::Authorizer& authorizer_;
  const server::MethodRules& access_;
  const fazhi::rules::v1::RuleSet rules_;
  const std::vector<PartRule> part_rules_;
  const MetricsBackend metrics_;
  std::unique_ptr<fazhi::metrics::v1::MetricsService::Stub> metrics_stub_;
  const CatalogueBackend catalogue_;
  std::unique_ptr<fazhi::catalogue::v1::CatalogueService::Stub> catalogue_stub_;
  server::ChangeStreams<v1::Change> watches_{"the report service",
                                             server::ChangeSourceOf<v1::Change>(store_)};
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
