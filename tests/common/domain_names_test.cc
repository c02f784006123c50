#include "common/api/domain_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fazhi::api {
namespace {

namespace rv1 = fazhi::report::v1;

// Moved from the gateway's assembler tests when the table moved to common/.
TEST(DomainNamesTest, PartNamesAreTheRuleWording) {
  EXPECT_EQ(ReportPartName(rv1::REPORT_PART_SHORTCOMINGS), "存在的不足和原因");
  EXPECT_EQ(ReportPartName(rv1::REPORT_PART_NEXT_YEAR_PLANS), "下一年度主要安排");
  EXPECT_EQ(ReportPartName(rv1::REPORT_PART_LEADERS_DUTY),
            "党政主要负责人履行推进法治建设第一责任人职责情况");
}

TEST(DomainNamesTest, EveryPartOfTheContractHasItsOwnName) {
  std::set<std::string> names;
  for (int p = rv1::ReportPart_MIN; p <= rv1::ReportPart_MAX; ++p) {
    if (!rv1::ReportPart_IsValid(p) || p == rv1::REPORT_PART_UNSPECIFIED) continue;
    const std::string name = ReportPartName(static_cast<rv1::ReportPart>(p));
    EXPECT_EQ(name.find("未知"), std::string::npos) << p;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 5u);
}

TEST(DomainNamesTest, AnUnknownPartSaysWhichValueItIs) {
  EXPECT_EQ(ReportPartName(static_cast<rv1::ReportPart>(9)), "未知部分(9)");
}

TEST(DomainNamesTest, EveryProjectStatusOfTheContractHasItsOwnName) {
  namespace cv1 = fazhi::catalogue::v1;
  std::set<std::string> names;
  for (int s = cv1::ProjectStatus_MIN; s <= cv1::ProjectStatus_MAX; ++s) {
    if (!cv1::ProjectStatus_IsValid(s) || s == cv1::PROJECT_STATUS_UNSPECIFIED) continue;
    const std::string name = ProjectStatusName(static_cast<cv1::ProjectStatus>(s));
    EXPECT_NE(name, "状态未定") << s;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(ProjectStatusName(cv1::PROJECT_STATUS_IN_PROGRESS), "推进中");
}

}  // namespace
}  // namespace fazhi::api
