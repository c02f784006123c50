#include "services/metrics/metrics_store.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "common/storage/sequence.h"
#include "common/storage/store_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "services/metrics/metrics_keys.h"
#include "services/metrics/metrics_pending_writes.h"
#include "services/metrics/metrics_rules.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics {

absl::StatusOr<std::unique_ptr<MetricsStore>> MetricsStore::Open(storage::StoreOptions options) {
  options.column_families = storage::FamilyNames(keys::kFamilies);
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  auto metrics = std::unique_ptr<MetricsStore>(new MetricsStore(std::move(*store)));
  if (absl::Status s = storage::UpgradeFormat(*metrics->store_, metrics->meta(), "metrics",
                                              keys::kStoreFormat, MetricsMigrations());
      !s.ok()) {
    return s;
  }
  storage::ChangeLog::Options log_options;
  log_options.audited_records = metrics->records();
  log_options.name_record = keys::ResourceOfRecord;
  auto changes = storage::ChangeLog::Open(
      *metrics->store_, metrics->store_->family(keys::Family::kChanges), log_options);
  if (!changes.ok()) return changes.status();
  metrics->changes_ = *std::move(changes);
  return metrics;
}

absl::StatusOr<v1::Indicator> MetricsStore::CreateIndicator(v1::Indicator indicator,
                                                            const storage::Caller& caller) {
  indicator.set_name(api::IndicatorName(indicator.code()));
  absl::MutexLock lock(&write_mu_);
  auto existing = store_->Get(records(), keys::Indicator(indicator.code()));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Indicator", indicator.name(), "the code is already defined");
  }
  for (const auto& [field, code] :
       {std::pair<const char*, std::string>{"indicator.numerator_code", indicator.numerator_code()},
        {"indicator.denominator_code", indicator.denominator_code()}}) {
    if (code.empty()) continue;
    auto part = store_->Get(records(), keys::Indicator(code));
    if (!part.ok()) return part.status();
    if (!part->has_value()) {
      return errors::ReferenceNotFound(field, "Indicator", api::IndicatorName(code));
    }
  }
  storage_records::IndicatorRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_indicator() = indicator;
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = ToTimestamp(Now());
  pending.batch.Put(records(), keys::Indicator(indicator.code()), record.SerializeAsString());
  LogChange(pending, indicator.name(), v1::Change::KIND_CREATE);
  absl::Status s = Commit(pending);
  if (!s.ok()) return s;
  {
    absl::MutexLock indicators_lock(&indicators_mu_);
    indicators_ = nullptr;  // Read again, with this one, when next needed.
  }
  return indicator;
}

absl::StatusOr<v1::Indicator> MetricsStore::GetIndicator(absl::string_view code,
                                                         const rocksdb::Snapshot* snapshot) {
  auto value = store_->Get(records(), keys::Indicator(code), snapshot);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Indicator", api::IndicatorName(code));
  auto record = storage::ParseRecord<storage_records::IndicatorRecord>(**value, "indicator");
  if (!record.ok()) return record.status();
  return record->indicator();
}

absl::StatusOr<v1::ListIndicatorsResponse> MetricsStore::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(), "indicators");
  if (!page.ok()) return page.status();
  v1::ListIndicatorsResponse response;
  std::string next;
  storage::PageBytes page_bytes;
  absl::Status s = storage::ScanPage(
      *store_, records(), nullptr, keys::IndicatorsPrefix(), page->resume_after, page->page_size,
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record = storage::ParseRecord<storage_records::IndicatorRecord>(value, "indicator");
        if (!record.ok()) return record.status();
        page_bytes.Add(record->indicator().ByteSizeLong());
        *response.add_indicators() = record->indicator();
        return true;
      },
      &next, &page_bytes);
  if (!s.ok()) return s;
  response.set_next_page_token(page->NextToken(next));
  return response;
}

absl::StatusOr<MetricsStore::IndicatorSet> MetricsStore::AllIndicators() {
  absl::MutexLock lock(&indicators_mu_);
  if (indicators_ != nullptr) return indicators_;
  auto all = std::make_shared<std::vector<v1::Indicator>>();
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), nullptr, keys::IndicatorsPrefix(), "", std::numeric_limits<int>::max(),
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record = storage::ParseRecord<storage_records::IndicatorRecord>(value, "indicator");
        if (!record.ok()) return record.status();
        all->push_back(record->indicator());
        return true;
      },
      &next);
  if (!s.ok()) return s;
  indicators_ = std::move(all);
  return indicators_;
}

