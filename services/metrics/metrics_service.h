// The metrics service's gRPC adapter: validate, call the store and the
// domain, map the status.
#ifndef FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_
#define FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_

#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/metrics/metrics_store.h"

namespace fazhi::metrics {

class MetricsServiceImpl final : public v1::MetricsService::Service {
 public:
  // `store` must outlive the service; `rules` is the rules file in force.
  MetricsServiceImpl(MetricsStore* store, fazhi::rules::v1::RuleSet rules)
      : store_(store), rules_(std::move(rules)) {}

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
  grpc::Status GetSnapshot(grpc::ServerContext*, const v1::GetSnapshotRequest*,
                           v1::Snapshot*) override;
  grpc::Status ListTargets(grpc::ServerContext*, const v1::ListTargetsRequest*,
                           v1::ListTargetsResponse*) override;

 private:
  MetricsStore* store_;
  const fazhi::rules::v1::RuleSet rules_;
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_SERVICE_H_
