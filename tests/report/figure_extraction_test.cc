// Tests of services/report/figure_extraction.h with the shipped rules file:
// the golden figures of the three seed reports (precision 100%, recall
// printed), the paired and carried-on forms, partial periods, and the cases
// that must stay candidates.
#include "services/report/figure_extraction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text/utf8.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {
namespace {

using ::testing::IsEmpty;

constexpr char kBaoshan2023[] = "002_4f28ee6da608f1e8.txt";
constexpr char kPutuo2020[] = "004_e0cd47a7b08ce18d.txt";
constexpr char kYangpuCase[] = "001_e4eb8e5b584018fc.txt";

// indicator, decimal, qualifier, year, last month covered.
using Fact = std::tuple<std::string, std::string, fazhi::type::Qualifier, int, int>;
constexpr auto kExact = fazhi::type::QUALIFIER_EXACT;

std::string Show(const Fact& f) {
  return absl::StrCat(std::get<0>(f), "=", std::get<1>(f), " q", std::get<2>(f), " ",
                      std::get<3>(f), "/1-", std::get<4>(f));
}

Fact FactOf(const v1::ExtractedFigure& f) {
  return Fact(f.indicator(), f.quantity().decimal(), f.quantity().qualifier(), f.period().year(),
              f.period().end_month());
}

std::set<Fact> Accepted(const FigureExtraction& e) {
  std::set<Fact> out;
  for (const auto& f : e.figures) {
    if (f.confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED) out.insert(FactOf(f));
  }
  return out;
}

// The shipped figure patterns without their own defences against the
// traps (sentence_none_of, candidate_only): what the extractor tells apart
// by itself when a rules file does not.
fazhi::rules::v1::ReportRules WithoutTheRulesDefences(fazhi::rules::v1::ReportRules rules) {
  for (auto& pattern : *rules.mutable_figures()) {
    pattern.clear_sentence_none_of();
    pattern.set_candidate_only(false);
  }
  return rules;
}

class FigureExtractionTest : public ::testing::Test {
 protected:
  FigureExtractionTest()
      : rules_(testing::ShippedRules().report()),
        bare_rules_(WithoutTheRulesDefences(testing::ShippedRules().report())) {}
  // The text alone, as a report with no headings, tables or title.
  FigureExtraction Extract(const std::string& text, int year, const FigureRules* rules = nullptr) {
    v1::Report report;
    report.set_text(text);
    report.set_year(year);
    return ExtractFigures(rules == nullptr ? rules_ : *rules, report);
  }
  FigureRules rules_;
  FigureRules bare_rules_;
};

struct Golden {
  const char* seed;
  int year;
  std::set<Fact> expected;
};

std::vector<Golden> GoldenSet() {
  return {
      {kBaoshan2023,
       2023,
       {
           {"court_appearance_rate", "100", kExact, 2023, 12},
           {"mediation_accepted", "21267", kExact, 2023, 12},
           {"mediation_succeeded", "21221", kExact, 2023, 12},
           {"mediation_success_rate", "99.8", kExact, 2023, 12},
           {"major_decisions_listed", "20", kExact, 2023, 12},
           {"normative_documents_in_force", "66", kExact, 2023, 12},
           {"enforcement_training_hours", "60", fazhi::type::QUALIFIER_AT_LEAST, 2023, 12},
           {"reconsideration_settlement_rate", "75.3", kExact, 2023, 12},
           // Rules 2026-12-08.2: "2023年度区政府制发规范性文件4件".
           {"normative_documents_issued", "4", kExact, 2023, 12},
       }},
      {kPutuo2020,
       2020,
       {
           {"admin_reconsideration_received", "348", kExact, 2020, 12},
           {"admin_reconsideration_closed", "340", kExact, 2020, 12},
           {"admin_litigation_received", "72", kExact, 2020, 12},
           {"admin_litigation_concluded", "66", kExact, 2020, 12},
           {"court_appearance_rate", "83.8", kExact, 2020, 11},
           {"legal_aid_cases", "2326", kExact, 2020, 11},
           {"smart_mediation_received", "7513", kExact, 2020, 11},
           {"smart_mediation_succeeded", "7149", kExact, 2020, 11},
           {"smart_mediation_success_rate", "95.15", kExact, 2020, 11},
           {"notarization_cases", "9918", kExact, 2020, 11},
           {"judicial_appraisal_cases", "28000", kExact, 2020, 12},
           {"enforcement_certificates_reviewed", "1006", kExact, 2020, 11},
           // Rules 2026-12-08.2: "审查区政府重大合同及协议33件" (no 截至 in
           // its sentence).
           {"legality_reviews", "33", kExact, 2020, 12},
       }},
      {kYangpuCase,
       2017,
       {
           {"court_appearance_rate", "18.64", kExact, 2012, 12},
           {"court_appearance_rate", "53.28", kExact, 2017, 12},
       }},
  };
}

// Precision must be 100%: every accepted figure is an expected one. Recall
// (expected figures accepted / expected) is printed; the golden values of the
// issue are all expected to be found.
TEST_F(FigureExtractionTest, GoldenSeedsPrecisionIsCompleteAndRecallPrinted) {
  size_t expected_total = 0, found_total = 0, accepted_total = 0, candidates = 0;
  for (const Golden& g : GoldenSet()) {
    const FigureExtraction e = Extract(testing::ReadSeed(g.seed), g.year);
    const std::set<Fact> accepted = Accepted(e);
    for (const auto& f : e.figures) {
      if (f.confidence() == v1::FIGURE_CONFIDENCE_CANDIDATE) ++candidates;
    }
    for (const Fact& f : accepted) {
      EXPECT_TRUE(g.expected.count(f))
          << g.seed << ": accepted a figure that is not a fact: " << Show(f);
    }
    for (const Fact& f : g.expected) {
      if (accepted.count(f)) {
        ++found_total;
      } else {
        ADD_FAILURE() << g.seed << ": missed " << Show(f);
      }
    }
    expected_total += g.expected.size();
    accepted_total += accepted.size();
  }
  const double recall = static_cast<double>(found_total) / static_cast<double>(expected_total);
  std::printf(
      "golden figures: expected %zu, accepted %zu, found %zu, candidates %zu; recall %.1f%%\n",
      expected_total, accepted_total, found_total, candidates, 100.0 * recall);
  RecordProperty("recall_percent", static_cast<int>(100.0 * recall));
  EXPECT_EQ(found_total, expected_total);
}

TEST_F(FigureExtractionTest, EveryQuantityHasItsSpanInTheText) {
  const std::string text = testing::ReadSeed(kPutuo2020);
  const FigureExtraction e = Extract(text, 2020);
  ASSERT_GT(e.quantities.size(), 50u);
  for (const auto& q : e.quantities) {
    EXPECT_EQ(std::string(text::SubstrByCodePoints(text, q.begin(), q.end())), q.quantity().text());
  }
  for (const auto& f : e.figures) {
    EXPECT_EQ(std::string(text::SubstrByCodePoints(text, f.begin(), f.end())), f.quantity().text());
  }
}

TEST_F(FigureExtractionTest, SeedFiguresCarryTheirSpanAndEvidence) {
  const std::string text = testing::ReadSeed(kPutuo2020);
  const FigureExtraction e = Extract(text, 2020);
  bool seen = false;
  for (const auto& f : e.figures) {
    if (f.indicator() != "court_appearance_rate") continue;
    seen = true;
    EXPECT_EQ(f.quantity().text(), "83.8%");
    EXPECT_THAT(f.evidence(), ::testing::HasSubstr("截至11月底"));
    EXPECT_EQ(f.period().end_month(), 11);
  }
  EXPECT_TRUE(seen);
}

TEST_F(FigureExtractionTest, PairedFormMatchesPositionally) {
  const auto e = Extract("今年共收到行政诉讼72件、行政复议348件,分别审结66件、办结340件。", 2021);
  EXPECT_EQ(Accepted(e), (std::set<Fact>{
                             {"admin_litigation_received", "72", kExact, 2021, 12},
                             {"admin_reconsideration_received", "348", kExact, 2021, 12},
                             {"admin_litigation_concluded", "66", kExact, 2021, 12},
                             {"admin_reconsideration_closed", "340", kExact, 2021, 12},
                         }));
}

TEST_F(FigureExtractionTest, UnevenPairIsNotGuessed) {
  // Three figures after 分别 but two before: nothing pairs, nothing is read.
  const auto e =
      Extract("共收到行政复议348件、行政诉讼72件,分别办结340件、审结66件、撤回3件。", 2021);
  for (const auto& f : e.figures) {
    EXPECT_NE(f.quantity().decimal(), "340") << f.indicator();
    EXPECT_NE(f.quantity().decimal(), "66") << f.indicator();
  }
}

TEST_F(FigureExtractionTest, PartialPeriodsAndMidMonthEnds) {
  auto e = Extract("截至2021年11月30日,法援中心共办理法律援助案件2326件。", 2021);
  EXPECT_EQ(Accepted(e), (std::set<Fact>{{"legal_aid_cases", "2326", kExact, 2021, 11}}));
  e = Extract("截至11月15日,法援中心共办理法律援助案件2326件。", 2021);
  ASSERT_EQ(e.figures.size(), 1u);
  EXPECT_EQ(e.figures[0].confidence(), v1::FIGURE_CONFIDENCE_CANDIDATE);
  EXPECT_THAT(e.figures[0].reason(), ::testing::HasSubstr("mid-month"));
  e = Extract("截至目前,法援中心共办理法律援助案件2326件。", 2021);
  ASSERT_EQ(e.figures.size(), 1u);
  EXPECT_EQ(e.figures[0].confidence(), v1::FIGURE_CONFIDENCE_CANDIDATE);
}

TEST_F(FigureExtractionTest, BoundsAndConflictsAreCandidates) {
  auto e = Extract("全区行政机关负责人出庭应诉率超过90%。", 2021);
  ASSERT_EQ(e.figures.size(), 1u);
  EXPECT_EQ(e.figures[0].confidence(), v1::FIGURE_CONFIDENCE_CANDIDATE);
  EXPECT_THAT(e.figures[0].reason(), ::testing::HasSubstr("bound"));

  e = Extract("行政机关负责人出庭应诉率为90%。另一口径下行政机关负责人出庭应诉率为95%。", 2021);
  ASSERT_EQ(e.figures.size(), 2u);
  for (const auto& f : e.figures) {
    EXPECT_EQ(f.confidence(), v1::FIGURE_CONFIDENCE_CANDIDATE);
    EXPECT_THAT(f.reason(), ::testing::HasSubstr("conflicting"));
  }
}

TEST_F(FigureExtractionTest, AmbiguousPatternsGiveCandidatesOnly) {
  // Both the reconsideration and the litigation patterns claim the figure.
  auto e = Extract("共收到行政复议和行政诉讼案件420件。", 2021);
  ASSERT_EQ(e.figures.size(), 2u);
  std::set<std::string> indicators;
  for (const auto& f : e.figures) {
    indicators.insert(f.indicator());
    EXPECT_EQ(f.confidence(), v1::FIGURE_CONFIDENCE_CANDIDATE);
    EXPECT_THAT(f.reason(), ::testing::HasSubstr("ambiguous"));
  }
  EXPECT_EQ(indicators,
            (std::set<std::string>{"admin_reconsideration_received", "admin_litigation_received"}));
  // A bare 成功率 with neither 人民调解 nor 智慧调解 in the sentence: nothing.
  e = Extract("调解成功率为95.15%。", 2021);
  EXPECT_THAT(e.figures, IsEmpty());
}

TEST_F(FigureExtractionTest, NewsPageAndNonIndicatorTextGiveNoFacts) {
  const FigureExtraction e = Extract(testing::ReadSeed("000_f329534fe2bcaa38.txt"), 2022);
  EXPECT_FALSE(e.quantities.empty());
  EXPECT_THAT(Accepted(e), IsEmpty());
}

// A report as the analysis leaves it: `lines` joined by newlines; the lines
// holding a tab are one table (its first `header_rows` rows headers), a line
// starting with "（" a heading, and `title` the report's title.
v1::Report AnalysedReport(const std::vector<std::string>& lines, int header_rows,
                          const std::string& title = "") {
  v1::Report report;
  report.set_year(2023);
  report.set_title(title);
  std::string text;
  v1::ReportTable* table = nullptr;
  for (const std::string& line : lines) {
    const auto begin = static_cast<int32_t>(text::CodePointCount(text));
    const auto end = begin + static_cast<int32_t>(text::CodePointCount(line));
    absl::StrAppend(&text, line, "\n");
    if (line.find('\t') != std::string::npos) {
      if (table == nullptr) {
        table = report.add_tables();
        table->set_begin(begin);
        table->set_header_rows(header_rows);
      }
      table->set_end(end);
      auto* row = table->add_rows();
      for (absl::string_view cell : absl::StrSplit(line, '\t')) {
        auto* c = row->add_cells();
        c->set_text(std::string(cell));
        c->set_row_span(1);
        c->set_col_span(1);
      }
    } else if (absl::StartsWith(line, "（")) {
      auto* section = report.add_sections();
      section->set_begin(begin);
      section->set_end(end);
    }
  }
  report.set_text(text);
  return report;
}

// The accepted figures as "indicator=value@year", and every figure's
// confidence and reason by its text, for compact expectations.
std::set<std::string> AcceptedValues(const FigureExtraction& e) {
  std::set<std::string> out;
  for (const auto& f : e.figures) {
    if (f.confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED) {
      out.insert(absl::StrCat(f.indicator(), "=", f.quantity().decimal(), "@", f.period().year()));
    }
  }
  return out;
}

std::string ReasonFor(const FigureExtraction& e, const std::string& figure_text) {
  for (const auto& f : e.figures) {
    if (f.quantity().text() == figure_text) {
      return f.confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED ? "accepted" : f.reason();
    }
  }
  return "no figure";
}

TEST_F(FigureExtractionTest, HeadingNamesTheSubjectOfItsBareFigures) {
  const v1::Report report = AnalysedReport(
      {"一、主要举措和成效", "（一）行政复议", "全年收案215件，审结203件。", "（二）人民调解",
       "全区各级调解组织全年受理纠纷7,964件，调解成功7,702件，成功率96.7%。"},
      0);
  const FigureExtraction e = ExtractFigures(rules_, report);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{
                                   "admin_reconsideration_received=215@2023",
                                   "admin_reconsideration_closed=203@2023",
                                   "mediation_accepted=7964@2023",
                                   "mediation_succeeded=7702@2023",
                                   "mediation_success_rate=96.7@2023",
                               }));
  // The heading used is recorded with its span.
  for (const auto& f : e.figures) {
    if (f.quantity().text() != "215件") continue;
    bool heading = false;
    for (const auto& piece : f.context()) {
      if (piece.kind() != v1::FigureContext::KIND_HEADING) continue;
      heading = true;
      EXPECT_EQ(piece.text(), "（一）行政复议");
      EXPECT_EQ(std::string(text::SubstrByCodePoints(report.text(), piece.begin(), piece.end())),
                piece.text());
    }
    EXPECT_TRUE(heading);
  }
  // Without the heading the bare figures name no indicator.
  EXPECT_THAT(Extract("全年收案215件，审结203件。", 2023).figures, IsEmpty());
}

