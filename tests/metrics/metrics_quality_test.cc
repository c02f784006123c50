// Unit tests of the data-quality checks, year-on-year change and roll-ups:
// plain C++, no gRPC, no disk, a fixed clock.
#include "services/metrics/metrics_quality.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "google/protobuf/util/time_util.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Indicator Count(const std::string& code, const std::string& display_name) {
  v1::Indicator i;
  i.set_code(code);
  i.set_display_name(display_name);
  i.set_unit_of_measure("件");
  i.set_kind(v1::INDICATOR_KIND_COUNT);
  i.set_direction(v1::DIRECTION_NEUTRAL);
  return i;
}

v1::Indicator Rate(const std::string& code, const std::string& numerator,
                   const std::string& denominator) {
  v1::Indicator i;
  i.set_code(code);
  i.set_display_name("成功率");
  i.set_unit_of_measure("%");
  i.set_kind(v1::INDICATOR_KIND_RATE);
  i.set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
  i.set_numerator_code(numerator);
  i.set_denominator_code(denominator);
  return i;
}

v1::Observation Obs(const std::string& code, int year, const std::string& decimal,
                    int end_month = 12, const std::string& subject = "regions/310107") {
  v1::Observation o;
  o.set_name("observations/" + code + "-" + std::to_string(year));
  o.set_indicator("indicators/" + code);
  o.set_subject(subject);
  o.mutable_period()->set_year(year);
  o.mutable_period()->set_start_month(1);
  o.mutable_period()->set_end_month(end_month);
  o.mutable_quantity()->set_decimal(decimal);
  o.mutable_quantity()->set_value(std::stod(decimal));
  o.mutable_quantity()->set_text(decimal);
  o.mutable_quantity()->set_qualifier(fazhi::type::QUALIFIER_EXACT);
  return o;
}

std::vector<v1::QualityFlagKind> Kinds(const v1::SnapshotEntry& entry) {
  std::vector<v1::QualityFlagKind> kinds;
  for (const auto& f : entry.quality_flags()) kinds.push_back(f.kind());
  return kinds;
}

const v1::SnapshotEntry* Find(const v1::Snapshot& s, const std::string& code) {
  for (const auto& e : s.entries()) {
    if (e.indicator().code() == code) return &e;
  }
  return nullptr;
}

// Putuo 2020: 7149 of 7513 smart mediations succeeded, 95.155%.
TEST(CheckRateMatchesCountsTest, TruncatedOrRoundedAtTheStatedPrecisionPasses) {
  const auto n = Obs("succeeded", 2020, "7149");
  const auto d = Obs("received", 2020, "7513");
  EXPECT_FALSE(CheckRateMatchesCounts(Obs("rate", 2020, "95.15"), n, d).has_value());
  EXPECT_FALSE(CheckRateMatchesCounts(Obs("rate", 2020, "95.16"), n, d).has_value());
  EXPECT_FALSE(CheckRateMatchesCounts(Obs("rate", 2020, "95.2"), n, d).has_value());
  EXPECT_FALSE(CheckRateMatchesCounts(Obs("rate", 2020, "95"), n, d).has_value());
}

TEST(CheckRateMatchesCountsTest, BeyondRoundingIsFlaggedWithTheComputedRate) {
  const auto n = Obs("succeeded", 2020, "7149");
  const auto d = Obs("received", 2020, "7513");
  auto flag = CheckRateMatchesCounts(Obs("rate", 2020, "96"), n, d);
  ASSERT_TRUE(flag.has_value());
  EXPECT_EQ(flag->kind(), v1::QUALITY_FLAG_KIND_RATE_MISMATCH);
  EXPECT_THAT(flag->explanation(), HasSubstr("7149÷7513=95.155%"));
  EXPECT_THAT(flag->evidence(), ElementsAre("observations/rate-2020", "observations/succeeded-2020",
                                            "observations/received-2020"));
  EXPECT_TRUE(CheckRateMatchesCounts(Obs("rate", 2020, "95.17"), n, d).has_value());
  EXPECT_TRUE(CheckRateMatchesCounts(Obs("rate", 2020, "95.14"), n, d).has_value());
}

TEST(CheckRateMatchesCountsTest, DifferentPeriodsAreNotCompared) {
  EXPECT_FALSE(CheckRateMatchesCounts(Obs("rate", 2020, "50"), Obs("n", 2020, "7149", 11),
                                      Obs("d", 2020, "7513", 11))
                   .has_value());
}

