// The score's method: components in proportion, unreachable or
// inapplicable components left out of the maximum, grades from the rules.
#include "services/gateway/summary_scoring.h"

#include <gtest/gtest.h>

#include "tests/testing/test_env.h"

namespace fazhi::gateway {
namespace {

namespace mv1 = fazhi::metrics::v1;
namespace cv1 = fazhi::catalogue::v1;
namespace rv1 = fazhi::report::v1;

v1::DistrictComplianceSummary Baseline() {
  v1::DistrictComplianceSummary s;
  auto* gov = s.mutable_government_report();
  gov->set_state(v1::SECTION_STATE_OK);
  gov->set_filed(true);
  auto* depts = s.mutable_department_reports();
  depts->set_state(v1::SECTION_STATE_OK);
  depts->set_units_required(2);
  auto* filed = depts->add_reports();
  filed->set_filed(true);
  auto* missing_part = depts->add_reports();
  missing_part->set_filed(true);
  missing_part->add_parts_missing(rv1::REPORT_PART_LEADERS_DUTY);
  auto* indicators = s.mutable_indicators();
  indicators->set_state(v1::SECTION_STATE_OK);
  for (auto verdict :
       {mv1::VERDICT_MET, mv1::VERDICT_NOT_MET, mv1::VERDICT_NO_DATA, mv1::VERDICT_NO_TARGET}) {
    indicators->add_indicators()->set_verdict(verdict);
  }
  auto* projects = s.mutable_projects();
  projects->set_state(v1::SECTION_STATE_OK);
  projects->add_projects()->set_status(cv1::PROJECT_STATUS_DELIVERED);
  projects->add_projects()->set_status(cv1::PROJECT_STATUS_IN_PROGRESS);
  projects->add_projects()->set_status(cv1::PROJECT_STATUS_WITHDRAWN);
  return s;
}

TEST(SummaryScoringTest, ComponentsInProportion) {
  const auto rules = testing::ShippedRules();
  const auto score = ScoreSummary(Baseline(), rules);
  ASSERT_TRUE(score.computable());
  ASSERT_EQ(score.components_size(), 4);
  EXPECT_DOUBLE_EQ(score.components(0).earned(), 40);  // filed, all parts
  EXPECT_DOUBLE_EQ(score.components(1).earned(), 10);  // 1 of 2 complete
  EXPECT_DOUBLE_EQ(score.components(2).earned(), 10);  // 1 of 3 judged
  EXPECT_DOUBLE_EQ(score.components(3).earned(), 5);   // 1 of 2 not withdrawn
  EXPECT_DOUBLE_EQ(score.value(), 65);
  EXPECT_EQ(score.grade(), "合格");
  EXPECT_EQ(score.rules_version(), rules.version());
  EXPECT_FALSE(score.method().empty());
}

TEST(SummaryScoringTest, UnreachableSectionsAreLeftOutNotZero) {
  auto s = Baseline();
  s.mutable_indicators()->set_state(v1::SECTION_STATE_UNREACHABLE);
  s.mutable_indicators()->clear_indicators();
  const auto score = ScoreSummary(s, testing::ShippedRules());
  EXPECT_TRUE(score.components(2).excluded());
  // 55 earned of 70 possible.
  EXPECT_NEAR(score.value(), 100.0 * 55 / 70, 1e-9);
  EXPECT_EQ(score.grade(), "良好");
}

TEST(SummaryScoringTest, MissingReportAndMissingPartsCost) {
  auto s = Baseline();
  s.mutable_government_report()->add_parts_missing(rv1::REPORT_PART_LEADERS_DUTY);
  EXPECT_DOUBLE_EQ(ScoreSummary(s, testing::ShippedRules()).components(0).earned(), 35);
  s.mutable_government_report()->set_filed(false);
  EXPECT_DOUBLE_EQ(ScoreSummary(s, testing::ShippedRules()).components(0).earned(), 0);
}

TEST(SummaryScoringTest, NothingToJudgeIsNotComputable) {
  v1::DistrictComplianceSummary s;
  const auto score = ScoreSummary(s, testing::ShippedRules());
  EXPECT_FALSE(score.computable());
  EXPECT_TRUE(score.grade().empty());
}

}  // namespace
}  // namespace fazhi::gateway
