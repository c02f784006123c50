// The report service's full-text index: which document holds which
// character bigram where (report_search.h tokenizes), kept in the "search"
// column family of the report store's RocksDB, ranked by BM25.
//
// The index never commits a report's postings by itself: ReportStore calls
// Stage inside its one WriteBatch per submission, so a report and its
// postings are written together or not at all, then Publish once that batch
// is committed. Only compaction (below) writes batches of its own.
//
// Keys in "search" (the counters live in the store's "meta" family):
//   'B' bigram(u64), first doc(u32)  -> posting block (compacted)
//   'w' doc(u32)                     -> the document's waiting postings
//   'b' bigram(u64), doc(u32)        -> positions (varint deltas); written
//                                       by earlier versions, compacted at Open
//   'd' doc(u32)                     -> SearchDoc
//   'n' report_id                    -> doc (u32 BE)
//   meta 's' "search_doc"            -> next document number (u64)
//   meta 's' "search_folded"         -> written by earlier versions, unused
//
//   'w' key:  | 'w' | doc u32 BE |
//   'b' key:  | 'b' | first code point << 21 | second (u64 BE) | doc u32 BE |
//             62 | 00 00 0c 4d 80 00 8f 5e | 00 00 00 07     ("法治" in doc 7)
//   'd' key:  | 'd' | doc u32 BE |
//   'n' key:  | 'n' | report_id escaped | 00 01 |
//   'B' key:  | 'B' | bigram u64 BE | first doc u32 BE |
//
// A 'w' value is the document's postings as EncodeDocumentPostings
// (report_search.h) writes them.
//
// Each indexed version gets the next document number; its postings are
// written as one 'w' key, in the same batch as the record, and kept in
// memory, inverted by bigram, until they are compacted into blocks. Only
// the latest version is indexed: a new version takes a new number, and the
// batch deletes the old number's 'd' entry and 'w' key (postings already in
// memory or in a block stay there, dead: search skips documents without a
// 'd' entry). Reports written before the search index existed are indexed
// when next resubmitted.
//
// Compacting postings into blocks: once enough documents wait, a
// background thread appends their postings to each bigram's blocks
// (report_search.h: a block holds consecutive documents' postings of one
// bigram, up to ~4 KB), committing whole bigrams at a time, and deletes
// their 'w' keys with the last batch. Document numbers are handed out in
// commit order, so a compaction only ever appends to a bigram's last block;
// postings a block already holds (a compaction cut short by a crash) are
// not appended again. Search merges the blocks with the waiting postings in
// memory, taking a document found in both once.
//
// One key per document rather than one per (bigram, document) is what
// keeps loading fast: a 500-character report has some 450 distinct
// bigrams, and each key is a memtable insert, a tombstone when compacted
// and a step of every later RocksDB compaction.
#ifndef FAZHI_SERVICES_REPORT_SEARCH_INDEX_H_
#define FAZHI_SERVICES_REPORT_SEARCH_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/store.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/report/report_search.h"

namespace fazhi::report {

// What the index keeps of one report version.
struct IndexedReport {
  std::string report_id;  // "r2023-1", not the resource name
  std::string region;     // "regions/310113"
  int32_t year = 0;
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
  absl::string_view text;
};

// A query: every term must occur (as a phrase) in a matching document.
struct SearchQuery {
  std::vector<std::u32string> terms;                  // from search::ParseQuery
  std::string region;                                 // "" for any
  int32_t year = 0;                                   // 0 for any
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;  // for any
};

// One matching document.
struct SearchMatch {
  uint32_t doc = 0;
  std::string report_id;
  double score = 0;  // BM25; higher is better
  // Per query term, how often it occurs.
  std::vector<uint32_t> term_counts;
  // Code-point offset of the earliest occurrence of any term.
  uint32_t first_match = 0;
  // The document's length in code points (what BM25 normalizes by).
  uint32_t document_length = 0;
};

// Every match counted, the best `limit` of them ranked.
struct SearchRanking {
  // What the ranking saw; read the matching reports at it.
  std::shared_ptr<const storage::ScopedSnapshot> snapshot;
  size_t total = 0;
  // Best first: score descending, then document number ascending.
  std::vector<SearchMatch> best;
};

class ReportSearchIndex {
 public:
  // One document's positions of one bigram (what the search cursors read).
  struct WaitingPosting {
    uint32_t doc;
    std::string positions;  // EncodePositions
  };
  // Postings not yet in blocks, by bigram, each list in document order.
  struct WaitingPostings {
    absl::flat_hash_map<uint64_t, std::vector<WaitingPosting>> by_bigram;
    std::vector<uint32_t> docs;  // whose 'w' keys hold them
  };