TEST(CheckNotAboveTest, MoreClosedThanReceivedIsFlagged) {
  auto flag = CheckNotAbove(Count("closed", "办结"), Obs("closed", 2020, "349"),
                            Count("received", "收到"), Obs("received", 2020, "348"));
  ASSERT_TRUE(flag.has_value());
  EXPECT_EQ(flag->kind(), v1::QUALITY_FLAG_KIND_CLOSED_EXCEEDS_RECEIVED);
  EXPECT_EQ(flag->explanation(), "办结349多于收到348");
  EXPECT_FALSE(CheckNotAbove(Count("closed", "办结"), Obs("closed", 2020, "348"),
                             Count("received", "收到"), Obs("received", 2020, "348"))
                   .has_value());
}

TEST(CheckPartialPeriodTest, ToTheEndOfNovemberIsFlagged) {
  auto flag = CheckPartialPeriod(Obs("x", 2020, "1", 11));
  ASSERT_TRUE(flag.has_value());
  EXPECT_EQ(flag->explanation(), "数值仅覆盖2020年1月至11月，非全年");
  EXPECT_FALSE(CheckPartialPeriod(Obs("x", 2020, "1", 12)).has_value());
}

TEST(CheckStaleTest, OlderThanTheLimitByTheInjectedClock) {
  auto o = Obs("x", 2020, "1");
  *o.mutable_update_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2021, 1, 10), absl::UTCTimeZone())));
  const absl::Time day366 =
      absl::FromCivil(absl::CivilDay(2022, 1, 11), absl::UTCTimeZone()) + absl::Seconds(1);
  const absl::Time day300 = absl::FromCivil(absl::CivilDay(2021, 11, 6), absl::UTCTimeZone());
  EXPECT_TRUE(CheckStale(o, day366, absl::Hours(24 * 365)).has_value());
  EXPECT_FALSE(CheckStale(o, day300, absl::Hours(24 * 365)).has_value());
}

TEST(CheckJumpTest, FarFromTheMeanOfEarlierYears) {
  const std::vector<double> earlier = {100, 110, 90};  // mean 100
  EXPECT_FALSE(CheckJump(Obs("x", 2020, "149"), earlier, 50).has_value());
  auto up = CheckJump(Obs("x", 2020, "151"), earlier, 50);
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->kind(), v1::QUALITY_FLAG_KIND_JUMP);
  EXPECT_TRUE(CheckJump(Obs("x", 2020, "40"), earlier, 50).has_value());
  EXPECT_FALSE(CheckJump(Obs("x", 2020, "1000"), {}, 50).has_value());
}

TEST(MakeQualityRulesTest, DefaultsAndPairsImpliedByDerivedRates) {
  fazhi::rules::v1::MetricsRules rules;
  auto* pair = rules.add_not_above();
  pair->set_part("closed");
  pair->set_whole("received");
  const auto q = MakeQualityRules(rules, {Count("a", "a"), Rate("rate", "succeeded", "accepted"),
                                          Rate("r2", "closed", "received")});
  EXPECT_THAT(q.not_above,
              ElementsAre(std::pair<std::string, std::string>("closed", "received"),
                          std::pair<std::string, std::string>("succeeded", "accepted")));
  EXPECT_EQ(q.jump_threshold_percent, 50);
  EXPECT_EQ(q.jump_lookback_years, 3);
  EXPECT_EQ(q.stale_after, absl::Hours(24 * 365));
}

class SnapshotTest : public ::testing::Test {
 protected:
  // As the shipped rules: a year-to-date value stands for its year, flagged.
  SnapshotTest() { rules_.set_partial_year(fazhi::rules::v1::PARTIAL_YEAR_STANDS_FLAGGED); }

  std::vector<v1::Indicator> indicators_ = {
      Count("accepted", "受理"), Count("parts_a", "甲"), Count("parts_b", "乙"),
      Rate("rate", "succeeded", "accepted"), Count("succeeded", "成功")};
  fazhi::rules::v1::MetricsRules rules_;
  std::vector<v1::Target> targets_;
};

TEST_F(SnapshotTest, PreviousYearAndChange) {
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  const auto s = BuildSnapshot("regions/310107", 2021, indicators_,
                               {Obs("accepted", 2020, "200"), Obs("accepted", 2021, "250")}, basis);
  const auto* e = Find(s, "accepted");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->previous_observation().quantity().decimal(), "200");
  EXPECT_EQ(e->change(), "50");
  EXPECT_EQ(e->change_percent(), "25");
  EXPECT_THAT(Kinds(*e), IsEmpty());
}

