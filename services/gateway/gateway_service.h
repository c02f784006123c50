// The gateway's gRPC adapter: validate, fan out to the backends in parallel
// under the caller's deadline, assemble the answer.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "services/gateway/backend_clients.h"

namespace fazhi::gateway {

class GatewayServiceImpl final : public v1::GatewayService::Service {
 public:
  explicit GatewayServiceImpl(const BackendAddresses& addresses) : backends_(addresses) {}

  grpc::Status GetDistrictComplianceSummary(grpc::ServerContext* context,
                                            const v1::GetDistrictComplianceSummaryRequest* request,
                                            v1::DistrictComplianceSummary* response) override;

 private:
  BackendClients backends_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
