#include "services/report/page_reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/text/utf8.h"

namespace fazhi::report {
namespace {

// A chrome element that holds this much text is read anyway: a page that
// wraps its report in a badly named container must not lose the report.
constexpr size_t kMaxChromeElementCodePoints = 400;
// A table with a cell this long, or a nested table, lays the page out.
constexpr size_t kMaxDataCellCodePoints = 200;

const char* Name(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

bool NameIs(const xmlNode* node, std::initializer_list<const char*> names) {
  if (node->type != XML_ELEMENT_NODE || node->name == nullptr) return false;
  for (const char* n : names) {
    if (std::strcmp(Name(node), n) == 0) return true;
  }
  return false;
}

bool IsSkipped(const xmlNode* node) {
  return NameIs(node, {"script", "style", "noscript", "iframe", "select", "button", "input",
                       "textarea", "svg", "template", "object", "head", "map", "option"});
}

bool IsChromeElement(const xmlNode* node) {
  return NameIs(node, {"nav", "header", "footer", "aside", "form"});
}

bool IsBlock(const xmlNode* node) {
  return NameIs(node, {"p",        "div",   "li",     "h1",         "h2",         "h3",     "h4",
                       "h5",       "h6",    "tr",     "section",    "article",    "table",  "ul",
                       "ol",       "dl",    "dt",     "dd",         "blockquote", "center", "pre",
                       "caption",  "main",  "figure", "figcaption", "address",    "hr",     "br",
                       "tbody",    "thead", "tfoot",  "td",         "th",         "body",   "html",
                       "fieldset", "legend"});
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

// True when the class or id names page chrome. Names are split into words
// at non-alphanumerics; a word that begins or ends with a chrome word counts
// ("share", "bdsharebuttonbox", "breadcrumbs", "pagefooter").
bool HasChromeName(const xmlNode* node) {
  static const char* const kChromeWords[] = {
      "share",    "crumb",    "position",  "location", "nav",     "menu",     "footer",
      "foot",     "search",   "print",     "toolbar",  "tools",   "fontsize", "zihao",
      "qrcode",   "qr",       "tool",      "ewm",      "erweima", "editor",   "copyright",
      "sidebar",  "related",  "recommend", "comment",  "banner",  "topbar",   "pager",
      "prevnext", "shangxia", "bottom",    "logo",     "weixin",  "wechat",   "login"};
  for (const char* attribute : {"class", "id"}) {
    const std::string value = absl::AsciiStrToLower(Attribute(node, attribute));
    if (value == "header" || value == "head") return true;
    for (absl::string_view word :
         absl::StrSplit(value, absl::ByAnyChar(" -_:."), absl::SkipEmpty())) {
      // Short names that are chrome only as a whole word: a top bar, a
      // skip link, an accessibility (无障碍, "wza") bar.
      if (word == "top" || word == "skip" || word == "wza") return true;
      for (const char* chrome : kChromeWords) {
        if (absl::StartsWith(word, chrome) || absl::EndsWith(word, chrome)) return true;
      }
    }
  }
  return false;
}

// Text of `node` with whitespace collapsed; stops adding once `limit`
// bytes are reached (only its length matters to the callers that pass one).
void AppendInlineText(const xmlNode* node, std::string* out, size_t limit) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (out->size() >= limit) return;
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      out->append(reinterpret_cast<const char*>(child->content));
      out->push_back(' ');
    } else if (child->type == XML_ELEMENT_NODE && !IsSkipped(child)) {
      AppendInlineText(child->children, out, limit);
      if (IsBlock(child)) out->push_back(' ');
    }
  }
}

// Collapses runs of ASCII whitespace and no-break spaces to one space, and
// trims ASCII and ideographic space from both ends.
std::string CollapseSpace(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    const bool nbsp = c == '\xC2' && i + 1 < in.size() && in[i + 1] == '\xA0';
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  absl::string_view trimmed = out;
  for (bool changed = true; changed;) {
    changed = absl::ConsumePrefix(&trimmed, "\xE3\x80\x80") ||
              absl::ConsumeSuffix(&trimmed, "\xE3\x80\x80") || absl::ConsumePrefix(&trimmed, " ") ||
              absl::ConsumeSuffix(&trimmed, " ");
  }
  return std::string(trimmed);
}

std::string TextOf(const xmlNode* node) {
  std::string raw;
  AppendInlineText(node->children, &raw, std::string::npos);
  return CollapseSpace(raw);
}

size_t TextCodePoints(const xmlNode* node, size_t limit_bytes) {
  std::string raw;
  AppendInlineText(node->children, &raw, limit_bytes);
  return text::CodePointCount(raw);
}

int SpanAttribute(const xmlNode* node, const char* name) {
  const int span = std::atoi(Attribute(node, name).c_str());
  return std::clamp(span, 1, 1000);
}

class PageWalker {
 public:
  explicit PageWalker(PageModel* page) : page_(page) {}

