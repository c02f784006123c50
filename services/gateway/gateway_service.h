// The gateway's gRPC adapter, on gRPC's callback API: validate, answer from
// the cache at once when it can, else hand the answer to a worker thread
// that asks the summary, ranking or dossier source (backends in parallel
// under the caller's deadline), and shape the reply.
//
// It owns the parts those sources share: the backend clients, the cache and
// the followers that keep it fresh.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>
#include <memory>

#include "common/server/authorizer.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/cache_followers.h"
#include "services/gateway/dossier_source.h"
#include "services/gateway/gateway_cache.h"
#include "services/gateway/gateway_options.h"
#include "services/gateway/ranking_source.h"
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
  // Every method needs READER; `authorizer` must outlive the service.
  GatewayServiceImpl(const GatewayOptions& options, server::Authorizer& authorizer,
                     fazhi::rules::v1::RuleSet rules);

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

  // Authenticates the call and checks `method`'s rule; the refusal to
  // finish with, or OK.
  grpc::Status Admit(const grpc::CallbackServerContext& context, absl::string_view method) const;

  server::Authorizer& authorizer_;
  const server::MethodRules& access_;
  const fazhi::rules::v1::RuleSet rules_;
  // Years summarised at a time for a trend.
  const int fan_out_;
  BackendClients clients_;
  GatewayCache cache_;
  SummarySource summaries_;
  RankingSource rankings_;
  DossierSource dossiers_;
  // Null when caching is off. Stopped before the cache goes.
  std::unique_ptr<CacheFollowers> followers_;
  // Last: joined first, while the sources are still there.
  WorkerPool workers_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
