// Storage engine tests on a real RocksDB in a fresh temporary directory.
#include "common/storage/store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/storage/key_codec.h"
#include "common/storage/scan.h"
#include "rocksdb/status.h"
#include "rocksdb/write_batch.h"
#include "tests/testing/test_env.h"

namespace fazhi::storage {
namespace {

using std::string_literals::operator""s;

constexpr size_t kRecords = 1;  // handle index of "records"
constexpr size_t kIndexes = 2;  // handle index of "indexes"

StoreOptions TwoFamilies(const std::string& dir) {
  StoreOptions options = testing::TestStoreOptions(dir);
  options.column_families = {"records", "indexes"};
  return options;
}

std::unique_ptr<Store> OpenOrDie(const StoreOptions& options) {
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

// The value at `key`, "<missing>" when absent; fails the test on error.
std::string ValueOf(const Store& store, size_t cf, absl::string_view key,
                    const rocksdb::Snapshot* snapshot = nullptr) {
  absl::StatusOr<std::optional<std::string>> value = store.Get(store.family(cf), key, snapshot);
  EXPECT_TRUE(value.ok()) << value.status();
  if (!value.ok()) return "<error>";
  return value->has_value() ? **value : "<missing>";
}

std::string RecordKey(uint32_t i) { return KeyBuilder('p').AddUint32(i).Build(); }

absl::Status PutAll(Store& store, size_t cf, uint32_t count) {
  rocksdb::WriteBatch batch;
  for (uint32_t i = 0; i < count; ++i) {
    batch.Put(store.family(cf), RecordKey(i), absl::StrCat("v", i));
  }
  return store.Write(&batch);
}

// One page of a scan: the keys visited and taken, and the resume key.
struct Page {
  std::vector<std::string> taken;
  std::string next;
};

Page ScanOnePage(const Store& store, size_t cf, const rocksdb::Snapshot* snapshot,
                 absl::string_view prefix, absl::string_view resume_after, int limit,
                 bool skip_odd = false) {
  Page page;
  ScanVisitor visit = [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
    KeyReader reader(key);
    char tag = 0;
    uint32_t i = 0;
    EXPECT_TRUE(reader.ReadTag(&tag) && reader.ReadUint32(&i) && reader.Done());
    EXPECT_EQ(value, absl::StrCat("v", i));
    if (skip_odd && i % 2 == 1) return false;
    page.taken.emplace_back(key);
    return true;
  };
  absl::Status status =
      ScanPage(store, store.family(cf), snapshot, prefix, resume_after, limit, visit, &page.next);
  EXPECT_TRUE(status.ok()) << status;
  return page;
}

// ---------------------------------------------------------------------------
// Open, write, read

TEST(StoreTest, WritesABatchAcrossTwoColumnFamiliesAndReadsItBack) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->family(0)->GetName(), "default");
  EXPECT_EQ(store->family(kRecords)->GetName(), "records");
  EXPECT_EQ(store->family(kIndexes)->GetName(), "indexes");

  const std::string record_key = KeyBuilder('p').AddString("projects/上海-1").Build();
  const std::string index_key =
      KeyBuilder('r').AddString("310113").AddUint32(2023).AddString("projects/上海-1").Build();
  rocksdb::WriteBatch batch;
  batch.Put(store->family(kRecords), record_key, "record bytes\0with nul"s);
  batch.Put(store->family(kIndexes), index_key, "");
  ASSERT_TRUE(store->Write(&batch).ok());

  EXPECT_EQ(ValueOf(*store, kRecords, record_key), "record bytes\0with nul"s);
  EXPECT_EQ(ValueOf(*store, kIndexes, index_key), "");
  // Each key lives only in the family it was written to.
  EXPECT_EQ(ValueOf(*store, kIndexes, record_key), "<missing>");
  EXPECT_EQ(ValueOf(*store, kRecords, index_key), "<missing>");
  EXPECT_EQ(ValueOf(*store, 0, record_key), "<missing>");
}

TEST(StoreTest, GetOfAMissingKeyIsNullopt) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<std::string>> value = store->Get(store->family(kRecords), "nothing");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_FALSE(value->has_value());

  // An empty value is present, not missing.
  rocksdb::WriteBatch batch;
  batch.Put(store->family(kRecords), "empty", "");
  ASSERT_TRUE(store->Write(&batch).ok());
  value = store->Get(store->family(kRecords), "empty");
  ASSERT_TRUE(value.ok()) << value.status();
  ASSERT_TRUE(value->has_value());
  EXPECT_EQ(**value, "");

