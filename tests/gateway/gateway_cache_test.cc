// The cache's rules, the change follower's resynchronisation (on scripted
// streams), and the in-flight limit. No gRPC servers: see
// gateway_freshness_test.cc for the same with real backends.
#include "services/gateway/gateway_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/gateway/change_follower.h"
#include "services/gateway/in_flight_limit.h"

namespace fazhi::gateway {
namespace {

namespace gv1 = fazhi::gateway::v1;

// Polls `done` until it holds or 5 s pass.
bool WaitUntil(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

TEST(GatewayCacheTest, OnlyABackendWithALiveStreamIsUsed) {
  GatewayCache cache(/*enabled=*/true);
  CacheTable<int> table(&cache, {Backend::kMetrics}, 10);
  auto view = cache.TakeView();
  EXPECT_FALSE(view.usable[1]);
  EXPECT_EQ(view.unusable_state[1], gv1::CACHE_STATE_RESYNCHRONISING);
  cache.Put(table, "k", std::make_shared<const int>(1), view);
  EXPECT_EQ(cache.Find(table, "k", view), nullptr);

  cache.SetLive(Backend::kMetrics, true, "");
  view = cache.TakeView();
  ASSERT_TRUE(view.usable[1]);
  cache.Put(table, "k", std::make_shared<const int>(1), view);
  ASSERT_NE(cache.Find(table, "k", view), nullptr);

  // The stream breaks: what is cached is not used until it is back.
  cache.SetLive(Backend::kMetrics, false, "resynchronising: the change stream ended");
  const auto broken = cache.TakeView();
  EXPECT_EQ(cache.Find(table, "k", broken), nullptr);
  EXPECT_EQ(broken.detail[1], "resynchronising: the change stream ended");
  gv1::BackendStatus status;
  GatewayCache::Describe(broken, Backend::kMetrics, gv1::CACHE_STATE_RESYNCHRONISING, &status);
  EXPECT_EQ(status.cache_detail(), "resynchronising: the change stream ended");
}

TEST(GatewayCacheTest, AnInvalidationDropsEntriesAndRefusesRacingPuts) {
  GatewayCache cache(true);
  CacheTable<int> catalogue(&cache, {Backend::kCatalogue}, 10);
  CacheTable<int> report(&cache, {Backend::kReport}, 10);
  CacheTable<int> summaries(&cache, {Backend::kCatalogue, Backend::kMetrics, Backend::kReport}, 10);
  for (Backend b : {Backend::kCatalogue, Backend::kMetrics, Backend::kReport}) {
    cache.SetLive(b, true, "");
  }
  const auto before = cache.TakeView();
  cache.Put(catalogue, "310113/2023", std::make_shared<const int>(1), before);
  cache.Put(report, "310113/2023", std::make_shared<const int>(2), before);
  cache.Put(summaries, "310113/2023", std::make_shared<const int>(3), before);

  cache.Invalidate(Backend::kCatalogue);
  const auto after = cache.TakeView();
  EXPECT_EQ(cache.Find(catalogue, "310113/2023", after), nullptr);
  EXPECT_EQ(cache.Find(summaries, "310113/2023", after), nullptr);
  ASSERT_NE(cache.Find(report, "310113/2023", after), nullptr);

  // A fetch begun before the change may hold old data: it is not kept.
  cache.Put(catalogue, "310107/2023", std::make_shared<const int>(4), before);
  EXPECT_EQ(cache.Find(catalogue, "310107/2023", after), nullptr);
  gv1::CacheState state;
  auto kept = cache.StoreFetched(catalogue, "310107/2023", before, absl::StatusOr<int>(5), &state);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(**kept, 5);  // handed on all the same
  EXPECT_EQ(cache.Find(catalogue, "310107/2023", after), nullptr);
}

TEST(GatewayCacheTest, DisabledStoresNothingAndFullShelvesEvict) {
  GatewayCache off(false);
  CacheTable<int> table(&off, {Backend::kCatalogue}, 10);
  off.SetLive(Backend::kCatalogue, true, "");
  auto view = off.TakeView();
  EXPECT_EQ(view.unusable_state[0], gv1::CACHE_STATE_DISABLED);
  gv1::CacheState state;
  auto fetched = off.GetOrFetch(
      table, "k", view, [] { return absl::StatusOr<int>(7); }, &state);
  EXPECT_EQ(state, gv1::CACHE_STATE_DISABLED);
  EXPECT_EQ(off.Find(table, "k", view), nullptr);

  GatewayCache on(true);
  CacheTable<int> small(&on, {Backend::kCatalogue}, 2);
  on.SetLive(Backend::kCatalogue, true, "");
  view = on.TakeView();
  for (int i = 0; i < 5; ++i)
    on.Put(small, std::to_string(i), std::make_shared<const int>(i), view);
  int present = 0;
  for (int i = 0; i < 5; ++i) present += on.Find(small, std::to_string(i), view) != nullptr;
  EXPECT_EQ(present, 2);
}

// A backend's change log, served to scripted streams.
class FakeLog {
 public:
  void Append(const std::string& resource) {
    absl::MutexLock lock(&mu_);
    ChangeMark m;
    m.sequence = static_cast<int64_t>(log_.size()) + 1;
    m.resource = resource;
    m.time_seconds = ++clock_;
    log_.push_back(m);
  }
  // Replaces the store: a new log of `n` changes.
  void Replace(int n) {
    absl::MutexLock lock(&mu_);
    log_.clear();
    ++generation_;
    for (int i = 0; i < n; ++i) {
      ChangeMark m;
      m.sequence = i + 1;
      m.resource = "projects/new";
      m.time_seconds = ++clock_;
      log_.push_back(m);
    }
  }
  // Ends every open stream with `status`; later streams end at once with it
  // too while `down`.
  void Break(grpc::Status status, bool down) {
    absl::MutexLock lock(&mu_);
    ++generation_;
    end_ = status;
    down_ = down;
  }
  void Up() {
    absl::MutexLock lock(&mu_);
    down_ = false;
  }
  // Streams opened from now on name the log's length as their head.
  void AnnounceHead() {
    absl::MutexLock lock(&mu_);
    announce_head_ = true;
  }
  std::vector<int64_t> asked() {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

  class Stream final : public ChangeStream {
   public:
    Stream(FakeLog* log, int64_t after) : log_(log), cursor_(after) {
      absl::MutexLock lock(&log_->mu_);
      log_->asked_.push_back(after);
      generation_ = log_->generation_;
      dead_ = log_->down_;
      status_ = log_->end_;
      head_ = log_->announce_head_ ? static_cast<int64_t>(log_->log_.size()) : -1;
    }
    void WaitEstablished() override {}
    int64_t Head() override { return head_; }
    bool Next(ChangeMark* mark) override {
      absl::MutexLock lock(&log_->mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(log_->mu_) {
        return dead_ || cancelled_ || generation_ != log_->generation_ ||
               static_cast<int64_t>(log_->log_.size()) > cursor_;
      };
      log_->mu_.Await(absl::Condition(&ready));
      if (dead_) return false;
      if (cancelled_) {
        status_ = grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
        return false;
      }
      if (generation_ != log_->generation_) {
        status_ = log_->end_;
        return false;
      }
      *mark = log_->log_[cursor_];
      cursor_ = mark->sequence;
      return true;
    }
    grpc::Status Finish() override { return status_; }
    void Cancel() override {
      absl::MutexLock lock(&log_->mu_);
      cancelled_ = true;
    }

   private:
    FakeLog* log_;
    int64_t cursor_;
    int64_t head_ = -1;
    int generation_ = 0;
    bool dead_ = false;
    bool cancelled_ = false;
    grpc::Status status_;
  };

  ChangeStreamOpener Opener() {
    return [this](int64_t after) { return std::make_unique<Stream>(this, after); };
  }

 private:
  absl::Mutex mu_;
  std::vector<ChangeMark> log_;
  int64_t clock_ = 0;
  int generation_ = 0;
  bool down_ = false;
  bool announce_head_ = false;
  grpc::Status end_;
  std::vector<int64_t> asked_;
};

struct Observed {
  std::atomic<bool> live{false};
  std::atomic<int> invalidations{0};
  ChangeFollowerCallbacks callbacks() {
    return {[this](bool l, const std::string&) { live = l; },
            [this](const std::string&) { ++invalidations; }};
  }
};

ChangeFollowerOptions Quick() {
  ChangeFollowerOptions options;
  options.verify_window = absl::Milliseconds(200);
  options.initial_backoff = absl::Milliseconds(5);
  options.max_backoff = absl::Milliseconds(20);
  return options;
}

TEST(ChangeFollowerTest, ReplaysFromZeroThenInvalidatesOnEveryChange) {
  FakeLog log;
  log.Append("projects/a");
  log.Append("projects/b");
  Observed seen;
  ChangeFollower follower("catalogue", log.Opener(), seen.callbacks(), Quick());
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations == 2; }));
  log.Append("projects/c");
  ASSERT_TRUE(WaitUntil([&] { return seen.invalidations == 3; }));
  EXPECT_EQ(log.asked(), std::vector<int64_t>{0});
}

TEST(ChangeFollowerTest, AFirstWatchSkipsTheHistoryBeforeTheHeadAndResumesFromIt) {
  FakeLog log;
  for (int i = 0; i < 50; ++i) log.Append("projects/old");
  log.AnnounceHead();
  Observed seen;
  ChangeFollower follower("catalogue", log.Opener(), seen.callbacks(), Quick());
  ASSERT_TRUE(WaitUntil([&] { return seen.live.load(); }));
  // The first watch only names the head (50); the follower then asks from
  // 49, so that change 50 is re-sent and nothing before it is read. The
  // head change does not invalidate; the changes after it do.
  log.Append("projects/new");
  ASSERT_TRUE(WaitUntil([&] { return seen.invalidations == 1; }));
  log.Append("projects/newer");
  ASSERT_TRUE(WaitUntil([&] { return seen.invalidations == 2; }));
  EXPECT_EQ(log.asked(), (std::vector<int64_t>{0, 49}));

  // A break resumes from the last change seen (52), re-sent and verified.
  log.Break(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"), /*down=*/false);
  ASSERT_TRUE(WaitUntil([&] { return log.asked().size() == 3u && seen.live; }));
  EXPECT_EQ(log.asked().back(), 51);
  EXPECT_EQ(seen.invalidations, 3) << "a resume drops what was cached, once";
}

TEST(ChangeFollowerTest, ResumesFromTheLastChangeSeenAndDropsWhatWasCached) {
  FakeLog log;
  log.Append("projects/a");
  log.Append("projects/b");
  Observed seen;
  ChangeFollower follower("catalogue", log.Opener(), seen.callbacks(), Quick());
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations == 2; }));

