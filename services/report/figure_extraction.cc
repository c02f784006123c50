#include "services/report/figure_extraction.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/text/chinese_quantity.h"
#include "common/text/quantity_proto.h"
#include "common/text/utf8.h"
#include "services/report/figure_period.h"
#include "services/report/text_lines.h"

namespace fazhi::report {
namespace {

using lines::IsDigit;

using Chars = std::u32string;

using lines::Decode;

std::vector<std::u32string> DecodeAll(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<std::u32string> out;
  for (const auto& s : in) {
    if (!s.empty()) out.push_back(Decode(s));
  }
  return out;
}

// Sentence breaks end a sentence; clause breaks also end a clause.
// A tab separates table cells: no sentence spans two.
bool IsSentenceBreak(char32_t c) {
  return c == U'\t' || c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U';' ||
         c == U'!' || c == U'?' || c == U'\n' || c == U'\r';
}
bool IsClauseBreak(char32_t c) {
  return IsSentenceBreak(c) || c == U'，' || c == U',' || c == U'：' || c == U':';
}

bool Contains(const Chars& haystack, const std::u32string& needle) {
  return haystack.find(needle) != Chars::npos;
}

bool ContainsAll(const Chars& haystack, const std::vector<std::u32string>& needles) {
  for (const auto& n : needles) {
    if (!Contains(haystack, n)) return false;
  }
  return true;
}

bool ContainsAny(const Chars& haystack, const std::vector<std::u32string>& needles) {
  for (const auto& n : needles) {
    if (Contains(haystack, n)) return true;
  }
  return false;
}

bool IsBound(fazhi::type::Qualifier q) {
  return q != fazhi::type::QUALIFIER_EXACT && q != fazhi::type::QUALIFIER_UNSPECIFIED;
}

// A figure's own contexts (see FigurePattern).
struct OwnContext {
  Chars before;   // own before-context
  Chars subject;  // what it measures: own, a partner's, or carried on
  Chars verbs;    // where its verb may stand
  Chars after;
  size_t before_begin = 0;
  size_t sentence_begin = 0, sentence_end = 0;
  // From the end of the figure before it, or the sentence's start if later:
  // where the figure's own words stand.
  size_t stretch_begin = 0;
};

}  // namespace

absl::Status ValidateFigureRules(const fazhi::rules::v1::ReportRules& rules) {
  errors::FieldViolations violations;
  for (int i = 0; i < rules.figures_size(); ++i) {
    const auto& p = rules.figures(i);
    const std::string where = absl::StrCat("report.figures[", i, "]");
    const std::string which =
        absl::StrCat(" in the rules file (indicator \"", p.indicator(), "\")");
    if (p.indicator().empty())
      violations.Add(where + ".indicator", "is required in the rules file");
    if (p.measure_words().empty()) violations.Add(where + ".measure_words", "is required" + which);
    if (p.subject_all_of().empty() && p.verb_any_of().empty() && p.after_all_of().empty() &&
        p.sentence_all_of().empty()) {
      violations.Add(where, "needs a phrase to match besides the measure word" + which);
    }
  }
  for (int i = 0; i < rules.continuation_phrases_size(); ++i) {
    if (rules.continuation_phrases(i).empty()) {
      violations.Add(absl::StrCat("report.continuation_phrases[", i, "]"),
                     "is empty in the rules file");
    }
  }
  return violations.empty() ? absl::OkStatus() : violations.ToStatus();
}

FigureRules::FigureRules(const fazhi::rules::v1::ReportRules& rules) {
  for (const auto& p : rules.figures()) {
    Pattern pattern;
    pattern.indicator = p.indicator();
    pattern.subject_all_of = DecodeAll(p.subject_all_of());
    pattern.verb_any_of = DecodeAll(p.verb_any_of());
    pattern.after_all_of = DecodeAll(p.after_all_of());
    pattern.sentence_all_of = DecodeAll(p.sentence_all_of());
    pattern.sentence_none_of = DecodeAll(p.sentence_none_of());
    pattern.measure_words.assign(p.measure_words().begin(), p.measure_words().end());
    pattern.accept_bounds = p.accept_bounds();
    pattern.candidate_only = p.candidate_only();
    patterns_.push_back(std::move(pattern));
  }
  continuations_ = DecodeAll(rules.continuation_phrases());
}

namespace {

// How far a figure's sentence reaches on either side of it, in characters.
// The longest sentences of real reports run to a few hundred characters.
constexpr size_t kMaxSentenceReach = 300;
// A clause of at most this many characters before its figure is its verb
// alone ("审结", "受理纠纷"): its subject is the sentence's.
constexpr size_t kMaxBareClause = 4;
// Context pieces are recorded with at most this many characters.
constexpr size_t kMaxContextChars = 200;
// The title is looked for only this far into the text (it stands at the top).
constexpr size_t kTitleSearchReach = 4096;
// Columns of a table followed for its headers; wider tables are read up to
// here (a hostile colspan must not make every row cost the text).
constexpr size_t kMaxTableColumns = 64;

// The last `n` characters of `text`.
Chars LastChars(Chars text, size_t n) {
  if (text.size() > n) text.erase(0, text.size() - n);
  return text;
}

struct Span {
  size_t begin = 0, end = 0;
  bool empty() const { return begin >= end; }
};

Span Trimmed(const Chars& chars, Span span) {
  auto blank = [](char32_t c) { return c == U' ' || c == U'\u3000' || c == U'\t' || c == U'\r'; };
  while (span.begin < span.end && blank(chars[span.begin])) ++span.begin;
  while (span.end > span.begin && blank(chars[span.end - 1])) --span.end;
  return span;
}

Chars TextOf(const Chars& chars, Span span) {
  return span.empty() ? Chars() : chars.substr(span.begin, span.end - span.begin);
}

// A cell holding only a number (a serial number, a figure), or a figure with
// its measure word ("402件" in an earlier column of the row): never a header.
// A year, month or day ("2020年", "3月") is a header: the period of the row.
bool IsBareNumber(const Chars& cell) {
  size_t k = 0;
  while (k < cell.size() && (IsDigit(cell[k]) || cell[k] == U',' || cell[k] == U'.' ||
                             cell[k] == U'%' || cell[k] == U' ')) {
    ++k;
  }
  if (k == cell.size()) return true;
  if (k == 0 || cell.size() - k > 2) return false;
  static const std::u32string kPeriodWords = U"年月日季度期号";
  for (size_t t = k; t < cell.size(); ++t) {
    if (IsDigit(cell[t]) || kPeriodWords.find(cell[t]) != std::u32string::npos) return false;
  }
  return true;
}

// The header cells of a figure standing in a table cell.
struct CellHeaders {
  bool in_table = false;
  // Left to right: a group ("行政复议", spanning rows) before its item
  // ("收案数"); serial numbers are no headers.
  std::vector<Span> row_headers;
  // Top to bottom.
  std::vector<Span> column_headers;
  // The table's caption, or the sentence leading into it ("…情况见下表"):
  // what the whole table is about. `caption_span` is empty when the caption
  // is not in the text.
  Chars caption;
  Span caption_span;
};

// What a table is about: its caption (found in the text just above the
// table when it is there), else the sentence just above that points to it
// ("全区行政复议案件情况见下表。").
void ReadCaption(const Chars& chars, const v1::ReportTable& table, CellHeaders* headers) {
  const size_t table_begin = table.begin();
  const size_t floor = table_begin > kMaxSentenceReach ? table_begin - kMaxSentenceReach : 0;
  headers->caption = Decode(table.caption());
  if (!headers->caption.empty()) {
    const size_t at = chars.substr(floor, table_begin - floor).rfind(headers->caption);
    if (at != Chars::npos) {
      headers->caption_span = Span{floor + at, floor + at + headers->caption.size()};
    }
    return;
  }
  size_t end = table_begin;
  while (end > floor && (chars[end - 1] == U'\n' || chars[end - 1] == U'\r')) --end;
  size_t begin = end;
  if (begin > floor && IsSentenceBreak(chars[begin - 1])) --begin;
  while (begin > floor && !IsSentenceBreak(chars[begin - 1])) --begin;
  const Span lead_in = Trimmed(chars, Span{begin, end});
  const Chars sentence = TextOf(chars, lead_in);
  if (Contains(sentence, U"下表") || Contains(sentence, U"如下表")) {
    headers->caption = sentence;
    headers->caption_span = lead_in;
  }
}

// Calls `visit(cell, headers)` for every data cell of the report's tables,
// in text order, with the cell's span and headers. A table's rows are its
// lines from `begin`, cells split by tabs; a row whose cells do not match its
// line ends the reading of that table. Linear in the tables' text (each row
// also costs at most kMaxTableColumns).
template <typename Visit>
void ForEachDataCell(const Chars& chars, const v1::Report& report, Visit visit) {
  for (const v1::ReportTable& table : report.tables()) {
    if (table.begin() < 0 || table.end() < table.begin() ||
        static_cast<size_t>(table.end()) > chars.size()) {
      continue;
    }
    const size_t table_end = table.end();
    struct Occupant {
      int rows_left = 0;
      Span cell;
    };
    std::vector<Occupant> columns(kMaxTableColumns);
    std::vector<std::vector<Span>> column_headers(kMaxTableColumns);
    CellHeaders table_headers;
    table_headers.in_table = true;
    ReadCaption(chars, table, &table_headers);
    size_t line_begin = table.begin();
    for (int r = 0; r < table.rows_size() && line_begin <= table_end; ++r) {
      const v1::TableRow& row = table.rows(r);
      size_t line_end = line_begin;
      while (line_end < chars.size() && chars[line_end] != U'\n') ++line_end;
      std::vector<Span> segments;
      for (size_t b = line_begin, k = line_begin;; ++k) {
        if (k == line_end || chars[k] == U'\t') {
          segments.push_back(Trimmed(chars, Span{b, k}));
          b = k + 1;
          if (k == line_end) break;
        }
      }
      if (segments.size() != static_cast<size_t>(row.cells_size())) break;
      std::vector<size_t> column_of(segments.size(), kMaxTableColumns);
      size_t column = 0;
      for (size_t k = 0; k < segments.size(); ++k) {
        while (column < kMaxTableColumns && columns[column].rows_left > 0) ++column;
        if (column >= kMaxTableColumns) break;
        const auto& cell = row.cells(static_cast<int>(k));
        const size_t span = std::clamp<size_t>(cell.col_span() < 1 ? 1 : cell.col_span(), 1,
                                               kMaxTableColumns - column);
        const int rows = std::max(1, cell.row_span());
        column_of[k] = column;
        for (size_t c = column; c < column + span; ++c) {
          columns[c] = {rows, segments[k]};
          if (r < table.header_rows() && column_headers[c].size() < 4) {
            column_headers[c].push_back(segments[k]);
          }
        }
        column += span;
      }
      for (size_t k = 0; r >= table.header_rows() && k < segments.size(); ++k) {
        if (column_of[k] >= kMaxTableColumns || segments[k].empty()) continue;
        CellHeaders headers = table_headers;
        for (size_t c = 0; c < column_of[k]; ++c) {
          const Span cell = columns[c].cell;
          const bool repeated = c > 0 && columns[c - 1].cell.begin == cell.begin;
          if (!cell.empty() && !repeated && !IsBareNumber(TextOf(chars, cell))) {
            headers.row_headers.push_back(cell);
          }
        }
        headers.column_headers = column_headers[column_of[k]];
        visit(segments[k], headers);
      }
      for (auto& occupant : columns) {
        if (occupant.rows_left > 0) --occupant.rows_left;
      }
      line_begin = line_end + 1;
    }
  }
}

// A data cell that is a number alone ("702" under "2021年", beside
// "行政复议收案（件）"): a quantity its headers give meaning to. Cells with
// no header, and serial numbers (a 序号 column), are none.
bool IsBareCellQuantity(const Chars& chars, const CellHeaders& headers) {
  if (headers.row_headers.empty() && headers.column_headers.empty()) return false;
  for (const Span& h : headers.column_headers) {
    const Chars header = TextOf(chars, h);
    if (Contains(header, U"序号") || Contains(header, U"编号")) return false;
  }
  return true;
}

// The measure word a table's header gives its bare cells: the last
// parenthesised word of a header ("受理（件）"), or the caption's "单位：件".
std::string HeaderMeasureWord(const Chars& header) {
  const size_t close = header.find_last_of(U"）)");
  if (close == Chars::npos || close == 0) return "";
  const size_t open = header.find_last_of(U"（(", close - 1);
  if (open == Chars::npos || close - open < 2 || close - open > 4) return "";
  Chars word = header.substr(open + 1, close - open - 1);
  static const std::u32string kUnit = U"单位：";
  if (word.compare(0, kUnit.size(), kUnit) == 0) word.erase(0, kUnit.size());
  for (char32_t c : word) {
    if (IsDigit(c)) return "";
  }
  return text::EncodeUtf8(word);
}

std::string CaptionMeasureWord(const Chars& caption) {
  static const std::u32string kUnits[] = {U"单位：", U"单位:"};
  for (const auto& unit : kUnits) {
    const size_t at = caption.find(unit);
    if (at == Chars::npos) continue;
    size_t end = at + unit.size();
    while (end < caption.size() && end - at - unit.size() < 3 && !IsClauseBreak(caption[end]) &&
           caption[end] != U'）' && caption[end] != U')' && caption[end] != U' ') {
      ++end;
    }
    return text::EncodeUtf8(caption.substr(at + unit.size(), end - at - unit.size()));
  }
  return "";
}

// A header that does not narrow a figure to a part: a year alone
// ("2022年", "2023年度"), the whole ("合计", "全区"), or a generic column
// name ("数量", "件数"), with or without its unit ("（件）").
bool IsNeutralHeader(Chars header) {
  const size_t open = header.find_first_of(U"（(");
  if (open != Chars::npos) header.erase(open);
  static const std::u32string kNeutral[] = {U"合计", U"总计", U"总数", U"共计", U"全区", U"全县",
                                            U"本区", U"全年", U"本年", U"年度", U"数量", U"件数",
                                            U"数值", U"数据", U"指标", U"类别", U"事项", U"项目",
                                            U"情况", U"类型", U"内容", U"累计", U"年",   U"数"};
  size_t k = 0;
  while (k < header.size()) {
    if (header[k] == U' ' || header[k] == U'\u3000' || header[k] == U'：' || header[k] == U':') {
      ++k;
      continue;
    }
    if (IsDigit(header[k])) {
      ++k;
      continue;
    }
    bool known = false;
    for (const auto& word : kNeutral) {
      if (header.compare(k, word.size(), word) == 0) {
        k += word.size();
        known = true;
        break;
      }
    }
    if (!known) return false;
  }
  return true;
}

// Whether a phrase of the pattern occurs in `header`.
bool PatternNames(const FigureRules::Pattern& p, const Chars& header) {
  return ContainsAny(header, p.subject_all_of) || ContainsAny(header, p.verb_any_of) ||
         ContainsAny(header, p.sentence_all_of) || ContainsAny(header, p.after_all_of);
}

// The headers of one direction of a table (a cell's row headers, or its
// column headers) either name the indicator — then together they are the
// indicator, a group heading included ("行政应诉 | 负责人出庭应诉率") — or,
// when the indicator comes from elsewhere, must each be neutral (a year, the
// whole, a generic name): any other header ("夏阳街道", "第三季度") narrows
// the figure to a part. The reason, or empty.
std::string NarrowingHeader(const Chars& chars, const FigureRules::Pattern& p,
                            const std::vector<Span>& headers) {
  for (const Span& h : headers) {
    if (PatternNames(p, TextOf(chars, h))) return "";
  }
  for (const Span& h : headers) {
    const Chars header = TextOf(chars, h);
    // The period a header names is read as the figure's period.
    Chars beside_period = header;
    if (const auto period = LastPeriodPhrase(header)) {
      beside_period.erase(period->first, period->second - period->first);
    }
    if (!IsNeutralHeader(beside_period)) {
      return absl::StrCat("the table header \"", text::EncodeUtf8(header),
                          "\" narrows it to a part of the whole");
    }
  }
  return "";
}

// The level of the unit a report speaks for, read from its title: the
// figures of wider areas (全市 in a district's report) are quoted, not its
// own. Unknown titles count as a district's.
enum class Level { kTown, kDistrict, kCity, kProvince };

Level LevelOf(const Chars& title) {
  if (Contains(title, U"镇") || Contains(title, U"街道") || Contains(title, U"乡")) {
    return Level::kTown;
  }
  if (Contains(title, U"区") || Contains(title, U"县")) return Level::kDistrict;
  if (Contains(title, U"市")) return Level::kCity;
  if (Contains(title, U"省")) return Level::kProvince;
  return Level::kDistrict;
}

std::vector<std::u32string> WiderAreas(Level level) {
  std::vector<std::u32string> out = {U"全国"};
  if (level <= Level::kCity) out.insert(out.end(), {U"全省", U"省级", U"全国各地"});
  if (level <= Level::kDistrict) out.insert(out.end(), {U"全市", U"市级"});
  if (level <= Level::kTown) out.insert(out.end(), {U"全区", U"区级", U"全县", U"县级"});
  return out;
}

// A change rather than a value: "同比上升11.4%", "比上年增加640件".
bool StatesChange(const Chars& before) {
  static const std::vector<std::u32string> kCompared = {
      U"同比",     U"环比",     U"比上年", U"较上年", U"比去年",   U"较去年",  U"上年同期",
      U"去年同期", U"同期相比", U"相比增", U"相比减", U"相比下降", U"相比上升"};
  if (ContainsAny(before, kCompared)) return true;
  Chars tail = before;
  while (!tail.empty() && (tail.back() == U' ' || tail.back() == U'了')) tail.pop_back();
  static const std::u32string kChanges[] = {U"增加", U"增长", U"上升", U"下降", U"减少", U"提高",
                                            U"降低", U"提升", U"回落", U"增幅", U"降幅"};
  for (const auto& change : kChanges) {
    if (tail.size() >= change.size() &&
        tail.compare(tail.size() - change.size(), change.size(), change) == 0) {
      return true;
    }
  }
  return false;
}

// Several things counted together: a total (共, 合计, 总计) right after a
// list — "审核重大行政决策、合同协议…等共计58件", "合同和决策共12件" — not
// one indicator's count. A list that only qualifies what is counted
// ("涵盖经济、社会、城建所有领域共计20件重大决策") is no such total.
bool CountsSeveralTogether(const Chars& stretch) {
  static const std::u32string kTotals[] = {U"共", U"合计", U"总计"};
  // How close the total follows the list's last item ("合同协议共").
  constexpr size_t kMaxItemAfterJoiner = 6;
  for (const auto& total : kTotals) {
    for (size_t at = stretch.find(total); at != Chars::npos; at = stretch.find(total, at + 1)) {
      if (at > 0 && stretch[at - 1] == U'等') return true;
      size_t joiner = at;
      while (joiner > 0 && at - joiner <= kMaxItemAfterJoiner &&
             !IsClauseBreak(stretch[joiner - 1])) {
        const char32_t c = stretch[joiner - 1];
        const char32_t next = stretch[joiner];
        if (c == U'、' || (c == U'和' && next != U'解' && next != U'谐')) break;
        --joiner;
      }
      if (joiner == 0 || at - joiner > kMaxItemAfterJoiner || IsClauseBreak(stretch[joiner - 1])) {
        continue;
      }
      const Chars last_item = stretch.substr(joiner, at - joiner);
      static const std::vector<std::u32string> kSummaries = {U"所有", U"全部", U"各"};
      if (!ContainsAny(last_item, kSummaries)) return true;
    }
  }
  return false;
}

// A part named as the subject: a sector's own committee (行业性、专业性
// 调解组织, "医疗纠纷人民调解委员会") counts part of the whole the report's
// indicator counts.
bool NamesAPart(const Chars& stretch) {
  static const std::vector<std::u32string> kParts = {U"行业性", U"专业性", U"纠纷人民调解委员会",
                                                     U"纠纷调解委员会"};
  return ContainsAny(stretch, kParts);
}

// A goal stated, not a result: "力争…", "目标…", "要求…".
bool StatesTarget(const Chars& before) {
  static const std::vector<std::u32string> kTargets = {U"力争", U"目标", U"要求",
                                                       U"计划", U"预计", U"确保"};
  return ContainsAny(before, kTargets);
}

// Whether a figure's own words (its clause, or its table headers) carry a
// phrase of the pattern — its verb, else its subject: a weaker context may
// complete a reading, never make it up alone ("…66件(…),继续有效51件"
// does not make 51件 a count of 现行有效规范性文件).
bool OwnWordsName(const FigureRules::Pattern& p, const Chars& own) {
  if (!p.verb_any_of.empty()) return ContainsAny(own, p.verb_any_of);
  return ContainsAny(own, p.subject_all_of) || ContainsAny(own, p.after_all_of);
}

v1::FigureContext ContextPiece(v1::FigureContext::Kind kind, const Chars& chars, Span span) {
  v1::FigureContext piece;
  piece.set_kind(kind);
  piece.set_begin(static_cast<int32_t>(span.begin));
  piece.set_end(static_cast<int32_t>(span.end));
  piece.set_text(text::EncodeUtf8(TextOf(chars, span).substr(0, kMaxContextChars)));
  return piece;
}

// The contexts one reading of a figure sees.
// Each context is a list of pieces of text (the figure's own clause, its
// table headers, a heading …); a phrase is found when one piece holds it
// whole, never across two pieces.
struct Reading {
  std::vector<const Chars*> subject, verbs, sentence_before, sentence;
  const Chars* after = nullptr;