namespace {

uint32_t RevisionOf(const storage_records::ObservationRecord& record) {
  return record.revision() == 0 ? 1 : record.revision();
}

v1::ObservationRevision ToRevision(const storage_records::ObservationRecord& record) {
  v1::ObservationRevision revision;
  revision.set_revision(static_cast<int32_t>(RevisionOf(record)));
  revision.set_action(record.action() == v1::REVISION_ACTION_UNSPECIFIED
                          ? v1::REVISION_ACTION_RECORDED
                          : record.action());
  *revision.mutable_observation() = record.observation();
  revision.set_reason(record.reason());
  *revision.mutable_create_time() =
      record.has_change_time() ? record.change_time() : record.observation().update_time();
  revision.set_actor(record.actor().empty() ? record.observation().provenance().recorded_by()
                                            : record.actor());
  return revision;
}

}  // namespace

absl::StatusOr<v1::Observation> MetricsStore::StageObservation(v1::Observation observation,
                                                               absl::string_view request_id,
                                                               absl::string_view field_prefix,
                                                               PendingWrites& pending) {
  if (!request_id.empty()) {
    std::optional<std::string> earlier;
    if (auto it = pending.requests.find(std::string(request_id)); it != pending.requests.end()) {
      earlier = it->second;
    } else {
      auto stored = store_->Get(requests(), keys::Request(request_id));
      if (!stored.ok()) return stored.status();
      earlier = *std::move(stored);
    }
    if (earlier.has_value()) {
      // The answer the first call got, even if the value changed since.
      auto record =
          storage::ParseRecord<storage_records::ObservationRecord>(*earlier, "observation");
      if (!record.ok()) return record.status();
      return std::move(*record->mutable_observation());
    }
  }
  const std::string code = api::IdOf("indicators", observation.indicator());
  auto cached = pending.indicators.find(code);
  if (cached == pending.indicators.end()) {
    auto indicator = GetIndicator(code);
    if (!indicator.ok()) {
      if (absl::IsNotFound(indicator.status())) {
        return errors::ReferenceNotFound(absl::StrCat(field_prefix, ".indicator"), "Indicator",
                                         observation.indicator());
      }
      return indicator.status();
    }
    cached = pending.indicators.emplace(code, *std::move(indicator)).first;
  }
  errors::FieldViolations violations;
  CheckAgainstIndicator(observation, cached->second, violations, field_prefix);
  if (!violations.empty()) return violations.ToStatus();

  const std::string key = keys::Observation(observation);
  std::optional<storage_records::ObservationRecord> existing;
  if (auto it = pending.observations.find(key); it != pending.observations.end()) {
    auto staged =
        storage::ParseRecord<storage_records::ObservationRecord>(it->second, "observation");
    if (!staged.ok()) return staged.status();
    existing = *std::move(staged);
  } else {
    auto stored = ReadObservationAt(key);
    if (!stored.ok()) return stored.status();
    existing = *std::move(stored);
  }
  storage_records::ObservationRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  if (existing.has_value()) {
    observation.set_name(existing->observation().name());
    const std::string id = api::IdOf("observations", observation.name());
    pending.batch.Put(records(), keys::History(id, RevisionOf(*existing)),
                      existing->SerializeAsString());
    record.set_revision(RevisionOf(*existing) + 1);
    record.set_action(pending.rerecord_action);
    record.set_reason(pending.rerecord_reason);
  } else {
    auto number = pending.ids.Take();
    if (!number.ok()) return number.status();
    const std::string id = absl::StrFormat("o%016x", *number);
    observation.set_name(api::ObservationName(id));
    pending.batch.Put(indexes(), keys::ObservationId(id), key);
    record.set_revision(1);
    record.set_action(v1::REVISION_ACTION_RECORDED);
  }
  *observation.mutable_update_time() = pending.now;
  *observation.mutable_provenance()->mutable_record_time() = pending.now;
  observation.mutable_provenance()->set_recorded_by(pending.caller().actor());
  *record.mutable_observation() = std::move(observation);
  record.set_request_id(std::string(request_id));
  *record.mutable_change_time() = pending.now;
  record.set_actor(pending.caller().actor());
  std::string bytes = record.SerializeAsString();
  pending.batch.Put(records(), key, bytes);
  if (!request_id.empty()) {
    pending.batch.Put(requests(), keys::Request(request_id), bytes);
    pending.requests[std::string(request_id)] = bytes;
  }
  pending.observations.insert_or_assign(key, std::move(bytes));
  v1::Observation stored = std::move(*record.mutable_observation());
  if (!stored.provenance().report().empty()) {
    pending.batch.Put(indexes(),
                      keys::ObservationOfReport(stored.provenance().report(),
                                                api::IdOf("observations", stored.name())),
                      "");
  }
  LogChange(pending, stored.name(),
            existing.has_value() ? v1::Change::KIND_UPDATE : v1::Change::KIND_CREATE);
  return stored;
}

