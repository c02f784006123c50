// How a gateway is set up: its backends, its cache and how many regions it
// summarises at a time. Filled from flags by gateway_flags.h, by tests
// directly.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_OPTIONS_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_OPTIONS_H_

#include <cstddef>
#include <functional>

#include "absl/time/time.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/change_follower.h"

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

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_OPTIONS_H_
