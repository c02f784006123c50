// The portal corpus held right: every title, kind, metadata field, table
// and part of every page, every piece of page chrome gone and the report's
// own text kept (build/tests/portal_corpus_score shows the same checks as a
// scoreboard).
#include "tests/report/portal_corpus.h"

#include <gtest/gtest.h>

#include "absl/strings/str_join.h"
#include "tests/testing/test_env.h"

namespace fazhi::report::testing {
namespace {

TEST(PortalCorpusTest, EveryPageIsReadAsItsLabelsSay) {
  const std::string dir = PortalCorpusDir();
  const auto pages = LoadPortalCorpus(dir);
  ASSERT_GE(pages.size(), 40u) << "the corpus is smaller than the issue asks";
  const auto rules = ::fazhi::testing::ShippedRules();
  for (const auto& page : pages) {
    const PageScore score = ScorePage(page, ReadLabelledPage(dir, page, rules));
    EXPECT_TRUE(score.wrong.empty())
        << page.file() << " (" << page.shape() << "):\n  " << absl::StrJoin(score.wrong, "\n  ");
  }
}

// Every figure of the 60 pages is labelled. The release line is absolute:
// no figure accepted wrong. Recall is the measure; the figures issue asks
// 95 %, and this holds what the extractor reaches now so that it cannot slip
// back unnoticed (build/tests/portal_corpus_score prints every miss).
TEST(PortalCorpusTest, NoFigureIsAcceptedWrongAndRecallDoesNotSlip) {
  constexpr double kRecallFloor = 0.92;
  const std::string dir = PortalCorpusDir();
  const auto pages = LoadPortalCorpus(dir);
  const auto rules = ::fazhi::testing::ShippedRules();
  const auto known = KnownIndicators(rules);
  int labelled_pages = 0, recalled = 0, denominator = 0;
  for (const auto& page : pages) {
    if (page.figures_labelled()) ++labelled_pages;
    const PageScore score = ScorePage(page, ReadLabelledPage(dir, page, rules), known);
    EXPECT_TRUE(score.wrong_figures.empty())
        << page.file() << ":\n  " << absl::StrJoin(score.wrong_figures, "\n  ");
    recalled += score.recalled;
    denominator += score.recall_denominator;
  }
  EXPECT_EQ(labelled_pages, static_cast<int>(pages.size()));
  ASSERT_GT(denominator, 0);
  EXPECT_GE(static_cast<double>(recalled) / denominator, kRecallFloor)
      << recalled << " of " << denominator << " labelled values read";
}

// The scoring itself: a page read wrong is scored wrong, aspect by aspect.
TEST(PortalCorpusTest, TheScoringSeesEachKindOfMistake) {
  const std::string dir = PortalCorpusDir();
  const auto pages = LoadPortalCorpus(dir);
  ASSERT_FALSE(pages.empty());
  const LabelledPage& page = pages.front();
  const auto rules = ::fazhi::testing::ShippedRules();
  v1::Report report = ReadLabelledPage(dir, page, rules);

  v1::Report wrong_title = report;
  wrong_title.set_title("当前位置：首页");
  PageScore title_score = ScorePage(page, wrong_title);
  EXPECT_EQ(title_score.right["title"], 0);

  v1::Report no_metadata = report;
  no_metadata.clear_metadata();
  PageScore metadata_score = ScorePage(page, no_metadata);
  EXPECT_EQ(metadata_score.right["metadata"], 0);
  EXPECT_GT(metadata_score.checked["metadata"], 0);

  v1::Report joined_cells = report;
  joined_cells.clear_tables();
  auto* table = joined_cells.add_tables();
  table->add_rows()->add_cells()->set_text("135件");
  PageScore table_score = ScorePage(page, joined_cells);
  EXPECT_EQ(table_score.right["tables"], 0);

  v1::Report no_parts = report;
  no_parts.clear_part_findings();
  no_parts.clear_sections();
  PageScore parts_score = ScorePage(page, no_parts);
  EXPECT_EQ(parts_score.right["parts"], 0);

  v1::Report with_chrome = report;
  with_chrome.set_text(with_chrome.text() + "\n" + page.chrome(0));
  PageScore chrome_score = ScorePage(page, with_chrome);
  EXPECT_LT(chrome_score.right["chrome"], chrome_score.checked["chrome"]);

  // A figure accepted where the page labels none, or with another value.
  const auto known = KnownIndicators(rules);
  ASSERT_TRUE(page.figures_labelled());
  v1::Report wrong_figure = report;
  auto* invented = wrong_figure.add_figures();
  invented->set_indicator("admin_reconsideration_received");
  invented->set_confidence(v1::FIGURE_CONFIDENCE_ACCEPTED);
  invented->set_begin(0);
  invented->set_end(2);
  invented->mutable_quantity()->set_value(135);
  EXPECT_FALSE(ScorePage(page, wrong_figure, known).wrong_figures.empty());

  // The page as read is right on every aspect, so the mistakes above are
  // the planted ones.
  EXPECT_TRUE(ScorePage(page, report).wrong.empty());
  EXPECT_TRUE(ScorePage(page, report, known).wrong_figures.empty());
}

}  // namespace
}  // namespace fazhi::report::testing
