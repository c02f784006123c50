// report_server: annual rule-of-law government reports, read for their parts
// and deadlines, over gRPC.
#include "absl/flags/flag.h"
#include "common/rules/rule_set.h"
#include "common/server/backup_service.h"
#include "common/server/service_main.h"
#include "services/report/figure_extraction.h"
#include "services/report/report_service.h"
#include "services/report/report_store.h"

ABSL_FLAG(std::string, metrics, "127.0.0.1:50052",
          "metrics service address, where PublishReportFigures records figures");
ABSL_FLAG(int, metrics_timeout_ms, 10000, "longest wait for the metrics service");

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "report_server");

  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("report_server", rules.status());
  if (absl::Status figures = fazhi::report::ValidateFigureRules(rules->report()); !figures.ok()) {
    return fazhi::server::FailStartup("report_server", figures);
  }
  const auto options = fazhi::server::StoreOptionsFromFlags("var/report");
  auto store = fazhi::report::ReportStore::Open(options);
  if (!store.ok()) return fazhi::server::FailStartup("report_server", store.status());

  const auto config = fazhi::server::ServerConfigFromFlags("report", /*default_port=*/50053);
  // The metrics service is dialled with the same TLS files the server uses.
  auto security = fazhi::server::MakeChannelSecurity(config.tls);
  if (!security.ok()) return fazhi::server::FailStartup("report_server", security.status());
  auto metrics = fazhi::report::DialMetrics(absl::GetFlag(FLAGS_metrics), *security);
  metrics.timeout = absl::Milliseconds(absl::GetFlag(FLAGS_metrics_timeout_ms));
  fazhi::report::ReportServiceImpl service(store->get(), *std::move(rules), std::move(metrics));
  fazhi::server::ServerRunner runner(config);
  runner.AddService(&service, "fazhi.report.v1.ReportService");
  fazhi::server::BackupServiceImpl backups(&(*store)->store(), "report",
                                           fazhi::server::BackupDirFromFlags(options.path));
  runner.AddService(&backups, "fazhi.admin.v1.BackupService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
