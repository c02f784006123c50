// The error catalogue: every status a Fazhi service returns to a caller is
// made here, so each carries a message a person can act on and the
// google.rpc details that name what went wrong.
//
// Details travel inside absl::Status as payloads keyed by their type URL
// ("type.googleapis.com/google.rpc.BadRequest"); ToGrpcStatus (grpc_status.h)
// packs them into the google.rpc.Status trailer that grpcurl prints.
#ifndef FAZHI_COMMON_STATUS_ERRORS_H_
#define FAZHI_COMMON_STATUS_ERRORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace fazhi::errors {

// The domain of every ErrorInfo the suite emits.
inline constexpr absl::string_view kErrorDomain = "fazhi.gov.cn";

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
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const google::rpc::BadRequest& bad_request() const { return bad_request_; }

  // INVALID_ARGUMENT whose message lists every violation ("invalid request:
  // year: must be ...; title: must not be empty"), with BadRequest and an
  // ErrorInfo of reason INVALID_FIELD. Must not be called when empty().
  absl::Status ToStatus() const;

 private:
  std::vector<std::string> violations_;
  google::rpc::BadRequest bad_request_;
};

// INVALID_ARGUMENT naming one field.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

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

// DATA_LOSS: stored bytes that should parse do not; `context` says which
// store and what was read.
absl::Status DataLoss(absl::string_view context, absl::string_view message);

// RESOURCE_EXHAUSTED: a limit of the service (not of the request) is reached;
// `reason` goes into ErrorInfo.
absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message);

// CANCELLED: work stopped because its owner is shutting down.
absl::Status Cancelled(absl::string_view message);

// Adds to `violations` every field violation `status` carries (none when it
// is OK or has no BadRequest), so that a handler can report a helper's
// violations together with its own.
void AddViolationsOf(const absl::Status& status, FieldViolations& violations);

// Attaches a detail message to `status` (replacing one of the same type).
void AttachDetail(absl::Status& status, const google::protobuf::Message& detail);

// Reads a detail of type T back, if `status` carries one.
template <typename T>
bool GetDetail(const absl::Status& status, T* detail) {
  auto payload = status.GetPayload("type.googleapis.com/" + T::descriptor()->full_name());
  if (!payload.has_value()) return false;
  return detail->ParseFromString(std::string(*payload));
}

}  // namespace fazhi::errors

#endif  // FAZHI_COMMON_STATUS_ERRORS_H_
