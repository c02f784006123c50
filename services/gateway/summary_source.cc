#include "services/gateway/summary_source.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "services/gateway/project_timeliness.h"
#include "services/gateway/summary_scoring.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

// The opener for `stub`, its request and change types read off the method.
template <typename Stub, typename Request, typename Change>
ChangeStreamOpener OpenerOf(Stub* stub, std::unique_ptr<grpc::ClientReader<Change>> (Stub::*)(
                                            grpc::ClientContext*, const Request&)) {
  return GrpcChangeStreamOpener<Stub, Request, Change>(stub);
}

template <typename T>
BackendAnswer<T> ToAnswer(const absl::StatusOr<std::shared_ptr<const T>>& result) {
  BackendAnswer<T> answer;
  if (result.ok()) {
    answer.data = **result;
  } else {
    answer.error = DescribeError(result.status());
  }
  return answer;
}

// One input of a summary: from the cache, or fetched.
template <typename T>
struct PendingInput {
  absl::StatusOr<std::shared_ptr<const T>> result = absl::UnknownError("not fetched");
  v1::CacheState state = v1::CACHE_STATE_UNSPECIFIED;
};

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

template <typename Stub>
void SummarySource::Follow(Backend backend, Stub* stub, const ChangeFollowerOptions& options) {
  ChangeFollowerCallbacks callbacks;
  callbacks.on_state = [this, backend](bool live, const std::string& detail) {
    cache_.SetLive(backend, live, detail);
  };
  callbacks.on_invalidate = [this, backend](const std::string&) { cache_.Invalidate(backend); };
  followers_.push_back(std::make_unique<ChangeFollower>(
      BackendName(backend), OpenerOf(stub, &Stub::WatchChanges), std::move(callbacks), options));
}

SummarySource::SummarySource(const GatewayOptions& options, const fazhi::rules::v1::RuleSet& rules)
    : rules_(rules),
      clock_(options.clock),
      fan_out_(std::max(1, options.fan_out)),
      clients_(options.backends),
      cache_(options.cache),
      facts_(&cache_, {Backend::kCatalogue}, options.cache_entries),
      snapshots_(&cache_, {Backend::kMetrics}, options.cache_entries),
      reports_(&cache_, {Backend::kReport}, options.cache_entries),
      regions_(&cache_, {Backend::kCatalogue}, options.cache_entries),
      region_lists_(&cache_, {Backend::kCatalogue}, options.cache_entries),
      summaries_(&cache_, {Backend::kCatalogue, Backend::kMetrics, Backend::kReport},
                 options.cache_entries),
      rankings_(&cache_, {Backend::kCatalogue, Backend::kMetrics, Backend::kReport},
                options.cache_entries) {
  if (!options.cache) return;
  Follow(Backend::kCatalogue, clients_.catalogue_stub(), options.follow);
  Follow(Backend::kMetrics, clients_.metrics_stub(), options.follow);
  Follow(Backend::kReport, clients_.report_stub(), options.follow);
}

SummarySource::~SummarySource() { followers_.clear(); }

absl::CivilDay SummarySource::Today() const { return BeijingDay(clock_()); }

void SummarySource::ForEachBounded(int n, const std::function<void(int)>& task) const {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min(n, fan_out_); ++t) {
    threads.emplace_back([&] {
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) task(i);
    });
  }
  for (auto& thread : threads) thread.join();
}

bool SummarySource::FindSummary(const std::string& key, const GatewayCache::View& view,
                                absl::CivilDay today, v1::DistrictComplianceSummary* out) const {
  auto hit = cache_.Find(summaries_, key, view);
  if (hit == nullptr || hit->as_of != today) return false;
  *out = hit->summary;
  for (int b = 0; b < kBackendCount; ++b) {
    GatewayCache::Describe(view, static_cast<Backend>(b), v1::CACHE_STATE_HIT,
                           out->mutable_backends(b));
  }
  return true;
}

bool SummarySource::CachedSummary(const std::string& code, int year,
                                  v1::DistrictComplianceSummary* out) const {
  return FindSummary(absl::StrCat(code, "/", year), cache_.Look(), Today(), out);
}

std::shared_ptr<const std::vector<v1::RankedRegion>> SummarySource::CachedRanking(
    const std::string& parent_code, cv1::RegionLevel level, int year) const {
  auto hit = cache_.Find(rankings_, RankingKey(parent_code, level, year), cache_.Look());
  if (hit == nullptr || hit->as_of != Today()) return nullptr;
  return hit->regions;
}