TEST_F(FigureExtractionTest, AHeadingNeverMakesUpAReadingTheFigureDoesNotBegin) {
  // 来信 is no verb of the reconsideration patterns: the heading alone names
  // nothing.
  const v1::Report report =
      AnalysedReport({"（一）行政复议", "全年办理群众来信50件，接待来访30人次。"}, 0);
  EXPECT_THAT(ExtractFigures(rules_, report).figures, IsEmpty());
}

TEST_F(FigureExtractionTest, TitleNamesTheIndicatorOfAStatisticsPage) {
  const v1::Report report = AnalysedReport(
      {"全年受理纠纷14,862件，调解成功14,437件，成功率97.1%。", "街镇\t受理（件）\t成功（件）",
       "夏阳街道\t2,318\t2,266", "合计\t14,862\t14,437"},
      1, "2023年青浦区人民调解工作数据统计");
  const FigureExtraction e = ExtractFigures(rules_, report);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{
                                   "mediation_accepted=14862@2023",
                                   "mediation_succeeded=14437@2023",
                                   "mediation_success_rate=97.1@2023",
                               }));
  // A street's row is a part of the whole; the 合计 row repeats the text.
  EXPECT_THAT(ReasonFor(e, "2,318"), ::testing::HasSubstr("夏阳街道"));
  EXPECT_EQ(ReasonFor(e, "14,862"), "repeats an earlier figure");
  for (const auto& f : e.figures) {
    if (f.quantity().text() != "2,318") continue;
    std::set<v1::FigureContext::Kind> kinds;
    for (const auto& piece : f.context()) kinds.insert(piece.kind());
    EXPECT_TRUE(kinds.count(v1::FigureContext::KIND_TITLE));
    EXPECT_TRUE(kinds.count(v1::FigureContext::KIND_TABLE_ROW_HEADER));
    EXPECT_TRUE(kinds.count(v1::FigureContext::KIND_TABLE_COLUMN_HEADER));
    EXPECT_EQ(f.quantity().measure_word(), "件") << "the unit of the column header";
  }
}

