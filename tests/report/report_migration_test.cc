// A report store written by the previous release (format 1, kept in
// tests/testdata/store_format_1/report) is opened by this one: it is
// stamped with the current format, its per-bigram search postings end up in
// blocks, and its reports are found by search and listed as before.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/storage/store_format.h"
#include "services/report/report_keys.h"
#include "services/report/report_search.h"
#include "services/report/report_store.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {
namespace {

TEST(ReportMigrationTest, AFormatOneStoreIsStampedAndItsReportsAreFound) {
  testing::TempDir dir;
  std::filesystem::copy(std::string(FAZHI_SOURCE_DIR) + "/tests/testdata/store_format_1/report",
                        dir.path(), std::filesystem::copy_options::recursive);
  {
    // As written: postings one key per (bigram, document), no stamp.
    storage::StoreOptions options = testing::TestStoreOptions(dir.path());
    options.column_families = storage::FamilyNames(keys::kFamilies);
    auto raw = storage::Store::Open(options);
    ASSERT_TRUE(raw.ok()) << raw.status();
    auto version = storage::ReadFormatVersion(**raw, (*raw)->family(keys::Family::kMeta));
    ASSERT_TRUE(version.ok());
    ASSERT_EQ(*version, 0u);
    auto per_bigram =
        (*raw)->NewPrefixIterator((*raw)->family(keys::Family::kSearch), "b", nullptr);
    per_bigram->Seek("b");
    ASSERT_TRUE(per_bigram->Valid()) << "the fixture holds format 1 postings";
    per_bigram.reset();
    ASSERT_TRUE((*raw)->Close().ok());
  }

  auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  auto version =
      storage::ReadFormatVersion((*store)->store(), (*store)->store().family(keys::Family::kMeta));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, keys::kStoreFormat);
  auto per_bigram = (*store)->store().NewPrefixIterator(
      (*store)->store().family(keys::Family::kSearch), "b", nullptr);
  per_bigram->Seek("b");
  EXPECT_FALSE(per_bigram->Valid()) << "every per-bigram key was compacted into blocks";
  per_bigram.reset();

  v1::ListReportsRequest list;
  list.set_region("regions/310107");
  auto listed = (*store)->ListReports(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->reports_size(), 1);
  EXPECT_EQ(listed->reports(0).title(), "2020年度普陀区司法局法治政府建设情况报告");

  v1::SearchReportsRequest search;
  search.set_query("法治政府");
  auto terms = search::ParseQuery(search.query());
  ASSERT_TRUE(terms.ok()) << terms.status();
  auto page = (*store)->SearchReports(search, *terms, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total_size, 3);
  ASSERT_TRUE((*store)->Close().ok());
}

}  // namespace
}  // namespace fazhi::report
