#include "services/report/figure_period.h"

#include <string>
#include <vector>

#include "common/text/utf8.h"
#include "gtest/gtest.h"

namespace fazhi::report {
namespace {

std::u32string U(const std::string& s) { return text::DecodeUtf8Lenient(s).chars; }

// "2023-1..2023-10", or with " (problem)" when the period is uncertain.
std::string Describe(const FigurePeriod& p) {
  const auto& period = p.period;
  const int end_year = period.end_year() != 0 ? period.end_year() : period.year();
  std::string out = std::to_string(period.year()) + "-" + std::to_string(period.start_month()) +
                    ".." + std::to_string(end_year) + "-" + std::to_string(period.end_month());
  if (!p.problem.empty()) out += " (" + p.problem + ")";
  return out;
}

// The period of a figure whose sentence reads `sentence_before` up to it; its
// clause is what follows the sentence's last "，".
std::string PeriodOf(const std::string& sentence_before, int report_year = 2023,
                     const std::string& page = "") {
  FigurePeriodContext context;
  context.sentence_before = U(sentence_before);
  const size_t comma = context.sentence_before.rfind(U'，');
  context.clause_before = comma == std::u32string::npos ? context.sentence_before
                                                        : context.sentence_before.substr(comma + 1);
  context.report_year = report_year;
  context.stated_cross_year_periods = StatedCrossYearPeriods(U(page));
  return Describe(ReadFigurePeriod(context));
}

TEST(FigurePeriodTest, TheReportsYearWhenNothingIsStated) {
  EXPECT_EQ(PeriodOf("全年共受理行政复议案件"), "2023-1..2023-12");
  EXPECT_EQ(PeriodOf("全年共受理行政复议案件", 2021), "2021-1..2021-12");
}

TEST(FigurePeriodTest, AYearWrittenNextToTheFigure) {
  EXPECT_EQ(PeriodOf("另据统计，2022年全年区法律援助中心受理案件"), "2022-1..2022-12");
  EXPECT_EQ(PeriodOf("2022年度共受理行政复议案件"), "2022-1..2022-12");
  // A year in an earlier clause of the sentence is not the figure's when it
  // is compared with; one that opens a clause covers the clauses after it.
  EXPECT_EQ(PeriodOf("与2022年相比，全区受理行政复议案件"), "2023-1..2023-12");
  EXPECT_EQ(PeriodOf("2022年相比上年，全区受理行政复议案件"), "2023-1..2023-12");
  EXPECT_EQ(PeriodOf("会议通报，2022年全区行政复议机构收到复议申请688件，审结"),
            "2022-1..2022-12");
}

TEST(FigurePeriodTest, MonthsFromJanuary) {
  EXPECT_EQ(PeriodOf("1—10月，区法律援助中心共受理法律援助案件"), "2023-1..2023-10");
  EXPECT_EQ(PeriodOf("1-10月，区法律援助中心共受理法律援助案件"), "2023-1..2023-10");
  EXPECT_EQ(PeriodOf("1至10月份，共受理"), "2023-1..2023-10");
  EXPECT_EQ(PeriodOf("2022年1—10月，共受理"), "2022-1..2022-10");
  EXPECT_EQ(PeriodOf("前三季度，全区共受理"), "2023-1..2023-9");
  EXPECT_EQ(PeriodOf("上半年，全区共受理"), "2023-1..2023-6");
  // Backwards or beyond December is no span.
  EXPECT_EQ(PeriodOf("10-1月，共受理"), "2023-1..2023-12");
  EXPECT_EQ(PeriodOf("1—13月，共受理"), "2023-1..2023-12");
}

TEST(FigurePeriodTest, Quarters) {
  EXPECT_EQ(PeriodOf("第三季度，区行政复议机构共收到行政复议申请"), "2023-7..2023-9");
  EXPECT_EQ(PeriodOf("2023年第三季度，区行政复议机构共收到行政复议申请", 2024), "2023-7..2023-9");
  EXPECT_EQ(PeriodOf("一季度全区共受理"), "2023-1..2023-3");
  EXPECT_EQ(PeriodOf("第4季度全区共受理"), "2023-10..2023-12");
  // The phrase nearest the figure is its period.
  EXPECT_EQ(PeriodOf("1—9月累计受理361件，其中第三季度受理"), "2023-7..2023-9");
}

TEST(FigurePeriodTest, UntilAMonthsEnd) {
  EXPECT_EQ(PeriodOf("截至11月底，区行政复议机构今年已收到行政复议申请"), "2023-1..2023-11");
  EXPECT_EQ(PeriodOf("截至11月30日，共收到"), "2023-1..2023-11");
  EXPECT_EQ(PeriodOf("截至2024年2月29日，共收到"), "2024-1..2024-2");
  EXPECT_EQ(PeriodOf("截止到2023年底，全区共有法律顾问"), "2023-1..2023-12");
  EXPECT_EQ(PeriodOf("截至11月15日，共收到"),
            "2023-1..2023-11 (the period ends mid-month (11月15日))");
  EXPECT_EQ(PeriodOf("截至2023年2月29日，共收到"),
            "2023-1..2023-2 (the period ends mid-month (2月29日))");
  EXPECT_EQ(PeriodOf("截至目前，共收到"),
            "2023-1..2023-12 (the period ends on an unstated date (截至目前))");
  EXPECT_EQ(PeriodOf("截至11月，共收到"),
            "2023-1..2023-11 (the period ends on an unstated day of 11月)");
}

TEST(FigurePeriodTest, StatisticalYearsAcrossTwoCalendarYears) {
  const std::string page = "区法律援助中心对2022年8月至2023年7月的工作情况作了统计。";
  EXPECT_EQ(PeriodOf("对2022年8月至2023年7月，共受理", 2023), "2022-8..2023-7");
  EXPECT_EQ(PeriodOf("2022年8月1日至2023年7月31日，共受理", 2023), "2022-8..2023-7");
  EXPECT_EQ(PeriodOf("统计年度内，中心共受理法律援助案件", 2023, page), "2022-8..2023-7");
  EXPECT_EQ(PeriodOf("2022—2023年度，中心共受理法律援助案件", 2023, page), "2022-8..2023-7");
  // Which months a statistical year covers must be stated somewhere.
  EXPECT_EQ(PeriodOf("2022—2023年度，中心共受理", 2023),
            "2023-1..2023-12 (a statistical year whose months the page does not state)");
  EXPECT_EQ(PeriodOf("统计年度内，中心共受理", 2023),
            "2023-1..2023-12 (a statistical year whose months the page does not state)");
  EXPECT_EQ(PeriodOf("统计年度内，中心共受理", 2023, page + "另对2021年9月至2022年8月作了统计。"),
            "2023-1..2023-12 (the page states more than one statistical year)");
  // Longer than twelve months, or a day mid-month: no statistical year.
  EXPECT_TRUE(StatedCrossYearPeriods(U("2022年8月至2023年8月")).empty());
  EXPECT_TRUE(StatedCrossYearPeriods(U("2022年8月15日至2023年7月31日")).empty());
  EXPECT_TRUE(StatedCrossYearPeriods(U("2022年8月至2024年7月")).empty());
  EXPECT_EQ(StatedCrossYearPeriods(U(page + page)).size(), 1u);
}

TEST(FigurePeriodTest, TheSamePeriodAsAnEarlierSentence) {
  EXPECT_EQ(PeriodOf("同期，区公证处办理公证事项"),
            "2023-1..2023-12 (the period is the one an earlier sentence states (同期))");
  // A comparison with last year's same period states no period.
  EXPECT_EQ(PeriodOf("与去年同期相比，行政复议收案增加"), "2023-1..2023-12");
}

FigurePeriod WithAround(const std::string& sentence, const std::string& column,
                        const std::string& heading, const std::string& title) {
  FigurePeriodContext context;
  context.sentence_before = U(sentence);
  context.clause_before = U(sentence);
  context.column_header = U(column);
  context.heading = U(heading);
  context.title = U(title);
  context.report_year = 2023;
  return ReadFigurePeriod(context);
}

TEST(FigurePeriodTest, ColumnHeadersHeadingsAndTitles) {
  EXPECT_EQ(Describe(WithAround("负责人出庭应诉率\t", "2021年", "", "")), "2021-1..2021-12");
  EXPECT_EQ(Describe(WithAround("负责人出庭应诉率\t", "2022", "", "")), "2022-1..2022-12");
  EXPECT_EQ(Describe(WithAround("收到申请\t", "1—9月累计（件）", "", "")), "2023-1..2023-9");
  EXPECT_EQ(Describe(WithAround("收到申请\t", "第三季度（件）", "", "")), "2023-7..2023-9");
  // The column beats the sentence; the sentence beats the heading, which
  // beats the title.
  EXPECT_EQ(Describe(WithAround("1—10月，受理", "2022年", "", "")), "2022-1..2022-12");
  EXPECT_EQ(Describe(WithAround("1—10月，受理", "", "2022年工作回顾", "")), "2023-1..2023-10");
  EXPECT_EQ(Describe(WithAround("受理", "", "2022年工作回顾", "1—10月工作")), "2022-1..2022-12");
  EXPECT_EQ(Describe(WithAround("受理", "", "", "1—10月全区公共法律服务工作稳步推进")),
            "2023-1..2023-10");
  EXPECT_EQ(Describe(WithAround("受理", "指标", "", "")), "2023-1..2023-12");
  EXPECT_EQ(Describe(WithAround("收到申请\t", "受理（件）", "", "2022年统计")), "2022-1..2022-12");
  // A table cell's period is its column's: unknown when its header is.
  EXPECT_EQ(Describe(WithAround("负责人出庭应诉率\t", "", "", "")),
            "2023-1..2023-12 (a table cell whose column header (its period) is not known)");
}

}  // namespace
}  // namespace fazhi::report
