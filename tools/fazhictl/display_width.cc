#include "tools/fazhictl/display_width.h"

#include <algorithm>
#include <utility>

#include "common/text/utf8.h"

namespace fazhi::ctl {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// East Asian Wide (W) and Fullwidth (F) blocks, coarsely: enough for Chinese
// text, its punctuation, kana, Hangul and the common emoji blocks.
constexpr Range kWide[] = {
    {0x1100, 0x115F},    // Hangul Jamo initial consonants
    {0x231A, 0x231B},    // watch, hourglass
    {0x2E80, 0x303E},    // CJK radicals, Kangxi, ideographic description, CJK symbols
    {0x3041, 0x33FF},    // kana, bopomofo, Hangul compatibility, kanbun, CJK compatibility
    {0x3400, 0x4DBF},    // CJK Extension A
    {0x4E00, 0x9FFF},    // CJK Unified Ideographs
    {0xA000, 0xA4CF},    // Yi
    {0xA960, 0xA97F},    // Hangul Jamo Extended-A
    {0xAC00, 0xD7A3},    // Hangul syllables
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE10, 0xFE19},    // vertical forms
    {0xFE30, 0xFE6F},    // CJK compatibility forms, small form variants
    {0xFF00, 0xFF60},    // fullwidth forms
    {0xFFE0, 0xFFE6},    // fullwidth signs
    {0x1F300, 0x1F64F},  // pictographs, emoticons
    {0x1F900, 0x1F9FF},  // supplemental pictographs
    {0x20000, 0x2FFFD},  // CJK Extensions B..F, compatibility supplement
    {0x30000, 0x3FFFD},  // CJK Extension G and later
};

// Zero-width: combining marks, zero-width space/joiners, variation selectors.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x200B, 0x200F}, {0x2060, 0x2064},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

bool InRanges(char32_t c, const Range* begin, const Range* end) {
  return std::any_of(begin, end, [c](const Range& r) { return c >= r.first && c <= r.last; });
}

}  // namespace

int CodePointWidth(char32_t code_point) {
  if (code_point == 0) return 0;
  if (InRanges(code_point, std::begin(kZero), std::end(kZero))) return 0;
  if (InRanges(code_point, std::begin(kWide), std::end(kWide))) return 2;
  return 1;
}

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char32_t c : text::DecodeUtf8Lenient(text).chars) {
    width += static_cast<size_t>(CodePointWidth(c));
  }
  return width;
}

std::string PadToWidth(absl::string_view text, size_t width) {
  std::string out(text);
  const size_t have = DisplayWidth(text);
  if (have < width) out.append(width - have, ' ');
  return out;
}

void TextTable::AddRow(std::vector<std::string> cells) {
  if (cells.empty()) cells.emplace_back();
  rows_.push_back(std::move(cells));
}

void TextTable::AddRule() { rows_.emplace_back(); }

std::string TextTable::Render() const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line = indent_;
    if (row.empty()) {
      for (size_t i = 0; i < widths.size(); ++i) {
        if (i > 0) line += "  ";
        line.append(widths[i], '-');
      }
    } else {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) line += "  ";
        line += PadToWidth(row[i], widths[i]);
      }
    }
    while (line.size() > indent_.size() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace fazhi::ctl
