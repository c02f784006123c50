#include "services/report/report_structure.h"

#include <algorithm>
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
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"

namespace fazhi::report {
namespace {

constexpr char32_t kReplacementChar = 0xFFFD;
constexpr size_t kMaxChineseNumeralLength = 5;
constexpr size_t kMaxDigitMarkerLength = 3;

// ---------------------------------------------------------------------------
// UTF-8.

// Decodes `in`; every byte that does not start a valid, shortest-form
// sequence of a scalar value becomes one U+FFFD.
std::u32string DecodeLenient(std::string_view in) {
  std::u32string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    const auto b0 = static_cast<unsigned char>(in[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    bool ok = len != 0 && in.size() - i >= len;
    for (size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(in[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(kReplacementChar);
      ++i;
    }
  }
  return out;
}

// `s` must hold scalar values only (DecodeLenient's output does).
std::string EncodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Characters and strings.

bool IsSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x00A0 || c == 0x3000 || c == 0xFEFF ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F;
}

bool IsDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

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

// Ends a run-in heading's title.
bool IsTitleStop(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'：' || c == ':';
}

std::u32string_view Trim(std::u32string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool Contains(std::u32string_view s, std::u32string_view part) {
  return s.find(part) != std::u32string_view::npos;
}

// The form titles and phrases are compared in: no whitespace, full-width
// ASCII forms folded to ASCII.
std::u32string NormalizeForMatch(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (char32_t c : s) {
    if (IsSpace(c)) continue;
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Lines.

// A line's content, surrounding whitespace excluded, as code-point offsets.
struct LineSpan {
  size_t begin = 0;
  size_t end = 0;
};

std::vector<LineSpan> SplitLines(std::u32string_view text) {
  std::vector<LineSpan> lines;
  size_t start = 0;
  auto add = [&](size_t end) {
    size_t b = start;
    size_t e = end;
    while (b < e && IsSpace(text[b])) ++b;
    while (e > b && IsSpace(text[e - 1])) --e;
    lines.push_back({b, e});
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      add(i);
      start = i + 1;
    } else if (text[i] == '\r') {
      add(i);
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) add(text.size());
  return lines;
}

std::u32string_view LineText(std::u32string_view text, const LineSpan& span) {
  return text.substr(span.begin, span.end - span.begin);
}

// ---------------------------------------------------------------------------
// Headings.

struct HeadingMatch {
  int level = 0;
  std::u32string marker;
  std::u32string_view title;
};

size_t CountWhile(std::u32string_view s, size_t from, bool (*pred)(char32_t)) {
  size_t i = from;
  while (i < s.size() && pred(s[i])) ++i;
  return i - from;
}

// The title of a heading whose marker ends just before `rest`.
std::u32string_view RunInTitle(std::u32string_view rest) {
  size_t stop = 0;
  while (stop < rest.size() && !IsTitleStop(rest[stop])) ++stop;
  return Trim(rest.substr(0, stop));
}

// `line` is a trimmed line.
std::optional<HeadingMatch> MatchHeading(std::u32string_view line) {
  if (line.empty()) return std::nullopt;
  HeadingMatch m;
  const char32_t first = line[0];
  size_t marker_len = 0;

  if (first == U'【') {
    const size_t close = line.find(U'】', 1);
    if (close == std::u32string_view::npos) return std::nullopt;
    m.title = Trim(line.substr(1, close - 1));
    if (m.title.empty()) return std::nullopt;
    m.level = 1;
    m.marker = U"【】";
    return m;
  }

  if (IsOpenParen(first)) {
    size_t n = CountWhile(line, 1, IsChineseNumeral);
    if (n > 0 && n <= kMaxChineseNumeralLength) {
      m.level = 2;
    } else {
      n = CountWhile(line, 1, IsDigit);
      if (n == 0 || n > kMaxDigitMarkerLength) return std::nullopt;
      m.level = 4;
    }
    if (1 + n >= line.size() || !IsCloseParen(line[1 + n])) {
      return std::nullopt;
    }
    marker_len = n + 2;
  } else if (IsChineseNumeral(first)) {
    const size_t n = CountWhile(line, 0, IsChineseNumeral);
    if (n > kMaxChineseNumeralLength || n >= line.size()) return std::nullopt;
    const char32_t sep = line[n];
    if (sep != U'、' && sep != U'．' && sep != '.') return std::nullopt;
    m.level = 1;
    marker_len = n + 1;
  } else if (IsDigit(first)) {
    const size_t n = CountWhile(line, 0, IsDigit);
    if (n > kMaxDigitMarkerLength || n >= line.size()) return std::nullopt;
    const char32_t sep = line[n];
    if (sep != U'、' && sep != U'．' && sep != '.') return std::nullopt;
    // "2.8万件", "1、2号楼": a number, not a marker.
    if (n + 1 < line.size() && IsDigit(line[n + 1])) return std::nullopt;
    m.level = 3;
    marker_len = n + 1;
  } else {
    return std::nullopt;
  }

  m.marker = std::u32string(line.substr(0, marker_len));
  m.title = RunInTitle(line.substr(marker_len));
  if (m.title.empty()) return std::nullopt;
  return m;
}

// ---------------------------------------------------------------------------
// Part rules.

struct CompiledPattern {
  std::vector<std::u32string> phrases;  // normalized, non-empty
  size_t weight = 0;                    // total length of the phrases
};

struct CompiledRule {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  std::vector<CompiledPattern> patterns;
};

bool HasPlaceholder(std::string_view phrase) {
  return phrase.find("{year}") != std::string_view::npos ||
         phrase.find("{next_year}") != std::string_view::npos;
}

std::vector<CompiledRule> CompileRules(const std::vector<PartRule>& rules, int year_covered) {
  const bool year_known = year_covered > 0;
  const std::string year = absl::StrCat(year_covered);
  const std::string next_year = absl::StrCat(year_covered + 1LL);
  std::vector<CompiledRule> compiled;
  for (const PartRule& rule : rules) {
    if (rule.part == v1::REPORT_PART_UNSPECIFIED) continue;
    CompiledRule out;
    out.part = rule.part;
    for (const PartPattern& pattern : rule.patterns) {
      CompiledPattern cp;
      bool usable = true;
      for (const std::string& phrase : pattern.all_of) {
        if (HasPlaceholder(phrase) && !year_known) {
          usable = false;
          break;
        }
        std::u32string normalized = NormalizeForMatch(DecodeLenient(
            absl::StrReplaceAll(phrase, {{"{year}", year}, {"{next_year}", next_year}})));
        if (normalized.empty()) continue;
        cp.weight += normalized.size();
        cp.phrases.push_back(std::move(normalized));
      }
      if (usable && !cp.phrases.empty()) out.patterns.push_back(std::move(cp));
    }
    compiled.push_back(std::move(out));
  }
  return compiled;
}

ReportPart MatchPart(std::u32string_view title, const std::vector<CompiledRule>& rules) {
  const std::u32string normalized = NormalizeForMatch(title);
  ReportPart best = v1::REPORT_PART_UNSPECIFIED;
  size_t best_weight = 0;
  for (const CompiledRule& rule : rules) {
    for (const CompiledPattern& pattern : rule.patterns) {
      if (pattern.weight <= best_weight) continue;
      const bool all =
          std::all_of(pattern.phrases.begin(), pattern.phrases.end(),
                      [&](const std::u32string& p) { return Contains(normalized, p); });
      if (all) {
        best = rule.part;
        best_weight = pattern.weight;
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

}  // namespace

std::vector<PartRule> DefaultPartRules() {
  std::vector<PartRule> rules;
  rules.push_back({v1::REPORT_PART_MEASURES_AND_RESULTS,
                   true,
                   {Pattern({"主要举措"}), Pattern({"成效"}), Pattern({"主要做法"}),
                    Pattern({"基本情况", "做法"}), Pattern({"工作情况"}), Pattern({"开展情况"}),
                    Pattern({"进展情况"}), Pattern({"主要工作"}), Pattern({"工作举措"}),
                    Pattern({"主要成绩"})}});
  rules.push_back({v1::REPORT_PART_SHORTCOMINGS,
                   true,
                   {Pattern({"不足"}), Pattern({"不足", "原因"}), Pattern({"存在", "问题"}),
                    Pattern({"困难", "问题"}), Pattern({"存在", "差距"}), Pattern({"薄弱环节"})}});
  rules.push_back(
      {v1::REPORT_PART_LEADERS_DUTY,
       true,
       {Pattern({"第一责任人"}), Pattern({"主要负责人", "履行"}), Pattern({"主要负责人", "职责"}),
        Pattern({"主要领导", "履行", "职责"}), Pattern({"第一责任", "职责"})}});
  rules.push_back(
      {v1::REPORT_PART_NEXT_YEAR_PLANS,
       true,
       {Pattern({"{next_year}年", "安排"}), Pattern({"{next_year}年", "重点"}),
        Pattern({"{next_year}年", "计划"}), Pattern({"{next_year}年", "思路"}),
        Pattern({"{next_year}年", "打算"}), Pattern({"{next_year}年", "工作"}),
        Pattern({"{next_year}年", "目标"}), Pattern({"下一年"}), Pattern({"下一步"}),
        Pattern({"下一步", "工作"}), Pattern({"下一步", "安排"}), Pattern({"下一步", "打算"}),
        Pattern({"下一步", "计划"}), Pattern({"明年"}), Pattern({"明年", "工作"})}});
  rules.push_back({v1::REPORT_PART_OTHER_MATTERS,
                   false,
                   {Pattern({"其他需要报告"}), Pattern({"其他需要说明"}), Pattern({"其他事项"})}});
  return rules;
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
    for (size_t p = 0; p < rule.patterns.size(); ++p) {
      const PartPattern& pattern = rule.patterns[p];
      if (pattern.all_of.empty()) {
        return errors::InvalidConfiguration(
            absl::StrCat(where, ", pattern ", p + 1, ": has no phrases"));
      }
      for (const std::string& phrase : pattern.all_of) {
        const std::string at =
            absl::StrCat(where, ", pattern ", p + 1, ", phrase \"", phrase, "\"");
        const std::u32string decoded = DecodeLenient(phrase);
        if (EncodeUtf8(decoded) != phrase) {
          return errors::InvalidConfiguration(
              absl::StrCat(where, ", pattern ", p + 1, ": a phrase is not valid UTF-8"));
        }
        if (NormalizeForMatch(decoded).empty()) {
          return errors::InvalidConfiguration(absl::StrCat(at, ": is empty"));
        }
        const std::string bare = absl::StrReplaceAll(phrase, {{"{year}", ""}, {"{next_year}", ""}});
        if (bare.find_first_of("{}") != std::string::npos) {
          return errors::InvalidConfiguration(
              absl::StrCat(at, ": only {year} and {next_year} may be used as placeholders"));
        }
      }
    }
  }
  return absl::OkStatus();
}

ReportStructure ParseReportStructure(std::string_view text, int year_covered,
                                     const std::vector<PartRule>& rules) {
  const std::u32string decoded = DecodeLenient(text);
  const std::vector<LineSpan> lines = SplitLines(decoded);
  const std::vector<CompiledRule> compiled = CompileRules(rules, year_covered);

  ReportStructure out;
  std::set<ReportPart> present;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::optional<HeadingMatch> m = MatchHeading(LineText(decoded, lines[i]));
    if (!m) continue;
    Heading h;
    h.level = m->level;
    h.marker = EncodeUtf8(m->marker);
    h.title = EncodeUtf8(m->title);
    h.line = i;
    h.begin = lines[i].begin;
    h.end = lines[i].end;
    if (h.level == 1) {
      h.part = MatchPart(m->title, compiled);
      if (h.part != v1::REPORT_PART_UNSPECIFIED) present.insert(h.part);
    }
    out.headings.push_back(std::move(h));
  }
  out.parts_present.assign(present.begin(), present.end());

  std::set<ReportPart> missing;
  for (const PartRule& rule : rules) {
    if (rule.required && rule.part != v1::REPORT_PART_UNSPECIFIED &&
        present.count(rule.part) == 0) {
      missing.insert(rule.part);
    }
  }
  out.required_missing.assign(missing.begin(), missing.end());
  return out;
}

}  // namespace fazhi::report
