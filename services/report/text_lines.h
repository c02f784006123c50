// Reading report text as lines of code points: the helpers the reader
// (text_intake, page_reader, document_metadata) and the title and kind
// detection share. Input is UTF-8 read leniently (an ill-formed byte is one
// U+FFFD); lines end at "\n", "\r\n" or a lone "\r"; offsets are code points.
#ifndef FAZHI_SERVICES_REPORT_TEXT_LINES_H_
#define FAZHI_SERVICES_REPORT_TEXT_LINES_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace fazhi::report::lines {

// ASCII and Unicode spaces a line is trimmed of (U+00A0, U+3000, U+FEFF,
// U+2000..U+200B, U+202F, U+205F).
bool IsSpace(char32_t c);
// ASCII or full-width digit.
bool IsDigit(char32_t c);
// ，,；;：:。！!？? — punctuation that makes a line a sentence, not a title.
bool IsSentencePunctuation(char32_t c);
bool HasSentencePunctuation(std::u32string_view s);

std::u32string_view Trim(std::u32string_view s);

// A site's navigation bar: at least two short items (at most 8 code points
// each, no sentence punctuation) set apart by | ｜ > » ›, or at least three
// set apart by tabs or wide gaps (U+3000, two spaces): "上海闵行 | 司法行政",
// "走进金山　政务公开　互动交流". Two names set apart by a gap alone are a
// joint signature ("中共金山区委　金山区人民政府"), not a nav bar.
bool IsNavBar(std::u32string_view line);
bool Contains(std::u32string_view s, std::u32string_view part);
bool StartsWith(std::u32string_view s, std::u32string_view prefix);
bool EndsWith(std::u32string_view s, std::u32string_view suffix);
bool ContainsAny(std::u32string_view s, std::initializer_list<std::u32string_view> parts);
bool StartsWithAny(std::u32string_view s, std::initializer_list<std::u32string_view> prefixes);
bool EndsWithAny(std::u32string_view s, std::initializer_list<std::u32string_view> suffixes);

// `s` without whitespace, full-width ASCII forms (２０２４, ：) folded to ASCII.
std::u32string NormalizeForMatch(std::u32string_view s);

// A line's content, surrounding whitespace excluded, as code-point offsets.
struct LineSpan {
  size_t begin = 0;
  size_t end = 0;
};
std::vector<LineSpan> SplitLines(std::u32string_view text);
std::u32string_view LineText(std::u32string_view text, const LineSpan& span);

// Lenient UTF-8 decoding and encoding.
std::u32string Decode(std::string_view utf8);
std::string Encode(std::u32string_view text);

}  // namespace fazhi::report::lines

#endif  // FAZHI_SERVICES_REPORT_TEXT_LINES_H_
