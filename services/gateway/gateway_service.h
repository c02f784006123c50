// The gateway's gRPC adapter: validate, fan out to the backends in parallel
// under the caller's deadline, assemble the answer.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>

#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/gateway/backend_clients.h"

namespace fazhi::gateway {

class GatewayServiceImpl final : public v1::GatewayService::Service {
 public:
  // `rules` supplies the scoring method.
  GatewayServiceImpl(const BackendAddresses& addresses, fazhi::rules::v1::RuleSet rules)
      : backends_(addresses), rules_(std::move(rules)) {}

  grpc::Status GetDistrictComplianceSummary(grpc::ServerContext* context,
                                            const v1::GetDistrictComplianceSummaryRequest* request,
                                            v1::DistrictComplianceSummary* response) override;
  grpc::Status RankRegions(grpc::ServerContext* context, const v1::RankRegionsRequest* request,
                           v1::RankRegionsResponse* response) override;
  grpc::Status GetRegionTrend(grpc::ServerContext* context,
                              const v1::GetRegionTrendRequest* request,
                              v1::RegionTrend* response) override;

 private:
  // The scored summary of one region-year: the three backends asked at
  // once. NOT_FOUND when the catalogue says the region does not exist.
  absl::StatusOr<v1::DistrictComplianceSummary> Summarize(grpc::ServerContext* context,
                                                          const std::string& code, int year);

  // Runs `task(i)` for i in [0, n) on at most `parallelism` threads.
  static void ForEachBounded(int n, int parallelism, const std::function<void(int)>& task);

  BackendClients backends_;
  const fazhi::rules::v1::RuleSet rules_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
