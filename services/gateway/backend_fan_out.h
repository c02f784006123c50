// Asking the backends for many things at once: running a bounded number of
// tasks in parallel, and fetching the summary inputs of many regions in a
// few calls per backend.
//
// Backend calls carry the deadline and cancellation of the gateway call
// they answer (`context`, may be null).
#ifndef FAZHI_SERVICES_GATEWAY_BACKEND_FAN_OUT_H_
#define FAZHI_SERVICES_GATEWAY_BACKEND_FAN_OUT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/gateway/backend_clients.h"

namespace fazhi::gateway {

// Runs `task(i)` for i in [0, n) on at most `width` threads (at least one),
// returning when every task has.
void ForEachBounded(int n, int width, const std::function<void(int)>& task);

// A region's summary inputs fetched together with other regions' (for a
// ranking): used in place of the region's own calls for what is not cached.
// A backend's error (a backend down) is every region's answer from it.
struct PrefetchedInputs {
  absl::StatusOr<CatalogueFacts> catalogue = errors::Pending("the prefetched input");
  absl::StatusOr<fazhi::metrics::v1::Snapshot> metrics = errors::Pending("the prefetched input");
  absl::StatusOr<std::vector<fazhi::report::v1::Report>> reports =
      errors::Pending("the prefetched input");
};

// The inputs of `regions` for `year`, by region code, the three backends
// asked at once, each in a few calls.
std::map<std::string, PrefetchedInputs> FetchInputsInBulk(
    BackendClients& clients, const grpc::ServerContextBase* context,
    const std::vector<fazhi::catalogue::v1::Region>& regions, int year);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKEND_FAN_OUT_H_
