#include "services/report/figure_period.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/report/text_lines.h"

namespace fazhi::report {
namespace {

using Chars = std::u32string;
using fazhi::type::Period;

using lines::IsDigit;

int DigitValue(char32_t c) {
  return c >= U'０' ? static_cast<int>(c - U'０') : static_cast<int>(c - U'0');
}

bool At(const Chars& s, size_t pos, const Chars& word) {
  return s.compare(pos, word.size(), word) == 0;
}

// Reads ASCII or full-width digits at `pos` (at most 4); -1 if none.
int ReadNumber(const Chars& s, size_t* pos) {
  int value = -1;
  size_t n = 0;
  while (*pos < s.size() && IsDigit(s[*pos]) && n < 4) {
    value = (value < 0 ? 0 : value * 10) + DigitValue(s[*pos]);
    ++*pos;
    ++n;
  }
  if (*pos < s.size() && IsDigit(s[*pos])) return -1;  // longer than 4 digits
  return value;
}

// A one-digit Chinese or Arabic numeral (一二两三四, 1..4) at `pos`; -1 if none.
int ReadSmallNumeral(const Chars& s, size_t* pos) {
  if (*pos >= s.size()) return -1;
  static constexpr std::pair<char32_t, int> kNumerals[] = {
      {U'一', 1}, {U'二', 2}, {U'两', 2}, {U'三', 3}, {U'四', 4}, {U'1', 1}, {U'2', 2},
      {U'3', 3},  {U'4', 4},  {U'１', 1}, {U'２', 2}, {U'３', 3}, {U'４', 4}};
  for (const auto& [c, v] : kNumerals) {
    if (s[*pos] == c) {
      ++*pos;
      return v;
    }
  }
  return -1;
}

bool IsYear(int y) { return y >= 1949 && y <= 2100; }

// The words joining the two ends of a span: 1—10月, 1-10月, 8月至7月.
bool SkipRangeJoin(const Chars& s, size_t* pos) {
  const size_t start = *pos;
  while (*pos < s.size()) {
    const char32_t c = s[*pos];
    if (c == U'—' || c == U'–' || c == U'―' || c == U'-' || c == U'－' || c == U'~' || c == U'～' ||
        c == U'至' || c == U'到') {
      ++*pos;
    } else {
      break;
    }
  }
  return *pos > start && *pos - start <= 2;
}

// "YYYY年" at `pos`, or 0 (pos unchanged).
int ReadYear(const Chars& s, size_t* pos) {
  size_t p = *pos;
  const int y = ReadNumber(s, &p);
  if (!IsYear(y) || p >= s.size() || s[p] != U'年') return 0;
  *pos = p + 1;
  return y;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// One end of a span: [YYYY年]M月[份][D日|号][底|末].
struct MonthPoint {
  int year = 0;  // 0: not written
  int month = 0;
  int day = 0;             // 0: not written
  bool month_end = false;  // 底 / 末
};

// Reads a month point; `month_word_optional` lets "1" stand for "1月" (the
// start of "1—10月"). Returns nullopt (pos unchanged) if none.
std::optional<MonthPoint> ReadMonthPoint(const Chars& s, size_t* pos, bool month_word_optional) {
  size_t p = *pos;
  MonthPoint point;
  point.year = ReadYear(s, &p);
  const int month = ReadNumber(s, &p);
  if (month < 1 || month > 12) return std::nullopt;
  point.month = month;
  if (p < s.size() && s[p] == U'月') {
    ++p;
    if (p < s.size() && s[p] == U'份') ++p;
    if (p < s.size() && (s[p] == U'底' || s[p] == U'末')) {
      point.month_end = true;
      ++p;
    } else {
      size_t d = p;
      const int day = ReadNumber(s, &d);
      if (day >= 1 && day <= 31 && d < s.size() && (s[d] == U'日' || s[d] == U'号')) {
        point.day = day;
        p = d + 1;
      }
    }
  } else if (!month_word_optional) {
    return std::nullopt;
  }
  *pos = p;
  return point;
}

// A period phrase found in a text, [begin, end).
struct Marker {
  size_t begin = 0, end = 0;
  int year = 0;  // 0: not written; the figure's year applies
  int start_month = 1, end_month = 12;
  int end_year = 0;  // set only for a span across two years
  std::string problem;
};

Marker WholeYear(int year) {
  Marker m;
  m.year = year;
  return m;
}

// A span from `from` to `to`: within one year, or across into the next.
std::optional<Marker> SpanMarker(const MonthPoint& from, const MonthPoint& to, int default_year) {
  Marker m;
  m.year = from.year;
  const int start_year = from.year != 0 ? from.year : default_year;
  const int end_year = to.year != 0 ? to.year : start_year;
  if (end_year != start_year && end_year != start_year + 1) return std::nullopt;
  if (end_year == start_year && to.month < from.month) return std::nullopt;
  if (end_year != start_year) {
    if (from.year == 0 || to.month >= from.month) return std::nullopt;  // over 12 months
    m.end_year = end_year;
  }
  m.start_month = from.month;
  m.end_month = to.month;
  if (from.month_end || (from.day > 1)) {
    m.problem = absl::StrCat("the period starts mid-month (", from.month, "月",
                             from.day != 0 ? absl::StrCat(from.day, "日") : "底", ")");
  } else if (to.day != 0 && to.day != DaysInMonth(end_year, to.month)) {
    m.problem = absl::StrCat("the period ends mid-month (", to.month, "月", to.day, "日)");
  }
  return m;
}

// The period the page gives a statistical year from `year` to `year` + 1;
// nullopt with `problem` set when the page does not say which months.
std::optional<Marker> StatisticalYear(const std::vector<Period>& stated, int year,
                                      std::string* problem) {
  std::optional<Marker> found;
  for (const auto& p : stated) {
    if (year != 0 && p.year() != year) continue;
    if (found.has_value()) {
      *problem = "the page states more than one statistical year";
      return std::nullopt;
    }
    Marker m;
    m.year = p.year();
    m.start_month = p.start_month();
    m.end_year = p.end_year();
    m.end_month = p.end_month();
    found = m;
  }
  if (!found.has_value()) *problem = "a statistical year whose months the page does not state";
  return found;
}

// What "截至…" at `pos` (just after the word) says: months 1..N of a year.
Marker ReadUntil(const Chars& s, size_t pos, int default_year) {
  Marker m;
  if (At(s, pos, U"目前") || At(s, pos, U"当前") || At(s, pos, U"现在")) {
    m.problem = "the period ends on an unstated date (截至目前)";
    m.end = pos + 2;
    return m;
  }
  // 截至年底, 截至2023年底: the whole year.
  size_t p = pos;
  if (At(s, p, U"年底") || At(s, p, U"年末")) {
    m.end = p + 2;
    return m;
  }
  const int year = ReadYear(s, &p);
  if (year != 0 && p < s.size() && (s[p] == U'底' || s[p] == U'末')) {
    m.year = year;
    m.end = p + 1;
    return m;
  }
  p = pos;
  const std::optional<MonthPoint> point = ReadMonthPoint(s, &p, false);
  m.end = p;
  if (!point.has_value()) {
    m.end = pos;  // no date: no period phrase
    return m;
  }
  m.year = point->year;
  m.end_month = point->month;
  const int y = point->year != 0 ? point->year : default_year;
  if (point->day != 0 && point->day != DaysInMonth(y, point->month)) {
    m.problem = absl::StrCat("the period ends mid-month (", point->month, "月", point->day, "日)");
  } else if (point->day == 0 && !point->month_end) {
    m.problem = absl::StrCat("the period ends on an unstated day of ", point->month, "月");
  }
  return m;
}

bool IsClauseBreakBefore(const Chars& s, size_t pos) {
  if (pos == 0) return true;
  const char32_t c = s[pos - 1];
  return c == U'，' || c == U',' || c == U'。' || c == U'；' || c == U';' || c == U'：' ||
         c == U':' || c == U'\n' || c == U' ' || c == U'\t';
}

// The period phrase starting at `pos`, if any. Its `year` is 0 when the
// phrase does not write one.
std::optional<Marker> MarkerAt(const Chars& s, size_t pos, int default_year,
                               const std::vector<Period>& stated) {
  const size_t begin = pos;
  auto done = [&](Marker m, size_t end) {
    m.begin = begin;
    m.end = end;
    return std::optional<Marker>(std::move(m));
  };
  if (IsDigit(s[pos])) {
    if (pos > 0 && IsDigit(s[pos - 1])) return std::nullopt;
    // 2022—2023年度: a statistical year, if the page says which months.
    size_t p = pos;
    const int first = ReadNumber(s, &p);
    if (IsYear(first) && SkipRangeJoin(s, &p)) {
      const int second = ReadNumber(s, &p);
      if (second == first + 1 && At(s, p, U"年度")) {
        std::string problem;
        std::optional<Marker> m = StatisticalYear(stated, first, &problem);
        if (!m.has_value()) {
          m = Marker{};
          m->problem = problem;
        }
        return done(*m, p + 2);
      }
    }
    // Spans: 1—10月, 2023年1-10月, 2022年8月至2023年7月, 7月1日至9月30日.
    p = pos;
    const std::optional<MonthPoint> from = ReadMonthPoint(s, &p, true);
    if (from.has_value()) {
      size_t q = p;
      if (SkipRangeJoin(s, &q)) {
        const std::optional<MonthPoint> to = ReadMonthPoint(s, &q, false);
        if (to.has_value()) {
          const std::optional<Marker> m = SpanMarker(*from, *to, default_year);
          if (m.has_value()) return done(*m, q);
        }
      }
    }
    // YYYY年 before a phrase of its own year: 2023年第三季度, 2023年1—10月.
    p = pos;
    const int year = ReadYear(s, &p);
    if (year == 0 || p >= s.size()) return std::nullopt;
    if (At(s, p, U"度")) ++p;
    std::optional<Marker> inner = MarkerAt(s, p, year, stated);
    if (!inner.has_value() || inner->begin != p || inner->year != 0 || inner->end_year != 0) {
      return std::nullopt;
    }
    inner->year = year;
    return done(*inner, inner->end);
  }
  // 前三季度; 第三季度, 三季度; 上半年, 下半年.
  size_t p = pos;
  const bool leading = At(s, p, U"前");
  if (leading || At(s, p, U"第")) ++p;
  const int quarter = ReadSmallNumeral(s, &p);
  if (quarter >= 1 && At(s, p, U"季度")) {
    Marker m;
    m.start_month = leading ? 1 : quarter * 3 - 2;
    m.end_month = quarter * 3;
    return done(m, p + 2);
  }
  if (At(s, pos, U"上半年") || At(s, pos, U"下半年")) {
    Marker m;
    m.start_month = s[pos] == U'上' ? 1 : 7;
    m.end_month = s[pos] == U'上' ? 6 : 12;
    return done(m, pos + 3);
  }
  if (At(s, pos, U"统计年度")) {
    std::string problem;
    std::optional<Marker> m = StatisticalYear(stated, 0, &problem);
    if (!m.has_value()) {
      m = Marker{};
      m->problem = problem;
    }
    return done(*m, pos + 4);
  }
  static const Chars kUntil[] = {U"截止到", U"截至", U"截止"};
  for (const auto& until : kUntil) {
    if (!At(s, pos, until)) continue;
    Marker m = ReadUntil(s, pos + until.size(), default_year);
    if (m.end == pos + until.size()) return std::nullopt;
    return done(m, m.end);
  }
  // 同期 opening a clause refers to a period stated before this sentence;
  // 去年同期 and 比同期 compare with one.
  if (At(s, pos, U"同期") && IsClauseBreakBefore(s, pos)) {
    Marker m;
    m.problem = "the period is the one an earlier sentence states (同期)";
    return done(m, pos + 2);
  }
  return std::nullopt;
}

// The last period phrase in `s`, if any.
std::optional<Marker> LastMarkerIn(const Chars& s, int default_year,
                                   const std::vector<Period>& stated) {
  std::optional<Marker> last;
  for (size_t i = 0; i < s.size();) {
    std::optional<Marker> m = MarkerAt(s, i, default_year, stated);
    if (m.has_value()) {
      i = m->end;
      last = std::move(m);
    } else {
      ++i;
    }
  }
  return last;
}

// The last "YYYY年" in `s`, or 0.
int LastYearIn(const Chars& s) {
  int year = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && IsDigit(s[i - 1])) continue;
    size_t p = i;
    const int y = ReadYear(s, &p);
    if (y != 0) year = y;
  }
  return year;
}

// The year "YYYY年" that opens the last clause of `s` to open with one
// (clauses start at the text's start and after ，,：:), unless that clause
// compares with it (相比, 比); 0 if none.
int YearOpeningAClause(const Chars& s) {
  static const Chars kCompared[] = {U"相比", U"比"};
  int year = 0;
  for (size_t start = 0; start < s.size(); ++start) {
    if (start > 0 && !(s[start - 1] == U'，' || s[start - 1] == U',' || s[start - 1] == U'：' ||
                       s[start - 1] == U':')) {
      continue;
    }
    size_t p = start;
    const int y = ReadYear(s, &p);
    if (y == 0) continue;
    size_t end = p;
    while (end < s.size() && s[end] != U'，' && s[end] != U',') ++end;
    const Chars clause = s.substr(start, end - start);
    const bool compared =
        std::any_of(std::begin(kCompared), std::end(kCompared),
                    [&](const Chars& w) { return clause.find(w) != Chars::npos; });
    if (!compared) year = y;
  }
  return year;
}

// A column header that is a year alone: "2022年", "2022年度", "2022".
int HeaderYear(const Chars& header) {
  size_t p = 0;
  while (p < header.size() && (header[p] == U' ' || header[p] == U'\u3000')) ++p;
  const int y = ReadNumber(header, &p);
  return IsYear(y) ? y : LastYearIn(header);
}

FigurePeriod ToFigurePeriod(const Marker& m, int year) {
  FigurePeriod out;
  out.period.set_year(m.year != 0 ? m.year : year);
  out.period.set_start_month(m.start_month);
  out.period.set_end_month(m.end_month);
  if (m.end_year != 0) out.period.set_end_year(m.end_year);
  out.problem = m.problem;
  return out;
}

}  // namespace

