// Change feeds: what a service's WatchChanges stream serves.
//
// Every write that changes data logs its changes in the same WriteBatch as
// the data, so a crash never keeps a change without its data or data without
// its change. Changes are numbered 1, 2, ... in commit order: the store hands
// sequences out under its write mutex and publishes them, after the write,
// to the ChangeNotifier that watchers wait on.
//
// ChangeLog keeps a log in a column family of its own ("changes"), one key
// per write that logged changes, named by the write's last change
// (key_codec.h):
//
//   'c' | last sequence u64 BE         63 | 00 00 00 00 00 00 00 2a   (42)
//
// and numbers from the last key stored, so sequences continue after a
// restart. Each change is the service's own change record: a storage proto
// with `format_version` and a `change` field whose message has an int64
// `sequence` and a string `resource`. The value holds the write's records in order:
//
//   00 | count varint | (length varint | record) x count
//
// so a bulk write of a thousand changes adds one key, not a thousand, and
// the records of the key for sequence L are L - count + 1 .. L. Reading
// after S seeks to the first key above S: the write that holds S + 1. A
// value that does not start with 00 is one record on its own, the change
// numbered by its key (the layout before writes were grouped; a record
// never starts with 00, as protobuf has no field 0).
//
// A log opened with `index_by_resource` also keeps, in the same family and
// the same batch, one key per change naming the resource it changed, so a
// record's history is one prefix scan (ChangesOfResource):
//
//   'h' | resource escaped | 00 01 | sequence u64 BE -> ""
//   68  | "projects/x" 00 01 | 00 00 00 00 00 00 00 2a
#ifndef FAZHI_COMMON_STORAGE_CHANGE_FEED_H_
#define FAZHI_COMMON_STORAGE_CHANGE_FEED_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/audit_trail.h"
#include "common/storage/records.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// The last committed change sequence of one store, and waiting for a later
// one. Thread-safe.
class ChangeNotifier {
 public:
  explicit ChangeNotifier(uint64_t last_committed = 0) : last_committed_(last_committed) {}
  ChangeNotifier(const ChangeNotifier&) = delete;
  ChangeNotifier& operator=(const ChangeNotifier&) = delete;

  // Records that changes up to `sequence` are durably written and wakes
  // every waiter. A sequence at or below the last committed one is ignored.
  void Publish(uint64_t sequence);

  uint64_t last_committed() const;

  // Blocks until a sequence above `after` is committed or `timeout` passes;
  // returns the last committed sequence.
  uint64_t WaitForChangeAfter(uint64_t after, absl::Duration timeout) const;

 private:
  mutable absl::Mutex mu_;
  mutable absl::CondVar committed_;
  uint64_t last_committed_ ABSL_GUARDED_BY(mu_);
};

// The key of change `sequence` in a ChangeLog's column family.
std::string ChangeKey(uint64_t sequence);
// The resource index key of change `sequence` of `resource`, and the prefix
// of every such key of `resource`.
std::string ResourceChangeKey(absl::string_view resource, uint64_t sequence);
std::string ResourceChangesPrefix(absl::string_view resource);

// The change type of a change record type (the type of its `change` field).
template <typename Record>
using ChangeOf = std::decay_t<decltype(std::declval<const Record&>().change())>;

// A change log in its own column family (see the file comment).
class ChangeLog {
 public:
  struct Options {
    // Keep the 'h' resource index (see the file comment).
    bool index_by_resource = false;
    // Keep the audit trail (audit_trail.h) in the same family: every
    // Commit then writes its caller's entry in the same batch. The store's
    // records family and their names; unset: no trail.
    rocksdb::ColumnFamilyHandle* audited_records = nullptr;
    RecordNamer name_record;
    Clock clock = SystemClock();
  };

  // The log kept in `cf` of `store` (both outlive it); reads the last
  // sequence stored so that numbering continues.
  static absl::StatusOr<std::unique_ptr<ChangeLog>> Open(Store& store,
                                                         rocksdb::ColumnFamilyHandle* cf,
                                                         Options options);
  static absl::StatusOr<std::unique_ptr<ChangeLog>> Open(Store& store,
                                                         rocksdb::ColumnFamilyHandle* cf) {
    return Open(store, cf, Options());
  }

