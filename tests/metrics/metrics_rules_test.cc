// Unit tests of the metrics domain (services/metrics/metrics_rules.h): no
// gRPC, no disk. Observations are built the way the service builds them,
// through ValidateAndNormalizeObservation, so their quantity values are the
// ones the server would compute.
#include "services/metrics/metrics_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "services/metrics/metrics_quality.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Fields(const errors::FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations.bad_request().field_violations()) fields.push_back(v.field());
  return fields;
}

v1::Indicator MakeIndicator(const std::string& code, v1::IndicatorKind kind,
                            const std::string& unit_of_measure,
                            v1::Direction direction = v1::DIRECTION_HIGHER_IS_BETTER) {
  v1::Indicator indicator;
  indicator.set_name("indicators/" + code);
  indicator.set_code(code);
  indicator.set_display_name(code);
  indicator.set_unit_of_measure(unit_of_measure);
  indicator.set_kind(kind);
  indicator.set_direction(direction);
  return indicator;
}

v1::Indicator ClosureRate() {
  v1::Indicator rate =
      MakeIndicator("admin_reconsideration_closure_rate", v1::INDICATOR_KIND_RATE, "%");
  rate.set_numerator_code("admin_reconsideration_closed");
  rate.set_denominator_code("admin_reconsideration_received");
  return rate;
}

// A normalized observation; fails the test when the inputs are not valid.
v1::Observation MakeObservation(const std::string& code, const std::string& subject, int year,
                                int start_month, int end_month, const std::string& decimal,
                                const std::string& measure_word = "") {
  v1::Observation o;
  o.set_name("observations/" + code + "-" + std::to_string(start_month) + "-" +
             std::to_string(end_month));
  o.set_indicator("indicators/" + code);
  o.set_subject(subject);
  o.mutable_period()->set_year(year);
  o.mutable_period()->set_start_month(start_month);
  o.mutable_period()->set_end_month(end_month);
  o.mutable_quantity()->set_decimal(decimal);
  o.mutable_quantity()->set_measure_word(measure_word);
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_TRUE(violations.empty()) << violations.ToStatus();
  return o;
}

v1::Target MakeTarget(const std::string& code, v1::Comparator comparator,
                      const std::string& threshold) {
  v1::Target t;
  t.set_indicator("indicators/" + code);
  t.set_comparator(comparator);
  t.set_threshold(threshold);
  t.set_source("test");
  return t;
}

// ------------------------------------------------------------------ Judge

TEST(JudgeTest, AtLeastMetWhenEqualOrAbove) {
  const auto target = MakeTarget("court_appearance_rate", v1::COMPARATOR_AT_LEAST, "100");
  Judgement j = Judge(
      MakeObservation("court_appearance_rate", "regions/310113", 2023, 1, 12, "100", "%"), target);
  EXPECT_EQ(j.verdict, v1::VERDICT_MET);
  EXPECT_EQ(j.difference, "0");

  j = Judge(MakeObservation("enforcement_training_hours", "regions/310113", 2023, 1, 12, "72.5"),
            MakeTarget("enforcement_training_hours", v1::COMPARATOR_AT_LEAST, "60"));
  EXPECT_EQ(j.verdict, v1::VERDICT_MET);
  EXPECT_EQ(j.difference, "12.5");
}

TEST(JudgeTest, AtLeastNotMetBelow) {
  // Putuo's 83.8% court-appearance rate against the 100% target.
  Judgement j =
      Judge(MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 11, "83.8", "%"),
            MakeTarget("court_appearance_rate", v1::COMPARATOR_AT_LEAST, "100"));
  EXPECT_EQ(j.verdict, v1::VERDICT_NOT_MET);
  EXPECT_EQ(j.difference, "-16.2");
}