TEST_F(FigureExtractionTest, TableCellTakesItsIndicatorFromItsRowAndItsYearFromItsColumn) {
  const v1::Report report = AnalysedReport(
      {"（一）强化行政争议化解。近三年全区行政复议和行政应诉主要数据见下表。",
       "指标\t2021年\t2022年\t2023年", "行政复议收案（件）\t702\t756\t811",
       "一审行政诉讼收案（件）\t298\t312\t287", "负责人出庭应诉率\t96.0%\t99.4%\t100%"},
      1);
  const FigureExtraction e = ExtractFigures(rules_, report);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{
                                   "admin_reconsideration_received=702@2021",
                                   "admin_reconsideration_received=756@2022",
                                   "admin_reconsideration_received=811@2023",
                                   "admin_litigation_received=298@2021",
                                   "admin_litigation_received=312@2022",
                                   "admin_litigation_received=287@2023",
                                   "court_appearance_rate=96@2021",
                                   "court_appearance_rate=99.4@2022",
                                   "court_appearance_rate=100@2023",
                               }));
}

TEST_F(FigureExtractionTest, TableColumnsNamingAPeriodGiveTheirCellsThatPeriod) {
  // A quarter's column counts that quarter and a 1—9月 column the months to
  // September, never the whole year; a change column is no value, and a
  // column naming a part besides its period narrows its cells.
  const v1::Report report =
      AnalysedReport({"全区行政复议案件办理情况见下表。",
                      "指标\t第三季度（件）\t1—9月累计（件）\t同比\t夏阳街道第三季度（件）",
                      "收到申请\t128\t361\t+8.4%\t40"},
                     1);
  const FigureExtraction e = ExtractFigures(rules_, report);
  std::set<std::string> accepted;
  for (const auto& f : e.figures) {
    if (f.confidence() != v1::FIGURE_CONFIDENCE_ACCEPTED) continue;
    accepted.insert(absl::StrCat(f.indicator(), "=", f.quantity().decimal(), "@", f.period().year(),
                                 "-", f.period().start_month(), "..", f.period().end_month()));
  }
  EXPECT_EQ(accepted, (std::set<std::string>{"admin_reconsideration_received=128@2023-7..9",
                                             "admin_reconsideration_received=361@2023-1..9"}));
  EXPECT_THAT(ReasonFor(e, "40"), ::testing::HasSubstr("夏阳街道"));
}

