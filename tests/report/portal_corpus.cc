#include "tests/report/portal_corpus.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/utf8.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/report/report_analysis.h"
#include "tests/testing/test_env.h"

namespace fazhi::report::testing {
namespace {

// `s` without ASCII and ideographic whitespace, for comparisons a reader
// would not fault.
std::string Squeezed(const std::string& s) {
  std::string out;
  for (const char32_t c : text::DecodeUtf8Lenient(s).chars) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0) continue;
    text::AppendUtf8(c, &out);
  }
  return out;
}

std::string DateText(const google::type::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return "";
  return absl::StrCat(d.year(), "-", d.month(), "-", d.day());
}

// The metadata fields, by name, as text.
std::vector<std::pair<std::string, std::string>> MetadataFields(const v1::DocumentMetadata& m) {
  return {{"index_number", m.index_number()},
          {"issuing_authority", m.issuing_authority()},
          {"document_number", m.document_number()},
          {"written_date", DateText(m.written_date())},
          {"release_date", DateText(m.release_date())},
          {"subject_category", m.subject_category()},
          {"addressee", m.addressee()},
          {"cover_letter_title", m.cover_letter_title()}};
}

// The code points [begin, end) of `text`.
std::string Span(const std::string& text, int begin, int end) {
  if (begin < 0 || end < begin) return "";
  return std::string(text::SubstrByCodePoints(text, begin, end));
}

// What the report says shows `part`: its finding when the reader gives
// findings, else the first top-level section standing for it.
bool FoundPart(const v1::Report& report, v1::ReportPart part, int* begin, int* end) {
  if (!report.part_findings().empty()) {
    for (const auto& finding : report.part_findings()) {
      if (finding.part() != part || !finding.present()) continue;
      *begin = finding.begin();
      *end = finding.end();
      return true;
    }
    return false;
  }
  for (const auto& section : report.sections()) {
    if (section.part() != part) continue;
    *begin = section.begin();
    *end = section.end();
    return true;
  }
  return false;
}

std::string TableText(const v1::ReportTable& table) {
  std::vector<std::string> rows;
  for (const auto& row : table.rows()) {
    std::vector<std::string> cells;
    for (const auto& cell : row.cells()) cells.push_back(cell.text());
    rows.push_back(absl::StrJoin(cells, " | "));
  }
  return absl::StrCat("header_rows ", table.header_rows(), ": ", absl::StrJoin(rows, " / "));
}

std::string TableText(const ExpectedTable& table) {
  std::vector<std::string> rows;
  for (const auto& row : table.rows()) rows.push_back(absl::StrJoin(row.cells(), " | "));
  return absl::StrCat("header_rows ", table.header_rows(), ": ", absl::StrJoin(rows, " / "));
}

// Where the `occurrence`-th `needle` starts in `text`, in code points; -1
// when it is not there.
int FindOccurrence(const std::string& text, const std::string& needle, int occurrence) {
  size_t at = 0;
  for (int i = 0;; ++i) {
    at = text.find(needle, at);
    if (at == std::string::npos) return -1;
    if (i == occurrence) break;
    at += needle.size();
  }
  return static_cast<int>(text::CodePointCount(absl::string_view(text).substr(0, at)));
}

std::string PeriodText(const LabelledPeriod& p) {
  return absl::StrCat(p.start_year(), "-", p.start_month(), "..", p.end_year(), "-", p.end_month());
}

// The extracted figure's period in the labels' terms (an unset start month
// is January, an unset end month December, an unset end year the start's).
LabelledPeriod PeriodOf(const v1::ExtractedFigure& figure) {
  LabelledPeriod p;
  p.set_start_year(figure.period().year());
  p.set_start_month(figure.period().start_month() == 0 ? 1 : figure.period().start_month());
  p.set_end_year(figure.period().end_year() == 0 ? figure.period().year()
                                                 : figure.period().end_year());
  p.set_end_month(figure.period().end_month() == 0 ? 12 : figure.period().end_month());
  return p;
}

