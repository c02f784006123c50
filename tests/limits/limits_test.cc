// The limits of common/api/limits.h on real servers over loopback and real
// RocksDB: the poison requests of issue #20 refused with the field and the
// limit named, List replies paged by bytes so that each fits grpcurl's
// default 4 MiB, unknown enum numbers refused, and GB/T 2260 consistency of
// regions.
#include "common/api/limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/limits/limits_fixture.h"

namespace fazhi::limits_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An outcome phrase with a figure, padded to `chars` characters.
std::string OutcomePhrase(int chars) {
  std::string phrase = "累计避损147亿余元";
  int count = 10;
  while (count < chars) {
    phrase += "效";
    ++count;
  }
  return phrase;
}

// The backstop of replies computed from data the request alone does not
// bound (the gateway's summary, trend, ranking page and dossier): a reply
// over grpcurl's limit is refused naming the request field, never sent.
TEST(ReplySizeTest, AReplyOverFourMebibytesIsRefusedNamingTheField) {
  EXPECT_TRUE(limits::CheckReplyBytes(limits::kMaxReplyBytes, "region_code").ok());
  const absl::Status over = limits::CheckReplyBytes(limits::kMaxReplyBytes + 1, "region_code");
  EXPECT_EQ(over.code(), absl::StatusCode::kInvalidArgument) << over;
  EXPECT_THAT(std::string(over.message()), HasSubstr("4194304"));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(over, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "region_code");
}

TEST_F(LimitsTest, ProjectWithOneHundredThousandOutcomesIsRefusedNamingTheLimit) {
  cv1::Project project = MakeProject("十万成效");
  for (int i = 0; i < 100000; ++i) project.add_outcomes()->set_phrase("累计避损147亿余元");
  absl::Status s = CreateProject(project);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationOn(s, "project.outcomes"),
              HasSubstr(absl::StrCat("the limit is ", limits::kMaxProjectOutcomes)));
  // Nothing was written: the title is still free.
  cv1::Project small = MakeProject("十万成效");
  small.add_outcomes()->set_phrase("累计避损147亿余元");
  EXPECT_TRUE(CreateProject(small).ok());
}

TEST_F(LimitsTest, ListsAreCountedAndSizedSoThatEveryPageFitsFourMebibytes) {
  // Projects as large as the field limits allow: ~90 KB each.
  const int kProjects = 60;
  for (int p = 0; p < kProjects; ++p) {
    cv1::Project project = MakeProject(absl::StrCat("大项目", p));
    project.set_description(std::string(limits::kMaxProjectDescriptionChars, 'd'));
    for (int i = 0; i < limits::kMaxProjectOutcomes; ++i) {
      project.add_outcomes()->set_phrase(OutcomePhrase(limits::kMaxOutcomePhraseChars));
    }
    ASSERT_TRUE(CreateProject(project).ok()) << p;
  }
  // In index order, then under an ordering (sorted in memory, then paged).
  for (const char* order_by : {"", "title desc"}) {
    SCOPED_TRACE(order_by);
    cv1::ListProjectsRequest request;
    request.set_year(2023);
    request.set_page_size(1000);
    request.set_order_by(order_by);
    std::set<std::string> seen;
    int pages = 0;
    while (pages < 20) {
      cv1::ListProjectsResponse page;
      ASSERT_TRUE(Catalogue(&cv1::CatalogueService::Stub::ListProjects, request, &page).ok());
      ++pages;
      EXPECT_LE(page.ByteSizeLong(), limits::kMaxReplyBytes);
      for (const auto& project : page.projects()) EXPECT_TRUE(seen.insert(project.name()).second);
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(kProjects));
    EXPECT_GE(pages, 3);  // 60 × ~90 KB is ~5.4 MB: three pages of ~2 MB
  }
}

TEST_F(LimitsTest, UnitListsAndAliasesAreBounded) {
  cv1::CreateUnitRequest request;
  request.set_unit_id("310113-justice");
  request.mutable_unit()->set_display_name("宝山区司法局");
  request.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
  request.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
  request.mutable_unit()->set_region("regions/310113");
  for (int i = 0; i <= limits::kMaxUnitAliases; ++i) {
    request.mutable_unit()->add_aliases(absl::StrCat("别名", i));
  }
  cv1::Unit unit;
  absl::Status s = Catalogue(&cv1::CatalogueService::Stub::CreateUnit, request, &unit);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationOn(s, "unit.aliases"),
              HasSubstr(absl::StrCat("the limit is ", limits::kMaxUnitAliases)));
}

