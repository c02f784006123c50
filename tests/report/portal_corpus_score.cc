// Prints how the report service reads the portal corpus: per page, what it
// got wrong; then per aspect, how many checks were right. Not a test: the
// corpus test holds every check; this shows the whole picture at once.
//   build/tests/portal_corpus_score [corpus dir]
#include <iostream>
#include <map>

#include "gtest/gtest.h"
#include "tests/report/portal_corpus.h"
#include "tests/testing/test_env.h"

int main(int argc, char** argv) {
  using fazhi::report::testing::PageScore;
  const std::string dir = argc > 1 ? argv[1] : fazhi::report::testing::PortalCorpusDir();
  const auto rules = fazhi::testing::ShippedRules();
  std::map<std::string, int> right;
  std::map<std::string, int> checked;
  const auto known = fazhi::report::testing::KnownIndicators(rules);
  int pages_all_right = 0;
  int accepted = 0, accepted_right = 0, recall_denominator = 0, recalled = 0, figure_pages = 0;
  const auto pages = fazhi::report::testing::LoadPortalCorpus(dir);
  for (const auto& page : pages) {
    const auto report = fazhi::report::testing::ReadLabelledPage(dir, page, rules);
    const PageScore score = fazhi::report::testing::ScorePage(page, report, known);
    if (page.figures_labelled()) ++figure_pages;
    accepted += score.accepted;
    accepted_right += score.accepted_right;
    recall_denominator += score.recall_denominator;
    recalled += score.recalled;
    const bool figures_right = score.wrong_figures.empty() && score.missed_figures.empty();
    for (const auto& [aspect, n] : score.checked) checked[aspect] += n;
    for (const auto& [aspect, n] : score.right) right[aspect] += n;
    if (score.wrong.empty()) ++pages_all_right;
    if (score.wrong.empty() && figures_right) {
      std::cout << "ok    " << score.file << "\n";
      continue;
    }
    std::cout << "WRONG " << score.file << " (" << page.shape() << ")\n";
    for (const auto& line : score.wrong) std::cout << "      " << line << "\n";
    for (const auto& line : score.wrong_figures) std::cout << "      figure: " << line << "\n";
    for (const auto& line : score.missed_figures) std::cout << "      missed: " << line << "\n";
  }
  std::cout << "\npages read entirely right: " << pages_all_right << " of " << pages.size() << "\n";
  for (const auto& [aspect, n] : checked) {
    std::cout << "  " << aspect << ": " << right[aspect] << " of " << n << " right\n";
  }
  std::cout << "figures, on the " << figure_pages << " pages whose figures are labelled:\n"
            << "  accepted: " << accepted << ", of them wrong: " << accepted - accepted_right
            << "\n  recall: " << recalled << " of " << recall_denominator
            << " labelled values of an indicator the rules can read";
  if (recall_denominator > 0) std::cout << " (" << 100.0 * recalled / recall_denominator << " %)";
  std::cout << "\n";
  return 0;
}
