// Serving WatchChanges: the resumable server stream every store service
// offers over its change log (common/storage/change_feed.h), on gRPC's
// callback API so that an open stream holds no thread.
//
//   class MyService final
//       : public v1::MyService::WithCallbackMethod_WatchChanges<v1::MyService::Service> {
//     grpc::ServerWriteReactor<v1::Change>* WatchChanges(
//         grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override {
//       auto caller = authorizer_.Authorize(*context, rules_.Of("WatchChanges"));
//       if (!caller.ok()) return watches_.Refuse(ToGrpcStatus(caller.status()));
//       return watches_.Watch(context, request->after_sequence());
//     }
//     server::ChangeStreams<v1::Change> watches_{
//         "my service", server::ChangeSourceOf<v1::Change>(store_)};
//   };
//   // main.cc: runner.AddShutdownHook([&service] { service.StopWatches(); });
//
// How a stream moves: it writes one change at a time and, when a write
// completes, the next; when it has sent everything committed it parks in
// the registry of waiting streams. One poller thread per ChangeStreams waits
// on the store's ChangeNotifier and, on each publish, takes every parked
// stream behind the new head out of the registry and starts its next read.
// A thousand idle watchers therefore cost a thousand small objects, not a
// thousand blocked threads.
#ifndef FAZHI_COMMON_SERVER_CHANGE_STREAM_H_
#define FAZHI_COMMON_SERVER_CHANGE_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server/admission.h"
#include "common/server/authorizer.h"
#include "common/status/grpc_status.h"

