#include "services/gateway/backend_fan_out.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <utility>

namespace fazhi::gateway {

void ForEachBounded(int n, int width, const std::function<void(int)>& task) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min(n, std::max(1, width)); ++t) {
    threads.emplace_back([&] {
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) task(i);
    });
  }
  for (auto& thread : threads) thread.join();
}

std::map<std::string, PrefetchedInputs> FetchInputsInBulk(
    BackendClients& clients, const grpc::ServerContextBase* context,
    const std::vector<fazhi::catalogue::v1::Region>& regions, int year) {
  std::vector<std::string> codes;
  for (const auto& region : regions) codes.push_back(region.code());
  auto catalogue = std::async(
      std::launch::async, [&] { return clients.FetchCatalogueFactsOf(context, regions, year); });
  auto metrics = std::async(std::launch::async,
                            [&] { return clients.FetchSnapshotsOf(context, codes, year); });
  auto reports = clients.FetchReportsOf(context, codes, year);
  auto facts = catalogue.get();
  auto snapshots = metrics.get();
  std::map<std::string, PrefetchedInputs> inputs;
  for (const auto& code : codes) {
    PrefetchedInputs& in = inputs[code];
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
  return inputs;
}

}  // namespace fazhi::gateway
