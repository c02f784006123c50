// Prometheus metrics for every server: requests and latency per gRPC method,
// exposed in the text exposition format on their own HTTP port.
#ifndef FAZHI_COMMON_SERVER_PROMETHEUS_H_
#define FAZHI_COMMON_SERVER_PROMETHEUS_H_

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace fazhi::server {

// Counters and latency histograms per (method, code). Thread-safe.
class RpcMetrics {
 public:
  // Upper bounds of the latency buckets, seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void Record(const std::string& method, const std::string& code, double seconds);
  // A call the authorizer refused, by method and ErrorInfo reason.
  void RecordDenied(const std::string& method, const std::string& reason);
  // The whole registry in the Prometheus text format, with `service` as a
  // label on every sample.
  std::string Render(const std::string& service) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> requests_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Histogram> latency_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, uint64_t> denied_ ABSL_GUARDED_BY(mu_);
};

// Creates the interceptor that feeds RpcMetrics for each call.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMetricsInterceptorFactory(
    RpcMetrics* metrics);

// A tiny HTTP/1.0 server answering GET /metrics (anything else is 404).
class MetricsHttpServer {
 public:
  MetricsHttpServer(RpcMetrics* metrics, std::string service);
  ~MetricsHttpServer();

  // Listens on `address`:`port` (0 picks a free port) and serves on a thread.
  absl::Status Start(const std::string& address, int port);
  int port() const { return port_; }
  void Stop();

 private:
  void Serve();

  RpcMetrics* metrics_;
  std::string service_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_PROMETHEUS_H_
