// The gateway's view of its three backends: one channel and stub each, and
// the fetches the summary needs, each a complete answer or an error.
#ifndef FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_
#define FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "services/gateway/summary_assembler.h"

namespace fazhi::gateway {

struct BackendAddresses {
  std::string catalogue = "127.0.0.1:50051";
  std::string metrics = "127.0.0.1:50052";
  std::string report = "127.0.0.1:50053";
  // Each backend call gets at most this long, and never longer than the
  // caller's own deadline.
  absl::Duration per_call_timeout = absl::Seconds(3);
};

class BackendClients {
 public:
  explicit BackendClients(const BackendAddresses& addresses);

  // Each fetch runs its calls under `parent` (deadline and cancellation
  // propagate from the caller), pages through lists, and returns the whole
  // answer or the first error.
  absl::StatusOr<CatalogueFacts> FetchCatalogueFacts(grpc::ServerContext* parent,
                                                     const std::string& region_code, int year);
  absl::StatusOr<fazhi::metrics::v1::Snapshot> FetchSnapshot(grpc::ServerContext* parent,
                                                             const std::string& region_code,
                                                             int year);
  // The direct children of a region, in code order.
  absl::StatusOr<std::vector<fazhi::catalogue::v1::Region>> FetchChildRegions(
      grpc::ServerContext* parent, const std::string& region_code);
  absl::StatusOr<fazhi::catalogue::v1::Region> FetchRegion(grpc::ServerContext* parent,
                                                           const std::string& region_code);
  absl::StatusOr<std::vector<fazhi::report::v1::Report>> FetchReports(
      grpc::ServerContext* parent, const std::string& region_code, int year);

 private:
  std::unique_ptr<grpc::ClientContext> NewContext(grpc::ServerContext* parent) const;

  absl::Duration per_call_timeout_;
  std::unique_ptr<fazhi::catalogue::v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<fazhi::metrics::v1::MetricsService::Stub> metrics_;
  std::unique_ptr<fazhi::report::v1::ReportService::Stub> report_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKEND_CLIENTS_H_
