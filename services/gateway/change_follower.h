// Follows one backend's change stream (WatchChanges) for the gateway's
// cache. The three services share one contract:
//
//   rpc WatchChanges(WatchChangesRequest{int64 after_sequence}) returns (stream Change)
//   Change{int64 sequence; string resource; Kind kind; string actor; Timestamp time}
//
// and send the initial metadata as soon as a watch is accepted.
//
// What the follower promises its owner (the cache):
//  * on_state(true, …) only while a stream is established and nothing can
//    have been missed since the last change handed on; on_state(false, why)
//    as soon as that stops being true (stream broken, backend down,
//    resynchronising). While not live, the owner must not use what it
//    cached from the backend.
//  * on_invalidate(why) for every change received, and when the backend's
//    history is no longer the one followed: FAILED_PRECONDITION (its log no
//    longer holds the sequence to resume from), a sequence that went
//    backwards, or a store replaced (see below). The owner drops what it
//    cached from the backend.
//
// Resuming: after a break the follower asks again from the last sequence
// it handed on, minus one, so the backend first re-sends that last change.
// The same change (sequence, resource, kind, time) proves the same history,
// so no change is skipped by resuming. A different change, or none within
// `verify_window` (the backend's log is now shorter: its store was replaced
// by an older or a new one), means another history; in the second case the
// follower starts again from sequence 0, which replays the whole log.
// Either way it invalidates before going live again: what was cached
// before the break may predate changes made during it, which arrive just
// after the re-sent change, and the follower cannot tell when it has read
// them all (the contract has no "head" sequence). So a break costs the
// backend's cached entries, never freshness.
//
// FAILED_PRECONDITION means the backend's log no longer holds the resume
// point: the follower invalidates and keeps retrying (with backoff) from the
// same point, and the backend stays uncached meanwhile; the contract offers
// no way to learn the oldest sequence a log keeps.
//
// At the first connection (nothing cached yet) the follower starts from 0;
// when the backend names its head on accepting the watch (Head() > 1), the
// history before it changes nothing cached, so the follower cancels that
// watch and follows from head - 1 instead (the head change is re-sent, for
// a later resume to verify) rather than reading the whole log. It is live
// from the moment that watch is established (WaitForInitialMetadata). The
// changes up to the head the live watch names were committed before
// anything now cached was read, so they are handed on without
// invalidating; changes after it invalidate as they come. The same holds
// after a verified resume.
#ifndef FAZHI_SERVICES_GATEWAY_CHANGE_FOLLOWER_H_
#define FAZHI_SERVICES_GATEWAY_CHANGE_FOLLOWER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "common/server/change_stream.h"

namespace fazhi::gateway {

// What the follower reads of one change.
struct ChangeMark {
  int64_t sequence = 0;
  std::string resource;
  int kind = 0;
  int64_t time_seconds = 0;
  int32_t time_nanos = 0;

  bool SameChange(const ChangeMark& other) const {
    return sequence == other.sequence && resource == other.resource && kind == other.kind &&
           time_seconds == other.time_seconds && time_nanos == other.time_nanos;
  }
};

// One open WatchChanges call.
class ChangeStream {
 public:
  virtual ~ChangeStream() = default;
  // Blocks until the backend accepted the watch (its initial metadata) or
  // the call ended.
  virtual void WaitEstablished() = 0;
  // After WaitEstablished: the backend's last committed change when it
  // accepted the watch (server::kHeadSequenceKey), or -1 when not said.
  virtual int64_t Head() { return -1; }
  // The next change; false when the stream ended (then call Finish).
  virtual bool Next(ChangeMark* mark) = 0;
  virtual grpc::Status Finish() = 0;
  // Ends the call; safe from any thread.
  virtual void Cancel() = 0;
};

// Opens a watch of changes after `after_sequence`.
using ChangeStreamOpener = std::function<std::unique_ptr<ChangeStream>(int64_t after_sequence)>;

// A ChangeStream over a generated stub with the contract above.
template <typename Stub, typename Request, typename Change>
class GrpcChangeStream final : public ChangeStream {
 public:
  GrpcChangeStream(Stub* stub, int64_t after_sequence) {
    Request request;
    request.set_after_sequence(after_sequence);
    reader_ = stub->WatchChanges(&context_, request);
  }
  void WaitEstablished() override { reader_->WaitForInitialMetadata(); }
  int64_t Head() override {
    const auto& metadata = context_.GetServerInitialMetadata();
    auto it = metadata.find(server::kHeadSequenceKey);
    int64_t head = -1;
    if (it == metadata.end() ||
        !absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &head)) {
      return -1;
    }
    return head;
  }
  bool Next(ChangeMark* mark) override {
    Change change;
    if (!reader_->Read(&change)) return false;
    mark->sequence = change.sequence();
    mark->resource = change.resource();
    mark->kind = static_cast<int>(change.kind());
    mark->time_seconds = change.time().seconds();
    mark->time_nanos = change.time().nanos();
    return true;
  }
  grpc::Status Finish() override { return reader_->Finish(); }
  void Cancel() override { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Change>> reader_;
};

// The opener for a stub whose service follows the contract above.
template <typename Stub, typename Request, typename Change>
ChangeStreamOpener GrpcChangeStreamOpener(Stub* stub) {
  return [stub](int64_t after) {
    return std::make_unique<GrpcChangeStream<Stub, Request, Change>>(stub, after);
  };
}

struct ChangeFollowerOptions {
  // How long a resumed stream may take to re-send the last change seen
  // before the backend's history counts as replaced.
  absl::Duration verify_window = absl::Seconds(2);
  // Waits between attempts to open a stream: from the first, doubling, up
  // to the last.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

struct ChangeFollowerCallbacks {
  std::function<void(bool live, const std::string& detail)> on_state;
  std::function<void(const std::string& why)> on_invalidate;
};

class ChangeFollower {
 public:
  // Starts following on a thread of its own. `backend` names it in logs.
  ChangeFollower(std::string backend, ChangeStreamOpener open, ChangeFollowerCallbacks callbacks,
                 ChangeFollowerOptions options = {});
  // Stops and joins the thread.
  ~ChangeFollower();

  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

 private:
  // One stream from open to end. Returns true to reconnect at once (the
  // backend's history was replaced), false to back off first.
  bool FollowOnce();
  void Run();
  void SetStream(ChangeStream* stream);

  const std::string backend_;
  const ChangeStreamOpener open_;
  const ChangeFollowerCallbacks callbacks_;
  const ChangeFollowerOptions options_;

  // The last change handed on; sequence 0 when none (or after a reset).
  ChangeMark last_;
  // The last warning logged, not to repeat it on every retry.
  std::string last_warning_;

  absl::Notification stopping_;
  absl::Mutex mu_;
  ChangeStream* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_CHANGE_FOLLOWER_H_
