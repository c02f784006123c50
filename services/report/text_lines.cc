#include "services/report/text_lines.h"

#include <algorithm>

#include "absl/strings/string_view.h"
#include "common/text/utf8.h"

namespace fazhi::report::lines {

bool IsSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x00A0 || c == 0x3000 || c == 0xFEFF ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F;
}

bool IsDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

bool IsSentencePunctuation(char32_t c) {
  static constexpr std::u32string_view kPunctuation = U"，,；;：:。！!？?";
  return kPunctuation.find(c) != std::u32string_view::npos;
}

bool HasSentencePunctuation(std::u32string_view s) {
  return std::any_of(s.begin(), s.end(), IsSentencePunctuation);
}

std::u32string_view Trim(std::u32string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool IsNavBar(std::u32string_view line) {
  constexpr size_t kMaxNavItem = 8;
  static constexpr std::u32string_view kSeparators = U"|｜>»›";
  line = Trim(line);
  if (HasSentencePunctuation(line)) return false;
  size_t items = 0;
  bool separated = false;  // by a separator character rather than a gap
  size_t item_begin = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    const bool separator =
        i < line.size() && kSeparators.find(line[i]) != std::u32string_view::npos;
    const bool gap =
        i < line.size() && (line[i] == U'\t' || line[i] == U'\u3000' ||
                            (line[i] == ' ' && i + 1 < line.size() && line[i + 1] == ' '));
    if (i < line.size() && !separator && !gap) continue;
    separated = separated || separator;
    const std::u32string_view item = Trim(line.substr(item_begin, i - item_begin));
    if (item.size() > kMaxNavItem) return false;
    if (!item.empty()) ++items;
    item_begin = i + 1;
  }
  return items >= (separated ? 2 : 3);
}

bool Contains(std::u32string_view s, std::u32string_view part) {
  return s.find(part) != std::u32string_view::npos;
}

bool StartsWith(std::u32string_view s, std::u32string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::u32string_view s, std::u32string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ContainsAny(std::u32string_view s, std::initializer_list<std::u32string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [s](std::u32string_view p) { return Contains(s, p); });
}

bool StartsWithAny(std::u32string_view s, std::initializer_list<std::u32string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [s](std::u32string_view p) { return StartsWith(s, p); });
}

bool EndsWithAny(std::u32string_view s, std::initializer_list<std::u32string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [s](std::u32string_view p) { return EndsWith(s, p); });
}

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

std::vector<LineSpan> SplitLines(std::u32string_view text) {
  std::vector<LineSpan> out;
  size_t start = 0;
  auto add = [&](size_t end) {
    const std::u32string_view line = Trim(text.substr(start, end - start));
    const size_t b = line.empty() ? start : static_cast<size_t>(line.data() - text.data());
    out.push_back({b, b + line.size()});
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    add(i);
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) add(text.size());
  return out;
}

std::u32string_view LineText(std::u32string_view text, const LineSpan& span) {
  return text.substr(span.begin, span.end - span.begin);
}

std::u32string Decode(std::string_view utf8) {
  return text::DecodeUtf8Lenient(absl::string_view(utf8.data(), utf8.size())).chars;
}

std::string Encode(std::u32string_view text) { return text::EncodeUtf8(text); }

}  // namespace fazhi::report::lines
