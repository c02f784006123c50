// gateway_server: answers cross-service questions (the district compliance
// summary) by asking the catalogue, metrics and report services.
#include "absl/flags/flag.h"
#include "common/rules/rule_set.h"
#include "common/server/service_main.h"
#include "services/gateway/gateway_service.h"

ABSL_FLAG(std::string, catalogue, "127.0.0.1:50051", "catalogue service address");
ABSL_FLAG(std::string, metrics, "127.0.0.1:50052", "metrics service address");
ABSL_FLAG(std::string, report, "127.0.0.1:50053", "report service address");
ABSL_FLAG(int, backend_timeout_ms, 3000, "longest wait for one backend call");

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "gateway_server");

  fazhi::gateway::BackendAddresses backends;
  backends.catalogue = absl::GetFlag(FLAGS_catalogue);
  backends.metrics = absl::GetFlag(FLAGS_metrics);
  backends.report = absl::GetFlag(FLAGS_report);
  backends.per_call_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));

  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("gateway_server", rules.status());
  fazhi::gateway::GatewayServiceImpl service(backends, *std::move(rules));
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("gateway", /*default_port=*/50050));
  runner.AddService(&service, "fazhi.gateway.v1.GatewayService");
  return fazhi::server::RunUntilSignal(runner, nullptr);
}