TEST(JudgeTest, AtMostMetAtOrBelowAndNotMetAbove) {
  const auto target = MakeTarget("litigation_loss_rate", v1::COMPARATOR_AT_MOST, "5");
  Judgement j = Judge(
      MakeObservation("litigation_loss_rate", "regions/310113", 2023, 1, 12, "3.2", "%"), target);
  EXPECT_EQ(j.verdict, v1::VERDICT_MET);
  EXPECT_EQ(j.difference, "-1.8");

  j = Judge(MakeObservation("litigation_loss_rate", "regions/310113", 2023, 1, 12, "5", "%"),
            target);
  EXPECT_EQ(j.verdict, v1::VERDICT_MET);
  EXPECT_EQ(j.difference, "0");

  j = Judge(MakeObservation("litigation_loss_rate", "regions/310113", 2023, 1, 12, "7.25", "%"),
            target);
  EXPECT_EQ(j.verdict, v1::VERDICT_NOT_MET);
  EXPECT_EQ(j.difference, "2.25");
}

TEST(JudgeTest, NoDataWhenATargetHasNoValue) {
  Judgement j =
      Judge(std::nullopt, MakeTarget("court_appearance_rate", v1::COMPARATOR_AT_LEAST, "100"));
  EXPECT_EQ(j.verdict, v1::VERDICT_NO_DATA);
  EXPECT_THAT(j.difference, IsEmpty());
}

TEST(JudgeTest, NoTargetWhenAValueHasNoTarget) {
  Judgement j =
      Judge(MakeObservation("legal_aid_cases", "regions/310113", 2023, 1, 12, "1520", "件"),
            std::nullopt);
  EXPECT_EQ(j.verdict, v1::VERDICT_NO_TARGET);
  EXPECT_THAT(j.difference, IsEmpty());

  j = Judge(std::nullopt, std::nullopt);
  EXPECT_EQ(j.verdict, v1::VERDICT_UNSPECIFIED);
  EXPECT_THAT(j.difference, IsEmpty());
}

// ---------------------------------------------------- ChooseYearObservation

TEST(ChooseYearObservationTest, FullYearBeatsPartialInEitherOrder) {
  const auto partial =
      MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 11, "83.8", "%");
  const auto full =
      MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 12, "85", "%");
  const v1::Observation* chosen =
      ChooseYearObservation({&partial, &full}, /*partial_year_stands=*/true);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->quantity().decimal(), "85");
  chosen = ChooseYearObservation({&full, &partial}, /*partial_year_stands=*/true);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->quantity().decimal(), "85");
}

TEST(ChooseYearObservationTest, MostMonthsWinsAmongPartials) {
  const auto q1 = MakeObservation("legal_aid_cases", "regions/310107", 2020, 1, 3, "300");
  const auto to_september = MakeObservation("legal_aid_cases", "regions/310107", 2020, 1, 9, "900");
  const auto q4 = MakeObservation("legal_aid_cases", "regions/310107", 2020, 10, 12, "310");
  const v1::Observation* chosen =
      ChooseYearObservation({&q1, &q4, &to_september}, /*partial_year_stands=*/true);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->quantity().decimal(), "900");
  EXPECT_EQ(MonthsCovered(chosen->period()), 9);
}

// A statistical year (2022年8月至2023年7月) is no calendar year's value:
// neither 2022's nor 2023's, however many months it covers.
TEST(ChooseYearObservationTest, APeriodAcrossTwoYearsStandsForNeither) {
  v1::Observation statistical_year =
      MakeObservation("legal_aid_cases", "regions/310112", 2022, 8, 12, "3412");
  statistical_year.mutable_period()->set_end_year(2023);
  statistical_year.mutable_period()->set_end_month(7);
  EXPECT_EQ(MonthsCovered(statistical_year.period()), 12);
  EXPECT_EQ(YearsCrossed(statistical_year.period()), 1);
  EXPECT_EQ(ChooseYearObservation({&statistical_year}, /*partial_year_stands=*/true), nullptr);
  const auto to_october = MakeObservation("legal_aid_cases", "regions/310112", 2022, 1, 10, "1863");
  const v1::Observation* chosen =
      ChooseYearObservation({&statistical_year, &to_october}, /*partial_year_stands=*/true);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->quantity().decimal(), "1863");

  const std::vector<v1::Indicator> indicators = {
      MakeIndicator("legal_aid_cases", v1::INDICATOR_KIND_COUNT, "件")};
  const v1::Snapshot snapshot = AssembleSnapshot(
      /*partial_year_stands=*/true, "regions/310112", 2022, indicators, {statistical_year},
      {MakeTarget("legal_aid_cases", v1::COMPARATOR_AT_LEAST, "3000")});
  ASSERT_EQ(snapshot.entries_size(), 1);
  EXPECT_FALSE(snapshot.entries(0).has_observation());
  EXPECT_EQ(snapshot.entries(0).verdict(), v1::VERDICT_NO_DATA);
}

