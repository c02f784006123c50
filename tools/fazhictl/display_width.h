// Terminal display width of UTF-8 text, and a plain-text table aligned by it.
//
// Width follows Unicode East Asian Width: Wide and Fullwidth characters
// (汉字, fullwidth punctuation such as "，" and "（", Hangul, kana) take two
// columns; combining marks and zero-width characters take none; everything
// else, including East Asian Ambiguous characters such as "≥" and "“", takes
// one. Ill-formed bytes count as one column each (U+FFFD).
#ifndef FAZHI_TOOLS_FAZHICTL_DISPLAY_WIDTH_H_
#define FAZHI_TOOLS_FAZHICTL_DISPLAY_WIDTH_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace fazhi::ctl {

// Columns one code point takes on a terminal: 0, 1 or 2.
int CodePointWidth(char32_t code_point);

// Columns `text` takes on a terminal.
size_t DisplayWidth(absl::string_view text);

// `text` followed by spaces up to `width` columns (unchanged when wider).
std::string PadToWidth(absl::string_view text, size_t width);

// Rows of cells printed with every column padded to its widest cell, columns
// separated by two spaces, each line starting with `indent` and none ending in
// spaces. The first row added is usually the header.
class TextTable {
 public:
  explicit TextTable(std::string indent = "") : indent_(std::move(indent)) {}

  void AddRow(std::vector<std::string> cells);
  // A line of '-' under each column of the widest cell, e.g. under the header.
  void AddRule();

  // The table, one '\n'-terminated line per row.
  std::string Render() const;

 private:
  std::string indent_;
  // An empty row stands for a rule.
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_DISPLAY_WIDTH_H_