  // This reading with `wider` (a caption, heading or title) added.
  void Widen(const Chars* wider) {
    subject.push_back(wider);
    sentence_before.push_back(wider);
    sentence.push_back(wider);
  }
};

bool InSome(const std::vector<const Chars*>& pieces, const std::u32string& phrase) {
  for (const Chars* piece : pieces) {
    if (Contains(*piece, phrase)) return true;
  }
  return false;
}

bool AllInSome(const std::vector<const Chars*>& pieces,
               const std::vector<std::u32string>& phrases) {
  for (const auto& phrase : phrases) {
    if (!InSome(pieces, phrase)) return false;
  }
  return true;
}

bool AnyInSome(const std::vector<const Chars*>& pieces,
               const std::vector<std::u32string>& phrases) {
  for (const auto& phrase : phrases) {
    if (InSome(pieces, phrase)) return true;
  }
  return false;
}

// The patterns of `patterns` (those taking the figure's measure word) that
// match the reading, one per indicator.
std::vector<const FigureRules::Pattern*> Match(
    const std::vector<const FigureRules::Pattern*>& patterns, const Reading& r) {
  std::vector<const FigureRules::Pattern*> matched;
  std::set<std::string> indicators;
  for (const FigureRules::Pattern* pattern : patterns) {
    const FigureRules::Pattern& p = *pattern;
    if (!AllInSome(r.subject, p.subject_all_of)) continue;
    if (!p.verb_any_of.empty() && !AnyInSome(r.verbs, p.verb_any_of)) continue;
    if (!ContainsAll(*r.after, p.after_all_of)) continue;
    if (!AllInSome(r.sentence_before, p.sentence_all_of)) continue;
    if (AnyInSome(r.sentence, p.sentence_none_of)) continue;
    if (indicators.insert(p.indicator).second) matched.push_back(&p);
  }
  return matched;
}

}  // namespace

FigureExtraction ExtractFigures(const FigureRules& rules, const v1::Report& report) {
  FigureExtraction out;
  const absl::string_view text = report.text();
  const int report_year = report.year();
  const Chars chars = text::DecodeUtf8Lenient(text).chars;
  std::vector<text::ChineseQuantity> found = text::FindChineseQuantities(text);
  // Table cells that hold a number alone (free text needs a measure word to
  // read a number as a quantity; a table's headers give it).
  {
    std::vector<text::ChineseQuantity> cell_quantities;
    size_t next = 0;
    ForEachDataCell(chars, report, [&](Span cell, const CellHeaders& headers) {
      while (next < found.size() && found[next].end <= cell.begin) ++next;
      if (next < found.size() && found[next].begin < cell.end) return;
      if (!IsBareCellQuantity(chars, headers)) return;
      auto parsed = text::ParseChineseQuantity(text::EncodeUtf8(TextOf(chars, cell)));
      if (!parsed.ok()) return;
      parsed->begin = cell.begin;
      parsed->end = cell.end;
      cell_quantities.push_back(*std::move(parsed));
    });
    if (!cell_quantities.empty()) {
      std::vector<text::ChineseQuantity> merged;
      merged.reserve(found.size() + cell_quantities.size());
      std::merge(found.begin(), found.end(), cell_quantities.begin(), cell_quantities.end(),
                 std::back_inserter(merged),
                 [](const auto& x, const auto& y) { return x.begin < y.begin; });
      found = std::move(merged);
    }
  }
  for (const auto& q : found) {
    v1::TextQuantity tq;
    *tq.mutable_quantity() = text::ToProto(q);
    tq.set_begin(static_cast<int32_t>(q.begin));
    tq.set_end(static_cast<int32_t>(q.end));
    out.quantities.push_back(std::move(tq));
  }
  if (found.empty() || rules.patterns().empty()) return out;
  const size_t n = found.size();

  // A line break inside a number ("1,0\n86件", a page's wrapped line) breaks
  // no sentence: the figure's sentence and those after it run on across it.
  std::vector<bool> in_quantity(chars.size(), false);
  for (const auto& q : found) {
    for (size_t k = q.begin; k < std::min(q.end, chars.size()); ++k) in_quantity[k] = true;
  }
  auto breaks_sentence = [&](size_t at) { return IsSentenceBreak(chars[at]) && !in_quantity[at]; };

  // Own contexts.
  std::vector<OwnContext> ctx(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t begin = std::min(found[i].begin, chars.size());
    const size_t end = std::min(found[i].end, chars.size());
    // A figure's sentence, at most kMaxSentenceReach characters on either
    // side of it: real sentences are far shorter, and a text with no
    // sentence break (hostile, or a table flattened) must not make every
    // figure read the whole text.
    const size_t floor = begin > kMaxSentenceReach ? begin - kMaxSentenceReach : 0;
    const size_t ceiling = std::min(chars.size(), end + kMaxSentenceReach);
    size_t s = begin;
    while (s > floor && !breaks_sentence(s - 1)) --s;
    size_t e = end;
    while (e < ceiling && !breaks_sentence(e)) ++e;
    size_t b = begin;
    const size_t previous_end = i > 0 ? std::min(found[i - 1].end, begin) : 0;
    while (b > 0 && b > previous_end && !IsClauseBreak(chars[b - 1])) --b;
    size_t a = end;
    const size_t next_begin = i + 1 < n ? std::max(found[i + 1].begin, end) : chars.size();
    while (a < chars.size() && a < next_begin && !IsClauseBreak(chars[a])) ++a;
    ctx[i].before = chars.substr(b, begin - b);
    ctx[i].before_begin = b;
    ctx[i].subject = ctx[i].before;
    ctx[i].verbs = ctx[i].before;
    ctx[i].after = chars.substr(end, a - end);
    ctx[i].sentence_begin = s;
    ctx[i].sentence_end = e;
    ctx[i].stretch_begin = std::max(s, previous_end);
    // Carried on from the figure before it in the same clause
    // ("…率从2012年的18.64%上升至2017年的53.28%").
    if (i > 0 && b == previous_end && b != begin && ctx[i - 1].sentence_begin == s &&
        ContainsAny(ctx[i].before, rules.continuations())) {
      ctx[i].subject = LastChars(ctx[i - 1].subject + ctx[i].before, kMaxSentenceReach);
      ctx[i].verbs = LastChars(ctx[i - 1].verbs + ctx[i].before, kMaxSentenceReach);
    }
  }

  // Paired forms: "收到A 348件、B 72件,分别办结340件、审结66件".
  static const std::u32string kRespectively = U"分别";
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && ctx[j].sentence_begin == ctx[i].sentence_begin) ++j;
    const size_t s = ctx[i].sentence_begin, e = ctx[i].sentence_end;
    const Chars sentence = chars.substr(s, e - s);
    const size_t at = sentence.find(kRespectively);
    if (at != Chars::npos) {
      const size_t split = s + at;
      std::vector<size_t> left, right;
      for (size_t k = i; k < j; ++k) (found[k].end <= split ? left : right).push_back(k);
      const size_t m = right.size();
      if (m >= 2 && left.size() >= m) {
        left.erase(left.begin(), left.end() - static_cast<std::ptrdiff_t>(m));
        for (size_t k = 1; k < m; ++k) ctx[left[k]].verbs += ctx[left[0]].before;
        for (size_t k = 0; k < m; ++k) ctx[right[k]].subject = ctx[left[k]].before;
      }
    }
    i = j;
  }

  // Context beyond the sentence: table headers, the heading, the title.
  std::vector<CellHeaders> cells(n);
  {
    size_t next = 0;  // the first quantity not yet placed in a cell
    ForEachDataCell(chars, report, [&](Span cell, const CellHeaders& headers) {
      while (next < n && found[next].begin < cell.begin) ++next;
      for (; next < n && found[next].begin < cell.end; ++next) cells[next] = headers;
    });
  }
  // The headings in text order, each with the part of the report it opens
  // (a top-level heading opens its part, unspecified or not; a deeper one
  // only when it shows a part itself).
  struct Heading {
    Span span;
    int level = 0;
    v1::ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  };
  std::vector<Heading> sections;
  for (const auto& section : report.sections()) {
    if (section.begin() < 0 || section.end() <= section.begin() ||
        static_cast<size_t>(section.end()) > chars.size()) {
      continue;
    }
    sections.push_back(
        {Span{static_cast<size_t>(section.begin()), static_cast<size_t>(section.end())},
         section.level(), section.part()});
  }
  std::stable_sort(sections.begin(), sections.end(),
                   [](const Heading& a, const Heading& b) { return a.span.begin < b.span.begin; });
  std::vector<Span> headings;
  for (const Heading& h : sections) headings.push_back(h.span);
  const Chars title = Decode(report.title());
  Span title_span;
  if (!title.empty()) {
    const size_t at = chars.substr(0, kTitleSearchReach).find(title);
    if (at != Chars::npos) title_span = Span{at, at + title.size()};
  }
  const std::vector<std::u32string> wider_areas = WiderAreas(LevelOf(title));

  const std::vector<fazhi::type::Period> stated_cross_year_periods = StatedCrossYearPeriods(chars);

  // Matching. `matched_of[i]`: the indicators any reading of quantity i
  // matched, for telling 其中 parts from their totals.
  std::vector<std::set<std::string>> matched_of(n);
  std::vector<size_t> figure_quantity;
  size_t heading = 0;  // headings[0, heading) begin at or before the figure
  v1::ReportPart part = v1::REPORT_PART_UNSPECIFIED;  // the part the figure stands in
  for (size_t i = 0; i < n; ++i) {
    const auto& q = found[i];
    const OwnContext& c = ctx[i];
    while (heading < headings.size() && headings[heading].begin <= q.begin) {
      const Heading& h = sections[heading++];
      if (h.level <= 1 || h.part != v1::REPORT_PART_UNSPECIFIED) part = h.part;
    }
    // Ordinals: 第一次, 第3批, 三届二次全会.
    if (q.begin > 0 && q.begin <= chars.size() &&
        (chars[q.begin - 1] == U'第' || chars[q.begin - 1] == U'届')) {
      continue;
    }
    const CellHeaders& cell = cells[i];
    std::string measure_word = q.measure_word;
    Chars headers;  // column headers, then row headers
    for (const Span& h : cell.column_headers) headers += TextOf(chars, h);
    for (const Span& h : cell.row_headers) headers += TextOf(chars, h);
    if (measure_word.empty() && cell.in_table) {
      for (const Span& h : cell.column_headers) {
        if (measure_word.empty()) measure_word = HeaderMeasureWord(TextOf(chars, h));
      }
      for (const Span& h : cell.row_headers) {
        if (measure_word.empty()) measure_word = HeaderMeasureWord(TextOf(chars, h));
      }
      if (measure_word.empty()) measure_word = CaptionMeasureWord(cell.caption);
    }
    if (measure_word.empty()) continue;

    const Chars sentence_before = chars.substr(c.sentence_begin, q.begin - c.sentence_begin);
    const Chars sentence = chars.substr(c.sentence_begin, c.sentence_end - c.sentence_begin);
    // The readings, strongest first: the figure's own clause and sentence
    // (with its table headers); then the weaker ones — the subject of its
    // sentence, the table's caption, its heading, the title.
    Reading reading;
    reading.subject = {&headers, &c.subject};
    reading.verbs = {&headers, &c.verbs};
    reading.after = &c.after;
    reading.sentence_before = {&headers, &sentence_before};
    reading.sentence = {&sentence};
    std::vector<const FigureRules::Pattern*> measured;
    for (const auto& p : rules.patterns()) {
      if (std::find(p.measure_words.begin(), p.measure_words.end(), measure_word) !=
          p.measure_words.end()) {
        measured.push_back(&p);
      }
    }
    std::vector<const FigureRules::Pattern*> matched = Match(measured, reading);
    const Chars own_words = headers + c.verbs + c.after;
    // A weaker reading is kept when it names exactly one indicator and the
    // figure's own words carry part of it — or, sharing its sentence's
    // subject, the figure continues the figure before it
    // ("成功率保持在95%以上，全年为97.6%"). So only the patterns the own words
    // begin, or the figure before it matched, are tried: most figures have none.
    std::vector<const FigureRules::Pattern*> widenable;
    for (const FigureRules::Pattern* p : measured) {
      if (OwnWordsName(*p, own_words) || (i > 0 && matched_of[i - 1].count(p->indicator) > 0)) {
        widenable.push_back(p);
      }
    }
    const bool may_widen = !widenable.empty();
    auto weaker = [&](const Reading& under, bool continues) {
      std::vector<const FigureRules::Pattern*> found_here = Match(widenable, under);
      if (found_here.size() != 1) return std::vector<const FigureRules::Pattern*>();
      const std::string& indicator = found_here.front()->indicator;
      const bool continued = continues && i > 0 && ctx[i - 1].sentence_begin == c.sentence_begin &&
                             matched_of[i - 1].count(indicator) > 0;
      if (!continued && !OwnWordsName(*found_here.front(), own_words)) found_here.clear();
      return found_here;
    };
    // A clause that is only its verb ("…收案468件，审结452件") shares the
    // subject of the clauses before it in the sentence.
    if (may_widen && matched.empty() && c.before.size() <= kMaxBareClause &&
        c.before_begin > c.sentence_begin) {
      Reading shared = reading;
      shared.subject.push_back(&sentence_before);
      matched = weaker(shared, true);
    }
    // Then, each adding to the one before: the table's caption, the
    // heading the figure sits under, the report's title.
    bool caption_used = false, title_used = false;
    Span heading_used;
    Reading widest = reading;
    Chars heading_text;
    if (may_widen && matched.empty() && !cell.caption.empty()) {
      widest.Widen(&cell.caption);
      matched = weaker(widest, false);
      caption_used = !matched.empty();
    }
    if (may_widen && matched.empty() && heading > 0) {
      heading_text = TextOf(chars, headings[heading - 1]);
      widest.Widen(&heading_text);
      matched = weaker(widest, false);
      if (!matched.empty()) heading_used = headings[heading - 1];
    }
    if (may_widen && matched.empty() && !title.empty()) {
      widest.Widen(&title);
      matched = weaker(widest, false);
      title_used = !matched.empty();
    }
    if (matched.empty()) continue;
    for (const auto* p : matched) matched_of[i].insert(p->indicator);

    // The period: a phrase opening the sentence reaches across its ；.
    size_t lead = c.sentence_begin;
    while (lead > 0 && c.sentence_begin - lead < kMaxSentenceReach &&
           (chars[lead - 1] == U'；' || chars[lead - 1] == U';')) {
      --lead;
      while (lead > 0 && !IsSentenceBreak(chars[lead - 1])) --lead;
    }
    FigurePeriodContext period_context;
    period_context.clause_before = c.before;
    period_context.sentence_before = chars.substr(lead, q.begin - lead);
    period_context.report_year = report_year;
    period_context.stated_cross_year_periods = stated_cross_year_periods;
    // A table cell's period is in its headers: the row headers, then the
    // column headers, so that the last period named is the column's when it
    // names one, else a row's ("2022年" heading a row of a multi-year table).
    for (const auto* spans : {&cell.row_headers, &cell.column_headers}) {
      for (const Span& h : *spans) {
        if (!period_context.column_header.empty()) period_context.column_header += U' ';
        period_context.column_header += TextOf(chars, h);
      }
    }
    if (heading > 0) period_context.heading = TextOf(chars, headings[heading - 1]);
    period_context.title = title;
    const FigurePeriod period = ReadFigurePeriod(period_context);
    const std::string evidence = text::EncodeUtf8(sentence.substr(0, 300));
    const Chars stretch = chars.substr(c.stretch_begin, q.begin - c.stretch_begin);

    std::vector<v1::FigureContext> pieces;
    if (c.before_begin < q.begin) {
      pieces.push_back(ContextPiece(v1::FigureContext::KIND_CLAUSE_BEFORE, chars,
                                    Span{c.before_begin, q.begin}));
    }
    pieces.push_back(ContextPiece(v1::FigureContext::KIND_SENTENCE, chars,
                                  Span{c.sentence_begin, c.sentence_end}));
    // A table's caption is the heading of its cells.
    if (caption_used) {
      v1::FigureContext piece =
          ContextPiece(v1::FigureContext::KIND_HEADING, chars, cell.caption_span);
      if (cell.caption_span.empty()) {
        piece.set_text(text::EncodeUtf8(cell.caption.substr(0, kMaxContextChars)));
      }
      pieces.push_back(std::move(piece));
    }
    for (const Span& h : cell.row_headers) {
      pieces.push_back(ContextPiece(v1::FigureContext::KIND_TABLE_ROW_HEADER, chars, h));
    }
    for (const Span& h : cell.column_headers) {
      pieces.push_back(ContextPiece(v1::FigureContext::KIND_TABLE_COLUMN_HEADER, chars, h));
    }
    if (!heading_used.empty()) {
      pieces.push_back(ContextPiece(v1::FigureContext::KIND_HEADING, chars, heading_used));
    }
    if (title_used) {
      v1::FigureContext piece = ContextPiece(v1::FigureContext::KIND_TITLE, chars, title_span);
      if (title_span.empty()) piece.set_text(text::EncodeUtf8(title.substr(0, kMaxContextChars)));
      pieces.push_back(std::move(piece));
    }

    for (const auto* p : matched) {
      v1::ExtractedFigure figure;
      figure.set_indicator(p->indicator);
      *figure.mutable_quantity() = out.quantities[i].quantity();
      if (figure.quantity().measure_word().empty()) {
        figure.mutable_quantity()->set_measure_word(measure_word);
      }
      *figure.mutable_period() = period.period;
      figure.set_begin(static_cast<int32_t>(q.begin));
      figure.set_end(static_cast<int32_t>(q.end));
      figure.set_evidence(evidence);
      for (const auto& piece : pieces) *figure.add_context() = piece;
      std::string reason;
      if (matched.size() > 1) {
        std::vector<std::string> names;
        for (const auto* other : matched) names.push_back(other->indicator);
        reason = absl::StrCat("ambiguous: the patterns of ", absl::StrJoin(names, ", "), " match");
      } else if (p->candidate_only) {
        reason = "the pattern offers candidates only";
      } else if (IsBound(figure.quantity().qualifier()) && !p->accept_bounds) {
        reason = absl::StrCat("a bound, not a value (", text::QualifierName(q.qualifier), ")");
      } else if (!period.problem.empty()) {
        reason = period.problem;
      } else if (StatesChange(c.before) || (cell.in_table && StatesChange(headers))) {
        reason = "a change (同比, 比上年, 增加 …), not a value";
      } else if (part == v1::REPORT_PART_NEXT_YEAR_PLANS) {
        reason = "stated in the plans for the next year: a target, not a value";
      } else if (StatesTarget(c.before) && !p->accept_bounds) {
        reason = "a target or plan (力争, 目标, 要求 …), not a value";
      } else if (!cell.in_table && ContainsAny(stretch, wider_areas)) {
        reason = "the figure of a wider area (全市, 全国 …) than the report's";
      } else if (!cell.in_table && NamesAPart(stretch)) {
        reason = "the count of a part (a sector's own committee), not the whole";
      } else if (!cell.in_table && CountsSeveralTogether(stretch)) {
        reason = "several things counted together (、, 和 … 共), not one indicator's count";
      } else if (cell.in_table) {
        reason = NarrowingHeader(chars, *p, cell.row_headers);
        if (reason.empty()) reason = NarrowingHeader(chars, *p, cell.column_headers);
      }
      figure.set_confidence(reason.empty() ? v1::FIGURE_CONFIDENCE_ACCEPTED
                                           : v1::FIGURE_CONFIDENCE_CANDIDATE);
      figure.set_reason(reason);
      out.figures.push_back(std::move(figure));
      figure_quantity.push_back(i);
    }
  }

  // 其中 parts: a figure after "其中" that reads as the same indicator as the
  // total before it is a part of that total, not a value (nor a conflict).
  static const std::u32string kOfWhich = U"其中";
  for (size_t k = 0; k < out.figures.size(); ++k) {
    auto& f = out.figures[k];
    if (f.confidence() != v1::FIGURE_CONFIDENCE_ACCEPTED) continue;
    const size_t i = figure_quantity[k];
    const OwnContext& c = ctx[i];
    const Chars sentence_before = chars.substr(c.sentence_begin, found[i].begin - c.sentence_begin);
    const size_t at = sentence_before.rfind(kOfWhich);
    if (at == Chars::npos) continue;
    const size_t of_which = c.sentence_begin + at;
    size_t j = i;
    while (j > 0 && found[j - 1].end > of_which) --j;
    if (j == 0 || of_which - found[j - 1].end > kMaxSentenceReach) continue;
    if (!matched_of[j - 1].count(f.indicator())) continue;
    f.set_confidence(v1::FIGURE_CONFIDENCE_CANDIDATE);
    f.set_reason(absl::StrCat("a 其中 part of the total ", found[j - 1].text, ", not a value of ",
                              f.indicator()));
  }

  // One indicator and period, two accepted values: neither is a fact. The
  // same value twice: the first stands.
  using Key = std::tuple<std::string, int, int, int, int>;
  std::map<Key, std::vector<size_t>> accepted;
  for (size_t k = 0; k < out.figures.size(); ++k) {
    const auto& f = out.figures[k];
    if (f.confidence() != v1::FIGURE_CONFIDENCE_ACCEPTED) continue;
    const auto& period = f.period();
    accepted[Key(f.indicator(), period.year(), period.start_month(), period.end_year(),
                 period.end_month())]
        .push_back(k);
  }
  for (const auto& [key, indexes] : accepted) {
    if (indexes.size() < 2) continue;
    std::set<std::string> values;
    for (size_t k : indexes) values.insert(out.figures[k].quantity().decimal());
    for (size_t pos = 0; pos < indexes.size(); ++pos) {
      auto& f = out.figures[indexes[pos]];
      if (values.size() > 1) {
        f.set_confidence(v1::FIGURE_CONFIDENCE_CANDIDATE);
        f.set_reason(absl::StrCat("conflicting values for ", f.indicator(), " in ",
                                  f.period().year(), ": ", absl::StrJoin(values, ", ")));
      } else if (pos > 0) {
        f.set_confidence(v1::FIGURE_CONFIDENCE_CANDIDATE);
        f.set_reason("repeats an earlier figure");
      }
    }
  }
  return out;
}

}  // namespace fazhi::report