  // A deleted key is missing again.
  rocksdb::WriteBatch del;
  del.Delete(store->family(kRecords), "empty");
  ASSERT_TRUE(store->Write(&del).ok());
  value = store->Get(store->family(kRecords), "empty");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_FALSE(value->has_value());
}

TEST(StoreTest, BatchIsAppliedWhole) {
  // A batch that writes records, index entries and a counter, and deletes an
  // old index entry: after Write every effect is visible together.
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  {
    rocksdb::WriteBatch seed;
    seed.Put(store->family(kIndexes), "stale-index", "x");
    ASSERT_TRUE(store->Write(&seed).ok());
  }
  rocksdb::WriteBatch batch;
  for (uint32_t i = 0; i < 500; ++i) {
    batch.Put(store->family(kRecords), RecordKey(i), absl::StrCat("v", i));
    batch.Put(store->family(kIndexes), KeyBuilder('i').AddUint32(i).Build(), RecordKey(i));
  }
  batch.Put(store->family(0), "counter", "500");
  batch.Delete(store->family(kIndexes), "stale-index");
  ASSERT_EQ(batch.Count(), 1002u);
  ASSERT_TRUE(store->Write(&batch).ok());

  const ScopedSnapshot snapshot(*store);
  int present = 0;
  for (uint32_t i = 0; i < 500; ++i) {
    present += ValueOf(*store, kRecords, RecordKey(i), snapshot.get()) == absl::StrCat("v", i);
    present += ValueOf(*store, kIndexes, KeyBuilder('i').AddUint32(i).Build(), snapshot.get()) ==
               RecordKey(i);
  }
  EXPECT_EQ(present, 1000);
  EXPECT_EQ(ValueOf(*store, 0, "counter", snapshot.get()), "500");
  EXPECT_EQ(ValueOf(*store, kIndexes, "stale-index", snapshot.get()), "<missing>");
}

TEST(StoreTest, DataSurvivesCloseAndReopen) {
  testing::TempDir dir;
  {
    auto store = OpenOrDie(TwoFamilies(dir.path()));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(PutAll(*store, kRecords, 300).ok());
    rocksdb::WriteBatch batch;
    batch.Put(store->family(kIndexes), "index", "in the second family");
    ASSERT_TRUE(store->Write(&batch).ok());
    ASSERT_TRUE(store->Close().ok());
    EXPECT_TRUE(store->Close().ok()) << "Close is idempotent";
  }
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  for (uint32_t i = 0; i < 300; ++i) {
    ASSERT_EQ(ValueOf(*store, kRecords, RecordKey(i)), absl::StrCat("v", i)) << i;
  }
  EXPECT_EQ(ValueOf(*store, kIndexes, "index"), "in the second family");
  EXPECT_EQ(ValueOf(*store, kRecords, RecordKey(300)), "<missing>");
}

TEST(StoreTest, DestructorClosesSoTheDirectoryCanBeReopened) {
  testing::TempDir dir;
  {
    auto store = OpenOrDie(TwoFamilies(dir.path()));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(PutAll(*store, kIndexes, 10).ok());
  }  // no explicit Close
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(ValueOf(*store, kIndexes, RecordKey(9)), "v9");
}

TEST(StoreTest, SecondOpenOfAnOpenDirectoryFails) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::unique_ptr<Store>> second = Store::Open(TwoFamilies(dir.path()));
  EXPECT_FALSE(second.ok()) << "RocksDB's LOCK must keep a second instance out";
}

TEST(StoreTest, ColumnFamilyHandlesFollowTheDeclaredOrder) {
  testing::TempDir dir;
  {
    auto store = OpenOrDie(TwoFamilies(dir.path()));
    ASSERT_NE(store, nullptr);
    rocksdb::WriteBatch batch;
    batch.Put(store->family(kRecords), "k", "in records");
    batch.Put(store->family(kIndexes), "k", "in indexes");
    ASSERT_TRUE(store->Write(&batch).ok());
    ASSERT_TRUE(store->Close().ok());
  }
  {
    // Reopened with the same list: each index reaches the same family.
    auto store = OpenOrDie(TwoFamilies(dir.path()));
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(ValueOf(*store, kRecords, "k"), "in records");
    EXPECT_EQ(ValueOf(*store, kIndexes, "k"), "in indexes");
    ASSERT_TRUE(store->Close().ok());
  }
  {
    // Reopened with the list reversed, the indexes swap: the order of the
    // declaration, not the order of creation, decides which handle is which,
    // which is why a service declares its families once.
    StoreOptions reversed = TwoFamilies(dir.path());
    reversed.column_families = {"indexes", "records"};
    auto store = OpenOrDie(reversed);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->family(1)->GetName(), "indexes");
    EXPECT_EQ(ValueOf(*store, 1, "k"), "in indexes");
    EXPECT_EQ(ValueOf(*store, 2, "k"), "in records");
    ASSERT_TRUE(store->Close().ok());
  }
  {
    // Leaving a family out is refused rather than silently hiding its data.
    StoreOptions missing = TwoFamilies(dir.path());
    missing.column_families = {"records"};
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(missing);
    EXPECT_FALSE(store.ok());
  }
}