absl::StatusOr<std::optional<storage_records::ObservationRecord>> MetricsStore::ReadObservationAt(
    const std::string& key) const {
  auto stored = store_->Get(records(), key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<storage_records::ObservationRecord>();
  auto record = storage::ParseRecord<storage_records::ObservationRecord>(**stored, "observation");
  if (!record.ok()) return record.status();
  return std::optional<storage_records::ObservationRecord>(*std::move(record));
}

void MetricsStore::LogChange(PendingWrites& pending, const std::string& resource,
                             v1::Change::Kind kind) {
  v1::Change change;
  change.set_resource(resource);
  change.set_kind(kind);
  change.set_actor(pending.caller().actor());
  *change.mutable_time() = pending.now;
  pending.changes.Log<storage_records::ChangeRecord>(std::move(change));
}

absl::StatusOr<std::vector<v1::Change>> MetricsStore::ChangesAfter(uint64_t after,
                                                                   int limit) const {
  return changes_->ChangesAfter<storage_records::ChangeRecord>(after, limit);
}

absl::Status MetricsStore::Commit(PendingWrites& pending) {
  pending.ids.Stage(pending.batch);
  return changes_->Commit(pending.batch, pending.changes);
}

absl::StatusOr<v1::Observation> MetricsStore::RecordObservation(v1::Observation observation,
                                                                absl::string_view request_id,
                                                                const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = ToTimestamp(Now());
  auto result = StageObservation(std::move(observation), request_id, "observation", pending);
  if (!result.ok()) return result.status();
  absl::Status s = Commit(pending);
  if (!s.ok()) return s;
  return result;
}

absl::Status MetricsStore::RecordObservations(
    std::vector<std::optional<v1::RecordObservationRequest>>& items,
    std::vector<absl::StatusOr<v1::Observation>>* results, const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = ToTimestamp(Now());
  results->clear();
  results->reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].has_value()) {
      results->push_back(errors::Internal("ingest", "item rejected before staging"));
      continue;
    }
    auto staged =
        StageObservation(std::move(*items[i]->mutable_observation()), items[i]->request_id(),
                         absl::StrCat("requests[", i, "].observation"), pending);
    if (!staged.ok() && !absl::IsInvalidArgument(staged.status()) &&
        !absl::IsNotFound(staged.status())) {
      return staged.status();  // The store failed: nothing is written.
    }
    results->push_back(std::move(staged));
  }
  return Commit(pending);
}

absl::StatusOr<v1::Observation> MetricsStore::CorrectObservation(
    absl::string_view id, const fazhi::type::Quantity& quantity, absl::string_view reason,
    const fazhi::type::Provenance* provenance, absl::string_view request_id,
    const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), keys::Request(request_id));
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      auto record =
          storage::ParseRecord<storage_records::ObservationRecord>(**earlier, "observation");
      if (!record.ok()) return record.status();
      return record->observation();
    }
  }
  const std::string name = api::ObservationName(id);
  auto key = store_->Get(indexes(), keys::ObservationId(id));
  if (!key.ok()) return key.status();
  if (!key->has_value()) return errors::NotFound("Observation", name);
  auto stored = store_->Get(records(), **key);
  if (!stored.ok()) return stored.status();
  std::optional<storage_records::ObservationRecord> current;
  if (stored->has_value()) {
    auto record = storage::ParseRecord<storage_records::ObservationRecord>(**stored, "observation");
    if (!record.ok()) return record.status();
    if (record->observation().name() == name) current = *std::move(record);
  }
  if (!current.has_value()) {
    return errors::FailedPrecondition("DELETED", name,
                                      "the observation was deleted; record a new value instead");
  }
  auto indicator = GetIndicator(api::IdOf("indicators", current->observation().indicator()));
  if (!indicator.ok()) return indicator.status();
  v1::Observation observation = current->observation();
  *observation.mutable_quantity() = quantity;
  if (provenance != nullptr) *observation.mutable_provenance() = *provenance;
  errors::FieldViolations violations;
  CheckAgainstIndicator(observation, *indicator, violations, "");
  if (!violations.empty()) {
    // Fields are request fields: "quantity.decimal".
    errors::FieldViolations renamed;
    for (const auto& v : violations.bad_request().field_violations()) {
      renamed.Add(v.field().substr(1), v.description());
    }
    return renamed.ToStatus();
  }
  const auto now = ToTimestamp(Now());
  *observation.mutable_update_time() = now;
  *observation.mutable_provenance()->mutable_record_time() = now;
  observation.mutable_provenance()->set_recorded_by(caller.actor());
  storage_records::ObservationRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_observation() = observation;
  record.set_request_id(std::string(request_id));
  record.set_revision(RevisionOf(*current) + 1);
  record.set_action(v1::REVISION_ACTION_CORRECTED);
  record.set_reason(std::string(reason));
  *record.mutable_change_time() = now;
  record.set_actor(caller.actor());
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = now;
  pending.batch.Put(records(), keys::History(id, RevisionOf(*current)),
                    current->SerializeAsString());
  const std::string bytes = record.SerializeAsString();
  pending.batch.Put(records(), **key, bytes);
  if (!request_id.empty()) pending.batch.Put(requests(), keys::Request(request_id), bytes);
  if (!observation.provenance().report().empty()) {
    pending.batch.Put(indexes(), keys::ObservationOfReport(observation.provenance().report(), id),
                      "");
  }
  LogChange(pending, name, v1::Change::KIND_UPDATE);
  absl::Status s = Commit(pending);
  if (!s.ok()) return s;
  return observation;
}

