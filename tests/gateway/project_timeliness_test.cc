// Late projects: the rule (due by 31 December of the project's year), the
// finding sentence, and the summary's project section. No gRPC, no disk.
#include "services/gateway/project_timeliness.h"

#include <gtest/gtest.h>

#include "services/gateway/summary_assembler.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;

cv1::Project MakeProject(const std::string& id, int year, cv1::ProjectStatus status) {
  cv1::Project p;
  p.set_name("projects/" + id);
  p.set_title("法律援助进社区");
  p.set_year(year);
  p.set_status(status);
  return p;
}

void Deliver(cv1::Project& p, int year, int month, int day) {
  auto* step = p.add_status_history();
  step->set_from_status(cv1::PROJECT_STATUS_IN_PROGRESS);
  step->set_to_status(cv1::PROJECT_STATUS_DELIVERED);
  step->mutable_effective_date()->set_year(year);
  step->mutable_effective_date()->set_month(month);
  step->mutable_effective_date()->set_day(day);
}

TEST(ProjectTimelinessTest, DueByTheEndOfItsYear) {
  const auto registered = MakeProject("a", 2022, cv1::PROJECT_STATUS_REGISTERED);
  EXPECT_EQ(JudgeProjectTimeliness(registered, absl::CivilDay(2022, 12, 31)).timeliness,
            gv1::PROJECT_TIMELINESS_NOT_DUE);
  const auto overdue = JudgeProjectTimeliness(registered, absl::CivilDay(2023, 1, 1));
  EXPECT_EQ(overdue.timeliness, gv1::PROJECT_TIMELINESS_OVERDUE);
  EXPECT_EQ(overdue.due_date.year(), 2022);
  EXPECT_EQ(overdue.due_date.month(), 12);
  EXPECT_EQ(overdue.due_date.day(), 31);
  EXPECT_TRUE(IsLate(overdue.timeliness));

  auto in_time = MakeProject("b", 2021, cv1::PROJECT_STATUS_DELIVERED);
  Deliver(in_time, 2021, 12, 31);
  EXPECT_EQ(JudgeProjectTimeliness(in_time, absl::CivilDay(2026, 1, 1)).timeliness,
            gv1::PROJECT_TIMELINESS_ON_TIME);
  auto late = MakeProject("c", 2021, cv1::PROJECT_STATUS_DELIVERED);
  Deliver(late, 2022, 1, 15);
  const auto delivered_late = JudgeProjectTimeliness(late, absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(delivered_late.timeliness, gv1::PROJECT_TIMELINESS_DELIVERED_LATE);
  EXPECT_EQ(delivered_late.delivered_date.month(), 1);

  // Imported as delivered, with no dated step: not counted late.
  EXPECT_EQ(JudgeProjectTimeliness(MakeProject("d", 2021, cv1::PROJECT_STATUS_DELIVERED),
                                   absl::CivilDay(2026, 1, 1))
                .timeliness,
            gv1::PROJECT_TIMELINESS_DELIVERED_UNDATED);
  EXPECT_EQ(JudgeProjectTimeliness(MakeProject("e", 2021, cv1::PROJECT_STATUS_WITHDRAWN),
                                   absl::CivilDay(2026, 1, 1))
                .timeliness,
            gv1::PROJECT_TIMELINESS_WITHDRAWN);
}

TEST(ProjectTimelinessTest, FindingNamesTheProjectAndItsDates) {
  const auto p = MakeProject("y2022-city-top-03", 2022, cv1::PROJECT_STATUS_IN_PROGRESS);
  const absl::CivilDay as_of(2026, 11, 22);
  auto finding = LateProjectFinding(p, JudgeProjectTimeliness(p, as_of), as_of);
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity(), gv1::Finding::SEVERITY_SHORTFALL);
  EXPECT_EQ(finding->text(),
            "项目《法律援助进社区》为2022年度项目，应于2022年12月31日前落地，"
            "截至2026年11月22日仍未落地（当前状态：推进中）");
  EXPECT_EQ(finding->evidence(), "projects/y2022-city-top-03");

  auto late = MakeProject("b", 2021, cv1::PROJECT_STATUS_DELIVERED);
  Deliver(late, 2022, 3, 1);
  finding = LateProjectFinding(late, JudgeProjectTimeliness(late, as_of), as_of);
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity(), gv1::Finding::SEVERITY_WARNING);
  EXPECT_EQ(finding->text(),
            "项目《法律援助进社区》逾期落地：应于2021年12月31日前落地，实际于2022年3月1日落地");

  const auto current = MakeProject("c", 2026, cv1::PROJECT_STATUS_REGISTERED);
  EXPECT_FALSE(LateProjectFinding(current, JudgeProjectTimeliness(current, as_of), as_of));
}

TEST(ProjectTimelinessTest, BeijingDayIsUtcPlusEight) {
  // 2023-12-31 16:30 UTC is 2024-01-01 00:30 in Beijing.
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2023, 12, 31, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(BeijingDay(t), absl::CivilDay(2024, 1, 1));
}

TEST(ProjectTimelinessTest, SummaryNamesEachLateProject) {
  SummaryInputs in;
  in.region_code = "310113";
  in.year = 2022;
  in.as_of = absl::CivilDay(2023, 3, 1);
  CatalogueFacts facts;
  facts.region.set_code("310113");
  facts.region.set_display_name("宝山区");
  facts.projects = {MakeProject("late-1", 2022, cv1::PROJECT_STATUS_REGISTERED),
                    MakeProject("late-2", 2022, cv1::PROJECT_STATUS_IN_PROGRESS),
                    MakeProject("done", 2022, cv1::PROJECT_STATUS_DELIVERED),
                    MakeProject("dropped", 2022, cv1::PROJECT_STATUS_WITHDRAWN)};
  Deliver(facts.projects[2], 2022, 11, 30);
  in.catalogue.data = facts;
  const gv1::DistrictComplianceSummary s = AssembleSummary(in);
  EXPECT_EQ(s.as_of().year(), 2023);
  EXPECT_EQ(s.projects().late(), 2);
  ASSERT_EQ(s.projects().projects_size(), 4);
  EXPECT_EQ(s.projects().projects(0).timeliness(), gv1::PROJECT_TIMELINESS_OVERDUE);
  EXPECT_EQ(s.projects().projects(2).timeliness(), gv1::PROJECT_TIMELINESS_ON_TIME);
  EXPECT_EQ(s.projects().projects(2).delivered_date().day(), 30);
  EXPECT_EQ(s.projects().projects(3).timeliness(), gv1::PROJECT_TIMELINESS_WITHDRAWN);
  std::vector<std::string> pointed;
  for (const auto& f : s.findings()) {
    if (f.evidence().rfind("projects/", 0) == 0) pointed.push_back(f.evidence());
  }
  EXPECT_EQ(pointed, (std::vector<std::string>{"projects/late-1", "projects/late-2"}));
}

}  // namespace
}  // namespace fazhi::gateway
