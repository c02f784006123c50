// What the report service reads out of a submitted report, given the rules
// in force: kind (when the filer left it unspecified), title, sections, the
// required parts present and missing, and timeliness against the deadlines.
// Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_REPORT_ANALYSIS_H_
#define FAZHI_SERVICES_REPORT_REPORT_ANALYSIS_H_

#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "services/report/report_structure.h"

namespace fazhi::report {

// The part rules of a rule set, in the reader's terms; DefaultPartRules()
// when the rule set has none.
std::vector<PartRule> PartRulesFrom(const fazhi::rules::v1::RuleSet& rules);

// The thematic layout of a rule set; DefaultThematicLayout() when the rule
// set has no `thematic_layout` (an empty one turns the layout off).
ThematicLayoutRule ThematicLayoutFrom(const fazhi::rules::v1::RuleSet& rules);

// OK when the report rules of `rules` can be used as given: the figure
// patterns (ValidateFigureRules), the part rules (ValidatePartRules) and the
// thematic layout (ValidateThematicLayout), as PartRulesFrom and
// ThematicLayoutFrom read them; the first fault otherwise. Checked at
// start-up, so a rules file the reader cannot use stops the server.
absl::Status ValidateReportRules(const fazhi::rules::v1::RuleSet& rules);

// Turns what the caller sent into the report's UTF-8 `text`: `raw_text`
// converted from its declared or detected encoding (then cleared), HTML
// stripped of markup and page furniture; sets `encoding` and `text_format`.
// Returns false, with the violations added, when there is no text to
// validate (bad raw_text, both text and raw_text, bad encoding name).
bool TakeTextIn(v1::Report& report, errors::FieldViolations& violations);

// Checks the caller's fields of a report to be submitted (as "report.*");
// the text only if `check_text`.
void ValidateReport(const v1::Report& report, errors::FieldViolations& violations,
                    bool check_text = true);

// Clears what a listing leaves out of a report (ListReports,
// ListReportVersions): its text, raw text and quantities.
void LeaveOutForListing(v1::Report& report);

// After AnalyzeReport: adds a violation on "report.text" when the analyzed
// report exceeds the record limit, or its listed form (sections, figures)
// the listing limit (common/api/limits.h).
void CheckAnalyzedReportSize(const v1::Report& report, errors::FieldViolations& violations);

// A report stored before the limits whose analysis makes it too large to
// send is served without its quantities (derived from the text; a new
// version recomputes them). True when they were left out.
bool CutReportToLimits(v1::Report& report);

// Fills every output-only field of `report` from its text and the rules.
void AnalyzeReport(const fazhi::rules::v1::RuleSet& rules, const std::vector<PartRule>& part_rules,
                   v1::Report& report);

// True for the kinds that owe the five parts and the deadlines.
bool IsAnnualReport(v1::ReportKind kind);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_ANALYSIS_H_
