// The gateway's view of its three backends: one channel and stub each, and
// the fetches the answers need, each a complete answer or an error.
//
// Every call carries the caller's deadline and cancellation (never more
// time than the backend's own timeout), takes a slot of the backend's
// in-flight limit first, and is retried by gRPC itself on UNAVAILABLE (the
// channel's service config: every call here is an idempotent read).
#ifndef FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_
#define FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/tls.h"
#include "common/storage/audit_trail.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "services/gateway/backend.h"
#include "services/gateway/in_flight_limit.h"
#include "services/gateway/summary_assembler.h"

namespace fazhi::gateway {

// How the gateway talks to one backend.
struct BackendConfig {
  std::string address;
  // Each call gets at most this long, and never longer than the caller's
  // own deadline.
  absl::Duration timeout = absl::Seconds(3);
  // Calls in flight to this backend at most; a call beyond waits for a slot
  // until its deadline, then fails RESOURCE_EXHAUSTED without being sent.
  int max_in_flight = 64;
};

struct BackendsConfig {
  BackendConfig catalogue{"127.0.0.1:50051"};
  BackendConfig metrics{"127.0.0.1:50052"};
  BackendConfig report{"127.0.0.1:50053"};
  // How every backend is dialled (TLS and the gateway's client certificate,
  // or plaintext); one set of watched files for the three channels.
  server::ChannelSecurity security;
};

// "UNAVAILABLE: connection refused": how an answer names a backend's error.
std::string DescribeError(const absl::Status& status);

class BackendClients {
 public:
  explicit BackendClients(const BackendsConfig& config);

  // Who a call under `parent` is made for: the gateway's own (authorized)
  // caller, whose end user the backends then check too (server::ActFor).
  using CallerOf = std::function<storage::Caller(const grpc::ServerContextBase& parent)>;
  // Set before the first fetch; unset, calls go as the gateway alone.
  void set_caller_of(CallerOf caller_of) { caller_of_ = std::move(caller_of); }

  // Each fetch runs its calls under `parent` (deadline and cancellation
  // propagate from the caller; nullptr for none), pages through lists, and
  // returns the whole answer or the first error.
  absl::StatusOr<CatalogueFacts> FetchCatalogueFacts(const grpc::ServerContextBase* parent,
                                                     const std::string& region_code, int year);
  absl::StatusOr<fazhi::metrics::v1::Snapshot> FetchSnapshot(const grpc::ServerContextBase* parent,
                                                             const std::string& region_code,
                                                             int year);
  // The direct children of a region, in code order.
  absl::StatusOr<std::vector<fazhi::catalogue::v1::Region>> FetchChildRegions(
      const grpc::ServerContextBase* parent, const std::string& region_code);
  // Every region, in code order.
  absl::StatusOr<std::vector<fazhi::catalogue::v1::Region>> FetchAllRegions(
      const grpc::ServerContextBase* parent);
  absl::StatusOr<fazhi::catalogue::v1::Region> FetchRegion(const grpc::ServerContextBase* parent,
                                                           const std::string& region_code);
  absl::StatusOr<std::vector<fazhi::report::v1::Report>> FetchReports(
      const grpc::ServerContextBase* parent, const std::string& region_code, int year);

  // The same inputs for many regions of one year at once (a ranking), in a
  // few paged calls instead of several per region: every unit and every
  // project of the year (grouped by region), the reports of the year
  // (grouped by region), and the snapshots through BatchGetSnapshots. Keyed
  // by region code; a region with nothing has empty lists.
  absl::StatusOr<std::map<std::string, CatalogueFacts>> FetchCatalogueFactsOf(
      const grpc::ServerContextBase* parent,
      const std::vector<fazhi::catalogue::v1::Region>& regions, int year);
  absl::StatusOr<std::map<std::string, fazhi::metrics::v1::Snapshot>> FetchSnapshotsOf(
      const grpc::ServerContextBase* parent, const std::vector<std::string>& region_codes,
      int year);
  absl::StatusOr<std::map<std::string, std::vector<fazhi::report::v1::Report>>> FetchReportsOf(
      const grpc::ServerContextBase* parent, const std::vector<std::string>& region_codes,
      int year);

  // For the project dossier. `project` and `unit` are resource names.
  absl::StatusOr<fazhi::catalogue::v1::Project> FetchProject(const grpc::ServerContextBase* parent,
                                                             const std::string& project);
  absl::StatusOr<fazhi::catalogue::v1::Unit> FetchUnit(const grpc::ServerContextBase* parent,
                                                       const std::string& unit);
  // The observations of a subject ("regions/…", "units/…") for one year.
  absl::StatusOr<std::vector<fazhi::metrics::v1::Observation>> FetchObservations(
      const grpc::ServerContextBase* parent, const std::string& subject, int year);
  // The indicators, in code order.
  absl::StatusOr<std::vector<fazhi::metrics::v1::Indicator>> FetchIndicators(
      const grpc::ServerContextBase* parent);
  // One page of SearchReports.
  absl::StatusOr<fazhi::report::v1::SearchReportsResponse> SearchReports(
      const grpc::ServerContextBase* parent,
      const fazhi::report::v1::SearchReportsRequest& request);

  // The in-flight limit of a backend (for tests and metrics).
  InFlightLimit& limit(Backend backend);

  // The stubs, for the change streams (which run outside the limits).
  fazhi::catalogue::v1::CatalogueService::Stub* catalogue_stub() { return catalogue_.stub.get(); }
  fazhi::metrics::v1::MetricsService::Stub* metrics_stub() { return metrics_.stub.get(); }
  fazhi::report::v1::ReportService::Stub* report_stub() { return report_.stub.get(); }

 private:
  template <typename Service>
  struct Client {
    Client(const std::string& name, const BackendConfig& config,
           const server::ChannelSecurity& security);
    absl::Duration timeout;
    InFlightLimit limit;
    std::unique_ptr<typename Service::Stub> stub;
  };

  // One unary call on `backend` under `parent`.
  template <typename Service, typename Request, typename Response>
  absl::Status Call(Client<Service>& backend, const grpc::ServerContextBase* parent,
                    grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                          Response*),
                    const Request& request, Response* response);

  // Every item of a paged list: `request` is sent page after page.
  template <typename Item, typename Service, typename Request, typename Response>
  absl::StatusOr<std::vector<Item>> ListAll(
      Client<Service>& backend, const grpc::ServerContextBase* parent,
      grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      Request request, const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const);

  CallerOf caller_of_;
  Client<fazhi::catalogue::v1::CatalogueService> catalogue_;
  Client<fazhi::metrics::v1::MetricsService> metrics_;
  Client<fazhi::report::v1::ReportService> report_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_
