#include "services/metrics/metrics_service.h"

#include <vector>

#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "services/metrics/metrics_rules.h"

namespace fazhi::metrics {
grpc::Status MetricsServiceImpl::CreateIndicator(grpc::ServerContext*,
                                                 const v1::CreateIndicatorRequest* request,
                                                 v1::Indicator* response) {
  errors::FieldViolations violations;
  ValidateIndicator(request->indicator(), violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->CreateIndicator(request->indicator()), response);
}

grpc::Status MetricsServiceImpl::GetIndicator(grpc::ServerContext*,
                                              const v1::GetIndicatorRequest* request,
                                              v1::Indicator* response) {
  const std::string code = api::IdOf("indicators", request->name());
  if (!api::IsIndicatorCode(code)) {
    return ToGrpcStatus(errors::InvalidField(
        "name", "must be \"indicators/{code}\", such as \"indicators/court_appearance_rate\""));
  }
  return ReplyWith(store_->GetIndicator(code), response);
}

grpc::Status MetricsServiceImpl::ListIndicators(grpc::ServerContext*,
                                                const v1::ListIndicatorsRequest* request,
                                                v1::ListIndicatorsResponse* response) {
  return ReplyWith(store_->ListIndicators(*request), response);
}

grpc::Status MetricsServiceImpl::RecordObservation(grpc::ServerContext*,
                                                   const v1::RecordObservationRequest* request,
                                                   v1::Observation* response) {
  errors::FieldViolations violations;
  v1::Observation observation = request->observation();
  ValidateAndNormalizeObservation(observation, violations);
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->RecordObservation(std::move(observation), request->request_id()),
                   response);
}

grpc::Status MetricsServiceImpl::ListObservations(grpc::ServerContext*,
                                                  const v1::ListObservationsRequest* request,
                                                  v1::ListObservationsResponse* response) {
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  if (!request->indicator().empty() &&
      !api::IsIndicatorCode(api::IdOf("indicators", request->indicator()))) {
    violations.Add("indicator", "must be \"indicators/{code}\"");
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListObservations(*request), response);
}

grpc::Status MetricsServiceImpl::GetSnapshot(grpc::ServerContext*,
                                             const v1::GetSnapshotRequest* request,
                                             v1::Snapshot* response) {
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());

  storage::ScopedSnapshot snapshot(store_->store());
  auto indicators = store_->AllIndicators(snapshot.get());
  if (!indicators.ok()) return ToGrpcStatus(indicators.status());
  auto observations = store_->ObservationsOf(request->subject(), request->year(), snapshot.get());
  if (!observations.ok()) return ToGrpcStatus(observations.status());
  const std::vector<v1::Target> targets(rules_.targets().begin(), rules_.targets().end());
  *response =
      AssembleSnapshot(request->subject(), request->year(), *indicators, *observations, targets);
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::ListTargets(grpc::ServerContext*, const v1::ListTargetsRequest*,
                                             v1::ListTargetsResponse* response) {
  *response->mutable_targets() = rules_.targets();
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

}  // namespace fazhi::metrics
