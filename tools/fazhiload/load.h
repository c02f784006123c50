// A closed-loop load generator for any unary gRPC method, in the spirit of
// ghz: `concurrency` callers each send one request, wait for the answer,
// and send the next, for `duration`; latencies are recorded per call.
#ifndef FAZHI_TOOLS_FAZHILOAD_LOAD_H_
#define FAZHI_TOOLS_FAZHILOAD_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fazhi::load {

struct LoadOptions {
  // "/package.Service/Method".
  std::string method;
  int concurrency = 8;
  absl::Duration duration = absl::Seconds(5);
  // Calls made before measuring starts (connections, caches).
  absl::Duration warmup = absl::Seconds(1);
  // Per-call deadline.
  absl::Duration timeout = absl::Seconds(5);
};

struct LoadResult {
  int64_t calls = 0;
  int64_t errors = 0;
  double seconds = 0;
  double qps = 0;
  // Latency percentiles, milliseconds.
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  // The first error seen, if any.
  std::string first_error;
};

// Produces the serialized request for call number `n` (so requests can vary).
using RequestMaker = std::function<std::string(int64_t n)>;

LoadResult RunLoad(const std::shared_ptr<grpc::Channel>& channel, const LoadOptions& options,
                   const RequestMaker& make_request);

// The serialized request for `method` ("/pkg.Service/Method") built from
// JSON with the contracts compiled into this binary; `{n}` in the JSON is
// replaced by the call number modulo `n_values` (when n_values > 0).
absl::StatusOr<RequestMaker> JsonRequestMaker(const std::string& method, const std::string& json,
                                              int64_t n_values);

// One line: "label  qps  p50  p90  p99  errors".
std::string FormatResult(const std::string& label, const LoadResult& result);

}  // namespace fazhi::load

#endif  // FAZHI_TOOLS_FAZHILOAD_LOAD_H_
