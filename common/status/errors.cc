#include "common/status/errors.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fazhi::errors {
namespace {

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason) {
  if (status.message().size() > kMaxMessageBytes) {
    // Room for Shorten's "…(N bytes)", so the whole stays within the bound.
    constexpr size_t kSuffixRoom = 32;
    absl::Status shorter(status.code(), Shorten(status.message(), kMaxMessageBytes - kSuffixRoom));
    status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
      shorter.SetPayload(type_url, payload);
    });
    status = std::move(shorter);
  }
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  AttachDetail(status, info);
  return status;
}

google::rpc::ResourceInfo MakeResourceInfo(absl::string_view type, absl::string_view name,
                                           absl::string_view description) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(Shorten(type));
  info.set_resource_name(Shorten(name));
  info.set_description(Shorten(description));
  return info;
}

}  // namespace

void AttachDetail(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(absl::StrCat("type.googleapis.com/", detail.GetDescriptor()->full_name()),
                    absl::Cord(detail.SerializeAsString()));
}

std::string Shorten(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back up to the first byte of a code point (continuation bytes are 10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "…(", text.size(), " bytes)");
}

void FieldViolations::Add(std::string field, std::string description) {
  ++total_;
  if (violations_.size() >= kMaxViolationsListed) return;
  field = Shorten(field);
  description = Shorten(description);
  violations_.push_back(absl::StrCat(field, ": ", description));
  auto* violation = bad_request_.add_field_violations();
  violation->set_field(std::move(field));
  violation->set_description(std::move(description));
}

void FieldViolations::AddAll(absl::string_view prefix, const FieldViolations& other) {
  for (const auto& v : other.bad_request_.field_violations()) {
    Add(absl::StrCat(prefix, ".", v.field()), v.description());
  }
}

absl::Status FieldViolations::ToStatus() const {
  std::string listed = absl::StrJoin(violations_, "; ");
  if (total_ > violations_.size()) {
    absl::StrAppend(&listed, "; and ", total_ - violations_.size(), " more");
  }
  absl::Status status(absl::StatusCode::kInvalidArgument,
                      absl::StrCat("invalid request: ", listed));
  AttachDetail(status, bad_request_);
  return WithErrorInfo(std::move(status), "INVALID_FIELD");
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  FieldViolations violations;
  violations.Add(std::string(field), std::string(description));
  return violations.ToStatus();
}

absl::Status InvalidValue(absl::string_view description) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kInvalidArgument, description),
                       "INVALID_VALUE");
}

absl::Status InvalidConfiguration(absl::string_view message) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kInvalidArgument, message),
                       "INVALID_CONFIGURATION");
}

absl::Status NotFound(absl::string_view resource_type, absl::string_view resource_name) {
  absl::Status status(absl::StatusCode::kNotFound,
                      absl::StrCat(resource_type, " ", resource_name, " does not exist"));
  AttachDetail(status, MakeResourceInfo(resource_type, resource_name, "not found"));
  return WithErrorInfo(std::move(status), "RESOURCE_NOT_FOUND");
}

absl::Status ReferenceNotFound(absl::string_view field, absl::string_view resource_type,
                               absl::string_view resource_name) {
  absl::Status status(absl::StatusCode::kNotFound,
                      absl::StrCat(field, ": ", resource_type, " ", resource_name,
                                   " does not exist; create it first or fix the reference"));
  AttachDetail(status, MakeResourceInfo(resource_type, resource_name, "referenced but not found"));
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(Shorten(field));
  violation->set_description(
      Shorten(absl::StrCat(resource_type, " ", resource_name, " does not exist")));
  AttachDetail(status, bad_request);
  return WithErrorInfo(std::move(status), "REFERENCE_NOT_FOUND");
}

