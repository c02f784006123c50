// Integration tests of who may write metrics (issue #19): values are
// recorded by the reporter of the subject's region, a report's values only
// by the report service acting for the report region's reporter, writes
// are made under the authenticated caller whatever the request says, and
// every write and every refusal leaves one entry in the store's audit trail.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"
#include "tests/metrics/metrics_fixture.h"

namespace fazhi::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kBaoshan[] = "regions/310113";
constexpr char kPudong[] = "regions/310115";
constexpr char kRecordMethod[] = "/fazhi.metrics.v1.MetricsService/RecordObservation";
constexpr char kReplaceMethod[] = "/fazhi.metrics.v1.MetricsService/ReplaceReportObservations";

v1::Observation Accepted(const std::string& subject, const std::string& decimal) {
  v1::Observation o;
  o.set_indicator("indicators/mediation_accepted");
  o.set_subject(subject);
  o.mutable_period()->set_year(2023);
  o.mutable_quantity()->set_decimal(decimal);
  o.mutable_quantity()->set_measure_word("件");
  return o;
}

v1::RecordObservationRequest RecordRequest(const v1::Observation& o) {
  v1::RecordObservationRequest request;
  *request.mutable_observation() = o;
  return request;
}

v1::ReplaceReportObservationsRequest ReportRequest(const std::string& report,
                                                   const std::string& subject) {
  v1::ReplaceReportObservationsRequest request;
  request.set_report(report);
  request.set_report_version(1);
  v1::Observation figure = Accepted(subject, "41");
  figure.mutable_provenance()->set_span_begin(10);
  figure.mutable_provenance()->set_span_end(14);
  figure.mutable_provenance()->set_excerpt("受理41件");
  *request.add_observations() = figure;
  return request;
}

std::vector<std::string> ViolatedFields(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

// The metrics server with an authorizer of its own whose refusals go to the
// store's audit trail, as RunStoreServer wires it.
class MetricsAccessTest : public MetricsServerTest {
 protected:
  void SetUp() override {
    metrics_.Start([this](MetricsStore* store) {
      authorizer_->set_audit_trail(store->audit_trail());
      return std::make_unique<MetricsServiceImpl>(store, *authorizer_, testing::ShippedRules());
    });
    stub_ = v1::MetricsService::NewStub(metrics_.channel());
    ASSERT_NO_FATAL_FAILURE(DefineCount("mediation_accepted"));
  }
  void TearDown() override {
    authorizer_->set_audit_trail(nullptr);
    Stop();
  }

  storage::AuditTrail& trail() { return *metrics_.store()->audit_trail(); }
  // Every audit entry written after `after`.
  std::vector<admin::v1::AuditEntry> EntriesAfter(uint64_t after) {
    auto entries = trail().EntriesAfter(after, 100);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<admin::v1::AuditEntry>();
  }

  // Records `o` as `principal`; the status.
  absl::Status RecordAs(const std::string& principal, const v1::Observation& o,
                        v1::Observation* recorded) {
    auto stub = StubAs(principal);
    return testing::CallUnary(stub.get(), &Stub::RecordObservation, RecordRequest(o), recorded);
  }

  // The one entry written after `after`, a refusal of `method` with `code`
  // for `principal`.
  void ExpectOneRefusal(uint64_t after, const std::string& method, absl::StatusCode code,
                        const std::string& principal) {
    const auto entries = EntriesAfter(after);
    ASSERT_THAT(entries, SizeIs(1));
    EXPECT_EQ(entries[0].method(), method);
    EXPECT_EQ(entries[0].code(), static_cast<int>(code));
    EXPECT_EQ(entries[0].principal(), principal);
    EXPECT_FALSE(entries[0].reason().empty());
    EXPECT_THAT(entries[0].records(), IsEmpty());
  }

  std::unique_ptr<server::Authorizer> authorizer_ = testing::NewTestAuthorizer();
};

TEST_F(MetricsAccessTest, AReaderCannotRecord) {
  const uint64_t before = trail().head().sequence;
  v1::Observation recorded;
  absl::Status s = RecordAs(testing::kTestReader, Accepted(kBaoshan, "12"), &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  ExpectOneRefusal(before, kRecordMethod, absl::StatusCode::kPermissionDenied,
                   testing::kTestReader);
  auto stored = metrics_.store()->ObservationsOf(kBaoshan, 2023, nullptr);
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(*stored, IsEmpty());
}

TEST_F(MetricsAccessTest, TheBaoshanReporterRecordsForBaoshanOnly) {
  uint64_t before = trail().head().sequence;
  v1::Observation recorded;
  absl::Status s = RecordAs(testing::kTestBaoshanReporter, Accepted(kBaoshan, "12"), &recorded);
  ASSERT_TRUE(s.ok()) << s;
  auto entries = EntriesAfter(before);
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].method(), kRecordMethod);
  EXPECT_EQ(entries[0].principal(), testing::kTestBaoshanReporter);
  EXPECT_EQ(entries[0].code(), 0);
  ASSERT_THAT(entries[0].records(), SizeIs(1));
  EXPECT_EQ(entries[0].records(0).resource(), recorded.name());
  EXPECT_TRUE(entries[0].records(0).before_sha256().empty());  // a new observation
  EXPECT_EQ(entries[0].records(0).after_sha256().size(), 32u);

  // Recording it again replaces the value: the entry digests both.
  before = trail().head().sequence;
  ASSERT_TRUE(RecordAs(testing::kTestBaoshanReporter, Accepted(kBaoshan, "13"), &recorded).ok());
  entries = EntriesAfter(before);
  ASSERT_THAT(entries, SizeIs(1));
  ASSERT_THAT(entries[0].records(), SizeIs(1));
  EXPECT_EQ(entries[0].records(0).resource(), recorded.name());
  EXPECT_EQ(entries[0].records(0).before_sha256().size(), 32u);
  EXPECT_EQ(entries[0].records(0).after_sha256().size(), 32u);
  EXPECT_NE(entries[0].records(0).before_sha256(), entries[0].records(0).after_sha256());

  before = trail().head().sequence;
  s = RecordAs(testing::kTestBaoshanReporter, Accepted(kPudong, "12"), &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("310115"));
  ExpectOneRefusal(before, kRecordMethod, absl::StatusCode::kPermissionDenied,
                   testing::kTestBaoshanReporter);
}

