// One runner wires every Fazhi server the same way: listening port,
// credentials, interceptors, message-size limits, keepalive and connection
// age, health (overall, per service, and a liveness name), reflection,
// Prometheus metrics on their own port, and graceful shutdown.
//
// Typical main():
//
//   fazhi::server::BlockTerminationSignals();          // before any thread
//   ... parse flags, open the store, build the service ...
//   fazhi::server::ServerRunner runner(config);
//   runner.AddService(&service);
//   if (auto s = runner.Start(); !s.ok()) { ...exit 1 }
//   runner.SetServing(true);                            // readiness
//   fazhi::server::WaitForTerminationSignal();
//   runner.Shutdown();                                  // drain, then stop
//   store->Close();
#ifndef FAZHI_COMMON_SERVER_SERVER_RUNNER_H_
#define FAZHI_COMMON_SERVER_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/server/prometheus.h"

namespace fazhi::server {

// The health-check name that stays SERVING for as long as the process can
// answer at all (Kubernetes liveness); "" and each service's full name go
// NOT_SERVING until ready and while draining (readiness).
inline constexpr char kLivenessServiceName[] = "liveness";

struct ServerConfig {
  // A label for logs and metrics: "catalogue", "metrics", "report", "gateway".
  std::string name;
  // host:port to listen on; port 0 picks a free one (see ServerRunner::port).
  std::string listen_address = "127.0.0.1:0";
  // Prometheus port; -1 disables, 0 picks a free one.
  int metrics_port = -1;
  std::string metrics_address = "127.0.0.1";
  // Largest request or response, bytes.
  int max_message_bytes = 16 << 20;
  // How long health reports NOT_SERVING before the listener stops accepting,
  // so load balancers can move traffic away (0 locally, a few seconds in
  // Kubernetes).
  absl::Duration drain_period = absl::ZeroDuration();
  // How long in-flight calls may run after the drain before they are
  // cancelled.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Connections are closed (gracefully) after this age so that clients
  // re-resolve and spread over new replicas.
  absl::Duration max_connection_age = absl::Minutes(5);
};

class ServerRunner {
 public:
  explicit ServerRunner(ServerConfig config);
  ~ServerRunner();

  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Registers a service before Start(). The runner does not own it.
  void AddService(grpc::Service* service, std::string full_name);

  // Binds, starts serving, and starts the metrics endpoint. Health is
  // NOT_SERVING (except liveness) until SetServing(true).
  absl::Status Start();

  // The bound gRPC port, after Start().
  int port() const { return port_; }
  int metrics_port() const;
  // "127.0.0.1:port" style address clients can dial, after Start().
  std::string target() const;

  // Registers `hook` to run at the start of Shutdown(), before the drain:
  // services with long-lived streams end them there so that shutdown does
  // not wait out the grace period.
  void AddShutdownHook(std::function<void()> hook);

  // Readiness: flips "" and every registered service's health status.
  void SetServing(bool serving);

  // Graceful stop: readiness off, drain period, then Shutdown with the grace
  // deadline, and the metrics endpoint stopped. Idempotent.
  void Shutdown();

  // Blocks until the server has shut down.
  void Wait();

  RpcMetrics* rpc_metrics() { return &rpc_metrics_; }

 private:
  ServerConfig config_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::unique_ptr<grpc::Server> server_;
  RpcMetrics rpc_metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  int port_ = 0;
  bool shut_down_ = false;
};

// The credentials every server listens with. Insecure today; the security
// work replaces this one function (TLS, mutual TLS).
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials();

// The credentials every client (gateway, fazhictl, tests) dials with.
std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials();

// Channel arguments shared by every client: message-size limits, keepalive.
grpc::ChannelArguments MakeChannelArguments(int max_message_bytes = 16 << 20);

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later. Call first thing in main().
void BlockTerminationSignals();

// Waits (on the calling thread) for SIGTERM or SIGINT; returns the signal.
int WaitForTerminationSignal();

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_SERVER_RUNNER_H_
