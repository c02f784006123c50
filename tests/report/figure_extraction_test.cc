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

#include "absl/strings/str_cat.h"
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

class FigureExtractionTest : public ::testing::Test {
 protected:
  FigureExtractionTest() : rules_(testing::ShippedRules().report()) {}
  // The text alone, as a report with no headings, tables or title.
  FigureExtraction Extract(const std::string& text, int year) {
    v1::Report report;
    report.set_text(text);
    report.set_year(year);
    return ExtractFigures(rules_, report);
  }
  FigureRules rules_;
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
