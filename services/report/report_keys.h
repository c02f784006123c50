// The report store's column families, key layout and store formats. Keys are
// built by common/storage/key_codec.h (a tag byte, strings escaped and ended
// with 00 01, integers big-endian so they sort numerically); each tag means
// one thing in the whole store.
//
//   records   'p' report_id                          -> ReportRecord (latest version)
//             'v' report_id, version(u32)            -> ReportRecord (every version,
//                                                       the latest included)
//   indexes   'r' region code, year(u32), report_id  -> ""  by region
//             'f' filer unit id, year(u32), report_id -> "" by filer
//             'k' filer unit id, year(u32), kind(u32) -> report_id: what a
//                                                       resubmission versions
//   requests  'q' request_id                         -> report_id [0x00 version]
//   meta      's' "report", 's' "search_doc"         -> counters (common/storage/sequence.h)
//             'V' "format"                           -> store format (store_format.h)
//   search    the search index's postings and documents (search_index.h)
//   changes   'c' last sequence(u64)                 -> the write's ChangeRecords: the
//                                                       WatchChanges log (change_feed.h)
//
//   'v' key:  | 'v' | report_id escaped | 00 01 | version u32 BE |
//   'k' key:  | 'k' | unit id escaped   | 00 01 | year u32 BE | kind u32 BE |
//
// The request value is the report id, a 0x00 byte and the version in decimal;
// values written before versions existed hold the id alone (version 1).
//
// Store formats (kStoreFormat):
//   1  search postings written as one 'b' key per (bigram, document), folded
//      into 'B' blocks by a background thread; no 'V' stamp.
//   2  search postings written as one 'w' key per document (search_index.h);
//      a format 1 server would not see them. Moving to 2 rewrites nothing
//      before the index opens: ReportSearchIndex::Open compacts any 'b' keys
//      left by format 1 into blocks, at every open, so a store that was cut
//      short in that step finishes it at the next one.
#ifndef FAZHI_SERVICES_REPORT_REPORT_KEYS_H_
#define FAZHI_SERVICES_REPORT_REPORT_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/storage/families.h"
#include "common/storage/store_format.h"

namespace fazhi::report::keys {

enum class Family : size_t { kRecords = 1, kIndexes, kRequests, kMeta, kSearch, kChanges };
inline constexpr storage::FamilyTable<Family, 6> kFamilies = {{
    {Family::kRecords, "records"},
    {Family::kIndexes, "indexes"},
    {Family::kRequests, "requests"},
    {Family::kMeta, "meta"},
    {Family::kSearch, "search"},
    {Family::kChanges, "changes"},
}};
static_assert(storage::InHandleOrder(kFamilies));

inline constexpr uint32_t kStoreFormat = 2;

}  // namespace fazhi::report::keys

namespace fazhi::report {

// One step per format below keys::kStoreFormat, for storage::UpgradeFormat.
inline std::vector<storage::FormatMigration> ReportMigrations() {
  return {
      {1,
       "search postings move to one key per document; the search index compacts the old "
       "per-bigram keys into blocks when it opens",
       [](storage::Store&) { return absl::OkStatus(); }},
  };
}

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_KEYS_H_
