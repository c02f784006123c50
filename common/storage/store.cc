#include "common/storage/store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_buffer_manager.h"

namespace fazhi::storage {

absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() || status.IsIOError()) {
    return errors::Unavailable("STORE_UNAVAILABLE", message);
  }
  if (status.IsCorruption()) return errors::DataLoss(message);
  return errors::Internal("store", message);
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (!options.page_token_key_file.empty()) {
    if (absl::Status s = LoadPageTokenKeyFile(options.page_token_key_file); !s.ok()) return s;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return errors::Unavailable("STORE_UNAVAILABLE",
                               absl::StrCat("cannot create ", options.path, ": ", ec.message()));
  }

  // One budget: a third for the block cache proper, a quarter for memtables
  // (charged to the same cache), the rest left for indexes and iterators.
  const uint64_t budget = std::max<uint64_t>(options.memory_budget_bytes, 16ull << 20);
  auto cache = rocksdb::NewLRUCache(budget / 3 + budget / 4);
  auto write_buffers = std::make_shared<rocksdb::WriteBufferManager>(budget / 4, cache);

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;

  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  const size_t families = options.column_families.size() + 1;
  cf_options.write_buffer_size =
      std::clamp<uint64_t>(budget / 4 / (2 * families), 1ull << 20, 64ull << 20);
  cf_options.compression = rocksdb::kLZ4Compression;
  // A bloom filter over each memtable's whole keys: a point read of a key
  // the memtable lacks (every new observation's "is it there already?")
  // skips the skip-list search.
  cf_options.memtable_prefix_bloom_size_ratio = 0.05;
  cf_options.memtable_whole_key_filtering = true;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.write_buffer_manager = write_buffers;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (const auto& name : options.column_families) descriptors.emplace_back(name, cf_options);

  auto store = std::unique_ptr<Store>(new Store());
  store->options_ = options;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.path, descriptors, &store->handles_, &raw);
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("open ", options.path));
  store->db_.reset(raw);
  return store;
}

Store::~Store() { (void)Close(); }

absl::StatusOr<bool> Store::Empty() const {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    if (it->Valid()) return false;
    if (!it->status().ok()) return FromRocksDb(it->status(), "check whether the store is empty");
  }
  return true;
}

absl::StatusOr<std::optional<std::string>> Store::Get(rocksdb::ColumnFamilyHandle* cf,
                                                      absl::string_view key,
                                                      const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(read, cf, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksDb(s, "read");
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions write;
  write.sync = options_.sync_writes;
  return FromRocksDb(db_->Write(write, batch), "write");
}

std::unique_ptr<rocksdb::Iterator> Store::NewPrefixIterator(
    rocksdb::ColumnFamilyHandle* cf, absl::string_view prefix,
    const rocksdb::Snapshot* snapshot) const {
  // The upper bound must outlive the iterator: it is owned by the iterator's
  // cleanup.
  struct Bound {
    std::string key;
    rocksdb::Slice slice;
  };
  auto* bound = new Bound{PrefixSuccessor(prefix), rocksdb::Slice()};
  bound->slice = rocksdb::Slice(bound->key);
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  if (!bound->key.empty()) read.iterate_upper_bound = &bound->slice;
  rocksdb::Iterator* it = db_->NewIterator(read, cf);
  it->RegisterCleanup([](void* arg, void*) { delete static_cast<Bound*>(arg); }, bound, nullptr);
  return std::unique_ptr<rocksdb::Iterator>(it);
}

absl::Status Store::Checkpoint(const std::string& dir) const {
  rocksdb::Checkpoint* checkpoint = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &checkpoint);
  if (!s.ok()) return FromRocksDb(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> owned(checkpoint);
  return FromRocksDb(owned->CreateCheckpoint(dir), absl::StrCat("checkpoint to ", dir));
}

absl::Status Store::Close() {
  if (!db_) return absl::OkStatus();
  absl::Status status = FromRocksDb(db_->SyncWAL(), "sync WAL");
  for (auto* handle : handles_) {
    absl::Status s = FromRocksDb(db_->DestroyColumnFamilyHandle(handle), "close column family");
    if (status.ok()) status = s;
  }
  handles_.clear();
  absl::Status s = FromRocksDb(db_->Close(), "close");
  if (status.ok()) status = s;
  db_.reset();
  return status;
}

}  // namespace fazhi::storage
