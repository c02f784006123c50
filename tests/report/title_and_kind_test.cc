// Unit tests of services/report/title_and_kind.h: the title of a text and
// its kind (seed documents and hostile input: report_structure_test.cc).
#include "services/report/title_and_kind.h"

#include <string>
#include <vector>

#include "common/text/utf8.h"
#include "gtest/gtest.h"

namespace fazhi::report {
namespace {

// ---------------------------------------------------------------------------
// Titles.

TEST(TitleTest, JoinsShortContinuationLines) {
  EXPECT_EQ(ExtractTitle("\n\n  某区人民政府关于\n2023年法治政府建设情况的报告\n"
                         "本区坚持依法行政,取得明显成效。"),
            "某区人民政府关于2023年法治政府建设情况的报告");
}

TEST(TitleTest, StopsWhereTheTitleEnds) {
  EXPECT_EQ(ExtractTitle("第一行标题\n\n正文"), "第一行标题");
  EXPECT_EQ(ExtractTitle("某局法治政府建设情况报告\n（2023年度）"), "某局法治政府建设情况报告");
  EXPECT_EQ(ExtractTitle("标题\n本区坚持依法行政,成效明显"), "标题");
  EXPECT_EQ(ExtractTitle("标题\n一、主要举措"), "标题");
  EXPECT_EQ(ExtractTitle("甲\n乙\n丙\n丁"), "甲乙丙");
  EXPECT_EQ(ExtractTitle("Annual\nReport"), "Annual Report");
}

TEST(TitleTest, NoTitleWhenTextOpensWithAHeading) {
  EXPECT_EQ(ExtractTitle("一、主要举措\n正文"), "");
  EXPECT_EQ(ExtractTitle("【基本情况】\n正文"), "");
}

TEST(TitleTest, FrontMatter) {
  EXPECT_EQ(ExtractTitle("---\ntitle: '新闻标题'\nauthor: 某人\n---\n正文"), "新闻标题");
  EXPECT_EQ(ExtractTitle("---\nauthor: 某人\n---\n\n真正的标题\n"), "真正的标题");
}

TEST(TitleTest, CappedAt200CodePoints) {
  std::string line;
  for (int i = 0; i < 300; ++i) line += "法";
  const std::string title = ExtractTitle(line);
  EXPECT_EQ(text::CodePointCount(title), 200u);
  EXPECT_TRUE(text::IsValidUtf8(title));
}

// ---------------------------------------------------------------------------
// Kinds.

struct KindCase {
  std::string text;
  ReportKind kind;
};

TEST(KindTest, DetectsFilerAndKind) {
  const std::vector<KindCase> cases = {
      {"某某区人民政府关于2023年法治政府建设情况的报告\n正文", v1::REPORT_KIND_GOVERNMENT_ANNUAL},
      {"某某区人民政府关于\n2023年法治政府建设情况的报告\n正文", v1::REPORT_KIND_GOVERNMENT_ANNUAL},
      {"某某区司法局2023年法治政府建设情况报告\n正文", v1::REPORT_KIND_DEPARTMENT_ANNUAL},
      {"2023年度某某区发展改革委法治政府建设情况报告", v1::REPORT_KIND_DEPARTMENT_ANNUAL},
      {"某某区人民政府办公室2023年法治政府建设工作报告", v1::REPORT_KIND_DEPARTMENT_ANNUAL},
      {"某某区某某街道2023年法治政府建设情况报告", v1::REPORT_KIND_STREET_TOWN_ANNUAL},
      {"某某区某某镇人民政府关于2023年度法治政府建设情况的报告",
       v1::REPORT_KIND_STREET_TOWN_ANNUAL},
      {"关于2023年法治政府建设情况的报告\n正文。\n某某区司法局\n2024年1月10日",
       v1::REPORT_KIND_DEPARTMENT_ANNUAL},
      {"关于2023年法治政府建设情况的报告\n正文。", v1::REPORT_KIND_OTHER},
      {"某某区人民法院2023年法治建设情况报告", v1::REPORT_KIND_OTHER},
      {"某某区司法局2023年法治政府建设情况报告\n本报告附典型案例",
       v1::REPORT_KIND_DEPARTMENT_ANNUAL},
      {"典型案例\n正文", v1::REPORT_KIND_CASE_STUDY},
      {"标题\n【背景】\n内容\n【做法】\n内容", v1::REPORT_KIND_CASE_STUDY},
      {"标题\n【背景】\n内容", v1::REPORT_KIND_OTHER},
      {"某区召开会议\n会议指出,要坚持依法行政。", v1::REPORT_KIND_OTHER},
      // A division named alone files as its government.
      {"青浦区2022年法治政府建设情况报告\n正文", v1::REPORT_KIND_GOVERNMENT_ANNUAL},
      {"浦东新区2021年法治政府建设情况报告\n正文", v1::REPORT_KIND_GOVERNMENT_ANNUAL},
      {"德清县2023年度法治政府建设情况报告\n正文", v1::REPORT_KIND_GOVERNMENT_ANNUAL},
      // A yearbook entry's 【…】 items do not make it a case study.
      {"某某年鉴2024·司法行政\n【行政复议】\n内容\n【普法】\n内容", v1::REPORT_KIND_OTHER},
      {"行政审判白皮书\n【背景】\n内容\n【做法】\n内容", v1::REPORT_KIND_OTHER},
  };
  for (const KindCase& c : cases) {
    EXPECT_EQ(DetectReportKind(c.text), c.kind) << c.text;
  }
}

// ---------------------------------------------------------------------------
// Title choice on pages with no report-shaped title.

TEST(TitleChoiceTest, ANavBarIsNeverATitleNorJoinedToOne) {
  EXPECT_EQ(ChooseTitle(PageTitles{},
                        "上海某区 | 司法行政\n某区法律援助中心2022—2023年度工作情况\n正文。")
                .title,
            "某区法律援助中心2022—2023年度工作情况");
  EXPECT_EQ(ChooseTitle(PageTitles{},
                        "走进某区　政务公开　互动交流\n"
                        "1—10月全区人民调解工作稳步推进\n记者获悉，全区调解成功9,874件。")
                .title,
            "1—10月全区人民调解工作稳步推进");
}

TEST(TitleChoiceTest, ANewsHeadlineIsTakenPastAUnitsNameAndADate) {
  TitleChoice choice = ChooseTitle(
      PageTitles{},
      "某区人民政府\n2023年12月6日\n截至11月底某区行政复议收案同比增长 负责人出庭应诉实现全覆盖\n"
      "截至11月底，区行政复议机构收到申请574件。");
  EXPECT_EQ(choice.title, "截至11月底某区行政复议收案同比增长 负责人出庭应诉实现全覆盖");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_TEXT);

  // The headline is looked for above the first paragraph only; a unit's
  // name alone is still better than nothing.
  choice =
      ChooseTitle(PageTitles{}, "某区司法局\n本局全年办理案件120件，较上年增加。\n工作动态汇编\n");
  EXPECT_EQ(choice.title, "某区司法局");
}

}  // namespace
}  // namespace fazhi::report
