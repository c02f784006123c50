// Reading and numbering a service's storage records.
//
// Every record a service writes is one of its own protos with a
// `format_version` field (1 today); a reader refuses versions it does not
// know rather than misreading them.
#ifndef FAZHI_COMMON_STORAGE_RECORDS_H_
#define FAZHI_COMMON_STORAGE_RECORDS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// The storage format every service writes today.
inline constexpr uint32_t kRecordFormatVersion = 1;

// Parses `bytes` as a Record (a proto with `format_version`). `what` names
// it in errors ("project record").
template <typename Record>
absl::StatusOr<Record> ParseRecord(absl::string_view bytes, absl::string_view what) {
  Record record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return errors::Internal("store", absl::StrCat("unreadable ", what));
  }
  if (record.format_version() != kRecordFormatVersion) {
    return errors::Internal("store",
                            absl::StrCat(what, " has format version ", record.format_version(),
                                         "; this server reads ", kRecordFormatVersion));
  }
  return record;
}

// Takes the next number of the counter `name` (1, 2, ...) kept in `cf`
// under 's' name, and adds the increment to `batch`. The caller holds its
// store's write lock, so two writers never take the same number.
absl::StatusOr<uint64_t> TakeSequence(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                                      absl::string_view name, rocksdb::WriteBatch* batch);

// The number TakeSequence would hand out next (1 for a new counter).
absl::StatusOr<uint64_t> PeekSequence(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                                      absl::string_view name);

// Like TakeSequence, but skips numbers for which `taken(n)` is true (an id a
// client chose itself), so a generated id never collides with a chosen one.
// Gives up with INTERNAL after 10,000 taken numbers in a row.
absl::StatusOr<uint64_t> TakeFreeSequence(
    const Store& store, rocksdb::ColumnFamilyHandle* cf, absl::string_view name,
    const std::function<absl::StatusOr<bool>(uint64_t)>& taken, rocksdb::WriteBatch* batch);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_RECORDS_H_
