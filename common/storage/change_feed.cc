#include "common/storage/change_feed.h"

#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"

namespace fazhi::storage {
namespace {

constexpr char kChangeTag = 'c';

}  // namespace

void ChangeNotifier::Publish(uint64_t sequence) {
  absl::MutexLock lock(&mu_);
  if (sequence <= last_committed_) return;
  last_committed_ = sequence;
  committed_.SignalAll();
}

uint64_t ChangeNotifier::last_committed() const {
  absl::MutexLock lock(&mu_);
  return last_committed_;
}

uint64_t ChangeNotifier::WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const absl::Time deadline = absl::Now() + timeout;
  while (last_committed_ <= after) {
    if (committed_.WaitWithDeadline(&mu_, deadline)) break;
  }
  return last_committed_;
}

std::string ChangeKey(uint64_t sequence) {
  return KeyBuilder(kChangeTag).AddUint64(sequence).Build();
}

absl::StatusOr<std::unique_ptr<ChangeLog>> ChangeLog::Open(Store& store,
                                                           rocksdb::ColumnFamilyHandle* cf) {
  // The last key of the tag is the last change committed.
  const std::string prefix(1, kChangeTag);
  auto it = store.NewPrefixIterator(cf, prefix, nullptr);
  it->SeekToLast();  // bounded above by the prefix's successor
  uint64_t last = 0;
  if (it->Valid() && it->key().starts_with(prefix)) {
    KeyReader reader(absl::string_view(it->key().data(), it->key().size()));
    char tag = 0;
    if (!reader.ReadTag(&tag) || !reader.ReadUint64(&last) || !reader.Done()) {
      return errors::Internal("store", "the last change key is malformed");
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "read the last change");
  return std::unique_ptr<ChangeLog>(new ChangeLog(store, cf, last));
}

void ChangeLog::Batch::Put(rocksdb::WriteBatch& batch, const std::string& record) {
  batch.Put(cf_, ChangeKey(next_), record);
  ++next_;
}

absl::Status ChangeLog::Commit(rocksdb::WriteBatch& batch, const Batch& changes) {
  if (batch.Count() == 0) return absl::OkStatus();
  absl::Status s = store_.Write(&batch);
  if (s.ok() && changes.last_sequence() > 0) notifier_.Publish(changes.last_sequence());
  return s;
}

absl::Status ChangeLog::ForEachAfter(
    uint64_t after, int limit, const std::function<absl::Status(absl::string_view)>& visit) const {
  const std::string prefix(1, kChangeTag);
  auto it = store_.NewPrefixIterator(cf_, prefix, nullptr);
  int taken = 0;
  for (it->Seek(ChangeKey(after + 1)); it->Valid() && taken < limit; it->Next(), ++taken) {
    absl::Status s = visit(absl::string_view(it->value().data(), it->value().size()));
    if (!s.ok()) return s;
  }
  return FromRocksDb(it->status(), "read changes");
}

}  // namespace fazhi::storage
