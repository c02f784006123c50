// metrics_server: indicators, observations and their targets over gRPC.
#include "common/base/logging.h"
#include "common/rules/rule_set.h"
#include "common/server/backup_service.h"
#include "common/server/security_flags.h"
#include "common/server/service_main.h"
#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "metrics_server");

  auto security = fazhi::server::SecurityFromFlags("metrics");
  if (!security.ok()) return fazhi::server::FailStartup("metrics_server", security.status());
  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("metrics_server", rules.status());
  const auto options = fazhi::server::StoreOptionsFromFlags("var/metrics");
  auto store = fazhi::metrics::MetricsStore::Open(options);
  if (!store.ok()) return fazhi::server::FailStartup("metrics_server", store.status());

  // A change of rules since the last start is recorded before serving.
  auto rules_change = (*store)->RecordRulesInForce(*rules);
  if (!rules_change.ok())
    return fazhi::server::FailStartup("metrics_server", rules_change.status());
  if (rules_change->has_value()) {
    FAZHI_LOG(INFO) << "rules in force: \"" << (*rules_change)->from_version() << "\" -> \""
                    << (*rules_change)->to_version() << "\" (recorded)";
  }
  fazhi::metrics::MetricsServiceImpl service(store->get(), *security->authorizer,
                                             *std::move(rules));
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("metrics", /*default_port=*/50052));
  runner.AddService(&service, "fazhi.metrics.v1.MetricsService");
  fazhi::server::BackupServiceImpl backups(&(*store)->store(), "metrics",
                                           fazhi::server::BackupDirFromFlags(options.path),
                                           *security->authorizer, /*trail=*/nullptr);
  runner.AddService(&backups, "fazhi.admin.v1.BackupService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
