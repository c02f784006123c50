#include "services/gateway/summary_source.h"

#include <grpcpp/impl/codegen/proto_utils.h>

#include <future>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "services/gateway/project_timeliness.h"
#include "services/gateway/summary_scoring.h"

namespace fazhi::gateway {
namespace {

namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

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
  absl::StatusOr<std::shared_ptr<const T>> result = errors::Pending("the summary input");
  v1::CacheState state = v1::CACHE_STATE_UNSPECIFIED;
};

// Marks every backend of `summary` as answered from the cache.
void DescribeAllAsHits(const GatewayCache::View& view, v1::DistrictComplianceSummary* summary) {
  for (int b = 0; b < kBackendCount; ++b) {
    GatewayCache::Describe(view, static_cast<Backend>(b), v1::CACHE_STATE_HIT,
                           summary->mutable_backends(b));
  }
}

std::string SummaryKey(const std::string& code, int year) { return absl::StrCat(code, "/", year); }

}  // namespace

SummarySource::SummarySource(const GatewayOptions& options, const fazhi::rules::v1::RuleSet& rules,
                             BackendClients* clients, GatewayCache* cache)
    : rules_(rules),
      clock_(options.clock),
      clients_(*clients),
      cache_(*cache),
      facts_(cache, {Backend::kCatalogue}, options.cache_entries),
      snapshots_(cache, {Backend::kMetrics}, options.cache_entries),
      reports_(cache, {Backend::kReport}, options.cache_entries),
      summaries_(cache, {Backend::kCatalogue, Backend::kMetrics, Backend::kReport},
                 options.cache_entries) {}

absl::CivilDay SummarySource::Today() const { return BeijingDay(clock_()); }

bool SummarySource::FindSummary(const std::string& key, const GatewayCache::View& view,
                                absl::CivilDay today, v1::DistrictComplianceSummary* out) const {
  auto hit = cache_.Find(summaries_, key, view);
  if (hit == nullptr || hit->as_of != today) return false;
  *out = hit->summary;
  DescribeAllAsHits(view, out);
  return true;
}

bool SummarySource::HasFreshSummary(const std::string& code, int year,
                                    const GatewayCache::View& view, absl::CivilDay today) const {
  auto hit = cache_.Find(summaries_, SummaryKey(code, year), view);
  return hit != nullptr && hit->as_of == today;
}

bool SummarySource::CachedSummaryReply(const std::string& code, int year,
                                       grpc::ByteBuffer* out) const {
  auto hit = cache_.Find(summaries_, SummaryKey(code, year), cache_.TakeView());
  if (hit == nullptr || hit->as_of != Today()) return false;
  *out = hit->reply;
  return true;
}

absl::StatusOr<v1::DistrictComplianceSummary> SummarySource::Summarize(
    const grpc::ServerContextBase* context, const std::string& code, int year,
    PrefetchedInputs* prefetched) {
  const GatewayCache::View view = cache_.TakeView();
  const absl::CivilDay today = Today();
  const std::string key = SummaryKey(code, year);
  v1::DistrictComplianceSummary summary;
  if (FindSummary(key, view, today, &summary)) return summary;

  // What is not cached is fetched, the backends at once (the last fetch on
  // this thread).
  PendingInput<CatalogueFacts> catalogue;
  PendingInput<mv1::Snapshot> metrics;
  PendingInput<std::vector<rv1::Report>> reports;
  std::vector<std::function<void()>> fetches;
  // `fetched` is the input prefetched with other regions' when there is one.
  auto prepare = [&](auto& table, auto& input, auto* fetched, auto fetch) {
    if (auto hit = cache_.Find(table, key, view)) {
      input.result = hit;
      input.state = v1::CACHE_STATE_HIT;
      return;
    }
    if (fetched != nullptr) {
      input.result = cache_.StoreFetched(table, key, view, std::move(*fetched), &input.state);
      return;
    }
    fetches.push_back([this, &key, &view, table = &table, input = &input, fetch] {
      input->result = cache_.StoreFetched(*table, key, view, fetch(), &input->state);
    });
  };
  prepare(facts_, catalogue, prefetched != nullptr ? &prefetched->catalogue : nullptr,
          [&] { return clients_.FetchCatalogueFacts(context, code, year); });
  prepare(snapshots_, metrics, prefetched != nullptr ? &prefetched->metrics : nullptr,
          [&] { return clients_.FetchSnapshot(context, code, year); });
  prepare(reports_, reports, prefetched != nullptr ? &prefetched->reports : nullptr,
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

}  // namespace fazhi::gateway
