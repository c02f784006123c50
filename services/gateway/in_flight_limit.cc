#include "services/gateway/in_flight_limit.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"

namespace fazhi::gateway {

InFlightLimit::InFlightLimit(std::string backend, int limit)
    : backend_(std::move(backend)), limit_(std::max(1, limit)) {}

absl::Status InFlightLimit::Acquire(absl::Time deadline) {
  const absl::Time start = absl::Now();
  absl::MutexLock lock(&mu_);
  auto has_room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ < limit_; };
  if (!mu_.AwaitWithDeadline(absl::Condition(&has_room), deadline)) {
    return errors::ResourceExhausted(
        "BACKEND_CALLS_IN_FLIGHT",
        absl::StrCat("the gateway already has ", limit_, " calls in flight to the ", backend_,
                     " service (its limit) and none finished within ",
                     absl::ToInt64Milliseconds(absl::Now() - start), " ms; the call was not sent"));
  }
  ++in_flight_;
  return absl::OkStatus();
}

void InFlightLimit::Release() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

int InFlightLimit::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

}  // namespace fazhi::gateway
