#include "services/report/text_intake.h"

#include <errno.h>
#include <iconv.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

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

// Lower-case ASCII tag name at `html[pos]` (just after '<' or "</").
std::string TagName(absl::string_view html, size_t pos) {
  std::string name;
  while (pos < html.size() && (absl::ascii_isalnum(html[pos]))) {
    name.push_back(absl::ascii_tolower(html[pos]));
    ++pos;
  }
  return name;
}

bool IsBlock(const std::string& tag) {
  static const char* const kBlocks[] = {"p",       "div",   "br", "li", "h1", "h2",
                                        "h3",      "h4",    "h5", "h6", "tr", "section",
                                        "article", "table", "ul", "ol", "hr", "blockquote"};
  for (const char* b : kBlocks) {
    if (tag == b) return true;
  }
  return false;
}

bool IsSkippedElement(const std::string& tag) {
  static const char* const kSkipped[] = {"script", "style",  "noscript", "iframe", "nav",
                                         "header", "footer", "aside",    "form",   "select",
                                         "button", "svg",    "head"};
  for (const char* s : kSkipped) {
    if (tag == s) return true;
  }
  return false;
}

bool IsVoid(const std::string& tag) {
  static const char* const kVoid[] = {"br", "hr", "img", "meta", "link", "input", "source", "wbr"};
  for (const char* v : kVoid) {
    if (tag == v) return true;
  }
  return false;
}

// True when the attribute text of a tag names page furniture by its class or id.
bool IsFurnitureAttributes(absl::string_view attributes) {
  const std::string lower = absl::AsciiStrToLower(attributes);
  size_t at = 0;
  while ((at = lower.find_first_of("ci", at)) != std::string::npos) {
    absl::string_view rest = absl::string_view(lower).substr(at);
    if (absl::StartsWith(rest, "class=") || absl::StartsWith(rest, "id=")) {
      rest.remove_prefix(rest.find('=') + 1);
      const char quote = rest.empty() ? ' ' : rest[0];
      if (quote == '"' || quote == '\'') rest.remove_prefix(1);
      const size_t end = rest.find_first_of(quote == ' ' ? " >" : std::string(1, quote));
      const absl::string_view value = rest.substr(0, end);
      static const char* const kFurniture[] = {
          "share",   "editor", "qr",     "nav",     "footer",    "crumb",   "comment",
          "related", "adv",    "banner", "sidebar", "copyright", "toolbar", "recommend"};
      for (const char* f : kFurniture) {
        if (absl::StrContains(value, f)) return true;
      }
    }
    ++at;
  }
  return false;
}

void AppendEntity(absl::string_view entity, std::string* out) {
  if (entity == "nbsp") return out->push_back(' ');
  if (entity == "lt") return out->push_back('<');
  if (entity == "gt") return out->push_back('>');
  if (entity == "amp") return out->push_back('&');
  if (entity == "quot") return out->push_back('"');
  if (entity == "apos") return out->push_back('\'');
  if (entity == "ldquo") return text::AppendUtf8(U'“', out);
  if (entity == "rdquo") return text::AppendUtf8(U'”', out);
  if (entity == "middot") return text::AppendUtf8(U'·', out);
  if (entity == "mdash") return text::AppendUtf8(U'—', out);
  if (!entity.empty() && entity[0] == '#') {
    const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
    const std::string digits(entity.substr(hex ? 2 : 1));
    char* end = nullptr;
    const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (!digits.empty() && end != nullptr && *end == '\0' && cp > 0 && cp <= 0x10FFFF) {
      return text::AppendUtf8(static_cast<char32_t>(cp), out);
    }
  }
  absl::StrAppend(out, "&", entity, ";");
}

bool IsFurnitureLine(absl::string_view line) {
  static const char* const kFurniture[] = {"责任编辑", "海量资讯", "扫描二维码", "分享到",
                                           "版权所有", "返回顶部", "打印本页",   "关闭窗口"};
  for (const char* f : kFurniture) {
    if (absl::StrContains(line, f)) return true;
  }
  return false;
}

// Trims ASCII white space and U+3000 / U+00A0 from both ends.
absl::string_view TrimLine(absl::string_view line) {
  for (bool changed = true; changed;) {
    changed = false;
    line = absl::StripAsciiWhitespace(line);
    for (absl::string_view space : {"\xE3\x80\x80", "\xC2\xA0"}) {
      if (absl::ConsumePrefix(&line, space) || absl::ConsumeSuffix(&line, space)) changed = true;
    }
  }
  return line;
}

}  // namespace

absl::StatusOr<std::string> ToUtf8(absl::string_view bytes, absl::string_view declared,
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
    if (Iconv("GB18030", bytes, &out, &bad)) {
      *detected = "GB18030";
      return out;
    }
    return errors::InvalidField(
        field, absl::StrCat("is neither UTF-8 nor GB18030/GBK: the GB18030 reading fails at byte ",
                            bad, "; declare the encoding in report.encoding"));
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

std::string HtmlToText(absl::string_view html) {
  // Front matter: "---" line ... "---" line at the start (after blank lines).
  const size_t first = html.find_first_not_of(" \t\r\n");
  if (first != absl::string_view::npos && first > 0 && html.compare(first, 3, "---") == 0) {
    html.remove_prefix(first);
  }
  if (absl::StartsWith(html, "---\n") || absl::StartsWith(html, "---\r\n")) {
    const size_t end = html.find("\n---", 3);
    if (end != absl::string_view::npos) {
      const size_t next = html.find('\n', end + 4);
      html.remove_prefix(next == absl::string_view::npos ? html.size() : next + 1);
    }
  }
  std::string raw;
  raw.reserve(html.size());
  std::string skip_tag;  // the element being skipped, with its nesting depth
  int skip_depth = 0;
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        const size_t end = html.find("-->", i + 4);
        i = end == absl::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const size_t close = html.find('>', i + 1);
      if (close == absl::string_view::npos) break;  // an unterminated tag ends the page
      const bool closing = i + 1 < html.size() && html[i + 1] == '/';
      const std::string tag = TagName(html, i + (closing ? 2 : 1));
      const absl::string_view attributes = html.substr(i, close - i);
      const bool self_closing = close > i && html[close - 1] == '/';
      i = close + 1;
      if (tag.empty()) continue;
      if (skip_depth > 0) {
        if (tag == skip_tag && !IsVoid(tag) && !self_closing) skip_depth += closing ? -1 : 1;
        continue;
      }
      if (!closing && !IsVoid(tag) && !self_closing &&
          (IsSkippedElement(tag) || IsFurnitureAttributes(attributes))) {
        skip_tag = tag;
        skip_depth = 1;
        continue;
      }
      if (IsBlock(tag)) raw.push_back('\n');
      continue;
    }
    if (skip_depth > 0) {
      ++i;
      continue;
    }
    if (c == '&') {
      const size_t semi = html.find(';', i + 1);
      if (semi != absl::string_view::npos && semi - i <= 10) {
        AppendEntity(html.substr(i + 1, semi - i - 1), &raw);
        i = semi + 1;
        continue;
      }
    }
    raw.push_back(c == '\r' || c == '\t' || c == '\n' ? ' ' : c);
    ++i;
  }
  std::string out;
  for (absl::string_view line : absl::StrSplit(raw, '\n')) {
    line = TrimLine(line);
    if (line.empty() || IsFurnitureLine(line)) continue;
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace fazhi::report
