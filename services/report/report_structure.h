// Reading the structure of a filed report: its headings and which of the
// parts required of an annual 法治政府建设情况报告 they stand for (its title
// and kind: title_and_kind.h). Plain domain logic: no I/O, no RPC; of the contract, only its enums.
//
// Text handling, common to every function here:
//   * Input is UTF-8. Bytes that do not form a valid UTF-8 sequence are read
//     as U+FFFD, one per offending byte, so any byte string is accepted and
//     every returned string is valid UTF-8.
//   * Lines end at "\n", "\r\n" or a lone "\r".
//   * Offsets are in Unicode code points of the decoded text (an invalid byte
//     counts as one code point).
//   * Whitespace (ASCII, U+00A0, U+3000, U+FEFF, U+2000..U+200B, U+202F,
//     U+205F) around a line is not part of it.
// All functions are pure, thread-compatible, and linear in the input size
// (times the size of the rules for ParseReportStructure).

#ifndef FAZHI_SERVICES_REPORT_REPORT_STRUCTURE_H_
#define FAZHI_SERVICES_REPORT_REPORT_STRUCTURE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

// The parts an annual report covers and the kinds of filed text are the
// contract's enums (fazhi.report.v1.ReportPart, ReportKind), not copies:
// the analysis writes them into reports as they are.
using ReportPart = v1::ReportPart;
using ReportKind = v1::ReportKind;

// One way a heading shows a part: the heading's title contains every phrase
// of `all_of`. Phrases may contain the placeholders {year} (the year the
// report covers) and {next_year} (that year plus one). Matching ignores
// whitespace and treats full-width ASCII forms (２０２４, ：) as their ASCII
// counterparts. Empty phrases are ignored; a pattern with no non-empty phrase
// never matches.
struct PartPattern {
  std::vector<std::string> all_of;
};

struct PartRule {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  bool required = false;
  std::vector<PartPattern> patterns;
};

struct Heading {
  // 1 for 一、 and 【…】; 2 for （一） / (一); 3 for 1. / 1、 / 1．;
  // 4 for （1） / (1). Digits may be ASCII or full-width; a level-1 numeral may
  // also be followed by "．" or ".".
  int level = 0;
  // The marker as written ("一、", "(二)", "3．"); "【】" for a bracketed
  // heading.
  std::string marker;
  // The heading text without its marker. For a run-in heading (title and body
  // on one line) only the text before the first 。 ！ ？ ： or ':'. For a
  // bracketed heading, the text inside the brackets.
  std::string title;
  // 0-based line number.
  size_t line = 0;
  // Code-point offsets of the heading line in the text, surrounding
  // whitespace excluded: [begin, end).
  size_t begin = 0;
  size_t end = 0;
  // The part a level-1 heading stands for; REPORT_PART_UNSPECIFIED for other levels
  // and for level-1 headings no rule matches.
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
};

struct ReportStructure {
  // In text order.
  std::vector<Heading> headings;
  // Parts of the level-1 headings; sorted, unique.
  std::vector<ReportPart> parts_present;
  // Parts the rules mark required that no level-1 heading stands for; sorted,
  // unique. Judged whatever the kind of the text: callers ignore it for
  // texts that are not annual reports.
  std::vector<ReportPart> required_missing;
};

// The default part rules, as the rules file carries them: parts 1-4 required,
// part 5 optional.
std::vector<PartRule> DefaultPartRules();

// OK if `rules` can be used as given: every rule names a part 1..5, no part
// has two rules, every rule has a pattern, every pattern has a phrase, no
// phrase is empty or whitespace only, every phrase is valid UTF-8 and uses no
// placeholder other than {year} and {next_year}. Otherwise INVALID_ARGUMENT
// naming the first fault.
absl::Status ValidatePartRules(const std::vector<PartRule>& rules);

// Finds the headings of `text` and maps each level-1 heading to a part.
//
// A line is a heading when, after leading whitespace, it starts with a marker
// (see Heading::level) followed by a non-empty title; a number not followed
// by one of the marker punctuations ("2023年,…"), or followed by a digit
// ("2.8万件", "1、2号"), is not a marker. A heading's part is that of the
// most specific matching pattern over all rules: the one whose phrases are
// longest in total (placeholders substituted); on a tie, the earlier rule.
// Rules for REPORT_PART_UNSPECIFIED are ignored. When `year_covered` <= 0, patterns
// using a placeholder never match.
ReportStructure ParseReportStructure(std::string_view text, int year_covered,
                                     const std::vector<PartRule>& rules);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STRUCTURE_H_
