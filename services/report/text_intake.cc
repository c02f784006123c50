#include "services/report/text_intake.h"

#include <errno.h>
#include <iconv.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "services/report/page_reader.h"
#include "services/report/page_text.h"
#include "services/report/title_and_kind.h"

namespace fazhi::report {
namespace {

// Converts with iconv, failing on the first ill-formed or unconvertible
// sequence; `*bad_offset` is its byte offset.
bool Iconv(const char* from, absl::string_view in, std::string* out, size_t* bad_offset) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *bad_offset = 0;
    return false;
  }
  out->clear();
  std::vector<char> buffer(64 * 1024);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  bool ok = true;
  while (src_left > 0) {
    char* dst = buffer.data();
    size_t dst_left = buffer.size();
    const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    out->append(buffer.data(), buffer.size() - dst_left);
    if (r == static_cast<size_t>(-1) && errno != E2BIG) {
      ok = false;
      *bad_offset = in.size() - src_left;
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

std::string StripBom(absl::string_view s) {
  absl::ConsumePrefix(&s, "\xEF\xBB\xBF");
  return std::string(s);
}

// The offset of the first byte that no text has (NUL and C0 controls other
// than tab, newline, carriage return, form feed and escape); npos if none.
size_t FirstBinaryByte(absl::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) return i;
  }
  return absl::string_view::npos;
}

}  // namespace

namespace {

absl::StatusOr<std::string> Convert(absl::string_view bytes, absl::string_view declared,
                                    std::string* detected) {
  const std::string name = absl::AsciiStrToUpper(declared);
  // The bytes are at fault unless an encoding was declared.
  const absl::string_view field = declared.empty() ? "report.raw_text" : "report.encoding";
  std::string out;
  size_t bad = 0;
  if (name.empty() || name == "UTF-8" || name == "UTF8") {
    if (text::IsValidUtf8(bytes)) {
      *detected = "UTF-8";
      return StripBom(bytes);
    }
    if (!name.empty()) {
      auto decoded = text::DecodeUtf8(bytes);
      return errors::InvalidField(field,
                                  absl::StrCat("is declared UTF-8 but is not: ",
                                               decoded.ok() ? "" : decoded.status().message()));
    }
    const std::string page_charset = DeclaredCharset(bytes);
    const bool gb_page = page_charset == "GB18030" || page_charset == "GBK" ||
                         page_charset == "GB2312" || page_charset == "CP936";
    if (Iconv("GB18030", bytes, &out, &bad)) {
      *detected = gb_page ? page_charset : "GB18030";
      return out;
    }
    if (!page_charset.empty() && !gb_page && page_charset != "UTF-8") {
      return errors::InvalidField(
          field, absl::StrCat("is a page in ", page_charset,
                              " (its <meta> charset), which is not read here: send it in UTF-8 "
                              "or GB18030/GBK"));
    }
    return errors::InvalidField(
        field, absl::StrCat("is not text in any encoding read here (UTF-8, GB18030/GBK): it is "
                            "ill-formed in both, at byte ",
                            bad, " for GB18030"));
  }
  if (name == "GB18030" || name == "GBK" || name == "GB2312" || name == "CP936") {
    // GB2312 and GBK are subsets of GB18030.
    if (Iconv("GB18030", bytes, &out, &bad)) {
      *detected = name;
      return out;
    }
    return errors::InvalidField(
        field, absl::StrCat("is not valid ", name, ": ill-formed sequence at byte ", bad));
  }
  return errors::InvalidField(
      field, absl::StrCat("encoding \"", declared, "\" is not one of UTF-8, GB18030, GBK, GB2312"));
}

}  // namespace

absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view declared,
                                   std::string* detected) {
  if (const size_t binary = FirstBinaryByte(bytes); binary != absl::string_view::npos) {
    return errors::InvalidField(
        "report.raw_text",
        absl::StrCat("is not text in any encoding: byte ", binary, " is the control byte 0x",
                     absl::Hex(static_cast<unsigned char>(bytes[binary]), absl::kZeroPad2),
                     " (a PDF, Word or image file?); send the report's text"));
  }
  return Convert(bytes, declared, detected);
}

bool LooksLikeHtml(absl::string_view text) {
  const std::string head = absl::AsciiStrToLower(text.substr(0, 64 * 1024));
  int tags = 0;
  for (const char* tag : {"<html", "<body", "<p>", "<p ", "<div", "<br", "</p>", "</div>"}) {
    size_t at = 0;
    while ((at = head.find(tag, at)) != std::string::npos && tags < 4) {
      ++tags;
      at += 1;
    }
  }
  return tags >= 2;
}

std::string HtmlToText(absl::string_view html) { return PageTextOf(ReadHtmlPage(html)).text; }

void ReadPage(v1::Report& report) {
  const bool html =
      report.text_format() == v1::TEXT_FORMAT_HTML ||
      (report.text_format() == v1::TEXT_FORMAT_UNSPECIFIED && LooksLikeHtml(report.text()));
  PageText page = html ? PageTextOf(ReadHtmlPage(report.text())) : PlainPageText(report.text());
  report.set_text_format(html ? v1::TEXT_FORMAT_HTML : v1::TEXT_FORMAT_PLAIN);
  TitleChoice title;
  if (report.title().empty()) {
    title = ChooseTitle(page.titles, page.text);
  } else {
    title.title = report.title();
    title.source = v1::TITLE_SOURCE_CALLER;
  }
  // A cover letter stands above the enclosed report's title and is kept.
  if (title.source != v1::TITLE_SOURCE_ENCLOSED_BY_COVER_LETTER) {
    DropMastheadAbove(title.title, &page);
  }
  report.set_text(std::move(page.text));
  report.clear_tables();
  for (auto& table : page.tables) *report.add_tables() = std::move(table);
  *report.mutable_metadata() = std::move(page.metadata);
  report.set_title(std::move(title.title));
  report.set_title_source(title.source);
  report.mutable_metadata()->set_cover_letter_title(std::move(title.cover_letter_title));
}

}  // namespace fazhi::report
