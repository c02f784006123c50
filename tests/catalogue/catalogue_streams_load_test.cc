// A thousand WatchChanges streams on one catalogue, served in process: the
// streams hold no thread each (the callback API), every one of them sees a
// change written after they opened, and once they are cancelled the memory
// the process has allocated returns to about what it was before them.
//
// Resource bounds, not timings: the figures (threads, tcmalloc's allocated
// bytes) are printed as "streams figures:" lines for the README.
#include <gperftools/malloc_extension.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

constexpr int kStreams = 1000;
// A callback server keeps a few gRPC threads (pollers, executor, timer) and
// the change streams one poller; none grows with the number of streams.
constexpr size_t kThreadHeadroom = 64;
// Measured (a dozen runs, some beside a full build): the thousand open
// streams, both ends in this process, take ~43 MiB (~45 KiB a stream); after
// they end the process holds 0.5-0.8 MiB above its baseline, and no more
// after a second round (gRPC keeps some buffers and arena blocks grown by the
// burst). 8 MiB leaves room for that noise and still catches a per-stream
// leak above ~4 KiB over the two rounds.
constexpr size_t kAllocatedMargin = 8u << 20;
// gRPC frees a finished call's arena on its own threads a little after both
// ends report the call done: about one run in fifteen on a busy machine reads
// 9-14 MiB just after the cancel and 0.7 MiB a moment later. The reading is
// therefore repeated until it is inside the margin or this long has passed;
// memory a leak holds never comes back, however long the test waits.
constexpr absl::Duration kSettleFor = absl::Seconds(10);

size_t ThreadsOfThisProcess() {
  size_t threads = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    ++threads;
  }
  return threads;
}

size_t AllocatedBytes() {
  size_t bytes = 0;
  EXPECT_TRUE(
      MallocExtension::instance()->GetNumericProperty("generic.current_allocated_bytes", &bytes));
  return bytes;
}

// The allocated bytes once they are at most `limit`, or the last reading
// after kSettleFor.
size_t AllocatedBytesOnceAtMost(size_t limit) {
  const absl::Time give_up = absl::Now() + kSettleFor;
  size_t bytes = AllocatedBytes();
  while (bytes > limit && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
    bytes = AllocatedBytes();
  }
  return bytes;
}

// What the watchers have seen, for the test thread to wait on.
struct Tally {
  absl::Mutex mu;
  int established ABSL_GUARDED_BY(mu) = 0;
  int saw_target ABSL_GUARDED_BY(mu) = 0;
  int done ABSL_GUARDED_BY(mu) = 0;
  int cancelled ABSL_GUARDED_BY(mu) = 0;
  int64_t target_sequence ABSL_GUARDED_BY(mu) = 0;

  // Waits (up to a minute, a bound on a hung test, not a timing claim)
  // until `count` reaches `want`.
  bool AwaitCount(int Tally::*count, int want) {
    const Reached reached{this, count, want};
    absl::MutexLock lock(&mu);
    return mu.AwaitWithTimeout(absl::Condition(&reached, &Reached::operator()), absl::Minutes(1));
  }

 private:
  struct Reached {
    Tally* tally;
    int Tally::*count;
    int want;
    bool operator()() const ABSL_NO_THREAD_SAFETY_ANALYSIS { return tally->*count >= want; }
  };
};

// One client stream on the callback API, so the client side holds no
// thread per stream either.
class Watcher final : public grpc::ClientReadReactor<v1::Change> {
 public:
  Watcher(Stub& stub, int64_t after_sequence, Tally& tally) : tally_(tally) {
    request_.set_after_sequence(after_sequence);
    stub.async()->WatchChanges(&context_, &request_, this);
    StartRead(&change_);
    StartCall();
  }

  void Cancel() { context_.TryCancel(); }

  void OnReadInitialMetadataDone(bool ok) override {
    if (!ok) return;
    absl::MutexLock lock(&tally_.mu);
    ++tally_.established;
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows with the status
    {
      absl::MutexLock lock(&tally_.mu);
      if (change_.sequence() == tally_.target_sequence) ++tally_.saw_target;
    }
    StartRead(&change_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&tally_.mu);
    ++tally_.done;
    if (status.error_code() == grpc::StatusCode::CANCELLED) ++tally_.cancelled;
  }

