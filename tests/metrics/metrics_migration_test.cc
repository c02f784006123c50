// A metrics store written by the previous release (format 1, kept in
// tests/testdata/store_format_1/metrics) is opened by this one: the rules in
// force and the two recorded rules changes read as before, and the next
// rules change is numbered after them instead of over them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/storage/key_codec.h"
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
  // The fixture's rules were written before metrics.partial_year existed.
  rules.mutable_metrics()->clear_partial_year();
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
// end_year joined the period after observations were stored: the key of a
// period inside one year is the one it always had, and a period that crosses
// into the next year has a key of its own.
TEST(MetricsMigrationTest, ObservationKeysOfOneYearPeriodsAreUnchanged) {
  v1::Observation o;
  o.set_indicator("indicators/legal_aid_cases");
  o.set_subject("regions/310112");
  o.mutable_period()->set_year(2022);
  o.mutable_period()->set_start_month(1);
  o.mutable_period()->set_end_month(7);
  const std::string as_stored_before = storage::KeyBuilder('o')
                                           .AddString("regions/310112")
                                           .AddUint32(2022)
                                           .AddString("legal_aid_cases")
                                           .AddUint32(1)
                                           .AddUint32(7)
                                           .Build();
  EXPECT_EQ(keys::Observation(o), as_stored_before);
  o.mutable_period()->set_end_year(2022);
  EXPECT_EQ(keys::Observation(o), as_stored_before);

  o.mutable_period()->set_start_month(8);
  o.mutable_period()->set_end_year(2023);
  const std::string statistical_year = keys::Observation(o);
  o.mutable_period()->clear_end_year();
  EXPECT_NE(statistical_year, keys::Observation(o));
  o.mutable_period()->set_end_month(12);
  EXPECT_LT(keys::Observation(o), statistical_year) << "Aug-Dec sorts before Aug-next Jul";
}

}  // namespace fazhi::metrics