// ---------------------------------------------------------------------------
// Paged scans

TEST(ScanPageTest, PagesThroughAllKeysInOrder) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 250).ok());
  // Neighbours outside the prefix that the scan must not visit.
  rocksdb::WriteBatch others;
  others.Put(store->family(kRecords), "o", "outside, before");
  others.Put(store->family(kRecords), "q", "outside, after");
  ASSERT_TRUE(store->Write(&others).ok());

  const std::string prefix = KeyBuilder('p').Build();
  Page first = ScanOnePage(*store, kRecords, nullptr, prefix, "", 100);
  ASSERT_EQ(first.taken.size(), 100u);
  EXPECT_EQ(first.taken.front(), RecordKey(0));
  EXPECT_EQ(first.taken.back(), RecordKey(99));
  EXPECT_EQ(first.next, RecordKey(99));

  Page second = ScanOnePage(*store, kRecords, nullptr, prefix, first.next, 100);
  ASSERT_EQ(second.taken.size(), 100u);
  EXPECT_EQ(second.taken.front(), RecordKey(100)) << "resumes strictly after the resume key";
  EXPECT_EQ(second.taken.back(), RecordKey(199));
  EXPECT_EQ(second.next, RecordKey(199));

  Page third = ScanOnePage(*store, kRecords, nullptr, prefix, second.next, 100);
  ASSERT_EQ(third.taken.size(), 50u);
  EXPECT_EQ(third.taken.front(), RecordKey(200));
  EXPECT_EQ(third.taken.back(), RecordKey(249));
  EXPECT_EQ(third.next, "") << "the last page says no more follow";

  // Together the pages are every key exactly once, in order.
  std::vector<std::string> all = first.taken;
  all.insert(all.end(), second.taken.begin(), second.taken.end());
  all.insert(all.end(), third.taken.begin(), third.taken.end());
  ASSERT_EQ(all.size(), 250u);
  for (uint32_t i = 0; i < 250; ++i) EXPECT_EQ(all[i], RecordKey(i)) << i;
}

TEST(ScanPageTest, ExactlyFullLastPageSaysNoMoreFollow) {
  // 200 keys, pages of 100: ScanPage looks one entry past a full page, so
  // the second page knows nothing follows inside the prefix (a key after
  // the prefix does not count) and gives no resume key, rather than sending
  // the client to an empty third page.
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 200).ok());
  rocksdb::WriteBatch others;
  others.Put(store->family(kRecords), "q", "outside, after");
  ASSERT_TRUE(store->Write(&others).ok());
  const std::string prefix = KeyBuilder('p').Build();
  Page first = ScanOnePage(*store, kRecords, nullptr, prefix, "", 100);
  ASSERT_EQ(first.next, RecordKey(99));
  Page second = ScanOnePage(*store, kRecords, nullptr, prefix, first.next, 100);
  ASSERT_EQ(second.taken.size(), 100u);
  EXPECT_EQ(second.taken.back(), RecordKey(199));
  EXPECT_EQ(second.next, "");
}

TEST(ScanPageTest, FilterSkipsOddKeysAndPagesCountTakenEntries) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 250).ok());
  const std::string prefix = KeyBuilder('p').Build();

  // 125 even keys: pages of 100 then 25.
  Page first = ScanOnePage(*store, kRecords, nullptr, prefix, "", 100, /*skip_odd=*/true);
  ASSERT_EQ(first.taken.size(), 100u);
  for (size_t j = 0; j < first.taken.size(); ++j) {
    EXPECT_EQ(first.taken[j], RecordKey(static_cast<uint32_t>(2 * j)));
  }
  EXPECT_EQ(first.next, RecordKey(198)) << "the resume key is the last key taken";

  Page second = ScanOnePage(*store, kRecords, nullptr, prefix, first.next, 100, true);
  ASSERT_EQ(second.taken.size(), 25u);
  EXPECT_EQ(second.taken.front(), RecordKey(200));
  EXPECT_EQ(second.taken.back(), RecordKey(248));
  EXPECT_EQ(second.next, "");
}