// Unless the rules file says a part of a year stands for it, only a whole
// calendar year's value does.
TEST(ChooseYearObservationTest, APartOfTheYearStandsForItOnlyWhenTheRulesSaySo) {
  const auto to_november =
      MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 11, "83.8", "%");
  EXPECT_EQ(ChooseYearObservation({&to_november}, /*partial_year_stands=*/false), nullptr);
  EXPECT_EQ(ChooseYearObservation({&to_november}, /*partial_year_stands=*/true), &to_november);
  const auto full =
      MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 12, "85", "%");
  EXPECT_EQ(ChooseYearObservation({&to_november, &full}, /*partial_year_stands=*/false), &full);

  fazhi::rules::v1::MetricsRules rules;
  EXPECT_FALSE(MakeQualityRules(rules, {}).partial_year_stands);
  rules.set_partial_year(fazhi::rules::v1::PARTIAL_YEAR_STANDS_FLAGGED);
  EXPECT_TRUE(MakeQualityRules(rules, {}).partial_year_stands);
}

TEST(ChooseYearObservationTest, NothingFromNothing) {
  EXPECT_EQ(ChooseYearObservation({}, /*partial_year_stands=*/true), nullptr);
}

TEST(MonthsCoveredTest, DefaultsMeanTheWholeYear) {
  fazhi::type::Period period;
  period.set_year(2023);
  EXPECT_EQ(MonthsCovered(period), 12);
  period.set_end_month(11);
  EXPECT_EQ(MonthsCovered(period), 11);
  period.set_start_month(4);
  period.set_end_month(6);
  EXPECT_EQ(MonthsCovered(period), 3);
}

// ---------------------------------------------------------- FormatDecimal

TEST(FormatDecimalTest, ShortestWithinTheFractionDigits) {
  EXPECT_EQ(FormatDecimal(340.0 / 348.0 * 100.0, 2), "97.7");      // 97.7011...
  EXPECT_EQ(FormatDecimal(7149.0 / 7513.0 * 100.0, 3), "95.155");  // 95.1550...
  EXPECT_EQ(FormatDecimal(7149.0 / 7513.0 * 100.0, 2), "95.16");
  EXPECT_EQ(FormatDecimal(100.0), "100");
  EXPECT_EQ(FormatDecimal(28000.0), "28000") << "zeros before the point are kept";
  EXPECT_EQ(FormatDecimal(2.0 / 3.0), "0.67");
  EXPECT_EQ(FormatDecimal(83.8 - 100.0, 4), "-16.2");
  EXPECT_EQ(FormatDecimal(0.0), "0");
  EXPECT_EQ(FormatDecimal(-0.001, 2), "0") << "no negative zero";
  EXPECT_EQ(FormatDecimal(12.51, 0), "13");
}

// ------------------------------------------------------------- DeriveRate