absl::StatusOr<v1::ObservationRevision> MetricsStore::DeleteObservation(
    absl::string_view id, absl::string_view reason, const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  const std::string name = api::ObservationName(id);
  auto key = store_->Get(indexes(), keys::ObservationId(id));
  if (!key.ok()) return key.status();
  if (!key->has_value()) return errors::NotFound("Observation", name);
  auto stored = store_->Get(records(), **key);
  if (!stored.ok()) return stored.status();
  std::optional<storage_records::ObservationRecord> current;
  if (stored->has_value()) {
    auto record = storage::ParseRecord<storage_records::ObservationRecord>(**stored, "observation");
    if (!record.ok()) return record.status();
    if (record->observation().name() == name) current = *std::move(record);
  }
  if (!current.has_value()) return errors::NotFound("Observation", name);
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = ToTimestamp(Now());
  const storage_records::ObservationRecord tombstone =
      StageDeletion(**key, *current, reason, pending);
  absl::Status s = Commit(pending);
  if (!s.ok()) return s;
  return ToRevision(tombstone);
}

storage_records::ObservationRecord MetricsStore::StageDeletion(
    const std::string& key, const storage_records::ObservationRecord& current,
    absl::string_view reason, PendingWrites& pending) {
  const std::string& name = current.observation().name();
  const std::string id = api::IdOf("observations", name);
  storage_records::ObservationRecord tombstone;
  tombstone.set_format_version(storage::kRecordFormatVersion);
  *tombstone.mutable_observation() = current.observation();
  tombstone.set_revision(RevisionOf(current) + 1);
  tombstone.set_action(v1::REVISION_ACTION_DELETED);
  tombstone.set_reason(std::string(reason));
  *tombstone.mutable_change_time() = pending.now;
  tombstone.set_actor(pending.caller().actor());
  pending.batch.Put(records(), keys::History(id, RevisionOf(current)), current.SerializeAsString());
  pending.batch.Put(records(), keys::History(id, tombstone.revision()),
                    tombstone.SerializeAsString());
  pending.batch.Delete(records(), key);
  LogChange(pending, name, v1::Change::KIND_DELETE);
  return tombstone;
}

absl::StatusOr<std::string> MetricsStore::SubjectOfObservation(absl::string_view id) const {
  auto key = store_->Get(indexes(), keys::ObservationId(id));
  if (!key.ok()) return key.status();
  if (!key->has_value()) return errors::NotFound("Observation", api::ObservationName(id));
  std::string subject;
  if (!keys::ReadObservationSubject(**key, &subject)) {
    return errors::DataLoss("an observation id index entry is malformed");
  }
  return subject;
}

