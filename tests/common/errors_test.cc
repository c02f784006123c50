#include "common/status/errors.h"

#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace fazhi::errors {
namespace {

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kResourceInfoUrl[] = "type.googleapis.com/google.rpc.ResourceInfo";

// Every payload of `status`, counted.
int PayloadCount(const absl::Status& status) {
  int n = 0;
  status.ForEachPayload([&n](absl::string_view, const absl::Cord&) { ++n; });
  return n;
}

// The google.rpc.Status inside a grpc::Status's details trailer.
google::rpc::Status ParseDetails(const grpc::Status& status) {
  google::rpc::Status rpc_status;
  EXPECT_FALSE(status.error_details().empty());
  EXPECT_TRUE(rpc_status.ParseFromString(status.error_details()));
  return rpc_status;
}

// The one Any of `type_url` in `rpc_status`, unpacked into `detail`; fails
// the test when there is not exactly one.
template <typename T>
bool FindDetail(const google::rpc::Status& rpc_status, const std::string& type_url, T* detail) {
  int found = 0;
  for (const auto& any : rpc_status.details()) {
    if (any.type_url() != type_url) continue;
    ++found;
    EXPECT_TRUE(any.UnpackTo(detail)) << type_url;
  }
  EXPECT_EQ(found, 1) << type_url;
  return found == 1;
}

FieldViolations ThreeViolations() {
  FieldViolations violations;
  violations.Add("year", "must be 1949..2100, got 1800");
  violations.Add("title", "must not be empty");
  violations.Add("project.units[1]", "is not a 统一社会信用代码");
  return violations;
}

// ---------------------------------------------------------------------------
// FieldViolations

TEST(FieldViolationsTest, StartsEmpty) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(violations.size(), 0u);
  EXPECT_EQ(violations.bad_request().field_violations_size(), 0);
}

TEST(FieldViolationsTest, CollectsEveryViolation) {
  const FieldViolations violations = ThreeViolations();
  EXPECT_FALSE(violations.empty());
  EXPECT_EQ(violations.size(), 3u);

  const absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "invalid request: year: must be 1949..2100, got 1800; title: must not be empty; "
            "project.units[1]: is not a 统一社会信用代码");

  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 3);
  EXPECT_EQ(bad_request.field_violations(0).field(), "year");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must be 1949..2100, got 1800");
  EXPECT_EQ(bad_request.field_violations(1).field(), "title");
  EXPECT_EQ(bad_request.field_violations(1).description(), "must not be empty");
  EXPECT_EQ(bad_request.field_violations(2).field(), "project.units[1]");
  EXPECT_EQ(bad_request.field_violations(2).description(), "is not a 统一社会信用代码");

  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(status, &info));
  EXPECT_EQ(info.reason(), "INVALID_FIELD");
  EXPECT_EQ(info.domain(), "fazhi.gov.cn");
}

TEST(FieldViolationsTest, AddAllPrefixesFields) {
  FieldViolations inner;
  inner.Add("name", "must not be empty");
  inner.Add("units[0]", "unknown unit");
  FieldViolations outer;
  outer.Add("year", "out of range");
  outer.AddAll("project", inner);
  ASSERT_EQ(outer.size(), 3u);
  const auto& violations = outer.bad_request().field_violations();
  EXPECT_EQ(violations[0].field(), "year");
  EXPECT_EQ(violations[1].field(), "project.name");
  EXPECT_EQ(violations[1].description(), "must not be empty");
  EXPECT_EQ(violations[2].field(), "project.units[0]");
  EXPECT_TRUE(absl::StrContains(outer.ToStatus().message(), "project.units[0]: unknown unit"))
      << outer.ToStatus().message();
  EXPECT_EQ(inner.size(), 2u) << "AddAll must not change its argument";
}

TEST(InvalidFieldTest, NamesOneField) {
  const absl::Status status = InvalidField("page_size", "must be 0..1000, got -1");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid request: page_size: must be 0..1000, got -1");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
}