std::string SummarySource::RankingKey(const std::string& parent_code, cv1::RegionLevel level,
                                      int year) {
  return absl::StrCat(parent_code, "/", static_cast<int>(level), "/", year);
}

absl::StatusOr<v1::DistrictComplianceSummary> SummarySource::Summarize(
    const grpc::ServerContextBase* context, const std::string& code, int year) {
  const GatewayCache::View view = cache_.Look();
  const absl::CivilDay today = Today();
  const std::string key = absl::StrCat(code, "/", year);
  v1::DistrictComplianceSummary summary;
  if (FindSummary(key, view, today, &summary)) return summary;

  // What is not cached is fetched, the backends at once (the last fetch on
  // this thread).
  PendingInput<CatalogueFacts> catalogue;
  PendingInput<mv1::Snapshot> metrics;
  PendingInput<std::vector<rv1::Report>> reports;
  std::vector<std::function<void()>> fetches;
  auto prepare = [&](auto& shelf, auto& input, auto fetch) {
    if (auto hit = cache_.Find(shelf, key, view)) {
      input.result = hit;
      input.state = v1::CACHE_STATE_HIT;
      return;
    }
    fetches.push_back([this, &key, &view, shelf = &shelf, input = &input, fetch] {
      input->result = cache_.Keep(*shelf, key, view, fetch(), &input->state);
    });
  };
  prepare(facts_, catalogue, [&] { return clients_.FetchCatalogueFacts(context, code, year); });
  prepare(snapshots_, metrics, [&] { return clients_.FetchSnapshot(context, code, year); });
  prepare(reports_, reports, [&] { return clients_.FetchReports(context, code, year); });
  std::vector<std::future<void>> running;
  for (size_t i = 0; i + 1 < fetches.size(); ++i) {
    running.push_back(std::async(std::launch::async, fetches[i]));
  }
  if (!fetches.empty()) fetches.back()();
  for (auto& f : running) f.get();

  if (!catalogue.result.ok() && absl::IsNotFound(catalogue.result.status())) {
    return errors::NotFound("Region", api::RegionName(code));
  }
  SummaryInputs inputs;
  inputs.region_code = code;
  inputs.year = year;
  inputs.as_of = today;
  inputs.catalogue = ToAnswer(catalogue.result);
  inputs.metrics = ToAnswer(metrics.result);
  inputs.reports = ToAnswer(reports.result);
  summary = AssembleSummary(inputs);
  *summary.mutable_score() = ScoreSummary(summary, rules_);
  const v1::CacheState states[kBackendCount] = {catalogue.state, metrics.state, reports.state};
  for (int b = 0; b < kBackendCount; ++b) {
    // An unanswered backend's state is the view's: not asked from the cache.
    const v1::CacheState state = states[b] != v1::CACHE_STATE_UNSPECIFIED ? states[b]
                                 : view.usable[b]                         ? v1::CACHE_STATE_MISS
                                                                          : view.unusable_state[b];
    GatewayCache::Describe(view, static_cast<Backend>(b), state, summary.mutable_backends(b));
  }
  if (!summary.partial()) {
    cache_.Put(summaries_, key, std::make_shared<const DatedSummary>(DatedSummary{summary, today}),
               view);
  }
  return summary;
}

absl::StatusOr<std::vector<cv1::Region>> SummarySource::RankedRegionsOf(
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

absl::StatusOr<std::shared_ptr<const std::vector<v1::RankedRegion>>> SummarySource::Ranking(
    const grpc::ServerContextBase* context, const std::string& parent_code, cv1::RegionLevel level,
    int year) {
  const GatewayCache::View view = cache_.Look();
  const absl::CivilDay today = Today();
  const std::string key = RankingKey(parent_code, level, year);
  if (auto hit = cache_.Find(rankings_, key, view); hit != nullptr && hit->as_of == today) {
    return hit->regions;
  }
  auto regions = RankedRegionsOf(context, parent_code, level, view);
  if (!regions.ok()) return regions.status();

  const int n = static_cast<int>(regions->size());
  auto ranked = std::make_shared<std::vector<v1::RankedRegion>>(n);
  std::atomic<bool> any_partial{false};
  ForEachBounded(n, [&](int i) {
    auto& line = (*ranked)[i];
    *line.mutable_region() = (*regions)[i];
    auto summary = Summarize(context, (*regions)[i].code(), year);
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
