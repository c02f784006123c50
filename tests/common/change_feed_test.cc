// Tests of common/storage/change_feed.h on a real RocksDB in a fresh temp
// directory. The change record type is the metrics service's (any storage
// proto with format_version and a change carrying a sequence would do).
#include "common/storage/change_feed.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "services/metrics/storage/metrics_records.pb.h"
#include "tests/testing/test_env.h"

namespace fazhi::storage {
namespace {

using Record = fazhi::metrics::storage_records::ChangeRecord;
using Change = ChangeOf<Record>;

Change ChangeTo(const std::string& resource) {
  Change change;
  change.set_resource(resource);
  return change;
}

std::vector<std::string> Resources(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.resource() + "@" + std::to_string(c.sequence()));
  return out;
}

class ChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    StoreOptions options = testing::TestStoreOptions(dir_.path());
    options.column_families = {"records", "changes"};
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    auto log = ChangeLog::Open(*store_, store_->family(2));
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  // Writes `resources` as one batch with a record each; returns the status.
  absl::Status Write(const std::vector<std::string>& resources) {
    rocksdb::WriteBatch batch;
    ChangeLog::Batch changes = log_->StartBatch();
    for (const auto& r : resources) {
      batch.Put(store_->family(1), r, "data");
      changes.Log<Record>(ChangeTo(r));
    }
    return log_->Commit(batch, changes);
  }

  std::vector<std::string> After(uint64_t after, int limit = 100) {
    auto changes = log_->ChangesAfter<Record>(after, limit);
    EXPECT_TRUE(changes.ok()) << changes.status();
    return changes.ok() ? Resources(*changes) : std::vector<std::string>{"<error>"};
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ChangeLog> log_;
};

TEST_F(ChangeLogTest, NumbersInCommitOrderWithTheData) {
  EXPECT_EQ(log_->last_committed(), 0u);
  ASSERT_TRUE(Write({"a", "b"}).ok());
  ASSERT_TRUE(Write({"c"}).ok());
  EXPECT_EQ(log_->last_committed(), 3u);
  EXPECT_EQ(After(0), (std::vector<std::string>{"a@1", "b@2", "c@3"}));
  EXPECT_EQ(After(1, 1), (std::vector<std::string>{"b@2"}));
  EXPECT_TRUE(After(3).empty());
  // The change key is 'c' and the sequence, big-endian.
  EXPECT_EQ(ChangeKey(42), std::string("c\0\0\0\0\0\0\0\x2a", 9));
}

TEST_F(ChangeLogTest, NumberingContinuesAfterReopen) {
  ASSERT_TRUE(Write({"a", "b"}).ok());
  log_.reset();
  ASSERT_TRUE(store_->Close().ok());
  Open();
  EXPECT_EQ(log_->last_committed(), 2u);
  ASSERT_TRUE(Write({"c"}).ok());
  EXPECT_EQ(After(2), (std::vector<std::string>{"c@3"}));
}

TEST_F(ChangeLogTest, AnAbandonedOrEmptyWriteHandsItsNumbersOn) {
  {
    ChangeLog::Batch changes = log_->StartBatch();
    changes.Log<Record>(ChangeTo("never-written"));
    EXPECT_EQ(changes.last_sequence(), 1u);
  }  // not committed, as when a write fails
  rocksdb::WriteBatch empty;
  ASSERT_TRUE(log_->Commit(empty, log_->StartBatch()).ok());
  ASSERT_TRUE(Write({"a"}).ok());
  EXPECT_EQ(After(0), (std::vector<std::string>{"a@1"}));
}

TEST_F(ChangeLogTest, OneKeyPerWriteAndReadsResumeInsideIt) {
  ASSERT_TRUE(Write({"a", "b", "c", "d"}).ok());
  ASSERT_TRUE(Write({"e"}).ok());
  // Two keys, each named by its write's last change; the first holds four
  // records behind the group marker and the count.
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->family(2)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    keys.push_back(it->key().ToString());
    if (keys.size() == 1) {
      EXPECT_EQ(it->value().ToString().substr(0, 2), std::string("\0\x04", 2));
    }
  }
  EXPECT_EQ(keys, (std::vector<std::string>{ChangeKey(4), ChangeKey(5)}));
  // A reader resumes in the middle of a write and stops at its limit there.
  EXPECT_EQ(After(1, 2), (std::vector<std::string>{"b@2", "c@3"}));
  EXPECT_EQ(After(2), (std::vector<std::string>{"c@3", "d@4", "e@5"}));
  EXPECT_EQ(After(3, 1), (std::vector<std::string>{"d@4"}));
  EXPECT_EQ(After(4), (std::vector<std::string>{"e@5"}));
  EXPECT_TRUE(After(5).empty());
}

TEST_F(ChangeLogTest, ReadsTheOneRecordPerKeyLayoutBeforeGroups) {
  // A log written before grouping: one record per key, unmarked.
  rocksdb::WriteBatch old;
  for (uint64_t sequence : {1, 2}) {
    Record record;
    record.set_format_version(kRecordFormatVersion);
    *record.mutable_change() = ChangeTo(sequence == 1 ? "a" : "b");
    record.mutable_change()->set_sequence(static_cast<int64_t>(sequence));
    old.Put(store_->family(2), ChangeKey(sequence), record.SerializeAsString());
  }
  ASSERT_TRUE(store_->Write(&old).ok());
  log_.reset();
  ASSERT_TRUE(store_->Close().ok());
  Open();
  EXPECT_EQ(log_->last_committed(), 2u);
  ASSERT_TRUE(Write({"c", "d"}).ok());
  EXPECT_EQ(After(0), (std::vector<std::string>{"a@1", "b@2", "c@3", "d@4"}));
  EXPECT_EQ(After(1, 2), (std::vector<std::string>{"b@2", "c@3"}));
}

TEST_F(ChangeLogTest, AMalformedGroupIsAnErrorNotACrash) {
  ASSERT_TRUE(Write({"a"}).ok());
  rocksdb::WriteBatch bad;
  // Says three records, holds one length running past the end.
  bad.Put(store_->family(2), ChangeKey(4), std::string("\0\x03\x7f", 3));
  ASSERT_TRUE(store_->Write(&bad).ok());
  auto changes = log_->ChangesAfter<Record>(1, 10);
  ASSERT_FALSE(changes.ok());
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(changes.status().message().find("malformed"), absl::string_view::npos);
}

TEST(ChangeNotifierTest, WaitReturnsOnPublishOrTimeout) {
  ChangeNotifier notifier(4);
  EXPECT_EQ(notifier.WaitForChangeAfter(4, absl::Milliseconds(1)), 4u);  // times out
  EXPECT_EQ(notifier.WaitForChangeAfter(3, absl::Hours(1)), 4u);         // already there
  uint64_t seen = 0;
  std::thread waiter([&] { seen = notifier.WaitForChangeAfter(4, absl::Seconds(10)); });
  notifier.Publish(5);  // before or during the wait: either way it returns 5
  waiter.join();
  EXPECT_EQ(seen, 5u);
  notifier.Publish(2);  // never goes back
  EXPECT_EQ(notifier.last_committed(), 5u);
}

}  // namespace
}  // namespace fazhi::storage
