// A metrics store written by the previous release (format 1, kept in
// tests/testdata/store_format_1/metrics) is opened by this one: the rules in
// force and the two recorded rules changes read as before, and the next
// rules change is numbered after them instead of over them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/storage/store_format.h"
#include "services/metrics/metrics_keys.h"
#include "services/metrics/metrics_store.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {
namespace {

TEST(MetricsMigrationTest, RulesChangesKeepTheirNumbersAndTheNextOneFollows) {
  testing::TempDir dir;
  std::filesystem::copy(std::string(FAZHI_SOURCE_DIR) + "/tests/testdata/store_format_1/metrics",
                        dir.path(), std::filesystem::copy_options::recursive);
  auto store = MetricsStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  auto version =
      storage::ReadFormatVersion((*store)->store(), (*store)->store().family(keys::Family::kMeta));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, keys::kStoreFormat);

  auto before = (*store)->ListRulesChanges();
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->size(), 2u);
  EXPECT_EQ((*before)[0].to_version(), "2026-11-22.1");
  EXPECT_EQ((*before)[1].from_version(), "2026-11-22.1");
  EXPECT_EQ((*before)[1].to_version(), "fixture-2");

  // The rules in force were carried over: the same rules again are no change.
  auto rules = testing::ShippedRules();
  rules.set_version("fixture-2");
  auto same = (*store)->RecordRulesInForce(rules);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_FALSE(same->has_value());

  rules.set_version("fixture-3");
  auto third = (*store)->RecordRulesInForce(rules);
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_TRUE(third->has_value());
  auto after = (*store)->ListRulesChanges();
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].to_version(), "2026-11-22.1");
  EXPECT_EQ((*after)[1].to_version(), "fixture-2");
  EXPECT_EQ((*after)[2].from_version(), "fixture-2");
  EXPECT_EQ((*after)[2].to_version(), "fixture-3");

  // The indicators written in format 1 are all there.
  auto indicators = (*store)->AllIndicators();
  ASSERT_TRUE(indicators.ok()) << indicators.status();
  EXPECT_EQ((*indicators)->size(), 21u);
  ASSERT_TRUE((*store)->Close().ok());
}

}  // namespace
}  // namespace fazhi::metrics
