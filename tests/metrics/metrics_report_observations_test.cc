// Integration tests of ReplaceReportObservations: the metrics store holds
// exactly what one version of a report gives, a repeated call writes
// nothing, a newer version supersedes and withdraws with history kept, an
// older one is refused, and each item is judged on its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "tests/metrics/metrics_fixture.h"
#include "tests/testing/watch.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Outcome = v1::ReportObservationResult;

constexpr char kBaoshan[] = "regions/310113";
constexpr char kReport[] = "reports/310113-government-2023";

v1::Observation Figure(const std::string& code, const std::string& decimal, int span_begin) {
  v1::Observation o;
  o.set_indicator("indicators/" + code);
  o.set_subject(kBaoshan);
  o.mutable_period()->set_year(2023);
  o.mutable_quantity()->set_decimal(decimal);
  o.mutable_quantity()->set_measure_word("件");
  o.mutable_provenance()->set_span_begin(span_begin);
  o.mutable_provenance()->set_span_end(span_begin + static_cast<int>(decimal.size()) + 1);
  o.mutable_provenance()->set_excerpt("共" + decimal + "件");
  return o;
}

std::vector<std::string> ViolatedFields(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

class ReportObservationsTest : public MetricsServerTest {
 protected:
  void SetUp() override {
    MetricsServerTest::SetUp();
    for (const char* code :
         {"mediation_accepted", "mediation_succeeded", "major_decisions_listed"}) {
      DefineCount(code);
    }
  }

  // Publishes `observations` as version `version` of kReport, as the
  // report service does: its own identity, acting for the administrator
  // (a reporter of every region).
  absl::Status Replace(int version, const std::vector<v1::Observation>& observations,
                       v1::ReplaceReportObservationsResponse* response) {
    v1::ReplaceReportObservationsRequest request;
    request.set_report(kReport);
    request.set_report_version(version);
    for (const auto& o : observations) *request.add_observations() = o;
    if (report_service_ == nullptr) report_service_ = StubAs(testing::kTestReportService);
    return CallFor(*report_service_, testing::kTestAdmin, &Stub::ReplaceReportObservations, request,
                   response);
  }

  std::vector<v1::Observation> Current() {
    v1::ListObservationsRequest request;
    request.set_subject(kBaoshan);
    request.set_year(2023);
    v1::ListObservationsResponse response;
    absl::Status s = Call(&Stub::ListObservations, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return {response.observations().begin(), response.observations().end()};
  }

  std::unique_ptr<Stub> report_service_;
};

TEST_F(ReportObservationsTest, RecordsWithProvenanceAndARepeatWritesNothing) {
  const std::vector<v1::Observation> version1 = {Figure("mediation_accepted", "21267", 10),
                                                 Figure("mediation_succeeded", "21221", 30)};
  v1::ReplaceReportObservationsResponse first;
  ASSERT_TRUE(Replace(1, version1, &first).ok());
  EXPECT_EQ(first.recorded_count(), 2);
  ASSERT_EQ(first.results_size(), 2);
  const v1::Observation& stored = first.results(0).observation();
  EXPECT_EQ(first.results(0).outcome(), Outcome::OUTCOME_RECORDED);
  EXPECT_EQ(stored.provenance().source(), fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT);
  EXPECT_EQ(stored.provenance().report(), kReport);
  EXPECT_EQ(stored.provenance().report_version(), 1);
  EXPECT_EQ(stored.provenance().span_begin(), 10);
  EXPECT_EQ(stored.provenance().span_end(), 16);
  EXPECT_EQ(Current().size(), 2u);

  v1::ReplaceReportObservationsResponse again;
  ASSERT_TRUE(Replace(1, version1, &again).ok());
  EXPECT_EQ(again.unchanged_count(), 2);
  EXPECT_EQ(again.recorded_count() + again.updated_count() + again.rejected_count(), 0);
  EXPECT_THAT(again.withdrawn(), IsEmpty());
  EXPECT_EQ(again.results(0).observation().name(), stored.name());
  EXPECT_THAT(History(stored.name()), ::testing::SizeIs(1));
  // Nothing was logged either: after three indicators and two observations
  // (changes 1..5), the next write is change 6.
  testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change> watch(*stub_, 5);
  v1::Observation other = Figure("major_decisions_listed", "20", 0);
  other.clear_provenance();
  const v1::Observation next = Record(other);
  const auto changes = watch.Read(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence(), 6);
  EXPECT_EQ(changes[0].resource(), next.name());
}

TEST_F(ReportObservationsTest, ANewVersionSupersedesAndWithdrawsKeepingHistory) {
  v1::ReplaceReportObservationsResponse v1_response;
  ASSERT_TRUE(Replace(1,
                      {Figure("mediation_accepted", "21267", 10),
                       Figure("mediation_succeeded", "21221", 30),
                       Figure("major_decisions_listed", "20", 50)},
                      &v1_response)
                  .ok());
  ASSERT_EQ(v1_response.recorded_count(), 3);
  const std::string accepted = v1_response.results(0).observation().name();
  const std::string decisions = v1_response.results(2).observation().name();

  v1::ReplaceReportObservationsResponse v2_response;
  ASSERT_TRUE(Replace(2,
                      {Figure("mediation_accepted", "21300", 10),
                       Figure("mediation_succeeded", "21221", 30)},
                      &v2_response)
                  .ok());
  // Same value, newer version: the provenance moves on, so it is an update.
  EXPECT_EQ(v2_response.updated_count(), 2);
  EXPECT_THAT(v2_response.withdrawn(), ElementsAre(decisions));
  EXPECT_EQ(v2_response.results(0).observation().name(), accepted);
  EXPECT_EQ(v2_response.results(1).observation().provenance().report_version(), 2);

  const auto changed = History(accepted);
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].observation().quantity().decimal(), "21267");
  EXPECT_EQ(changed[1].action(), v1::REVISION_ACTION_CORRECTED);
  EXPECT_EQ(changed[1].observation().quantity().decimal(), "21300");
  EXPECT_THAT(changed[1].reason(), HasSubstr(std::string(kReport) + " version 2"));

  const auto dropped = History(decisions);
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].observation().quantity().decimal(), "20");
  EXPECT_EQ(dropped[1].action(), v1::REVISION_ACTION_DELETED);
  EXPECT_THAT(dropped[1].reason(), HasSubstr("version 2 no longer gives"));
  EXPECT_EQ(Current().size(), 2u);

  // Version 1 again (a late retry) is refused; nothing changes.
  v1::ReplaceReportObservationsResponse stale;
  const absl::Status refused = Replace(1, {}, &stale);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(Current().size(), 2u);

  // A version that gives nothing withdraws everything the report gave.
  v1::ReplaceReportObservationsResponse empty;
  ASSERT_TRUE(Replace(3, {}, &empty).ok());
  EXPECT_EQ(empty.withdrawn_size(), 2);
  EXPECT_THAT(Current(), IsEmpty());
}

