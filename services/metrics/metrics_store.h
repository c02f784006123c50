// The metrics service's RocksDB layout and transactions.
//
// Column families (order fixed):
//   1 "records"   'i' code                                   -> IndicatorRecord
//                 'o' subject, year(u32), indicator code, start_month(u32),
//                     end_month(u32)                          -> ObservationRecord
//   2 "indexes"   'n' observation id                          -> 'o' key
//   3 "requests"  'q' request_id                              -> ObservationRecord
//                 (the answer the first call with that request_id got)
//   4 "meta"      's' "observation"                           -> next number (u64)
// An observation's identity is (indicator, subject, period): recording it
// again replaces the value under the same name. A snapshot for one subject
// and year is one prefix scan: 'o' subject year.
#ifndef FAZHI_SERVICES_METRICS_METRICS_STORE_H_
#define FAZHI_SERVICES_METRICS_METRICS_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
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
  absl::StatusOr<v1::ListObservationsResponse> ListObservations(
      const v1::ListObservationsRequest& request);
  // Every observation of `subject` in `year`, by indicator code then period.
  absl::StatusOr<std::vector<v1::Observation>> ObservationsOf(absl::string_view subject, int year,
                                                              const rocksdb::Snapshot* snapshot);

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }

 private:
  explicit MetricsStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->cf(1); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->cf(2); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->cf(3); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->cf(4); }

  std::unique_ptr<storage::Store> store_;
  absl::Mutex write_mu_;
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_STORE_H_
