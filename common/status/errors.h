// The error catalogue: every status a Fazhi service returns to a caller is
// made here, so each carries a message a person can act on and the
// google.rpc details that name what went wrong.
//
// Details travel inside absl::Status as payloads keyed by their type URL
// ("type.googleapis.com/google.rpc.BadRequest"); ToGrpcStatus (grpc_status.h)
// packs them into the google.rpc.Status trailer that grpcurl prints.
#ifndef FAZHI_COMMON_STATUS_ERRORS_H_
#define FAZHI_COMMON_STATUS_ERRORS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"

namespace fazhi::errors {

// The domain of every ErrorInfo the suite emits.
inline constexpr absl::string_view kErrorDomain = "fazhi.gov.cn";

// Every status made here stays small whatever the caller sent: a field name
// or description quotes at most kMaxQuotedBytes of it (cut on a UTF-8
// boundary, its full length said), a message at most kMaxMessageBytes, and
// a request lists at most kMaxViolationsListed violations (the message
// says how many more). Otherwise one absurd value would drown the real
// error in a trailer too large for the client to read.
inline constexpr size_t kMaxQuotedBytes = 200;
inline constexpr size_t kMaxMessageBytes = 1024;
inline constexpr size_t kMaxViolationsListed = 50;

// `text`, cut to at most `max_bytes` on a UTF-8 boundary, with "…(N bytes)"
// appended when it was cut.
std::string Shorten(absl::string_view text, size_t max_bytes = kMaxQuotedBytes);

// Collects the bad fields of one request, so the caller hears about all of
// them at once.
//
//   FieldViolations violations;
//   if (year < 1949) violations.Add("year", "must be 1949..2100, got 1800");
//   if (!violations.empty()) return violations.ToStatus();
class FieldViolations {
 public:
  // `field` is a path such as "project.units[1]"; `description` says what is
  // wrong and what would be right.
  void Add(std::string field, std::string description);
  // Adds every violation of `other`, each field prefixed with `prefix` + ".".
  void AddAll(absl::string_view prefix, const FieldViolations& other);
  bool empty() const { return total_ == 0; }
  // Every violation added, listed or not.
  size_t size() const { return total_; }
  const google::rpc::BadRequest& bad_request() const { return bad_request_; }

  // INVALID_ARGUMENT whose message lists every violation ("invalid request:
  // year: must be ...; title: must not be empty"), with BadRequest and an
  // ErrorInfo of reason INVALID_FIELD. Must not be called when empty().
  absl::Status ToStatus() const;

 private:
  std::vector<std::string> violations_;  // the listed ones
  google::rpc::BadRequest bad_request_;  // the listed ones
  size_t total_ = 0;
};

// INVALID_ARGUMENT naming one field.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// INVALID_ARGUMENT for a value that is not a request field (a phrase, a
// byte sequence); a caller that knows the field reports it with
// InvalidField or FieldViolations instead.
absl::Status InvalidValue(absl::string_view description);

// INVALID_ARGUMENT for bad configuration found at start-up (a flag, the
// rules file, a TLS file). `message` begins with what it is about
// ("--tls_cert_file is set but ...", "rules file /etc/fazhi/rules.textproto:
// ...") and says what would be right; it is printed as one line before a
// non-zero exit.
absl::Status InvalidConfiguration(absl::string_view message);

// NOT_FOUND for a resource, e.g. NotFound("Region", "regions/310199").
absl::Status NotFound(absl::string_view resource_type, absl::string_view resource_name);

// NOT_FOUND for a resource named by a field of the request: carries both
// ResourceInfo and a BadRequest violation on `field`.
absl::Status ReferenceNotFound(absl::string_view field, absl::string_view resource_type,
                               absl::string_view resource_name);

// ALREADY_EXISTS for a resource; `why` says what collides.
absl::Status AlreadyExists(absl::string_view resource_type, absl::string_view resource_name,
                           absl::string_view why);

// ABORTED: the resource changed since the caller read it (stale etag).
absl::Status Aborted(absl::string_view resource_type, absl::string_view resource_name,
                     absl::string_view why);

// FAILED_PRECONDITION with a PreconditionFailure violation.
absl::Status FailedPrecondition(absl::string_view type, absl::string_view subject,
                                absl::string_view description);

// UNAVAILABLE: a dependency (the store, a backend) cannot be reached now; the
// caller may retry an idempotent call. `reason` goes into ErrorInfo.
absl::Status Unavailable(absl::string_view reason, absl::string_view message);

// INTERNAL: something that should not fail did; `context` says what.
absl::Status Internal(absl::string_view context, absl::string_view message);

// DATA_LOSS: stored data is unreadable or damaged (a record that does not
// parse, a malformed key or counter, a corrupt data file). `what` names the
// store and the damaged part; the message points the operator at the
// restore procedure, since retrying cannot help.
absl::Status DataLoss(absl::string_view what);

// Attaches a detail message to `status` (replacing one of the same type).
void AttachDetail(absl::Status& status, const google::protobuf::Message& detail);

// Reads a detail of type T back, if `status` carries one.
template <typename T>
bool GetDetail(const absl::Status& status, T* detail) {
  auto payload = status.GetPayload("type.googleapis.com/" + T::descriptor()->full_name());
  if (!payload.has_value()) return false;
  return detail->ParseFromString(std::string(*payload));
}

// INVALID_ARGUMENT for a bad command-line option of a tool (fazhictl,
// fazhiload): `message` is the whole message, as the tool prints it; a
// BadRequest violation names `option` (e.g. "--year").
absl::Status InvalidOption(absl::string_view option, absl::string_view message);

// RESOURCE_EXHAUSTED: a limit of this process (calls in flight to a backend)
// is reached; the caller may retry later. `reason` goes into ErrorInfo.
absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message);

// RESOURCE_EXHAUSTED: this caller has used up its share (a rate, a number of
// open streams) and may try again after `retry_delay`, which travels as
// google.rpc.RetryInfo (rounded up to a whole millisecond, at least one) so
// a client can wait exactly that long. `reason` goes into ErrorInfo
// ("RATE_LIMITED", "TOO_MANY_STREAMS").
absl::Status RetryLater(absl::string_view reason, absl::string_view message,
                        absl::Duration retry_delay);

// UNAUTHENTICATED: the call carries no credential, or one that does not
// check. `reason` goes into ErrorInfo ("NO_CREDENTIAL", "BAD_CREDENTIAL").
absl::Status Unauthenticated(absl::string_view reason, absl::string_view message);

// PERMISSION_DENIED: the authenticated caller may not do this. `reason`
// goes into ErrorInfo ("MISSING_ROLE", "OUT_OF_SCOPE", "NOT_A_SERVICE"),
// with the principal and what it lacks in its metadata.
absl::Status PermissionDenied(absl::string_view reason, absl::string_view message,
                              absl::string_view principal, absl::string_view needs);

// UNKNOWN: the placeholder of a result not produced yet ("the summary
// input"), held until it is replaced; never meant to reach a caller.
absl::Status Pending(absl::string_view what);

// Adds every BadRequest violation `status` carries to `violations`, so that
// a check made elsewhere (a page size, a page token) joins the others of the
// request. False when `status` carries none (OK, or another kind of error).
bool AddViolationsOf(const absl::Status& status, FieldViolations& violations);

// CANCELLED: the caller went away or its deadline passed before the answer
// was ready; `message` says which work was abandoned.
absl::Status Cancelled(absl::string_view message);

}  // namespace fazhi::errors

#endif  // FAZHI_COMMON_STATUS_ERRORS_H_
