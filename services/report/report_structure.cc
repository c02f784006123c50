#include "services/report/report_structure.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "services/report/text_lines.h"

namespace fazhi::report {
namespace {

constexpr size_t kMaxChineseNumeralLength = 5;
constexpr size_t kMaxDigitMarkerLength = 3;
// PartFinding.shown_by is at most this long.
constexpr size_t kMaxShownByCodePoints = 200;

// The shared line and text helpers (text_lines.h).
using lines::Contains;
using lines::Decode;
using lines::Encode;
using lines::IsDigit;
using lines::IsSentencePunctuation;
using lines::IsSpace;
using lines::LineSpan;
using lines::LineText;
using lines::NormalizeForMatch;
using lines::SplitLines;
using lines::StartsWith;
using lines::Trim;

// ---------------------------------------------------------------------------
// Characters and strings.

bool IsChineseNumeral(char32_t c) {
  switch (c) {
    case U'一':
    case U'二':
    case U'三':
    case U'四':
    case U'五':
    case U'六':
    case U'七':
    case U'八':
    case U'九':
    case U'十':
    case U'百':
    case U'零':
    case U'〇':
      return true;
    default:
      return false;
  }
}

bool IsOpenParen(char32_t c) { return c == '(' || c == U'（'; }
bool IsCloseParen(char32_t c) { return c == ')' || c == U'）'; }

// Ends the sentence that opens a paragraph.
bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'；' || c == ';' || c == U'！' || c == '!' || c == U'？' || c == '?';
}

// Ends a run-in heading's title: a sentence end or a colon.
bool IsTitleStop(char32_t c) { return IsSentenceEnd(c) || c == U'：' || c == ':'; }

// ---------------------------------------------------------------------------
// Headings.

// The numbering forms a heading can take; levels are given to them in the
// order they first appear in a text.
enum class MarkerForm {
  kChineseNumeral,       // 一、 一. 一．
  kParenChineseNumeral,  // （一） (一)
  kDigit,                // 1. 1、 1．
  kParenDigit,           // （1） (1) ⑴
  kCircledDigit,         // ① … ⑳
  kPart,                 // 第一部分
  kChapter,              // 第一章
  kSection,              // 第一节
  kBracketed,            // 【…】
};
constexpr size_t kMarkerFormCount = 9;

struct HeadingMatch {
  MarkerForm form = MarkerForm::kChineseNumeral;
  std::u32string marker;
  std::u32string_view title;
  // Offset in the line just past the heading's text (marker and title).
  size_t end = 0;
  // Body text follows the title on the same line.
  bool run_in = false;
};

size_t CountWhile(std::u32string_view s, size_t from, bool (*pred)(char32_t)) {
  size_t i = from;
  while (i < s.size() && pred(s[i])) ++i;
  return i - from;
}

bool IsCircledDigit(char32_t c) { return c >= 0x2460 && c <= 0x2473; }        // ① … ⑳
bool IsParenthesizedDigit(char32_t c) { return c >= 0x2474 && c <= 0x2487; }  // ⑴ … ⒇

bool IsClauseComma(char32_t c) { return c == U'，' || c == ','; }

// Completes `m` from `line`, whose marker takes its first `marker_len` code
// points: the title runs to the first title stop, or to a gap of whitespace
// after which a clause begins while the text before it has none ("一、主要
// 举措和成效　2023年，本区……", a bold heading and its paragraph joined by a
// page). Empty title: no heading.
bool TakeTitle(std::u32string_view line, size_t marker_len, HeadingMatch& m) {
  const std::u32string_view rest = line.substr(marker_len);
  size_t stop = 0;
  size_t gap = std::u32string_view::npos;  // the first whitespace after the title's start
  bool comma_before_gap = false;
  bool comma_after_gap = false;
  size_t lead = 0;
  while (lead < rest.size() && IsSpace(rest[lead])) ++lead;
  for (stop = lead; stop < rest.size() && !IsTitleStop(rest[stop]); ++stop) {
    if (gap == std::u32string_view::npos && IsSpace(rest[stop])) gap = stop;
    if (IsClauseComma(rest[stop])) {
      (gap == std::u32string_view::npos ? comma_before_gap : comma_after_gap) = true;
    }
  }
  const bool cut_at_gap = gap != std::u32string_view::npos && comma_after_gap && !comma_before_gap;
  m.title = Trim(rest.substr(0, cut_at_gap ? gap : stop));
  if (m.title.empty()) return false;
  m.marker = std::u32string(line.substr(0, marker_len));
  m.end = static_cast<size_t>(m.title.data() - line.data()) + m.title.size();
  m.run_in = cut_at_gap || (stop < rest.size() && !Trim(rest.substr(stop + 1)).empty());
  return true;
}

// `line` is a trimmed line.
std::optional<HeadingMatch> MatchHeading(std::u32string_view line) {
  // A table row (cells joined by TAB) is never a heading.
  if (line.empty() || line.find(U'\t') != std::u32string_view::npos) return std::nullopt;
  HeadingMatch m;
  const char32_t first = line[0];
  size_t marker_len = 0;

  if (first == U'【') {
    const size_t close = line.find(U'】', 1);
    if (close == std::u32string_view::npos) return std::nullopt;
    m.title = Trim(line.substr(1, close - 1));
    if (m.title.empty()) return std::nullopt;
    m.form = MarkerForm::kBracketed;
    m.marker = U"【】";
    m.end = close + 1;
    m.run_in = !Trim(line.substr(close + 1)).empty();
    return m;
  }

  if (IsOpenParen(first)) {
    size_t n = CountWhile(line, 1, IsChineseNumeral);
    if (n > 0 && n <= kMaxChineseNumeralLength) {
      m.form = MarkerForm::kParenChineseNumeral;
    } else {
      n = CountWhile(line, 1, IsDigit);
      if (n == 0 || n > kMaxDigitMarkerLength) return std::nullopt;
      m.form = MarkerForm::kParenDigit;
    }
    if (1 + n >= line.size() || !IsCloseParen(line[1 + n])) return std::nullopt;
    marker_len = n + 2;
  } else if (IsParenthesizedDigit(first)) {
    m.form = MarkerForm::kParenDigit;
    marker_len = 1;
  } else if (IsCircledDigit(first)) {
    m.form = MarkerForm::kCircledDigit;
    marker_len = 1;
  } else if (first == U'第') {
    const size_t n = CountWhile(line, 1, IsChineseNumeral);
    if (n == 0 || n > kMaxChineseNumeralLength) return std::nullopt;
    const std::u32string_view unit = line.substr(1 + n);
    if (StartsWith(unit, U"部分")) {
      m.form = MarkerForm::kPart;
      marker_len = 1 + n + 2;
    } else if (StartsWith(unit, U"章") || StartsWith(unit, U"节")) {
      m.form = unit[0] == U'章' ? MarkerForm::kChapter : MarkerForm::kSection;
      marker_len = 1 + n + 1;
    } else {
      return std::nullopt;
    }
    // "第一部分：主要举措" / "第一部分、主要举措": the separator belongs to
    // neither marker nor title.
    size_t title_from = marker_len;
    while (title_from < line.size() && IsSpace(line[title_from])) ++title_from;
    if (title_from < line.size() &&
        (line[title_from] == U'：' || line[title_from] == ':' || line[title_from] == U'、' ||
         line[title_from] == U'．' || line[title_from] == '.')) {
      ++title_from;
    }
    if (!TakeTitle(line, title_from, m)) return std::nullopt;
    m.marker.resize(marker_len);
    return m;
  } else if (IsChineseNumeral(first)) {
    const size_t n = CountWhile(line, 0, IsChineseNumeral);
    if (n > kMaxChineseNumeralLength || n >= line.size()) return std::nullopt;
    const char32_t sep = line[n];
    if (sep != U'、' && sep != U'．' && sep != '.') return std::nullopt;
    m.form = MarkerForm::kChineseNumeral;
    marker_len = n + 1;
  } else if (IsDigit(first)) {
    const size_t n = CountWhile(line, 0, IsDigit);
    if (n > kMaxDigitMarkerLength || n >= line.size()) return std::nullopt;
    const char32_t sep = line[n];
    if (sep != U'、' && sep != U'．' && sep != '.') return std::nullopt;
    // "2.8万件", "1、2号楼": a number, not a marker.
    if (n + 1 < line.size() && IsDigit(line[n + 1])) return std::nullopt;
    m.form = MarkerForm::kDigit;
    marker_len = n + 1;
  } else {
    return std::nullopt;
  }

  if (!TakeTitle(line, marker_len, m)) return std::nullopt;
  return m;
}

// ---------------------------------------------------------------------------
// Part rules.

struct CompiledPattern {
  std::vector<std::u32string> phrases;  // normalized, non-empty
  size_t weight = 0;                    // total length of the phrases
  std::string looked_for;               // the phrases as written, joined by "+"
};

// A SubjectClause, its phrases in NormalizeForMatch form.
struct CompiledClause {
  std::u32string subject_ends_with;
  size_t max_subject_length = 0;
  std::vector<std::u32string> verbs, contains_all_of, subject_none_of;
};

struct CompiledRule {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  bool required = false;
  std::vector<CompiledPattern> headings;
  std::vector<CompiledPattern> sentences;
  std::vector<CompiledClause> clauses;
};

bool HasPlaceholder(std::string_view phrase) {
  return phrase.find("{year}") != std::string_view::npos ||
         phrase.find("{next_year}") != std::string_view::npos;
}

// The usable patterns of `patterns`: placeholders substituted, empty phrases
// dropped; with the year unknown, patterns using a placeholder are dropped.
std::vector<CompiledPattern> CompilePatterns(const std::vector<PartPattern>& patterns,
                                             int year_covered) {
  const bool year_known = year_covered > 0;
  const std::string year = absl::StrCat(year_covered);
  const std::string next_year = absl::StrCat(year_covered + 1LL);
  std::vector<CompiledPattern> compiled;
  for (const PartPattern& pattern : patterns) {
    CompiledPattern cp;
    std::vector<std::string> written;
    bool usable = true;
    for (const std::string& phrase : pattern.all_of) {
      if (HasPlaceholder(phrase) && !year_known) {
        usable = false;
        break;
      }
      std::string substituted =
          absl::StrReplaceAll(phrase, {{"{year}", year}, {"{next_year}", next_year}});
      std::u32string normalized = NormalizeForMatch(Decode(substituted));
      if (normalized.empty()) continue;
      cp.weight += normalized.size();
      cp.phrases.push_back(std::move(normalized));
      written.push_back(std::move(substituted));
    }
    if (!usable || cp.phrases.empty()) continue;
    cp.looked_for = absl::StrJoin(written, "+");
    compiled.push_back(std::move(cp));
  }
  return compiled;
}

std::vector<CompiledRule> CompileRules(const std::vector<PartRule>& rules, int year_covered) {
  std::vector<CompiledRule> compiled;
  for (const PartRule& rule : rules) {
    if (rule.part == v1::REPORT_PART_UNSPECIFIED) continue;
    CompiledRule c{rule.part,
                   rule.required,
                   CompilePatterns(rule.patterns, year_covered),
                   CompilePatterns(rule.sentence_patterns, year_covered),
                   {}};
    for (const SubjectClause& clause : rule.subject_clauses) {
      CompiledClause cc;
      cc.subject_ends_with = NormalizeForMatch(Decode(clause.subject_ends_with));
      cc.max_subject_length = clause.max_subject_length;
      for (const auto& [from, to] : {std::pair{&clause.verbs, &cc.verbs},
                                     std::pair{&clause.contains_all_of, &cc.contains_all_of},
                                     std::pair{&clause.subject_none_of, &cc.subject_none_of}}) {
        for (const std::string& phrase : *from) to->push_back(NormalizeForMatch(Decode(phrase)));
      }
      c.clauses.push_back(std::move(cc));
    }
    compiled.push_back(std::move(c));
  }
  return compiled;
}

// `normalized` is in NormalizeForMatch form.
bool Matches(const CompiledPattern& pattern, std::u32string_view normalized) {
  return std::all_of(pattern.phrases.begin(), pattern.phrases.end(),
                     [&](const std::u32string& p) { return Contains(normalized, p); });
}

bool MatchesAny(const std::vector<CompiledPattern>& patterns, std::u32string_view normalized) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const CompiledPattern& p) { return Matches(p, normalized); });
}