  void Walk(const xmlNode* node) {
    for (; node != nullptr; node = node->next) {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        line_.append(reinterpret_cast<const char*>(node->content));
        continue;
      }
      if (node->type != XML_ELEMENT_NODE) continue;
      if (NameIs(node, {"title"}) && page_->title_element.empty()) {
        page_->title_element = TextOf(node);
        continue;
      }
      if (NameIs(node, {"head"})) {
        // Only its <title> is read.
        for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
          if (NameIs(child, {"title"}) && page_->title_element.empty()) {
            page_->title_element = TextOf(child);
          }
        }
        continue;
      }
      if (IsSkipped(node)) continue;
      if ((IsChromeElement(node) || HasChromeName(node)) &&
          TextCodePoints(node, 4 * kMaxChromeElementCodePoints) <= kMaxChromeElementCodePoints) {
        Flush();
        continue;
      }
      if (NameIs(node, {"table"}) && ReadDataTable(node)) continue;
      const bool block = IsBlock(node);
      if (block) Flush();
      if (NameIs(node, {"h1"}) && page_->first_h1.empty()) page_->first_h1 = TextOf(node);
      Walk(node->children);
      if (block) Flush();
    }
  }

  void Flush() {
    std::string line = CollapseSpace(line_);
    line_.clear();
    if (!line.empty()) page_->blocks.push_back(PageBlock{std::move(line), {}});
  }

 private:
  // The rows of a table, <thead>/<tbody>/<tfoot> looked through.
  static void CollectRows(const xmlNode* node, bool in_head,
                          std::vector<std::pair<const xmlNode*, bool>>* rows) {
    for (; node != nullptr; node = node->next) {
      if (NameIs(node, {"tr"})) {
        rows->push_back({node, in_head});
      } else if (NameIs(node, {"thead", "tbody", "tfoot"})) {
        CollectRows(node->children, in_head || NameIs(node, {"thead"}), rows);
      }
    }
  }

  // Reads a data table into one block; false (nothing read) for a layout
  // table, whose cells are then read as blocks.
  bool ReadDataTable(const xmlNode* table) {
    std::vector<std::pair<const xmlNode*, bool>> rows;
    CollectRows(table->children, false, &rows);
    PageTable out;
    size_t cells = 0;
    bool headers_done = false;
    for (const auto& [row, in_head] : rows) {
      std::vector<PageCell> read;
      bool all_th = true;
      for (const xmlNode* cell = row->children; cell != nullptr; cell = cell->next) {
        if (!NameIs(cell, {"td", "th"})) continue;
        for (const xmlNode* inner = cell->children; inner != nullptr; inner = inner->next) {
          if (NameIs(inner, {"table"})) return false;
        }
        if (TextCodePoints(cell, 4 * kMaxDataCellCodePoints) > kMaxDataCellCodePoints) {
          return false;
        }
        all_th = all_th && NameIs(cell, {"th"});
        read.push_back(
            PageCell{TextOf(cell), SpanAttribute(cell, "rowspan"), SpanAttribute(cell, "colspan")});
      }
      if (read.empty()) continue;
      cells += read.size();
      if (!headers_done && (in_head || all_th)) {
        ++out.header_rows;
      } else {
        headers_done = true;
      }
      out.rows.push_back(std::move(read));
    }
    size_t widest = 0;
    for (const auto& row : out.rows) widest = std::max(widest, row.size());
    if (cells < 2 || widest < 2) return false;
    for (const xmlNode* child = table->children; child != nullptr; child = child->next) {
      if (NameIs(child, {"caption"})) out.caption = TextOf(child);
    }
    Flush();
    PageBlock block;
    block.table.push_back(std::move(out));
    page_->blocks.push_back(std::move(block));
    return true;
  }

  PageModel* page_;
  std::string line_;
};

// Removes a leading "---" front-matter block; returns its title: value.
std::string TakeFrontMatter(absl::string_view* html) {
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(*html);
  if (!absl::StartsWith(rest, "---\n") && !absl::StartsWith(rest, "---\r\n")) return "";
  const size_t end = rest.find("\n---", 3);
  if (end == absl::string_view::npos) return "";
  std::string title;
  for (absl::string_view line : absl::StrSplit(rest.substr(0, end), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (title.empty() && absl::ConsumePrefix(&line, "title:")) {
      line = absl::StripAsciiWhitespace(line);
      if (line.size() >= 2 && (line.front() == '\'' || line.front() == '"') &&
          line.back() == line.front()) {
        line = line.substr(1, line.size() - 2);
      }
      title = std::string(line);
    }
  }
  const size_t next = rest.find('\n', end + 4);
  *html = next == absl::string_view::npos ? absl::string_view() : rest.substr(next + 1);
  return title;
}

}  // namespace

PageModel ReadHtmlPage(absl::string_view html) {
  PageModel page;
  page.front_matter_title = TakeFrontMatter(&html);
  if (html.empty()) return page;
  htmlParserCtxtPtr context = htmlNewParserCtxt();
  if (context == nullptr) return page;
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC |
                      HTML_PARSE_NOIMPLIED;
  const int size = static_cast<int>(std::min<size_t>(html.size(), 64u << 20));
  htmlDocPtr document = htmlCtxtReadMemory(context, html.data(), size, nullptr, "UTF-8", options);
  if (document != nullptr) {
    PageWalker walker(&page);
    walker.Walk(xmlDocGetRootElement(document) == nullptr ? nullptr : document->children);
    walker.Flush();
    xmlFreeDoc(document);
  }
  htmlFreeParserCtxt(context);
  return page;
}

std::string DeclaredCharset(absl::string_view page_bytes) {
  const std::string head = absl::AsciiStrToLower(page_bytes.substr(0, 4096));
  size_t at = 0;
  while ((at = head.find("charset", at)) != std::string::npos) {
    at += 7;
    size_t i = at;
    while (i < head.size() &&
           (head[i] == ' ' || head[i] == '=' || head[i] == '"' || head[i] == '\'')) {
      ++i;
    }
    if (i == at || head.rfind("<meta", at) == std::string::npos) continue;
    size_t end = i;
    while (end < head.size() &&
           (absl::ascii_isalnum(head[end]) || head[end] == '-' || head[end] == '_')) {
      ++end;
    }
    if (end > i) return absl::AsciiStrToUpper(head.substr(i, end - i));
  }
  return "";
}

}  // namespace fazhi::report
