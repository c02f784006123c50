// metrics_server: indicators, observations and their targets over gRPC.
#include "common/rules/rule_set.h"
#include "common/server/service_main.h"
#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "metrics_server");

  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("metrics_server", rules.status());
  auto store =
      fazhi::metrics::MetricsStore::Open(fazhi::server::StoreOptionsFromFlags("var/metrics"));
  if (!store.ok()) return fazhi::server::FailStartup("metrics_server", store.status());

  fazhi::metrics::MetricsServiceImpl service(store->get(), *std::move(rules));
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("metrics", /*default_port=*/50052));
  runner.AddService(&service, "fazhi.metrics.v1.MetricsService");
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
