#include "common/server/server_runner.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <signal.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/server/reflection_service.h"
#include "common/server/request_parse_errors.h"
#include "common/server/security_service.h"
#include "common/status/errors.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace fazhi::server {
namespace {

// Takes every builder plugin off one server: the probe listener must serve
// health and nothing else in plaintext, whatever a linked library registers.
class NoPluginsOption final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

}  // namespace

ServerRunner::ServerRunner(ServerConfig config) : config_(std::move(config)) {}

ServerRunner::~ServerRunner() { Shutdown(); }

void ServerRunner::AddService(grpc::Service* service, std::string full_name) {
  services_.emplace_back(service, std::move(full_name));
}

absl::Status ServerRunner::Start() {
  // Make sure the health proto's descriptors are linked in and registered, so
  // that reflection can describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  if (!config_.tls.serves_tls() && !config_.insecure_development) {
    return errors::InvalidConfiguration(absl::StrCat(
        config_.name,
        ": no --tls_cert_file: serving plaintext needs --insecure_development, which is for "
        "local development only; in production give --tls_cert_file, --tls_key_file and "
        "--tls_client_ca_file"));
  }
  if (config_.tls.serves_tls() && config_.tls.client_ca_file.empty()) {
    FAZHI_LOG(WARNING) << config_.name
                       << ": no --tls_client_ca_file: callers present no certificate, so none "
                          "has an identity and every call but health and reflection is refused";
  }
  if (config_.authorizer != nullptr && security_service_ == nullptr) {
    security_service_ = std::make_unique<SecurityServiceImpl>(*config_.authorizer);
    services_.emplace_back(security_service_.get(),
                           security::v1::SecurityService::service_full_name());
    config_.authorizer->set_metrics(&rpc_metrics_);
  }
  auto credentials = MakeServerCredentials(config_.tls);
  if (!credentials.ok()) return credentials.status();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.listen_address, *credentials, &port_);
  // gRPC turns SO_REUSEPORT on by default, which lets a second server (a
  // second copy of the same service, with its own store) bind the same port
  // and silently take half the calls. One port, one server.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(config_.max_message_bytes);
  builder.SetMaxSendMessageSize(config_.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(config_.max_connection_age)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30000);
  for (auto& [service, name] : services_) builder.RegisterService(service);
  // The project's own reflection, not gRPC's plugin (reflection_service.h
  // says why); it lists what this server answers.
  std::vector<std::string> listed;
  for (auto& [service, name] : services_) listed.push_back(name);
  listed.push_back(grpc::health::v1::Health::service_full_name());
  listed.push_back(kReflectionV1Name);
  listed.push_back(kReflectionV1AlphaName);
  reflection_v1_ = std::make_unique<ReflectionV1Service>(listed);
  reflection_v1alpha_ = std::make_unique<ReflectionV1AlphaService>(std::move(listed));
  builder.RegisterService(reflection_v1_.get());
  builder.RegisterService(reflection_v1alpha_.get());

  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // First, so that the metrics count the status the caller gets.
  interceptors.push_back(NewRequestParseInterceptorFactory());
  interceptors.push_back(NewMetricsInterceptorFactory(&rpc_metrics_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    return errors::Unavailable(
        "LISTEN_FAILED", absl::StrCat(config_.name, ": cannot listen on ", config_.listen_address,
                                      " (is the port in use, or the address wrong?)"));
  }
  if (!config_.probe_listen_address.empty()) {
    if (absl::Status s = StartProbeServer(); !s.ok()) {
      server_->Shutdown();
      return s;
    }
  }
  SetHealth(kLivenessServiceName, true);
  SetServing(false);

  if (config_.metrics_port >= 0) {
    metrics_http_ = std::make_unique<MetricsHttpServer>(&rpc_metrics_, config_.name);
    absl::Status s = metrics_http_->Start(config_.metrics_address, config_.metrics_port);
    if (!s.ok()) {
      server_->Shutdown();
      if (probe_server_) probe_server_->Shutdown();
      return s;
    }
  }
  if (config_.tls.serves_tls()) {
    FAZHI_LOG(INFO) << config_.name << " serves TLS with " << config_.tls.cert_file
                    << (config_.tls.client_ca_file.empty()
                            ? std::string()
                            : absl::StrCat(", client certificates required (CA ",
                                           config_.tls.client_ca_file, ")"))
                    << ", files read again every " << config_.tls.refresh_interval;
  }
  // One line, which tests and scripts read for the ports.
  FAZHI_LOG(INFO) << config_.name << " listening on port " << port_
                  << (metrics_http_ ? absl::StrCat(", metrics on port ", metrics_http_->port())
                                    : std::string())
                  << (probe_server_ ? absl::StrCat(", probes on port ", probe_port_)
                                    : std::string());
  return absl::OkStatus();
}

