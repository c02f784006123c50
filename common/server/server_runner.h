// One runner wires every Fazhi server the same way: listening port,
// credentials (TLS or plaintext, tls.h), interceptors, message-size limits,
// keepalive and connection age, health (overall, per service, and a liveness
// name), reflection (v1 and v1alpha, reflection_service.h), Prometheus metrics on their own port, a
// plaintext health-only probe port for Kubernetes when TLS is on, and graceful shutdown.
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

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/server/authorizer.h"
#include "common/server/prometheus.h"
#include "common/server/tls.h"

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
  // re-resolve and spread over new replicas. With TLS it also bounds how long
  // a connection keeps a certificate that has since been rotated.
  absl::Duration max_connection_age = absl::Minutes(5);
  // The listening port's credentials: plaintext unless a file is named.
  TlsOptions tls;
  // Plaintext is served only when this is set (--insecure_development):
  // local development and in-process tests.
  bool insecure_development = false;
  // The server's authorizer: the runner serves fazhi.security.v1.
  // SecurityService with it and counts its refusals. Not owned.
  Authorizer* authorizer = nullptr;
  // host:port of a second, plaintext listener that serves only
  // grpc.health.v1.Health, with the same statuses as the main port (for
  // Kubernetes' native gRPC probes, which cannot speak TLS). Empty: none.
  // Port 0 picks a free one (see ServerRunner::probe_port).
  std::string probe_listen_address;
};

class ServerRunner {
 public:
  explicit ServerRunner(ServerConfig config);
  ~ServerRunner();

  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Registers a service before Start(). The runner does not own it.
  void AddService(grpc::Service* service, std::string full_name);

  // Binds, starts serving, and starts the probe listener and the metrics
  // endpoint. Health is NOT_SERVING (except liveness) until SetServing(true).
  // InvalidArgument naming the flag when the TLS files are unusable.
  absl::Status Start();

  // The bound gRPC port, after Start().
  int port() const { return port_; }
  // The bound probe port, or -1 when there is no probe listener.
  int probe_port() const { return probe_server_ ? probe_port_ : -1; }
  int metrics_port() const;
  // "127.0.0.1:port" style address clients can dial, after Start().
  std::string target() const;

  // Registers `hook` to run at the start of Shutdown(), before the drain:
  // services with long-lived streams end them there so that shutdown does
  // not wait out the grace period.
  void AddShutdownHook(std::function<void()> hook);

  // Readiness: flips "" and every registered service's health status, on
  // the main port and the probe port alike.
  void SetServing(bool serving);

  // Graceful stop: readiness off, drain period, then Shutdown with the grace
  // deadline, then the probe listener and the metrics endpoint stopped.
  // Idempotent.
  void Shutdown();

  // Blocks until the server has shut down.
  void Wait();

  RpcMetrics* rpc_metrics() { return &rpc_metrics_; }

 private:
  // Starts the plaintext health-only listener on config_.probe_listen_address.
  absl::Status StartProbeServer();
  // Sets one health name's status on every listener.
  void SetHealth(const std::string& name, bool serving);

  ServerConfig config_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> probe_server_;
  // Answers every method but health UNIMPLEMENTED on the probe listener.
  grpc::CallbackGenericService probe_unimplemented_;
  // grpc.reflection.v1 and v1alpha on the main port (reflection_service.h).
  std::unique_ptr<grpc::Service> reflection_v1_;
  std::unique_ptr<grpc::Service> reflection_v1alpha_;
  std::unique_ptr<grpc::Service> security_service_;
  RpcMetrics rpc_metrics_;
  std::unique_ptr<MetricsHttpServer> metrics_http_;
  int port_ = 0;
  int probe_port_ = 0;
  bool shut_down_ = false;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later. Call first thing in main().
void BlockTerminationSignals();

// Waits (on the calling thread) for SIGTERM or SIGINT; returns the signal.
int WaitForTerminationSignal();

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_SERVER_RUNNER_H_
