// Serving WatchChanges: the resumable server stream every store service
// offers over its change log (common/storage/change_feed.h).
//
//   grpc::Status MyService::WatchChanges(grpc::ServerContext* context,
//                                        const v1::WatchChangesRequest* request,
//                                        grpc::ServerWriter<v1::Change>* writer) {
//     return watches_.Serve(context, request->after_sequence(), writer,
//                           server::ChangeSourceOf<v1::Change>(store_));
//   }
//   // main.cc: runner.AddShutdownHook([&service] { service.StopWatches(); });
#ifndef FAZHI_COMMON_SERVER_CHANGE_STREAM_H_
#define FAZHI_COMMON_SERVER_CHANGE_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// The WatchChanges streams of one service. Thread-safe.
class ChangeStreams {
 public:
  // Changes sent per read of the log.
  static constexpr int kBatchSize = 500;

  // `service` names the service in messages: "the catalogue".
  explicit ChangeStreams(std::string service) : service_(std::move(service)) {}

  // Ends every open stream, and refuses new ones, with UNAVAILABLE (reason
  // SHUTTING_DOWN) naming the sequence to resume after. Open streams notice
  // within the poll interval (500 ms). For the server's shutdown hooks.
  void Stop() { stopping_ = true; }

  // Serves one WatchChanges call:
  //   * after_sequence < 0: INVALID_ARGUMENT, BadRequest on "after_sequence";
  //   * else the initial metadata is sent at once, so a client's
  //     WaitForInitialMetadata() returns as soon as the watch is established
  //     even when no change comes; it carries kHeadSequenceKey;
  //   * then every change above after_sequence (0 = from the start), in
  //     order, and each new one as it is committed, until the caller cancels
  //     (CANCELLED), goes away (OK), or Stop() (UNAVAILABLE).
  // A caller that resumes with the last sequence it received misses nothing
  // and receives nothing twice.
  template <typename Change>
  grpc::Status Serve(grpc::ServerContext* context, int64_t after_sequence,
                     grpc::ServerWriter<Change>* writer, const ChangeSource<Change>& source) const;

 private:
  static grpc::Status InvalidCursor();
  grpc::Status ShuttingDown(uint64_t cursor) const;

  static constexpr absl::Duration kPollInterval = absl::Milliseconds(500);

  const std::string service_;
  std::atomic<bool> stopping_{false};
};

template <typename Change>
grpc::Status ChangeStreams::Serve(grpc::ServerContext* context, int64_t after_sequence,
                                  grpc::ServerWriter<Change>* writer,
                                  const ChangeSource<Change>& source) const {
  if (after_sequence < 0) return InvalidCursor();
  uint64_t cursor = static_cast<uint64_t>(after_sequence);
  context->AddInitialMetadata(kHeadSequenceKey, std::to_string(source.last_committed()));
  writer->SendInitialMetadata();
  // The wait wakes at least every poll interval to notice a cancelled
  // caller or a server shutting down.
  while (!context->IsCancelled()) {
    if (stopping_) return ShuttingDown(cursor);
    auto batch = source.changes_after(cursor, kBatchSize);
    if (!batch.ok()) return ToGrpcStatus(batch.status());
    for (const auto& change : *batch) {
      if (!writer->Write(change)) return grpc::Status::OK;  // the caller went away
      cursor = static_cast<uint64_t>(change.sequence());
    }
    if (batch->size() < static_cast<size_t>(kBatchSize)) {
      source.wait_for_change_after(cursor, kPollInterval);
    }
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "the watch was cancelled");
}

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_CHANGE_STREAM_H_