TEST(DeriveRateTest, ClosedOverReceivedTimesHundred) {
  // 共收到行政复议348件 ... 办结340件.
  std::map<std::string, v1::Observation> chosen = {
      {"admin_reconsideration_received",
       MakeObservation("admin_reconsideration_received", "regions/310107", 2020, 1, 12, "348",
                       "件")},
      {"admin_reconsideration_closed",
       MakeObservation("admin_reconsideration_closed", "regions/310107", 2020, 1, 12, "340", "件")},
  };
  auto derived = DeriveRate(ClosureRate(), chosen);
  ASSERT_TRUE(derived.has_value());
  EXPECT_EQ(derived->indicator(), "indicators/admin_reconsideration_closure_rate");
  EXPECT_EQ(derived->subject(), "regions/310107");
  EXPECT_EQ(derived->period().year(), 2020);
  EXPECT_EQ(derived->quantity().decimal(), "97.7");
  EXPECT_NEAR(derived->quantity().value(), 97.70114942528735, 1e-9);
  EXPECT_EQ(derived->quantity().measure_word(), "%");
  EXPECT_EQ(derived->quantity().text(), "97.7%");
  EXPECT_THAT(derived->provenance().note(),
              ::testing::HasSubstr(chosen["admin_reconsideration_closed"].name()));
}

TEST(DeriveRateTest, NothingWithoutBothComponentsOnTheSamePeriod) {
  const auto received =
      MakeObservation("admin_reconsideration_received", "regions/310107", 2020, 1, 12, "348", "件");
  const auto closed_full =
      MakeObservation("admin_reconsideration_closed", "regions/310107", 2020, 1, 12, "340", "件");
  const auto closed_partial =
      MakeObservation("admin_reconsideration_closed", "regions/310107", 2020, 1, 11, "300", "件");
  EXPECT_FALSE(
      DeriveRate(ClosureRate(), {{"admin_reconsideration_received", received}}).has_value());
  EXPECT_FALSE(
      DeriveRate(ClosureRate(), {{"admin_reconsideration_closed", closed_full}}).has_value());
  EXPECT_FALSE(DeriveRate(ClosureRate(), {{"admin_reconsideration_received", received},
                                          {"admin_reconsideration_closed", closed_partial}})
                   .has_value())
      << "a full-year denominator over an 11-month numerator is not a rate";
  const auto zero =
      MakeObservation("admin_reconsideration_received", "regions/310107", 2020, 1, 12, "0", "件");
  EXPECT_FALSE(DeriveRate(ClosureRate(), {{"admin_reconsideration_received", zero},
                                          {"admin_reconsideration_closed", closed_full}})
                   .has_value())
      << "no rate over zero cases";
  EXPECT_FALSE(DeriveRate(MakeIndicator("court_appearance_rate", v1::INDICATOR_KIND_RATE, "%"),
                          {{"admin_reconsideration_received", received},
                           {"admin_reconsideration_closed", closed_full}})
                   .has_value())
      << "an indicator with no numerator is not derived";
}

// ------------------------------------------------------- AssembleSnapshot

