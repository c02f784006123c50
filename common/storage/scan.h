// Paged range scans: the one way every List method walks a key range.
#ifndef FAZHI_COMMON_STORAGE_SCAN_H_
#define FAZHI_COMMON_STORAGE_SCAN_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// Called for each key in order; returns true when it took the entry into the
// page (a filter may skip entries by returning false).
using ScanVisitor =
    std::function<absl::StatusOr<bool>(absl::string_view key, absl::string_view value)>;

// Visits keys that start with `prefix` and sort strictly after
// `resume_after` (or from the start when it is empty), until `limit` entries
// were taken. On return `*next_resume_key` is the last taken key when more
// entries may follow, else "". `snapshot` may be null.
absl::Status ScanPage(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                      const rocksdb::Snapshot* snapshot, absl::string_view prefix,
                      absl::string_view resume_after, int limit, const ScanVisitor& visit,
                      std::string* next_resume_key);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_SCAN_H_
