#include "services/metrics/metrics_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "common/text/quantity_proto.h"
#include "google/rpc/status.pb.h"
#include "services/metrics/metrics_quality.h"
#include "services/metrics/metrics_rules.h"

namespace fazhi::metrics {
namespace {

int JumpLookback(const fazhi::rules::v1::RuleSet& rules) {
  return rules.metrics().jump_lookback_years() > 0 ? rules.metrics().jump_lookback_years() : 3;
}

bool CheckIndicatorName(errors::FieldViolations& violations, absl::string_view field,
                        absl::string_view name) {
  if (api::IsIndicatorCode(api::IdOf("indicators", name))) return true;
  violations.Add(std::string(field),
                 absl::StrCat("must be \"indicators/{code}\", got \"", name, "\""));
  return false;
}

bool CheckObservationName(errors::FieldViolations& violations, absl::string_view field,
                          absl::string_view name) {
  const std::string id = api::IdOf("observations", name);
  if (!id.empty() && id.size() <= 63 && id.find('/') == std::string::npos) return true;
  violations.Add(std::string(field),
                 absl::StrCat("must be \"observations/{id}\", got \"", name, "\""));
  return false;
}

void CheckSubjects(errors::FieldViolations& violations, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<std::string>& subjects, int max_count) {
  if (subjects.empty() || subjects.size() > max_count) {
    violations.Add(std::string(field),
                   absl::StrCat("must name 1..", max_count, " subjects, got ", subjects.size()));
  }
  std::set<std::string> seen;
  for (int i = 0; i < subjects.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    if (!api::CheckSubjectName(violations, item, subjects[i])) continue;
    if (!seen.insert(subjects[i]).second) violations.Add(item, "is named twice");
  }
}

}  // namespace
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
  // Earlier years feed the change from last year and the jump check.
  auto observations = store_->ObservationsInYears(
      request->subject(), request->year() - std::max(1, JumpLookback(rules_)), request->year(),
      snapshot.get());
  if (!observations.ok()) return ToGrpcStatus(observations.status());
  const EntryContext context =
      MakeEntryContext(*indicators, Targets(), rules_.metrics(), store_->Now());
  *response =
      BuildSnapshot(request->subject(), request->year(), *indicators, *observations, context);
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::ListTargets(grpc::ServerContext*, const v1::ListTargetsRequest*,
                                             v1::ListTargetsResponse* response) {
  *response->mutable_targets() = rules_.targets();
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::CorrectObservation(grpc::ServerContext*,
                                                    const v1::CorrectObservationRequest* request,
                                                    v1::Observation* response) {
  errors::FieldViolations violations;
  CheckObservationName(violations, "name", request->name());
  fazhi::type::Quantity quantity = request->quantity();
  if (!request->has_quantity()) {
    violations.Add("quantity", "is required: the corrected value");
  } else {
    text::CheckAndNormalizeQuantity("quantity", quantity, violations);
  }
  api::CheckText(violations, "reason", request->reason(), 1, 500);
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (request->has_provenance()) {
    api::CheckText(violations, "provenance.excerpt", request->provenance().excerpt(), 0, 500);
    api::CheckText(violations, "provenance.note", request->provenance().note(), 0, 500);
    api::CheckResourceName(violations, "provenance.report", "reports",
                           request->provenance().report(), /*required=*/false);
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(
      store_->CorrectObservation(
          api::IdOf("observations", request->name()), quantity, request->reason(),
          request->has_provenance() ? &request->provenance() : nullptr, request->request_id()),
      response);
}

grpc::Status MetricsServiceImpl::DeleteObservation(grpc::ServerContext*,
                                                   const v1::DeleteObservationRequest* request,
                                                   v1::ObservationRevision* response) {
  errors::FieldViolations violations;
  CheckObservationName(violations, "name", request->name());
  api::CheckText(violations, "reason", request->reason(), 1, 500);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(
      store_->DeleteObservation(api::IdOf("observations", request->name()), request->reason()),
      response);
}

grpc::Status MetricsServiceImpl::ListObservationHistory(
    grpc::ServerContext*, const v1::ListObservationHistoryRequest* request,
    v1::ListObservationHistoryResponse* response) {
  errors::FieldViolations violations;
  CheckObservationName(violations, "name", request->name());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(
      store_->ListObservationHistory(api::IdOf("observations", request->name()), *request),
      response);
}

grpc::Status MetricsServiceImpl::GetSeries(grpc::ServerContext*,
                                           const v1::GetSeriesRequest* request,
                                           v1::Series* response) {
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  CheckIndicatorName(violations, "indicator", request->indicator());
  const bool start_ok = api::CheckYear(violations, "start_year", request->start_year());
  const bool end_ok = api::CheckYear(violations, "end_year", request->end_year());
  if (start_ok && end_ok &&
      (request->end_year() < request->start_year() ||
       request->end_year() - request->start_year() >= 50)) {
    violations.Add("end_year",
                   absl::StrCat("must be start_year..start_year + 49, got ", request->end_year()));
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  storage::ScopedSnapshot snapshot(store_->store());
  auto indicators = store_->AllIndicators(snapshot.get());
  if (!indicators.ok()) return ToGrpcStatus(indicators.status());
  const std::string code = api::IdOf("indicators", request->indicator());
  auto indicator = std::find_if(indicators->begin(), indicators->end(),
                                [&](const v1::Indicator& i) { return i.code() == code; });
  if (indicator == indicators->end()) {
    return ToGrpcStatus(errors::ReferenceNotFound("indicator", "Indicator", request->indicator()));
  }
  auto observations =
      store_->ObservationsInYears(request->subject(), request->start_year() - JumpLookback(rules_),
                                  request->end_year(), snapshot.get());
  if (!observations.ok()) return ToGrpcStatus(observations.status());
  const EntryContext context =
      MakeEntryContext(*indicators, Targets(), rules_.metrics(), store_->Now());
  *response = BuildSeries(request->subject(), *indicator, request->start_year(),
                          request->end_year(), *indicators, *observations, context);
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::CompareSubjects(grpc::ServerContext*,
                                                 const v1::CompareSubjectsRequest* request,
                                                 v1::CompareSubjectsResponse* response) {
  errors::FieldViolations violations;
  CheckIndicatorName(violations, "indicator", request->indicator());
  CheckSubjects(violations, "subjects", request->subjects(), 500);
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  storage::ScopedSnapshot snapshot(store_->store());
  auto indicators = store_->AllIndicators(snapshot.get());
  if (!indicators.ok()) return ToGrpcStatus(indicators.status());
  const std::string code = api::IdOf("indicators", request->indicator());
  auto indicator = std::find_if(indicators->begin(), indicators->end(),
                                [&](const v1::Indicator& i) { return i.code() == code; });
  if (indicator == indicators->end()) {
    return ToGrpcStatus(errors::ReferenceNotFound("indicator", "Indicator", request->indicator()));
  }
  const EntryContext context =
      MakeEntryContext(*indicators, Targets(), rules_.metrics(), store_->Now());
  for (const auto& subject : request->subjects()) {
    auto observations =
        store_->ObservationsInYears(subject, request->year() - std::max(1, JumpLookback(rules_)),
                                    request->year(), snapshot.get());
    if (!observations.ok()) return ToGrpcStatus(observations.status());
    auto* item = response->add_entries();
    item->set_subject(subject);
    auto entry =
        BuildEntry(*indicator, request->year(), ValuesByYear(*indicators, *observations), context);
    if (entry.has_value()) {
      *item->mutable_entry() = *std::move(entry);
    } else {
      *item->mutable_entry()->mutable_indicator() = *indicator;
    }
  }
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::RollUpSnapshot(grpc::ServerContext*,
                                                const v1::RollUpSnapshotRequest* request,
                                                v1::Snapshot* response) {
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  CheckSubjects(violations, "parts", request->parts(), 3000);
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  storage::ScopedSnapshot snapshot(store_->store());
  auto indicators = store_->AllIndicators(snapshot.get());
  if (!indicators.ok()) return ToGrpcStatus(indicators.status());
  std::vector<std::vector<v1::Observation>> observations_of_parts;
  for (const auto& part : request->parts()) {
    auto observations = store_->ObservationsOf(part, request->year(), snapshot.get());
    if (!observations.ok()) return ToGrpcStatus(observations.status());
    observations_of_parts.push_back(*std::move(observations));
  }
  const EntryContext context =
      MakeEntryContext(*indicators, Targets(), rules_.metrics(), store_->Now());
  *response = RollUp(request->subject(), request->year(),
                     {request->parts().begin(), request->parts().end()}, *indicators,
                     observations_of_parts, context);
  response->set_rules_version(rules_.version());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::BatchRecordObservations(
    grpc::ServerContext*, const v1::BatchRecordObservationsRequest* request,
    v1::BatchRecordObservationsResponse* response) {
  if (request->requests().empty() || request->requests_size() > kMaxBatchItems) {
    return ToGrpcStatus(errors::InvalidField(
        "requests",
        absl::StrCat("must hold 1..", kMaxBatchItems, " items, got ", request->requests_size())));
  }
  std::vector<std::optional<v1::RecordObservationRequest>> items(request->requests_size());
  std::vector<absl::Status> rejected(request->requests_size());
  for (int i = 0; i < request->requests_size(); ++i) {
    v1::RecordObservationRequest item = request->requests(i);
    errors::FieldViolations own;
    ValidateAndNormalizeObservation(*item.mutable_observation(), own);
    api::CheckRequestId(own, "request_id", item.request_id());
    if (own.empty()) {
      items[i] = std::move(item);
    } else {
      errors::FieldViolations named;
      named.AddAll(absl::StrCat("requests[", i, "]"), own);
      rejected[i] = named.ToStatus();
    }
  }
  std::vector<absl::StatusOr<v1::Observation>> results;
  absl::Status written = store_->RecordObservations(items, &results);
  if (!written.ok()) return ToGrpcStatus(written);
  for (int i = 0; i < request->requests_size(); ++i) {
    auto* result = response->add_results();
    result->set_index(i);
    const absl::Status& error = items[i].has_value() ? results[i].status() : rejected[i];
    if (error.ok()) {
      *result->mutable_observation() = *results[i];
      response->set_accepted_count(response->accepted_count() + 1);
      continue;
    }
    response->set_rejected_count(response->rejected_count() + 1);
    auto* status = result->mutable_error();
    status->set_code(static_cast<int>(error.code()));
    status->set_message(std::string(error.message()));
    error.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
      auto* any = status->add_details();
      any->set_type_url(std::string(type_url));
      any->set_value(std::string(payload));
    });
  }
  return grpc::Status::OK;
}

}  // namespace fazhi::metrics
