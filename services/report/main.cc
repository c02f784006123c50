// report_server: annual rule-of-law government reports, read for their parts
// and deadlines, over gRPC.
#include "common/rules/rule_set.h"
#include "common/server/service_main.h"
#include "services/report/figure_extraction.h"
#include "services/report/report_service.h"
#include "services/report/report_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "report_server");

  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("report_server", rules.status());
  if (absl::Status figures = fazhi::report::ValidateFigureRules(rules->report()); !figures.ok()) {
    return fazhi::server::FailStartup("report_server", figures);
  }
  auto store = fazhi::report::ReportStore::Open(fazhi::server::StoreOptionsFromFlags("var/report"));
  if (!store.ok()) return fazhi::server::FailStartup("report_server", store.status());

  fazhi::report::ReportServiceImpl service(store->get(), *std::move(rules));
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("report", /*default_port=*/50053));
  runner.AddService(&service, "fazhi.report.v1.ReportService");
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
