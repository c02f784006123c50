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

// One way a heading or a sentence shows a part: it contains every phrase of
// `all_of`. Phrases may contain the placeholders {year} (the year the report
// covers) and {next_year} (that year plus one). Matching ignores whitespace
// and treats full-width ASCII forms (２０２４, ：) as their ASCII
// counterparts. Empty phrases are ignored; a pattern with no non-empty phrase
// never matches.
struct PartPattern {
  std::vector<std::string> all_of;
};

// A clause whose subject is the filer's own (fazhi.rules.v1.SubjectClause):
// it opens with at most `max_subject_length` code points ending in
// `subject_ends_with`, followed at once by one of `verbs`; after the subject
// it holds every phrase of `contains_all_of`; its subject holds none of
// `subject_none_of`.
struct SubjectClause {
  std::string subject_ends_with;
  size_t max_subject_length = 0;
  std::vector<std::string> verbs;
  std::vector<std::string> contains_all_of;
  std::vector<std::string> subject_none_of;
};

struct PartRule {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  bool required = false;
  // Headings that stand for the part.
  std::vector<PartPattern> patterns;
  // Sentences that show the part when no heading does: the sentence that
  // opens a paragraph (the first sentence of a line that is not a heading,
  // or the text after a run-in heading's title) and contains every phrase of
  // one pattern. A passing mention inside a paragraph does not count.
  std::vector<PartPattern> sentence_patterns = {};
  // Clauses anywhere in a paragraph whose subject is the filer's own (see
  // fazhi.rules.v1.SubjectClause), tried after the sentences.
  std::vector<SubjectClause> subject_clauses = {};
};

// Headings that lay a report out by the areas of the 法治政府建设实施纲要
// (依法全面履行政府职能, 严格规范公正文明执法, …) instead of by the parts: at
// least `min_headings` headings of one level, each matching a pattern and
// none standing for a part itself, together show `part`. They count when
// they are top-level, or nested under top-level headings that stand for no
// part or for `part` ("一、2023年法治政府建设情况" over "（一）依法全面履行政府
// 职能"), never under another part (next year's plans are often laid out by
// the same areas). `part` unspecified or `min_headings` < 1: no layout.
struct ThematicLayoutRule {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  int min_headings = 0;
  std::vector<PartPattern> patterns;
};

struct Heading {
  // Levels follow the order in which the numbering forms first appear in the
  // text, as a reader takes them: the first form seen is level 1, the next
  // new form level 2, and so on. The forms: 一、 / 一. / 一．; （一） / (一);
  // 1. / 1、 / 1．; （1） / (1) / ⑴; ① … ⑳; 第一部分; 第一章; 第一节; 【…】.
  // Digits may be ASCII or full-width.
  int level = 0;
  // The marker as written ("一、", "(二)", "3．", "第二部分"); "【】" for a
  // bracketed heading.
  std::string marker;
  // The heading text without its marker. For a run-in heading (title and body
  // on one line) only the text before the first 。 ； ！ ？ or ： (or their
  // ASCII forms). For a bracketed heading, the text inside the brackets.
  std::string title;
  // 0-based line number.
  size_t line = 0;
  // Code-point offsets of the heading in the text, [begin, end): its marker
  // and title, so for a run-in heading not the paragraph that follows it.
  size_t begin = 0;
  size_t end = 0;
  // The title is followed by body text on the same line.
  bool run_in = false;
  // The part the heading stands for: every level-1 heading that matches a
  // rule; a deeper heading only when it is what shows a part no level-1
  // heading shows (see PartJudgement); a thematic heading when its layout
  // shows the part. REPORT_PART_UNSPECIFIED otherwise, and for an umbrella:
  // a heading under which deeper headings show two or more different parts,
  // its own among them in words its title does not use ("一、2021年法治政府
  // 建设工作情况" over "（1）主要举措和成效", "（2）存在的不足和原因"); those
  // headings show the parts. One part per heading: a heading matching
  // several stands for the most specific.
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
};

using PartEvidence = v1::PartFinding::Evidence;

// How one part of the rules was judged.
struct PartJudgement {
  ReportPart part = v1::REPORT_PART_UNSPECIFIED;
  bool required = false;
  bool present = false;
  // When present: how it was shown and the code-point span [begin, end),
  // within one line, of what showed it, with that span's text (at most 200
  // code points) in `shown_by`. In order of preference: the heading of the
  // highest level that stands for the part (the earliest of that level); a
  // thematic layout of a level no higher; a heading that matches the part
  // though it stands for another ("八、存在的不足和下一步工作安排" shows the
  // shortcomings as well as the plans it stands for), umbrellas excepted; a
  // sentence (the earliest in the text).
  PartEvidence evidence = v1::PartFinding::EVIDENCE_UNSPECIFIED;
  size_t begin = 0;
  size_t end = 0;
  std::string shown_by;
  // When missing: every pattern that was looked for, its phrases joined by
  // "+", placeholders substituted (patterns with a placeholder are left out
  // when the year is unknown).
  std::vector<std::string> looked_for;
};

struct ReportStructure {
  // In text order.
  std::vector<Heading> headings;
  // Parts judged present; sorted, unique.
  std::vector<ReportPart> parts_present;
  // Parts the rules mark required that are not present; sorted, unique.
  // Judged whatever the kind of the text: callers ignore it for texts that
  // are not annual reports.
  std::vector<ReportPart> required_missing;
  // One per part of the rules (REPORT_PART_UNSPECIFIED rules ignored), in
  // part order.
  std::vector<PartJudgement> findings;
};

// The default part rules, as the rules file carries them: parts 1-4 required,
// part 5 optional.
std::vector<PartRule> DefaultPartRules();

// The default thematic layout, as the rules file carries it.
ThematicLayoutRule DefaultThematicLayout();

// OK if `rules` can be used as given: every rule names a part 1..5, no part
// has two rules, every rule has a heading pattern, every pattern (heading or
// sentence) has a phrase, no phrase is empty or whitespace only, every phrase
// is valid UTF-8 and uses no placeholder other than {year} and {next_year}.
// Otherwise INVALID_ARGUMENT naming the first fault.
absl::Status ValidatePartRules(const std::vector<PartRule>& rules);

// OK if `layout` is empty (no part, no patterns) or names a part 1..5, asks
// for at least one heading and has patterns as ValidatePartRules requires
// them. Otherwise INVALID_ARGUMENT naming the first fault.
absl::Status ValidateThematicLayout(const ThematicLayoutRule& layout);

// Finds the headings of `text` and judges each part of `rules` present or
// missing (see PartJudgement).
//
// A line is a heading when, after leading whitespace, it starts with a marker
// (see Heading::level) followed by a non-empty title; a number not followed
// by one of the marker punctuations ("2023年,…"), or followed by a digit
// ("2.8万件", "1、2号"), is not a marker. A line holding a TAB is a table
// row, never a heading. A heading's part is that of the most specific
// matching pattern over all rules: the one whose phrases are longest in
// total (placeholders substituted); on a tie, the earlier rule. Rules for
// REPORT_PART_UNSPECIFIED are ignored. When `year_covered` <= 0, patterns
// using a placeholder never match.
ReportStructure ParseReportStructure(std::string_view text, int year_covered,
                                     const std::vector<PartRule>& rules,
                                     const ThematicLayoutRule& thematic = {});

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_STRUCTURE_H_