TEST_F(SnapshotTest, StatedRateAndImpliedPairAreChecked) {
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  const auto s = BuildSnapshot("regions/310107", 2020, indicators_,
                               {Obs("accepted", 2020, "7513", 11),
                                Obs("succeeded", 2020, "7600", 11), Obs("rate", 2020, "96", 11)},
                               basis);
  EXPECT_THAT(Kinds(*Find(s, "succeeded")),
              ElementsAre(v1::QUALITY_FLAG_KIND_CLOSED_EXCEEDS_RECEIVED,
                          v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD));
  EXPECT_THAT(Kinds(*Find(s, "rate")), ElementsAre(v1::QUALITY_FLAG_KIND_RATE_MISMATCH,
                                                   v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD));
}

TEST_F(SnapshotTest, PartsThatExceedTheirTotal) {
  auto* rule = rules_.add_parts_of_total();
  rule->set_total("accepted");
  rule->add_parts("parts_a");
  rule->add_parts("parts_b");
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  const auto s = BuildSnapshot(
      "regions/310107", 2020, indicators_,
      {Obs("accepted", 2020, "100"), Obs("parts_a", 2020, "60"), Obs("parts_b", 2020, "41")},
      basis);
  const auto* e = Find(s, "accepted");
  ASSERT_THAT(Kinds(*e), ElementsAre(v1::QUALITY_FLAG_KIND_PARTS_EXCEED_TOTAL));
  EXPECT_EQ(e->quality_flags(0).explanation(), "各分项之和101（60+41）超过总数100");
}

TEST_F(SnapshotTest, JumpUsesTheRulesThreshold) {
  rules_.set_jump_threshold_percent("10");
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  const auto s = BuildSnapshot(
      "regions/310107", 2021, indicators_,
      {Obs("accepted", 2019, "100"), Obs("accepted", 2020, "100"), Obs("accepted", 2021, "115")},
      basis);
  EXPECT_THAT(Kinds(*Find(s, "accepted")), ElementsAre(v1::QUALITY_FLAG_KIND_JUMP));
}

TEST_F(SnapshotTest, RollUpAddsCountsAndRecomputesRatesNeverAverages) {
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  // District A: 90/100 = 90%; district B: 10/1000 = 1%. The average of the
  // rates would be 45.5%; the rate of the sums is 100/1100 = 9.09%.
  const auto s = RollUp("regions/310000", 2020, {"regions/310101", "regions/310104"}, indicators_,
                        {{Obs("accepted", 2020, "100", 12, "regions/310101"),
                          Obs("succeeded", 2020, "90", 12, "regions/310101"),
                          Obs("rate", 2020, "90", 12, "regions/310101")},
                         {Obs("accepted", 2020, "1000", 12, "regions/310104"),
                          Obs("succeeded", 2020, "10", 12, "regions/310104"),
                          Obs("rate", 2020, "1", 12, "regions/310104")}},
                        basis);
  EXPECT_EQ(Find(s, "accepted")->observation().quantity().decimal(), "1100");
  EXPECT_EQ(Find(s, "succeeded")->observation().quantity().decimal(), "100");
  EXPECT_EQ(Find(s, "rate")->observation().quantity().decimal(), "9.09");
  EXPECT_THAT(Kinds(*Find(s, "accepted")), IsEmpty());
}

TEST_F(SnapshotTest, RollUpWithAMissingPartIsFlagged) {
  const auto basis = MakeSnapshotBasis(indicators_, targets_, rules_, std::nullopt);
  const auto s = RollUp("regions/310000", 2020, {"regions/310101", "regions/310104"}, indicators_,
                        {{Obs("accepted", 2020, "100", 12, "regions/310101")}, {}}, basis);
  const auto* e = Find(s, "accepted");
  EXPECT_EQ(e->observation().quantity().decimal(), "100");
  ASSERT_THAT(Kinds(*e), ElementsAre(v1::QUALITY_FLAG_KIND_INCOMPLETE_ROLLUP));
  EXPECT_THAT(e->quality_flags(0).explanation(), HasSubstr("regions/310104"));
}

}  // namespace
}  // namespace fazhi::metrics
