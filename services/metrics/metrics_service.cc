#include "services/metrics/metrics_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"
#include "common/text/quantity_proto.h"
#include "google/rpc/status.pb.h"
#include "services/metrics/metrics_quality.h"
#include "services/metrics/metrics_rules.h"

namespace fazhi::metrics {
namespace {

using server::MethodRule;
using server::Permission;

// Who may call what. Reads need READER (the figures are published
// information); indicators and deletions are the system administrator's;
// values are recorded by the district reporter of the subject's region and
// corrected by its reviewer; a report's figures are written only by the
// report service, for the reporter of the report's region.
std::map<std::string, MethodRule> Rules() {
  const MethodRule read = MethodRule::Needs(Permission::kRead);
  const MethodRule administer = MethodRule::Needs(Permission::kAdminister);
  const MethodRule file = MethodRule::Needs(Permission::kFile);
  return {
      {"CreateIndicator", administer},
      {"GetIndicator", read},
      {"ListIndicators", read},
      {"RecordObservation", file},
      {"ListObservations", read},
      {"BatchGetSnapshots", read},
      {"GetSnapshot", read},
      {"ListTargets", read},
      {"CorrectObservation", MethodRule::Needs(Permission::kReview)},
      {"DeleteObservation", administer},
      {"ListObservationHistory", read},
      {"GetSeries", read},
      {"CompareSubjects", read},
      {"RollUpSnapshot", read},  // computes a snapshot; writes nothing
      {"BatchRecordObservations", file},
      {"ReplaceReportObservations",
       MethodRule::ServiceFor(Permission::kPublishFigures, Permission::kFile)},
      {"WatchChanges", read},
  };
}

// The region code an id of a unit or report begins with
// ("310113-government" -> "310113"), which is how the catalogue and the
// report service name them; the metrics service does not ask the catalogue.
// An id without that form is its own "region", which only a grant for every
// region ("*") covers.
std::string LeadingRegionCode(absl::string_view id) {
  return std::string(id.substr(0, id.find('-')));
}

// The region a write to `subject` is scoped to: a region's own code, a
// unit's leading region code.
std::string RegionOfSubject(absl::string_view subject) {
  if (absl::StartsWith(subject, "units/")) return LeadingRegionCode(api::IdOf("units", subject));
  return api::RegionCodeOf(subject);
}

// Only ReplaceReportObservations writes values extracted from a report: a
// report's values come and go with its versions, under the report
// service's check of the report.
void RefuseReportExtraction(const v1::Observation& observation,
                            errors::FieldViolations& violations) {
  if (observation.provenance().source() == fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT) {
    violations.Add("observation.provenance.source",
                   "SOURCE_EXTRACTED_FROM_REPORT values are written only by publishing the "
                   "report (ReplaceReportObservations); record a value typed in or imported");
  }
}

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

// A report's observation names the report and version it comes from: the
// server fills them in; a caller that sets them must set these.
void CheckReportProvenance(const std::string& report, int32_t version, v1::Observation& observation,
                           errors::FieldViolations& violations) {
  auto* provenance = observation.mutable_provenance();
  using fazhi::type::Provenance;
  if (provenance->source() != Provenance::SOURCE_UNSPECIFIED &&
      provenance->source() != Provenance::SOURCE_EXTRACTED_FROM_REPORT) {
    violations.Add("observation.provenance.source",
                   "must be SOURCE_EXTRACTED_FROM_REPORT or unspecified");
  }
  if (!provenance->report().empty() && provenance->report() != report) {
    violations.Add("observation.provenance.report",
                   absl::StrCat("must be empty or the request's report ", report));
  }
  if (provenance->report_version() != 0 && provenance->report_version() != version) {
    violations.Add("observation.provenance.report_version",
                   absl::StrCat("must be 0 or the request's report_version ", version));
  }
  provenance->set_source(Provenance::SOURCE_EXTRACTED_FROM_REPORT);
  provenance->set_report(report);
  provenance->set_report_version(version);
  if (provenance->span_begin() < 0 || provenance->span_end() < provenance->span_begin()) {
    violations.Add("observation.provenance.span_end",
                   absl::StrCat("must be span_begin..; the span is [", provenance->span_begin(),
                                ", ", provenance->span_end(), ")"));
  }
}

// (indicator, subject, period) of a normalized observation.
std::string IdentityOf(const v1::Observation& o) {
  return absl::StrCat(o.indicator(), " ", o.subject(), " ", o.period().year(), " ",
                      o.period().start_month(), " ", o.period().end_year(), " ",
                      o.period().end_month());
}

// The violations of one item ("observation.quantity") named as the request
// names the item ("observations[3].quantity").
errors::FieldViolations RenamedForItem(const errors::FieldViolations& violations,
                                       absl::string_view item) {
  errors::FieldViolations renamed;
  constexpr absl::string_view kOwnPrefix = "observation";
  for (const auto& v : violations.bad_request().field_violations()) {
    absl::string_view field = v.field();
    if (absl::StartsWith(field, kOwnPrefix)) field.remove_prefix(kOwnPrefix.size());
    renamed.Add(absl::StrCat(item, field), v.description());
  }
  return renamed;
}

}  // namespace

MetricsServiceImpl::MetricsServiceImpl(MetricsStore* store, server::Authorizer& authorizer,
                                       fazhi::rules::v1::RuleSet rules)
    : store_(store),
      authorizer_(authorizer),
      method_rules_(authorizer.Register(v1::MetricsService::service_full_name(), Rules())),
      rules_(std::move(rules)) {}

absl::StatusOr<storage::Caller> MetricsServiceImpl::AuthorizeForSubjects(
    const grpc::ServerContext& context, absl::string_view method,
    const std::vector<std::string>& subjects, absl::string_view request_id) {
  std::set<std::string> regions;
  for (const auto& subject : subjects) regions.insert(RegionOfSubject(subject));
  return authorizer_.Authorize(context, method_rules_.Of(method), {regions.begin(), regions.end()},
                               request_id);
}

grpc::Status MetricsServiceImpl::CreateIndicator(grpc::ServerContext* context,
                                                 const v1::CreateIndicatorRequest* request,
                                                 v1::Indicator* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("CreateIndicator"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  ValidateIndicator(request->indicator(), violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->CreateIndicator(request->indicator(), *caller), response);
}

grpc::Status MetricsServiceImpl::GetIndicator(grpc::ServerContext* context,
                                              const v1::GetIndicatorRequest* request,
                                              v1::Indicator* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("GetIndicator"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const std::string code = api::IdOf("indicators", request->name());
  if (!api::IsIndicatorCode(code)) {
    return ToGrpcStatus(errors::InvalidField(
        "name", "must be \"indicators/{code}\", such as \"indicators/court_appearance_rate\""));
  }
  return ReplyWith(store_->GetIndicator(code), response);
}

grpc::Status MetricsServiceImpl::ListIndicators(grpc::ServerContext* context,
                                                const v1::ListIndicatorsRequest* request,
                                                v1::ListIndicatorsResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("ListIndicators"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(store_->ListIndicators(*request), response);
}

grpc::Status MetricsServiceImpl::RecordObservation(grpc::ServerContext* context,
                                                   const v1::RecordObservationRequest* request,
                                                   v1::Observation* response) {
  auto caller = AuthorizeForSubjects(*context, "RecordObservation",
                                     {request->observation().subject()}, request->request_id());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  v1::Observation observation = request->observation();
  RefuseReportExtraction(observation, violations);
  ValidateAndNormalizeObservation(observation, violations);
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(
      store_->RecordObservation(std::move(observation), request->request_id(), *caller), response);
}

grpc::Status MetricsServiceImpl::ListObservations(grpc::ServerContext* context,
                                                  const v1::ListObservationsRequest* request,
                                                  v1::ListObservationsResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("ListObservations"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  api::CheckYear(violations, "year", request->year(), /*required=*/false);
  if (!request->indicator().empty() &&
      !api::IsIndicatorCode(api::IdOf("indicators", request->indicator()))) {
    violations.Add("indicator", "must be \"indicators/{code}\"");
  }
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListObservations(*request), response);
}

grpc::Status MetricsServiceImpl::GetSnapshot(grpc::ServerContext* context,
                                             const v1::GetSnapshotRequest* request,
                                             v1::Snapshot* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("GetSnapshot"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  std::vector<v1::Snapshot> snapshots;
  if (absl::Status s = BuildSnapshots({request->subject()}, request->year(), snapshots); !s.ok()) {
    return ToGrpcStatus(s);
  }
  *response = std::move(snapshots.front());
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::BatchGetSnapshots(grpc::ServerContext* context,
                                                   const v1::BatchGetSnapshotsRequest* request,
                                                   v1::BatchGetSnapshotsResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("BatchGetSnapshots"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  CheckSubjects(violations, "subjects", request->subjects(), limits::kMaxSnapshotSubjects);
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  std::vector<v1::Snapshot> snapshots;
  const std::vector<std::string> subjects(request->subjects().begin(), request->subjects().end());
  if (absl::Status s = BuildSnapshots(subjects, request->year(), snapshots); !s.ok()) {
    return ToGrpcStatus(s);
  }
  for (auto& snapshot : snapshots) *response->add_snapshots() = std::move(snapshot);
  return ToGrpcStatus(limits::CheckReplySize(*response, "subjects"));
}

absl::StatusOr<MetricsServiceImpl::LoadedSnapshotBasis> MetricsServiceImpl::LoadSnapshotBasis(
    const std::string& indicator_name) {
  auto indicators = store_->AllIndicators();
  if (!indicators.ok()) return indicators.status();
  LoadedSnapshotBasis loaded;
  loaded.indicators = *std::move(indicators);
  loaded.basis = MakeSnapshotBasis(*loaded.indicators, Targets(), rules_.metrics(), store_->Now());
  if (!indicator_name.empty()) {
    auto it = loaded.basis.indicator_of.find(api::IdOf("indicators", indicator_name));
    if (it == loaded.basis.indicator_of.end()) {
      return errors::ReferenceNotFound("indicator", "Indicator", indicator_name);
    }
    loaded.indicator = it->second;
  }
  return loaded;
}

absl::Status MetricsServiceImpl::BuildSnapshots(const std::vector<std::string>& subjects, int year,
                                                std::vector<v1::Snapshot>& out) {
  storage::ScopedSnapshot snapshot(store_->store());
  auto loaded = LoadSnapshotBasis();
  if (!loaded.ok()) return loaded.status();
  const std::vector<v1::Indicator>& indicators = *loaded->indicators;
  const SnapshotBasis& basis = loaded->basis;
  for (const auto& subject : subjects) {
    // Earlier years feed the change from last year and the jump check.
    auto observations = store_->ObservationsInYears(
        subject, year - std::max(1, JumpLookback(rules_)), year, snapshot.get());
    if (!observations.ok()) return observations.status();
    out.push_back(BuildSnapshot(subject, year, indicators, *std::move(observations), basis));
    out.back().set_rules_version(rules_.version());
  }
  return absl::OkStatus();
}

grpc::Status MetricsServiceImpl::ListTargets(grpc::ServerContext* context,
                                             const v1::ListTargetsRequest*,
                                             v1::ListTargetsResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("ListTargets"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto changes = store_->ListRulesChanges();
  if (!changes.ok()) return ToGrpcStatus(changes.status());
  *response->mutable_targets() = rules_.targets();
  response->set_rules_version(rules_.version());
  for (auto& change : *changes) *response->add_rules_changes() = std::move(change);
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::CorrectObservation(grpc::ServerContext* context,
                                                    const v1::CorrectObservationRequest* request,
                                                    v1::Observation* response) {
  errors::FieldViolations violations;
  // The review is scoped to the observation's region: find its subject
  // first (a name that cannot be one is answered without a lookup).
  if (!CheckObservationName(violations, "name", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  auto subject = store_->SubjectOfObservation(api::IdOf("observations", request->name()));
  if (!subject.ok()) return ToGrpcStatus(subject.status());
  auto caller =
      AuthorizeForSubjects(*context, "CorrectObservation", {*subject}, request->request_id());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  fazhi::type::Quantity quantity = request->quantity();
  if (!request->has_quantity()) {
    violations.Add("quantity", "is required: the corrected value");
  } else {
    text::CheckAndNormalizeQuantity("quantity", quantity, violations);
  }
  api::CheckText(violations, "reason", request->reason(), 1, limits::kMaxReasonChars);
  api::CheckRequestId(violations, "request_id", request->request_id());
  if (request->has_provenance()) {
    api::CheckText(violations, "provenance.excerpt", request->provenance().excerpt(), 0,
                   limits::kMaxProvenanceTextChars);
    api::CheckText(violations, "provenance.note", request->provenance().note(), 0,
                   limits::kMaxProvenanceTextChars);
    api::CheckResourceName(violations, "provenance.report", "reports",
                           request->provenance().report(), /*required=*/false);
  }
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->CorrectObservation(
                       api::IdOf("observations", request->name()), quantity, request->reason(),
                       request->has_provenance() ? &request->provenance() : nullptr,
                       request->request_id(), *caller),
                   response);
}

grpc::Status MetricsServiceImpl::DeleteObservation(grpc::ServerContext* context,
                                                   const v1::DeleteObservationRequest* request,
                                                   v1::ObservationRevision* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("DeleteObservation"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  CheckObservationName(violations, "name", request->name());
  api::CheckText(violations, "reason", request->reason(), 1, limits::kMaxReasonChars);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->DeleteObservation(api::IdOf("observations", request->name()),
                                             request->reason(), *caller),
                   response);
}

grpc::Status MetricsServiceImpl::ListObservationHistory(
    grpc::ServerContext* context, const v1::ListObservationHistoryRequest* request,
    v1::ListObservationHistoryResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("ListObservationHistory"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  CheckObservationName(violations, "name", request->name());
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(
      store_->ListObservationHistory(api::IdOf("observations", request->name()), *request),
      response);
}

grpc::Status MetricsServiceImpl::GetSeries(grpc::ServerContext* context,
                                           const v1::GetSeriesRequest* request,
                                           v1::Series* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("GetSeries"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
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
  auto loaded = LoadSnapshotBasis(request->indicator());
  if (!loaded.ok()) return ToGrpcStatus(loaded.status());
  const std::vector<v1::Indicator>& indicators = *loaded->indicators;
  const v1::Indicator& indicator = *loaded->indicator;
  auto observations =
      store_->ObservationsInYears(request->subject(), request->start_year() - JumpLookback(rules_),
                                  request->end_year(), snapshot.get());
  if (!observations.ok()) return ToGrpcStatus(observations.status());
  *response = BuildSeries(request->subject(), indicator, request->start_year(), request->end_year(),
                          indicators, *std::move(observations), loaded->basis);
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::CompareSubjects(grpc::ServerContext* context,
                                                 const v1::CompareSubjectsRequest* request,
                                                 v1::CompareSubjectsResponse* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("CompareSubjects"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  CheckIndicatorName(violations, "indicator", request->indicator());
  CheckSubjects(violations, "subjects", request->subjects(), limits::kMaxCompareSubjects);
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  storage::ScopedSnapshot snapshot(store_->store());
  auto loaded = LoadSnapshotBasis(request->indicator());
  if (!loaded.ok()) return ToGrpcStatus(loaded.status());
  const std::vector<v1::Indicator>& indicators = *loaded->indicators;
  const v1::Indicator& indicator = *loaded->indicator;
  for (const auto& subject : request->subjects()) {
    auto observations =
        store_->ObservationsInYears(subject, request->year() - std::max(1, JumpLookback(rules_)),
                                    request->year(), snapshot.get());
    if (!observations.ok()) return ToGrpcStatus(observations.status());
    auto* item = response->add_entries();
    item->set_subject(subject);
    auto entry = BuildEntry(indicator, request->year(),
                            ValuesByYear(indicators, *std::move(observations),
                                         loaded->basis.quality.partial_year_stands),
                            loaded->basis);
    if (entry.has_value()) {
      *item->mutable_entry() = *std::move(entry);
    } else {
      *item->mutable_entry()->mutable_indicator() = indicator;
    }
  }
  response->set_rules_version(rules_.version());
  return ToGrpcStatus(limits::CheckReplySize(*response, "subjects"));
}

grpc::Status MetricsServiceImpl::RollUpSnapshot(grpc::ServerContext* context,
                                                const v1::RollUpSnapshotRequest* request,
                                                v1::Snapshot* response) {
  auto caller = authorizer_.Authorize(*context, method_rules_.Of("RollUpSnapshot"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckSubjectName(violations, "subject", request->subject());
  CheckSubjects(violations, "parts", request->parts(), limits::kMaxRollUpParts);
  api::CheckYear(violations, "year", request->year());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  storage::ScopedSnapshot snapshot(store_->store());
  auto loaded = LoadSnapshotBasis();
  if (!loaded.ok()) return ToGrpcStatus(loaded.status());
  std::vector<std::vector<v1::Observation>> observations_of_parts;
  for (const auto& part : request->parts()) {
    auto observations = store_->ObservationsOf(part, request->year(), snapshot.get());
    if (!observations.ok()) return ToGrpcStatus(observations.status());
    observations_of_parts.push_back(*std::move(observations));
  }
  *response = RollUp(request->subject(), request->year(),
                     {request->parts().begin(), request->parts().end()}, *loaded->indicators,
                     std::move(observations_of_parts), loaded->basis);
  response->set_rules_version(rules_.version());
  return ToGrpcStatus(limits::CheckReplySize(*response, "parts"));
}

grpc::Status MetricsServiceImpl::BatchRecordObservations(
    grpc::ServerContext* context, const v1::BatchRecordObservationsRequest* request,
    v1::BatchRecordObservationsResponse* response) {
  // The count comes first: an empty batch touches no region, so there is no
  // scope to authorize it for.
  if (request->requests().empty() || request->requests_size() > limits::kMaxBatchItems) {
    return ToGrpcStatus(
        errors::InvalidField("requests", absl::StrCat("must hold 1..", limits::kMaxBatchItems,
                                                      " items, got ", request->requests_size())));
  }
  // The whole batch is one write: the caller must be able to record for
  // every subject in it.
  std::vector<std::string> subjects;
  subjects.reserve(request->requests_size());
  for (const auto& item : request->requests()) subjects.push_back(item.observation().subject());
  auto caller = AuthorizeForSubjects(*context, "BatchRecordObservations", subjects);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  std::vector<std::optional<v1::RecordObservationRequest>> items(request->requests_size());
  std::vector<absl::Status> rejected(request->requests_size());
  for (int i = 0; i < request->requests_size(); ++i) {
    v1::RecordObservationRequest item = request->requests(i);
    errors::FieldViolations own;
    RefuseReportExtraction(item.observation(), own);
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
  // The reply must fit before anything is written: each accepted item is
  // answered with its observation (about its request's size), each rejected
  // one with its error.
  size_t reply_bytes = 0;
  for (int i = 0; i < request->requests_size(); ++i) {
    reply_bytes += items[i].has_value() ? items[i]->observation().ByteSizeLong() + 64
                                        : ToRpcStatus(rejected[i]).ByteSizeLong() + 16;
  }
  if (reply_bytes > limits::kListPageBytes + limits::kMaxRecordBytes) {
    return ToGrpcStatus(errors::InvalidField(
        "requests",
        absl::StrCat("would be answered with about ", reply_bytes, " bytes, above the ",
                     limits::kMaxReplyBytes, "-byte reply limit; send fewer items per call")));
  }
  std::vector<absl::StatusOr<v1::Observation>> results;
  absl::Status written = store_->RecordObservations(items, &results, *caller);
  if (!written.ok()) return ToGrpcStatus(written);
  for (int i = 0; i < request->requests_size(); ++i) {
    auto* result = response->add_results();
    result->set_index(i);
    const absl::Status& error = items[i].has_value() ? results[i].status() : rejected[i];
    if (error.ok()) {
      *result->mutable_observation() = *std::move(results[i]);
      response->set_accepted_count(response->accepted_count() + 1);
      continue;
    }
    response->set_rejected_count(response->rejected_count() + 1);
    *result->mutable_error() = ToRpcStatus(error);
  }
  return grpc::Status::OK;
}

grpc::Status MetricsServiceImpl::ReplaceReportObservations(
    grpc::ServerContext* context, const v1::ReplaceReportObservationsRequest* request,
    v1::ReplaceReportObservationsResponse* response) {
  // The report service, for a reporter of every region the figures are
  // about. (A report's id need not name its region; its figures' subjects
  // do.) A publication that only withdraws figures names no region: the
  // report service has checked the report's own region before calling.
  std::set<std::string> subject_regions;
  for (const auto& observation : request->observations()) {
    subject_regions.insert(RegionOfSubject(observation.subject()));
  }
  const auto& rule = method_rules_.Of("ReplaceReportObservations");
  auto caller = subject_regions.empty()
                    ? authorizer_.AuthorizeSomewhere(*context, rule)
                    : authorizer_.Authorize(
                          *context, rule,
                          std::vector<std::string>(subject_regions.begin(), subject_regions.end()));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckResourceName(violations, "report", "reports", request->report());
  if (request->report_version() < 1) {
    violations.Add("report_version", absl::StrCat("must be the report's version, 1 or more, got ",
                                                  request->report_version()));
  }
  limits::CheckCount(violations, "observations", request->observations_size(),
                     limits::kMaxBatchItems);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  std::vector<std::optional<v1::Observation>> items(request->observations_size());
  std::vector<absl::Status> rejected(request->observations_size());
  std::map<std::string, int> first_of_identity;
  for (int i = 0; i < request->observations_size(); ++i) {
    v1::Observation observation = request->observations(i);
    errors::FieldViolations own;
    CheckReportProvenance(request->report(), request->report_version(), observation, own);
    ValidateAndNormalizeObservation(observation, own);
    if (own.empty()) {
      auto [it, first] = first_of_identity.emplace(IdentityOf(observation), i);
      if (!first) {
        own.Add("observation", absl::StrCat("gives the same indicator, subject and period as "
                                            "observations[",
                                            it->second, "]"));
      }
    }
    if (own.empty()) {
      items[i] = std::move(observation);
    } else {
      rejected[i] = RenamedForItem(own, absl::StrCat("observations[", i, "]")).ToStatus();
    }
  }
  std::vector<MetricsStore::ReportItemResult> results;
  std::vector<std::string> withdrawn;
  absl::Status written = store_->ReplaceReportObservations(
      request->report(), request->report_version(), items, *caller, &results, &withdrawn);
  if (!written.ok()) return ToGrpcStatus(written);
  for (int i = 0; i < request->observations_size(); ++i) {
    auto* result = response->add_results();
    result->set_index(i);
    const absl::Status& error =
        items[i].has_value() ? results[i].observation.status() : rejected[i];
    if (!error.ok()) {
      result->set_outcome(v1::ReportObservationResult::OUTCOME_REJECTED);
      *result->mutable_error() = ToRpcStatus(error);
      response->set_rejected_count(response->rejected_count() + 1);
      continue;
    }
    result->set_outcome(results[i].outcome);
    *result->mutable_observation() = *results[i].observation;
    switch (results[i].outcome) {
      case v1::ReportObservationResult::OUTCOME_RECORDED:
        response->set_recorded_count(response->recorded_count() + 1);
        break;
      case v1::ReportObservationResult::OUTCOME_UPDATED:
        response->set_updated_count(response->updated_count() + 1);
        break;
      default:
        response->set_unchanged_count(response->unchanged_count() + 1);
        break;
    }
  }
  for (auto& name : withdrawn) response->add_withdrawn(std::move(name));
  return grpc::Status::OK;
}

grpc::ServerWriteReactor<v1::Change>* MetricsServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  return watches_.WatchFor(authorizer_, method_rules_.Of("WatchChanges"), context,
                           request->after_sequence());
}

}  // namespace fazhi::metrics
