// The report service's RocksDB layout and transactions.
//
// Column families (order fixed):
//   1 "records"   'p' report_id                              -> ReportRecord
//   2 "indexes"   'r' region code, year(u32), report_id      -> ""  by region
//                 'f' filer unit id, year(u32), report_id    -> ""  by filer
//   3 "requests"  'q' request_id                             -> report_id
//   4 "meta"      's' "report"                               -> next number (u64)
// One WriteBatch per submission: record, indexes and request id together.
#ifndef FAZHI_SERVICES_REPORT_REPORT_STORE_H_
#define FAZHI_SERVICES_REPORT_REPORT_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/store.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

class ReportStore {
 public:
  static const std::vector<std::string>& ColumnFamilies();
  static absl::StatusOr<std::unique_ptr<ReportStore>> Open(storage::StoreOptions options);

  // `report` is validated and analysed. Returns the stored report; with a
  // request_id seen before, the report that request stored.
  absl::StatusOr<v1::Report> SubmitReport(absl::string_view report_id, v1::Report report,
                                          absl::string_view request_id);
  absl::StatusOr<v1::Report> GetReport(absl::string_view report_id);
  // Results leave out the text.
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request);

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }

 private:
  explicit ReportStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->cf(1); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->cf(2); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->cf(3); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->cf(4); }

  std::unique_ptr<storage::Store> store_;
  absl::Mutex write_mu_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STORE_H_