absl::Status ServerRunner::StartProbeServer() {
  grpc::ServerBuilder builder;
  // Plaintext on purpose: the kubelet's gRPC probes cannot speak TLS. Only
  // the default health service is here (no service of ours, no plugin, so
  // no reflection): a caller learns SERVING or NOT_SERVING and nothing else;
  // every other method is UNIMPLEMENTED.
  builder.AddListeningPort(config_.probe_listen_address, grpc::InsecureServerCredentials(),
                           &probe_port_);
  builder.SetOption(std::make_unique<NoPluginsOption>());
  // The default health service joins at start; a builder with nothing
  // registered refuses to build, so register what gRPC itself would add
  // there: the generic service that answers UNIMPLEMENTED.
  builder.RegisterCallbackGenericService(&probe_unimplemented_);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(4096);
  probe_server_ = builder.BuildAndStart();
  if (!probe_server_ || probe_port_ == 0) {
    probe_server_.reset();
    return errors::Unavailable(
        "LISTEN_FAILED",
        absl::StrCat(config_.name, ": cannot listen for probes on ", config_.probe_listen_address,
                     " (is the port in use, or the address wrong?)"));
  }
  return absl::OkStatus();
}

int ServerRunner::metrics_port() const { return metrics_http_ ? metrics_http_->port() : -1; }

std::string ServerRunner::target() const { return absl::StrCat("127.0.0.1:", port_); }

void ServerRunner::SetHealth(const std::string& name, bool serving) {
  for (grpc::Server* server : {server_.get(), probe_server_.get()}) {
    if (server != nullptr) server->GetHealthCheckService()->SetServingStatus(name, serving);
  }
}

void ServerRunner::SetServing(bool serving) {
  if (!server_) return;
  SetHealth("", serving);
  for (auto& [service, name] : services_) SetHealth(name, serving);
}

void ServerRunner::AddShutdownHook(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

void ServerRunner::Shutdown() {
  if (!server_ || shut_down_) return;
  shut_down_ = true;
  SetServing(false);
  for (auto& hook : shutdown_hooks_) hook();
  if (config_.drain_period > absl::ZeroDuration()) {
    FAZHI_LOG(INFO) << config_.name << " draining for " << config_.drain_period;
    absl::SleepFor(config_.drain_period);
  }
  const auto deadline =
      std::chrono::system_clock::now() + absl::ToChronoMilliseconds(config_.shutdown_grace);
  server_->Shutdown(deadline);
  server_->Wait();
  // Last, so that liveness probes see SERVING while calls finish.
  if (probe_server_) {
    probe_server_->Shutdown(std::chrono::system_clock::now());
    probe_server_->Wait();
  }
  if (metrics_http_) metrics_http_->Stop();
  FAZHI_LOG(INFO) << config_.name << " stopped serving";
}

void ServerRunner::Wait() {
  if (server_) server_->Wait();
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  FAZHI_LOG(INFO) << "received " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
                  << ", shutting down";
  return signal_number;
}

}  // namespace fazhi::server
