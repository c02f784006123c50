#include "common/storage/records.h"

#include "common/storage/key_codec.h"

namespace fazhi::storage {

absl::StatusOr<uint64_t> PeekSequence(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                                      absl::string_view name) {
  auto current = store.Get(cf, KeyBuilder('s').AddString(name).Build());
  if (!current.ok()) return current.status();
  uint64_t next = 1;
  if (current->has_value() && !KeyReader(**current).ReadUint64(&next)) {
    return errors::Internal("store", absl::StrCat("counter ", name, " is unreadable"));
  }
  return next;
}

absl::StatusOr<uint64_t> TakeSequence(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                                      absl::string_view name, rocksdb::WriteBatch* batch) {
  const std::string key = KeyBuilder('s').AddString(name).Build();
  auto peeked = PeekSequence(store, cf, name);
  if (!peeked.ok()) return peeked.status();
  const uint64_t next = *peeked;
  // The value is the next number, 8 bytes big-endian (a key component).
  batch->Put(cf, key, KeyBuilder('\0').AddUint64(next + 1).Build().substr(1));
  return next;
}

absl::StatusOr<uint64_t> TakeFreeSequence(
    const Store& store, rocksdb::ColumnFamilyHandle* cf, absl::string_view name,
    const std::function<absl::StatusOr<bool>(uint64_t)>& taken, rocksdb::WriteBatch* batch) {
  auto first = TakeSequence(store, cf, name, batch);
  if (!first.ok()) return first.status();
  for (uint64_t n = *first; n < *first + 10000; ++n) {
    auto is_taken = taken(n);
    if (!is_taken.ok()) return is_taken.status();
    if (!*is_taken) {
      // Later numbers start after the one handed out.
      batch->Put(cf, KeyBuilder('s').AddString(name).Build(),
                 KeyBuilder('\0').AddUint64(n + 1).Build().substr(1));
      return n;
    }
  }
  return errors::Internal("store", absl::StrCat("counter ", name, " found no free number"));
}

}  // namespace fazhi::storage
