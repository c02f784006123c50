// The metrics service's gRPC adapter: validate, call the store and the
// domain, map the status.
#ifndef FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_
#define FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_

#include <vector>

#include "common/server/authorizer.h"
#include "common/server/change_stream.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/metrics/metrics_quality.h"
#include "services/metrics/metrics_store.h"

namespace fazhi::metrics {

class MetricsServiceImpl final
    : public v1::MetricsService::WithCallbackMethod_WatchChanges<v1::MetricsService::Service> {
 public:
  // `store` and `authorizer` must outlive the service; `rules` is the rules
  // file in force. Who may call what: Rules() in metrics_service.cc.
  MetricsServiceImpl(MetricsStore* store, server::Authorizer& authorizer,
                     fazhi::rules::v1::RuleSet rules);

  grpc::Status CreateIndicator(grpc::ServerContext*, const v1::CreateIndicatorRequest*,
                               v1::Indicator*) override;
  grpc::Status GetIndicator(grpc::ServerContext*, const v1::GetIndicatorRequest*,
                            v1::Indicator*) override;
  grpc::Status ListIndicators(grpc::ServerContext*, const v1::ListIndicatorsRequest*,
                              v1::ListIndicatorsResponse*) override;
  grpc::Status RecordObservation(grpc::ServerContext*, const v1::RecordObservationRequest*,
                                 v1::Observation*) override;
  grpc::Status ListObservations(grpc::ServerContext*, const v1::ListObservationsRequest*,
                                v1::ListObservationsResponse*) override;
  grpc::Status BatchGetSnapshots(grpc::ServerContext*, const v1::BatchGetSnapshotsRequest*,
                                 v1::BatchGetSnapshotsResponse*) override;
  grpc::Status GetSnapshot(grpc::ServerContext*, const v1::GetSnapshotRequest*,
                           v1::Snapshot*) override;
  grpc::Status ListTargets(grpc::ServerContext*, const v1::ListTargetsRequest*,
                           v1::ListTargetsResponse*) override;
  grpc::Status CorrectObservation(grpc::ServerContext*, const v1::CorrectObservationRequest*,
                                  v1::Observation*) override;
  grpc::Status DeleteObservation(grpc::ServerContext*, const v1::DeleteObservationRequest*,
                                 v1::ObservationRevision*) override;
  grpc::Status ListObservationHistory(grpc::ServerContext*,
                                      const v1::ListObservationHistoryRequest*,
                                      v1::ListObservationHistoryResponse*) override;
  grpc::Status GetSeries(grpc::ServerContext*, const v1::GetSeriesRequest*, v1::Series*) override;
  grpc::Status CompareSubjects(grpc::ServerContext*, const v1::CompareSubjectsRequest*,
                               v1::CompareSubjectsResponse*) override;
  grpc::Status RollUpSnapshot(grpc::ServerContext*, const v1::RollUpSnapshotRequest*,
                              v1::Snapshot*) override;
  grpc::Status BatchRecordObservations(grpc::ServerContext*,
                                       const v1::BatchRecordObservationsRequest*,
                                       v1::BatchRecordObservationsResponse*) override;
  grpc::Status ReplaceReportObservations(grpc::ServerContext*,
                                         const v1::ReplaceReportObservationsRequest*,
                                         v1::ReplaceReportObservationsResponse*) override;
  // On the callback API: an open watch holds no thread (change_stream.h).
  grpc::ServerWriteReactor<v1::Change>* WatchChanges(grpc::CallbackServerContext*,
                                                     const v1::WatchChangesRequest*) override;

  // Ends every open WatchChanges stream with UNAVAILABLE (the caller resumes
  // from its last sequence). For the server's shutdown hooks.
  void StopWatches() { watches_.Stop(); }
  // WatchChanges streams open now.
  size_t OpenWatches() const { return watches_.open_streams(); }

 private:
  // Authorizes a call to `method` that records observations of `subjects`
  // (subject names as the request gives them), scoped to their regions.
  absl::StatusOr<storage::Caller> AuthorizeForSubjects(const grpc::ServerContext& context,
                                                       absl::string_view method,
                                                       const std::vector<std::string>& subjects,
                                                       absl::string_view request_id = "");

  MetricsStore* store_;
  server::Authorizer& authorizer_;
  const server::MethodRules& method_rules_;
  std::vector<v1::Target> Targets() const {
    return {rules_.targets().begin(), rules_.targets().end()};
  }
  // What one read request judges values with: the indicators and the basis
  // built on them (whose pointers lead into `indicators`, kept alive here),
  // and the one indicator the request names, if it names one.
  struct LoadedSnapshotBasis {
    MetricsStore::IndicatorSet indicators;
    SnapshotBasis basis;
    const v1::Indicator* indicator = nullptr;
  };
  // Loads the indicators and builds the basis on them, with the rules'
  // targets and the store's clock. With `indicator_name` ("indicators/{code}") not empty, an
  // unknown indicator is NOT_FOUND for the request's field "indicator".
  absl::StatusOr<LoadedSnapshotBasis> LoadSnapshotBasis(const std::string& indicator_name = "");
  // The snapshot of each subject for `year`, appended to `out` in order, all
  // from one consistent read.
  absl::Status BuildSnapshots(const std::vector<std::string>& subjects, int year,
                              std::vector<v1::Snapshot>& out);

  const fazhi::rules::v1::RuleSet rules_;
  server::ChangeStreams<v1::Change> watches_{"the metrics service",
                                             server::ChangeSourceOf<v1::Change>(store_)};
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_
