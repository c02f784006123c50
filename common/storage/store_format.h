// Store format versions: which layout of keys and records a store's data is
// in, recorded in the store itself so that a server never misreads data
// written by another version of itself.
//
// The version is kept in the store's meta family:
//
//   'V' | "format" 00 01                 -> u32 big-endian
//   56  | 66 6f 72 6d 61 74 00 01        -> 00 00 00 02            (format 2)
//
// A server knows its `current` version and the migrations that bring each
// older version one step up. At open:
//   - an empty store is stamped `current`;
//   - a store with data but no stamp was written before stamps existed:
//     it is format 1;
//   - a newer version than `current` is refused (FAILED_PRECONDITION): the
//     operator runs a newer server or restores a backup made by this one;
//   - an older version is migrated in place, step by step; each step's
//     version is stamped, synced, once the step is written.
//
// A migration may write in several batches, and a crash can stop it between
// two of them: it runs again at the next open, from the same version, so a
// migration must be idempotent (finish what a half-run step left).
#ifndef FAZHI_COMMON_STORAGE_STORE_FORMAT_H_
#define FAZHI_COMMON_STORAGE_STORE_FORMAT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// One step: from format `from` to `from + 1`.
struct FormatMigration {
  uint32_t from;
  // What the step changes, for the log ("the change log moves to ...").
  std::string what;
  std::function<absl::Status(Store&)> run;
};

// The key of the format stamp in a meta family.
std::string FormatVersionKey();

// The stamped version; 0 when the store has none.
absl::StatusOr<uint32_t> ReadFormatVersion(const Store& store, rocksdb::ColumnFamilyHandle* meta);

// Brings `store` (named `store_name` in messages) to format `current`, as the
// file comment says. `migrations` must hold one step for every version from
// 1 up to current - 1.
absl::Status UpgradeFormat(Store& store, rocksdb::ColumnFamilyHandle* meta,
                           absl::string_view store_name, uint32_t current,
                           const std::vector<FormatMigration>& migrations);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_STORE_FORMAT_H_
