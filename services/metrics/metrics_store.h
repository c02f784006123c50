// The metrics service's RocksDB store and its transactions; the column
// families, the key layout and the store formats are in metrics_keys.h.
//
// An observation's identity is (indicator, subject, period): recording it
// again replaces the value under the same name, and the replaced revision
// moves to 'h'. A correction does the same with a reason; a deletion moves
// the current revision to 'h', adds a tombstone revision after it and removes
// the 'o' key ('n' stays, so the history stays readable by name). Recording
// the identity again after a deletion makes a new observation (a new id).
// A snapshot for one subject and year is one prefix scan: 'o' subject year;
// years [a, b] of one subject are one range scan.
//
// Every request is one WriteBatch, synced per StoreOptions::sync_writes; a
// batched ingest is one WriteBatch for all its accepted items. The batch
// also logs one change per resource written (an indicator created; an
// observation recorded, recorded again, corrected, deleted or withdrawn),
// numbered under the write mutex in commit order and kept under one key per
// write.
#ifndef FAZHI_SERVICES_METRICS_METRICS_STORE_H_
#define FAZHI_SERVICES_METRICS_METRICS_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/storage/change_feed.h"
#include "common/storage/sequence.h"
#include "common/storage/store.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "services/metrics/metrics_keys.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics {

class MetricsStore {
 public:
  // Opens (creating when missing) the metrics database at options.path;
  // options.column_families is filled in here. A store of an older format
  // is migrated in place (metrics_keys.h); a newer one is refused with
  // FAILED_PRECONDITION.
  static absl::StatusOr<std::unique_ptr<MetricsStore>> Open(storage::StoreOptions options);