// The traps, told apart by the extractor itself (bare_rules_); the shipped
// rules also keep most of these sentences out by their own phrases.
TEST_F(FigureExtractionTest, SubCountsAreNoConflictWithTheirTotal) {
  const auto e =
      Extract("全区人民调解组织全年受理纠纷5,000件，其中受理物业纠纷960件，受理邻里纠纷800件。",
              2023, &bare_rules_);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{"mediation_accepted=5000@2023"}));
  EXPECT_THAT(ReasonFor(e, "960件"), ::testing::HasSubstr("其中"));
  EXPECT_THAT(ReasonFor(e, "800件"), ::testing::HasSubstr("其中"));
  // A sector's own committee counts a part of the whole.
  EXPECT_THAT(
      ReasonFor(Extract("区医疗纠纷人民调解委员会全年受理纠纷96件。", 2023, &bare_rules_), "96件"),
      ::testing::HasSubstr("part"));
}

TEST_F(FigureExtractionTest, WiderAreasChangesTargetsMixedCountsAndOrdinalsAreNoValues) {
  v1::Report report;
  report.set_year(2023);
  report.set_title("某区人民政府关于2023年法治政府建设情况的报告");
  report.set_text(
      "2023年全市各级行政复议机构共收到复议申请2.1万件，本区收到行政复议申请863件，同比上升11.4%。"
      "全区人民调解组织全年受理纠纷9,120件，受理量比上年增加640件。"
      "力争负责人出庭应诉率达到98%。"
      "审核行政复议和行政诉讼案件共420件。");
  const FigureExtraction e = ExtractFigures(bare_rules_, report);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{"admin_reconsideration_received=863@2023",
                                                      "mediation_accepted=9120@2023"}));
  EXPECT_EQ(ReasonFor(e, "863件"), "accepted");
  EXPECT_THAT(ReasonFor(e, "2.1万件"), ::testing::HasSubstr("wider area"));
  EXPECT_THAT(ReasonFor(e, "640件"), ::testing::HasSubstr("change"));
  EXPECT_THAT(ReasonFor(e, "98%"), ::testing::HasSubstr("target"));
  EXPECT_THAT(ReasonFor(e, "420件"), ::testing::Not("accepted"));
  // In a city's own report 全市 is its own subject.
  report.set_title("某市人民政府关于2023年法治政府建设情况的报告");
  report.set_text("2023年全市各级行政复议机构共收到复议申请2.1万件。");
  EXPECT_EQ(AcceptedValues(ExtractFigures(bare_rules_, report)),
            (std::set<std::string>{"admin_reconsideration_received=21000@2023"}));
}

