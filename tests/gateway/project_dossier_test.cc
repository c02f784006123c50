// The project dossier's decisions on hand-made backend answers: the search
// words of a title, how observations are tied, partial answers. No gRPC.
#include "services/gateway/project_dossier.h"

#include <gtest/gtest.h>

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

TEST(TitleQueryTest, WordsBetweenPunctuation) {
  EXPECT_EQ(TitleQuery("“三端联动一体化”保障“两旧一村”改造"), "三端联动一体化 保障 两旧一村 改造");
  EXPECT_EQ(TitleQuery("“法治体检”进园区、进楼宇"), "法治体检 进园区 进楼宇");
  // One-character words cannot be searched (the index holds pairs).
  EXPECT_EQ(TitleQuery("12348热线·法"), "12348热线");
  EXPECT_EQ(TitleQuery("（）、。"), "");
  // At most 16 words.
  std::string many;
  for (int i = 0; i < 20; ++i) many += "法治、";
  EXPECT_EQ(TitleQuery(many).size(), 16 * std::string("法治").size() + 15);
}

mv1::Observation MakeObservation(const std::string& id, const std::string& subject, int year,
                                 const std::string& report) {
  mv1::Observation o;
  o.set_name("observations/" + id);
  o.set_indicator("indicators/mediation_accepted");
  o.set_subject(subject);
  o.mutable_period()->set_year(year);
  o.mutable_quantity()->set_text("21267件");
  o.mutable_provenance()->set_report(report);
  return o;
}

DossierInputs BaoshanInputs() {
  DossierInputs in;
  in.as_of = absl::CivilDay(2026, 11, 22);
  in.query = "三端联动一体化 保障 两旧一村 改造";
  DossierCatalogueFacts facts;
  facts.project.set_name("projects/y2023-310113-excellent-01");
  facts.project.set_title("“三端联动一体化”保障“两旧一村”改造");
  facts.project.set_year(2023);
  facts.project.set_region("regions/310113");
  facts.project.set_status(cv1::PROJECT_STATUS_REGISTERED);
  facts.project.add_units("units/310113-government");
  facts.project.add_units("units/gone");
  cv1::Unit government;
  government.set_name("units/310113-government");
  government.set_display_name("上海市宝山区人民政府");
  facts.units = {government};
  facts.unresolved_units = {"units/gone"};
  in.catalogue.data = facts;

  DossierMetricsFacts metrics;
  metrics.unit_observations = {MakeObservation("unit-2023", "units/310113-government", 2023, ""),
                               MakeObservation("unit-2022", "units/310113-government", 2022, "")};
  metrics.region_observations = {
      MakeObservation("in-report", "regions/310113", 2023, "reports/310113-government-2023"),
      MakeObservation("other-report", "regions/310113", 2023, "reports/elsewhere")};
  metrics.indicator_names["indicators/mediation_accepted"] = "人民调解受理纠纷";
  in.metrics.data = metrics;

  rv1::SearchReportsResponse search;
  search.set_total_size(1);
  search.set_highlight_begin("【");
  search.set_highlight_end("】");
  auto* hit = search.add_hits();
  hit->set_report("reports/310113-government-2023");
  hit->set_title("上海市宝山区人民政府关于2023年法治政府建设情况的报告");
  hit->set_snippet("【三端联动一体化】【保障】【两旧一村】【改造】项目获评优秀项目");
  DossierReportFacts reports;
  reports.searches = {search, rv1::SearchReportsResponse()};
  in.reports.data = reports;
  return in;
}

TEST(ProjectDossierTest, TiesObservationsByUnitAndByMentioningReport) {
  const gv1::ProjectDossier d = AssembleDossier(BaoshanInputs());
  EXPECT_FALSE(d.partial());
  EXPECT_EQ(d.project().name(), "projects/y2023-310113-excellent-01");
  ASSERT_EQ(d.units().units_size(), 1);
  ASSERT_EQ(d.units().unresolved_size(), 1);
  EXPECT_EQ(d.units().unresolved(0), "units/gone");
  ASSERT_EQ(d.passages().passages_size(), 1);
  EXPECT_EQ(d.passages().query(), "三端联动一体化 保障 两旧一村 改造");
  EXPECT_EQ(d.passages().total_reports(), 1);

  ASSERT_EQ(d.observations().observations_size(), 2);
  const auto& by_unit = d.observations().observations(0);
  EXPECT_EQ(by_unit.observation().name(), "observations/unit-2023");
  EXPECT_EQ(by_unit.tie(), gv1::OBSERVATION_TIE_RESPONSIBLE_UNIT);
  EXPECT_EQ(by_unit.indicator_display_name(), "人民调解受理纠纷");
  EXPECT_EQ(by_unit.explanation(), "责任单位上海市宝山区人民政府2023年的数值");
  const auto& by_report = d.observations().observations(1);
  EXPECT_EQ(by_report.observation().name(), "observations/in-report");
  EXPECT_EQ(by_report.tie(), gv1::OBSERVATION_TIE_MENTIONING_REPORT);

  // Registered, its year over: late, and a finding says so.
  EXPECT_EQ(d.timeliness(), gv1::PROJECT_TIMELINESS_OVERDUE);
  bool late_named = false, unit_named = false;
  for (const auto& f : d.findings()) {
    late_named |= f.evidence() == "projects/y2023-310113-excellent-01" &&
                  f.text().find("仍未落地") != std::string::npos;
    unit_named |= f.text().find("units/gone") != std::string::npos;
  }
  EXPECT_TRUE(late_named);
  EXPECT_TRUE(unit_named);
}

TEST(ProjectDossierTest, EachBackendDownLeavesItsPartsUnreachable) {
  {
    DossierInputs in = BaoshanInputs();
    in.reports.data.reset();
    in.reports.error = "UNAVAILABLE: down";
    const auto d = AssembleDossier(in);
    EXPECT_TRUE(d.partial());
    EXPECT_EQ(d.passages().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(d.passages().passages_size(), 0);
    EXPECT_EQ(d.observations().state(), gv1::SECTION_STATE_OK);
    EXPECT_TRUE(d.observations().report_ties_unknown());
    ASSERT_EQ(d.observations().observations_size(), 1);  // the unit's, not the report's
    EXPECT_EQ(d.backends(2).error(), "UNAVAILABLE: down");
  }
  {
    DossierInputs in = BaoshanInputs();
    in.metrics.data.reset();
    const auto d = AssembleDossier(in);
    EXPECT_TRUE(d.partial());
    EXPECT_EQ(d.observations().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(d.passages().state(), gv1::SECTION_STATE_OK);
  }
  {
    DossierInputs in = BaoshanInputs();
    in.catalogue.data.reset();
    in.catalogue.error = "DEADLINE_EXCEEDED: slow";
    const auto d = AssembleDossier(in);
    EXPECT_TRUE(d.partial());
    EXPECT_FALSE(d.has_project());
    EXPECT_EQ(d.units().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(d.observations().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(d.passages().state(), gv1::SECTION_STATE_UNREACHABLE);
    for (const auto& b : d.backends()) EXPECT_FALSE(b.answered()) << b.service();
  }
}

}  // namespace
}  // namespace fazhi::gateway
