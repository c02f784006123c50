#include "services/gateway/summary_source.h"

#include <grpcpp/impl/codegen/proto_utils.h>

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

// Marks every backend of `summary` as answered from the cache.
void DescribeAllAsHits(const GatewayCache::View& view, v1::DistrictComplianceSummary* summary) {
  for (int b = 0; b < kBackendCount; ++b) {
    GatewayCache::Describe(view, static_cast<Backend>(b), v1::CACHE_STATE_HIT,
                           summary->mutable_backends(b));
  }
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
  DescribeAllAsHits(view, out);
  return true;
}

bool SummarySource::CachedSummaryReply(const std::string& code, int year,
                                       grpc::ByteBuffer* out) const {
  auto hit = cache_.Find(summaries_, absl::StrCat(code, "/", year), cache_.Look());
  if (hit == nullptr || hit->as_of != Today()) return false;
  *out = hit->reply;
  return true;
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
    const grpc::ServerContextBase* context, const std::string& code, int year,
    GivenInputs* given) {
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
  // `fetched` is the input given with other regions' when there is one.
  auto prepare = [&](auto& shelf, auto& input, auto* fetched, auto fetch) {
    if (auto hit = cache_.Find(shelf, key, view)) {
      input.result = hit;
      input.state = v1::CACHE_STATE_HIT;
      return;
    }
    if (fetched != nullptr) {
      input.result = cache_.Keep(shelf, key, view, std::move(*fetched), &input.state);
      return;
    }
    fetches.push_back([this, &key, &view, shelf = &shelf, input = &input, fetch] {
      input->result = cache_.Keep(*shelf, key, view, fetch(), &input->state);
    });
  };
  prepare(facts_, catalogue, given != nullptr ? &given->catalogue : nullptr,
          [&] { return clients_.FetchCatalogueFacts(context, code, year); });
  prepare(snapshots_, metrics, given != nullptr ? &given->metrics : nullptr,
          [&] { return clients_.FetchSnapshot(context, code, year); });
  prepare(reports_, reports, given != nullptr ? &given->reports : nullptr,
          [&] { return clients_.FetchReports(context, code, year); });
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
    auto dated = std::make_shared<DatedSummary>(DatedSummary{summary, today, {}});
    v1::DistrictComplianceSummary as_hit = summary;
    DescribeAllAsHits(view, &as_hit);
    bool own_buffer = false;
    if (grpc::SerializationTraits<v1::DistrictComplianceSummary>::Serialize(as_hit, &dated->reply,
                                                                           &own_buffer)
            .ok()) {
      cache_.Put(summaries_, key, std::shared_ptr<const DatedSummary>(std::move(dated)), view);
    }
  }
  return summary;
}

std::map<std::string, SummarySource::GivenInputs> SummarySource::FetchMissingInBulk(
    const grpc::ServerContextBase* context, const std::vector<cv1::Region>& regions, int year,
    const GatewayCache::View& view, absl::CivilDay today) {
  std::vector<cv1::Region> missing;
  std::vector<std::string> codes;
  for (const auto& region : regions) {
    auto hit = cache_.Find(summaries_, absl::StrCat(region.code(), "/", year), view);
    if (hit != nullptr && hit->as_of == today) continue;
    missing.push_back(region);
    codes.push_back(region.code());
  }
  std::map<std::string, GivenInputs> given;
  // Below this, one call per region and backend, in parallel, is as quick.
  constexpr size_t kBulkFrom = 8;
  if (missing.size() < kBulkFrom) return given;

  auto catalogue = std::async(std::launch::async, [&] {
    return clients_.FetchCatalogueFactsOf(context, missing, year);
  });
  auto metrics =
      std::async(std::launch::async, [&] { return clients_.FetchSnapshotsOf(context, codes, year); });
  auto reports = clients_.FetchReportsOf(context, codes, year);
  auto facts = catalogue.get();
  auto snapshots = metrics.get();
  // Each backend's error (a backend down) becomes every region's answer
  // from it, as when each region asks on its own.
  for (const auto& code : codes) {
    GivenInputs& in = given[code];
    if (facts.ok()) {
      in.catalogue = std::move((*facts)[code]);
    } else {
      in.catalogue = facts.status();
    }
    if (snapshots.ok()) {
      in.metrics = std::move((*snapshots)[code]);
    } else {
      in.metrics = snapshots.status();
    }
    if (reports.ok()) {
      in.reports = std::move((*reports)[code]);
    } else {
      in.reports = reports.status();
    }
  }
  return given;
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
  std::map<std::string, GivenInputs> given =
      FetchMissingInBulk(context, *regions, year, view, today);
  auto ranked = std::make_shared<std::vector<v1::RankedRegion>>(n);
  std::atomic<bool> any_partial{false};
  ForEachBounded(n, [&](int i) {
    auto& line = (*ranked)[i];
    *line.mutable_region() = (*regions)[i];
    auto found = given.find((*regions)[i].code());
    auto summary = Summarize(context, (*regions)[i].code(), year,
                             found == given.end() ? nullptr : &found->second);
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