  log.Break(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"), /*down=*/true);
  ASSERT_TRUE(WaitUntil([&] { return !seen.live; }));
  log.Append("projects/c");  // written while the stream is down
  log.Up();
  // Resumed after 1 (so 2 is re-sent and checked), then 3 arrives.
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations >= 4; }));
  const auto asked = log.asked();
  EXPECT_EQ(asked.front(), 0);
  EXPECT_EQ(asked.back(), 1);
}

TEST(ChangeFollowerTest, AReplacedStoreIsDetectedAndFollowedFromTheStart) {
  FakeLog log;
  for (int i = 0; i < 5; ++i) log.Append("projects/old");
  Observed seen;
  ChangeFollower follower("metrics", log.Opener(), seen.callbacks(), Quick());
  ASSERT_TRUE(WaitUntil([&] { return seen.invalidations == 5; }));

  // A longer new history: change 5 differs from the one seen.
  log.Replace(8);
  log.Break(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"), false);
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations >= 9; }));
  EXPECT_EQ(log.asked().back(), 4);

  // A shorter new history: nothing re-sent within the window; start over.
  const int before = seen.invalidations;
  log.Replace(2);
  log.Break(grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting"), false);
  ASSERT_TRUE(WaitUntil([&] { return log.asked().back() == 0; }));
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations >= before + 3; }));
  log.Append("projects/after");
  ASSERT_TRUE(WaitUntil([&] { return seen.invalidations >= before + 4; }));
}

