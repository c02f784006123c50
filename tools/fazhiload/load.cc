#include "tools/fazhiload/load.h"

#include <grpcpp/generic/generic_stub.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"

namespace fazhi::load {
namespace {

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[index];
}

}  // namespace

LoadResult RunLoad(const std::shared_ptr<grpc::Channel>& channel, const LoadOptions& options,
                   const RequestMaker& make_request) {
  grpc::GenericStub stub(channel);
  std::atomic<int64_t> counter{0};
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;

  auto worker = [&] {
    std::vector<double> mine;
    int64_t my_errors = 0;
    std::string my_first_error;
    while (!stop.load(std::memory_order_relaxed)) {
      const int64_t n = counter.fetch_add(1);
      const std::string bytes = make_request(n);
      grpc::Slice slice(bytes);
      grpc::ByteBuffer request(&slice, 1);
      grpc::ByteBuffer response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           absl::ToChronoMilliseconds(options.timeout));
      std::promise<grpc::Status> done;
      const bool counted = measuring.load(std::memory_order_relaxed);
      const auto start = std::chrono::steady_clock::now();
      stub.UnaryCall(&context, options.method, grpc::StubOptions(), &request, &response,
                     [&done](grpc::Status s) { done.set_value(std::move(s)); });
      grpc::Status status = done.get_future().get();
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      if (!counted) continue;
      if (status.ok()) {
        mine.push_back(ms);
      } else {
        ++my_errors;
        if (my_first_error.empty()) {
          my_first_error = absl::StrCat(status.error_code(), ": ", status.error_message());
        }
      }
    }
    absl::MutexLock lock(&mu);
    latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    errors += my_errors;
    if (first_error.empty()) first_error = my_first_error;
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < options.concurrency; ++i) threads.emplace_back(worker);
  std::this_thread::sleep_for(absl::ToChronoMilliseconds(options.warmup));
  measuring = true;
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(absl::ToChronoMilliseconds(options.duration));
  measuring = false;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stop = true;
  for (auto& t : threads) t.join();

  LoadResult result;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  result.calls = static_cast<int64_t>(latencies_ms.size());
  result.errors = errors;
  result.seconds = seconds;
  result.qps = result.calls / seconds;
  result.p50_ms = Percentile(latencies_ms, 0.50);
  result.p90_ms = Percentile(latencies_ms, 0.90);
  result.p99_ms = Percentile(latencies_ms, 0.99);
  result.first_error = first_error;
  return result;
}

absl::StatusOr<RequestMaker> JsonRequestMaker(const std::string& method, const std::string& json,
                                              int64_t n_values) {
  // "/pkg.Service/Method" -> "pkg.Service.Method".
  std::string full = method;
  if (!full.empty() && full[0] == '/') full = full.substr(1);
  std::replace(full.begin(), full.end(), '/', '.');
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
  if (descriptor == nullptr) {
    return errors::InvalidOption(
        "--method",
        absl::StrCat("method ", method, " is not among the contracts compiled into this tool"));
  }
  const auto* type = descriptor->input_type();
  auto factory = std::make_shared<google::protobuf::DynamicMessageFactory>();
  auto parse = [factory, type](const std::string& text) -> absl::StatusOr<std::string> {
    std::unique_ptr<google::protobuf::Message> message(factory->GetPrototype(type)->New());
    auto status = google::protobuf::util::JsonStringToMessage(text, message.get());
    if (!status.ok()) {
      return errors::InvalidOption(
          "--data", absl::StrCat("request JSON for ", type->full_name(), ": ", status.ToString()));
    }
    return message->SerializeAsString();
  };
  if (n_values <= 0 || json.find("{n}") == std::string::npos) {
    auto bytes = parse(json);
    if (!bytes.ok()) return bytes.status();
    const std::string fixed = *bytes;
    return RequestMaker([fixed](int64_t) { return fixed; });
  }
  // Pre-build every variant so the load loop does no JSON work.
  auto variants = std::make_shared<std::vector<std::string>>();
  for (int64_t i = 0; i < n_values; ++i) {
    auto bytes = parse(absl::StrReplaceAll(json, {{"{n}", absl::StrCat(i)}}));
    if (!bytes.ok()) return bytes.status();
    variants->push_back(*bytes);
  }
  return RequestMaker([variants](int64_t n) { return (*variants)[n % variants->size()]; });
}

std::string FormatResult(const std::string& label, const LoadResult& r) {
  return absl::StrFormat("%-34s %10.0f qps  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  errors %d",
                         label, r.qps, r.p50_ms, r.p90_ms, r.p99_ms, r.errors);
}

}  // namespace fazhi::load