  // Opens the index over `search` and `meta` of `store` (which must outlive
  // it), loads the document table and starts the compaction thread.
  static absl::StatusOr<std::unique_ptr<ReportSearchIndex>> Open(
      storage::Store* store, rocksdb::ColumnFamilyHandle* search,
      rocksdb::ColumnFamilyHandle* meta);
  ~ReportSearchIndex();

  // A document whose writes are staged in a batch not yet committed.
  struct StagedDocument {
    uint32_t doc = 0;
    std::optional<uint32_t> replaced_doc;
    std::string report_id, region;
    int32_t year = 0;
    v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
    uint32_t length = 0;   // code points
    std::string postings;  // the 'w' value
  };
  // Adds to `batch` the postings and document entry of `report` under the
  // next document number, and the deletion of the report's previous
  // version, if one was indexed. Callers run Stage, commit `batch`, then
  // Publish, one submission at a time.
  absl::StatusOr<StagedDocument> Stage(const IndexedReport& report, rocksdb::WriteBatch* batch);
  // Makes a committed document searchable (and its predecessor not).
  void Publish(const StagedDocument& staged);

  // The documents that match `query` now, counted, and the best `limit` of
  // them.
  absl::StatusOr<SearchRanking> Search(const SearchQuery& query, size_t limit) const;

  // Compacts every waiting posting into blocks now. The background thread
  // calls it once `compact_every` documents wait; tests and the benchmark
  // call it to reach the compacted state.
  absl::Status CompactPostings();
  // How many documents wait to be compacted (0 after CompactPostings with
  // no submission since). Their postings are held in memory: about 40 bytes
  // per (bigram, document), some 20 MB for the default 1,024 documents.
  uint64_t DocumentsAwaitingCompaction() const;
  void set_compact_every(uint64_t n) {
    absl::MutexLock lock(&compaction_state_mu_);
    compact_every_ = n;
  }

  // Stops the compaction thread (a running compaction stops after its
  // current batch); the index must not be written after.
  void Stop();

 private:
  ReportSearchIndex(storage::Store* store, rocksdb::ColumnFamilyHandle* search,
                    rocksdb::ColumnFamilyHandle* meta)
      : store_(store), search_(search), meta_(meta) {}
  absl::Status LoadDocuments();
  absl::Status LoadWaitingPostings();
  // Moves the 'b' keys of earlier versions into blocks.
  absl::Status CompactPerDocumentKeys();
  // Adds to `batch` the blocks that append `postings` (documents
  // increasing) to `bigram`'s last block, found through `last` (an iterator
  // over the 'B' keys) unless last_block_start_ knows it. Postings of
  // documents the blocks already hold are left out.
  absl::Status AppendToBlocks(uint64_t bigram, const std::vector<search::BlockEntry>& postings,
                              rocksdb::Iterator& last, rocksdb::WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(compaction_mu_);
  void CompactWhenAsked();

  // What search needs of each document, by number, in memory: loaded from
  // the 'd' keys at Open and updated by Publish. A document the reader's
  // snapshot has but the table does not yet is skipped.
  struct DocumentEntry {
    bool present = false;
    std::string report_id;
    std::string region;
    int32_t year = 0;
    int32_t kind = 0;
    uint32_t length = 0;
  };

  storage::Store* const store_;
  rocksdb::ColumnFamilyHandle* const search_;
  rocksdb::ColumnFamilyHandle* const meta_;

  mutable absl::Mutex documents_mu_;
  std::vector<DocumentEntry> documents_ ABSL_GUARDED_BY(documents_mu_);
  // Published, not yet being compacted.
  WaitingPostings waiting_ ABSL_GUARDED_BY(documents_mu_);
  // Being compacted: in blocks once the compaction commits, when it is
  // dropped (search takes a document in both once).
  std::shared_ptr<const WaitingPostings> compacting_ ABSL_GUARDED_BY(documents_mu_);
  uint64_t total_length_ ABSL_GUARDED_BY(documents_mu_) = 0;
  uint64_t document_count_ ABSL_GUARDED_BY(documents_mu_) = 0;

  absl::Mutex compaction_mu_;  // one compaction at a time
  // Each bigram's last block's first document, as compactions wrote or
  // found it: about 30 bytes per distinct bigram.
  absl::flat_hash_map<uint64_t, uint32_t> last_block_start_ ABSL_GUARDED_BY(compaction_mu_);
  mutable absl::Mutex compaction_state_mu_;
  uint64_t compact_every_ ABSL_GUARDED_BY(compaction_state_mu_) = 1024;
  bool compaction_asked_ ABSL_GUARDED_BY(compaction_state_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(compaction_state_mu_) = false;
  std::thread compactor_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_SEARCH_INDEX_H_
