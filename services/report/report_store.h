// The report service's RocksDB layout and transactions.
//
// Column families (order fixed):
//   1 "records"   'p' report_id                              -> ReportRecord (latest version)
//                 'v' report_id, version(u32)                -> ReportRecord (every version,
//                                                               the latest included)
//   2 "indexes"   'r' region code, year(u32), report_id      -> ""  by region
//                 'f' filer unit id, year(u32), report_id    -> ""  by filer
//                 'k' filer unit id, year(u32), kind(u32)    -> report_id: what a
//                                                               resubmission versions
//   3 "requests"  'q' request_id                             -> report_id [0x00 version]
//   4 "meta"      's' "report"                               -> next number (u64)
//                 's' "search_doc"                           -> next document number (u64)
//   5 "search"    'b' bigram(u64), doc(u32)                  -> positions (varint deltas)
//                 'd' doc(u32)                               -> SearchDoc
//                 'n' report_id                              -> doc (u32 BE)
//   6 "changes"   'c' sequence(u64)                          -> ChangeRecord: the
//                                                               WatchChanges log
//                                                               (common/storage/change_feed.h)
//
// Search keys (see report_search.h for bigrams and positions):
//
//   'b' key:  | 'b' | first code point << 21 | second (u64 BE) | doc u32 BE |
//             62 | 00 00 0c 4d 80 00 8f 5e | 00 00 00 07     ("法治" in doc 7)
//   'd' key:  | 'd' | doc u32 BE |
//   'n' key:  | 'n' | report_id escaped | 00 01 |
//
// A report gets a dense document number on first submission; its postings
// are one key per (bigram, doc) holding the code-point positions of that
// bigram. Only the latest version is indexed: a new version deletes the
// postings of bigrams its text no longer has and rewrites the rest, in the
// same batch as the record. Reports written before the search index existed
// are indexed when next resubmitted.
//
// Keys are built by common/storage/key_codec.h (tag byte, strings escaped and
// terminated, integers big-endian so they sort numerically):
//
//   'v' key:  | 'v' | report_id escaped | 00 01 | version u32 BE |
//   'k' key:  | 'k' | unit id escaped   | 00 01 | year u32 BE | kind u32 BE |
//
// The request value is the report id, a 0x00 byte and the version in decimal;
// values written before versions existed hold the id alone (version 1).
//
// Versions: a submission whose (filer, year, kind) already has a report is
// that report's next version. 'p' always holds the latest, so Get and List
// see the version that counts; 'v' keeps them all. Records written before
// versions existed have version 0 and no 'v' entry: the first resubmission
// writes them back as version 1.
//
// One WriteBatch per submission: record, version, indexes, request id,
// search postings and the change (KIND_CREATE for version 1, KIND_UPDATE for
// later ones) together; sequences are handed out under the write mutex, in
// commit order, and continue from the last 'c' key after a restart.
#ifndef FAZHI_SERVICES_REPORT_REPORT_STORE_H_
#define FAZHI_SERVICES_REPORT_REPORT_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/change_feed.h"
#include "common/storage/store.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

class ReportStore {
 public:
  static const std::vector<std::string>& ColumnFamilies();
  static absl::StatusOr<std::unique_ptr<ReportStore>> Open(storage::StoreOptions options);

  // `report` is validated and analysed. Returns the stored report; with a
  // request_id seen before, the report that request stored.
  // `actor` is who filed it, for the change log.
  absl::StatusOr<v1::Report> SubmitReport(absl::string_view report_id, v1::Report report,
                                          absl::string_view request_id,
                                          absl::string_view actor = "anonymous");
  absl::StatusOr<v1::Report> GetReport(absl::string_view report_id);
  // Results leave out the text and the quantities.
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request);
  // Newest first, text and quantities left out; NOT_FOUND for no report.
  absl::StatusOr<v1::ListReportVersionsResponse> ListReportVersions(absl::string_view report_id);
  // Ranked full-text search (report_search.h); `terms` from ParseQuery,
  // `page_size` 1..50.
  absl::StatusOr<v1::SearchReportsResponse> SearchReports(const v1::SearchReportsRequest& request,
                                                          const std::vector<std::u32string>& terms,
                                                          int page_size);
  // One version; NOT_FOUND if there is none.
  absl::StatusOr<v1::Report> GetReportVersion(absl::string_view report_id, uint32_t version);

  // Up to `limit` changes with a sequence above `after`, in order.
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(uint64_t after, int limit) const;
  // Blocks until a change above `after` is committed or `timeout` passes.
  void WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
    changes_->WaitForChangeAfter(after, timeout);
  }
  // The sequence of the last committed change (0 when none).
  uint64_t LastCommittedChange() const { return changes_->last_committed(); }

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }

 private:
  explicit ReportStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  rocksdb::ColumnFamilyHandle* records() const { return store_->cf(1); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->cf(2); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->cf(3); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->cf(4); }
  rocksdb::ColumnFamilyHandle* search() const { return store_->cf(5); }
  rocksdb::ColumnFamilyHandle* changes() const { return store_->cf(6); }

  // What search needs of each document, by number, in memory: loaded from
  // the 'd' keys at Open and updated after each write. A document the
  // reader's snapshot has but the table does not yet is skipped.
  struct SearchDocEntry {
    bool present = false;
    std::string report_id;
    std::string region;
    int32_t year = 0;
    int32_t kind = 0;
    uint32_t length = 0;
  };
  absl::Status LoadSearchDocs();
  // Adds the postings and document entry of `report` (doc `doc`) to `batch`,
  // replacing those of `old_text` (empty for a new document).
  void IndexForSearch(uint32_t doc, const v1::Report& report, absl::string_view old_text,
                      rocksdb::WriteBatch* batch);

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ChangeLog> changes_;
  absl::Mutex write_mu_;
  mutable absl::Mutex docs_mu_;
  std::vector<SearchDocEntry> docs_ ABSL_GUARDED_BY(docs_mu_);
  uint64_t total_length_ ABSL_GUARDED_BY(docs_mu_) = 0;
  uint64_t doc_count_ ABSL_GUARDED_BY(docs_mu_) = 0;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STORE_H_
