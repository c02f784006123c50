// The district compliance summary of a region-year, from the gateway's
// cache (gateway_cache.h) when it holds a fresh one, else assembled from
// the three backends, asked at once for what is not cached, and cached.
//
// Everything here answers for the caller of one gateway RPC: backend calls
// carry its deadline and cancellation (`context`, may be null).
#ifndef FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_
#define FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_

#include <grpcpp/support/byte_buffer.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/backend_fan_out.h"
#include "services/gateway/gateway_cache.h"
#include "services/gateway/gateway_options.h"

namespace fazhi::gateway {

class SummarySource {
 public:
  // Uses `options.clock` and `options.cache_entries`; `clients` and `cache`
  // must outlive this object.
  SummarySource(const GatewayOptions& options, const fazhi::rules::v1::RuleSet& rules,
                BackendClients* clients, GatewayCache* cache);

  SummarySource(const SummarySource&) = delete;
  SummarySource& operator=(const SummarySource&) = delete;

  // The scored summary of one region-year, the three backends asked at once
  // for what is not cached (or taken from `prefetched`, when given).
  // NOT_FOUND when the catalogue says the region does not exist.
  absl::StatusOr<v1::DistrictComplianceSummary> Summarize(const grpc::ServerContextBase* context,
                                                          const std::string& code, int year,
                                                          PrefetchedInputs* prefetched = nullptr);

  // The summary, serialized as the reply to send, when the cache holds a
  // fresh one (no backend asked); false otherwise.
  bool CachedSummaryReply(const std::string& code, int year, grpc::ByteBuffer* out) const;

  // True when the cache holds today's summary of the region-year in `view`.
  bool HasFreshSummary(const std::string& code, int year, const GatewayCache::View& view,
                       absl::CivilDay today) const;

  // Today in Beijing, by the clock.
  absl::CivilDay Today() const;

 private:
  struct DatedSummary {
    v1::DistrictComplianceSummary summary;
    absl::CivilDay as_of;
    // `summary` with every backend described as a cache hit, serialized
    // once when stored: a hit is answered by sharing these bytes.
    grpc::ByteBuffer reply;
  };

  bool FindSummary(const std::string& key, const GatewayCache::View& view, absl::CivilDay today,
                   v1::DistrictComplianceSummary* out) const;

  const fazhi::rules::v1::RuleSet rules_;
  const std::function<absl::Time()> clock_;
  BackendClients& clients_;
  GatewayCache& cache_;
  CacheTable<CatalogueFacts> facts_;
  CacheTable<fazhi::metrics::v1::Snapshot> snapshots_;
  CacheTable<std::vector<fazhi::report::v1::Report>> reports_;
  CacheTable<DatedSummary> summaries_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_
