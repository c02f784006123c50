// Admission: how much one caller may ask of a server, so that one busy or
// broken client cannot starve the others (issue #20).
//
// Rates. Each caller has two token buckets, one for writes and one for
// reads (a write holds a store lock and appends to the change log and the
// audit trail; a read does neither, so they get different budgets and a
// flood of one does not spend the other). A call spends one token; a caller
// with none left is refused RESOURCE_EXHAUSTED, ErrorInfo reason
// RATE_LIMITED, with a google.rpc.RetryInfo delay after which one token will
// have come back. The Authorizer asks for a token in every Authorize, once
// the caller is authenticated and before its permissions are checked: so a
// flood of refused calls is cut off early, and a rate refusal is counted
// (fazhi_authorization_denied_total{reason="RATE_LIMITED"}) and logged at
// most once per caller per minute, but never written to the audit trail (a
// flood must not fill the store).
//
// Streams. A long-lived stream (WatchChanges) holds a slot for as long as it
// is open: at most `streams_per_caller` per caller and `streams_per_server`
// in all. A refusal is RESOURCE_EXHAUSTED, reason TOO_MANY_STREAMS, with
// RetryInfo.
//
// Who is a caller. The authenticated principal; a service acting for an end
// user (the gateway), that user through that service ("user via svc/x", as
// storage::Caller::actor() says), so one busy user of the gateway does not
// spend every other user's share. A caller with no credential (or one that
// does not check) is "anonymous@<peer IP>", one caller per address.
//
// How a change stream takes its slot, after Authorize succeeded:
//
//   auto slot = authorizer_.admission().AcquireStream(*caller, context->peer());
//   if (!slot.ok()) return ToGrpcStatus(slot.status());  // or Finish(...)
//   // keep *slot (move it into the reactor) until the stream ends; its
//   // destructor gives the slot back.
#ifndef FAZHI_COMMON_SERVER_ADMISSION_H_
#define FAZHI_COMMON_SERVER_ADMISSION_H_

#include <functional>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/audit_trail.h"

namespace fazhi::server {

class RpcMetrics;

// Zero (or less) for a limit means none: the default, which tests rely on;
// servers take theirs from flags (security_flags.h).
struct AdmissionOptions {
  double writes_per_second = 0;
  double write_burst = 0;  // at least one token when the rate is set
  double reads_per_second = 0;
  double read_burst = 0;
  int streams_per_caller = 0;
  int streams_per_server = 0;
  // What a stream refusal tells the caller to wait: a slot comes back only
  // when some stream ends, which no one can predict.
  absl::Duration stream_retry_delay = absl::Seconds(5);
};

// The address part of a gRPC peer string ("ipv4:10.0.0.7:51234" ->
// "10.0.0.7", "ipv6:[::1]:5000" -> "::1"); the whole string when it is of
// no known form.
std::string PeerAddress(absl::string_view peer);

// The admission key of an authorized caller (see "Who is a caller").
std::string AdmissionKey(const storage::Caller& caller, absl::string_view peer);

class Admission;

// One open stream's slot; given back when destroyed. Movable.
class StreamSlot {
 public:
  StreamSlot() = default;
  StreamSlot(StreamSlot&& other) noexcept { *this = std::move(other); }
  StreamSlot& operator=(StreamSlot&& other) noexcept;
  ~StreamSlot() { Release(); }
  // Gives the slot back now (idempotent).
  void Release();

 private:
  friend class Admission;
  StreamSlot(Admission* admission, std::string key) : admission_(admission), key_(std::move(key)) {}
  Admission* admission_ = nullptr;
  std::string key_;
};

// Thread-safe. Outlives every StreamSlot it gave out.
class Admission {
 public:
  explicit Admission(
      AdmissionOptions options, std::function<absl::Time()> clock = [] { return absl::Now(); });

  void set_metrics(RpcMetrics* metrics) { metrics_ = metrics; }
  const AdmissionOptions& options() const { return options_; }

  // Spends one write or read token of caller `key` for a call of `method`
  // ("/pkg.Service/Method"), or RESOURCE_EXHAUSTED RATE_LIMITED with the
  // delay until one is back (counted, and logged once a minute per caller).
  absl::Status AdmitCall(absl::string_view key, bool write, absl::string_view method);

  // A stream slot for `caller` (authorized; `peer` is the call's
  // ServerContextBase::peer(), used for an anonymous caller), or
  // RESOURCE_EXHAUSTED TOO_MANY_STREAMS.
  absl::StatusOr<StreamSlot> AcquireStream(const storage::Caller& caller, absl::string_view peer);

  // Streams open now, in all and of caller `key`.
  int open_streams() const;
  int open_streams(absl::string_view key) const;

 private:
  friend class StreamSlot;
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };
  struct CallerState {
    Bucket writes;
    Bucket reads;
    int streams = 0;
    absl::Time last_logged = absl::InfinitePast();
  };

  CallerState& StateOf(absl::string_view key, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops callers that hold no stream and whose buckets have refilled
  // (forgetting them changes nothing), so addresses seen once do not pile up.
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `key` should be logged now; marks it logged.
  bool ShouldLog(CallerState& state, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Refused(absl::string_view key, CallerState& state, absl::string_view method,
               absl::string_view reason, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseStream(const std::string& key);

  const AdmissionOptions options_;
  const std::function<absl::Time()> clock_;
  RpcMetrics* metrics_ = nullptr;
  mutable absl::Mutex mu_;
  std::map<std::string, CallerState, std::less<>> callers_ ABSL_GUARDED_BY(mu_);
  int streams_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_ADMISSION_H_