namespace fazhi::server {

// Where a stream reads from.
template <typename Change>
struct ChangeSource {
  // Up to `limit` changes with a sequence above `after`, in sequence order.
  std::function<absl::StatusOr<std::vector<Change>>(uint64_t after, int limit)> changes_after;
  // Blocks until a change above `after` is committed or `timeout` passes.
  std::function<void(uint64_t after, absl::Duration timeout)> wait_for_change_after;
  // The sequence of the last committed change (0 when none).
  std::function<uint64_t()> last_committed;
};

// The initial metadata key of a watch: the sequence of the last change
// committed when the watch was accepted. A client that reads the store
// after the watch is established has seen every change up to it.
inline constexpr char kHeadSequenceKey[] = "fazhi-head-sequence";

// The source of a store that has both as methods:
//   absl::StatusOr<std::vector<Change>> ChangesAfter(uint64_t after, int limit);
//   WaitForChangeAfter(uint64_t after, absl::Duration timeout);
//   uint64_t LastCommittedChange() const;
// `store` must outlive the source.
template <typename Change, typename Store>
ChangeSource<Change> ChangeSourceOf(Store* store) {
  return {[store](uint64_t after, int limit) { return store->ChangesAfter(after, limit); },
          [store](uint64_t after, absl::Duration timeout) {
            store->WaitForChangeAfter(after, timeout);
          },
          [store] { return store->LastCommittedChange(); }};
}

// The statuses a watch ends with that do not come from its source.
grpc::Status InvalidWatchCursor();
// UNAVAILABLE (reason SHUTTING_DOWN) naming the sequence to resume after.
grpc::Status WatchShuttingDown(const std::string& service, uint64_t cursor);
grpc::Status WatchCancelled();

// A stream that ends at once with `status` (a refused watch). Owns itself.
template <typename Change>
class RefusedWatch final : public grpc::ServerWriteReactor<Change> {
 public:
  explicit RefusedWatch(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

// The WatchChanges streams of one service over one source. Thread-safe.
template <typename Change>
class ChangeStreams {
 public:
  // Changes read from the log at a time.
  static constexpr int kBatchSize = 500;

  // `service` names the service in messages: "the catalogue". `source`
  // must stay usable until this is destroyed.
  ChangeStreams(std::string service, ChangeSource<Change> source)
      : service_(std::move(service)), source_(std::move(source)) {}
  // Stops (as Stop()) and waits until every stream it started has ended,
  // so the server must be shut down (its calls cancelled) first or along.
  ~ChangeStreams();
  ChangeStreams(const ChangeStreams&) = delete;
  ChangeStreams& operator=(const ChangeStreams&) = delete;

  // Ends every open stream, and refuses new ones, with UNAVAILABLE (reason
  // SHUTTING_DOWN) naming the sequence to resume after: a waiting stream at
  // once, one busy writing when its current write completes. For the
  // server's shutdown hooks.
  void Stop();

  // Serves one WatchChanges call:
  //   * after_sequence < 0: INVALID_ARGUMENT, BadRequest on "after_sequence";
  //   * else the initial metadata is sent at once, so a client's
  //     WaitForInitialMetadata() returns as soon as the watch is established
  //     even when no change comes; it carries kHeadSequenceKey;
  //   * then every change above after_sequence (0 = from the start), in
  //     order, and each new one as it is committed, until the caller cancels
  //     (CANCELLED), goes away (OK), or Stop() (UNAVAILABLE).
  // A caller that resumes with the last sequence it received misses nothing
  // and receives nothing twice. `held_for_stream` (may be null) is kept
  // until the stream has ended and is then released: the caller's stream
  // slot, so that a per-caller bound on open streams counts this one.
  grpc::ServerWriteReactor<Change>* Watch(grpc::CallbackServerContext* context,
                                          int64_t after_sequence,
                                          std::shared_ptr<void> held_for_stream = nullptr);

  // A WatchChanges handler whole: authorizes `entry` for the caller, takes
  // the caller's stream slot (Admission::AcquireStream: a bound per caller
  // and per server, RESOURCE_EXHAUSTED with RetryInfo when none is free),
  // holds it for the life of the stream, and serves Watch. A refusal
  // finishes the stream with its status.
  grpc::ServerWriteReactor<Change>* WatchFor(const Authorizer& authorizer,
                                             const MethodRules::Entry& entry,
                                             grpc::CallbackServerContext* context,
                                             int64_t after_sequence) {
    auto caller = authorizer.Authorize(*context, entry);
    if (!caller.ok()) return Refuse(ToGrpcStatus(caller.status()));
    auto slot = authorizer.admission().AcquireStream(*caller, context->peer());
    if (!slot.ok()) return Refuse(ToGrpcStatus(slot.status()));
    return Watch(context, after_sequence, std::make_shared<StreamSlot>(*std::move(slot)));
  }

  // A stream refused before it starts (e.g. by the authorizer).
  static grpc::ServerWriteReactor<Change>* Refuse(const grpc::Status& status) {
    return new RefusedWatch<Change>(status);
  }

  // Streams started and not yet ended (waiting or writing).
  size_t open_streams() const {
    absl::MutexLock lock(&mu_);
    return open_;
  }

 private:
  class Stream;

  // How long the poller waits on the source before looking again whether
  // it has been stopped.
  static constexpr absl::Duration kPollInterval = absl::Milliseconds(100);

  // Parks `stream` (its cursor at the head it has read to) until a later
  // change is committed. False when one already is: read again. True when
  // parked, or when the stream has been ended (cancelled or stopped).
  bool Park(Stream* stream);
  // Wakes parked streams behind each newly committed head until Stop().
  void Poll();
  void Ended();

  const std::string service_;
  const ChangeSource<Change> source_;
  std::once_flag poller_started_;
  std::thread poller_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_set<Stream*> parked_ ABSL_GUARDED_BY(mu_);
};

// One WatchChanges call. Owns itself: deleted when gRPC is done with it.
// At any time exactly one party moves it on: the write-completion callback,
// the poller that took it out of `parked_`, or (when parked) OnCancel/Stop.
template <typename Change>
class ChangeStreams<Change>::Stream final : public grpc::ServerWriteReactor<Change> {
 public:
  Stream(ChangeStreams* streams, grpc::CallbackServerContext* context, uint64_t cursor,
         std::shared_ptr<void> held_for_stream)
      : streams_(streams), cursor_(cursor), held_for_stream_(std::move(held_for_stream)) {
    context->AddInitialMetadata(kHeadSequenceKey,
                                std::to_string(streams_->source_.last_committed()));
    this->StartSendInitialMetadata();
    SendNext();
  }

  uint64_t cursor() const { return cursor_; }
  // Set under the streams' mutex.
  bool cancelled = false;

  // Writes the next change, reading the log when the batch in hand is sent,
  // or parks when there is nothing to send.
  void SendNext() {
    if (next_ < batch_.size()) {
      this->StartWrite(&batch_[next_]);
      return;
    }
    batch_.clear();
    next_ = 0;
    while (true) {
      if (EndedByStop()) return;
      auto batch = streams_->source_.changes_after(cursor_, kBatchSize);
      if (!batch.ok()) {
        this->Finish(ToGrpcStatus(batch.status()));
        return;
      }
      if (!batch->empty()) {
        batch_ = std::move(*batch);
        this->StartWrite(&batch_[0]);
        return;
      }
      if (streams_->Park(this)) return;
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // the caller went away (or cancelled: it sees CANCELLED)
      this->Finish(grpc::Status::OK);
      return;
    }
    cursor_ = static_cast<uint64_t>(batch_[next_].sequence());
    ++next_;
    if (EndedByStop()) return;
    SendNext();
  }

  void OnCancel() override {
    bool was_parked;
    {
      absl::MutexLock lock(&streams_->mu_);
      cancelled = true;
      was_parked = streams_->parked_.erase(this) > 0;
    }
    // Otherwise the write in flight fails, or Park sees `cancelled`.
    if (was_parked) this->Finish(WatchCancelled());
  }

  void OnDone() override {
    ChangeStreams* streams = streams_;
    delete this;  // releases held_for_stream_ before the stream counts as ended
    streams->Ended();
  }

 private:
  // Finishes with UNAVAILABLE when the streams have been stopped.
  bool EndedByStop() {
    {
      absl::MutexLock lock(&streams_->mu_);
      if (!streams_->stopping_) return false;
    }
    this->Finish(WatchShuttingDown(streams_->service_, cursor_));
    return true;
  }

  ChangeStreams* const streams_;
  uint64_t cursor_;
  std::vector<Change> batch_;
  size_t next_ = 0;  // the change of batch_ being written
  const std::shared_ptr<void> held_for_stream_;
};

template <typename Change>
ChangeStreams<Change>::~ChangeStreams() {
  Stop();
  if (poller_.joinable()) poller_.join();
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](size_t* open) { return *open == 0; }, &open_));
}

