// The gateway's three backends in process for tests and benchmarks, each
// on its own RocksDB in a directory of its own, on 127.0.0.1 ports that stay
// the same when a backend is stopped and started again (a restart, as the
// gateway sees it), and the gateway options that point at them.
#ifndef FAZHI_TESTS_GATEWAY_BACKEND_SERVERS_H_
#define FAZHI_TESTS_GATEWAY_BACKEND_SERVERS_H_

#include <memory>
#include <string>

#include "common/server/server_runner.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/gateway/gateway_cache.h"
#include "services/gateway/gateway_options.h"
#include "services/metrics/metrics_service.h"
#include "services/report/report_service.h"
#include "tests/testing/in_process_service.h"

namespace fazhi::testing {

class BackendServers {
 public:
  // Opens the stores under `dir` (which must outlive this) and starts all
  // three. `sync_writes` false for bulk loads in benchmarks.
  explicit BackendServers(const std::string& dir, bool sync_writes = true);
  // Stops whatever runs.
  ~BackendServers();

  BackendServers(const BackendServers&) = delete;
  BackendServers& operator=(const BackendServers&) = delete;

  // Stops one backend as its main() would: watch streams ended, calls
  // drained, store closed.
  void Stop(gateway::Backend backend);
  // Starts it again on its port and data.
  void Start(gateway::Backend backend);

  std::string target(gateway::Backend backend) const;
  // Options for a gateway using these backends, each call at most `timeout`.
  gateway::GatewayOptions GatewayOptionsFor(absl::Duration timeout = absl::Seconds(3)) const;

  // Clients for loading data (each a channel of its own).
  fazhi::catalogue::v1::CatalogueService::Stub& catalogue() { return *catalogue_stub_; }
  fazhi::metrics::v1::MetricsService::Stub& metrics() { return *metrics_stub_; }
  fazhi::report::v1::ReportService::Stub& report() { return *report_stub_; }

 private:
  InProcessService<catalogue::CatalogueStore, catalogue::CatalogueServiceImpl> catalogue_;
  InProcessService<metrics::MetricsStore, metrics::MetricsServiceImpl> metrics_;
  InProcessService<report::ReportStore, report::ReportServiceImpl> report_;
  std::unique_ptr<fazhi::catalogue::v1::CatalogueService::Stub> catalogue_stub_;
  std::unique_ptr<fazhi::metrics::v1::MetricsService::Stub> metrics_stub_;
  std::unique_ptr<fazhi::report::v1::ReportService::Stub> report_stub_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_GATEWAY_BACKEND_SERVERS_H_