TEST_F(FigureExtractionTest, FiguresInNextYearsPlansAreTargets) {
  v1::Report report =
      AnalysedReport({"一、主要举措和成效", "行政机关负责人出庭应诉率98.0%。", "四、2024年主要安排",
                      "（一）行政应诉", "负责人出庭应诉率保持100%。"},
                     0);
  // The analysis marks the top-level headings with their parts.
  auto* results = report.add_sections();
  results->set_level(1);
  results->set_part(v1::REPORT_PART_MEASURES_AND_RESULTS);
  results->set_begin(0);
  results->set_end(9);
  auto* plans = report.add_sections();
  plans->set_level(1);
  plans->set_part(v1::REPORT_PART_NEXT_YEAR_PLANS);
  const int plans_begin =
      static_cast<int>(text::CodePointCount(report.text().substr(0, report.text().find("四、"))));
  plans->set_begin(plans_begin);
  plans->set_end(plans_begin + 11);
  for (auto& section : *report.mutable_sections()) {
    if (section.level() == 0) section.set_level(2);
  }
  const FigureExtraction e = ExtractFigures(rules_, report);
  EXPECT_EQ(AcceptedValues(e), (std::set<std::string>{"court_appearance_rate=98@2023"}));
  EXPECT_THAT(ReasonFor(e, "100%"), ::testing::HasSubstr("plans"));
}

