// Fuzz target for the report reader as report_server runs it on a submission
// (report_service.cc, SubmitReport): the input bytes are a report's raw_text
// (encoding detected: UTF-8, else GB18030/GBK), taken in (converted to UTF-8, HTML
// stripped when it looks like a page), validated, and, when valid, analysed
// with the rules file the server is deployed with: kind, title, headings and
// parts, deadlines, every quantity and the indicator figures.
//
// The readers also promise to take any bytes, ill-formed UTF-8 included; such
// inputs are also given to them directly. And HtmlToText is run on every
// well-formed input, HTML-looking or not (a caller may declare any text HTML).
//
// Besides crashes, hangs and sanitizer reports it fails when an analysed
// report does not survive a protobuf round trip (a string field that is not
// UTF-8 would make the stored record and the reply unreadable) or names a
// span outside its text.
//
// The rules file is data/rules.textproto (deploy/base/rules.textproto), or
// the file named by the environment variable FAZHI_RULES; it is loaded once.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/rules/rule_set.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "services/report/figure_extraction.h"
#include "services/report/report_analysis.h"
#include "services/report/report_structure.h"
#include "services/report/text_intake.h"
#include "services/report/title_and_kind.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace report = fazhi::report;
namespace v1 = fazhi::report::v1;

// The year every fuzzed report covers.
constexpr int kYearCovered = 2023;

struct LoadedRules {
  fazhi::rules::v1::RuleSet rule_set;
  std::vector<report::PartRule> part_rules;
  report::FigureRules figure_rules;
};

// As report_server's main: load, check, and decode the rules once; a bad
// rules file ends the run before the first input.
const LoadedRules& Rules() {
  static const LoadedRules* const rules = [] {
    const char* env = std::getenv("FAZHI_RULES");
    const std::string path = env != nullptr && *env != '\0' ? env : FAZHI_RULES_FILE;
    auto rule_set = fazhi::rules::LoadRuleSet(path);
    if (!rule_set.ok()) {
      std::fprintf(stderr, "report_fuzzer: %s\n", rule_set.status().ToString().c_str());
      std::exit(1);
    }
    if (absl::Status s = report::ValidateFigureRules(rule_set->report()); !s.ok()) {
      std::fprintf(stderr, "report_fuzzer: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    std::vector<report::PartRule> part_rules = report::PartRulesFrom(*rule_set);
    report::FigureRules figure_rules(rule_set->report());
    return new LoadedRules{*std::move(rule_set), std::move(part_rules), std::move(figure_rules)};
  }();
  return *rules;
}

void CheckSpan(size_t begin, size_t end, size_t text_code_points) {
  FUZZ_CHECK(begin <= end);
  FUZZ_CHECK(end <= text_code_points);
}

// What an analysed report must hold before it is stored and returned.
void CheckAnalyzedReport(const v1::Report& analysed) {
  std::string wire;
  FUZZ_CHECK(analysed.SerializeToString(&wire));
  v1::Report read_back;
  FUZZ_CHECK(read_back.ParseFromString(wire));

  const size_t length = fazhi::text::CodePointCount(analysed.text());
  for (const auto& section : analysed.sections()) {
    // Levels follow the order the nine numbering forms first appear in.
    FUZZ_CHECK(section.level() >= 1 && section.level() <= 9);
    CheckSpan(static_cast<size_t>(section.begin()), static_cast<size_t>(section.end()), length);
  }
  for (const auto& q : analysed.quantities()) {
    CheckSpan(static_cast<size_t>(q.begin()), static_cast<size_t>(q.end()), length);
  }
  for (const auto& f : analysed.figures()) {
    CheckSpan(static_cast<size_t>(f.begin()), static_cast<size_t>(f.end()), length);
  }
}

// The readers on bytes that are not UTF-8, read leniently.
void ReadIllFormed(absl::string_view bytes, const LoadedRules& rules) {
  const size_t length = fazhi::text::CodePointCount(bytes);
  // report_structure.h takes std::string_view (Debian's absl has its own).
  const std::string_view text(bytes.data(), bytes.size());
  const report::ReportStructure structure =
      report::ParseReportStructure(text, kYearCovered, rules.part_rules);
  for (const report::Heading& h : structure.headings) {
    FUZZ_CHECK(fazhi::text::IsValidUtf8(h.title) && fazhi::text::IsValidUtf8(h.marker));
    CheckSpan(h.begin, h.end, length);
  }
  (void)report::DetectReportKind(text);
  FUZZ_CHECK(fazhi::text::IsValidUtf8(report::ExtractTitle(text)));
  // The figures read with the headings as context, as the service reads them.
  v1::Report analysed;
  analysed.set_text(std::string(bytes));
  analysed.set_year(kYearCovered);
  for (const report::Heading& h : structure.headings) {
    auto* section = analysed.add_sections();
    section->set_begin(static_cast<int32_t>(h.begin));
    section->set_end(static_cast<int32_t>(h.end));
  }
  const report::FigureExtraction figures = report::ExtractFigures(rules.figure_rules, analysed);
  for (const auto& q : figures.quantities) {
    CheckSpan(static_cast<size_t>(q.begin()), static_cast<size_t>(q.end()), length);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const LoadedRules& rules = Rules();
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);

  // SubmitReport: take the text in, validate, analyse.
  v1::Report submitted;
  submitted.set_filer("units/310113-government");
  submitted.set_region("regions/310113");
  submitted.set_year(kYearCovered);
  submitted.set_raw_text(std::string(bytes));
  fazhi::errors::FieldViolations violations;
  const bool has_text = report::TakeTextIn(submitted, violations);
  report::ValidateReport(submitted, violations, has_text);
  if (violations.empty()) {
    report::AnalyzeReport(rules.rule_set, rules.part_rules, submitted);
    CheckAnalyzedReport(submitted);
  }

  if (fazhi::text::IsValidUtf8(bytes)) {
    FUZZ_CHECK(fazhi::text::IsValidUtf8(report::HtmlToText(bytes)));
  } else {
    ReadIllFormed(bytes, rules);
  }
  return 0;
}
