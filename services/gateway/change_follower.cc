#include "services/gateway/change_follower.h"

#include <algorithm>
#include <atomic>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/base/logging.h"

namespace fazhi::gateway {

ChangeFollower::ChangeFollower(std::string backend, ChangeStreamOpener open,
                               ChangeFollowerCallbacks callbacks, ChangeFollowerOptions options)
    : backend_(std::move(backend)),
      open_(std::move(open)),
      callbacks_(std::move(callbacks)),
      options_(options),
      thread_([this] { Run(); }) {}

ChangeFollower::~ChangeFollower() {
  stopping_.Notify();
  {
    absl::MutexLock lock(&mu_);
    if (stream_ != nullptr) stream_->Cancel();
  }
  thread_.join();
}

void ChangeFollower::SetStream(ChangeStream* stream) {
  absl::MutexLock lock(&mu_);
  stream_ = stream;
  if (stream_ != nullptr && stopping_.HasBeenNotified()) stream_->Cancel();
}

void ChangeFollower::Run() {
  absl::Duration backoff = options_.initial_backoff;
  while (!stopping_.HasBeenNotified()) {
    const absl::Time started = absl::Now();
    if (FollowOnce()) continue;
    // A stream that stayed up a while was a healthy one: start the backoff
    // over.
    if (absl::Now() - started > options_.max_backoff) backoff = options_.initial_backoff;
    if (stopping_.WaitForNotificationWithTimeout(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  callbacks_.on_state(false, "the gateway is stopping");
}

bool ChangeFollower::FollowOnce() {
  const bool resuming = last_.sequence > 0;
  std::unique_ptr<ChangeStream> stream = open_(resuming ? last_.sequence - 1 : 0);
  SetStream(stream.get());
  stream->WaitEstablished();
  int64_t head = stream->Head();
  if (!resuming && head > 1) {
    // Nothing is cached from this backend yet, so its history up to the
    // head changes nothing: follow from the head's own change instead of
    // replaying the whole log (which, for a store with years of changes,
    // costs the backend and a new gateway seconds of work). The head change
    // is re-sent first, so that a later resume can verify it.
    stream->Cancel();
    (void)stream->Finish();
    SetStream(nullptr);
    if (stopping_.HasBeenNotified()) return false;
    stream = open_(head - 1);
    SetStream(stream.get());
    stream->WaitEstablished();
    head = stream->Head();
  }

  // While resuming: the first change must come within the window.
  absl::Notification first_change_or_end;
  std::atomic<bool> window_expired{false};
  std::thread watchdog;
  if (resuming) {
    watchdog = std::thread([&] {
      if (!first_change_or_end.WaitForNotificationWithTimeout(options_.verify_window)) {
        window_expired = true;
        stream->Cancel();
      }
    });
  } else {
    callbacks_.on_state(true, "");
  }

  bool verified = !resuming;
  ChangeMark mark;
  while (stream->Next(&mark)) {
    if (!verified) {
      verified = true;
      first_change_or_end.Notify();
      const bool same_history = mark.SameChange(last_);
      callbacks_.on_invalidate(
          same_history ? "the change stream resumed after a break"
                       : absl::StrCat("the backend's history changed (store replaced?): change ",
                                      mark.sequence, " is not the one last seen"));
      callbacks_.on_state(true, "");
      if (same_history) continue;
    } else if (mark.sequence <= last_.sequence) {
      callbacks_.on_invalidate(absl::StrCat("the change sequence went backwards, from ",
                                            last_.sequence, " to ", mark.sequence));
    }
    last_ = mark;
    // Committed before the watch was accepted: older than anything read
    // since (see the header).
    if (head >= 0 && mark.sequence <= head) continue;
    callbacks_.on_invalidate(absl::StrCat("change ", mark.sequence, " to ", mark.resource));
  }
  // Not live from here on: nothing more will be heard from this stream.
  callbacks_.on_state(false, "resynchronising: the change stream ended");
  if (!first_change_or_end.HasBeenNotified()) first_change_or_end.Notify();
  if (watchdog.joinable()) watchdog.join();
  const grpc::Status status = stream->Finish();
  SetStream(nullptr);

  if (stopping_.HasBeenNotified()) return false;
  if (window_expired) {
    FAZHI_LOG(WARNING) << backend_ << ": the change stream did not re-send change "
                       << last_.sequence << " within the verify window; its log is shorter than "
                       << "the one followed (store replaced?): following again from the start";
    callbacks_.on_state(false, "resynchronising: the backend's change log was replaced");
    callbacks_.on_invalidate("the backend's change log was replaced");
    last_ = ChangeMark();
    return true;
  }
  const std::string why =
      absl::StrCat("resynchronising: the change stream ended with ",
                   absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                   ": ", status.error_message());
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    // The log no longer holds the resume point: whatever was cached may
    // predate changes that can no longer be read.
    if (why != last_warning_) {
      FAZHI_LOG(WARNING) << backend_ << ": " << why << "; dropping its cached entries (logged "
                         << "once; retrying)";
      last_warning_ = why;
    }
    callbacks_.on_invalidate(why);
  }
  callbacks_.on_state(false, why);
  return false;
}

}  // namespace fazhi::gateway
