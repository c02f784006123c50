// A WatchChanges stream for tests, established before the test goes on: the
// constructor returns once the server has sent the initial metadata, so a
// write made afterwards is one the watch must see — no sleeping for order.
#ifndef FAZHI_TESTS_TESTING_WATCH_H_
#define FAZHI_TESTS_TESTING_WATCH_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/server/change_stream.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace fazhi::testing {

// Stub: a generated stub with WatchChanges(Request) returning a stream of
// Change. Every read is bounded by a 10 s deadline on the whole stream.
template <typename Stub, typename Request, typename Change>
class OpenWatch {
 public:
  OpenWatch(Stub& stub, int64_t after_sequence) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Request request;
    request.set_after_sequence(after_sequence);
    reader_ = stub.WatchChanges(&context_, request);
    reader_->WaitForInitialMetadata();
  }
  ~OpenWatch() {
    if (!finished_) Finish();
  }
  OpenWatch(const OpenWatch&) = delete;
  OpenWatch& operator=(const OpenWatch&) = delete;

  // The head sequence the server named on accepting the watch
  // (server::kHeadSequenceKey), or "" when it named none.
  std::string head() const {
    const auto& metadata = context_.GetServerInitialMetadata();
    auto it = metadata.find(server::kHeadSequenceKey);
    return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  // The next `count` changes, or fewer when the stream ends first.
  std::vector<Change> Read(size_t count) {
    std::vector<Change> got;
    Change change;
    while (got.size() < count && reader_->Read(&change)) got.push_back(change);
    return got;
  }

  // Reads until the stream ends and returns its status.
  grpc::Status Drain() {
    Change change;
    while (reader_->Read(&change)) {
    }
    finished_ = true;
    return reader_->Finish();
  }

  // Cancels the stream and returns its status.
  grpc::Status Finish() {
    context_.TryCancel();
    return Drain();
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Change>> reader_;
  bool finished_ = false;
};

// Everything a fresh watch from `after_sequence` replays, up to `count`
// changes, then cancelled.
template <typename Stub, typename Request, typename Change>
std::vector<Change> ReadChanges(Stub& stub, int64_t after_sequence, size_t count) {
  OpenWatch<Stub, Request, Change> watch(stub, after_sequence);
  return watch.Read(count);
}

// How the server refused a watch from `after_sequence`: the code, and the
// fields of the google.rpc.BadRequest it sent.
struct RefusedWatch {
  absl::StatusCode code = absl::StatusCode::kOk;
  std::vector<std::string> fields;
};
template <typename Stub, typename Request, typename Change>
RefusedWatch RefuseWatch(Stub& stub, int64_t after_sequence) {
  OpenWatch<Stub, Request, Change> watch(stub, after_sequence);
  const absl::Status status = FromGrpcStatus(watch.Drain());
  RefusedWatch refused;
  refused.code = status.code();
  google::rpc::BadRequest bad_request;
  if (errors::GetDetail(status, &bad_request)) {
    for (const auto& v : bad_request.field_violations()) refused.fields.push_back(v.field());
  }
  return refused;
}

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_WATCH_H_