// The part a heading's title matches and the pattern it matches it by.
struct PartMatch {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  const CompiledPattern* pattern = nullptr;  // null when the part is unspecified
};

// `normalized` is in NormalizeForMatch form.
PartMatch MatchPart(std::u32string_view normalized, const std::vector<CompiledRule>& rules) {
  PartMatch best;
  for (const CompiledRule& rule : rules) {
    for (const CompiledPattern& pattern : rule.headings) {
      if ((best.pattern == nullptr || pattern.weight > best.pattern->weight) &&
          Matches(pattern, normalized)) {
        best = {rule.part, &pattern};
      }
    }
  }
  return best;
}

PartPattern Pattern(std::initializer_list<const char*> phrases) {
  PartPattern p;
  for (const char* phrase : phrases) p.all_of.emplace_back(phrase);
  return p;
}

std::vector<PartPattern> Patterns(std::initializer_list<std::initializer_list<const char*>> all) {
  std::vector<PartPattern> out;
  for (const auto& phrases : all) out.push_back(Pattern(phrases));
  return out;
}

absl::Status ValidatePatterns(const std::string& where, const std::vector<PartPattern>& patterns) {
  for (size_t p = 0; p < patterns.size(); ++p) {
    const PartPattern& pattern = patterns[p];
    if (pattern.all_of.empty()) {
      return errors::InvalidConfiguration(
          absl::StrCat(where, ", pattern ", p + 1, ": has no phrases"));
    }
    for (const std::string& phrase : pattern.all_of) {
      const std::string at = absl::StrCat(where, ", pattern ", p + 1, ", phrase \"", phrase, "\"");
      if (!text::IsValidUtf8(phrase)) {
        return errors::InvalidConfiguration(
            absl::StrCat(where, ", pattern ", p + 1, ": a phrase is not valid UTF-8"));
      }
      if (NormalizeForMatch(Decode(phrase)).empty()) {
        return errors::InvalidConfiguration(absl::StrCat(at, ": is empty"));
      }
      const std::string bare = absl::StrReplaceAll(phrase, {{"{year}", ""}, {"{next_year}", ""}});
      if (bare.find_first_of("{}") != std::string::npos) {
        return errors::InvalidConfiguration(
            absl::StrCat(at, ": only {year} and {next_year} may be used as placeholders"));
      }
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Judging the parts.

struct CompiledLayout {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;  // unspecified: not in use
  size_t min_headings = 1;
  std::vector<CompiledPattern> patterns;
};

// What reading the headings leaves for judging the parts.
struct HeadingsRead {
  // The part each heading's own title matches (the most specific pattern);
  // REPORT_PART_UNSPECIFIED for an umbrella heading.
  std::vector<ReportPart> own_parts;
  // The pattern each heading's own part was matched by (null: none).
  std::vector<const CompiledPattern*> own_patterns;
  // Each heading's title in NormalizeForMatch form.
  std::vector<std::u32string> normalized_titles;
  // The headings of the thematic layout at the shallowest level where there
  // are enough of them; empty if no level has enough.
  std::vector<size_t> thematic;
  int thematic_level = 0;
};

// An umbrella heading ("一、2021年法治政府建设工作情况" over "（1）主要举措和
// 成效", "（2）存在的不足和原因") matches a part, but the headings beneath it
// show two or more different parts, its own among them by a pattern its own
// title does not match: the parts are shown by those sub-headings and the
// umbrella stands for none. A heading beneath that restates the part in the
// heading's own words ("（一）主要举措和成效" under "一、2022年…主要举措和成效",
// beside "（二）…第一责任人职责情况") divides the section: the heading keeps
// its part. Clears the part of every umbrella in `read` and `headings`.
// Linear: a heading is beneath at most one open heading per level.
void SetUmbrellasAside(HeadingsRead& read, std::vector<Heading>& headings) {
  std::vector<std::vector<ReportPart>> parts_beneath(headings.size());
  std::vector<bool> own_part_reworded_beneath(headings.size(), false);
  std::vector<size_t> open;  // the headings the current one is beneath, outermost first
  for (size_t k = 0; k < headings.size(); ++k) {
    while (!open.empty() && headings[open.back()].level >= headings[k].level) open.pop_back();
    const ReportPart part = read.own_parts[k];
    if (part != v1::REPORT_PART_UNSPECIFIED) {
      for (size_t above : open) {
        std::vector<ReportPart>& parts = parts_beneath[above];
        if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
        if (part == read.own_parts[above] &&
            !Matches(*read.own_patterns[k], read.normalized_titles[above])) {
          own_part_reworded_beneath[above] = true;
        }
      }
    }
    open.push_back(k);
  }
  for (size_t k = 0; k < headings.size(); ++k) {
    if (parts_beneath[k].size() >= 2 && own_part_reworded_beneath[k]) {
      read.own_parts[k] = v1::REPORT_PART_UNSPECIFIED;
      read.own_patterns[k] = nullptr;
      headings[k].part = v1::REPORT_PART_UNSPECIFIED;
    }
  }
}

// Appends the headings of `text` to `headings`, a level-1 heading that is no
// umbrella with the part its title matches.
HeadingsRead ReadHeadings(std::u32string_view text, const std::vector<LineSpan>& lines,
                          const std::vector<CompiledRule>& rules, const CompiledLayout& layout,
                          std::vector<Heading>& headings) {
  HeadingsRead read;
  std::vector<std::vector<size_t>> thematic_by_level(kMarkerFormCount + 1);
  std::array<int, kMarkerFormCount> level_of_form{};
  int next_level = 1;
  ReportPart top_part = v1::REPORT_PART_UNSPECIFIED;  // of the latest level-1 heading
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::optional<HeadingMatch> m = MatchHeading(LineText(text, lines[i]));
    if (!m) continue;
    int& level = level_of_form[static_cast<size_t>(m->form)];
    if (level == 0) level = next_level++;
    Heading h;
    h.level = level;
    h.marker = Encode(m->marker);
    h.title = Encode(m->title);
    h.line = i;
    h.begin = lines[i].begin;
    h.end = lines[i].begin + m->end;
    h.run_in = m->run_in;
    const std::u32string normalized = NormalizeForMatch(m->title);
    const PartMatch match = MatchPart(normalized, rules);
    const ReportPart own = match.part;
    if (level == 1) {
      h.part = own;
      top_part = own;
    }
    if (own == v1::REPORT_PART_UNSPECIFIED && !layout.patterns.empty() &&
        (level == 1 || top_part == v1::REPORT_PART_UNSPECIFIED || top_part == layout.part) &&
        MatchesAny(layout.patterns, normalized)) {
      thematic_by_level[static_cast<size_t>(level)].push_back(headings.size());
    }
    read.own_parts.push_back(own);
    read.own_patterns.push_back(match.pattern);
    read.normalized_titles.push_back(normalized);
    headings.push_back(std::move(h));
  }
  SetUmbrellasAside(read, headings);
  for (size_t level = 1; level < thematic_by_level.size(); ++level) {
    if (thematic_by_level[level].size() >= layout.min_headings) {
      read.thematic = std::move(thematic_by_level[level]);
      read.thematic_level = static_cast<int>(level);
      break;
    }
  }
  return read;
}

void Show(std::u32string_view text, PartEvidence evidence, size_t begin, size_t end,
          PartJudgement& j) {
  j.present = true;
  j.evidence = evidence;
  j.begin = begin;
  j.end = end;
  j.shown_by = Encode(text.substr(begin, std::min(end - begin, kMaxShownByCodePoints)));
}

void ShowByHeading(std::u32string_view text, const Heading& h, PartJudgement& j) {
  Show(text,
       h.run_in ? v1::PartFinding::EVIDENCE_RUN_IN_HEADING : v1::PartFinding::EVIDENCE_HEADING,
       h.begin, h.end, j);
}

// Judges `rule`'s part by the headings: the highest-level heading whose own
// part it is (the earliest of its level), unless the thematic layout is of a
// higher level and shows this part. Marks the heading(s) that show it. With
// neither, the highest-level, earliest heading that matches one of the rule's
// patterns though its own part is another; it keeps its own part. Umbrella
// headings show no part.
PartJudgement JudgeByHeadings(std::u32string_view text, const CompiledRule& rule,
                              const CompiledLayout& layout, const HeadingsRead& read,
                              std::vector<Heading>& headings) {
  PartJudgement j;
  j.part = rule.part;
  j.required = rule.required;
  size_t best = headings.size();
  for (size_t k = 0; k < headings.size(); ++k) {
    if (read.own_parts[k] == rule.part &&
        (best == headings.size() || headings[k].level < headings[best].level)) {
      best = k;
    }
  }
  if (!read.thematic.empty() && rule.part == layout.part &&
      (best == headings.size() || headings[best].level > read.thematic_level)) {
    for (size_t k : read.thematic) headings[k].part = rule.part;
    const Heading& first = headings[read.thematic.front()];
    Show(text, v1::PartFinding::EVIDENCE_THEMATIC_HEADINGS, first.begin, first.end, j);
  } else if (best != headings.size()) {
    Heading& h = headings[best];
    h.part = rule.part;
    ShowByHeading(text, h, j);
  } else {
    // A combined heading ("八、存在的不足和下一步工作安排") shows this part as
    // well as the more specific one it stands for, which keeps the heading.
    for (size_t k = 0; k < headings.size(); ++k) {
      if (read.own_parts[k] != v1::REPORT_PART_UNSPECIFIED &&
          (best == headings.size() || headings[k].level < headings[best].level) &&
          MatchesAny(rule.headings, read.normalized_titles[k])) {
        best = k;
      }
    }
    if (best != headings.size()) ShowByHeading(text, headings[best], j);
  }
  return j;
}

// True when `clause` (in NormalizeForMatch form) is one of `rule`'s
// subject clauses: the leaders' duty told mid-paragraph with the filer's own
// leader as subject ("区政府主要负责人切实履行…第一责任人职责").
bool MatchesSubjectClause(const CompiledRule& rule, std::u32string_view clause) {
  for (const CompiledClause& c : rule.clauses) {
    const size_t at = clause.substr(0, c.max_subject_length + c.subject_ends_with.size())
                          .find(c.subject_ends_with);
    if (at == std::u32string_view::npos) continue;
    const std::u32string_view subject = clause.substr(0, at);
    const std::u32string_view after = clause.substr(at + c.subject_ends_with.size());
    const bool verb_follows = std::any_of(c.verbs.begin(), c.verbs.end(), [&](const auto& verb) {
      return lines::StartsWith(after, verb);
    });
    const bool names_all = std::all_of(c.contains_all_of.begin(), c.contains_all_of.end(),
                                       [&](const auto& phrase) { return Contains(after, phrase); });
    const bool acts_on_others =
        std::any_of(c.subject_none_of.begin(), c.subject_none_of.end(),
                    [&](const auto& word) { return Contains(subject, word); });
    if (verb_follows && names_all && !acts_on_others) return true;
  }
  return false;
}

// Shows by a sentence each part of `findings` that is still missing and has
// sentence patterns or subject clauses (`rules[f]` is the rule of
// `findings[f]`). Tried: the sentence opening each paragraph, i.e. each line
// that is neither a heading nor a table row, and the body of each run-in
// heading; then every clause of those against the subject clauses. The
// earliest in the text shows the part.
void ShowBySentences(std::u32string_view text, const std::vector<LineSpan>& lines,
                     const std::vector<Heading>& headings,
                     const std::vector<const CompiledRule*>& rules,
                     std::vector<PartJudgement>& findings) {
  std::vector<size_t> awaiting;
  for (size_t f = 0; f < findings.size(); ++f) {
    if (!findings[f].present && (!rules[f]->sentences.empty() || !rules[f]->clauses.empty())) {
      awaiting.push_back(f);
    }
  }
  size_t next_heading = 0;
  for (size_t i = 0; i < lines.size() && !awaiting.empty(); ++i) {
    size_t from = lines[i].begin;
    const size_t line_end = lines[i].end;
    if (next_heading < headings.size() && headings[next_heading].line == i) {
      const Heading& h = headings[next_heading++];
      if (!h.run_in) continue;
      from = h.end;
      while (from < line_end && (IsSpace(text[from]) || IsTitleStop(text[from]))) ++from;
    } else if (LineText(text, lines[i]).find(U'\t') != std::u32string_view::npos) {
      continue;  // a table row
    }
    size_t to = from;
    while (to < line_end && !IsSentenceEnd(text[to])) ++to;
    if (to < line_end) ++to;  // the sentence keeps its full stop
    if (to == from) continue;
    const std::u32string normalized = NormalizeForMatch(text.substr(from, to - from));
    for (auto it = awaiting.begin(); it != awaiting.end();) {
      if (MatchesAny(rules[*it]->sentences, normalized)) {
        Show(text, v1::PartFinding::EVIDENCE_SENTENCE, from, to, findings[*it]);
        it = awaiting.erase(it);
      } else {
        ++it;
      }
    }
    for (auto it = awaiting.begin(); it != awaiting.end();) {
      bool shown = false;
      for (size_t begin = from; begin < line_end && !rules[*it]->clauses.empty();) {
        size_t end = begin;
        while (end < line_end && !IsSentencePunctuation(text[end])) ++end;
        if (MatchesSubjectClause(*rules[*it], NormalizeForMatch(text.substr(begin, end - begin)))) {
          while (IsSpace(text[begin])) ++begin;
          Show(text, v1::PartFinding::EVIDENCE_SENTENCE, begin, end, findings[*it]);
          shown = true;
          break;
        }
        begin = end + 1;
      }
      it = shown ? awaiting.erase(it) : it + 1;
    }
  }
}

}  // namespace

std::vector<PartRule> DefaultPartRules() {
  std::vector<PartRule> rules;
  rules.push_back({v1::REPORT_PART_MEASURES_AND_RESULTS,
                   true,
                   Patterns({{"主要举措"},
                             {"成效"},
                             {"主要做法"},
                             {"基本情况", "做法"},
                             {"工作情况"},
                             {"开展情况"},
                             {"进展情况"},
                             {"主要工作"},
                             {"工作举措"},
                             {"主要成绩"}}),
                   {}});
  rules.push_back({v1::REPORT_PART_SHORTCOMINGS,
                   true,
                   Patterns({{"不足"},
                             {"不足", "原因"},
                             {"存在", "问题"},
                             {"困难", "问题"},
                             {"存在", "差距"},
                             {"薄弱环节"}}),
                   {}});
  rules.push_back({v1::REPORT_PART_LEADERS_DUTY,
                   true,
                   Patterns({{"第一责任人"},
                             {"主要负责人", "履行"},
                             {"主要负责人", "职责"},
                             {"主要领导", "履行", "职责"},
                             {"第一责任", "职责"}}),
                   Patterns({{"第一责任人", "职责"}, {"主要负责人", "履行", "法治", "职责"}}),
                   {SubjectClause{"主要负责人",
                                  10,
                                  {"履行", "切实履行", "认真履行", "带头履行", "全面履行"},
                                  {"第一责任人"},
                                  {"落实", "推动", "督促", "压实", "推进", "强化", "坚持", "要求",
                                   "明确", "健全", "完善", "建立", "加强", "抓好", "确保", "组织",
                                   "指导", "监督", "考核", "制定", "印发", "下发", "《",   "“"}}}});
  rules.push_back({v1::REPORT_PART_NEXT_YEAR_PLANS,
                   true,
                   Patterns({{"{next_year}年", "安排"},
                             {"{next_year}年", "重点"},
                             {"{next_year}年", "计划"},
                             {"{next_year}年", "思路"},
                             {"{next_year}年", "打算"},
                             {"{next_year}年", "工作"},
                             {"{next_year}年", "目标"},
                             {"下一年"},
                             {"下一步"},
                             {"下一步", "工作"},
                             {"下一步", "安排"},
                             {"下一步", "打算"},
                             {"下一步", "计划"},
                             {"明年"},
                             {"明年", "工作"}}),
                   {}});
  rules.push_back({v1::REPORT_PART_OTHER_MATTERS,
                   false,
                   Patterns({{"其他需要报告"}, {"其他需要说明"}, {"其他事项"}}),
                   {}});
  return rules;
}

ThematicLayoutRule DefaultThematicLayout() {
  return {v1::REPORT_PART_MEASURES_AND_RESULTS, 3,
          Patterns({{"履行政府职能"},
                    {"政府机构职能体系"},
                    {"依法行政制度体系"},
                    {"行政决策"},
                    {"规范公正文明执法"},
                    {"行政执法工作体系"},
                    {"行政权力", "制约"},
                    {"行政权力", "监督"},
                    {"矛盾纠纷"},
                    {"突发事件"},
                    {"科技保障"},
                    {"数字法治政府"},
                    {"法治思维"},
                    {"依法行政能力"},
                    {"党对法治政府建设的领导"},
                    {"法治政府建设推进机制"}})};
}

absl::Status ValidatePartRules(const std::vector<PartRule>& rules) {
  std::set<ReportPart> seen;
  for (size_t r = 0; r < rules.size(); ++r) {
    const PartRule& rule = rules[r];
    const int part = static_cast<int>(rule.part);
    const std::string where = absl::StrCat("part rule ", r + 1, " (part ", part, ")");
    if (part < 1 || part > 5) {
      return errors::InvalidConfiguration(absl::StrCat(where, ": part must be 1..5"));
    }
    if (!seen.insert(rule.part).second) {
      return errors::InvalidConfiguration(
          absl::StrCat(where, ": a rule for this part came before"));
    }
    if (rule.patterns.empty()) {
      return errors::InvalidConfiguration(absl::StrCat(where, ": has no patterns"));
    }
    absl::Status status = ValidatePatterns(where, rule.patterns);
    if (!status.ok()) return status;
    status = ValidatePatterns(absl::StrCat(where, ", sentence"), rule.sentence_patterns);
    if (!status.ok()) return status;
    for (size_t c = 0; c < rule.subject_clauses.size(); ++c) {
      const SubjectClause& clause = rule.subject_clauses[c];
      const std::string at = absl::StrCat(where, ", subject clause ", c + 1);
      if (clause.subject_ends_with.empty() || clause.verbs.empty()) {
        return errors::InvalidConfiguration(
            absl::StrCat(at, ": needs subject_ends_with and at least one verb"));
      }
      if (clause.max_subject_length < 1 || clause.max_subject_length > 30) {
        return errors::InvalidConfiguration(absl::StrCat(at, ": max_subject_length must be 1..30"));
      }
      for (const auto* phrases :
           {&clause.verbs, &clause.contains_all_of, &clause.subject_none_of}) {
        for (const std::string& phrase : *phrases) {
          if (Trim(Decode(phrase)).empty() || !text::IsValidUtf8(phrase)) {
            return errors::InvalidConfiguration(
                absl::StrCat(at, ": a phrase is empty or not UTF-8"));
          }
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateThematicLayout(const ThematicLayoutRule& layout) {
  if (layout.part == v1::REPORT_PART_UNSPECIFIED && layout.patterns.empty()) {
    return absl::OkStatus();
  }
  const int part = static_cast<int>(layout.part);
  if (part < 1 || part > 5) {
    return errors::InvalidConfiguration("thematic layout: part must be 1..5");
  }
  if (layout.min_headings < 1) {
    return errors::InvalidConfiguration("thematic layout: min_headings must be at least 1");
  }
  if (layout.patterns.empty()) {
    return errors::InvalidConfiguration("thematic layout: has no patterns");
  }
  return ValidatePatterns("thematic layout", layout.patterns);
}

ReportStructure ParseReportStructure(std::string_view text, int year_covered,
                                     const std::vector<PartRule>& rules,
                                     const ThematicLayoutRule& thematic) {
  const std::u32string decoded = Decode(text);
  const std::vector<LineSpan> lines = SplitLines(decoded);
  const std::vector<CompiledRule> compiled = CompileRules(rules, year_covered);
  const bool layout_in_use = thematic.part != v1::REPORT_PART_UNSPECIFIED &&
                             thematic.min_headings >= 1 && !thematic.patterns.empty();
  const CompiledLayout layout = {layout_in_use ? thematic.part : v1::REPORT_PART_UNSPECIFIED,
                                 static_cast<size_t>(std::max(thematic.min_headings, 1)),
                                 layout_in_use ? CompilePatterns(thematic.patterns, year_covered)
                                               : std::vector<CompiledPattern>{}};

  ReportStructure out;
  const HeadingsRead read = ReadHeadings(decoded, lines, compiled, layout, out.headings);

  // Findings come in part order; ties between headings went to the earlier rule.
  std::vector<size_t> in_part_order(compiled.size());
  for (size_t r = 0; r < compiled.size(); ++r) in_part_order[r] = r;
  std::stable_sort(in_part_order.begin(), in_part_order.end(),
                   [&](size_t a, size_t b) { return compiled[a].part < compiled[b].part; });
  std::vector<const CompiledRule*> rule_of_finding;
  for (size_t r : in_part_order) {
    rule_of_finding.push_back(&compiled[r]);
    out.findings.push_back(
        JudgeByHeadings(decoded, *rule_of_finding.back(), layout, read, out.headings));
  }
  ShowBySentences(decoded, lines, out.headings, rule_of_finding, out.findings);

  std::set<ReportPart> present;
  std::set<ReportPart> missing;
  for (size_t f = 0; f < out.findings.size(); ++f) {
    PartJudgement& j = out.findings[f];
    if (j.present) {
      present.insert(j.part);
      continue;
    }
    if (j.required) missing.insert(j.part);
    std::set<std::string> listed;
    auto list = [&](const std::vector<CompiledPattern>& patterns) {
      for (const CompiledPattern& p : patterns) {
        if (listed.insert(p.looked_for).second) j.looked_for.push_back(p.looked_for);
      }
    };
    list(rule_of_finding[f]->headings);
    list(rule_of_finding[f]->sentences);
    if (j.part == layout.part) list(layout.patterns);
  }
  out.parts_present.assign(present.begin(), present.end());
  out.required_missing.assign(missing.begin(), missing.end());
  return out;
}

}  // namespace fazhi::report
