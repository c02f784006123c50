#ifndef FAZHI_SERVICES_REPORT_FIGURE_PERIOD_H_
#define FAZHI_SERVICES_REPORT_FIGURE_PERIOD_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fazhi/type/period.pb.h"

namespace fazhi::report {

// The periods a text states as spans across two calendar years
// ("2022年8月至2023年7月", "2022年8月1日至2023年7月31日"): what a statistical
// year named only as 统计年度 or 2022—2023年度 covers. At most 12 months each;
// in the order stated, repeats removed.
std::vector<fazhi::type::Period> StatedCrossYearPeriods(const std::u32string& text);

// Where the last period phrase of `text` stands ("第三季度" in "第三季度（件）",
// "1—9月" in "1—9月累计（件）"): [first, second), or nullopt when it names none.
// A table header naming a period says when, not which part, a figure counts.
std::optional<std::pair<size_t, size_t>> LastPeriodPhrase(const std::u32string& text);

// What the text around a figure says about the period it covers. Every field
// but `report_year` may be empty.
struct FigurePeriodContext {
  // From the last clause break before the figure up to it: a year written
  // there ("2022年全年…受理案件3,205件") is the figure's.
  std::u32string clause_before;
  // From the start of the figure's sentence (across ；, which joins clauses
  // of one sentence) up to the figure: the period phrase nearest the figure
  // (1—10月, 第三季度, 截至11月底, 统计年度 …) is the figure's.
  std::u32string sentence_before;
  // The header cell of the figure's table column ("2022年", "第三季度（件）").
  std::u32string column_header;
  // The nearest heading above the figure, and the report's title: read only
  // when neither the column nor the sentence states a period.
  std::u32string heading;
  std::u32string title;
  // The report's year: the period when nothing else states one.
  int report_year = 0;
  // StatedCrossYearPeriods of the whole text.
  std::vector<fazhi::type::Period> stated_cross_year_periods;
};

struct FigurePeriod {
  // start_month and end_month always set (1..12); end_year set only when the
  // period crosses into the next year.
  fazhi::type::Period period;
  // Why the period is not certain ("the period ends mid-month (11月15日)"),
  // or empty. A figure with a problem is a candidate only.
  std::string problem;
};

// The period a figure covers, exactly as its context states it: the column
// header's, else the nearest period phrase in its sentence (its own year, or
// the clause's, or the report's), else a year written in its clause, else a
// year written earlier in its sentence, else the heading's or the title's,
// else the report's whole year.
FigurePeriod ReadFigurePeriod(const FigurePeriodContext& context);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_FIGURE_PERIOD_H_
