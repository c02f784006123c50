// Summaries, rankings and the regions they need, from the three backends
// through the gateway's cache (gateway_cache.h), which follows each
// backend's change stream (change_follower.h) when caching is on.
//
// Everything here answers for the caller of one gateway RPC: backend calls
// carry its deadline and cancellation (`context`, may be null).
#ifndef FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_
#define FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_

#include <grpcpp/support/byte_buffer.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/change_follower.h"
#include "services/gateway/gateway_cache.h"

namespace fazhi::gateway {

struct GatewayOptions {
  BackendsConfig backends;
  // Cache answers and their inputs, kept fresh by the change streams.
  // Off: every answer asks the backends (the cold benchmark).
  bool cache = true;
  // Entries per kind of cached value (summaries, region inputs, ...).
  size_t cache_entries = 20000;
  ChangeFollowerOptions follow;
  // Project lateness is judged on this clock's day in Beijing.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Regions summarised at a time for a ranking or trend.
  int fan_out = 8;
  // Threads for answers that wait on backends (a cached answer is given on
  // gRPC's own thread, at once).
  int workers = 32;
};

class SummarySource {
 public:
  SummarySource(const GatewayOptions& options, const fazhi::rules::v1::RuleSet& rules);
  // Stops following the change streams.
  ~SummarySource();

  SummarySource(const SummarySource&) = delete;
  SummarySource& operator=(const SummarySource&) = delete;

  // The scored summary of one region-year, the three backends asked at once
  // for what is not cached. NOT_FOUND when the catalogue says the region
  // does not exist.
  absl::StatusOr<v1::DistrictComplianceSummary> Summarize(const grpc::ServerContextBase* context,
                                                          const std::string& code, int year) {
    return Summarize(context, code, year, nullptr);
  }

  // The summary (serialized, as the reply to send) or ranking from the
  // cache when it holds a fresh one (no backend asked): false / null
  // otherwise.
  bool CachedSummaryReply(const std::string& code, int year, grpc::ByteBuffer* out) const;
  std::shared_ptr<const std::vector<v1::RankedRegion>> CachedRanking(
      const std::string& parent_code, fazhi::catalogue::v1::RegionLevel level, int year) const;

  // Every region ranked for `year` (whole ranking, rank set), regions under
  // `parent_code`: its direct children when `level` is unspecified, else
  // every region of that level below it at any depth (`parent_code` empty:
  // the whole country). NOT_FOUND when the parent does not exist.
  absl::StatusOr<std::shared_ptr<const std::vector<v1::RankedRegion>>> Ranking(
      const grpc::ServerContextBase* context, const std::string& parent_code,
      fazhi::catalogue::v1::RegionLevel level, int year);

  // Runs `task(i)` for i in [0, n), `fan_out` at a time.
  void ForEachBounded(int n, const std::function<void(int)>& task) const;

  // Today in Beijing, by the clock.
  absl::CivilDay Today() const;
  BackendClients& clients() { return clients_; }

 private:
  struct DatedSummary {
    v1::DistrictComplianceSummary summary;
    absl::CivilDay as_of;
    // `summary` with every backend described as a cache hit, serialized
    // once when stored: a hit is answered by sharing these bytes.
    grpc::ByteBuffer reply;
  };
  struct DatedRanking {
    std::shared_ptr<const std::vector<v1::RankedRegion>> regions;
    absl::CivilDay as_of;
  };

  // A region's inputs fetched together with other regions' (a ranking):
  // used in place of the per-region calls for what is not cached.
  struct GivenInputs {
    absl::StatusOr<CatalogueFacts> catalogue = absl::UnknownError("not fetched");
    absl::StatusOr<fazhi::metrics::v1::Snapshot> metrics = absl::UnknownError("not fetched");
    absl::StatusOr<std::vector<fazhi::report::v1::Report>> reports =
        absl::UnknownError("not fetched");
  };

  absl::StatusOr<v1::DistrictComplianceSummary> Summarize(const grpc::ServerContextBase* context,
                                                          const std::string& code, int year,
                                                          GivenInputs* given);
  // The inputs of `regions` (by code) whose summary is not cached, in a few
  // calls per backend; empty when too few are missing to be worth it.
  std::map<std::string, GivenInputs> FetchMissingInBulk(
      const grpc::ServerContextBase* context,
      const std::vector<fazhi::catalogue::v1::Region>& regions, int year,
      const GatewayCache::View& view, absl::CivilDay today);
  bool FindSummary(const std::string& key, const GatewayCache::View& view, absl::CivilDay today,
                   v1::DistrictComplianceSummary* out) const;
  static std::string RankingKey(const std::string& parent_code,
                                fazhi::catalogue::v1::RegionLevel level, int year);
  absl::StatusOr<std::vector<fazhi::catalogue::v1::Region>> RankedRegionsOf(
      const grpc::ServerContextBase* context, const std::string& parent_code,
      fazhi::catalogue::v1::RegionLevel level, const GatewayCache::View& view);
  template <typename Stub>
  void Follow(Backend backend, Stub* stub, const ChangeFollowerOptions& options);

  const fazhi::rules::v1::RuleSet rules_;
  const std::function<absl::Time()> clock_;
  const int fan_out_;
  BackendClients clients_;
  GatewayCache cache_;
  Shelf<CatalogueFacts> facts_;
  Shelf<fazhi::metrics::v1::Snapshot> snapshots_;
  Shelf<std::vector<fazhi::report::v1::Report>> reports_;
  Shelf<fazhi::catalogue::v1::Region> regions_;
  Shelf<std::vector<fazhi::catalogue::v1::Region>> region_lists_;
  Shelf<DatedSummary> summaries_;
  Shelf<DatedRanking> rankings_;
  // Last: stopped first.
  std::vector<std::unique_ptr<ChangeFollower>> followers_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_SUMMARY_SOURCE_H_
