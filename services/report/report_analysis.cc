#include "services/report/report_analysis.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "services/report/figure_extraction.h"
#include "services/report/text_intake.h"
#include "services/report/title_and_kind.h"

namespace fazhi::report {
namespace {

constexpr size_t kMaxTextBytes = limits::kMaxReportTextBytes;

bool IsValidDate(const google::type::Date& d) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year() < api::kMinYear || d.year() > api::kMaxYear) return false;
  if (d.month() < 1 || d.month() > 12) return false;
  if (d.day() < 1 || d.day() > kDays[d.month() - 1]) return false;
  if (d.month() == 2 && d.day() == 29) {
    const int y = d.year();
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  }
  return true;
}

bool IsSet(const google::type::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

bool Before(const google::type::Date& a, const google::type::Date& b) {
  if (a.year() != b.year()) return a.year() < b.year();
  if (a.month() != b.month()) return a.month() < b.month();
  return a.day() < b.day();
}

void CheckDate(errors::FieldViolations& violations, const std::string& field,
               const google::type::Date& date) {
  if (IsSet(date) && !IsValidDate(date)) {
    violations.Add(field, absl::StrCat("is not a calendar date: ", date.year(), "-", date.month(),
                                       "-", date.day()));
  }
}

google::type::Date DueDate(int year_covered, const fazhi::rules::v1::DueBefore& due) {
  google::type::Date d;
  d.set_year(year_covered + 1);
  d.set_month(due.month());
  d.set_day(due.day());
  return d;
}

v1::Timeliness Judge(const google::type::Date& actual, const google::type::Date& deadline) {
  if (!IsSet(actual)) return v1::TIMELINESS_UNKNOWN;
  return Before(actual, deadline) ? v1::TIMELINESS_ON_TIME : v1::TIMELINESS_LATE;
}

}  // namespace

namespace {

std::vector<PartPattern> PatternsFrom(
    const google::protobuf::RepeatedPtrField<fazhi::rules::v1::PartPattern>& patterns) {
  std::vector<PartPattern> out;
  for (const auto& pattern : patterns) {
    out.push_back(
        PartPattern{std::vector<std::string>(pattern.all_of().begin(), pattern.all_of().end())});
  }
  return out;
}

}  // namespace

std::vector<PartRule> PartRulesFrom(const fazhi::rules::v1::RuleSet& rules) {
  if (rules.report().parts().empty()) return DefaultPartRules();
  std::vector<PartRule> out;
  for (const auto& part : rules.report().parts()) {
    PartRule rule{static_cast<ReportPart>(part.part()), part.required(),
                  PatternsFrom(part.patterns()), PatternsFrom(part.sentence_patterns())};
    for (const auto& clause : part.subject_clauses()) {
      rule.subject_clauses.push_back(
          {clause.subject_ends_with(),
           static_cast<size_t>(std::max(0, clause.max_subject_length())),
           std::vector<std::string>(clause.verbs().begin(), clause.verbs().end()),
           std::vector<std::string>(clause.contains_all_of().begin(),
                                    clause.contains_all_of().end()),
           std::vector<std::string>(clause.subject_none_of().begin(),
                                    clause.subject_none_of().end())});
    }
    out.push_back(std::move(rule));
  }
  return out;
}

ThematicLayoutRule ThematicLayoutFrom(const fazhi::rules::v1::RuleSet& rules) {
  if (!rules.report().has_thematic_layout()) return DefaultThematicLayout();
  const auto& layout = rules.report().thematic_layout();
  return {static_cast<ReportPart>(layout.part()), layout.min_headings(),
          PatternsFrom(layout.patterns())};
}

absl::Status ValidateReportRules(const fazhi::rules::v1::RuleSet& rules) {
  if (absl::Status figures = ValidateFigureRules(rules.report()); !figures.ok()) return figures;
  if (absl::Status parts = ValidatePartRules(PartRulesFrom(rules)); !parts.ok()) return parts;
  return ValidateThematicLayout(ThematicLayoutFrom(rules));
}

