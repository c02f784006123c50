// The gateway's gRPC adapter, on gRPC's callback API: validate, answer from
// the cache at once when it can, else hand the answer to a worker thread
// that asks the summary source (backends in parallel under the caller's
// deadline), and shape the reply.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>

#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/gateway/project_dossier.h"
#include "services/gateway/summary_source.h"
#include "services/gateway/worker_pool.h"

namespace fazhi::gateway {

// The summary is served raw (request and reply as bytes): a cached summary
// is sent as the bytes serialized when it was stored, with no copy of the
// message (see the benchmark in tests/gateway/gateway_bench.cc).
class GatewayServiceImpl final
    : public v1::GatewayService::WithRawCallbackMethod_GetDistrictComplianceSummary<
          v1::GatewayService::CallbackService> {
 public:
  // `rules` supplies the scoring method. Starts following the backends'
  // change streams when caching is on.
  GatewayServiceImpl(const GatewayOptions& options, fazhi::rules::v1::RuleSet rules)
      : rules_(std::move(rules)), source_(options, rules_), workers_(options.workers) {}

  // Request: GetDistrictComplianceSummaryRequest; reply:
  // DistrictComplianceSummary.
  grpc::ServerUnaryReactor* GetDistrictComplianceSummary(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RankRegions(grpc::CallbackServerContext* context,
                                        const v1::RankRegionsRequest* request,
                                        v1::RankRegionsResponse* response) override;
  grpc::ServerUnaryReactor* GetRegionTrend(grpc::CallbackServerContext* context,
                                           const v1::GetRegionTrendRequest* request,
                                           v1::RegionTrend* response) override;
  grpc::ServerUnaryReactor* GetProjectDossier(grpc::CallbackServerContext* context,
                                              const v1::GetProjectDossierRequest* request,
                                              v1::ProjectDossier* response) override;

 private:
  // Finishes the call with `status`, at once.
  static grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                          const grpc::Status& status);
  // Finishes the call with what `answer` returns, run on a worker thread
  // (CANCELLED when the caller went away or its deadline passed).
  grpc::ServerUnaryReactor* Defer(grpc::CallbackServerContext* context,
                                  std::function<grpc::Status()> answer);

  // One page of the ranking; `cached` is the whole ranking when the cache
  // had it (then no backend is asked), else null.
  grpc::Status Rank(const grpc::CallbackServerContext* context,
                    const v1::RankRegionsRequest* request, v1::RankRegionsResponse* response,
                    std::shared_ptr<const std::vector<v1::RankedRegion>> cached);
  grpc::Status Trend(const grpc::CallbackServerContext* context,
                     const v1::GetRegionTrendRequest* request, v1::RegionTrend* response);
  // The dossier's inputs, the metrics and report services asked at once
  // once the catalogue has named the project. NOT_FOUND when it has not.
  absl::StatusOr<DossierInputs> FetchDossierInputs(const grpc::CallbackServerContext* context,
                                                   const std::string& project, int max_passages);

  const fazhi::rules::v1::RuleSet rules_;
  SummarySource source_;
  // Last: joined first, while the source is still there.
  WorkerPool workers_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