absl::StatusOr<v1::ListObservationHistoryResponse> MetricsStore::ListObservationHistory(
    absl::string_view id, const v1::ListObservationHistoryRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(),
                                 absl::StrCat("observation-history?name=", request.name()));
  if (!page.ok()) return page.status();
  int after = 0;
  if (!page->resume_after.empty() && !absl::SimpleAtoi(page->resume_after, &after)) {
    return errors::InvalidField("page_token", "is not a token this method returned");
  }
  storage::ScopedSnapshot snapshot(*store_);
  const std::string name = api::ObservationName(id);
  auto key = store_->Get(indexes(), keys::ObservationId(id), snapshot.get());
  if (!key.ok()) return key.status();
  if (!key->has_value()) return errors::NotFound("Observation", name);
  std::vector<v1::ObservationRevision> all;
  std::string unused;
  absl::Status s = storage::ScanPage(
      *store_, records(), snapshot.get(), keys::HistoryPrefix(id), "",
      std::numeric_limits<int>::max(),
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record =
            storage::ParseRecord<storage_records::ObservationRecord>(value, "observation");
        if (!record.ok()) return record.status();
        all.push_back(ToRevision(*record));
        return true;
      },
      &unused);
  if (!s.ok()) return s;
  auto stored = store_->Get(records(), **key, snapshot.get());
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    auto record = storage::ParseRecord<storage_records::ObservationRecord>(**stored, "observation");
    if (!record.ok()) return record.status();
    if (record->observation().name() == name) all.push_back(ToRevision(*record));
  }
  v1::ListObservationHistoryResponse response;
  storage::PageBytes page_bytes;
  for (const auto& revision : all) {
    if (revision.revision() <= after) continue;
    if (response.revisions_size() == page->page_size || page_bytes.full()) {
      response.set_next_page_token(
          page->NextToken(absl::StrCat(response.revisions().rbegin()->revision())));
      break;
    }
    page_bytes.Add(revision.ByteSizeLong());
    *response.add_revisions() = revision;
  }
  return response;
}

absl::StatusOr<v1::ListObservationsResponse> MetricsStore::ListObservations(
    const v1::ListObservationsRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(),
                                 absl::StrCat("observations?subject=", request.subject(), "&year=",
                                              request.year(), "&indicator=", request.indicator()));
  if (!page.ok()) return page.status();
  const std::string prefix =
      request.year() == 0
          ? keys::ObservationsOfSubjectPrefix(request.subject())
          : keys::ObservationsOfSubjectYearPrefix(request.subject(), request.year());
  v1::ListObservationsResponse response;
  std::string next;
  storage::PageBytes page_bytes;
  absl::Status s = storage::ScanPage(
      *store_, records(), nullptr, prefix, page->resume_after, page->page_size,
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record =
            storage::ParseRecord<storage_records::ObservationRecord>(value, "observation");
        if (!record.ok()) return record.status();
        if (!request.indicator().empty() &&
            record->observation().indicator() != request.indicator()) {
          return false;
        }
        page_bytes.Add(record->observation().ByteSizeLong());
        *response.add_observations() = record->observation();
        return true;
      },
      &next, &page_bytes);
  if (!s.ok()) return s;
  response.set_next_page_token(page->NextToken(next));
  return response;
}

absl::StatusOr<std::vector<v1::Observation>> MetricsStore::ObservationsOf(
    absl::string_view subject, int year, const rocksdb::Snapshot* snapshot) {
  std::vector<v1::Observation> all;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), snapshot, keys::ObservationsOfSubjectYearPrefix(subject, year), "",
      std::numeric_limits<int>::max(),
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record =
            storage::ParseRecord<storage_records::ObservationRecord>(value, "observation");
        if (!record.ok()) return record.status();
        all.push_back(record->observation());
        return true;
      },
      &next);
  if (!s.ok()) return s;
  return all;
}

absl::StatusOr<std::vector<v1::Observation>> MetricsStore::ObservationsInYears(
    absl::string_view subject, int first_year, int last_year, const rocksdb::Snapshot* snapshot) {
  std::vector<v1::Observation> all;
  const std::string subject_prefix = keys::ObservationsOfSubjectPrefix(subject);
  auto it = store_->NewPrefixIterator(records(), subject_prefix, snapshot);
  const std::string end = keys::ObservationsOfSubjectYearPrefix(subject, last_year + 1);
  for (it->Seek(keys::ObservationsOfSubjectYearPrefix(subject, std::max(first_year, 0)));
       it->Valid() && it->key().compare(end) < 0; it->Next()) {
    auto record = storage::ParseRecord<storage_records::ObservationRecord>(
        absl::string_view(it->value().data(), it->value().size()), "observation");
    if (!record.ok()) return record.status();
    all.push_back(std::move(*record->mutable_observation()));
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "scan observations");
  return all;
}

}  // namespace fazhi::metrics
