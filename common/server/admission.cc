#include "common/server/admission.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/logging.h"
#include "common/server/authorizer.h"
#include "common/server/prometheus.h"
#include "common/status/errors.h"

namespace fazhi::server {
namespace {

// Past this many remembered callers, idle ones are forgotten.
constexpr size_t kCallersBeforeSweep = 4096;
constexpr absl::Duration kLogEvery = absl::Minutes(1);

// Refills `bucket` at `rate` per second up to `burst`, as of `now`.
void Refill(double rate, double burst, absl::Time now, double& tokens, absl::Time& refilled) {
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - refilled));
  tokens = std::min(burst, tokens + elapsed * rate);
  refilled = now;
}

}  // namespace

std::string PeerAddress(absl::string_view peer) {
  const size_t scheme = peer.find(':');
  if (scheme == absl::string_view::npos) return std::string(peer);
  absl::string_view rest = peer.substr(scheme + 1);
  if (absl::StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    if (close != absl::string_view::npos) return std::string(rest.substr(1, close - 1));
    return std::string(peer);
  }
  const size_t port = rest.rfind(':');
  if (port == absl::string_view::npos || port == 0) return std::string(peer);
  return std::string(rest.substr(0, port));
}

std::string AdmissionKey(const storage::Caller& caller, absl::string_view peer) {
  if (caller.principal == kAnonymous) return absl::StrCat(kAnonymous, "@", PeerAddress(peer));
  return caller.actor();
}

StreamSlot& StreamSlot::operator=(StreamSlot&& other) noexcept {
  if (this != &other) {
    Release();
    admission_ = std::exchange(other.admission_, nullptr);
    key_ = std::move(other.key_);
  }
  return *this;
}

void StreamSlot::Release() {
  if (admission_ == nullptr) return;
  std::exchange(admission_, nullptr)->ReleaseStream(key_);
}

Admission::Admission(AdmissionOptions options, std::function<absl::Time()> clock)
    : options_(std::move(options)), clock_(std::move(clock)) {}

Admission::CallerState& Admission::StateOf(absl::string_view key, absl::Time now) {
  auto it = callers_.find(key);
  if (it != callers_.end()) return it->second;
  if (callers_.size() >= kCallersBeforeSweep) ForgetIdle(now);
  CallerState state;
  // A caller first seen starts with a full burst.
  state.writes = Bucket{std::max(1.0, options_.write_burst), now};
  state.reads = Bucket{std::max(1.0, options_.read_burst), now};
  return callers_.emplace(std::string(key), state).first->second;
}

void Admission::ForgetIdle(absl::Time now) {
  for (auto it = callers_.begin(); it != callers_.end();) {
    CallerState& state = it->second;
    const double write_burst = std::max(1.0, options_.write_burst);
    const double read_burst = std::max(1.0, options_.read_burst);
    Refill(options_.writes_per_second, write_burst, now, state.writes.tokens,
           state.writes.refilled);
    Refill(options_.reads_per_second, read_burst, now, state.reads.tokens, state.reads.refilled);
    const bool idle = state.streams == 0 && state.writes.tokens >= write_burst &&
                      state.reads.tokens >= read_burst && now - state.last_logged >= kLogEvery;
    it = idle ? callers_.erase(it) : std::next(it);
  }
}

bool Admission::ShouldLog(CallerState& state, absl::Time now) {
  if (now - state.last_logged < kLogEvery) return false;
  state.last_logged = now;
  return true;
}

void Admission::Refused(absl::string_view key, CallerState& state, absl::string_view method,
                        absl::string_view reason, absl::Time now) {
  if (metrics_ != nullptr) metrics_->RecordDenied(std::string(method), std::string(reason));
  if (ShouldLog(state, now)) {
    FAZHI_LOG(WARNING) << "refused " << method << " for \"" << key << "\": " << reason
                       << " (logged once a minute per caller; every refusal is counted)";
  }
}

absl::Status Admission::AdmitCall(absl::string_view key, bool write, absl::string_view method) {
  const double rate = write ? options_.writes_per_second : options_.reads_per_second;
  if (rate <= 0) return absl::OkStatus();
  const double burst = std::max(1.0, write ? options_.write_burst : options_.read_burst);
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  CallerState& state = StateOf(key, now);
  Bucket& bucket = write ? state.writes : state.reads;
  Refill(rate, burst, now, bucket.tokens, bucket.refilled);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const absl::Duration delay = absl::Seconds((1 - bucket.tokens) / rate);
  Refused(key, state, method, "RATE_LIMITED", now);
  return errors::RetryLater(
      "RATE_LIMITED",
      absl::StrFormat("\"%s\" is over its %s rate of %g calls per second (bursts of %g): retry "
                      "after %s",
                      errors::Shorten(key), write ? "write" : "read", rate, burst,
                      absl::FormatDuration(absl::Ceil(delay, absl::Milliseconds(1)))),
      delay);
}

absl::StatusOr<StreamSlot> Admission::AcquireStream(const storage::Caller& caller,
                                                    absl::string_view peer) {
  std::string key = AdmissionKey(caller, peer);
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  CallerState& state = StateOf(key, now);
  std::string refusal;
  if (options_.streams_per_caller > 0 && state.streams >= options_.streams_per_caller) {
    refusal = absl::StrCat("\"", errors::Shorten(key), "\" already has ", state.streams,
                           " streams open, its limit: close one before opening another");
  } else if (options_.streams_per_server > 0 && streams_ >= options_.streams_per_server) {
    refusal = absl::StrCat("this server already serves ", streams_,
                           " streams, its limit: retry later or on another replica");
  }
  if (!refusal.empty()) {
    Refused(key, state, caller.method, "TOO_MANY_STREAMS", now);
    return errors::RetryLater("TOO_MANY_STREAMS", refusal, options_.stream_retry_delay);
  }
  ++state.streams;
  ++streams_;
  return StreamSlot(this, std::move(key));
}

void Admission::ReleaseStream(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = callers_.find(key);
  if (it != callers_.end() && it->second.streams > 0) --it->second.streams;
  if (streams_ > 0) --streams_;
}

int Admission::open_streams() const {
  absl::MutexLock lock(&mu_);
  return streams_;
}

int Admission::open_streams(absl::string_view key) const {
  absl::MutexLock lock(&mu_);
  auto it = callers_.find(key);
  return it == callers_.end() ? 0 : it->second.streams;
}

}  // namespace fazhi::server