bool IsAnnualReport(v1::ReportKind kind) {
  return kind == v1::REPORT_KIND_GOVERNMENT_ANNUAL || kind == v1::REPORT_KIND_DEPARTMENT_ANNUAL ||
         kind == v1::REPORT_KIND_STREET_TOWN_ANNUAL;
}

bool TakeTextIn(v1::Report& report, errors::FieldViolations& violations) {
  if (!v1::TextFormat_IsValid(report.text_format())) {
    violations.Add("report.text_format", "is not a known text format");
    return false;
  }
  if (!report.raw_text().empty()) {
    if (!report.text().empty()) {
      violations.Add("report.raw_text",
                     "set either report.text (UTF-8) or report.raw_text, not both");
      return false;
    }
    if (report.raw_text().size() > kMaxTextBytes) {
      violations.Add(
          "report.raw_text",
          absl::StrCat("is ", report.raw_text().size(), " bytes; the limit is ", kMaxTextBytes,
                       " bytes (512 KiB). Submit the report's text only"));
      return false;
    }
    std::string detected;
    auto converted = ToUtf8(report.raw_text(), report.encoding(), &detected);
    if (!converted.ok()) {
      errors::AddViolationsOf(converted.status(), violations);
      return false;
    }
    if (converted->size() > kMaxTextBytes) {
      violations.Add("report.raw_text", absl::StrCat("converts to ", converted->size(),
                                                     " bytes of UTF-8; the limit is ",
                                                     kMaxTextBytes, " bytes (512 KiB)"));
      return false;
    }
    report.set_text(*std::move(converted));
    report.clear_raw_text();
    report.set_encoding(detected);
  } else {
    const std::string declared = absl::AsciiStrToUpper(report.encoding());
    if (!declared.empty() && declared != "UTF-8" && declared != "UTF8") {
      violations.Add("report.encoding",
                     "report.text is UTF-8; send text in another encoding as report.raw_text");
      return false;
    }
    report.set_encoding("UTF-8");
    if (report.text().size() > kMaxTextBytes || !text::IsValidUtf8(report.text())) return true;
  }
  ReadPage(report);
  return true;
}

void ValidateReport(const v1::Report& report, errors::FieldViolations& violations,
                    bool check_text) {
  api::CheckResourceName(violations, "report.filer", "units", report.filer());
  api::CheckRegionName(violations, "report.region", report.region());
  api::CheckYear(violations, "report.year", report.year());
  if (!check_text) {
    // TakeTextIn has named the text's fault.
  } else if (report.text().size() > kMaxTextBytes) {
    violations.Add("report.text",
                   absl::StrCat("is ", report.text().size(), " bytes; the limit is ", kMaxTextBytes,
                                " bytes (512 KiB). Submit the report's text only"));
  } else if (!text::IsValidUtf8(report.text())) {
    violations.Add("report.text", "is not valid UTF-8; convert it (GBK files included) to UTF-8");
  } else if (report.text().find_first_not_of(" \t\r\n") == std::string::npos) {
    violations.Add("report.text", "is required: the report's full text");
  }
  api::CheckText(violations, "report.title", report.title(), 0, limits::kMaxReportTitleChars);
  api::CheckText(violations, "report.published_where", report.published_where(), 0,
                 limits::kMaxPublishedWhereChars);
  CheckDate(violations, "report.submitted_date", report.submitted_date());
  CheckDate(violations, "report.published_date", report.published_date());
  if (!v1::ReportKind_IsValid(report.kind())) {
    violations.Add("report.kind", "is not a known report kind");
  }
}

void LeaveOutForListing(v1::Report& report) {
  report.clear_text();
  report.clear_raw_text();
  report.clear_quantities();
}

void CheckAnalyzedReportSize(const v1::Report& report, errors::FieldViolations& violations) {
  // The record adds a few bookkeeping fields to the report.
  constexpr size_t kRecordOverhead = 4096;
  if (!limits::CheckEncodedSize(violations, "report.text", report,
                                limits::kMaxRecordBytes - kRecordOverhead,
                                "the report with its analysis (sections, quantities, figures)")) {
    return;
  }
  v1::Report listed = report;
  LeaveOutForListing(listed);
  limits::CheckEncodedSize(violations, "report.text", listed, limits::kMaxListedReportBytes,
                           "the report as listed (its sections and figures)");
}