// ---------------------------------------------------------------------------
// The rest of the catalogue

TEST(ErrorCatalogueTest, NotFoundCarriesResourceInfo) {
  const absl::Status status = NotFound("Region", "regions/310199");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(status.message(), "regions/310199")) << status.message();
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(GetDetail(status, &resource));
  EXPECT_EQ(resource.resource_type(), "Region");
  EXPECT_EQ(resource.resource_name(), "regions/310199");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(status, &info));
  EXPECT_EQ(info.reason(), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(info.domain(), "fazhi.gov.cn");
  google::rpc::BadRequest bad_request;
  EXPECT_FALSE(GetDetail(status, &bad_request)) << "a plain NotFound names no request field";
}

TEST(ErrorCatalogueTest, ReferenceNotFoundCarriesResourceInfoAndBadRequest) {
  const absl::Status status = ReferenceNotFound("project.region", "Region", "regions/310199");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(status.message(), "project.region")) << status.message();
  EXPECT_TRUE(absl::StrContains(status.message(), "regions/310199")) << status.message();
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(GetDetail(status, &resource));
  EXPECT_EQ(resource.resource_type(), "Region");
  EXPECT_EQ(resource.resource_name(), "regions/310199");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "project.region");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(status, &info));
  EXPECT_EQ(info.reason(), "REFERENCE_NOT_FOUND");
  EXPECT_EQ(info.domain(), "fazhi.gov.cn");
}

TEST(ErrorCatalogueTest, OtherConstructorsCarryCodeAndReason) {
  struct Case {
    absl::Status status;
    absl::StatusCode code;
    std::string reason;
  };
  const Case cases[] = {
      {AlreadyExists("Project", "projects/p1", "request_id r1 was used"),
       absl::StatusCode::kAlreadyExists, "ALREADY_EXISTS"},
      {Aborted("Project", "projects/p1", "etag \"3\" is stale"), absl::StatusCode::kAborted,
       "CONCURRENT_MODIFICATION"},
      {FailedPrecondition("REPORT_NOT_PUBLISHED", "reports/r1", "publish it first"),
       absl::StatusCode::kFailedPrecondition, "REPORT_NOT_PUBLISHED"},
      {Unavailable("BACKEND_UNAVAILABLE", "metrics did not answer"), absl::StatusCode::kUnavailable,
       "BACKEND_UNAVAILABLE"},
      {Internal("decode", "bad record"), absl::StatusCode::kInternal, "INTERNAL"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.status;
    EXPECT_FALSE(c.status.message().empty()) << c.status;
    google::rpc::ErrorInfo info;
    ASSERT_TRUE(GetDetail(c.status, &info)) << c.status;
    EXPECT_EQ(info.reason(), c.reason);
    EXPECT_EQ(info.domain(), "fazhi.gov.cn");
  }
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetDetail(cases[2].status, &failure));
  ASSERT_EQ(failure.violations_size(), 1);
  EXPECT_EQ(failure.violations(0).type(), "REPORT_NOT_PUBLISHED");
  EXPECT_EQ(failure.violations(0).subject(), "reports/r1");
  EXPECT_EQ(failure.violations(0).description(), "publish it first");
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(GetDetail(cases[0].status, &resource));
  EXPECT_EQ(resource.resource_name(), "projects/p1");
}

TEST(ErrorCatalogueTest, StoreAndShutdownConstructorsCarryCodeAndReason) {
  const std::pair<absl::Status, absl::StatusCode> cases[] = {
      {DataLoss("report store: a malformed posting block"), absl::StatusCode::kDataLoss},
      {ResourceExhausted("SEARCH_DOCUMENTS_EXHAUSTED", "no document number is left"),
       absl::StatusCode::kResourceExhausted},
      {Cancelled("the store is closing"), absl::StatusCode::kCancelled},
  };
  const char* const reasons[] = {"DATA_LOSS", "SEARCH_DOCUMENTS_EXHAUSTED", "CANCELLED"};
  for (size_t i = 0; i < 3; ++i) {
    const absl::Status& status = cases[i].first;
    EXPECT_EQ(status.code(), cases[i].second) << status;
    EXPECT_FALSE(status.message().empty()) << status;
    google::rpc::ErrorInfo info;
    ASSERT_TRUE(GetDetail(status, &info)) << status;
    EXPECT_EQ(info.reason(), reasons[i]);
  }
  // What was damaged first, then where to go from here: a restore.
  EXPECT_TRUE(absl::StartsWith(cases[0].first.message(), "report store: a malformed posting block"))
      << cases[0].first;
  EXPECT_NE(cases[0].first.message().find("restore"), absl::string_view::npos) << cases[0].first;
}

