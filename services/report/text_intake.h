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
// error. A UTF-8 byte-order mark is dropped. Bytes holding control
// characters (NUL …) are no text in any encoding: INVALID_ARGUMENT on
// "report.raw_text" saying so. Sets `*detected` to "UTF-8" or
// "GB18030" (or the declared name, upper-cased). INVALID_ARGUMENT naming
// the first bad byte when neither reads, with a BadRequest on
// "report.encoding" when one was declared, else on "report.raw_text".
absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view declared,
                                   std::string* detected);

// True when `text` looks like an HTML page (several tags such as <p>, <div>,
// <br>, <html>, <body>).
bool LooksLikeHtml(absl::string_view text);

// The readable text of an HTML page (UTF-8), as ReadPage makes it.
std::string HtmlToText(absl::string_view html);

// Reads `report.text` (UTF-8) as the page it is: HTML when the caller says
// so or it looks like HTML (page_reader.h), else text copied from a browser;
// sets text_format, text (chrome and metadata lines dropped, table rows as
// tab-separated lines), tables, metadata, and the title with its source
// (the caller's, when given: TITLE_SOURCE_CALLER).
void ReadPage(v1::Report& report);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_TEXT_INTAKE_H_