 private:
  Tally& tally_;
  grpc::ClientContext context_;
  v1::WatchChangesRequest request_;
  v1::Change change_;
};

absl::Status CreateProvince(Stub& stub, const std::string& code, const std::string& name) {
  v1::CreateRegionRequest create;
  create.mutable_region()->set_code(code);
  create.mutable_region()->set_display_name(name);
  create.mutable_region()->set_level(v1::REGION_LEVEL_PROVINCE);
  v1::Region region;
  return testing::CallUnary(&stub, &Stub::CreateRegion, create, &region);
}

// Opens `count` watchers after `after_sequence`, waits until each is
// established, writes one change and waits until each has it; returns the
// watchers (still open).
std::vector<std::unique_ptr<Watcher>> OpenAndFeed(Stub& stub, int count, int64_t after_sequence,
                                                  const std::string& code, Tally& tally) {
  {
    absl::MutexLock lock(&tally.mu);
    tally.target_sequence = after_sequence + 1;
  }
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < count; ++i) {
    watchers.push_back(std::make_unique<Watcher>(stub, after_sequence, tally));
  }
  EXPECT_TRUE(tally.AwaitCount(&Tally::established, count)) << "not every watch was established";
  EXPECT_TRUE(CreateProvince(stub, code, "省" + code).ok());
  EXPECT_TRUE(tally.AwaitCount(&Tally::saw_target, count)) << "not every watch saw the write";
  return watchers;
}

// Cancels the watchers and waits until both ends have let go of them.
void CancelAll(std::vector<std::unique_ptr<Watcher>>& watchers, Tally& tally,
               CatalogueServiceImpl& service) {
  for (auto& watcher : watchers) watcher->Cancel();
  EXPECT_TRUE(tally.AwaitCount(&Tally::done, static_cast<int>(watchers.size())));
  watchers.clear();
  const absl::Time give_up = absl::Now() + absl::Minutes(1);
  while (service.OpenWatches() > 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(service.OpenWatches(), 0u);
}

TEST(CatalogueStreamsLoadTest, AThousandWatchesHoldNoThreadsAndGiveTheirMemoryBack) {
  testing::TempDir dir;
  TestCatalogueServer catalogue(dir.path());
  auto stub = catalogue.Start();
  ASSERT_TRUE(CreateProvince(*stub, "310000", "上海市").ok());

  // Warm up: a few streams through the whole path, so that the baseline
  // includes what gRPC and the store set up once (threads, pools, caches).
  {
    Tally warm;
    auto watchers = OpenAndFeed(*stub, 8, 1, "320000", warm);
    CancelAll(watchers, warm, *catalogue.service());
  }
  const size_t threads_before = ThreadsOfThisProcess();
  const size_t allocated_before = AllocatedBytes();

  // Two rounds: memory a round failed to give back would add up.
  const std::string provinces[] = {"330000", "340000"};
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    Tally tally;
    auto watchers = OpenAndFeed(*stub, kStreams, 2 + round, provinces[round], tally);
    const size_t threads_open = ThreadsOfThisProcess();
    const size_t allocated_open = AllocatedBytes();
    EXPECT_EQ(catalogue.service()->OpenWatches(), static_cast<size_t>(kStreams));

    CancelAll(watchers, tally, *catalogue.service());
    {
      absl::MutexLock lock(&tally.mu);
      EXPECT_EQ(tally.cancelled, kStreams);
    }
    const size_t threads_after = ThreadsOfThisProcess();
    const size_t allocated_after = AllocatedBytesOnceAtMost(allocated_before + kAllocatedMargin);

    std::cout << "streams figures, round " << round + 1 << ": threads " << threads_before << " / "
              << threads_open << " with " << kStreams << " streams / " << threads_after
              << " after; allocated bytes " << allocated_before << " / " << allocated_open << " / "
              << allocated_after << " ("
              << (static_cast<double>(allocated_after) - static_cast<double>(allocated_before)) /
                     (1 << 20)
              << " MiB above the baseline)\n";
    EXPECT_LE(threads_open, threads_before + kThreadHeadroom);
    EXPECT_LE(threads_after, threads_before + kThreadHeadroom);
    EXPECT_LE(allocated_after, allocated_before + kAllocatedMargin);
  }
  catalogue.Stop();
}

}  // namespace
}  // namespace fazhi::catalogue