bool SameValue(const v1::ExtractedFigure& figure, const ExpectedFigure& label) {
  double expected = 0;
  if (!absl::SimpleAtod(label.value(), &expected)) return false;
  return std::abs(figure.quantity().value() - expected) <= 1e-9 * std::max(1.0, expected);
}

bool SamePeriod(const LabelledPeriod& a, const LabelledPeriod& b) {
  return a.start_year() == b.start_year() && a.start_month() == b.start_month() &&
         a.end_year() == b.end_year() && a.end_month() == b.end_month();
}

void ScoreFigures(const LabelledPage& page, const v1::Report& report,
                  const std::set<std::string>& known_indicators, PageScore& score) {
  struct Placed {
    const ExpectedFigure* label;
    int begin;
    int end;
    bool recalled = false;
  };
  std::vector<Placed> placed;
  for (const auto& label : page.figures()) {
    const int begin = FindOccurrence(report.text(), label.text(), label.occurrence());
    if (begin < 0) {
      score.wrong_figures.push_back(absl::StrCat("label \"", label.text(), "\" (occurrence ",
                                                 label.occurrence(), ") is not in the text"));
      continue;
    }
    placed.push_back({&label, begin, begin + static_cast<int>(text::CodePointCount(label.text()))});
  }
  for (const auto& figure : report.figures()) {
    if (figure.confidence() != v1::FIGURE_CONFIDENCE_ACCEPTED) continue;
    ++score.accepted;
    Placed* at = nullptr;
    for (auto& p : placed) {
      if (figure.begin() < p.end && p.begin < figure.end()) at = &p;
    }
    const std::string what =
        absl::StrCat("accepted \"", figure.quantity().text(), "\" as ", figure.indicator(), " = ",
                     figure.quantity().value(), " for ", PeriodText(PeriodOf(figure)));
    if (at == nullptr) {
      score.wrong_figures.push_back(absl::StrCat(what, ": no figure is labelled there"));
    } else if (at->label->indicator().empty()) {
      score.wrong_figures.push_back(
          absl::StrCat(what, ": it is no value (", at->label->note(), ")"));
    } else if (at->label->indicator() != figure.indicator() || !SameValue(figure, *at->label) ||
               !SamePeriod(PeriodOf(figure), at->label->period())) {
      score.wrong_figures.push_back(absl::StrCat(what, ": the label says ", at->label->indicator(),
                                                 " = ", at->label->value(), " for ",
                                                 PeriodText(at->label->period())));
    } else {
      ++score.accepted_right;
      at->recalled = true;
    }
  }
  for (const auto& p : placed) {
    if (p.label->indicator().empty() || !known_indicators.count(p.label->indicator())) continue;
    ++score.recall_denominator;
    if (p.recalled) {
      ++score.recalled;
    } else {
      score.missed_figures.push_back(absl::StrCat("\"", p.label->text(), "\" ",
                                                  p.label->indicator(), " = ", p.label->value(),
                                                  " for ", PeriodText(p.label->period())));
    }
  }
}

}  // namespace

std::set<std::string> KnownIndicators(const fazhi::rules::v1::RuleSet& rules) {
  std::set<std::string> known;
  for (const auto& pattern : rules.report().figures()) known.insert(pattern.indicator());
  return known;
}

std::string PortalCorpusDir() {
  return absl::StrCat(FAZHI_SOURCE_DIR, "/tests/report/portal_corpus");
}

std::vector<LabelledPage> LoadPortalCorpus(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (absl::EndsWith(name, ".labels.textproto")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<LabelledPage> pages;
  for (const auto& file : files) {
    LabelledPage page;
    EXPECT_TRUE(
        google::protobuf::TextFormat::ParseFromString(::fazhi::testing::ReadFile(file), &page))
        << file << " does not parse as a LabelledPage";
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / page.file()))
        << file << " labels " << page.file() << ", which is not there";
    pages.push_back(std::move(page));
  }
  return pages;
}

