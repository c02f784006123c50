// The title of a filed report and the kind of text it is. Plain domain
// logic: no I/O, no RPC. Text handling as in report_structure.h: UTF-8 read
// leniently, lines trimmed of whitespace, any byte string accepted.
#ifndef FAZHI_SERVICES_REPORT_TITLE_AND_KIND_H_
#define FAZHI_SERVICES_REPORT_TITLE_AND_KIND_H_

#include <string>
#include <string_view>

#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

using ReportKind = v1::ReportKind;

// What a page offers for a title besides its text.
struct PageTitles {
  std::string metadata_title;  // 标题 / 名称 of the metadata block, or front matter
  std::string first_h1;
  std::string title_element;  // <title>, site name not yet removed
  // How many of the text's first non-empty lines stood above the page's nav
  // bar or breadcrumb: the masthead (site name, channel), never the title
  // nor part of it. A page's title sits below its site's navigation.
  size_t masthead_lines = 0;
};

struct TitleChoice {
  std::string title;
  v1::TitleSource source = v1::TITLE_SOURCE_NONE;
  // Set when the title came from a cover letter's enclosed report.
  std::string cover_letter_title;
};

// The title of a page whose caller gave none: the first candidate shaped
// like a report's title (…法治政府建设…报告, …依法行政…报告, …白皮书, a
// yearbook or statistics heading) among the metadata title, the <h1>, the
// <title> without the site and channel names joined to it by _ | - – —
// (before or after it) and the first lines of `text` (a line is joined
// with the next when a title is broken over them, never when the next
// names its own filer or the line is a nav bar); failing that, the first of them shaped like a
// title at all. Never chrome, an addressee or salutation, a date line, a heading or a paragraph
// (sentence punctuation, over 60 code points). A cover letter (关于报送《…》的
// 报告) gives its enclosed report's title: from 《》, else the enclosed
// report's own title line, else the letter's subject.
TitleChoice ChooseTitle(const PageTitles& page, std::string_view text);

// DetectReportKind with the title already chosen (empty: as below).
ReportKind DetectReportKind(std::string_view text, std::string_view title);

// Detects the kind of `text`:
//   * an annual report when its title (or, failing that, one of its first
//     short lines) contains 报告 together with 法治政府建设, 法治建设 or
//     依法行政. The filer is the part of that title before 关于 (or before the
//     subject phrase), years removed; when the title names no filer, the
//     signature among the last lines. A filer ending in 街道/镇/乡 (or their
//     人民政府/政府/办事处) is a street or town, one ending in 人民政府/政府 a
//     government, one ending in 局/委/办/办公室/委员会/厅/署/中心 a department,
//     a division named alone (…区, …县, …市) its government.
//     An annual report whose filer is none of these (or not found) is REPORT_KIND_OTHER.
//   * otherwise a case study when one of its first three lines contains 案例,
//     or it has at least two 【…】 headings and its title names no yearbook,
//     white paper, statistics or bulletin (年鉴, 白皮书, 统计, 公报, 年报);
//   * otherwise REPORT_KIND_OTHER.
// REPORT_KIND_UNSPECIFIED only for text with nothing but whitespace.
ReportKind DetectReportKind(std::string_view text);

// The title of `text`: its first non-empty line, joined with the lines that
// directly follow it (at most three lines in all) while the title does not
// yet end in 报告 and the next line is short (<= 40 code points), holds no
// sentence punctuation and is not a heading. When the text opens with a
// "---" front-matter block, its "title:" value (quotes removed) if it has
// one. Empty when the text is blank or its first line is a heading.
// At most 200 code points.
std::string ExtractTitle(std::string_view text);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_TITLE_AND_KIND_H_