TEST(AssembleSnapshotTest, EntriesForTargetsValuesAndDerivedRates) {
  const std::vector<v1::Indicator> indicators = {
      ClosureRate(),
      MakeIndicator("admin_reconsideration_closed", v1::INDICATOR_KIND_COUNT, "件"),
      MakeIndicator("admin_reconsideration_received", v1::INDICATOR_KIND_COUNT, "件"),
      MakeIndicator("court_appearance_rate", v1::INDICATOR_KIND_RATE, "%"),
      MakeIndicator("enforcement_training_hours", v1::INDICATOR_KIND_DURATION, "学时"),
      MakeIndicator("legal_aid_cases", v1::INDICATOR_KIND_COUNT, "件"),
  };
  const std::vector<v1::Observation> observations = {
      MakeObservation("admin_reconsideration_closed", "regions/310107", 2020, 1, 12, "340", "件"),
      MakeObservation("admin_reconsideration_received", "regions/310107", 2020, 1, 12, "348", "件"),
      MakeObservation("court_appearance_rate", "regions/310107", 2020, 1, 11, "83.8", "%"),
  };
  const auto rules = testing::ShippedRules();
  const std::vector<v1::Target> targets(rules.targets().begin(), rules.targets().end());

  const v1::Snapshot snapshot = AssembleSnapshot(/*partial_year_stands=*/true, "regions/310107",
                                                 2020, indicators, observations, targets);
  EXPECT_EQ(snapshot.subject(), "regions/310107");
  EXPECT_EQ(snapshot.year(), 2020);

  std::map<std::string, v1::SnapshotEntry> entry_of;
  std::vector<std::string> order;
  for (const auto& e : snapshot.entries()) {
    order.push_back(e.indicator().code());
    entry_of[e.indicator().code()] = e;
  }
  // legal_aid_cases has neither a value nor a target: no entry.
  EXPECT_THAT(order, ElementsAre("admin_reconsideration_closure_rate",
                                 "admin_reconsideration_closed", "admin_reconsideration_received",
                                 "court_appearance_rate", "enforcement_training_hours"));

  const auto& rate = entry_of["admin_reconsideration_closure_rate"];
  ASSERT_TRUE(rate.has_observation()) << "derived from closed / received";
  EXPECT_EQ(rate.observation().quantity().decimal(), "97.7");
  EXPECT_EQ(rate.target().threshold(), "95");
  EXPECT_EQ(rate.verdict(), v1::VERDICT_MET);
  EXPECT_EQ(rate.difference(), "2.7011");
  EXPECT_FALSE(rate.partial_period());

  EXPECT_EQ(entry_of["admin_reconsideration_closed"].verdict(), v1::VERDICT_NO_TARGET);
  EXPECT_FALSE(entry_of["admin_reconsideration_closed"].has_target());
  EXPECT_EQ(entry_of["admin_reconsideration_closed"].observation().quantity().decimal(), "340");

  const auto& court = entry_of["court_appearance_rate"];
  EXPECT_EQ(court.verdict(), v1::VERDICT_NOT_MET);
  EXPECT_TRUE(court.partial_period());
  EXPECT_EQ(court.difference(), "-16.2");
  EXPECT_EQ(court.target().threshold(), "100");

  const auto& training = entry_of["enforcement_training_hours"];
  EXPECT_EQ(training.verdict(), v1::VERDICT_NO_DATA);
  EXPECT_FALSE(training.has_observation());
  EXPECT_EQ(training.target().threshold(), "60");
  EXPECT_THAT(training.difference(), IsEmpty());
}

TEST(AssembleSnapshotTest, OwnObservationOfADerivedRateWinsOverDerivation) {
  const std::vector<v1::Indicator> indicators = {
      ClosureRate(),
      MakeIndicator("admin_reconsideration_closed", v1::INDICATOR_KIND_COUNT, "件"),
      MakeIndicator("admin_reconsideration_received", v1::INDICATOR_KIND_COUNT, "件"),
  };
  const std::vector<v1::Observation> observations = {
      MakeObservation("admin_reconsideration_closed", "regions/310107", 2020, 1, 12, "340", "件"),
      MakeObservation("admin_reconsideration_received", "regions/310107", 2020, 1, 12, "348", "件"),
      MakeObservation("admin_reconsideration_closure_rate", "regions/310107", 2020, 1, 12, "94.5",
                      "%"),
  };
  const v1::Snapshot snapshot = AssembleSnapshot(
      /*partial_year_stands=*/true, "regions/310107", 2020, indicators, observations,
      {MakeTarget("admin_reconsideration_closure_rate", v1::COMPARATOR_AT_LEAST, "95")});
  ASSERT_GE(snapshot.entries_size(), 1);
  const auto& rate = snapshot.entries(0);
  ASSERT_EQ(rate.indicator().code(), "admin_reconsideration_closure_rate");
  EXPECT_EQ(rate.observation().quantity().decimal(), "94.5");
  EXPECT_EQ(rate.verdict(), v1::VERDICT_NOT_MET);
  EXPECT_EQ(rate.difference(), "-0.5");
}

