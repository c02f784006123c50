// gateway_server: answers cross-service questions (the district compliance
// summary, rankings, trends, project dossiers) by asking the catalogue,
// metrics and report services, through a cache kept fresh by their change
// streams.
#include "absl/flags/flag.h"
#include "common/rules/rule_set.h"
#include "common/server/service_main.h"
#include "services/gateway/gateway_service.h"

ABSL_FLAG(std::string, catalogue, "127.0.0.1:50051", "catalogue service address");
ABSL_FLAG(std::string, metrics, "127.0.0.1:50052", "metrics service address");
ABSL_FLAG(std::string, report, "127.0.0.1:50053", "report service address");
ABSL_FLAG(int, backend_timeout_ms, 3000, "longest wait for one backend call (each backend)");
ABSL_FLAG(int, catalogue_timeout_ms, 0,
          "longest wait for one catalogue call; 0: backend_timeout_ms");
ABSL_FLAG(int, metrics_timeout_ms, 0, "longest wait for one metrics call; 0: backend_timeout_ms");
ABSL_FLAG(int, report_timeout_ms, 0, "longest wait for one report call; 0: backend_timeout_ms");
ABSL_FLAG(int, backend_max_in_flight, 64,
          "calls in flight to each backend at most; more wait, within their deadline");
ABSL_FLAG(bool, cache, true,
          "cache answers, kept fresh by the backends' change streams; false asks every time");
ABSL_FLAG(int, cache_entries, 20000, "cached entries per kind of value");

namespace {

fazhi::gateway::BackendConfig Backend(const std::string& address, int timeout_ms) {
  fazhi::gateway::BackendConfig config;
  config.address = address;
  config.timeout =
      absl::Milliseconds(timeout_ms > 0 ? timeout_ms : absl::GetFlag(FLAGS_backend_timeout_ms));
  config.max_in_flight = absl::GetFlag(FLAGS_backend_max_in_flight);
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "gateway_server");

  fazhi::gateway::GatewayOptions options;
  options.backends.catalogue =
      Backend(absl::GetFlag(FLAGS_catalogue), absl::GetFlag(FLAGS_catalogue_timeout_ms));
  options.backends.metrics =
      Backend(absl::GetFlag(FLAGS_metrics), absl::GetFlag(FLAGS_metrics_timeout_ms));
  options.backends.report =
      Backend(absl::GetFlag(FLAGS_report), absl::GetFlag(FLAGS_report_timeout_ms));
  const auto config = fazhi::server::ServerConfigFromFlags("gateway", /*default_port=*/50050);
  // The stores are dialled with the same TLS files the server uses: the
  // gateway's certificate is its client certificate where they require one.
  auto security = fazhi::server::MakeChannelSecurity(config.tls);
  if (!security.ok()) return fazhi::server::FailStartup("gateway_server", security.status());
  options.backends.security = *std::move(security);
  options.cache = absl::GetFlag(FLAGS_cache);
  options.cache_entries = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_cache_entries)));

  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("gateway_server", rules.status());
  fazhi::gateway::GatewayServiceImpl service(options, *std::move(rules));
  fazhi::server::ServerRunner runner(config);
  runner.AddService(&service, "fazhi.gateway.v1.GatewayService");
  return fazhi::server::RunUntilSignal(runner, nullptr);
}
