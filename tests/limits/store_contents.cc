#include "tests/limits/store_contents.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "common/storage/audit_trail.h"
#include "rocksdb/db.h"

namespace fazhi::limits_test {

bool IsAuditKey(absl::string_view family, absl::string_view key) {
  return family == "changes" && storage::IsAuditKey(key);
}

StoreContents ReadStoreContents(const std::string& db_path, const std::string& log_dir,
                                const KeyFilter& skip) {
  StoreContents contents;
  rocksdb::Options options;
  options.db_log_dir = log_dir;
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, db_path, &names);
  EXPECT_TRUE(s.ok()) << db_path << ": " << s.ToString();
  if (!s.ok()) return contents;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(options, db_path, families, &handles, &raw);
  EXPECT_TRUE(s.ok()) << db_path << ": " << s.ToString();
  if (!s.ok()) return contents;
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < handles.size(); ++i) {
    auto& family = contents[names[i]];
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string key = it->key().ToString();
      if (skip && skip(names[i], key)) continue;
      family[key] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  return contents;
}

}  // namespace fazhi::limits_test
