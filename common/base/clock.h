// The clock a store stamps what it writes with (create and update times,
// change times). Injected, so that tests can fix it; servers use the system
// clock.
#ifndef FAZHI_COMMON_BASE_CLOCK_H_
#define FAZHI_COMMON_BASE_CLOCK_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace fazhi {

using Clock = std::function<absl::Time()>;

inline Clock SystemClock() {
  return [] { return absl::Now(); };
}

inline google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

}  // namespace fazhi

#endif  // FAZHI_COMMON_BASE_CLOCK_H_
