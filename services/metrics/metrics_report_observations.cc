// MetricsStore::ReplaceReportObservations: the figures a report publishes,
// replacing what an earlier version of the same report published.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/base/clock.h"
#include "common/status/errors.h"
#include "common/storage/records.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/metrics/metrics_keys.h"
#include "services/metrics/metrics_pending_writes.h"
#include "services/metrics/metrics_store.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics {
namespace {

// True when `stored` already holds `given`: the same quantity from the same
// source (who recorded it, and when, aside).
bool SameValueAndSource(const v1::Observation& stored, const v1::Observation& given) {
  using google::protobuf::util::MessageDifferencer;
  if (!MessageDifferencer::Equals(stored.quantity(), given.quantity())) return false;
  fazhi::type::Provenance a = stored.provenance();
  fazhi::type::Provenance b = given.provenance();
  for (auto* p : {&a, &b}) {
    p->clear_recorded_by();
    p->clear_record_time();
  }
  return MessageDifferencer::Equals(a, b);
}

// Where a value that is not the report's came from, for a person to read.
std::string SourceOf(const v1::Observation& observation) {
  const auto& provenance = observation.provenance();
  if (!provenance.report().empty()) return provenance.report();
  return provenance.source() == fazhi::type::Provenance::SOURCE_IMPORTED ? "an import"
                                                                         : "a value typed in";
}

}  // namespace

absl::Status MetricsStore::ReplaceReportObservations(
    absl::string_view report, int32_t version,
    const std::vector<std::optional<v1::Observation>>& items, const storage::Caller& caller,
    std::vector<ReportItemResult>* results, std::vector<std::string>* withdrawn) {
  absl::MutexLock lock(&write_mu_);
  PendingWrites pending(*changes_, observation_ids_, caller);
  pending.now = ToTimestamp(Now());
  pending.rerecord_action = v1::REVISION_ACTION_CORRECTED;
  pending.rerecord_reason = absl::StrCat("superseded by ", report, " version ", version);
  results->clear();
  results->resize(items.size());
  withdrawn->clear();

  storage_records::ReportSourceRecord source;
  auto stored_source = store_->Get(records(), keys::ReportSource(report));
  if (!stored_source.ok()) return stored_source.status();
  if (stored_source->has_value()) {
    auto parsed =
        storage::ParseRecord<storage_records::ReportSourceRecord>(**stored_source, "report source");
    if (!parsed.ok()) return parsed.status();
    source = *std::move(parsed);
  }
  if (version < source.report_version()) {
    return errors::FailedPrecondition(
        "STALE_REPORT_VERSION", report,
        absl::StrCat("version ", source.report_version(), " was already published; version ",
                     version, " is older"));
  }

  // What the report gives now, by 'o' key; index entries that no longer
  // lead to one of its values are dropped.
  std::map<std::string, storage_records::ObservationRecord> held;
  const std::string prefix = keys::ObservationsOfReportPrefix(report);
  auto it = store_->NewPrefixIterator(indexes(), prefix, nullptr);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const std::string index_key(it->key().data(), it->key().size());
    std::string id;
    if (!keys::ReadObservationOfReport(index_key, &id)) {
      return errors::DataLoss("a report index key is malformed");
    }
    auto key = store_->Get(indexes(), keys::ObservationId(id));
    if (!key.ok()) return key.status();
    std::optional<storage_records::ObservationRecord> current;
    if (key->has_value()) {
      auto stored = ReadObservationAt(**key);
      if (!stored.ok()) return stored.status();
      current = *std::move(stored);
    }
    if (current.has_value() && current->observation().name() == api::ObservationName(id) &&
        current->observation().provenance().report() == report) {
      held[**key] = *std::move(current);
    } else {
      pending.batch.Delete(indexes(), index_key);
    }
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "scan a report's values");

  std::set<std::string> given;  // 'o' keys of the accepted items
  for (size_t i = 0; i < items.size(); ++i) {
    ReportItemResult& result = (*results)[i];
    result.outcome = v1::ReportObservationResult::OUTCOME_REJECTED;
    if (!items[i].has_value()) {
      result.observation = errors::Internal("replace", "item rejected before staging");
      continue;
    }
    const std::string field = absl::StrCat("observations[", i, "]");
    const std::string key = keys::Observation(*items[i]);
    auto stored = ReadObservationAt(key);
    if (!stored.ok()) return stored.status();
    const std::optional<storage_records::ObservationRecord>& current = *stored;
    if (current.has_value() && current->observation().provenance().report() != report) {
      const v1::Observation& other = current->observation();
      result.observation = errors::FailedPrecondition(
          "HELD_BY_ANOTHER_SOURCE", other.name(),
          absl::StrCat(field,
                       " gives the indicator, subject and period this observation holds "
                       "from ",
                       SourceOf(other), "; correct or delete it to let the report's value in"));
      continue;
    }
    if (current.has_value() && SameValueAndSource(current->observation(), *items[i])) {
      result.outcome = v1::ReportObservationResult::OUTCOME_UNCHANGED;
      result.observation = current->observation();
      given.insert(key);
      continue;
    }
    auto staged = StageObservation(*items[i], "", field, pending);
    if (!staged.ok()) {
      if (!absl::IsInvalidArgument(staged.status()) && !absl::IsNotFound(staged.status())) {
        return staged.status();  // The store failed: nothing is written.
      }
      result.observation = staged.status();
      continue;
    }
    result.outcome = current.has_value() ? v1::ReportObservationResult::OUTCOME_UPDATED
                                         : v1::ReportObservationResult::OUTCOME_RECORDED;
    result.observation = *std::move(staged);
    given.insert(key);
  }

  const std::string reason =
      absl::StrCat(report, " version ", version, " no longer gives this value");
  for (const auto& [key, record] : held) {
    if (given.count(key) != 0) continue;
    StageDeletion(key, record, reason, pending);
    withdrawn->push_back(record.observation().name());
  }
  // Nothing new and nothing withdrawn: a repeated call writes nothing.
  if (pending.batch.Count() > 0 || version != source.report_version()) {
    source.set_format_version(storage::kRecordFormatVersion);
    source.set_report(std::string(report));
    source.set_report_version(version);
    *source.mutable_update_time() = pending.now;
    pending.batch.Put(records(), keys::ReportSource(report), source.SerializeAsString());
  }
  return Commit(pending);
}

}  // namespace fazhi::metrics