// -------------------------------------------------- CheckAgainstIndicator

TEST(CheckAgainstIndicatorTest, RateAbove100IsRejected) {
  const auto rate = MakeIndicator("court_appearance_rate", v1::INDICATOR_KIND_RATE, "%");
  errors::FieldViolations violations;
  CheckAgainstIndicator(
      MakeObservation("court_appearance_rate", "regions/310113", 2023, 1, 12, "101", "%"), rate,
      violations);
  EXPECT_THAT(Fields(violations), ElementsAre("observation.quantity.decimal"));

  errors::FieldViolations ok;
  CheckAgainstIndicator(
      MakeObservation("court_appearance_rate", "regions/310113", 2023, 1, 12, "100", "%"), rate,
      ok);
  EXPECT_TRUE(ok.empty()) << "100% is a valid rate";
}

TEST(CheckAgainstIndicatorTest, CountWithAFractionIsRejected) {
  const auto count = MakeIndicator("legal_aid_cases", v1::INDICATOR_KIND_COUNT, "件");
  errors::FieldViolations violations;
  CheckAgainstIndicator(MakeObservation("legal_aid_cases", "regions/310113", 2023, 1, 12, "1.5"),
                        count, violations);
  EXPECT_THAT(Fields(violations), ElementsAre("observation.quantity.decimal"));

  errors::FieldViolations ok;
  CheckAgainstIndicator(MakeObservation("legal_aid_cases", "regions/310113", 2023, 1, 12, "28000"),
                        count, ok);
  EXPECT_TRUE(ok.empty());

  errors::FieldViolations amount_ok;
  CheckAgainstIndicator(MakeObservation("compensation", "regions/310113", 2023, 1, 12, "1.5"),
                        MakeIndicator("compensation", v1::INDICATOR_KIND_AMOUNT, "元"), amount_ok);
  EXPECT_TRUE(amount_ok.empty()) << "an amount may have a fraction";
}

// ---------------------------------------- ValidateAndNormalizeObservation

v1::Observation RawObservation() {
  v1::Observation o;
  o.set_indicator("indicators/court_appearance_rate");
  o.set_subject("regions/310107");
  o.mutable_period()->set_year(2020);
  o.mutable_quantity()->set_decimal("83.8");
  o.mutable_quantity()->set_measure_word("%");
  return o;
}

TEST(ValidateAndNormalizeObservationTest, FillsPeriodAndQuantityDefaults) {
  v1::Observation o = RawObservation();
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_TRUE(violations.empty()) << violations.ToStatus();
  EXPECT_EQ(o.period().start_month(), 1);
  EXPECT_EQ(o.period().end_month(), 12);
  EXPECT_DOUBLE_EQ(o.quantity().value(), 83.8);
  EXPECT_EQ(o.quantity().qualifier(), fazhi::type::QUALIFIER_EXACT);
  EXPECT_EQ(o.quantity().multiplier(), fazhi::type::MULTIPLIER_NONE);
  EXPECT_EQ(o.quantity().text(), "83.8%");
  EXPECT_EQ(o.provenance().source(), fazhi::type::Provenance::SOURCE_TYPED_IN);
}

TEST(ValidateAndNormalizeObservationTest, ReadsAWrittenQuantity) {
  v1::Observation o = RawObservation();
  o.mutable_quantity()->Clear();
  o.mutable_quantity()->set_text("2.8万件");
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_TRUE(violations.empty()) << violations.ToStatus();
  EXPECT_EQ(o.quantity().decimal(), "28000");
  EXPECT_EQ(o.quantity().multiplier(), fazhi::type::MULTIPLIER_WAN);
  EXPECT_DOUBLE_EQ(o.quantity().value(), 28000);
}

TEST(ValidateAndNormalizeObservationTest, EndBeforeStartIsRejected) {
  v1::Observation o = RawObservation();
  o.mutable_period()->set_start_month(6);
  o.mutable_period()->set_end_month(3);
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_THAT(Fields(violations), ElementsAre("observation.period.end_month"));
}

