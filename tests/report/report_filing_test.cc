// Who may file a report, checked at SubmitReport against a real catalogue
// server (filer_catalogue.h): unknown filers, co-filers and regions, filers
// outside the region, kinds of unit that may not file a kind of report, a
// catalogue that is down; and SubmitReport with validate_only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "tests/report/report_server.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Stub = TestReportServer::Stub;

using ::fazhi::testing::ViolatedFields;

// "type on subject" of each PreconditionFailure violation.
std::vector<std::string> FailedPreconditions(const absl::Status& status) {
  google::rpc::PreconditionFailure failure;
  std::vector<std::string> found;
  if (!errors::GetDetail(status, &failure)) return found;
  for (const auto& v : failure.violations()) found.push_back(v.type() + " on " + v.subject());
  return found;
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return errors::GetDetail(status, &info) ? info.reason() : "";
}

class ReportFilingTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  absl::Status Submit(const v1::Report& report, v1::Report* out = nullptr,
                      bool validate_only = false) {
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    request.set_validate_only(validate_only);
    v1::Report response;
    absl::Status s = server_.Call(&Stub::SubmitReport, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  // Every report stored, of any filer.
  int StoredReports() {
    v1::ListReportsRequest request;
    request.set_page_size(100);
    v1::ListReportsResponse response;
    absl::Status s = server_.Call(&Stub::ListReports, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response.reports_size();
  }

  testing::TempDir dir_;
  TestReportServer server_{dir_.path()};
};

TEST_F(ReportFilingTest, KnownFilerInItsRegionIsFiled) {
  v1::Report filed;
  absl::Status s = Submit(Baoshan2023Report(), &filed);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(filed.kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_EQ(StoredReports(), 1);
}

TEST_F(ReportFilingTest, UnknownFilerIsNotFoundNamingTheFieldAndNothingIsStored) {
  v1::Report report = Baoshan2023Report();
  report.set_filer("units/310113-nobody");
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.filer"));
  EXPECT_THAT(s.message(), HasSubstr("units/310113-nobody"));
  EXPECT_EQ(StoredReports(), 0);
}

TEST_F(ReportFilingTest, UnknownRegionIsNotFoundNamingTheField) {
  v1::Report report = Baoshan2023Report();
  report.set_region("regions/310199");
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.region"));
  EXPECT_EQ(StoredReports(), 0);
}

TEST_F(ReportFilingTest, FilerOutsideTheRegionIsAFailedPrecondition) {
  // 普陀区司法局 filing as if it were 宝山区's.
  v1::Report report = Putuo2020Report();
  report.set_region("regions/310113");
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(FailedPreconditions(s), ElementsAre("FILER_OUTSIDE_REGION on report.filer"));
  EXPECT_THAT(s.message(), HasSubstr("普陀区"));
  EXPECT_EQ(StoredReports(), 0);
}

TEST_F(ReportFilingTest, FilerOfARegionBelowTheReportsRegionMayFile) {
  // 宝山区's government, filing under Shanghai: 310113 lies within 310000.
  v1::Report report = Baoshan2023Report();
  report.set_region("regions/310000");
  absl::Status s = Submit(report);
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(ReportFilingTest, CourtMayNotFileAGovernmentAnnualReport) {
  v1::Report report = Baoshan2023Report();
  report.set_filer("units/310113-court");
  report.set_kind(v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(FailedPreconditions(s), ElementsAre("FILER_KIND on report.filer"));
  EXPECT_THAT(s.message(), HasSubstr("REPORT_KIND_CASE_STUDY, REPORT_KIND_OTHER"));
  EXPECT_EQ(StoredReports(), 0);
}

TEST_F(ReportFilingTest, TheKindJudgedIsTheDetectedOne) {
  // No kind given: the text reads as a government's annual report, which a
  // court does not file; as OTHER (its white paper) it may.
  v1::Report report = Baoshan2023Report();
  report.set_filer("units/310113-court");
  absl::Status detected = Submit(report);
  EXPECT_EQ(detected.code(), absl::StatusCode::kFailedPrecondition) << detected;
  EXPECT_THAT(detected.message(), HasSubstr("REPORT_KIND_GOVERNMENT_ANNUAL"));
  report.set_kind(v1::REPORT_KIND_OTHER);
  absl::Status other = Submit(report);
  EXPECT_TRUE(other.ok()) << other;
  EXPECT_EQ(StoredReports(), 1);
}

TEST_F(ReportFilingTest, DepartmentMayNotFileAGovernmentReport) {
  v1::Report report = Putuo2020Report();
  report.set_kind(v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(FailedPreconditions(s), ElementsAre("FILER_KIND on report.filer"));
}

TEST_F(ReportFilingTest, JointReportWithThePartyCommitteeIsFiledWithItsCoFilers) {
  v1::Report report = Baoshan2023Report();
  report.add_co_filers("units/310113-party");
  v1::Report filed;
  absl::Status s = Submit(report, &filed);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_THAT(filed.co_filers(), ElementsAre("units/310113-party"));
}

TEST_F(ReportFilingTest, UnknownCoFilerIsNotFoundNamingItsIndex) {
  v1::Report report = Baoshan2023Report();
  report.add_co_filers("units/310113-party");
  report.add_co_filers("units/310113-nobody");
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.co_filers[1]"));
  EXPECT_EQ(StoredReports(), 0);
}

TEST_F(ReportFilingTest, CoFilerOutsideTheRegionIsAFailedPrecondition) {
  v1::Report report = Baoshan2023Report();
  report.add_co_filers("units/310107-justice");
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(FailedPreconditions(s), ElementsAre("FILER_OUTSIDE_REGION on report.co_filers[0]"));
}

TEST_F(ReportFilingTest, CoFilersAreDistinctUnitsAndAtMostEight) {
  v1::Report report = Baoshan2023Report();
  report.add_co_filers("units/310113-government");  // the filer again
  report.add_co_filers("units/310113-party");
  report.add_co_filers("units/310113-party");  // twice
  report.add_co_filers("310113-party");        // not a unit name
  absl::Status s = Submit(report);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("report.co_filers[0]", "report.co_filers[2]", "report.co_filers[3]"));

  v1::Report crowded = Baoshan2023Report();
  for (int i = 0; i < 9; ++i) crowded.add_co_filers(absl::StrCat("units/310113-dept-", i));
  absl::Status too_many = Submit(crowded);
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument) << too_many;
  EXPECT_THAT(ViolatedFields(too_many), ElementsAre("report.co_filers"));
}

TEST_F(ReportFilingTest, CatalogueDownIsUnavailableAndNothingIsStored) {
  server_.catalogue().Stop();
  absl::Status s = Submit(Baoshan2023Report());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(ReasonOf(s), "CATALOGUE_UNAVAILABLE");
  EXPECT_THAT(s.message(), HasSubstr("catalogue"));
  EXPECT_EQ(StoredReports(), 0);
  EXPECT_EQ(server_.store()->audit_trail()->head().sequence, 0u);
}

TEST_F(ReportFilingTest, ValidateOnlyReturnsTheAnalysisAndStoresNothing) {
  const uint64_t audited = server_.store()->audit_trail()->head().sequence;
  v1::Report checked;
  absl::Status s = Submit(Putuo2020Report(), &checked, /*validate_only=*/true);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_THAT(checked.name(), IsEmpty());
  EXPECT_EQ(checked.version(), 0);
  EXPECT_FALSE(checked.has_submit_time());
  // The analysis is the one filing gives: Putuo's 2020 report lacks the
  // leaders' duty.
  EXPECT_EQ(checked.kind(), v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  EXPECT_FALSE(checked.title().empty());
  EXPECT_THAT(checked.parts_missing(), ElementsAre(v1::REPORT_PART_LEADERS_DUTY));
  EXPECT_FALSE(checked.sections().empty());
  EXPECT_FALSE(checked.figures().empty());
  EXPECT_EQ(StoredReports(), 0);
  EXPECT_EQ(server_.store()->audit_trail()->head().sequence, audited);

  v1::Report filed;
  ASSERT_TRUE(Submit(Putuo2020Report(), &filed).ok());
  EXPECT_EQ(filed.version(), 1) << "a check takes no version";
  EXPECT_EQ(filed.parts_missing_size(), checked.parts_missing_size());
  EXPECT_EQ(filed.figures_size(), checked.figures_size());
}

TEST_F(ReportFilingTest, ValidateOnlyMakesTheSameChecks) {
  v1::Report report = Baoshan2023Report();
  report.set_filer("units/310113-nobody");
  absl::Status s = Submit(report, nullptr, /*validate_only=*/true);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.filer"));
}

TEST_F(ReportFilingTest, ValidateOnlyNeedsThePermissionToFile) {
  auto as_reader =
      v1::ReportService::NewStub(testing::Connect(server_.target(), testing::kTestReader));
  v1::SubmitReportRequest request;
  *request.mutable_report() = Baoshan2023Report();
  request.set_validate_only(true);
  v1::Report response;
  absl::Status s = testing::CallUnary(as_reader.get(), &Stub::SubmitReport, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;

  // 宝山区's reporter checks its own district's draft, not 普陀区's.
  auto as_baoshan =
      v1::ReportService::NewStub(testing::Connect(server_.target(), testing::kTestBaoshanReporter));
  EXPECT_TRUE(testing::CallUnary(as_baoshan.get(), &Stub::SubmitReport, request, &response).ok());
  *request.mutable_report() = Putuo2020Report();
  s = testing::CallUnary(as_baoshan.get(), &Stub::SubmitReport, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
}

}  // namespace
}  // namespace fazhi::report