// One absurd request cannot make an error too large to read: each quoted
// value is cut (on a UTF-8 boundary, its length said), the message is
// bounded, and only the first violations are listed with a count of the rest.
TEST(ErrorCatalogueTest, ErrorsStaySmallWhateverTheRequestHeld) {
  const std::string huge(10000, 'x');
  const std::string chinese = "宝山区" + std::string(3000, 'y');  // 9 + 3000 bytes
  FieldViolations violations;
  violations.Add("units[0]", absl::StrCat("\"", huge, "\" is not a unit"));
  violations.Add(chinese, "is not a field");
  for (int i = 0; i < 10000; ++i) violations.Add(absl::StrCat("units[", i + 1, "]"), "duplicate");
  EXPECT_EQ(violations.size(), 10002u);
  const absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LE(status.message().size(), kMaxMessageBytes + 32) << status.message().size();
  EXPECT_NE(status.message().find("bytes)"), absl::string_view::npos);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(status, &bad_request));
  EXPECT_EQ(bad_request.field_violations_size(), static_cast<int>(kMaxViolationsListed));
  EXPECT_LE(bad_request.ByteSizeLong(), kMaxViolationsListed * (2 * kMaxQuotedBytes + 64));
  EXPECT_LE(bad_request.field_violations(0).description().size(), kMaxQuotedBytes + 32);
  EXPECT_NE(bad_request.field_violations(0).description().find("(10016 bytes)"), std::string::npos)
      << bad_request.field_violations(0).description();
  // Cut where a whole character ends, never inside one.
  const std::string& field = bad_request.field_violations(1).field();
  EXPECT_TRUE(absl::StartsWith(field, "宝山区yyy")) << field;
  const std::string cut_chinese = Shorten("法治" + std::string(300, 'z'), 4);
  EXPECT_TRUE(absl::StartsWith(cut_chinese, "法…")) << cut_chinese;

  const absl::Status not_found = NotFound("Unit", absl::StrCat("units/", huge));
  EXPECT_LE(not_found.message().size(), kMaxMessageBytes + 32);
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(GetDetail(not_found, &resource));
  EXPECT_LE(resource.resource_name().size(), kMaxQuotedBytes + 32);
}

TEST(AttachDetailTest, ReplacesADetailOfTheSameType) {
  absl::Status status(absl::StatusCode::kInternal, "x");
  google::rpc::ErrorInfo first;
  first.set_reason("FIRST");
  AttachDetail(status, first);
  google::rpc::ErrorInfo second;
  second.set_reason("SECOND");
  AttachDetail(status, second);
  EXPECT_EQ(PayloadCount(status), 1);
  google::rpc::ErrorInfo got;
  ASSERT_TRUE(GetDetail(status, &got));
  EXPECT_EQ(got.reason(), "SECOND");
  google::rpc::BadRequest absent;
  EXPECT_FALSE(GetDetail(status, &absent));
}

// ---------------------------------------------------------------------------
// grpc_status.h