TEST(ValidateAndNormalizeObservationTest, APeriodMayCrossIntoTheNextYear) {
  v1::Observation o = RawObservation();
  o.mutable_period()->set_year(2022);
  o.mutable_period()->set_start_month(8);
  o.mutable_period()->set_end_year(2023);
  o.mutable_period()->set_end_month(7);
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_TRUE(violations.empty()) << violations.ToStatus();
  EXPECT_EQ(o.period().end_year(), 2023);

  // end_year = year is the same period as end_year = 0.
  o = RawObservation();
  o.mutable_period()->set_end_year(o.period().year());
  o.mutable_period()->set_end_month(11);
  errors::FieldViolations same_year;
  ValidateAndNormalizeObservation(o, same_year);
  EXPECT_TRUE(same_year.empty()) << same_year.ToStatus();
  EXPECT_EQ(o.period().end_year(), 0);
}

TEST(ValidateAndNormalizeObservationTest, APeriodIsAtMostTwelveMonthsOfTwoYears) {
  for (const auto& [end_year_after, start_month, end_month] :
       std::vector<std::tuple<int, int, int>>{{2, 8, 7}, {-1, 8, 7}, {1, 8, 8}, {1, 1, 12}}) {
    v1::Observation o = RawObservation();
    o.mutable_period()->set_start_month(start_month);
    o.mutable_period()->set_end_year(o.period().year() + end_year_after);
    o.mutable_period()->set_end_month(end_month);
    errors::FieldViolations violations;
    ValidateAndNormalizeObservation(o, violations);
    EXPECT_THAT(Fields(violations), ElementsAre("observation.period.end_year"))
        << end_year_after << " " << start_month << ".." << end_month;
  }
}

TEST(ValidateAndNormalizeObservationTest, MonthsOutOfRangeAreRejected) {
  v1::Observation o = RawObservation();
  o.mutable_period()->set_start_month(13);
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_THAT(Fields(violations), ElementsAre("observation.period.start_month"));

  o = RawObservation();
  o.mutable_period()->set_end_month(13);
  errors::FieldViolations end;
  ValidateAndNormalizeObservation(o, end);
  EXPECT_THAT(Fields(end), ElementsAre("observation.period.end_month"));
}

TEST(ValidateAndNormalizeObservationTest, BadSubjectIsRejected) {
  for (const std::string subject :
       {"districts/310107", "regions/31010", "units/Putuo_Justice", ""}) {
    v1::Observation o = RawObservation();
    o.set_subject(subject);
    errors::FieldViolations violations;
    ValidateAndNormalizeObservation(o, violations);
    EXPECT_THAT(Fields(violations), ElementsAre("observation.subject")) << subject;
  }
  v1::Observation unit = RawObservation();
  unit.set_subject("units/310107-justice");
  errors::FieldViolations ok;
  ValidateAndNormalizeObservation(unit, ok);
  EXPECT_TRUE(ok.empty()) << "a unit is a subject too";
}

TEST(ValidateAndNormalizeObservationTest, EveryBadFieldIsNamed) {
  v1::Observation o;
  o.set_indicator("court_appearance_rate");
  o.set_subject("regions/310107");
  o.mutable_period()->set_year(1800);
  o.mutable_quantity()->set_decimal("83.80");
  errors::FieldViolations violations;
  ValidateAndNormalizeObservation(o, violations);
  EXPECT_THAT(Fields(violations),
              ::testing::UnorderedElementsAre("observation.indicator", "observation.period.year",
                                              "observation.quantity.decimal"));

  v1::Observation no_quantity = RawObservation();
  no_quantity.clear_quantity();
  errors::FieldViolations missing;
  ValidateAndNormalizeObservation(no_quantity, missing);
  EXPECT_THAT(Fields(missing), ElementsAre("observation.quantity"));
}

}  // namespace
}  // namespace fazhi::metrics
