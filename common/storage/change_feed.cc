#include "common/storage/change_feed.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/scan.h"
#include "common/storage/varint.h"

namespace fazhi::storage {
namespace {

constexpr char kChangeTag = 'c';
constexpr char kResourceTag = 'h';
// First byte of a value holding a write's records (see the header).
constexpr char kGroupMarker = '\0';

// Visits the records of the value stored under the key of change `last`
// whose sequence is above `after`, while `taken` stays below `limit`.
absl::Status VisitValue(absl::string_view value, uint64_t last, uint64_t after, int limit,
                        int& taken, const ChangeLog::RecordVisitor& visit) {
  if (value.empty() || value.front() != kGroupMarker) {
    ++taken;
    return visit(last, value);  // one record, numbered `last` (> after: the seek)
  }
  value.remove_prefix(1);
  uint64_t count = 0;
  if (!ReadVarint(value, &count) || count == 0 || count > last) {
    return errors::DataLoss(absl::StrCat("change record group ", last, " is malformed"));
  }
  for (uint64_t sequence = last - count + 1; sequence <= last && taken < limit; ++sequence) {
    uint64_t length = 0;
    if (!ReadVarint(value, &length) || length > value.size()) {
      return errors::DataLoss(absl::StrCat("change record group ", last, " is malformed"));
    }
    const absl::string_view record = value.substr(0, length);
    value.remove_prefix(length);
    if (sequence <= after) continue;
    ++taken;
    if (absl::Status s = visit(sequence, record); !s.ok()) return s;
  }
  return absl::OkStatus();
}

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

std::string ResourceChangeKey(absl::string_view resource, uint64_t sequence) {
  return KeyBuilder(kResourceTag).AddString(resource).AddUint64(sequence).Build();
}

std::string ResourceChangesPrefix(absl::string_view resource) {
  return KeyBuilder(kResourceTag).AddString(resource).Build();
}

absl::StatusOr<std::unique_ptr<ChangeLog>> ChangeLog::Open(Store& store,
                                                           rocksdb::ColumnFamilyHandle* cf,
                                                           Options options) {
  // The last key of the tag is the last change committed.
  const std::string prefix(1, kChangeTag);
  auto it = store.NewPrefixIterator(cf, prefix, nullptr);
  it->SeekToLast();  // bounded above by the prefix's successor
  uint64_t last = 0;
  if (it->Valid() && it->key().starts_with(prefix)) {
    KeyReader reader(absl::string_view(it->key().data(), it->key().size()));
    char tag = 0;
    if (!reader.ReadTag(&tag) || !reader.ReadUint64(&last) || !reader.Done()) {
      return errors::DataLoss("the last change key is malformed");
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "read the last change");
  std::unique_ptr<AuditTrail> audit;
  if (options.audited_records != nullptr) {
    auto opened = AuditTrail::Open(store, AuditTrail::Options{cf, options.audited_records,
                                                              options.name_record, options.clock});
    if (!opened.ok()) return opened.status();
    audit = *std::move(opened);
  }
  return std::unique_ptr<ChangeLog>(
      new ChangeLog(store, cf, std::move(options), last, std::move(audit)));
}

void ChangeLog::Batch::Append(const std::string& record) {
  AppendVarint(records_, record.size());
  records_ += record;
  ++next_;
}

absl::Status ChangeLog::Commit(rocksdb::WriteBatch& batch, const Batch& changes) {
  if (changes.last_sequence() > 0) {
    std::string value(1, kGroupMarker);
    AppendVarint(value, changes.next_ - changes.first_);
    value += changes.records_;
    batch.Put(cf_, ChangeKey(changes.last_sequence()), value);
    for (const auto& [resource, sequence] : changes.resources_) {
      batch.Put(cf_, ResourceChangeKey(resource, sequence), "");
    }
  }
  if (batch.Count() == 0) return absl::OkStatus();
  const uint64_t first = changes.last_sequence() > 0 ? changes.first_ : 0;
  absl::Status s = audit_ != nullptr
                       ? audit_->Write(batch, changes.caller_, first, changes.last_sequence())
                       : store_.Write(&batch);
  if (s.ok() && changes.last_sequence() > 0) notifier_.Publish(changes.last_sequence());
  return s;
}

absl::Status ChangeLog::ForEachAfter(uint64_t after, int limit, const RecordVisitor& visit,
                                     const rocksdb::Snapshot* snapshot) const {
  const std::string prefix(1, kChangeTag);
  auto it = store_.NewPrefixIterator(cf_, prefix, snapshot);
  int taken = 0;
  for (it->Seek(ChangeKey(after + 1)); it->Valid() && taken < limit; it->Next()) {
    KeyReader reader(absl::string_view(it->key().data(), it->key().size()));
    char tag = 0;
    uint64_t last = 0;
    if (!reader.ReadTag(&tag) || !reader.ReadUint64(&last) || !reader.Done()) {
      return errors::DataLoss("a change key is malformed");
    }
    absl::Status s = VisitValue(absl::string_view(it->value().data(), it->value().size()), last,
                                after, limit, taken, visit);
    if (!s.ok()) return s;
  }
  return FromRocksDb(it->status(), "read changes");
}

absl::Status ChangeLog::ForEachOfResource(absl::string_view resource,
                                          absl::string_view resume_after, int limit,
                                          const rocksdb::Snapshot* snapshot,
                                          std::string* next_resume_key,
                                          const RecordVisitor& visit) const {
  PageBytes page_bytes;
  return ScanPage(
      store_, cf_, snapshot, ResourceChangesPrefix(resource), resume_after, limit,
      [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
        KeyReader reader(key);
        char tag = 0;
        std::string name;
        uint64_t sequence = 0;
        if (!reader.ReadTag(&tag) || !reader.ReadString(&name) || !reader.ReadUint64(&sequence) ||
            !reader.Done() || sequence == 0) {
          return errors::DataLoss("a resource change key is malformed");
        }
        // The one change numbered `sequence`, from the write that holds it.
        int found = 0;
        absl::Status s = ForEachAfter(
            sequence - 1, 1,
            [&](uint64_t logged, absl::string_view record) {
              if (logged != sequence) return absl::OkStatus();
              ++found;
              page_bytes.Add(record.size());
              return visit(logged, record);
            },
            snapshot);
        if (!s.ok()) return s;
        if (found == 0) {
          return errors::DataLoss(
              absl::StrCat("change ", sequence, " of ", resource, " is indexed but not logged"));
        }
        return true;
      },
      next_resume_key, &page_bytes);
}

}  // namespace fazhi::storage
