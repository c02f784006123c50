// Taking a report's text in as it comes from government sites: UTF-8 or
// GB18030/GBK bytes (declared or detected, converted with iconv), plain text
// or an HTML page (markup, scripts, styles, front matter and page furniture
// dropped). Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_TEXT_INTAKE_H_
#define FAZHI_SERVICES_REPORT_TEXT_INTAKE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

// `bytes` in `declared` encoding ("UTF-8", "GB18030", "GBK", "GB2312",
// "CP936", case-insensitive) converted to UTF-8; with `declared` empty, UTF-8
// if the bytes are well-formed UTF-8, else GB18030 if they convert without
// error. A UTF-8 byte-order mark is dropped. Sets `*detected` to "UTF-8" or
// "GB18030" (or the declared name, upper-cased). INVALID_ARGUMENT naming
// the first bad byte when neither reads, with a BadRequest on
// "report.encoding" when one was declared, else on "report.raw_text".
absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view declared,
                                   std::string* detected);

// True when `text` looks like an HTML page (several tags such as <p>, <div>,
// <br>, <html>, <body>).
bool LooksLikeHtml(absl::string_view text);

// The readable text of an HTML page (UTF-8): one line per block element
// (p, div, br, li, h1..h6, tr, section, article), lines trimmed of ASCII and
// ideographic space, empty lines dropped, entities decoded. Dropped: a
// leading "---" front-matter block, comments, script, style, noscript,
// iframe, nav, header, footer, aside and form elements, elements whose class
// or id names page furniture (share, editor, qr, nav, footer, breadcrumb,
// comment, related, ad), and lines of page furniture such as "责任编辑：…".
std::string HtmlToText(absl::string_view html);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_TEXT_INTAKE_H_
