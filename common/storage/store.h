// The storage engine every service uses: one RocksDB per service instance,
// with the column families the service declares once, in order.
//
// Durability (the same for every service unless its README says otherwise):
// the WAL is always on; every acknowledged write is fsynced before Write()
// returns when `sync_writes` is true (the default), so a crash loses no
// acknowledged write. Close() syncs the WAL and closes the DB.
//
// Memory: the block cache and the memtables are sized from one budget
// (`memory_budget_bytes`, normally the container's memory limit share), and
// the memtables are charged to the cache so the two together stay inside it.
#ifndef FAZHI_COMMON_STORAGE_STORE_H_
#define FAZHI_COMMON_STORAGE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/families.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"

namespace fazhi::storage {

struct StoreOptions {
  // Directory of the database; created when missing.
  std::string path;
  // Column families after "default", in a fixed order: index i of this list
  // is handle i + 1 of the store (handle 0 is "default"). Stores fill it from
  // their FamilyTable (families.h).
  std::vector<std::string> column_families;
  // Block cache plus memtables, bytes.
  uint64_t memory_budget_bytes = 256ull << 20;
  // fsync the WAL on every write (see the file comment).
  bool sync_writes = true;
  // When set, the page token key of the process is read from this file at
  // open (page_token.h); else a random key per process.
  std::string page_token_key_file;
};

// Converts a RocksDB status, once, at the storage boundary. `context` says
// what was being done ("open /var/catalogue").
absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context);

// Thread-safe: RocksDB is; this class adds no state of its own after Open.
class Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The handle of a column family, named by the store's Family enum
  // (families.h): its value is the handle index, 0 being "default".
  template <typename Family>
  rocksdb::ColumnFamilyHandle* family(Family family) const {
    return handles_.at(static_cast<size_t>(family));
  }
  rocksdb::DB* db() const { return db_.get(); }

  // The value at `key`, or nullopt. `snapshot` may be null (latest).
  absl::StatusOr<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* cf,
                                                 absl::string_view key,
                                                 const rocksdb::Snapshot* snapshot = nullptr) const;

  // Applies `batch` atomically, synced per StoreOptions::sync_writes.
  absl::Status Write(rocksdb::WriteBatch* batch);

  // An iterator over keys starting with `prefix`, positioned nowhere (call
  // Seek). `snapshot` may be null.
  std::unique_ptr<rocksdb::Iterator> NewPrefixIterator(rocksdb::ColumnFamilyHandle* cf,
                                                       absl::string_view prefix,
                                                       const rocksdb::Snapshot* snapshot) const;

  // True when no column family holds a key (a new store).
  absl::StatusOr<bool> Empty() const;

  // Writes a consistent copy of the DB to `dir` (hard links where possible).
  absl::Status Checkpoint(const std::string& dir) const;

  // Syncs the WAL and closes the DB. Idempotent; the destructor calls it.
  absl::Status Close();

 private:
  Store() = default;

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Holds one snapshot for a multi-key read and releases it on destruction.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(const Store& store)
      : db_(store.db()), snapshot_(store.db()->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;

  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_STORE_H_
