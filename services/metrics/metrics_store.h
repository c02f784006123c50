// The metrics service's RocksDB layout and transactions.
//
// Column families (order fixed):
//   1 "records"   'i' code                                   -> IndicatorRecord
//                 'o' subject, year(u32), indicator code, start_month(u32),
//                     end_month(u32)                          -> ObservationRecord
//                     (the current revision)
//                 'h' observation id, revision(u32)           -> ObservationRecord
//                     (a superseded revision, or a tombstone)
//   2 "indexes"   'n' observation id                          -> 'o' key
//   3 "requests"  'q' request_id                              -> ObservationRecord
//                 (the answer the first call with that request_id got)
//   4 "meta"      's' "observation"                           -> next number (u64)
//
// Byte diagrams (strings are escaped and end in 00 01, see key_codec.h):
//   'o'  6f | "regions/310107" 00 01 | 00 00 07 e4 | "mediation_accepted" 00 01
//           | 00 00 00 01 | 00 00 00 0b                       (2020, months 1..11)
//   'h'  68 | "o000000000000002a" 00 01 | 00 00 00 02         (revision 2)
//   'n'  6e | "o000000000000002a" 00 01
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
// batched ingest is one WriteBatch for all its accepted items.
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
#include "common/storage/store.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"

namespace fazhi::metrics {

class MetricsStore {
 public:
  static const std::vector<std::string>& ColumnFamilies();
  static absl::StatusOr<std::unique_ptr<MetricsStore>> Open(storage::StoreOptions options);

  absl::StatusOr<v1::Indicator> CreateIndicator(v1::Indicator indicator);
  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code,
                                             const rocksdb::Snapshot* snapshot = nullptr);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const v1::ListIndicatorsRequest& request);
  // Every indicator, in code order (for snapshots).
  absl::StatusOr<std::vector<v1::Indicator>> AllIndicators(const rocksdb::Snapshot* snapshot);

  // `observation` is validated and normalized; the indicator must exist and
  // accept the value (checked here, under the write lock).
  absl::StatusOr<v1::Observation> RecordObservation(v1::Observation observation,
                                                    absl::string_view request_id);
  // Records every item of `items` (each validated and normalized; request
  // ids checked) in one WriteBatch. The result for item i is its observation
  // or why it was rejected, with fields named "requests[i].observation....".
  // Items rejected by the caller's own validation are passed as nullopt and
  // skipped. The returned status is a failure only when the write failed,
  // in which case nothing was written.
  absl::Status RecordObservations(
      const std::vector<std::optional<v1::RecordObservationRequest>>& items,
      std::vector<absl::StatusOr<v1::Observation>>* results);
  // Supersedes the quantity (and provenance, when given) of observation `id`
  // with `reason`. `quantity` is normalized.
  absl::StatusOr<v1::Observation> CorrectObservation(absl::string_view id,
                                                     const fazhi::type::Quantity& quantity,
                                                     absl::string_view reason,
                                                     const fazhi::type::Provenance* provenance,
                                                     absl::string_view request_id);
  // Deletes observation `id`, returning the tombstone revision.
  absl::StatusOr<v1::ObservationRevision> DeleteObservation(absl::string_view id,
                                                            absl::string_view reason);
  absl::StatusOr<v1::ListObservationHistoryResponse> ListObservationHistory(
      absl::string_view id, const v1::ListObservationHistoryRequest& request);
  absl::StatusOr<v1::ListObservationsResponse> ListObservations(
      const v1::ListObservationsRequest& request);
  // Every observation of `subject` in `year`, by indicator code then period.
  absl::StatusOr<std::vector<v1::Observation>> ObservationsOf(absl::string_view subject, int year,
                                                              const rocksdb::Snapshot* snapshot);

  // Every current observation of `subject` in years [first_year, last_year].
  absl::StatusOr<std::vector<v1::Observation>> ObservationsInYears(
      absl::string_view subject, int first_year, int last_year, const rocksdb::Snapshot* snapshot);

  // The clock that stamps update times (and that quality checks compare
  // with). Tests set a fixed one; the default is absl::Now.
  void set_clock(std::function<absl::Time()> clock) { clock_ = std::move(clock); }
  absl::Time Now() const { return clock_(); }

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }

 private:
  explicit MetricsStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->cf(1); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->cf(2); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->cf(3); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->cf(4); }

  struct PendingWrites;
  absl::StatusOr<v1::Observation> StageObservation(v1::Observation observation,
                                                   absl::string_view request_id,
                                                   absl::string_view field_prefix,
                                                   PendingWrites& pending)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status Commit(PendingWrites& pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<storage::Store> store_;
  std::function<absl::Time()> clock_ = [] { return absl::Now(); };
  absl::Mutex write_mu_;
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_STORE_H_