TEST(ToGrpcStatusTest, OkIsOk) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(ToGrpcStatusTest, CarriesCodeMessageAndDetails) {
  const absl::Status status = ThreeViolations().ToStatus();
  const grpc::Status grpc_status = ToGrpcStatus(status);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(grpc_status.error_message(), std::string(status.message()));

  const google::rpc::Status rpc_status = ParseDetails(grpc_status);
  EXPECT_EQ(rpc_status.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(rpc_status.message(), std::string(status.message()));
  EXPECT_EQ(rpc_status.details_size(), 2);

  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(FindDetail(rpc_status, kBadRequestUrl, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 3);
  EXPECT_EQ(bad_request.field_violations(0).field(), "year");
  EXPECT_EQ(bad_request.field_violations(1).field(), "title");
  EXPECT_EQ(bad_request.field_violations(2).field(), "project.units[1]");

  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(rpc_status, kErrorInfoUrl, &info));
  EXPECT_EQ(info.domain(), "fazhi.gov.cn");
  EXPECT_EQ(info.reason(), "INVALID_FIELD");
}

TEST(ToGrpcStatusTest, NotFoundDetailsReachTheTrailer) {
  const grpc::Status grpc_status =
      ToGrpcStatus(ReferenceNotFound("project.region", "Region", "regions/310199"));
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::NOT_FOUND);
  const google::rpc::Status rpc_status = ParseDetails(grpc_status);
  EXPECT_EQ(rpc_status.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(FindDetail(rpc_status, kResourceInfoUrl, &resource));
  EXPECT_EQ(resource.resource_name(), "regions/310199");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(FindDetail(rpc_status, kBadRequestUrl, &bad_request));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(rpc_status, kErrorInfoUrl, &info));
  EXPECT_EQ(info.reason(), "REFERENCE_NOT_FOUND");
}