TEST(ScanPageTest, VisitorErrorStopsTheScan) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 10).ok());
  int visited = 0;
  std::string next = "untouched";
  absl::Status status = ScanPage(
      *store, store->family(kRecords), nullptr, KeyBuilder('p').Build(), "", 100,
      [&visited](absl::string_view, absl::string_view) -> absl::StatusOr<bool> {
        if (++visited == 3) return absl::DataLossError("record 2 does not parse");
        return true;
      },
      &next);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(visited, 3);
}

TEST(ScanPageTest, SnapshotDoesNotSeeLaterWrites) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 10).ok());
  const std::string prefix = KeyBuilder('p').Build();

  const ScopedSnapshot snapshot(*store);
  rocksdb::WriteBatch later;
  later.Put(store->family(kRecords), RecordKey(10), "v10");
  later.Put(store->family(kRecords), RecordKey(5), "changed");
  ASSERT_TRUE(store->Write(&later).ok());

  Page at_snapshot = ScanOnePage(*store, kRecords, snapshot.get(), prefix, "", 100);
  ASSERT_EQ(at_snapshot.taken.size(), 10u);
  EXPECT_EQ(at_snapshot.taken.back(), RecordKey(9));
  EXPECT_EQ(ValueOf(*store, kRecords, RecordKey(10), snapshot.get()), "<missing>");
  EXPECT_EQ(ValueOf(*store, kRecords, RecordKey(5), snapshot.get()), "v5");

  // Without the snapshot the new key is there (the test can tell).
  Page latest;
  absl::Status status = ScanPage(
      *store, store->family(kRecords), nullptr, prefix, "", 100,
      [&latest](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
        latest.taken.emplace_back(key);
        return true;
      },
      &latest.next);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(latest.taken.size(), 11u);
  EXPECT_EQ(ValueOf(*store, kRecords, RecordKey(5)), "changed");
}

TEST(ScanPageTest, PrefixIteratorStaysInsideTheStringComponent) {
  // Scanning region "31" must not reach region "310113", nor a key with an
  // all-0xff tail at the edge of the prefix.
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  rocksdb::WriteBatch batch;
  batch.Put(store->family(kIndexes), KeyBuilder('r').AddString("31").AddUint32(1).Build(), "a");
  batch.Put(store->family(kIndexes), KeyBuilder('r').AddString("31").AddUint32(0xffffffff).Build(),
            "b");
  batch.Put(store->family(kIndexes), KeyBuilder('r').AddString("310113").AddUint32(1).Build(), "c");
  batch.Put(store->family(kIndexes), KeyBuilder('r').AddString("31\0"s).AddUint32(1).Build(), "d");
  batch.Put(store->family(kIndexes), KeyBuilder('r').AddString("3").AddUint32(1).Build(), "e");
  ASSERT_TRUE(store->Write(&batch).ok());

  std::vector<std::string> values;
  std::string next;
  absl::Status status = ScanPage(
      *store, store->family(kIndexes), nullptr, KeyBuilder('r').AddString("31").Build(), "", 100,
      [&values](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        values.emplace_back(value);
        return true;
      },
      &next);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(next, "");
}

TEST(ScanPageTest, ResumeKeyAfterThePrefixGivesAnEmptyPage) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 5).ok());
  rocksdb::WriteBatch others;
  others.Put(store->family(kRecords), "q", "outside, after");
  ASSERT_TRUE(store->Write(&others).ok());
  Page page = ScanOnePage(*store, kRecords, nullptr, KeyBuilder('p').Build(), "p\xff", 100);
  EXPECT_TRUE(page.taken.empty());
  EXPECT_EQ(page.next, "");
}

// The contract is "keys that start with `prefix` and sort strictly after
// `resume_after`": a resume key before the prefix (a forged token, or one
// from another prefix) must not let an unrelated key end the page early.
TEST(ScanPageTest, ResumeKeyBeforeThePrefixStillVisitsThePrefix) {
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutAll(*store, kRecords, 5).ok());
  const std::string prefix = KeyBuilder('p').Build();
  // With nothing between "o" and the prefix, all five keys come back.
  Page without_neighbour = ScanOnePage(*store, kRecords, nullptr, prefix, "o", 100);
  EXPECT_EQ(without_neighbour.taken.size(), 5u);
  // A key between "o" and "p" must not change which "p" keys are visited.
  rocksdb::WriteBatch others;
  others.Put(store->family(kRecords), "o-neighbour", "outside, before");
  ASSERT_TRUE(store->Write(&others).ok());
  Page with_neighbour = ScanOnePage(*store, kRecords, nullptr, prefix, "o", 100);
  EXPECT_EQ(with_neighbour.taken.size(), 5u)
      << "every key under the prefix sorts after \"o\", so all five must be visited";
}