TEST_F(LimitsTest, ReportTextAndItsAnalysisAreBounded) {
  rv1::SubmitReportRequest request;
  request.mutable_report()->set_filer("units/310113-government");
  request.mutable_report()->set_region("regions/310113");
  request.mutable_report()->set_year(2023);
  request.mutable_report()->set_text(std::string(limits::kMaxReportTextBytes + 1, 'a'));
  rv1::Report report;
  absl::Status s = Report(&rv1::ReportService::Stub::SubmitReport, request, &report);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationOn(s, "report.text"),
              HasSubstr(absl::StrCat("the limit is ", limits::kMaxReportTextBytes)));

  // Inside the text limit, but a figure every few bytes: the analysis
  // (one quantity each) would make a record no reply could carry.
  std::string text = "宝山区2023年法治政府建设情况报告\n";
  while (text.size() < limits::kMaxReportTextBytes * 3 / 4) text += "1件，";
  request.mutable_report()->set_text(text);
  {
    // Half a second of analysis at most (report_intake_bench); the deadline
    // leaves room for a loaded machine.
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
    s = FromGrpcStatus(backends_->report().SubmitReport(&context, request, &report));
  }
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolationOn(s, "report.text"),
              HasSubstr(absl::StrCat("the limit is ", limits::kMaxRecordBytes - 4096)));
  rv1::ListReportsRequest list;
  rv1::ListReportsResponse listed;
  ASSERT_TRUE(Report(&rv1::ReportService::Stub::ListReports, list, &listed).ok());
  EXPECT_EQ(listed.reports_size(), 0);
}

TEST_F(LimitsTest, VersionsOfOneReportAreBoundedSoThatTheyListInOneReply) {
  rv1::SubmitReportRequest request;
  request.mutable_report()->set_filer("units/310113-government");
  request.mutable_report()->set_region("regions/310113");
  request.mutable_report()->set_year(2022);
  request.mutable_report()->set_kind(rv1::REPORT_KIND_GOVERNMENT_ANNUAL);
  rv1::Report report;
  for (int v = 1; v <= limits::kMaxReportVersions; ++v) {
    request.mutable_report()->set_text(
        absl::StrCat("宝山区2022年法治政府建设情况报告（第", v, "稿）"));
    ASSERT_TRUE(Report(&rv1::ReportService::Stub::SubmitReport, request, &report).ok()) << v;
  }
  absl::Status s = Report(&rv1::ReportService::Stub::SubmitReport, request, &report);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationOn(s, "report"),
              HasSubstr(absl::StrCat("the limit is ", limits::kMaxReportVersions)));
  rv1::ListReportVersionsRequest list;
  list.set_name(report.name());
  rv1::ListReportVersionsResponse versions;
  ASSERT_TRUE(Report(&rv1::ReportService::Stub::ListReportVersions, list, &versions).ok());
  EXPECT_EQ(versions.versions_size(), limits::kMaxReportVersions);
  EXPECT_LE(versions.ByteSizeLong(), limits::kMaxReplyBytes);
}

TEST_F(LimitsTest, BatchesAreBounded) {
  mv1::BatchRecordObservationsRequest batch;
  for (int i = 0; i <= limits::kMaxBatchItems; ++i) batch.add_requests();
  mv1::BatchRecordObservationsResponse results;
  absl::Status s = Metrics(&mv1::MetricsService::Stub::BatchRecordObservations, batch, &results);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("requests"));

  mv1::BatchGetSnapshotsRequest snapshots;
  snapshots.set_year(2023);
  for (int i = 0; i <= limits::kMaxSnapshotSubjects; ++i) {
    snapshots.add_subjects(absl::StrCat("regions/31", 1000 + i));
  }
  mv1::BatchGetSnapshotsResponse got;
  s = Metrics(&mv1::MetricsService::Stub::BatchGetSnapshots, snapshots, &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), Contains("subjects"));
}