absl::Status AlreadyExists(absl::string_view resource_type, absl::string_view resource_name,
                           absl::string_view why) {
  absl::Status status(absl::StatusCode::kAlreadyExists,
                      absl::StrCat(resource_type, " ", resource_name, " already exists: ", why));
  AttachDetail(status, MakeResourceInfo(resource_type, resource_name, why));
  return WithErrorInfo(std::move(status), "ALREADY_EXISTS");
}

absl::Status Aborted(absl::string_view resource_type, absl::string_view resource_name,
                     absl::string_view why) {
  absl::Status status(
      absl::StatusCode::kAborted,
      absl::StrCat(resource_type, " ", resource_name, ": ", why, "; read it again and retry"));
  AttachDetail(status, MakeResourceInfo(resource_type, resource_name, why));
  return WithErrorInfo(std::move(status), "CONCURRENT_MODIFICATION");
}

absl::Status FailedPrecondition(absl::string_view type, absl::string_view subject,
                                absl::string_view description) {
  absl::Status status(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat(subject, ": ", description));
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type(std::string(type));
  violation->set_subject(Shorten(subject));
  violation->set_description(Shorten(description));
  AttachDetail(status, failure);
  return WithErrorInfo(std::move(status), std::string(type));
}

absl::Status Unavailable(absl::string_view reason, absl::string_view message) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kUnavailable, message), reason);
}

absl::Status Internal(absl::string_view context, absl::string_view message) {
  return WithErrorInfo(
      absl::Status(absl::StatusCode::kInternal, absl::StrCat(context, ": ", message)), "INTERNAL");
}

absl::Status DataLoss(absl::string_view what) {
  return WithErrorInfo(
      absl::Status(absl::StatusCode::kDataLoss,
                   absl::StrCat(what,
                                "; the stored data is damaged: restore the store from a "
                                "backup (deploy/README.md, \"Back up and restore a store\")")),
      "DATA_LOSS");
}

absl::Status InvalidOption(absl::string_view option, absl::string_view message) {
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(std::string(option));
  violation->set_description(std::string(message));
  AttachDetail(status, bad_request);
  return WithErrorInfo(std::move(status), "INVALID_OPTION");
}

absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kResourceExhausted, message), reason);
}

absl::Status RetryLater(absl::string_view reason, absl::string_view message,
                        absl::Duration retry_delay) {
  absl::Status status =
      WithErrorInfo(absl::Status(absl::StatusCode::kResourceExhausted, message), reason);
  const int64_t millis = std::max<int64_t>(
      1, absl::ToInt64Milliseconds(absl::Ceil(retry_delay, absl::Milliseconds(1))));
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(millis / 1000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(millis % 1000) * 1000000);
  AttachDetail(status, retry);
  return status;
}

absl::Status Unauthenticated(absl::string_view reason, absl::string_view message) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kUnauthenticated, message), reason);
}

absl::Status PermissionDenied(absl::string_view reason, absl::string_view message,
                              absl::string_view principal, absl::string_view needs) {
  absl::Status status =
      WithErrorInfo(absl::Status(absl::StatusCode::kPermissionDenied, message), reason);
  google::rpc::ErrorInfo info;
  GetDetail(status, &info);
  (*info.mutable_metadata())["principal"] = Shorten(principal);
  (*info.mutable_metadata())["needs"] = Shorten(needs);
  AttachDetail(status, info);
  return status;
}

absl::Status Pending(absl::string_view what) {
  return absl::Status(absl::StatusCode::kUnknown, absl::StrCat(what, " was not produced yet"));
}

bool AddViolationsOf(const absl::Status& status, FieldViolations& violations) {
  google::rpc::BadRequest bad_request;
  if (status.ok() || !GetDetail(status, &bad_request)) return false;
  for (const auto& v : bad_request.field_violations()) violations.Add(v.field(), v.description());
  return bad_request.field_violations_size() > 0;
}

absl::Status Cancelled(absl::string_view message) {
  return WithErrorInfo(absl::Status(absl::StatusCode::kCancelled, message), "CANCELLED");
}

}  // namespace fazhi::errors
