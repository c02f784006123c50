// The portal corpus (tests/report/portal_corpus/): pages in the shapes
// government portals publish, each with what a reader says the report
// service should make of it, and the scoring of the reader against them.
#ifndef FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_
#define FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fazhi/report/v1/report_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"
#include "portal_corpus/labels.pb.h"

namespace fazhi::report::testing {

// The corpus directory in the source tree.
std::string PortalCorpusDir();

// Every labelled page of `dir`, in file-name order. Fails (gtest) on a
// labels file that does not parse or names a page that is not there.
std::vector<LabelledPage> LoadPortalCorpus(const std::string& dir);

// The page's bytes read as a district files them: raw_text, nothing
// declared, the labelled year, then the service's own reading and analysis.
v1::Report ReadLabelledPage(const std::string& dir, const LabelledPage& page,
                            const fazhi::rules::v1::RuleSet& rules);

// What the reading of one page got right and wrong, by aspect ("title",
// "kind", "metadata", "parts", "tables", "chrome", "kept").
struct PageScore {
  std::string file;
  std::map<std::string, int> right;
  std::map<std::string, int> checked;
  // One line per wrong item, saying what was expected and what came.
  std::vector<std::string> wrong;

  // The figures, for pages whose figures are labelled (the figures issue):
  // accepted figures that are right, of all accepted; labelled values of an
  // indicator the rules know that were accepted right, of all such labels.
  int accepted = 0;
  int accepted_right = 0;
  int recall_denominator = 0;
  int recalled = 0;
  // One line per wrong accepted figure, per label that cannot be placed in
  // the text, and per labelled value not accepted.
  std::vector<std::string> wrong_figures;
  std::vector<std::string> missed_figures;
};

// Scores every aspect; the figures against `known_indicators` (the
// indicators the rules' figure patterns can read).
PageScore ScorePage(const LabelledPage& page, const v1::Report& report,
                    const std::set<std::string>& known_indicators = {});

// The indicators the figure patterns of `rules` name.
std::set<std::string> KnownIndicators(const fazhi::rules::v1::RuleSet& rules);

}  // namespace fazhi::report::testing

#endif  // FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_