TEST_F(LimitsTest, UnknownEnumNumbersAreRefusedNamingTheField) {
  absl::Status s =
      CreateRegion(MakeRegion("310104", "徐汇区", static_cast<cv1::RegionLevel>(99), "310000"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), Contains("region.level"));

  cv1::Project project = MakeProject("未知级别");
  project.set_level(static_cast<cv1::ProjectLevel>(7));
  s = CreateProject(project);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("project.level"));

  cv1::CreateUnitRequest unit;
  unit.set_unit_id("310113-court");
  unit.mutable_unit()->set_display_name("宝山区人民法院");
  unit.mutable_unit()->set_level(static_cast<cv1::UnitLevel>(9));
  unit.mutable_unit()->set_kind(static_cast<cv1::UnitKind>(99));
  unit.mutable_unit()->set_region("regions/310113");
  cv1::Unit created;
  s = Catalogue(&cv1::CatalogueService::Stub::CreateUnit, unit, &created);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("unit.level", "unit.kind"));

  mv1::RecordObservationRequest observation;
  auto* o = observation.mutable_observation();
  o->set_indicator("indicators/mediation_cases");
  o->set_subject("regions/310113");
  o->mutable_period()->set_year(2023);
  o->mutable_quantity()->set_decimal("12");
  o->mutable_quantity()->set_qualifier(static_cast<fazhi::type::Qualifier>(42));
  o->mutable_provenance()->set_source(static_cast<fazhi::type::Provenance::Source>(99));
  mv1::Observation recorded;
  s = Metrics(&mv1::MetricsService::Stub::RecordObservation, observation, &recorded);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), Contains("observation.quantity.qualifier"));
  EXPECT_THAT(ViolatedFields(s), Contains("observation.provenance.source"));

  mv1::CreateIndicatorRequest indicator;
  indicator.mutable_indicator()->set_code("mediation_cases");
  indicator.mutable_indicator()->set_display_name("人民调解受理");
  indicator.mutable_indicator()->set_unit_of_measure("件");
  indicator.mutable_indicator()->set_kind(static_cast<mv1::IndicatorKind>(99));
  indicator.mutable_indicator()->set_direction(static_cast<mv1::Direction>(99));
  mv1::Indicator made;
  s = Metrics(&mv1::MetricsService::Stub::CreateIndicator, indicator, &made);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("indicator.kind", "indicator.direction"));
}

TEST_F(LimitsTest, RegionCodesAgreeWithTheirLevelAndParent) {
  // A province created under Shanghai as a county.
  absl::Status s = CreateRegion(MakeRegion("320000", "江苏省", cv1::REGION_LEVEL_COUNTY, "310000"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.level", "region.parent"));
  EXPECT_THAT(ViolationOn(s, "region.level"), HasSubstr("REGION_LEVEL_PROVINCE"));

  // A county whose code is not under its parent's.
  s = CreateRegion(MakeRegion("320113", "栖霞区", cv1::REGION_LEVEL_COUNTY, "310000"));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.parent"));
  EXPECT_THAT(ViolationOn(s, "region.parent"), HasSubstr("\"31\""));

  // A prefecture code given as a county.
  s = CreateRegion(MakeRegion("310100", "市辖区", cv1::REGION_LEVEL_COUNTY, "310000"));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.level"));

  // A county under a county (the store knows the parent's level).
  s = CreateRegion(MakeRegion("310114", "嘉定区", cv1::REGION_LEVEL_COUNTY, "310113"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.parent"));

  // What GB/T 2260 allows: a county directly under a province-level city,
  // a prefecture under a province and a county under it.
  EXPECT_TRUE(
      CreateRegion(MakeRegion("310104", "徐汇区", cv1::REGION_LEVEL_COUNTY, "310000")).ok());
  EXPECT_TRUE(CreateRegion(MakeRegion("320000", "江苏省", cv1::REGION_LEVEL_PROVINCE, "")).ok());
  EXPECT_TRUE(
      CreateRegion(MakeRegion("320100", "南京市", cv1::REGION_LEVEL_PREFECTURE, "320000")).ok());
  EXPECT_TRUE(
      CreateRegion(MakeRegion("320113", "栖霞区", cv1::REGION_LEVEL_COUNTY, "320100")).ok());
}

}  // namespace
}  // namespace fazhi::limits_test
