// From a page's blocks to the report's text: page chrome lines dropped, the
// 信息公开 metadata read into fields and dropped, the addressee line read
// (and kept), tables laid out as lines with their cells separated by one tab
// and located by code-point spans. For saved HTML (page_reader.h) and for
// text copied out of a browser. Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_PAGE_TEXT_H_
#define FAZHI_SERVICES_REPORT_PAGE_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/report/page_reader.h"
#include "services/report/title_and_kind.h"

namespace fazhi::report {

struct PageText {
  // Lines ending in "\n"; a table's rows are lines, cells joined by a tab.
  std::string text;
  std::vector<v1::ReportTable> tables;
  v1::DocumentMetadata metadata;
  PageTitles titles;
};

// The report's text and what was read from the blocks of an HTML page.
PageText PageTextOf(const PageModel& page);

// The same for text copied out of a browser: lines kept as written except
// chrome and metadata lines; runs of at least two lines with the same
// number (at least two) of tab-separated cells become tables.
PageText PlainPageText(absl::string_view text);

// Drops the lines of `page` above its title's line when they are few (at
// most six), short and no sentences: the site name, channel, nav bar or
// accessibility links a page carries above its title ("上海嘉定",
// "无障碍 | 长者版 | English"). Kept as they are when the title is not
// among the first lines, or a table or a sentence comes before it. Table
// spans move with the text.
void DropMastheadAbove(std::string_view title, PageText* page);

// True when `line` (trimmed) is page chrome by its shape: a breadcrumb, a
// search label, 字号 大中小, 打印/关闭, share and QR lines, 上一篇/下一篇,
// 责任编辑/来源/浏览次数, footers (主办/承办/ICP备/联系我们/网站地图).
// Long lines (sentences of the report) never are.
bool IsChromeLine(absl::string_view line);

// Reads "2024年3月22日", "2024-03-22", "2024.03.22" or "2024/3/22" at the
// start of `text` (ASCII or full-width digits); false if none.
bool ReadDate(absl::string_view text, google::type::Date* date);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_PAGE_TEXT_H_