TEST(ToGrpcStatusTest, MapsEveryCanonicalCode) {
  const std::pair<absl::StatusCode, grpc::StatusCode> codes[] = {
      {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
      {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
      {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
      {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
      {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
      {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
      {absl::StatusCode::kResourceExhausted, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::StatusCode::kFailedPrecondition, grpc::StatusCode::FAILED_PRECONDITION},
      {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
      {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
      {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
      {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
      {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
      {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
      {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
  };
  for (const auto& [absl_code, grpc_code] : codes) {
    const grpc::Status to = ToGrpcStatus(absl::Status(absl_code, "m"));
    EXPECT_EQ(to.error_code(), grpc_code) << absl::StatusCodeToString(absl_code);
    EXPECT_EQ(to.error_message(), "m");
    const absl::Status back = FromGrpcStatus(grpc::Status(grpc_code, "m"));
    EXPECT_EQ(back.code(), absl_code) << absl::StatusCodeToString(absl_code);
  }
}

TEST(FromGrpcStatusTest, RoundTripsDetails) {
  const absl::Status original = ReferenceNotFound("project.region", "Region", "regions/310199");
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_EQ(PayloadCount(back), PayloadCount(original));
  EXPECT_EQ(PayloadCount(back), 3);

  google::rpc::ResourceInfo resource;
  ASSERT_TRUE(GetDetail(back, &resource));
  EXPECT_EQ(resource.resource_type(), "Region");
  EXPECT_EQ(resource.resource_name(), "regions/310199");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(back, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "project.region");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(back, &info));
  EXPECT_EQ(info.reason(), "REFERENCE_NOT_FOUND");
  EXPECT_EQ(info.domain(), "fazhi.gov.cn");

  // And every payload is byte-identical.
  original.ForEachPayload([&back](absl::string_view url, const absl::Cord& payload) {
    auto got = back.GetPayload(url);
    ASSERT_TRUE(got.has_value()) << url;
    EXPECT_EQ(std::string(*got), std::string(payload)) << url;
  });
}

TEST(FromGrpcStatusTest, StatusWithoutOrWithUnreadableDetailsKeepsCodeAndMessage) {
  const absl::Status plain =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"));
  EXPECT_EQ(plain.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(plain.message(), "connection refused");
  EXPECT_EQ(PayloadCount(plain), 0);

  const absl::Status garbled = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INTERNAL, "boom", std::string("\xff\xff\xff\xff", 4)));
  EXPECT_EQ(garbled.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(garbled.message(), "boom");
  EXPECT_EQ(PayloadCount(garbled), 0);
}

TEST(FromGrpcStatusTest, ReadsDetailsBuiltByAnotherServer) {
  // A google.rpc.Status packed the way any gRPC server (not this code) would.
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  rpc_status.set_message("bad");
  google::rpc::BadRequest bad_request;
  bad_request.add_field_violations()->set_field("filter");
  rpc_status.add_details()->PackFrom(bad_request);
  const absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad", rpc_status.SerializeAsString()));
  google::rpc::BadRequest got;
  ASSERT_TRUE(GetDetail(status, &got));
  ASSERT_EQ(got.field_violations_size(), 1);
  EXPECT_EQ(got.field_violations(0).field(), "filter");
}

// The type URLs of the details of `status` as sent, in order.
std::vector<std::string> SentDetailOrder(const absl::Status& status) {
  std::vector<std::string> urls;
  const google::rpc::Status sent = ParseDetails(ToGrpcStatus(status));
  for (const auto& any : sent.details()) {
    urls.push_back(any.type_url());
  }
  return urls;
}

// absl::Status iterates its payloads in an order that depends on where they
// sit in memory, so one error made many times, each copy at an address of
// its own, would list its details in both orders without the sort.
TEST(ToGrpcStatusTest, DetailsGoInTheDocumentedOrderEveryTime) {
  const std::vector<std::string> reference_not_found = {kErrorInfoUrl, kBadRequestUrl,
                                                        kResourceInfoUrl};
  std::vector<absl::Status> copies;
  for (int i = 0; i < 64; ++i) {
    copies.push_back(ReferenceNotFound("project.units[0]", "Unit", "units/x"));
  }
  for (const auto& status : copies) {
    EXPECT_EQ(SentDetailOrder(status), reference_not_found);
  }
  const std::vector<std::string> invalid = {kErrorInfoUrl, kBadRequestUrl};
  const std::vector<std::string> precondition = {
      kErrorInfoUrl, "type.googleapis.com/google.rpc.PreconditionFailure"};
  const std::vector<std::string> resource = {kErrorInfoUrl, kResourceInfoUrl};
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(SentDetailOrder(InvalidField("year", "must be 1949..2100")), invalid);
    EXPECT_EQ(SentDetailOrder(FailedPrecondition("STATUS", "projects/p", "not delivered")),
              precondition);
    EXPECT_EQ(SentDetailOrder(NotFound("Region", "regions/310199")), resource);
    EXPECT_EQ(SentDetailOrder(AlreadyExists("Region", "regions/310199", "taken")), resource);
    EXPECT_EQ(SentDetailOrder(Aborted("Project", "projects/p", "etag r3, not r2")), resource);
  }
}

// Every type the order names, in that order, whatever order they were
// attached in; an unlisted type after them.
TEST(ToGrpcStatusTest, OrdersEveryListedTypeAndPutsOthersLast) {
  google::rpc::LocalizedMessage localized;
  localized.set_locale("zh-CN");
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(1);
  google::rpc::PreconditionFailure failure;
  failure.add_violations()->set_type("STATUS");
  absl::Status status(absl::StatusCode::kUnavailable, "down");
  AttachDetail(status, localized);
  AttachDetail(status, retry);
  google::rpc::ResourceInfo resource;
  resource.set_resource_name("regions/310199");
  google::rpc::ErrorInfo info;
  info.set_reason("BACKEND_UNAVAILABLE");
  AttachDetail(status, resource);
  AttachDetail(status, failure);
  AttachDetail(status, ThreeViolations().bad_request());
  AttachDetail(status, info);
  std::vector<std::string> expected;
  for (absl::string_view name : kDetailOrder) {
    expected.push_back(absl::StrCat("type.googleapis.com/", name));
  }
  expected.push_back("type.googleapis.com/google.rpc.LocalizedMessage");
  EXPECT_EQ(SentDetailOrder(status), expected);
}

}  // namespace
}  // namespace fazhi::errors