  // Every write is made by `caller`: change records and revisions name its
  // actor(), observations' provenance.recorded_by is it (whatever the
  // observation said), and the audit trail's entry for the write is its.
  absl::StatusOr<v1::Indicator> CreateIndicator(v1::Indicator indicator,
                                                const storage::Caller& caller);
  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code,
                                             const rocksdb::Snapshot* snapshot = nullptr);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const v1::ListIndicatorsRequest& request);
  // Every indicator, in code order (for snapshots). Indicators are created and
  // never changed or removed, so the set is kept in memory once read and
  // dropped when one is created (after the write); a reader may therefore see
  // an indicator newer than its RocksDB snapshot, which has no observations
  // there yet.
  using IndicatorSet = std::shared_ptr<const std::vector<v1::Indicator>>;
  absl::StatusOr<IndicatorSet> AllIndicators();

  // `observation` is validated and normalized; the indicator must exist and
  // accept the value (checked here, under the write lock).
  absl::StatusOr<v1::Observation> RecordObservation(v1::Observation observation,
                                                    absl::string_view request_id,
                                                    const storage::Caller& caller);
  // Records every item of `items` (each validated and normalized; request
  // ids checked) in one WriteBatch; the observations are moved out of the
  // items. The result for item i is its observation or why it was
  // rejected, with fields named "requests[i].observation....". Items
  // rejected by the caller's own validation are passed as nullopt and
  // skipped. The returned status is a failure only when the write failed,
  // in which case nothing was written.
  absl::Status RecordObservations(std::vector<std::optional<v1::RecordObservationRequest>>& items,
                                  std::vector<absl::StatusOr<v1::Observation>>* results,
                                  const storage::Caller& caller);
  // Supersedes the quantity (and provenance, when given) of observation `id`
  // with `reason`. `quantity` is normalized.
  absl::StatusOr<v1::Observation> CorrectObservation(absl::string_view id,
                                                     const fazhi::type::Quantity& quantity,
                                                     absl::string_view reason,
                                                     const fazhi::type::Provenance* provenance,
                                                     absl::string_view request_id,
                                                     const storage::Caller& caller);
  // Deletes observation `id`, returning the tombstone revision.
  absl::StatusOr<v1::ObservationRevision> DeleteObservation(absl::string_view id,
                                                            absl::string_view reason,
                                                            const storage::Caller& caller);
  // The subject of observation `id`, deleted or not (for authorizing a
  // write to it); NOT_FOUND when there is no such observation.
  absl::StatusOr<std::string> SubjectOfObservation(absl::string_view id) const;
  absl::StatusOr<v1::ListObservationHistoryResponse> ListObservationHistory(
      absl::string_view id, const v1::ListObservationHistoryRequest& request);
  absl::StatusOr<v1::ListObservationsResponse> ListObservations(
      const v1::ListObservationsRequest& request);
  // Every observation of `subject` in `year`, by indicator code then period.
  absl::StatusOr<std::vector<v1::Observation>> ObservationsOf(absl::string_view subject, int year,
                                                              const rocksdb::Snapshot* snapshot);

  // What ReplaceReportObservations did with one item.
  struct ReportItemResult {
    v1::ReportObservationResult::Outcome outcome = v1::ReportObservationResult::OUTCOME_UNSPECIFIED;
    // The observation as stored, or why the item was rejected.
    absl::StatusOr<v1::Observation> observation;
  };
  // Makes the store hold exactly `items` for `report` (see the RPC's
  // contract in metrics_service.proto). Each item is validated and
  // normalized, its provenance naming `report` and `version`; items the
  // caller rejected are nullopt and give nothing. Fills one result per item
  // (fields named "observations[i]....") and the names of the observations
  // withdrawn. `caller` makes the writes. A failed status means nothing was
  // written.
  absl::Status ReplaceReportObservations(absl::string_view report, int32_t version,
                                         const std::vector<std::optional<v1::Observation>>& items,
                                         const storage::Caller& caller,
                                         std::vector<ReportItemResult>* results,
                                         std::vector<std::string>* withdrawn);

  // Up to `limit` changes with a sequence above `after`, in order.
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(uint64_t after, int limit) const;
  // Blocks until a change above `after` is committed or `timeout` passes.
  void WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
    changes_->WaitForChangeAfter(after, timeout);
  }
  // The sequence of the last committed change (0 when none).
  uint64_t LastCommittedChange() const { return changes_->last_committed(); }

  // Every current observation of `subject` in years [first_year, last_year].
  absl::StatusOr<std::vector<v1::Observation>> ObservationsInYears(
      absl::string_view subject, int first_year, int last_year, const rocksdb::Snapshot* snapshot);

  // The clock that stamps update times (and that quality checks compare
  // with). Tests set a fixed one; the default is absl::Now.
  void set_clock(Clock clock) { clock_ = std::move(clock); }
  absl::Time Now() const { return clock_(); }

  // Compares the metrics part of `rules` (version, targets, quality rules)
  // with what the store last ran with; when they differ, or on the first
  // start, records a RulesChange and the new rules in one batch and returns
  // the change. Called once at start-up, before serving.
  absl::StatusOr<std::optional<v1::RulesChange>> RecordRulesInForce(
      const fazhi::rules::v1::RuleSet& rules);
  // Every recorded change of rules, oldest first.
  absl::StatusOr<std::vector<v1::RulesChange>> ListRulesChanges() const;

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }
  // The audit trail kept in the change log (audit_trail.h).
  storage::AuditTrail* audit_trail() const { return changes_->audit(); }

 private:
  explicit MetricsStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->family(keys::Family::kRecords); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->family(keys::Family::kIndexes); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->family(keys::Family::kRequests); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->family(keys::Family::kMeta); }

  struct PendingWrites;
  absl::StatusOr<v1::Observation> StageObservation(v1::Observation observation,
                                                   absl::string_view request_id,
                                                   absl::string_view field_prefix,
                                                   PendingWrites& pending)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Moves `current` (under 'o' `key`) to history, appends a tombstone with
  // `reason` and removes the 'o' key; returns the tombstone.
  storage_records::ObservationRecord StageDeletion(
      const std::string& key, const storage_records::ObservationRecord& current,
      absl::string_view reason, PendingWrites& pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The observation record under 'o' `key`, if any.
  absl::StatusOr<std::optional<storage_records::ObservationRecord>> ReadObservationAt(
      const std::string& key) const;
  // Logs a change of `resource` by the pending batch's caller.
  void LogChange(PendingWrites& pending, const std::string& resource, v1::Change::Kind kind)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status Commit(PendingWrites& pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ChangeLog> changes_;
  // Numbers of new observations ("o" + 16 hex digits).
  storage::SequenceCounter observation_ids_{*store_, meta(), keys::kObservationCounter};
  Clock clock_ = SystemClock();
  absl::Mutex write_mu_;
  absl::Mutex indicators_mu_;
  IndicatorSet indicators_ ABSL_GUARDED_BY(indicators_mu_);
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_STORE_H_
