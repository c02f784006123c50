// Rankings of regions by their summary scores for a year, from the
// gateway's cache when it holds a fresh one, else by summarising every
// region (SummarySource), `fan_out` at a time, their missing inputs fetched
// in bulk first.
//
// Backend calls carry the deadline and cancellation of the gateway call
// they answer (`context`, may be null).
#ifndef FAZHI_SERVICES_GATEWAY_RANKING_SOURCE_H_
#define FAZHI_SERVICES_GATEWAY_RANKING_SOURCE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/gateway_cache.h"
#include "services/gateway/gateway_options.h"
#include "services/gateway/summary_source.h"

namespace fazhi::gateway {

class RankingSource {
 public:
  // Uses `options.fan_out` and `options.cache_entries`; `clients`, `cache`
  // and `summaries` must outlive this object.
  RankingSource(const GatewayOptions& options, BackendClients* clients, GatewayCache* cache,
                SummarySource* summaries);

  RankingSource(const RankingSource&) = delete;
  RankingSource& operator=(const RankingSource&) = delete;

  // The ranking from the cache when it holds a fresh one (no backend
  // asked); null otherwise.
  std::shared_ptr<const std::vector<v1::RankedRegion>> CachedRanking(
      const std::string& parent_code, fazhi::catalogue::v1::RegionLevel level, int year) const;

  // Every region ranked for `year` (whole ranking, rank set), regions under
  // `parent_code`: its direct children when `level` is unspecified, else
  // every region of that level below it at any depth (`parent_code` empty:
  // the whole country). NOT_FOUND when the parent does not exist.
  absl::StatusOr<std::shared_ptr<const std::vector<v1::RankedRegion>>> Ranking(
      const grpc::ServerContextBase* context, const std::string& parent_code,
      fazhi::catalogue::v1::RegionLevel level, int year);

 private:
  struct DatedRanking {
    std::shared_ptr<const std::vector<v1::RankedRegion>> regions;
    absl::CivilDay as_of;
  };

  static std::string RankingKey(const std::string& parent_code,
                                fazhi::catalogue::v1::RegionLevel level, int year);
  absl::StatusOr<std::vector<fazhi::catalogue::v1::Region>> RankedRegionsOf(
      const grpc::ServerContextBase* context, const std::string& parent_code,
      fazhi::catalogue::v1::RegionLevel level, const GatewayCache::View& view);
  // The inputs of `regions` whose summary is not cached, in a few calls per
  // backend; empty when too few are missing to be worth it.
  std::map<std::string, PrefetchedInputs> PrefetchMissing(
      const grpc::ServerContextBase* context,
      const std::vector<fazhi::catalogue::v1::Region>& regions, int year,
      const GatewayCache::View& view, absl::CivilDay today);

  const int fan_out_;
  BackendClients& clients_;
  GatewayCache& cache_;
  SummarySource& summaries_;
  CacheTable<fazhi::catalogue::v1::Region> regions_;
  CacheTable<std::vector<fazhi::catalogue::v1::Region>> region_lists_;
  CacheTable<DatedRanking> rankings_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_RANKING_SOURCE_H_
