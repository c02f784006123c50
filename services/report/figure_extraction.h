// Reading a report's figures: every quantity in the text, and the ones that
// are indicator values by the figure patterns of the rules file
// (fazhi.rules.v1.FigurePattern documents the contexts a pattern sees).
//
// Precision comes first. A figure is ACCEPTED only when the patterns of
// exactly one indicator match it, it is a value rather than a bound (unless
// the pattern accepts bounds), its period is a whole number of months, and no
// other figure of the text gives the same indicator and period a different
// value. Everything else that matched is a CANDIDATE with its reason.
// Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_FIGURE_EXTRACTION_H_
#define FAZHI_SERVICES_REPORT_FIGURE_EXTRACTION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::report {

// Checks the figure patterns of a rules file: each names an indicator and at
// least one measure word and has some condition besides the measure word.
// INVALID_ARGUMENT listing every bad pattern ("report.figures[3]...").
absl::Status ValidateFigureRules(const fazhi::rules::v1::ReportRules& rules);

// The figure rules of a rule set, decoded once for matching.
class FigureRules {
 public:
  explicit FigureRules(const fazhi::rules::v1::ReportRules& rules);

  struct Pattern {
    std::string indicator;
    std::vector<std::u32string> subject_all_of, verb_any_of, after_all_of, sentence_all_of,
        sentence_none_of;
    std::vector<std::string> measure_words;
    bool accept_bounds = false;
    bool candidate_only = false;
  };
  const std::vector<Pattern>& patterns() const { return patterns_; }
  const std::vector<std::u32string>& continuations() const { return continuations_; }

 private:
  std::vector<Pattern> patterns_;
  std::vector<std::u32string> continuations_;
};

struct FigureExtraction {
  // Every quantity, in order of position.
  std::vector<v1::TextQuantity> quantities;
  // The indicator values, in order of position.
  std::vector<v1::ExtractedFigure> figures;
};

// Reads the figures of `report` as analysed: its `text` (UTF-8; ill-formed
// bytes count as one code point each), covering `year`, with the structure
// read from it — `sections` (the heading a figure sits under), `tables` (a
// cell's row and column headers; cells are tab-separated lines of the text)
// and `title`. A figure whose own sentence does not name its indicator may
// take it from its table headers, then its heading, then the title; every
// piece of context used is recorded in ExtractedFigure.context.
//
// Told apart from values (candidates with their reason, or no figure): a
// 其中 part of a total of the same indicator, a figure of a wider area quoted
// in a narrower one's report (全市 in a district's), a change (同比上升,
// 比上年增加), a bound or target, a count of several things together
// (合同和决策共…件), an ordinal (第一次, 三届二次全会), and a table cell whose
// row or column header narrows it to a part (a street's row).
//
// Linear in the text length times the number of patterns; never fails.
FigureExtraction ExtractFigures(const FigureRules& rules, const v1::Report& report);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_FIGURE_EXTRACTION_H_
