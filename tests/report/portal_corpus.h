// The portal corpus (tests/report/portal_corpus/): pages in the shapes
// government portals publish, each with what a reader says the report
// service should make of it, and the scoring of the reader against them.
#ifndef FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_
#define FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_

#include <map>
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
};

PageScore ScorePage(const LabelledPage& page, const v1::Report& report);

}  // namespace fazhi::report::testing

#endif  // FAZHI_TESTS_REPORT_PORTAL_CORPUS_H_
