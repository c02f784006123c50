// A catalogue store written by the previous release (format 1, kept in
// tests/testdata/store_format_1/catalogue) is opened by this one: it is
// migrated in place, reads as before, and a watcher that stopped anywhere in
// the old log resumes with the next change, without a gap or a repeat.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/storage/change_feed.h"
#include "common/storage/records.h"
#include "common/storage/store_format.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_keys.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "services/catalogue/storage/catalogue_records.pb.h"
#include "tests/testing/test_env.h"
#include "tests/testing/watch.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

// Copies the format 1 fixture into `dir`.
void CopyFixture(const std::string& dir) {
  std::filesystem::copy(std::string(FAZHI_SOURCE_DIR) + "/tests/testdata/store_format_1/catalogue",
                        dir, std::filesystem::copy_options::recursive);
}

// The raw RocksDB of `dir`, opened with the catalogue's families and nothing
// else: what is on disk, before or after a migration.
std::unique_ptr<storage::Store> OpenRaw(const std::string& dir) {
  storage::StoreOptions options = testing::TestStoreOptions(dir);
  options.column_families = storage::FamilyNames(keys::kFamilies);
  auto store = storage::Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

// The format 1 log as stored: sequence -> resource, read from its 'g' keys.
std::map<uint64_t, std::string> FormatOneLog(const storage::Store& store) {
  std::map<uint64_t, std::string> log;
  const std::string prefix = keys::FormatOneChangePrefix();
  auto it = store.NewPrefixIterator(store.family(keys::Family::kChanges), prefix, nullptr);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const uint64_t sequence =
        keys::FormatOneChangeSequence(absl::string_view(it->key().data(), it->key().size()));
    auto record = storage::ParseRecord<storage_records::ChangeRecord>(
        absl::string_view(it->value().data(), it->value().size()), "change record");
    EXPECT_TRUE(record.ok()) << record.status();
    if (record.ok()) log[sequence] = record->change().resource();
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return log;
}

std::vector<std::pair<uint64_t, std::string>> AsPairs(const std::vector<v1::Change>& changes) {
  std::vector<std::pair<uint64_t, std::string>> out;
  for (const auto& c : changes) out.emplace_back(c.sequence(), c.resource());
  return out;
}

class CatalogueMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CopyFixture(dir_.path());
    auto raw = OpenRaw(dir_.path());
    ASSERT_NE(raw, nullptr);
    auto version = storage::ReadFormatVersion(*raw, raw->family(keys::Family::kMeta));
    ASSERT_TRUE(version.ok()) << version.status();
    ASSERT_EQ(*version, 0u) << "the fixture predates format stamps";
    before_ = FormatOneLog(*raw);
    ASSERT_TRUE(raw->Close().ok());
  }

  testing::TempDir dir_;
  std::map<uint64_t, std::string> before_;  // the format 1 log
};

TEST_F(CatalogueMigrationTest, TheOldLogIsReadAsBeforeUnderTheSameSequences) {
  // 17 regions, 102 units and 1 project, each created once.
  ASSERT_EQ(before_.size(), 120u);
  ASSERT_EQ(before_.begin()->first, 1u);
  ASSERT_EQ(before_.rbegin()->first, 120u);

  auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  auto version =
      storage::ReadFormatVersion((*store)->store(), (*store)->store().family(keys::Family::kMeta));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, keys::kStoreFormat);
  EXPECT_TRUE(FormatOneLog((*store)->store()).empty()) << "every 'g' key was moved";
  EXPECT_EQ((*store)->LastCommittedChange(), 120u);

  auto all = (*store)->ChangesAfter(0, 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<std::pair<uint64_t, std::string>> expected(before_.begin(), before_.end());
  EXPECT_EQ(AsPairs(*all), expected);

  // The records themselves and a record's history read as before.
  auto region = (*store)->GetRegion("310113");
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->display_name(), "宝山区");
  v1::ListChangesRequest history;
  history.set_resource("regions/310113");
  auto changes = (*store)->ListChanges(history);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->changes_size(), 1);
  EXPECT_EQ(changes->changes(0).kind(), v1::Change::KIND_CREATE);
  ASSERT_TRUE((*store)->Close().ok());
}

