// report_server: annual rule-of-law government reports, read for their parts
// and deadlines, over gRPC.
#include "absl/flags/flag.h"
#include "common/rules/rule_set.h"
#include "common/server/security_flags.h"
#include "common/server/service_main.h"
#include "services/report/report_analysis.h"
#include "services/report/report_service.h"
#include "services/report/report_store.h"

ABSL_FLAG(std::string, metrics, "127.0.0.1:50052",
          "metrics service address, where PublishReportFigures records figures");
ABSL_FLAG(int, metrics_timeout_ms, 10000, "longest wait for the metrics service");
ABSL_FLAG(std::string, catalogue, "127.0.0.1:50051",
          "catalogue service address, where SubmitReport checks filers and regions");
ABSL_FLAG(int, catalogue_timeout_ms, 3000,
          "longest wait for the catalogue's checks of one submission (all its calls)");

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "report_server");

  auto security = fazhi::server::SecurityFromFlags("report");
  if (!security.ok()) return fazhi::server::FailStartup("report_server", security.status());
  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("report_server", rules.status());
  if (absl::Status usable = fazhi::report::ValidateReportRules(*rules); !usable.ok()) {
    return fazhi::server::FailStartup("report_server", usable);
  }
  const auto options = fazhi::server::StoreOptionsFromFlags("var/report");
  auto store = fazhi::report::ReportStore::Open(options);
  if (!store.ok()) return fazhi::server::FailStartup("report_server", store.status());

  fazhi::server::Authorizer& authorizer = *security->authorizer;
  auto config = fazhi::server::ServerConfigFromFlags("report", /*default_port=*/50053);
  config.authorizer = &authorizer;
  // The metrics service and the catalogue are dialled with the same TLS
  // files the server uses (its certificate names svc/report) or, in local
  // development, with the report service's own token.
  auto backend_security = fazhi::server::MakeChannelSecurity(config.tls);
  if (!backend_security.ok()) {
    return fazhi::server::FailStartup("report_server", backend_security.status());
  }
  backend_security->tokens = security->own_tokens;
  auto metrics = fazhi::report::DialBackend(absl::GetFlag(FLAGS_metrics), *backend_security);
  metrics.timeout = absl::Milliseconds(absl::GetFlag(FLAGS_metrics_timeout_ms));
  auto catalogue = fazhi::report::DialBackend(absl::GetFlag(FLAGS_catalogue), *backend_security);
  catalogue.timeout = absl::Milliseconds(absl::GetFlag(FLAGS_catalogue_timeout_ms));
  fazhi::report::ReportServiceImpl service(store->get(), authorizer, *std::move(rules),
                                           std::move(metrics), std::move(catalogue));
  fazhi::server::ServerRunner runner(config);
  runner.AddService(&service, "fazhi.report.v1.ReportService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunStoreServer("report", runner, authorizer, (*store)->store(),
                                       (*store)->audit_trail(), options.path,
                                       [&] { return (*store)->Close(); });
}