bool CutReportToLimits(v1::Report& report) {
  if (report.ByteSizeLong() <= limits::kMaxRecordBytes) return false;
  report.clear_quantities();
  return true;
}

void AnalyzeReport(const fazhi::rules::v1::RuleSet& rules, const std::vector<PartRule>& part_rules,
                   v1::Report& report) {
  if (report.title_source() == v1::TITLE_SOURCE_UNSPECIFIED) {
    // Not read as a page (TakeTextIn): the caller's title, else the text's.
    TitleChoice title{report.title(), v1::TITLE_SOURCE_CALLER, ""};
    if (report.title().empty()) title = ChooseTitle(PageTitles{}, report.text());
    report.set_title(title.title);
    report.set_title_source(title.source);
    if (!title.cover_letter_title.empty()) {
      report.mutable_metadata()->set_cover_letter_title(title.cover_letter_title);
    }
  }
  if (report.kind() == v1::REPORT_KIND_UNSPECIFIED) {
    report.set_kind(DetectReportKind(report.text(), report.title()));
    if (report.kind() == v1::REPORT_KIND_UNSPECIFIED) report.set_kind(v1::REPORT_KIND_OTHER);
  }

  const ReportStructure structure =
      ParseReportStructure(report.text(), report.year(), part_rules, ThematicLayoutFrom(rules));
  report.clear_sections();
  for (const auto& heading : structure.headings) {
    auto* section = report.add_sections();
    section->set_level(heading.level);
    section->set_marker(heading.marker);
    section->set_title(heading.title);
    section->set_part(static_cast<v1::ReportPart>(heading.part));
    section->set_begin(static_cast<int32_t>(heading.begin));
    section->set_end(static_cast<int32_t>(heading.end));
  }
  report.clear_part_findings();
  for (const auto& judged : structure.findings) {
    auto* finding = report.add_part_findings();
    finding->set_part(judged.part);
    finding->set_required(judged.required);
    finding->set_present(judged.present);
    if (judged.present) {
      finding->set_evidence(judged.evidence);
      finding->set_begin(static_cast<int32_t>(judged.begin));
      finding->set_end(static_cast<int32_t>(judged.end));
      finding->set_shown_by(judged.shown_by);
    }
    for (const auto& looked_for : judged.looked_for) finding->add_looked_for(looked_for);
  }
  report.clear_parts_present();
  for (ReportPart part : structure.parts_present) {
    report.add_parts_present(static_cast<v1::ReportPart>(part));
  }
  report.clear_parts_missing();
  const bool annual = IsAnnualReport(report.kind());
  if (annual) {
    for (ReportPart part : structure.required_missing) {
      report.add_parts_missing(static_cast<v1::ReportPart>(part));
    }
  }

  report.clear_submission_deadline();
  report.clear_publication_deadline();
  if (!annual) {
    report.set_submission_timeliness(v1::TIMELINESS_NOT_APPLICABLE);
    report.set_publication_timeliness(v1::TIMELINESS_NOT_APPLICABLE);
  } else {
    const auto& due = report.kind() == v1::REPORT_KIND_DEPARTMENT_ANNUAL
                          ? rules.report().department_submission()
                          : rules.report().government_submission();
    *report.mutable_submission_deadline() = DueDate(report.year(), due);
    *report.mutable_publication_deadline() = DueDate(report.year(), rules.report().publication());
    report.set_submission_timeliness(Judge(report.submitted_date(), report.submission_deadline()));
    report.set_publication_timeliness(
        Judge(report.published_date(), report.publication_deadline()));
  }
  report.set_rules_version(rules.version());

  FigureExtraction figures = ExtractFigures(FigureRules(rules.report()), report);
  report.clear_quantities();
  for (auto& q : figures.quantities) *report.add_quantities() = std::move(q);
  report.clear_figures();
  for (auto& f : figures.figures) *report.add_figures() = std::move(f);
}

}  // namespace fazhi::report
