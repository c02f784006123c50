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
//                 's' "search_folded"                        -> documents below it folded (u64)
//   5 "search"    'B' bigram(u64), first doc(u32)            -> posting block (folded)
//                 'b' bigram(u64), doc(u32)                  -> positions (varint deltas)
//                 'd' doc(u32)                               -> SearchDoc
//                 'n' report_id                              -> doc (u32 BE)
//   6 "changes"   'c' last sequence(u64)                     -> ChangeRecords: the
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
// Each indexed version gets the next document number; its postings are
// written as one 'b' key per (bigram, doc) holding the code-point positions
// of that bigram, in the same batch as the record. Only the latest version
// is indexed: a new version takes a new number, and the batch deletes the
// old number's 'd' entry and its 'b' keys (postings already folded into a
// block stay there, dead: search skips documents without a 'd' entry).
// Reports written before the search index existed are indexed when next
// resubmitted.
//
// Folding: reading one key per (bigram, doc) costs an iterator step per
// document, so a background thread moves the 'b' keys into 'B' blocks
// (report_search.h: a block holds consecutive documents' postings of one
// bigram, up to ~4 KB) once enough documents are unfolded. Each fold batch
// deletes the 'b' keys it read at its snapshot and writes the blocks that
// now hold them, so every posting is in exactly one of the two at any
// snapshot; document numbers are handed out in commit order, so a fold only
// ever appends to a bigram's last block. Search merges both.
//
//   'B' key:  | 'B' | bigram u64 BE | first doc u32 BE |
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
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/change_feed.h"
#include "common/storage/store.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/report/report_keys.h"

namespace fazhi::report {

class ReportStore {
 public:
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

  // Moves every unfolded posting into blocks now (see "Folding" above). The
  // background thread calls it once `fold_every` documents are unfolded;
  // tests and the benchmark call it to reach the folded state.
  absl::Status FoldSearchPostings();
  // How many documents are waiting to be folded (0 after FoldSearchPostings
  // with no submission since).
  uint64_t UnfoldedSearchDocs() const;
  void set_search_fold_every(uint64_t n) {
    absl::MutexLock lock(&fold_state_mu_);
    fold_every_ = n;
  }

  // Up to `limit` changes with a sequence above `after`, in order.
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(uint64_t after, int limit) const;
  // Blocks until a change above `after` is committed or `timeout` passes.
  void WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
    changes_->WaitForChangeAfter(after, timeout);
  }
  // The sequence of the last committed change (0 when none).
  uint64_t LastCommittedChange() const { return changes_->last_committed(); }

  // Stops the folding thread, then closes the store.
  absl::Status Close();
  storage::Store& store() { return *store_; }
  ~ReportStore();

 private:
  explicit ReportStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}
  void StopFolding();
  void FoldWhenAsked();
  rocksdb::ColumnFamilyHandle* records() const { return store_->family(keys::Family::kRecords); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->family(keys::Family::kIndexes); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->family(keys::Family::kRequests); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->family(keys::Family::kMeta); }
  rocksdb::ColumnFamilyHandle* search() const { return store_->family(keys::Family::kSearch); }
  rocksdb::ColumnFamilyHandle* changes() const { return store_->family(keys::Family::kChanges); }

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
  // and deletes those of the previous version (`old_doc`, with `old_text`),
  // when there is one.
  void IndexForSearch(uint32_t doc, const v1::Report& report, std::optional<uint32_t> old_doc,
                      absl::string_view old_text, rocksdb::WriteBatch* batch);

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ChangeLog> changes_;
  absl::Mutex write_mu_;
  mutable absl::Mutex docs_mu_;
  std::vector<SearchDocEntry> docs_ ABSL_GUARDED_BY(docs_mu_);
  uint64_t total_length_ ABSL_GUARDED_BY(docs_mu_) = 0;
  uint64_t doc_count_ ABSL_GUARDED_BY(docs_mu_) = 0;

  absl::Mutex fold_mu_;  // one fold at a time
  mutable absl::Mutex fold_state_mu_;
  uint64_t next_doc_ ABSL_GUARDED_BY(fold_state_mu_) = 0;        // numbers handed out
  uint64_t folded_through_ ABSL_GUARDED_BY(fold_state_mu_) = 0;  // docs below it folded
  uint64_t fold_every_ ABSL_GUARDED_BY(fold_state_mu_) = 1024;
  bool fold_asked_ ABSL_GUARDED_BY(fold_state_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(fold_state_mu_) = false;
  std::thread folder_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STORE_H_