std::vector<Period> StatedCrossYearPeriods(const std::u32string& text) {
  std::vector<Period> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i]) || (i > 0 && IsDigit(text[i - 1]))) continue;
    size_t p = i;
    const std::optional<MonthPoint> from = ReadMonthPoint(text, &p, false);
    if (!from.has_value() || from->year == 0 || !SkipRangeJoin(text, &p)) continue;
    const std::optional<MonthPoint> to = ReadMonthPoint(text, &p, false);
    if (!to.has_value() || to->year != from->year + 1) continue;
    const std::optional<Marker> m = SpanMarker(*from, *to, 0);
    if (!m.has_value() || !m->problem.empty()) continue;
    Period period;
    period.set_year(m->year);
    period.set_start_month(m->start_month);
    period.set_end_year(m->end_year);
    period.set_end_month(m->end_month);
    bool repeat = false;
    for (const auto& seen : out) {
      repeat =
          repeat || (seen.year() == period.year() && seen.start_month() == period.start_month() &&
                     seen.end_month() == period.end_month());
    }
    if (!repeat) out.push_back(std::move(period));
  }
  return out;
}

std::optional<std::pair<size_t, size_t>> LastPeriodPhrase(const std::u32string& text) {
  const std::optional<Marker> m = LastMarkerIn(text, 0, {});
  if (!m.has_value()) return std::nullopt;
  return std::make_pair(m->begin, m->end);
}