TEST(ChangeFollowerTest, FailedPreconditionDropsAndStaysResynchronising) {
  FakeLog log;
  log.Append("projects/a");
  Observed seen;
  ChangeFollower follower("report", log.Opener(), seen.callbacks(), Quick());
  ASSERT_TRUE(WaitUntil([&] { return seen.live && seen.invalidations == 1; }));
  log.Break(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "log truncated"), true);
  ASSERT_TRUE(WaitUntil([&] { return !seen.live && seen.invalidations >= 2; }));
  // Keeps retrying, and is never live while the backend refuses.
  ASSERT_TRUE(WaitUntil([&] { return log.asked().size() >= 4; }));
  EXPECT_FALSE(seen.live);
}

TEST(InFlightLimitTest, WaitsForASlotWithinTheDeadline) {
  InFlightLimit limit("metrics", 1);
  ASSERT_TRUE(limit.Acquire(absl::Now() + absl::Seconds(1)).ok());
  const absl::Status full = limit.Acquire(absl::Now() + absl::Milliseconds(30));
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(full.message().find("metrics"), std::string::npos) << full.message();
  EXPECT_NE(full.message().find("1 calls in flight"), std::string::npos) << full.message();
  std::thread release([&] {
    absl::SleepFor(absl::Milliseconds(20));
    limit.Release();
  });
  EXPECT_TRUE(limit.Acquire(absl::Now() + absl::Seconds(5)).ok());
  release.join();
  EXPECT_EQ(limit.in_flight(), 1);
  limit.Release();
}

}  // namespace
}  // namespace fazhi::gateway