v1::Report ReadLabelledPage(const std::string& dir, const LabelledPage& page,
                            const fazhi::rules::v1::RuleSet& rules) {
  v1::Report report;
  report.set_filer("units/portal-corpus");
  report.set_region("regions/310113");
  report.set_year(page.year());
  report.set_raw_text(::fazhi::testing::ReadFile(absl::StrCat(dir, "/", page.file())));
  errors::FieldViolations violations;
  if (!TakeTextIn(report, violations)) {
    ADD_FAILURE() << page.file() << " was refused: " << violations.ToStatus();
    return report;
  }
  AnalyzeReport(rules, PartRulesFrom(rules), report);
  return report;
}

PageScore ScorePage(const LabelledPage& page, const v1::Report& report,
                    const std::set<std::string>& known_indicators) {
  PageScore score;
  score.file = page.file();
  auto check = [&](const std::string& aspect, bool right, const std::string& wrong) {
    ++score.checked[aspect];
    if (right) {
      ++score.right[aspect];
    } else {
      score.wrong.push_back(absl::StrCat(aspect, ": ", wrong));
    }
  };

  check("title", Squeezed(report.title()) == Squeezed(page.title()),
        absl::StrCat("expected \"", page.title(), "\", got \"", report.title(), "\""));
  check("kind", report.kind() == page.kind(),
        absl::StrCat("expected ", v1::ReportKind_Name(page.kind()), ", got ",
                     v1::ReportKind_Name(report.kind())));

  const auto expected_metadata = MetadataFields(page.metadata());
  const auto got_metadata = MetadataFields(report.metadata());
  for (size_t i = 0; i < expected_metadata.size(); ++i) {
    const auto& [field, expected] = expected_metadata[i];
    const std::string& got = got_metadata[i].second;
    if (expected.empty() && got.empty()) continue;
    check("metadata", Squeezed(expected) == Squeezed(got),
          absl::StrCat(field, " expected \"", expected, "\", got \"", got, "\""));
  }

  const std::string& text = report.text();
  for (int p = v1::REPORT_PART_MEASURES_AND_RESULTS; p <= v1::REPORT_PART_OTHER_MATTERS; ++p) {
    const auto part = static_cast<v1::ReportPart>(p);
    const ExpectedPart* expected = nullptr;
    for (const auto& e : page.parts()) {
      if (e.part() == part) expected = &e;
    }
    int begin = 0;
    int end = 0;
    const bool found = FoundPart(report, part, &begin, &end);
    if (expected == nullptr) {
      if (found) {
        check("parts", false,
              absl::StrCat(v1::ReportPart_Name(part), " is not in the page but was found at \"",
                           Span(text, begin, end), "\""));
      }
      continue;
    }
    const std::string span = Span(text, begin, end);
    check("parts",
          found && span.find('\n') == std::string::npos &&
              absl::StrContains(Squeezed(span), Squeezed(expected->shown_by())),
          absl::StrCat(v1::ReportPart_Name(part), " expected shown by \"", expected->shown_by(),
                       "\", ", found ? absl::StrCat("found at \"", span, "\"") : "not found"));
  }

  const int tables = std::max(page.tables_size(), report.tables_size());
  for (int i = 0; i < tables; ++i) {
    const std::string expected = i < page.tables_size() ? TableText(page.tables(i)) : "(none)";
    const std::string got = i < report.tables_size() ? TableText(report.tables(i)) : "(none)";
    check("tables", Squeezed(expected) == Squeezed(got),
          absl::StrCat("table ", i + 1, " expected ", expected, "; got ", got));
  }

  const std::string squeezed_text = Squeezed(report.text());
  for (const auto& chrome : page.chrome()) {
    check("chrome", !absl::StrContains(squeezed_text, Squeezed(chrome)),
          absl::StrCat("\"", chrome, "\" is still in the text"));
  }
  for (const auto& kept : page.kept()) {
    check("kept", absl::StrContains(squeezed_text, Squeezed(kept)),
          absl::StrCat("\"", kept, "\" is missing from the text"));
  }
  if (page.figures_labelled()) ScoreFigures(page, report, known_indicators, score);
  return score;
}

}  // namespace fazhi::report::testing
