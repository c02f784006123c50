#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/change_feed.h"
#include "common/storage/sequence.h"
#include "services/catalogue/catalogue_keys.h"

namespace fazhi::catalogue {
namespace {

// Keys moved per batch: bounds the memory a large log's migration takes.
constexpr int kMovesPerBatch = 10000;

// Format 1 -> 2: each 'g' change moves to the common log's 'c' key of the
// same sequence, its value unchanged (a lone record is what the common log
// reads for a key without a group marker). The 'h' index already has the
// common layout. The "change" counter goes last: the common log numbers
// from its last key, which is the counter's last number. A run cut short
// by a crash leaves some 'g' keys, moved by the next run.
absl::Status MoveChangeLog(storage::Store& store) {
  rocksdb::ColumnFamilyHandle* changes = store.family(keys::Family::kChanges);
  const std::string prefix = keys::FormatOneChangePrefix();
  for (;;) {
    rocksdb::WriteBatch batch;
    auto it = store.NewPrefixIterator(changes, prefix, nullptr);
    int moved = 0;
    for (it->Seek(prefix); it->Valid() && moved < kMovesPerBatch; it->Next(), ++moved) {
      const absl::string_view key(it->key().data(), it->key().size());
      const uint64_t sequence = keys::FormatOneChangeSequence(key);
      if (sequence == 0) return errors::DataLoss("a format 1 change key is malformed");
      batch.Put(changes, storage::ChangeKey(sequence), it->value());
      batch.Delete(changes, it->key());
    }
    if (!it->status().ok()) return storage::FromRocksDb(it->status(), "read the format 1 log");
    if (moved == 0) break;
    if (absl::Status s = store.Write(&batch); !s.ok()) return s;
  }
  rocksdb::WriteBatch drop_counter;
  drop_counter.Delete(
      store.family(keys::Family::kMeta),
      storage::SequenceCounter(store, store.family(keys::Family::kMeta), "change").Key());
  return store.Write(&drop_counter);
}

}  // namespace

std::vector<storage::FormatMigration> CatalogueMigrations() {
  return {
      {1, "the change log moves to the common layout (common/storage/change_feed.h)",
       MoveChangeLog},
  };
}

}  // namespace fazhi::catalogue
