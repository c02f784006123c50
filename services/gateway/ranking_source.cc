#include "services/gateway/ranking_source.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway/backend_fan_out.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;

bool IsUnder(const cv1::Region& region, const std::string& parent_name,
             const std::map<std::string, const cv1::Region*>& by_name) {
  if (parent_name.empty()) return true;
  const cv1::Region* at = &region;
  // GB/T 2260 has three levels; the bound guards against a cycle in data.
  for (int depth = 0; depth < 8 && !at->parent().empty(); ++depth) {
    if (at->parent() == parent_name) return true;
    auto up = by_name.find(at->parent());
    if (up == by_name.end()) return false;
    at = up->second;
  }
  return false;
}

}  // namespace

RankingSource::RankingSource(const GatewayOptions& options, BackendClients* clients,
                             GatewayCache* cache, SummarySource* summaries)
    : fan_out_(std::max(1, options.fan_out)),
      clients_(*clients),
      cache_(*cache),
      summaries_(*summaries),
      regions_(cache, {Backend::kCatalogue}, options.cache_entries),
      region_lists_(cache, {Backend::kCatalogue}, options.cache_entries),
      rankings_(cache, {Backend::kCatalogue, Backend::kMetrics, Backend::kReport},
                options.cache_entries) {}

std::shared_ptr<const std::vector<v1::RankedRegion>> RankingSource::CachedRanking(
    const std::string& parent_code, cv1::RegionLevel level, int year) const {
  auto hit = cache_.Find(rankings_, RankingKey(parent_code, level, year), cache_.TakeView());
  if (hit == nullptr || hit->as_of != summaries_.Today()) return nullptr;
  return hit->regions;
}

std::string RankingSource::RankingKey(const std::string& parent_code, cv1::RegionLevel level,
                                      int year) {
  return absl::StrCat(parent_code, "/", static_cast<int>(level), "/", year);
}

std::map<std::string, PrefetchedInputs> RankingSource::PrefetchMissing(
    const grpc::ServerContextBase* context, const std::vector<cv1::Region>& regions, int year,
    const GatewayCache::View& view, absl::CivilDay today) {
  std::vector<cv1::Region> missing;
  for (const auto& region : regions) {
    if (!summaries_.HasFreshSummary(region.code(), year, view, today)) missing.push_back(region);
  }
  // Below this, one call per region and backend, in parallel, is as quick.
  constexpr size_t kBulkFrom = 8;
  if (missing.size() < kBulkFrom) return {};
  return FetchInputsInBulk(clients_, context, missing, year);
}

absl::StatusOr<std::vector<cv1::Region>> RankingSource::RankedRegionsOf(
    const grpc::ServerContextBase* context, const std::string& parent_code, cv1::RegionLevel level,
    const GatewayCache::View& view) {
  v1::CacheState state;
  std::string parent_name;
  if (!parent_code.empty()) {
    auto parent = cache_.GetOrFetch(
        regions_, parent_code, view, [&] { return clients_.FetchRegion(context, parent_code); },
        &state);
    if (!parent.ok()) return parent.status();
    parent_name = (*parent)->name();
  }
  if (level == cv1::REGION_LEVEL_UNSPECIFIED) {
    auto children = cache_.GetOrFetch(
        region_lists_, absl::StrCat("children/", parent_code), view,
        [&] { return clients_.FetchChildRegions(context, parent_code); }, &state);
    if (!children.ok()) return children.status();
    return **children;
  }
  auto all = cache_.GetOrFetch(
      region_lists_, "all", view, [&] { return clients_.FetchAllRegions(context); }, &state);
  if (!all.ok()) return all.status();
  std::map<std::string, const cv1::Region*> by_name;
  for (const auto& region : **all) by_name[region.name()] = &region;
  std::vector<cv1::Region> selected;
  for (const auto& region : **all) {
    if (region.level() == level && IsUnder(region, parent_name, by_name)) {
      selected.push_back(region);
    }
  }
  return selected;
}

absl::StatusOr<std::shared_ptr<const std::vector<v1::RankedRegion>>> RankingSource::Ranking(
    const grpc::ServerContextBase* context, const std::string& parent_code, cv1::RegionLevel level,
    int year) {
  const GatewayCache::View view = cache_.TakeView();
  const absl::CivilDay today = summaries_.Today();
  const std::string key = RankingKey(parent_code, level, year);
  if (auto hit = cache_.Find(rankings_, key, view); hit != nullptr && hit->as_of == today) {
    return hit->regions;
  }
  auto regions = RankedRegionsOf(context, parent_code, level, view);
  if (!regions.ok()) return regions.status();

  const int n = static_cast<int>(regions->size());
  std::map<std::string, PrefetchedInputs> prefetched =
      PrefetchMissing(context, *regions, year, view, today);
  auto ranked = std::make_shared<std::vector<v1::RankedRegion>>(n);
  std::atomic<bool> any_partial{false};
  ForEachBounded(n, fan_out_, [&](int i) {
    auto& line = (*ranked)[i];
    *line.mutable_region() = (*regions)[i];
    auto found = prefetched.find((*regions)[i].code());
    auto summary = summaries_.Summarize(context, (*regions)[i].code(), year,
                                        found == prefetched.end() ? nullptr : &found->second);
    if (!summary.ok() || summary->partial()) any_partial = true;
    if (!summary.ok()) {
      line.set_partial(true);
      return;
    }
    *line.mutable_score() = summary->score();
    line.set_partial(summary->partial());
    int shortfalls = 0;
    for (const auto& f : summary->findings()) {
      if (f.severity() == v1::Finding::SEVERITY_SHORTFALL) ++shortfalls;
    }
    line.set_shortfalls(shortfalls);
  });
  std::stable_sort(ranked->begin(), ranked->end(),
                   [](const v1::RankedRegion& a, const v1::RankedRegion& b) {
                     if (a.score().computable() != b.score().computable()) {
                       return a.score().computable();
                     }
                     if (a.score().value() != b.score().value()) {
                       return a.score().value() > b.score().value();
                     }
                     return a.region().code() < b.region().code();
                   });
  for (int i = 0; i < n; ++i) (*ranked)[i].set_rank(i + 1);
  std::shared_ptr<const std::vector<v1::RankedRegion>> result = std::move(ranked);
  if (!any_partial) {
    cache_.Put(rankings_, key, std::make_shared<const DatedRanking>(DatedRanking{result, today}),
               view);
  }
  return result;
}

}  // namespace fazhi::gateway
