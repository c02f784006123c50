// Fuzz target for the HTML reader (services/report/page_reader.h,
// page_text.h): any well-formed UTF-8 (what TakeTextIn hands it after
// conversion) is parsed with libxml2, laid out as text with its tables, its
// metadata read and a title chosen.
//
// Besides crashes, hangs and sanitizer reports it fails when the text or any
// field is not UTF-8, a table's span is outside the text or does not hold
// exactly its rows (cells joined by one tab), or a cell holds a tab or a
// newline (two cells would then read as one).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/text/utf8.h"
#include "services/report/page_reader.h"
#include "services/report/page_text.h"
#include "services/report/title_and_kind.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace report = fazhi::report;
using fazhi::text::IsValidUtf8;

void CheckTables(const report::PageText& page) {
  const size_t length = fazhi::text::CodePointCount(page.text);
  for (const auto& table : page.tables) {
    FUZZ_CHECK(table.begin() >= 0 && table.begin() <= table.end());
    FUZZ_CHECK(static_cast<size_t>(table.end()) <= length);
    FUZZ_CHECK(table.header_rows() >= 0 && table.header_rows() <= table.rows_size());
    FUZZ_CHECK(IsValidUtf8(table.caption()));
    std::vector<std::string> rows;
    for (const auto& row : table.rows()) {
      std::vector<std::string> cells;
      for (const auto& cell : row.cells()) {
        FUZZ_CHECK(IsValidUtf8(cell.text()));
        FUZZ_CHECK(cell.text().find_first_of("\t\n") == std::string::npos);
        FUZZ_CHECK(cell.row_span() >= 1 && cell.col_span() >= 1);
        cells.push_back(cell.text());
      }
      rows.push_back(absl::StrJoin(cells, "\t"));
    }
    const absl::string_view span =
        fazhi::text::SubstrByCodePoints(page.text, table.begin(), table.end());
    FUZZ_CHECK(span == absl::StrJoin(rows, "\n"));
  }
}

void CheckMetadata(const fazhi::report::v1::DocumentMetadata& m) {
  for (const std::string* field :
       {&m.index_number(), &m.issuing_authority(), &m.document_number(), &m.subject_category(),
        &m.addressee(), &m.cover_letter_title()}) {
    FUZZ_CHECK(IsValidUtf8(*field));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view html(reinterpret_cast<const char*>(data), size);
  if (!IsValidUtf8(html)) return 0;
  const report::PageModel model = report::ReadHtmlPage(html);
  FUZZ_CHECK(IsValidUtf8(model.title_element) && IsValidUtf8(model.first_h1));
  const report::PageText page = report::PageTextOf(model);
  FUZZ_CHECK(IsValidUtf8(page.text));
  CheckTables(page);
  CheckMetadata(page.metadata);
  const report::TitleChoice title = report::ChooseTitle(page.titles, page.text);
  FUZZ_CHECK(IsValidUtf8(title.title) && IsValidUtf8(title.cover_letter_title));
  // The same bytes as text copied from a browser.
  const report::PageText plain = report::PlainPageText(html);
  CheckTables(plain);
  CheckMetadata(plain.metadata);
  return 0;
}
