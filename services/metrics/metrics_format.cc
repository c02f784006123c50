#include <string>

#include "common/status/errors.h"
#include "common/storage/sequence.h"
#include "services/metrics/metrics_keys.h"

namespace fazhi::metrics {
namespace {

// Format 1 -> 2, in one batch: the rules in force move from 'r' to 'f'
// (when a half-run left both, 'f' is the newer), and the rules-change
// counter starts after the last 'g' key.
absl::Status RenumberRules(storage::Store& store) {
  rocksdb::ColumnFamilyHandle* meta = store.family(keys::Family::kMeta);
  rocksdb::WriteBatch batch;
  auto old_in_force = store.Get(meta, keys::FormatOneRulesInForce());
  if (!old_in_force.ok()) return old_in_force.status();
  if (old_in_force->has_value()) {
    auto new_in_force = store.Get(meta, keys::RulesInForce());
    if (!new_in_force.ok()) return new_in_force.status();
    if (!new_in_force->has_value()) batch.Put(meta, keys::RulesInForce(), **old_in_force);
    batch.Delete(meta, keys::FormatOneRulesInForce());
  }
  const std::string prefix = keys::RulesChangesPrefix();
  auto it = store.NewPrefixIterator(meta, prefix, nullptr);
  it->SeekToLast();
  uint64_t last = 0;
  if (it->Valid() && it->key().starts_with(prefix)) {  // the bound is above only
    last = keys::RulesChangeSequence(absl::string_view(it->key().data(), it->key().size()));
    if (last == 0) return errors::DataLoss("a rules change key is malformed");
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "read the rules changes");
  storage::SequenceCounter counter(store, meta, keys::kRulesChangeCounter);
  batch.Put(meta, counter.Key(), storage::SequenceCounter::EncodeNext(last + 1));
  return store.Write(&batch);
}

}  // namespace

std::vector<storage::FormatMigration> MetricsMigrations() {
  return {
      {1, "the rules in force move to their own tag; rules changes get a counter", RenumberRules},
  };
}

}  // namespace fazhi::metrics
