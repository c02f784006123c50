// Unit tests of services/report/search_hits.h: snippets.
#include "services/report/search_hits.h"

#include <gtest/gtest.h>

#include <string>

namespace fazhi::report {
namespace {

TEST(SearchHitsTest, SnippetHighlightsEveryTerm) {
  EXPECT_EQ(Snippet("一、工作\n共收到行政复议348件,办结行政复议340件。", {U"行政复议"}, 7, 20, "【",
                    "】"),
            "…、工作 共收到【行政复议】348件,办结【行政复议】…");
}

}  // namespace
}  // namespace fazhi::report