TEST_F(CatalogueMigrationTest, AWatcherResumesFromAnyOldSequenceWithoutGapOrRepeat) {
  auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  CatalogueServiceImpl service(store->get(), testing::TestAuthorizer());
  auto server = testing::StartInProcess(&service, "fazhi.catalogue.v1.CatalogueService");
  server->AddShutdownHook([&service] { service.StopWatches(); });
  auto stub = v1::CatalogueService::NewStub(testing::Connect(server->target()));

  // A watcher that had read up to 77 before the upgrade asks for what follows.
  testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change> watch(*stub, 77);
  EXPECT_EQ(watch.head(), "120");
  const auto old_tail = watch.Read(120 - 77);
  ASSERT_EQ(old_tail.size(), 43u);
  for (size_t i = 0; i < old_tail.size(); ++i) {
    EXPECT_EQ(old_tail[i].sequence(), static_cast<int64_t>(78 + i));
    EXPECT_EQ(old_tail[i].resource(), before_.at(78 + i));
  }
  // The next write continues the numbering, and the same watch sees it.
  v1::CreateRegionRequest create;
  create.mutable_region()->set_code("310199");
  create.mutable_region()->set_display_name("测试区");
  create.mutable_region()->set_level(v1::REGION_LEVEL_COUNTY);
  create.mutable_region()->set_parent("regions/310000");
  v1::Region created;
  auto s = testing::CallUnary(stub.get(), &Stub::CreateRegion, create, &created);
  ASSERT_TRUE(s.ok()) << s;
  const auto next = watch.Read(1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].sequence(), 121);
  EXPECT_EQ(next[0].resource(), "regions/310199");
  watch.Finish();
  server->Shutdown();
  ASSERT_TRUE((*store)->Close().ok());

  // Reopened: already format 2, nothing moves again, numbering goes on.
  auto again = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->LastCommittedChange(), 121u);
  auto tail = (*again)->ChangesAfter(119, 10);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(AsPairs(*tail), (std::vector<std::pair<uint64_t, std::string>>{
                                {120, before_.at(120)}, {121, "regions/310199"}}));
  ASSERT_TRUE((*again)->Close().ok());
}

TEST_F(CatalogueMigrationTest, AMigrationCutShortByACrashIsFinishedAtTheNextOpen) {
  {
    // As if a run had written its first batch and died: some changes are
    // already under 'c', the rest still under 'g', and no stamp.
    auto raw = OpenRaw(dir_.path());
    ASSERT_NE(raw, nullptr);
    rocksdb::WriteBatch first_batch;
    rocksdb::ColumnFamilyHandle* changes = raw->family(keys::Family::kChanges);
    auto it = raw->NewPrefixIterator(changes, keys::FormatOneChangePrefix(), nullptr);
    int moved = 0;
    for (it->Seek(keys::FormatOneChangePrefix()); it->Valid() && moved < 50; it->Next(), ++moved) {
      const uint64_t sequence =
          keys::FormatOneChangeSequence(absl::string_view(it->key().data(), it->key().size()));
      first_batch.Put(changes, storage::ChangeKey(sequence), it->value());
      first_batch.Delete(changes, it->key());
    }
    it.reset();
    ASSERT_TRUE(raw->Write(&first_batch).ok());
    ASSERT_TRUE(raw->Close().ok());
  }
  auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  auto all = (*store)->ChangesAfter(0, 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<std::pair<uint64_t, std::string>> expected(before_.begin(), before_.end());
  EXPECT_EQ(AsPairs(*all), expected);
  ASSERT_TRUE((*store)->Close().ok());
}

TEST_F(CatalogueMigrationTest, AStoreOfANewerFormatIsRefusedAndLeftAlone) {
  {
    auto raw = OpenRaw(dir_.path());
    ASSERT_NE(raw, nullptr);
    rocksdb::WriteBatch stamp;
    stamp.Put(raw->family(keys::Family::kMeta), storage::FormatVersionKey(),
              std::string("\0\0\0\x09", 4));
    ASSERT_TRUE(raw->Write(&stamp).ok());
    ASSERT_TRUE(raw->Close().ok());
  }
  auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("format 9"), absl::string_view::npos) << store.status();
  auto raw = OpenRaw(dir_.path());
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(FormatOneLog(*raw).size(), 120u) << "nothing was migrated";
}

TEST(CatalogueStoreFormatTest, ANewStoreIsStampedWithTheCurrentFormat) {
  testing::TempDir dir;
  auto store = CatalogueStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  auto version =
      storage::ReadFormatVersion((*store)->store(), (*store)->store().family(keys::Family::kMeta));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, keys::kStoreFormat);
}

}  // namespace
}  // namespace fazhi::catalogue