FigurePeriod ReadFigurePeriod(const FigurePeriodContext& context) {
  const auto& stated = context.stated_cross_year_periods;
  const int clause_year = LastYearIn(context.clause_before);
  const int year = clause_year != 0 ? clause_year : context.report_year;

  // A table cell's column says its period before anything around the table;
  // a cell (its line's cells are joined by tabs) whose column header is not
  // known may be any year's.
  const bool table_cell = context.sentence_before.find(U'\t') != Chars::npos;
  if (table_cell && context.column_header.empty()) {
    FigurePeriod out = ToFigurePeriod(WholeYear(year), year);
    out.problem = "a table cell whose column header (its period) is not known";
    return out;
  }
  if (!context.column_header.empty()) {
    const std::optional<Marker> m = LastMarkerIn(context.column_header, year, stated);
    if (m.has_value()) return ToFigurePeriod(*m, year);
    const int header_year = HeaderYear(context.column_header);
    if (header_year != 0) return ToFigurePeriod(WholeYear(header_year), year);
  }
  if (const std::optional<Marker> m = LastMarkerIn(context.sentence_before, year, stated)) {
    return ToFigurePeriod(*m, year);
  }
  if (clause_year != 0) return ToFigurePeriod(WholeYear(clause_year), year);
  // A year opening a clause of the sentence covers the clauses after it
  // ("2022年全区…收到申请688件，审结651件"), before anything the heading or
  // title says; a year compared with ("与2022年相比") does not.
  const int sentence_year = YearOpeningAClause(context.sentence_before);
  if (sentence_year != 0) return ToFigurePeriod(WholeYear(sentence_year), year);
  for (const Chars* around : {&context.heading, &context.title}) {
    if (const std::optional<Marker> m = LastMarkerIn(*around, year, stated)) {
      return ToFigurePeriod(*m, year);
    }
    const int around_year = LastYearIn(*around);
    if (around_year != 0) return ToFigurePeriod(WholeYear(around_year), year);
  }
  return ToFigurePeriod(WholeYear(context.report_year), year);
}

}  // namespace fazhi::report
