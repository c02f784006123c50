#include "services/report/search_hits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/text/search_text.h"
#include "common/text/utf8.h"

namespace fazhi::report {
namespace {

// Code points of a hit's snippet.
constexpr size_t kSnippetWidth = 80;

// Whether `term` (folded) occurs in `chars` at `at`.
bool TermAt(const std::u32string& chars, size_t at, const std::u32string& term) {
  if (at + term.size() > chars.size()) return false;
  for (size_t k = 0; k < term.size(); ++k) {
    if (text::FoldForSearch(chars[at + k]) != term[k]) return false;
  }
  return true;
}

void RenderHit(const ReportSearchPage::Hit& from, const std::vector<std::u32string>& terms,
               v1::ReportSearchHit* hit) {
  const v1::Report& report = from.report;
  const SearchMatch& match = from.match;
  hit->set_report(report.name());
  hit->set_title(report.title());
  hit->set_filer(report.filer());
  hit->set_region(report.region());
  hit->set_year(report.year());
  hit->set_kind(report.kind());
  hit->set_version(report.version());
  hit->set_score(match.score);
  uint32_t count = 0;
  for (uint32_t c : match.term_counts) count += c;
  hit->set_match_count(static_cast<int32_t>(count));
  hit->set_match_begin(static_cast<int32_t>(match.first_match));
  // The span is the term found at the first match; failing that, the
  // longest term.
  size_t length = 0;
  for (const auto& t : terms) length = std::max(length, t.size());
  const std::u32string chars = text::DecodeUtf8Lenient(report.text()).chars;
  for (const auto& t : terms) {
    if (TermAt(chars, match.first_match, t)) {
      length = t.size();
      break;
    }
  }
  hit->set_match_end(static_cast<int32_t>(match.first_match + length));
  hit->set_snippet(Snippet(report.text(), terms, match.first_match, kSnippetWidth, kHighlightBegin,
                           kHighlightEnd));
  const v1::ReportSection* section = nullptr;
  for (const auto& candidate : report.sections()) {
    if (static_cast<uint32_t>(candidate.begin()) <= match.first_match) section = &candidate;
  }
  if (section != nullptr) *hit->mutable_section() = *section;
}

}  // namespace

std::string Snippet(absl::string_view text, const std::vector<std::u32string>& terms, size_t at,
                    size_t width, absl::string_view open, absl::string_view close) {
  const std::u32string chars = text::DecodeUtf8Lenient(text).chars;
  if (chars.empty()) return "";
  at = std::min(at, chars.size() - 1);
  const size_t begin = at > width / 3 ? at - width / 3 : 0;
  const size_t end = std::min(chars.size(), begin + width);
  std::string out;
  if (begin > 0) out += "…";
  for (size_t i = begin; i < end;) {
    size_t matched = 0;
    for (const auto& t : terms) {
      if (TermAt(chars, i, t)) matched = std::max(matched, t.size());
    }
    if (matched > 0) {
      absl::StrAppend(&out, open);
      for (size_t k = 0; k < matched; ++k) text::AppendUtf8(chars[i + k], &out);
      absl::StrAppend(&out, close);
      i += matched;
      continue;
    }
    const char32_t c = chars[i] == U'\n' || chars[i] == U'\r' ? U' ' : chars[i];
    text::AppendUtf8(c, &out);
    ++i;
  }
  if (end < chars.size()) out += "…";
  return out;
}

v1::SearchReportsResponse RenderSearchPage(const ReportSearchPage& page,
                                           const std::vector<std::u32string>& terms) {
  v1::SearchReportsResponse response;
  response.set_total_size(page.total_size);
  response.set_highlight_begin(std::string(kHighlightBegin));
  response.set_highlight_end(std::string(kHighlightEnd));
  for (const ReportSearchPage::Hit& hit : page.hits) RenderHit(hit, terms, response.add_hits());
  response.set_next_page_token(page.next_page_token);
  return response;
}

}  // namespace fazhi::report
