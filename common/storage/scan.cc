#include "common/storage/scan.h"

#include "absl/strings/match.h"

namespace fazhi::storage {

absl::Status ScanPage(const Store& store, rocksdb::ColumnFamilyHandle* cf,
                      const rocksdb::Snapshot* snapshot, absl::string_view prefix,
                      absl::string_view resume_after, int limit, const ScanVisitor& visit,
                      std::string* next_resume_key, const PageBytes* bytes) {
  next_resume_key->clear();
  auto it = store.NewPrefixIterator(cf, prefix, snapshot);
  // Start at the prefix, or just after the resume key when that lies inside
  // or beyond it (a resume key before the prefix cannot skip anything).
  if (resume_after < prefix) {
    it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  } else {
    it->Seek(rocksdb::Slice(resume_after.data(), resume_after.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(resume_after.data(), resume_after.size())) {
      it->Next();
    }
  }
  int taken = 0;
  std::string last;
  for (; it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (!absl::StartsWith(key, prefix)) break;
    if (taken == limit || (bytes != nullptr && bytes->full())) {
      *next_resume_key = last;
      return absl::OkStatus();
    }
    auto took = visit(key, absl::string_view(it->value().data(), it->value().size()));
    if (!took.ok()) return took.status();
    if (*took) {
      ++taken;
      last.assign(key.data(), key.size());
    }
  }
  return FromRocksDb(it->status(), "scan");
}

}  // namespace fazhi::storage
