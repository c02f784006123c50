// Reading a saved HTML page into a document model with libxml2's HTML
// parser: its blocks in order (lines of text and tables), its <title>, its
// first <h1> and its front-matter title. Page chrome is left out here by
// element (nav, header, footer, aside, form, script, style …) and by
// class/id names (share, breadcrumb, footer …); chrome and metadata lines
// are the page_text step's. Plain C++: no gRPC, no disk.
//
// libxml2 rather than gumbo: libxml2's HTML parser is maintained in Debian
// 12 (2.9.14 with security updates), recovers from broken markup and can be
// told which encoding the buffer is in; Debian's gumbo (0.10.1) is an
// archived release.
#ifndef FAZHI_SERVICES_REPORT_PAGE_READER_H_
#define FAZHI_SERVICES_REPORT_PAGE_READER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace fazhi::report {

struct PageCell {
  // Whitespace collapsed and trimmed; never holds a tab or a newline.
  std::string text;
  int row_span = 1;
  int col_span = 1;
};

struct PageTable {
  // From <caption>, or (page_text) the short line just above naming it.
  std::string caption;
  // Leading rows in <thead> or made of <th> cells only.
  int header_rows = 0;
  std::vector<std::vector<PageCell>> rows;
};

// A line of text (table empty) or a table (line empty).
struct PageBlock {
  std::string line;
  std::vector<PageTable> table;  // at most one
  bool IsTable() const { return !table.empty(); }
};

struct PageModel {
  std::vector<PageBlock> blocks;
  // The <title> element's text, as written (site name not removed).
  std::string title_element;
  // The first <h1> outside page chrome.
  std::string first_h1;
  // A leading "---" front-matter block's "title:" value.
  std::string front_matter_title;
};

// Reads `html` (UTF-8; any declared charset is ignored, the caller has
// converted the bytes). Never fails: broken markup is recovered from.
// Linear in the input; libxml2 bounds the nesting depth.
PageModel ReadHtmlPage(absl::string_view html);

// The charset a page declares in its first 4 KiB (<meta charset="gbk">, or
// http-equiv Content-Type "…; charset=gb2312"), upper-cased; empty if none.
std::string DeclaredCharset(absl::string_view page_bytes);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_PAGE_READER_H_