TEST_F(MetricsAccessTest, AUnitIsScopedByTheRegionItsIdBeginsWith) {
  v1::Observation recorded;
  absl::Status s =
      RecordAs(testing::kTestBaoshanReporter, Accepted("units/310113-government", "5"), &recorded);
  EXPECT_TRUE(s.ok()) << s;
  s = RecordAs(testing::kTestBaoshanReporter, Accepted("units/310115-justice", "5"), &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("310115"));
}

TEST_F(MetricsAccessTest, ABatchNeedsEverySubjectsRegion) {
  v1::BatchRecordObservationsRequest request;
  *request.add_requests() = RecordRequest(Accepted(kBaoshan, "12"));
  *request.add_requests() = RecordRequest(Accepted(kPudong, "12"));
  auto reporter = StubAs(testing::kTestBaoshanReporter);
  const uint64_t before = trail().head().sequence;
  v1::BatchRecordObservationsResponse response;
  absl::Status s =
      testing::CallUnary(reporter.get(), &Stub::BatchRecordObservations, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("310115"));
  ExpectOneRefusal(before, "/fazhi.metrics.v1.MetricsService/BatchRecordObservations",
                   absl::StatusCode::kPermissionDenied, testing::kTestBaoshanReporter);
  auto stored = metrics_.store()->ObservationsOf(kBaoshan, 2023, nullptr);
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(*stored, IsEmpty());
}