  // The changes one write logs, and who makes the write. Start it under the
  // store's write mutex and hold the mutex until Commit, so that sequences
  // follow commit order and a failed write hands its numbers to the next
  // one.
  class Batch {
   public:
    // Logs `change` as a `Record` under the next sequence, which it sets in
    // the change (Record: format_version and change, see above). Commit
    // writes what was logged.
    template <typename Record>
    void Log(ChangeOf<Record> change) {
      change.set_sequence(static_cast<int64_t>(next_));
      if (index_by_resource_) resources_.emplace_back(change.resource(), next_);
      Record record;
      record.set_format_version(kRecordFormatVersion);
      *record.mutable_change() = std::move(change);
      Append(record.SerializeAsString());
    }
    // The last sequence logged, 0 when none.
    uint64_t last_sequence() const { return next_ == first_ ? 0 : next_ - 1; }
    const Caller& caller() const { return caller_; }
    void set_caller(Caller caller) { caller_ = std::move(caller); }

   private:
    friend class ChangeLog;
    Batch(uint64_t first, bool index_by_resource, Caller caller)
        : first_(first),
          next_(first),
          index_by_resource_(index_by_resource),
          caller_(std::move(caller)) {}
    void Append(const std::string& record);

    uint64_t first_;
    uint64_t next_;
    bool index_by_resource_;
    std::string records_;  // (length varint | record) per change logged
    std::vector<std::pair<std::string, uint64_t>> resources_;  // resource, sequence
    Caller caller_;
  };

  // A write made by `caller` (the server itself when not said).
  Batch StartBatch(Caller caller = Caller()) const {
    return Batch(notifier_.last_committed() + 1, options_.index_by_resource, std::move(caller));
  }

  // Adds the changes logged in `changes` (and, with a trail, its caller's
  // audit entry) to `batch`, writes it (synced per the store's options)
  // and, when it is written and `changes` logged any, publishes them to
  // watchers. A batch with nothing in it writes nothing.
  absl::Status Commit(rocksdb::WriteBatch& batch, const Batch& changes);

  // Up to `limit` changes with a sequence above `after`, in order, each read
  // as a `Record`.
  template <typename Record>
  absl::StatusOr<std::vector<ChangeOf<Record>>> ChangesAfter(uint64_t after, int limit) const {
    std::vector<ChangeOf<Record>> out;
    absl::Status s = ForEachAfter(after, limit, AppendTo<Record>(out));
    if (!s.ok()) return s;
    return out;
  }

  // One page of the changes of `resource`, oldest first (a log opened with
  // `index_by_resource`; else an empty page), read at `snapshot` (may be
  // null). Resumes after the index key `resume_after` ("" from the start);
  // `*next_resume_key` is set as by ScanPage (scan.h).
  template <typename Record>
  absl::StatusOr<std::vector<ChangeOf<Record>>> ChangesOfResource(
      absl::string_view resource, absl::string_view resume_after, int limit,
      const rocksdb::Snapshot* snapshot, std::string* next_resume_key) const {
    std::vector<ChangeOf<Record>> out;
    absl::Status s = ForEachOfResource(resource, resume_after, limit, snapshot, next_resume_key,
                                       AppendTo<Record>(out));
    if (!s.ok()) return s;
    return out;
  }

  // Blocks until a change above `after` is committed or `timeout` passes.
  uint64_t WaitForChangeAfter(uint64_t after, absl::Duration timeout) const {
    return notifier_.WaitForChangeAfter(after, timeout);
  }
  uint64_t last_committed() const { return notifier_.last_committed(); }

  // The audit trail kept beside the changes; null when the log keeps none.
  AuditTrail* audit() const { return audit_.get(); }

  // Called with each change's sequence and its record's bytes.
  using RecordVisitor = std::function<absl::Status(uint64_t sequence, absl::string_view record)>;

 private:
  // A visitor that reads each record as a `Record` and appends its change.
  template <typename Record>
  static RecordVisitor AppendTo(std::vector<ChangeOf<Record>>& out) {
    return [&out](uint64_t, absl::string_view bytes) -> absl::Status {
      auto record = ParseRecord<Record>(bytes, "change record");
      if (!record.ok()) return record.status();
      out.push_back(record->change());
      return absl::OkStatus();
    };
  }

  ChangeLog(Store& store, rocksdb::ColumnFamilyHandle* cf, Options options, uint64_t last,
            std::unique_ptr<AuditTrail> audit)
      : store_(store),
        cf_(cf),
        options_(std::move(options)),
        notifier_(last),
        audit_(std::move(audit)) {}
  absl::Status ForEachAfter(uint64_t after, int limit, const RecordVisitor& visit,
                            const rocksdb::Snapshot* snapshot = nullptr) const;
  absl::Status ForEachOfResource(absl::string_view resource, absl::string_view resume_after,
                                 int limit, const rocksdb::Snapshot* snapshot,
                                 std::string* next_resume_key, const RecordVisitor& visit) const;

  Store& store_;
  rocksdb::ColumnFamilyHandle* cf_;
  Options options_;
  ChangeNotifier notifier_;
  std::unique_ptr<AuditTrail> audit_;
};

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_CHANGE_FEED_H_
