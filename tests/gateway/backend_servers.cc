#include "tests/gateway/backend_servers.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_env.h"

namespace fazhi::testing {
namespace {

template <typename Store>
std::unique_ptr<Store> OpenStore(const std::string& path, bool sync_writes) {
  auto options = TestStoreOptions(path);
  options.sync_writes = sync_writes;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::unique_ptr<server::ServerRunner> Serve(grpc::Service* service, const std::string& name,
                                            int port, std::function<void()> stop_watches) {
  server::ServerConfig config;
  config.name = name;
  config.listen_address = absl::StrCat("127.0.0.1:", port);
  config.shutdown_grace = absl::Seconds(2);
  auto runner = std::make_unique<server::ServerRunner>(config);
  runner->AddService(service, name);
  runner->AddShutdownHook(std::move(stop_watches));
  const absl::Status started = runner->Start();
  EXPECT_TRUE(started.ok()) << name << ": " << started;
  runner->SetServing(true);
  return runner;
}

}  // namespace

BackendServers::BackendServers(const std::string& dir, bool sync_writes)
    : dir_(dir), sync_writes_(sync_writes) {
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
  Server& s = server(backend);
  if (s.runner != nullptr) return;
  const std::string path = absl::StrCat(dir_, "/", gateway::BackendName(backend));
  switch (backend) {
    case gateway::Backend::kCatalogue:
      catalogue_store_ = OpenStore<catalogue::CatalogueStore>(path, sync_writes_);
      catalogue_ = std::make_unique<catalogue::CatalogueServiceImpl>(catalogue_store_.get());
      s.runner = Serve(catalogue_.get(), "fazhi.catalogue.v1.CatalogueService", s.port,
                       [this] { catalogue_->StopWatches(); });
      break;
    case gateway::Backend::kMetrics:
      metrics_store_ = OpenStore<metrics::MetricsStore>(path, sync_writes_);
      metrics_ =
          std::make_unique<metrics::MetricsServiceImpl>(metrics_store_.get(), ShippedRules());
      s.runner = Serve(metrics_.get(), "fazhi.metrics.v1.MetricsService", s.port,
                       [this] { metrics_->StopWatches(); });
      break;
    case gateway::Backend::kReport:
      report_store_ = OpenStore<report::ReportStore>(path, sync_writes_);
      report_ = std::make_unique<report::ReportServiceImpl>(report_store_.get(), ShippedRules());
      s.runner = Serve(report_.get(), "fazhi.report.v1.ReportService", s.port,
                       [this] { report_->StopWatches(); });
      break;
  }
  s.port = s.runner->port();
}

void BackendServers::Stop(gateway::Backend backend) {
  Server& s = server(backend);
  if (s.runner == nullptr) return;
  s.runner->Shutdown();
  s.runner.reset();
  switch (backend) {
    case gateway::Backend::kCatalogue:
      catalogue_.reset();
      EXPECT_TRUE(catalogue_store_->Close().ok());
      catalogue_store_.reset();
      break;
    case gateway::Backend::kMetrics:
      metrics_.reset();
      EXPECT_TRUE(metrics_store_->Close().ok());
      metrics_store_.reset();
      break;
    case gateway::Backend::kReport:
      report_.reset();
      EXPECT_TRUE(report_store_->Close().ok());
      report_store_.reset();
      break;
  }
}

std::string BackendServers::target(gateway::Backend backend) const {
  return absl::StrCat("127.0.0.1:", servers_[static_cast<int>(backend)].port);
}

gateway::GatewayOptions BackendServers::GatewayOptionsFor(absl::Duration timeout) const {
  gateway::GatewayOptions options;
  options.backends.catalogue = {target(gateway::Backend::kCatalogue), timeout};
  options.backends.metrics = {target(gateway::Backend::kMetrics), timeout};
  options.backends.report = {target(gateway::Backend::kReport), timeout};
  return options;
}

}  // namespace fazhi::testing
