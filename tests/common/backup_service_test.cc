// BackupService over gRPC on a real RocksDB: a backup is a store that opens
// and holds exactly what was written before it.
#include "common/server/backup_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "rocksdb/write_batch.h"
#include "tests/testing/test_env.h"

namespace fazhi::server {
namespace {

namespace av1 = fazhi::admin::v1;
using Stub = av1::BackupService::Stub;

storage::StoreOptions OneFamily(const std::string& dir) {
  storage::StoreOptions options = testing::TestStoreOptions(dir);
  options.column_families = {"records"};
  return options;
}

absl::Status Put(storage::Store& store, const std::string& key) {
  rocksdb::WriteBatch batch;
  batch.Put(store.family(1), key, "v");
  return store.Write(&batch);
}

bool Has(const storage::Store& store, const std::string& key) {
  auto value = store.Get(store.family(1), key);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() && value->has_value();
}

TEST(BackupServiceTest, BackupsOpenAsTheStoreWasAndAreListedNewestFirst) {
  testing::TempDir root;
  const std::string data = root.path() + "/db";
  auto store = storage::Store::Open(OneFamily(data));
  ASSERT_TRUE(store.ok()) << store.status();
  BackupServiceImpl service(store->get(), "catalogue", DefaultBackupDir(data),
                            testing::TestAuthorizer(), /*trail=*/nullptr);
  auto server = testing::StartInProcess(&service, "fazhi.admin.v1.BackupService");
  auto stub = av1::BackupService::NewStub(testing::Connect(server->target()));

  av1::ListBackupsResponse none;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &Stub::ListBackups, av1::ListBackupsRequest(), &none).ok());
  EXPECT_EQ(none.backups_size(), 0);

  ASSERT_TRUE(Put(**store, "before").ok());
  av1::Backup first;
  absl::Status created =
      testing::CallUnary(stub.get(), &Stub::CreateBackup, av1::CreateBackupRequest(), &first);
  ASSERT_TRUE(created.ok()) << created;
  // The path is relative to the backup directory: the server's file system
  // layout is not shown to callers.
  EXPECT_EQ(first.path(), first.name().substr(std::string("backups/").size()));
  EXPECT_TRUE(std::filesystem::is_directory(root.path() + "/backups/" + first.path()));
  EXPECT_EQ(first.name().rfind("backups/catalogue-", 0), 0u) << first.name();
  EXPECT_GT(first.size_bytes(), 0);
  EXPECT_GT(first.create_time().seconds(), 0);

  ASSERT_TRUE(Put(**store, "after").ok());
  av1::Backup second;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &Stub::CreateBackup, av1::CreateBackupRequest(), &second)
          .ok());
  av1::ListBackupsResponse listed;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &Stub::ListBackups, av1::ListBackupsRequest(), &listed).ok());
  ASSERT_EQ(listed.backups_size(), 2);
  EXPECT_EQ(listed.backups(0).name(), second.name());
  EXPECT_EQ(listed.backups(1).name(), first.name());

  // The first backup, opened as a store (a restore puts it in place of db/):
  // what was written before it, not after.
  auto restored = storage::Store::Open(OneFamily(root.path() + "/backups/" + first.path()));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_TRUE(Has(**restored, "before"));
  EXPECT_FALSE(Has(**restored, "after"));
  auto later = storage::Store::Open(OneFamily(root.path() + "/backups/" + second.path()));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(Has(**later, "after"));
}

TEST(BackupServiceTest, DefaultDirectoryIsBesideTheData) {
  EXPECT_EQ(DefaultBackupDir("/var/lib/fazhi/db"), "/var/lib/fazhi/backups");
  EXPECT_EQ(DefaultBackupDir("/var/lib/fazhi/db/"), "/var/lib/fazhi/backups");
  EXPECT_EQ(DefaultBackupDir("var/catalogue"), "var/backups");
}

}  // namespace
}  // namespace fazhi::server