TEST_F(ReportObservationsTest, EachItemIsJudgedOnItsOwn) {
  // A value typed in for the same identity belongs to another source.
  v1::Observation typed = Figure("mediation_succeeded", "21000", 0);
  typed.clear_provenance();
  const v1::Observation held = Record(typed);

  v1::Observation other_report = Figure("mediation_accepted", "21267", 10);
  other_report.mutable_provenance()->set_report("reports/elsewhere");
  v1::Observation bad_number = Figure("major_decisions_listed", "20", 50);
  bad_number.mutable_quantity()->set_decimal("2O");
  v1::ReplaceReportObservationsResponse response;
  ASSERT_TRUE(Replace(1,
                      {Figure("mediation_accepted", "21267", 10), Figure("no_such", "1", 0),
                       bad_number, Figure("mediation_accepted", "21268", 90), other_report,
                       Figure("mediation_succeeded", "21221", 30)},
                      &response)
                  .ok());
  ASSERT_EQ(response.results_size(), 6);
  EXPECT_EQ(response.recorded_count(), 1);
  EXPECT_EQ(response.rejected_count(), 5);
  EXPECT_EQ(response.results(0).outcome(), Outcome::OUTCOME_RECORDED);
  EXPECT_EQ(response.results(1).error().code(), static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_THAT(ViolatedFields(response.results(1).error()),
              ElementsAre("observations[1].indicator"));
  EXPECT_THAT(ViolatedFields(response.results(2).error()),
              ElementsAre("observations[2].quantity.decimal"));
  EXPECT_THAT(ViolatedFields(response.results(3).error()), ElementsAre("observations[3]"));
  EXPECT_THAT(ViolatedFields(response.results(4).error()),
              ElementsAre("observations[4].provenance.report"));
  const google::rpc::Status& conflict = response.results(5).error();
  EXPECT_EQ(conflict.code(), static_cast<int>(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(conflict.message(), HasSubstr(held.name()));
  EXPECT_EQ(response.results(5).outcome(), Outcome::OUTCOME_REJECTED);
  // The value typed in is left alone.
  EXPECT_THAT(History(held.name()), ::testing::SizeIs(1));
}

TEST_F(ReportObservationsTest, ABadReportOrVersionRefusesTheCall) {
  v1::ReplaceReportObservationsRequest request;
  request.set_report("310113-government-2023");
  v1::ReplaceReportObservationsResponse response;
  report_service_ = StubAs(testing::kTestReportService);
  const absl::Status status = CallFor(*report_service_, testing::kTestAdmin,
                                      &Stub::ReplaceReportObservations, request, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(errors::GetDetail(status, &bad_request));
  std::vector<std::string> fields;
  for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("report", "report_version"));
}

}  // namespace
}  // namespace fazhi::metrics
