// The summary's decisions, on hand-made backend answers: no gRPC, no disk.
#include "services/gateway/summary_assembler.h"

#include <gtest/gtest.h>

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

cv1::Unit MakeUnit(const std::string& id, const std::string& name, cv1::UnitKind kind) {
  cv1::Unit u;
  u.set_name("units/" + id);
  u.set_display_name(name);
  u.set_kind(kind);
  u.set_files_annual_report(kind == cv1::UNIT_KIND_GOVERNMENT ||
                            kind == cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
  return u;
}

rv1::Report MakeReport(const std::string& id, const std::string& filer, rv1::ReportKind kind,
                       std::vector<rv1::ReportPart> missing) {
  rv1::Report r;
  r.set_name("reports/" + id);
  r.set_filer(filer);
  r.set_kind(kind);
  for (auto p : missing) r.add_parts_missing(p);
  return r;
}

SummaryInputs PutuoInputs() {
  SummaryInputs in;
  in.region_code = "310107";
  in.year = 2020;
  CatalogueFacts facts;
  facts.region.set_name("regions/310107");
  facts.region.set_code("310107");
  facts.region.set_display_name("普陀区");
  facts.units = {
      MakeUnit("310107-government", "普陀区人民政府", cv1::UNIT_KIND_GOVERNMENT),
      MakeUnit("310107-justice", "普陀区司法局", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT),
      MakeUnit("310107-market", "普陀区市场监管局", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT),
      MakeUnit("310107-court", "普陀区人民法院", cv1::UNIT_KIND_COURT)};
  cv1::Project p;
  p.set_name("projects/a");
  p.set_level(cv1::PROJECT_LEVEL_DISTRICT);
  p.set_most_anticipated(true);
  p.set_status(cv1::PROJECT_STATUS_DELIVERED);
  facts.projects = {p};
  in.catalogue.data = facts;

  mv1::Snapshot snapshot;
  auto* entry = snapshot.add_entries();
  entry->mutable_indicator()->set_code("court_appearance_rate");
  entry->mutable_indicator()->set_name("indicators/court_appearance_rate");
  entry->mutable_indicator()->set_display_name("行政机关负责人出庭应诉率");
  entry->mutable_indicator()->set_unit_of_measure("%");
  entry->mutable_observation()->set_name("observations/o1");
  entry->mutable_observation()->mutable_quantity()->set_text("83.8%");
  entry->mutable_observation()->mutable_period()->set_year(2020);
  entry->mutable_observation()->mutable_period()->set_start_month(1);
  entry->mutable_observation()->mutable_period()->set_end_month(11);
  entry->mutable_target()->set_comparator(mv1::COMPARATOR_AT_LEAST);
  entry->mutable_target()->set_threshold("100");
  entry->set_verdict(mv1::VERDICT_NOT_MET);
  entry->set_partial_period(true);
  auto* no_data = snapshot.add_entries();
  no_data->mutable_indicator()->set_code("enforcement_training_hours");
  no_data->mutable_indicator()->set_name("indicators/enforcement_training_hours");
  no_data->mutable_indicator()->set_display_name("执法人员法治培训学时");
  no_data->set_verdict(mv1::VERDICT_NO_DATA);
  in.metrics.data = snapshot;

  in.reports.data = std::vector<rv1::Report>{
      MakeReport("putuo-justice-2020", "units/310107-justice", rv1::REPORT_KIND_DEPARTMENT_ANNUAL,
                 {rv1::REPORT_PART_LEADERS_DUTY})};
  return in;
}

bool HasFinding(const gv1::DistrictComplianceSummary& s, const std::string& fragment,
                const std::string& evidence) {
  for (const auto& f : s.findings()) {
    if (f.text().find(fragment) != std::string::npos && f.evidence() == evidence) return true;
  }
  return false;
}

TEST(SummaryAssemblerTest, PutuoShortfallsBecomeFindingsWithEvidence) {
  const auto s = AssembleSummary(PutuoInputs());
  EXPECT_FALSE(s.partial());
  EXPECT_EQ(s.region().display_name(), "普陀区");
  EXPECT_FALSE(s.government_report().filed());
  EXPECT_TRUE(HasFinding(s, "普陀区人民政府2020年度法治政府建设情况报告未提交", "regions/310107"));

  const auto& depts = s.department_reports();
  EXPECT_EQ(depts.units_required(), 2);  // the two departments, not the court
  EXPECT_EQ(depts.filed(), 1);
  EXPECT_EQ(depts.complete(), 0);
  EXPECT_TRUE(HasFinding(s,
                         "普陀区司法局报告缺少党政主要负责人履行推进法治建设第一责任人职责情况部分",
                         "reports/putuo-justice-2020"));
  EXPECT_TRUE(HasFinding(s, "普陀区市场监管局未提交2020年度", "units/310107-market"));

  EXPECT_TRUE(HasFinding(s, "行政机关负责人出庭应诉率83.8%（截至11月底），低于目标100%",
                         "observations/o1"));
  EXPECT_TRUE(
      HasFinding(s, "执法人员法治培训学时无2020年数据", "indicators/enforcement_training_hours"));
  EXPECT_EQ(s.projects().total(), 1);
  EXPECT_EQ(s.projects().district_level(), 1);
  EXPECT_EQ(s.projects().most_anticipated(), 1);
  EXPECT_EQ(s.projects().delivered(), 1);
}

TEST(SummaryAssemblerTest, LastYearTheTrendAndQualityFlagsReachTheLineAndTheFindings) {
  SummaryInputs in = PutuoInputs();
  mv1::Snapshot& snapshot = *in.metrics.data;
  // The court appearance rate (higher is better) fell from 90% to 83.8%.
  auto* court = snapshot.mutable_entries(0);
  court->mutable_indicator()->set_direction(mv1::DIRECTION_HIGHER_IS_BETTER);
  court->mutable_previous_observation()->set_name("observations/o0");
  court->mutable_previous_observation()->mutable_quantity()->set_text("90%");
  court->set_change("-6.2");
  court->set_change_percent("-6.89");
  auto* flag = court->add_quality_flags();
  flag->set_kind(mv1::QUALITY_FLAG_KIND_RATE_MISMATCH);
  flag->set_explanation("出庭应诉率83.8%与出庭31件、应诉37件不符");
  flag->add_evidence("observations/o2");
  // A workload count rose: neither way is better.
  auto* received = snapshot.add_entries();
  received->mutable_indicator()->set_code("admin_reconsideration_received");
  received->mutable_indicator()->set_display_name("行政复议收案数");
  received->mutable_indicator()->set_direction(mv1::DIRECTION_NEUTRAL);
  received->mutable_observation()->set_name("observations/o3");
  received->set_change("12");
  // No value last year.
  const auto s = AssembleSummary(in);
  ASSERT_EQ(s.indicators().indicators_size(), 3);
  const auto& line = s.indicators().indicators(0);
  EXPECT_EQ(line.previous_observation().name(), "observations/o0");
  EXPECT_EQ(line.change(), "-6.2");
  EXPECT_EQ(line.change_percent(), "-6.89");
  EXPECT_EQ(line.trend(), gv1::TREND_WORSENED);
  ASSERT_EQ(line.quality_flags_size(), 1);
  EXPECT_TRUE(HasFinding(s, "行政机关负责人出庭应诉率数据存疑：出庭应诉率83.8%与出庭31件",
                         "observations/o2"));
  EXPECT_EQ(s.indicators().indicators(1).trend(), gv1::TREND_NOT_COMPARABLE);
  EXPECT_EQ(s.indicators().indicators(2).trend(), gv1::TREND_UP);
}

// A value's period is shown as stated when it is not the whole year.
TEST(SummaryAssemblerTest, AValueShowsItsPeriodAsStated) {
  struct Case {
    int start_month, end_month, end_year;
    std::string shown;
  };
  for (const Case& c :
       {Case{1, 11, 0, "83.8%（截至11月底），低于"}, Case{7, 9, 0, "83.8%（7月至9月），低于"},
        Case{8, 7, 2021, "83.8%（2020年8月至2021年7月），低于"}, Case{1, 12, 0, "83.8%，低于"},
        Case{1, 12, 2020, "83.8%，低于"}}) {
    auto in = PutuoInputs();
    auto* period = in.metrics.data->mutable_entries(0)->mutable_observation()->mutable_period();
    period->set_start_month(c.start_month);
    period->set_end_month(c.end_month);
    period->set_end_year(c.end_year);
    EXPECT_TRUE(
        HasFinding(AssembleSummary(in), "行政机关负责人出庭应诉率" + c.shown, "observations/o1"))
        << c.shown;
  }
}

TEST(SummaryAssemblerTest, EachMissingBackendMarksOnlyItsSectionsUnreachable) {
  {
    auto in = PutuoInputs();
    in.metrics.data.reset();
    in.metrics.error = "UNAVAILABLE: connection refused";
    const auto s = AssembleSummary(in);
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.indicators().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(s.indicators().indicators_size(), 0);
    EXPECT_EQ(s.department_reports().state(), gv1::SECTION_STATE_OK);
    EXPECT_EQ(s.projects().state(), gv1::SECTION_STATE_OK);
    EXPECT_FALSE(HasFinding(s, "出庭应诉率", "observations/o1"));
  }
  {
    auto in = PutuoInputs();
    in.reports.data.reset();
    in.reports.error = "DEADLINE_EXCEEDED";
    const auto s = AssembleSummary(in);
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.government_report().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_FALSE(s.government_report().filed());
    // Not "missing": unknown. No finding claims the report was not filed.
    EXPECT_FALSE(HasFinding(s, "未提交", "regions/310107"));
    EXPECT_EQ(s.department_reports().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(s.department_reports().units_required(), -1);
  }
  {
    auto in = PutuoInputs();
    in.catalogue.data.reset();
    in.catalogue.error = "UNAVAILABLE";
    const auto s = AssembleSummary(in);
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.projects().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(s.projects().total(), 0);
    EXPECT_EQ(s.department_reports().units_required(), -1);
    EXPECT_EQ(s.region().code(), "310107");
    EXPECT_EQ(s.indicators().state(), gv1::SECTION_STATE_OK);
  }
  const auto whole = AssembleSummary(PutuoInputs());
  for (const auto& b : whole.backends()) {
    EXPECT_TRUE(b.answered()) << b.service();
  }
}

TEST(SummaryAssemblerTest, CompleteGovernmentReportHasNoReportFinding) {
  auto in = PutuoInputs();
  in.reports.data->push_back(
      MakeReport("gov", "units/310107-government", rv1::REPORT_KIND_GOVERNMENT_ANNUAL, {}));
  const auto s = AssembleSummary(in);
  EXPECT_TRUE(s.government_report().filed());
  EXPECT_EQ(s.government_report().report(), "reports/gov");
  for (const auto& f : s.findings()) EXPECT_NE(f.evidence(), "reports/gov") << f.text();
}

}  // namespace
}  // namespace fazhi::gateway
