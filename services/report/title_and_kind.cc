#include "services/report/title_and_kind.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "services/report/page_text.h"
#include "services/report/report_structure.h"
#include "services/report/text_lines.h"

namespace fazhi::report {
namespace {

using lines::Contains;
using lines::ContainsAny;
using lines::Decode;
using lines::Encode;
using lines::EndsWith;
using lines::EndsWithAny;
using lines::HasSentencePunctuation;
using lines::IsDigit;
using lines::LineSpan;
using lines::LineText;
using lines::NormalizeForMatch;
using lines::SplitLines;
using lines::StartsWith;
using lines::StartsWithAny;
using lines::Trim;

constexpr size_t kMaxTitleCodePoints = 200;
constexpr size_t kMaxTitleLines = 3;
constexpr size_t kMaxTitleContinuationLength = 40;
constexpr size_t kMaxCandidateTitleLength = 60;
constexpr size_t kCandidateTitleLines = 6;
constexpr size_t kSignatureLines = 12;
constexpr size_t kMaxSignatureLength = 30;
constexpr size_t kMaxFrontMatterLines = 100;

// The headings of one line, as the structure reader finds them (a line that
// opens with a heading marker is never a title nor a signature).
std::vector<Heading> HeadingsOf(std::u32string_view line) {
  return ParseReportStructure(Encode(line), 0, {}).headings;
}

bool IsHeading(std::u32string_view line) { return !HeadingsOf(line).empty(); }

bool IsBracketedHeading(std::u32string_view line) {
  const std::vector<Heading> headings = HeadingsOf(line);
  return !headings.empty() && headings.front().marker == "【】";
}

size_t CountWhile(std::u32string_view s, size_t from, bool (*pred)(char32_t)) {
  size_t i = from;
  while (i < s.size() && pred(s[i])) ++i;
  return i - from;
}

std::u32string_view StripQuotes(std::u32string_view s) {
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    return Trim(s.substr(1, s.size() - 2));
  }
  return s;
}

std::u32string TruncateTitle(std::u32string title) {
  if (title.size() > kMaxTitleCodePoints) title.resize(kMaxTitleCodePoints);
  return std::u32string(Trim(title));
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::u32string TitleOf(std::u32string_view text, const std::vector<LineSpan>& lines) {
  size_t i = 0;
  while (i < lines.size() && lines[i].begin == lines[i].end) ++i;
  if (i == lines.size()) return U"";

  if (LineText(text, lines[i]) == U"---") {
    const size_t limit = std::min(lines.size(), i + 1 + kMaxFrontMatterLines);
    size_t j = i + 1;
    std::u32string_view front_title;
    for (; j < limit; ++j) {
      const std::u32string_view line = LineText(text, lines[j]);
      if (line == U"---") break;
      if (front_title.empty() && StartsWith(line, U"title:")) {
        front_title = StripQuotes(Trim(line.substr(6)));
      }
    }
    if (!front_title.empty()) return TruncateTitle(std::u32string(front_title));
    i = (j < limit) ? j + 1 : i + 1;
    while (i < lines.size() && lines[i].begin == lines[i].end) ++i;
    if (i == lines.size()) return U"";
  }

  const std::u32string_view first = LineText(text, lines[i]);
  if (IsHeading(first)) return U"";
  std::u32string title(first);
  for (size_t n = 1; n < kMaxTitleLines && i + n < lines.size(); ++n) {
    const std::u32string_view next = LineText(text, lines[i + n]);
    if (next.empty() || next.size() > kMaxTitleContinuationLength || HasSentencePunctuation(next) ||
        HasSentencePunctuation(title) || EndsWith(title, U"报告") || IsHeading(next)) {
      break;
    }
    if (IsAsciiAlnum(title.back()) && IsAsciiAlnum(next.front())) {
      title.push_back(' ');
    }
    title.append(next);
  }
  return TruncateTitle(std::move(title));
}

bool IsAnnualReportTitle(std::u32string_view title) {
  const std::u32string normalized = NormalizeForMatch(title);
  return Contains(normalized, U"报告") &&
         ContainsAny(normalized, {U"法治政府建设", U"法治建设", U"依法行政"});
}

// Removes "2023年" / "2023年度" at the start of `s`; false if there is none.
bool StripLeadingYear(std::u32string_view* s) {
  const size_t digits = CountWhile(*s, 0, IsDigit);
  if (digits == 0) return false;
  const std::u32string_view rest = s->substr(digits);
  for (std::u32string_view word : {U"年度", U"年"}) {
    if (StartsWith(rest, word)) {
      *s = Trim(rest.substr(word.size()));
      return true;
    }
  }
  return false;
}

// Removes "2023年" / "2023年度" at the end of `s`; false if there is none.
bool StripTrailingYear(std::u32string_view* s) {
  for (std::u32string_view word : {U"年度", U"年"}) {
    if (!EndsWith(*s, word)) continue;
    const std::u32string_view head = s->substr(0, s->size() - word.size());
    size_t digits = 0;
    while (digits < head.size() && IsDigit(head[head.size() - 1 - digits])) {
      ++digits;
    }
    if (digits == 0) return false;
    *s = Trim(head.substr(0, head.size() - digits));
    return true;
  }
  return false;
}

std::u32string_view StripYears(std::u32string_view s) {
  while (StripLeadingYear(&s) || StripTrailingYear(&s)) {
  }
  return s;
}

// The filer named in an annual report's title; empty if it names none.
std::u32string_view FilerInTitle(std::u32string_view title) {
  size_t end = title.find(U"关于");
  if (end == std::u32string_view::npos) {
    for (std::u32string_view subject : {U"法治政府建设", U"法治建设", U"依法行政"}) {
      end = std::min(end, title.find(subject));
    }
  }
  if (end == std::u32string_view::npos) return {};
  return StripYears(Trim(title.substr(0, end)));
}

// REPORT_KIND_UNSPECIFIED when `name` is not recognisably a government, department,
// street or town.
ReportKind ClassifyFiler(std::u32string_view name) {
  name = Trim(name);
  if (name.empty()) return v1::REPORT_KIND_UNSPECIFIED;
  if (EndsWithAny(name, {U"街道", U"街道办事处", U"镇", U"乡", U"镇人民政府", U"乡人民政府",
                         U"镇政府", U"乡政府"})) {
    return v1::REPORT_KIND_STREET_TOWN_ANNUAL;
  }
  if (EndsWithAny(name, {U"人民政府", U"政府"})) {
    return v1::REPORT_KIND_GOVERNMENT_ANNUAL;
  }
  if (EndsWithAny(name, {U"局", U"委", U"办", U"办公室", U"委员会", U"厅", U"署", U"中心"})) {
    return v1::REPORT_KIND_DEPARTMENT_ANNUAL;
  }
  // A division named alone ("青浦区2022年法治政府建设情况报告") reports as
  // its government does: departments, streets and towns name themselves.
  if (name.size() >= 2 &&
      EndsWithAny(name, {U"区", U"县", U"市", U"省", U"自治州", U"州", U"旗"})) {
    return v1::REPORT_KIND_GOVERNMENT_ANNUAL;
  }
  return v1::REPORT_KIND_UNSPECIFIED;
}

ReportKind FilerInSignature(std::u32string_view text, const std::vector<LineSpan>& lines) {
  size_t seen = 0;
  for (size_t i = lines.size(); i > 0 && seen < kSignatureLines; --i) {
    const std::u32string_view line = LineText(text, lines[i - 1]);
    if (line.empty()) continue;
    ++seen;
    if (line.size() > kMaxSignatureLength || IsHeading(line)) continue;
    const ReportKind kind = ClassifyFiler(line);
    if (kind != v1::REPORT_KIND_UNSPECIFIED) return kind;
  }
  return v1::REPORT_KIND_UNSPECIFIED;
}

constexpr size_t kMaxChosenTitle = 60;
constexpr size_t kTitleSearchLines = 15;
// The metadata title, the <h1> and the <title> come before the text's lines.
constexpr size_t kPageCandidates = 3;
// A news page's headline is among its first lines, below the masthead.
constexpr size_t kHeadlineSearchLines = 6;
constexpr size_t kMaxUnitName = 16;

bool IsDateLine(std::u32string_view line) {
  google::type::Date date;
  return line.size() <= 16 && ReadDate(Encode(line), &date);
}

// A unit's name standing alone ("嘉定区人民政府", "区司法局"): a masthead or a
// signature, not a headline.
bool IsUnitName(std::u32string_view s) {
  s = Trim(s);
  if (s.size() > kMaxUnitName || std::any_of(s.begin(), s.end(), lines::IsSpace) ||
      std::any_of(s.begin(), s.end(), IsDigit)) {
    return false;
  }
  return ClassifyFiler(s) != v1::REPORT_KIND_UNSPECIFIED;
}

// Shaped like a title: short, no sentence punctuation, not chrome, a date,
// a heading or an addressee.
bool IsTitleShaped(std::u32string_view s) {
  s = Trim(s);
  if (s.size() < 4 || s.size() > kMaxChosenTitle) return false;
  for (char32_t c : s) {
    if (std::u32string_view(U"，,；;。！!？?\t").find(c) != std::u32string_view::npos) return false;
  }
  if (EndsWith(s, U"：") || EndsWith(s, U":")) return false;
  return !lines::IsNavBar(s) && !IsChromeLine(Encode(s)) && !IsDateLine(s) && !IsHeading(s);
}

constexpr std::initializer_list<std::u32string_view> kSubjectWords = {
    U"法治政府建设", U"依法行政", U"法治建设", U"白皮书", U"年鉴", U"统计", U"公报", U"年报"};

bool IsReportShaped(std::u32string_view s) {
  if (!IsTitleShaped(s)) return false;
  const std::u32string n = NormalizeForMatch(s);
  return ContainsAny(n, kSubjectWords) || EndsWithAny(n, {U"报告", U"情况", U"概况", U"综述"});
}

// _ | and dashes join a <title>'s pieces; a dash between digits is a
// range ("2021—2025年").
bool IsSiteSeparatorAt(std::u32string_view title, size_t i) {
  const char32_t c = title[i];
  if (c == U'_' || c == U'|' || c == U'｜') return true;
  if (c != U'-' && c != U'–' && c != U'—') return false;
  return !(i > 0 && i + 1 < title.size() && IsDigit(title[i - 1]) && IsDigit(title[i + 1]));
}

// The <title> without the site and channel names it is joined with (by _ |
// - – —, before or after it): its first piece shaped like a report's title,
// else its first piece.
std::u32string WithoutSiteName(std::u32string_view title) {
  title = Trim(title);
  std::vector<std::u32string_view> pieces;
  size_t begin = 0;
  for (size_t i = 0; i <= title.size(); ++i) {
    if (i < title.size() && !IsSiteSeparatorAt(title, i)) continue;
    const std::u32string_view piece = Trim(title.substr(begin, i - begin));
    if (!piece.empty()) pieces.push_back(piece);
    begin = i + 1;
  }
  for (std::u32string_view piece : pieces) {
    if (IsReportShaped(piece)) return std::u32string(piece);
  }
  return pieces.empty() ? std::u32string() : std::u32string(pieces.front());
}

// True when `line` is a title of its own, never the tail of the line above
// it: it names its subject (法治政府建设, 白皮书, 年鉴 …) after a filer of its
// own ("嘉定区人民政府2023年…"), or the line above is a nav bar ("上海宝山 |
// 地方志"). "上海市第二中级人民法院" / "行政审判白皮书" is one title.
bool StandsAlone(std::u32string_view above, std::u32string_view line) {
  const std::u32string normalized = NormalizeForMatch(line);
  size_t subject = normalized.find(U"关于");
  for (std::u32string_view word : kSubjectWords) subject = std::min(subject, normalized.find(word));
  if (subject == std::u32string::npos) return false;
  if (ClassifyFiler(StripYears(std::u32string_view(normalized).substr(0, subject))) !=
      v1::REPORT_KIND_UNSPECIFIED) {
    return true;
  }
  for (size_t k = 0; k < above.size(); ++k) {
    const bool gap =
        above[k] == U'\u3000' || (above[k] == ' ' && k + 1 < above.size() && above[k + 1] == ' ');
    if (gap || std::u32string_view(U"|｜>»›\t").find(above[k]) != std::u32string_view::npos) {
      return true;
    }
  }
  return false;
}

// Line `i` joined with the short lines that continue it (a title broken
// over lines: "…关于法治政府" / "建设情况报告"), when that reads as a report's
// title; else line `i` alone.
std::u32string JoinedTitleAt(const std::vector<std::u32string_view>& text_lines, size_t i) {
  std::u32string joined(text_lines[i]);
  for (size_t n = 1; n < kMaxTitleLines && i + n < text_lines.size(); ++n) {
    const std::u32string_view next = text_lines[i + n];
    if (IsReportShaped(joined) || next.size() > kMaxTitleContinuationLength ||
        !IsTitleShaped(next) || !IsTitleShaped(joined) || StandsAlone(joined, next)) {
      break;
    }
    joined.append(next);
    if (IsReportShaped(joined)) return joined;
  }
  return std::u32string(text_lines[i]);
}

bool IsCoverLetter(std::u32string_view title) {
  const std::u32string n = NormalizeForMatch(title);
  return Contains(n, U"报送") && EndsWith(n, U"报告") &&
         (StartsWith(n, U"关于") || Contains(n, U"关于报送"));
}

// The enclosed report's title: in 《》, else its own title line in `lines`,
// else the letter's subject (关于报送…的报告 → …).
std::u32string EnclosedTitle(std::u32string_view letter,
                             const std::vector<std::u32string_view>& text_lines) {
  const size_t open = letter.find(U'《');
  const size_t close = letter.find(U'》', open == std::u32string_view::npos ? 0 : open);
  if (open != std::u32string_view::npos && close != std::u32string_view::npos && close > open + 1) {
    return std::u32string(Trim(letter.substr(open + 1, close - open - 1)));
  }
  for (std::u32string_view line : text_lines) {
    if (IsReportShaped(line) && !IsCoverLetter(line) && Trim(line) != Trim(letter)) {
      return std::u32string(Trim(line));
    }
  }
  std::u32string_view subject = Trim(letter);
  const size_t after = subject.find(U"报送");
  if (after != std::u32string_view::npos) subject = subject.substr(after + 2);
  if (EndsWith(subject, U"的报告")) subject = subject.substr(0, subject.size() - 3);
  return std::u32string(Trim(subject));
}

}  // namespace

ReportKind DetectReportKind(std::string_view text) { return DetectReportKind(text, ""); }

ReportKind DetectReportKind(std::string_view text, std::string_view chosen_title) {
  const std::u32string decoded = Decode(text);
  const std::vector<LineSpan> lines = SplitLines(decoded);

  std::vector<std::u32string_view> opening;  // first non-empty lines
  for (const LineSpan& span : lines) {
    if (opening.size() == kCandidateTitleLines) break;
    if (span.begin != span.end) opening.push_back(LineText(decoded, span));
  }
  if (opening.empty()) return v1::REPORT_KIND_UNSPECIFIED;

  const std::u32string title =
      chosen_title.empty() ? TitleOf(decoded, lines) : Decode(chosen_title);
  std::vector<std::u32string_view> candidates = {title};
  for (std::u32string_view line : opening) {
    if (line.size() <= kMaxCandidateTitleLength && !IsHeading(line)) {
      candidates.push_back(line);
    }
  }
  for (std::u32string_view candidate : candidates) {
    if (!IsAnnualReportTitle(candidate)) continue;
    const std::u32string_view filer = FilerInTitle(candidate);
    ReportKind kind = ClassifyFiler(filer);
    if (kind == v1::REPORT_KIND_UNSPECIFIED && filer.empty()) {
      kind = FilerInSignature(decoded, lines);
    }
    return kind == v1::REPORT_KIND_UNSPECIFIED ? v1::REPORT_KIND_OTHER : kind;
  }

  for (size_t i = 0; i < opening.size() && i < 3; ++i) {
    if (Contains(opening[i], U"案例")) return v1::REPORT_KIND_CASE_STUDY;
  }
  // A yearbook entry, white paper or statistics page lays its items out
  // under 【…】 too; its title says what it is.
  if (ContainsAny(NormalizeForMatch(title), {U"年鉴", U"白皮书", U"统计", U"公报", U"年报"})) {
    return v1::REPORT_KIND_OTHER;
  }
  int bracketed = 0;
  for (const LineSpan& span : lines) {
    if (IsBracketedHeading(LineText(decoded, span)) && ++bracketed >= 2) {
      return v1::REPORT_KIND_CASE_STUDY;
    }
  }
  return v1::REPORT_KIND_OTHER;
}

std::string ExtractTitle(std::string_view text) {
  const std::u32string decoded = Decode(text);
  return Encode(TitleOf(decoded, SplitLines(decoded)));
}

TitleChoice ChooseTitle(const PageTitles& page, std::string_view text) {
  const std::u32string decoded = Decode(text);
  std::vector<std::u32string_view> text_lines;
  size_t masthead = page.masthead_lines;
  for (const LineSpan& span : SplitLines(decoded)) {
    if (span.begin == span.end) continue;
    if (masthead > 0) {
      --masthead;
      continue;
    }
    text_lines.push_back(LineText(decoded, span));
  }
  std::vector<std::pair<std::u32string, v1::TitleSource>> candidates = {
      {Decode(page.metadata_title), v1::TITLE_SOURCE_METADATA},
      {Decode(page.first_h1), v1::TITLE_SOURCE_PAGE_HEADING},
      {WithoutSiteName(Decode(page.title_element)), v1::TITLE_SOURCE_PAGE_HEADING}};
  for (size_t i = 0; i < text_lines.size() && i < kTitleSearchLines; ++i) {
    candidates.push_back({JoinedTitleAt(text_lines, i), v1::TITLE_SOURCE_TEXT});
  }
  const std::pair<std::u32string, v1::TitleSource>* chosen = nullptr;
  for (const auto& candidate : candidates) {
    if (IsReportShaped(candidate.first)) {
      chosen = &candidate;
      break;
    }
  }
  // No report-shaped title: the page's own title, else a news page's
  // headline (above the first paragraph, past a unit's name standing as the
  // masthead), else the first line if it is shaped like a title at all.
  for (size_t i = 0; chosen == nullptr && i < kPageCandidates; ++i) {
    if (IsTitleShaped(candidates[i].first)) chosen = &candidates[i];
  }
  for (size_t i = kPageCandidates;
       chosen == nullptr && i < candidates.size() && i < kPageCandidates + kHeadlineSearchLines;
       ++i) {
    const std::u32string_view line = text_lines[i - kPageCandidates];
    if (line.size() > kMaxChosenTitle || HasSentencePunctuation(line)) break;
    if (IsTitleShaped(candidates[i].first) && !IsUnitName(candidates[i].first)) {
      chosen = &candidates[i];
    }
  }
  if (chosen == nullptr && candidates.size() > kPageCandidates &&
      IsTitleShaped(candidates[kPageCandidates].first)) {
    chosen = &candidates[kPageCandidates];
  }
  TitleChoice out;
  if (chosen == nullptr) return out;
  const std::u32string title(Trim(chosen->first));
  if (IsCoverLetter(title)) {
    out.cover_letter_title = Encode(title);
    out.title = Encode(EnclosedTitle(title, text_lines));
    out.source = v1::TITLE_SOURCE_ENCLOSED_BY_COVER_LETTER;
    return out;
  }
  out.title = Encode(title);
  out.source = chosen->second;
  return out;
}

}  // namespace fazhi::report
