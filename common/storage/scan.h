// Paged range scans: the one way every List method walks a key range.
#ifndef FAZHI_COMMON_STORAGE_SCAN_H_
#define FAZHI_COMMON_STORAGE_SCAN_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/limits.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// Called for each key in order; returns true when it took the entry into the
// page (a filter may skip entries by returning false).
using ScanVisitor =
    std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>;

// The bytes of a List page so far: a visitor adds the encoded size of each
// record it takes to `taken`, and the page ends once `taken` reaches
// `budget` (limits::kListPageBytes), so that a page of large records still
// fits one reply. The record that crosses the budget stays in the page.
struct PageBytes {
  size_t budget = limits::kListPageBytes;
  size_t taken = 0;

  void Add(size_t bytes) { taken += bytes; }
  bool full() const { return taken >= budget; }
};

// Visits keys that start with `prefix` and sort strictly after
// `resume_after` (or from the start when it is empty), until `limit` entries
// were taken or `bytes` (when given) is full. On return `*next_resume_key`
// is the last taken key when more entries may follow, else "". `snapshot`
// may be null.
absl::Status ScanPage(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                      const rocksdb::Snapshot* snapshot, absl::string_view prefix,
                      absl::string_view resume_after, int limit, const ScanVisitor& visit,
                      std::string* next_resume_key, const PageBytes* bytes = nullptr);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_SCAN_H_
