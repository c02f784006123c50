// A bound on the calls the gateway has in flight to one backend, so that a
// slow backend holds at most this many of the gateway's threads and its own
// load stays bounded however many callers arrive.
#ifndef FAZHI_SERVICES_GATEWAY_IN_FLIGHT_LIMIT_H_
#define FAZHI_SERVICES_GATEWAY_IN_FLIGHT_LIMIT_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fazhi::gateway {

class InFlightLimit {
 public:
  // `backend` names the backend in error messages; `limit` >= 1.
  InFlightLimit(std::string backend, int limit);

  InFlightLimit(const InFlightLimit&) = delete;
  InFlightLimit& operator=(const InFlightLimit&) = delete;

  // Takes a slot, waiting for one to free until `deadline`. Returns
  // RESOURCE_EXHAUSTED, naming the backend and the limit, when none frees in
  // time; the caller then does not make the call. Every OkStatus must be
  // matched by one Release().
  absl::Status Acquire(absl::Time deadline);
  void Release();

  int in_flight() const;
  int limit() const { return limit_; }

 private:
  const std::string backend_;
  const int limit_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

// Holds a slot of an InFlightLimit for its lifetime.
class InFlightSlot {
 public:
  InFlightSlot() = default;
  ~InFlightSlot() {
    if (limit_ != nullptr) limit_->Release();
  }
  InFlightSlot(const InFlightSlot&) = delete;
  InFlightSlot& operator=(const InFlightSlot&) = delete;

  absl::Status Acquire(InFlightLimit& limit, absl::Time deadline) {
    absl::Status s = limit.Acquire(deadline);
    if (s.ok()) limit_ = &limit;
    return s;
  }

 private:
  InFlightLimit* limit_ = nullptr;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_IN_FLIGHT_LIMIT_H_