TEST_F(MetricsAccessTest, AnAnonymousCallerCannotWrite) {
  auto anonymous = v1::MetricsService::NewStub(
      grpc::CreateChannel(target(), grpc::InsecureChannelCredentials()));
  const uint64_t before = trail().head().sequence;
  v1::Observation recorded;
  absl::Status s = testing::CallUnary(anonymous.get(), &Stub::RecordObservation,
                                      RecordRequest(Accepted(kBaoshan, "12")), &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  ExpectOneRefusal(before, kRecordMethod, absl::StatusCode::kUnauthenticated, server::kAnonymous);
}

TEST_F(MetricsAccessTest, RecordedByIsTheAuthenticatedCaller) {
  v1::Observation o = Accepted(kBaoshan, "12");
  o.mutable_provenance()->set_recorded_by("test/admin");
  auto reporter = StubAs(testing::kTestBaoshanReporter);
  grpc::ClientContext context;
  // A name the caller gives itself is not an identity.
  context.AddMetadata("x-fazhi-actor", "inspector-7");
  v1::Observation recorded;
  grpc::Status s = reporter->RecordObservation(&context, RecordRequest(o), &recorded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(recorded.provenance().recorded_by(), testing::kTestBaoshanReporter);
  const auto history = History(recorded.name());
  ASSERT_THAT(history, SizeIs(1));
  EXPECT_EQ(history[0].actor(), testing::kTestBaoshanReporter);
  EXPECT_EQ(history[0].observation().provenance().recorded_by(), testing::kTestBaoshanReporter);
}

TEST_F(MetricsAccessTest, AReportsValueCannotBeRecordedDirectly) {
  v1::Observation o = Accepted(kBaoshan, "41");
  o.mutable_provenance()->set_source(fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT);
  o.mutable_provenance()->set_report("reports/310113-government-2023");
  const uint64_t before = trail().head().sequence;
  v1::Observation recorded;
  absl::Status s = RecordAs(testing::kTestAdmin, o, &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(ToRpcStatus(s)), ::testing::Contains("observation.provenance.source"));

  v1::BatchRecordObservationsRequest batch;
  *batch.add_requests() = RecordRequest(o);
  v1::BatchRecordObservationsResponse response;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, batch, &response).ok());
  EXPECT_EQ(response.rejected_count(), 1);
  EXPECT_THAT(ViolatedFields(response.results(0).error()),
              ::testing::Contains("requests[0].observation.provenance.source"));
  // A request refused for its content changes nothing: no audit entry.
  EXPECT_THAT(EntriesAfter(before), IsEmpty());
}

TEST_F(MetricsAccessTest, OnlyTheReportServicePublishesAReportsValues) {
  const std::string baoshan_report = "reports/310113-government-2023";
  v1::ReplaceReportObservationsResponse response;
  uint64_t before = trail().head().sequence;
  absl::Status s =
      Call(&Stub::ReplaceReportObservations, ReportRequest(baoshan_report, kBaoshan), &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  ExpectOneRefusal(before, kReplaceMethod, absl::StatusCode::kPermissionDenied,
                   testing::kTestAdmin);

  auto report_service = StubAs(testing::kTestReportService);
  before = trail().head().sequence;
  s = CallFor(*report_service, testing::kTestBaoshanReporter, &Stub::ReplaceReportObservations,
              ReportRequest(baoshan_report, kBaoshan), &response);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(response.recorded_count(), 1);
  const v1::Observation& published = response.results(0).observation();
  const std::string actor =
      std::string(testing::kTestBaoshanReporter) + " via " + testing::kTestReportService;
  EXPECT_EQ(published.provenance().recorded_by(), actor);
  auto entries = EntriesAfter(before);
  ASSERT_THAT(entries, SizeIs(1));
  EXPECT_EQ(entries[0].method(), kReplaceMethod);
  EXPECT_EQ(entries[0].principal(), testing::kTestReportService);
  EXPECT_EQ(entries[0].on_behalf_of(), testing::kTestBaoshanReporter);
  EXPECT_EQ(entries[0].code(), 0);
  std::vector<std::string> resources;
  for (const auto& record : entries[0].records()) {
    resources.push_back(record.resource());
    EXPECT_EQ(record.after_sha256().size(), 32u);
  }
  EXPECT_THAT(resources, ::testing::UnorderedElementsAre(published.name(), baoshan_report));

  const std::string pudong_report = "reports/310115-government-2023";
  before = trail().head().sequence;
  s = CallFor(*report_service, testing::kTestBaoshanReporter, &Stub::ReplaceReportObservations,
              ReportRequest(pudong_report, kPudong), &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("310115"));
  ExpectOneRefusal(before, kReplaceMethod, absl::StatusCode::kPermissionDenied,
                   testing::kTestReportService);
}

}  // namespace
}  // namespace fazhi::metrics
