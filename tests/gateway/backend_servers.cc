#include "tests/gateway/backend_servers.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_env.h"

namespace fazhi::testing {
namespace {

// Each backend's store in its own directory under `dir`; restarted on its
// port, as a pod keeps its address.
template <typename Server>
typename Server::Options BackendOptions(bool sync_writes) {
  typename Server::Options options;
  options.sync_writes = sync_writes;
  options.keep_port = true;
  return options;
}

std::string BackendDir(const std::string& dir, gateway::Backend backend) {
  return absl::StrCat(dir, "/", gateway::BackendName(backend));
}

}  // namespace

BackendServers::BackendServers(const std::string& dir, bool sync_writes)
    : catalogue_(BackendDir(dir, gateway::Backend::kCatalogue),
                 "fazhi.catalogue.v1.CatalogueService",
                 BackendOptions<decltype(catalogue_)>(sync_writes)),
      metrics_(BackendDir(dir, gateway::Backend::kMetrics), "fazhi.metrics.v1.MetricsService",
               BackendOptions<decltype(metrics_)>(sync_writes)),
      report_(BackendDir(dir, gateway::Backend::kReport), "fazhi.report.v1.ReportService",
              BackendOptions<decltype(report_)>(sync_writes)) {
  for (gateway::Backend b :
       {gateway::Backend::kCatalogue, gateway::Backend::kMetrics, gateway::Backend::kReport})
    Start(b);
  catalogue_stub_ = fazhi::catalogue::v1::CatalogueService::NewStub(
      Connect(target(gateway::Backend::kCatalogue)));
  metrics_stub_ =
      fazhi::metrics::v1::MetricsService::NewStub(Connect(target(gateway::Backend::kMetrics)));
  report_stub_ =
      fazhi::report::v1::ReportService::NewStub(Connect(target(gateway::Backend::kReport)));
}

BackendServers::~BackendServers() {
  for (gateway::Backend b :
       {gateway::Backend::kCatalogue, gateway::Backend::kMetrics, gateway::Backend::kReport})
    Stop(b);
}

void BackendServers::Start(gateway::Backend backend) {
  switch (backend) {
    case gateway::Backend::kCatalogue:
      if (catalogue_.running()) return;
      catalogue_.Start([](catalogue::CatalogueStore* store) {
        return std::make_unique<catalogue::CatalogueServiceImpl>(store, TestAuthorizer());
      });
      break;
    case gateway::Backend::kMetrics:
      if (metrics_.running()) return;
      metrics_.Start([](metrics::MetricsStore* store) {
        return std::make_unique<metrics::MetricsServiceImpl>(store, TestAuthorizer(),
                                                             ShippedRules());
      });
      break;
    case gateway::Backend::kReport:
      if (report_.running()) return;
      // The report service checks filers in the catalogue beside it, as
      // itself (its port is kept across restarts).
      report_.Start([this](report::ReportStore* store) {
        return std::make_unique<report::ReportServiceImpl>(
            store, TestAuthorizer(), ShippedRules(), report::MetricsBackend{},
            report::DialBackend(target(gateway::Backend::kCatalogue),
                                TestChannelSecurity(kTestReportService)));
      });
      break;
  }
}

void BackendServers::Stop(gateway::Backend backend) {
  switch (backend) {
    case gateway::Backend::kCatalogue:
      catalogue_.Stop();
      break;
    case gateway::Backend::kMetrics:
      metrics_.Stop();
      break;
    case gateway::Backend::kReport:
      report_.Stop();
      break;
  }
}

std::string BackendServers::target(gateway::Backend backend) const {
  int port = 0;
  switch (backend) {
    case gateway::Backend::kCatalogue:
      port = catalogue_.port();
      break;
    case gateway::Backend::kMetrics:
      port = metrics_.port();
      break;
    case gateway::Backend::kReport:
      port = report_.port();
      break;
  }
  return absl::StrCat("127.0.0.1:", port);
}

gateway::GatewayOptions BackendServers::GatewayOptionsFor(absl::Duration timeout) const {
  gateway::GatewayOptions options;
  options.backends.catalogue = {target(gateway::Backend::kCatalogue), timeout};
  options.backends.metrics = {target(gateway::Backend::kMetrics), timeout};
  options.backends.report = {target(gateway::Backend::kReport), timeout};
  // The backends know the gateway by its development token.
  options.backends.security = TestChannelSecurity(kTestGateway);
  return options;
}

}  // namespace fazhi::testing