TEST(FigureOrdinalsTest, AnOrdinalIsNoCountEvenWhenAPatternWouldTakeIt) {
  fazhi::rules::v1::ReportRules proto;
  auto* pattern = proto.add_figures();
  pattern->set_indicator("plenary_sessions");
  pattern->add_after_all_of("全会");
  pattern->add_measure_words("次");
  const FigureRules rules(proto);
  v1::Report report;
  report.set_year(2023);
  report.set_text("传达学习区委三届二次全会精神。全年召开全会两次全会。");
  const FigureExtraction e = ExtractFigures(rules, report);
  ASSERT_EQ(e.figures.size(), 1u) << "三届二次 is an ordinal; 两次 is a count";
  EXPECT_EQ(e.figures[0].quantity().decimal(), "2");
}

TEST_F(FigureExtractionTest, MixedCountsAreToldFromListsThatQualifyTheCount) {
  // Several things reviewed together, then a total: no decision count.
  EXPECT_THAT(
      ReasonFor(Extract("审核重大行政决策、合同协议，参与信访接待等共计58件。", 2023), "58件"),
      ::testing::AnyOf("no figure", ::testing::HasSubstr("together")));
  // A clause that only shares its sentence's subject: "…收案468件，审结452件".
  EXPECT_EQ(AcceptedValues(Extract("区行政复议局全年收案468件，审结452件。", 2023)),
            (std::set<std::string>{"admin_reconsideration_received=468@2023",
                                   "admin_reconsideration_closed=452@2023"}));
}

TEST_F(FigureExtractionTest, ALineBreakInsideANumberBreaksNoSentence) {
  // A page's wrapped line splits "1,086件": the clause after it still shares
  // the sentence's subject, and the sentence before the number is its own.
  EXPECT_EQ(AcceptedValues(Extract("区行政复议局全年收到复议申请1,0\n86件，审结1,012件。", 2023)),
            (std::set<std::string>{"admin_reconsideration_received=1086@2023",
                                   "admin_reconsideration_closed=1012@2023"}));
}

TEST(FigureRulesTest, ShippedRulesAreValidAndBadPatternsAreNamed) {
  EXPECT_TRUE(ValidateFigureRules(testing::ShippedRules().report()).ok());
  fazhi::rules::v1::ReportRules rules;
  rules.add_figures()->set_indicator("legal_aid_cases");
  absl::Status s = ValidateFigureRules(rules);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("report.figures[0]"));
  rules.mutable_figures(0)->add_measure_words("件");
  EXPECT_FALSE(ValidateFigureRules(rules).ok()) << "a measure word alone matches every count";
  rules.mutable_figures(0)->add_subject_all_of("法律援助案件");
  EXPECT_TRUE(ValidateFigureRules(rules).ok());
}

}  // namespace
}  // namespace fazhi::report
