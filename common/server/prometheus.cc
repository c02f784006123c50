#include "common/server/prometheus.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace fazhi::server {

void RpcMetrics::Record(const std::string& method, const std::string& code, double seconds) {
  absl::MutexLock lock(&mu_);
  ++requests_[{method, code}];
  Histogram& h = latency_[method];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void RpcMetrics::RecordDenied(const std::string& method, const std::string& reason) {
  absl::MutexLock lock(&mu_);
  ++denied_[{method, reason}];
}

std::string RpcMetrics::Render(const std::string& service) const {
  absl::MutexLock lock(&mu_);
  std::string out;
  absl::StrAppend(&out,
                  "# HELP fazhi_grpc_requests_total gRPC calls handled, by method and code.\n"
                  "# TYPE fazhi_grpc_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    absl::StrAppend(&out, "fazhi_grpc_requests_total{service=\"", service, "\",method=\"",
                    key.first, "\",code=\"", key.second, "\"} ", count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP fazhi_grpc_latency_seconds gRPC call latency, by method.\n"
                  "# TYPE fazhi_grpc_latency_seconds histogram\n");
  for (const auto& [method, h] : latency_) {
    const std::string labels = absl::StrCat("service=\"", service, "\",method=\"", method, "\"");
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      absl::StrAppend(&out, "fazhi_grpc_latency_seconds_bucket{", labels, ",le=\"", kBuckets[i],
                      "\"} ", h.buckets[i], "\n");
    }
    absl::StrAppend(&out, "fazhi_grpc_latency_seconds_bucket{", labels, ",le=\"+Inf\"} ", h.count,
                    "\n", "fazhi_grpc_latency_seconds_sum{", labels, "} ", h.sum, "\n",
                    "fazhi_grpc_latency_seconds_count{", labels, "} ", h.count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP fazhi_authorization_denied_total Calls refused by the authorizer, by "
                  "method and reason.\n"
                  "# TYPE fazhi_authorization_denied_total counter\n");
  for (const auto& [key, count] : denied_) {
    absl::StrAppend(&out, "fazhi_authorization_denied_total{service=\"", service, "\",method=\"",
                    key.first, "\",reason=\"", key.second, "\"} ", count, "\n");
  }
  return out;
}

namespace {

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return (i >= 0 && i <= 16) ? kNames[i] : "UNKNOWN";
}

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(grpc::experimental::ServerRpcInfo* info, RpcMetrics* metrics)
      : method_(info->method()), metrics_(metrics), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->Record(method_, CodeName(methods->GetSendStatus().error_code()), seconds);
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  RpcMetrics* metrics_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(RpcMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_);
  }

 private:
  RpcMetrics* metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMetricsInterceptorFactory(
    RpcMetrics* metrics) {
  return std::make_unique<MetricsInterceptorFactory>(metrics);
}

MetricsHttpServer::MetricsHttpServer(RpcMetrics* metrics, std::string service)
    : metrics_(metrics), service_(std::move(service)) {}

MetricsHttpServer::~MetricsHttpServer() { Stop(); }

absl::Status MetricsHttpServer::Start(const std::string& address, int port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return errors::Unavailable("METRICS_PORT", std::strerror(errno));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
    return errors::InvalidField("metrics_address", "must be an IPv4 address such as 0.0.0.0");
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    const std::string error = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return errors::Unavailable("METRICS_PORT",
                               absl::StrCat("cannot listen on ", address, ":", port, ": ", error));
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
  return absl::OkStatus();
}

void MetricsHttpServer::Serve() {
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    char buffer[2048];
    ssize_t n = ::recv(fd, buffer, sizeof(buffer) - 1, 0);
    std::string request(buffer, n > 0 ? static_cast<size_t>(n) : 0);
    std::string response;
    if (request.rfind("GET /metrics", 0) == 0) {
      const std::string body = metrics_->Render(service_);
      response = absl::StrCat(
          "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: ",
          body.size(), "\r\n\r\n", body);
    } else {
      response = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    }
    size_t sent = 0;
    while (sent < response.size()) {
      ssize_t w = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (w <= 0) break;
      sent += static_cast<size_t>(w);
    }
    ::close(fd);
  }
}

void MetricsHttpServer::Stop() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

}  // namespace fazhi::server