// A key equal to the prefix (a key that is only the tag) is visited once:
// resuming after it must step past it, or pages of one would repeat it
// forever.
TEST(ScanPageTest, KeyEqualToThePrefixIsNotRepeatedAfterResume) {
  // A key may equal the prefix itself (a tag-only key). With pages of one,
  // resuming after it must move on, or a client would page forever.
  testing::TempDir dir;
  auto store = OpenOrDie(TwoFamilies(dir.path()));
  ASSERT_NE(store, nullptr);
  const std::string prefix = KeyBuilder('p').Build();
  rocksdb::WriteBatch batch;
  batch.Put(store->family(kRecords), prefix, "tag only");
  batch.Put(store->family(kRecords), RecordKey(0), "v0");
  ASSERT_TRUE(store->Write(&batch).ok());

  std::vector<std::string> keys;
  std::string resume;
  auto collect = [&keys](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
    keys.emplace_back(key);
    return true;
  };
  ASSERT_TRUE(
      ScanPage(*store, store->family(kRecords), nullptr, prefix, "", 1, collect, &resume).ok());
  ASSERT_EQ(keys, std::vector<std::string>{prefix});
  ASSERT_EQ(resume, prefix);
  std::string next;
  ASSERT_TRUE(
      ScanPage(*store, store->family(kRecords), nullptr, prefix, resume, 1, collect, &next).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{prefix, RecordKey(0)}))
      << "the second page must start strictly after the first page's key";
  EXPECT_EQ(next, "");
}

// ---------------------------------------------------------------------------
// Backups

TEST(StoreTest, CheckpointCanBeOpenedAndHoldsTheData) {
  testing::TempDir dir;
  testing::TempDir backups;
  const std::string checkpoint_dir = backups.path() + "/checkpoint-1";
  {
    auto store = OpenOrDie(TwoFamilies(dir.path()));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(PutAll(*store, kRecords, 100).ok());
    rocksdb::WriteBatch batch;
    batch.Put(store->family(kIndexes), "index", "indexed");
    ASSERT_TRUE(store->Write(&batch).ok());

    absl::Status checkpoint = store->Checkpoint(checkpoint_dir);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint;

    // Written after the checkpoint: must not be in it.
    rocksdb::WriteBatch after;
    after.Put(store->family(kRecords), "after", "x");
    after.Delete(store->family(kRecords), RecordKey(0));
    ASSERT_TRUE(store->Write(&after).ok());
    // A second checkpoint into an existing directory is refused, not merged.
    EXPECT_FALSE(store->Checkpoint(checkpoint_dir).ok());
    ASSERT_TRUE(store->Close().ok());
  }
  // Restore: remove the live database and open the checkpoint in its place.
  std::filesystem::remove_all(dir.path());
  ASSERT_FALSE(std::filesystem::exists(dir.path()));
  auto restored = OpenOrDie(TwoFamilies(checkpoint_dir));
  ASSERT_NE(restored, nullptr);
  for (uint32_t i = 0; i < 100; ++i) {
    ASSERT_EQ(ValueOf(*restored, kRecords, RecordKey(i)), absl::StrCat("v", i)) << i;
  }
  EXPECT_EQ(ValueOf(*restored, kIndexes, "index"), "indexed");
  EXPECT_EQ(ValueOf(*restored, kRecords, "after"), "<missing>");
  // The restored store accepts writes.
  ASSERT_TRUE(PutAll(*restored, kIndexes, 1).ok());
  EXPECT_EQ(ValueOf(*restored, kIndexes, RecordKey(0)), "v0");
}

// ---------------------------------------------------------------------------
// FromRocksDb

TEST(FromRocksDbTest, MapsStatusesAtTheBoundary) {
  EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK(), "x").ok());
  const absl::Status io = FromRocksDb(rocksdb::Status::IOError("disk gone"), "open /var/x");
  EXPECT_EQ(io.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(io.message().find("open /var/x"), absl::string_view::npos) << io;
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Busy(), "w").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::TimedOut(), "w").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Corruption("bad block"), "r").code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::InvalidArgument("no"), "r").code(),
            absl::StatusCode::kInternal);
}

TEST(StoreTest, OpenFailsClearlyWhenThePathIsAFile) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/not-a-dir";
  std::FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(TwoFamilies(file));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("not-a-dir"), absl::string_view::npos) << store.status();
}

}  // namespace
}  // namespace fazhi::storage
