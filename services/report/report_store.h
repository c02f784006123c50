// The report service's RocksDB store and its transactions; the column
// families, the key layout and the store formats are in report_keys.h, the
// search index's keys in search_index.h.
//
// Versions: a submission whose (filer, year, kind) already has a report is
// that report's next version. 'p' always holds the latest, so Get and List
// see the version that counts; 'v' keeps them all. Records written before
// versions existed have version 0 and no 'v' entry: the first resubmission
// writes them back as version 1.
//
// One WriteBatch per submission: record, version, indexes, request id,
// search postings (staged by ReportSearchIndex) and the change (KIND_CREATE
// for version 1, KIND_UPDATE for later ones) together; sequences are handed out under the write
// mutex, in commit order, and continue from the last 'c' key after a restart.
#ifndef FAZHI_SERVICES_REPORT_REPORT_STORE_H_
#define FAZHI_SERVICES_REPORT_REPORT_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/clock.h"
#include "common/storage/change_feed.h"
#include "common/storage/store.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/report/report_keys.h"
#include "services/report/search_index.h"

namespace fazhi::report {

// One page of a search: the ranked matches with the reports they are in,
// read at the snapshot the ranking was made at. Rendering them into hits
// (snippets, sections) is the service's (search_hits.h).
struct ReportSearchPage {
  struct Hit {
    SearchMatch match;
    v1::Report report;  // the version the match is in, text included
  };
  int32_t total_size = 0;
  std::vector<Hit> hits;
  std::string next_page_token;  // empty on the last page
};

class ReportStore {
 public:
  // Opens (creating when missing) the report database at options.path;
  // options.column_families is filled in here. A store of an older format
  // is migrated in place (report_keys.h); a newer one is refused with
  // FAILED_PRECONDITION.
  static absl::StatusOr<std::unique_ptr<ReportStore>> Open(storage::StoreOptions options);

  // `report` is validated and analysed. Returns the stored report; with a
  // request_id seen before, the report that request stored.
  // `caller` filed it: the change record's actor and the audit entry's.
  absl::StatusOr<v1::Report> SubmitReport(absl::string_view report_id, v1::Report report,
                                          absl::string_view request_id,
                                          const storage::Caller& caller = storage::Caller());
  absl::StatusOr<v1::Report> GetReport(absl::string_view report_id);
  // Results leave out the text and the quantities.
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request);
  // Newest first, text and quantities left out; NOT_FOUND for no report.
  absl::StatusOr<v1::ListReportVersionsResponse> ListReportVersions(absl::string_view report_id);
  // One page of ranked full-text search (search_index.h); `terms` from
  // ParseQuery, `page_size` 1..50. INVALID_ARGUMENT naming page_token for a
  // token this query did not issue.
  absl::StatusOr<ReportSearchPage> SearchReports(const v1::SearchReportsRequest& request,
                                                 const std::vector<std::u32string>& terms,
                                                 int page_size);
  // One version; NOT_FOUND if there is none.
  absl::StatusOr<v1::Report> GetReportVersion(absl::string_view report_id, uint32_t version);

  ReportSearchIndex& search_index() { return *search_index_; }

  // Up to `limit` changes with a sequence above `after`, in order.
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(uint64_t after, int limit) const;
  // Blocks until a change above `after` is committed or `timeout` passes.
  void WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
    changes_->WaitForChangeAfter(after, timeout);
  }
  // The sequence of the last committed change (0 when none).
  uint64_t LastCommittedChange() const { return changes_->last_committed(); }

  // The clock that stamps submit and change times; the service reads the
  // time through it too. Tests set a fixed one.
  void set_clock(Clock clock) { clock_ = std::move(clock); }
  absl::Time Now() const { return clock_(); }

  // Stops the search index's compaction, then closes the store.
  absl::Status Close();
  storage::Store& store() { return *store_; }
  // Every submission's audit entry, hash-chained (audit_trail.h).
  storage::AuditTrail* audit_trail() const { return changes_->audit(); }
  ~ReportStore();

 private:
  explicit ReportStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->family(keys::Family::kRecords); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->family(keys::Family::kIndexes); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->family(keys::Family::kRequests); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->family(keys::Family::kMeta); }
  rocksdb::ColumnFamilyHandle* search() const { return store_->family(keys::Family::kSearch); }
  rocksdb::ColumnFamilyHandle* changes() const { return store_->family(keys::Family::kChanges); }

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ChangeLog> changes_;
  std::unique_ptr<ReportSearchIndex> search_index_;
  absl::Mutex write_mu_;
  Clock clock_ = SystemClock();
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STORE_H_