template <typename Change>
void ChangeStreams<Change>::Stop() {
  std::vector<Stream*> parked;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    parked.assign(parked_.begin(), parked_.end());
    parked_.clear();
  }
  for (Stream* stream : parked) stream->Finish(WatchShuttingDown(service_, stream->cursor()));
}

template <typename Change>
grpc::ServerWriteReactor<Change>* ChangeStreams<Change>::Watch(
    grpc::CallbackServerContext* context, int64_t after_sequence,
    std::shared_ptr<void> held_for_stream) {
  if (after_sequence < 0) return Refuse(InvalidWatchCursor());
  std::call_once(poller_started_, [this] { poller_ = std::thread([this] { Poll(); }); });
  {
    absl::MutexLock lock(&mu_);
    ++open_;
  }
  return new Stream(this, context, static_cast<uint64_t>(after_sequence),
                    std::move(held_for_stream));
}

template <typename Change>
bool ChangeStreams<Change>::Park(Stream* stream) {
  grpc::Status ended;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      ended = WatchShuttingDown(service_, stream->cursor());
    } else if (stream->cancelled) {
      ended = WatchCancelled();
    } else {
      // Checked under mu_, which the poller holds while it takes parked
      // streams: a change committed after this check wakes the poller,
      // which then finds the stream parked.
      if (source_.last_committed() > stream->cursor()) return false;
      parked_.insert(stream);
      return true;
    }
  }
  stream->Finish(ended);
  return true;
}

template <typename Change>
void ChangeStreams<Change>::Poll() {
  uint64_t head = source_.last_committed();
  while (true) {
    source_.wait_for_change_after(head, kPollInterval);
    head = source_.last_committed();
    std::vector<Stream*> behind;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      for (auto it = parked_.begin(); it != parked_.end();) {
        if ((*it)->cursor() < head) {
          behind.push_back(*it);
          parked_.erase(it++);
        } else {
          ++it;
        }
      }
    }
    for (Stream* stream : behind) stream->SendNext();
  }
}

template <typename Change>
void ChangeStreams<Change>::Ended() {
  absl::MutexLock lock(&mu_);
  --open_;
}

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_CHANGE_STREAM_H_
