#include "services/metrics/metrics_quality.h"

#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/resource_names.h"
#include "google/protobuf/util/time_util.h"
#include "services/metrics/metrics_rules.h"

namespace fazhi::metrics {
namespace {

std::string CodeOf(const v1::Observation& o) { return api::IdOf("indicators", o.indicator()); }

bool SameMonths(const fazhi::type::Period& a, const fazhi::type::Period& b) {
  return MonthsCovered(a) == MonthsCovered(b) && a.start_month() == b.start_month();
}

std::string Written(const v1::Observation& o) {
  return o.quantity().text().empty() ? o.quantity().decimal() : o.quantity().text();
}

v1::QualityFlag Flag(v1::QualityFlagKind kind, std::string explanation,
                     std::initializer_list<const v1::Observation*> evidence) {
  v1::QualityFlag flag;
  flag.set_kind(kind);
  flag.set_explanation(std::move(explanation));
  for (const auto* o : evidence) {
    if (o != nullptr && !o->name().empty()) flag.add_evidence(o->name());
  }
  return flag;
}

int FractionDigits(absl::string_view decimal) {
  const size_t dot = decimal.find('.');
  return dot == absl::string_view::npos ? 0 : static_cast<int>(decimal.size() - dot - 1);
}

}  // namespace

std::map<int, YearValues> ValuesByYear(const std::vector<v1::Indicator>& indicators,
                                       std::vector<v1::Observation> observations,
                                       bool partial_year_stands) {
  // Grouped by pointer; the chosen observation of each is then moved out.
  std::map<int, std::map<std::string, std::vector<const v1::Observation*>>> grouped;
  for (const auto& o : observations) grouped[o.period().year()][CodeOf(o)].push_back(&o);
  std::map<int, YearValues> by_year;
  for (const auto& [year, by_code] : grouped) {
    YearValues& values = by_year[year];
    for (const auto& [code, list] : by_code) {
      if (const v1::Observation* pick = ChooseYearObservation(list, partial_year_stands);
          pick != nullptr) {
        values.own[code] = std::move(observations[pick - observations.data()]);
      }
    }
    for (const auto& indicator : indicators) {
      if (values.own.count(indicator.code()) > 0) continue;
      if (auto derived = DeriveRate(indicator, values.own); derived.has_value()) {
        values.derived[indicator.code()] = *std::move(derived);
      }
    }
  }
  return by_year;
}

QualityRules MakeQualityRules(const fazhi::rules::v1::MetricsRules& rules,
                              const std::vector<v1::Indicator>& indicators) {
  QualityRules q;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& pair : rules.not_above()) {
    if (seen.insert({pair.part(), pair.whole()}).second) {
      q.not_above.emplace_back(pair.part(), pair.whole());
    }
  }
  for (const auto& indicator : indicators) {
    if (indicator.numerator_code().empty()) continue;
    if (seen.insert({indicator.numerator_code(), indicator.denominator_code()}).second) {
      q.not_above.emplace_back(indicator.numerator_code(), indicator.denominator_code());
    }
  }
  q.parts_of_total.assign(rules.parts_of_total().begin(), rules.parts_of_total().end());
  q.partial_year_stands = rules.partial_year() == fazhi::rules::v1::PARTIAL_YEAR_STANDS_FLAGGED;
  double threshold = 0;
  if (absl::SimpleAtod(rules.jump_threshold_percent(), &threshold) && threshold > 0) {
    q.jump_threshold_percent = threshold;
  }
  if (rules.jump_lookback_years() > 0) q.jump_lookback_years = rules.jump_lookback_years();
  if (rules.stale_after_days() > 0) q.stale_after = absl::Hours(24) * rules.stale_after_days();
  return q;
}

std::optional<v1::QualityFlag> CheckNotAbove(const v1::Indicator& part_indicator,
                                             const v1::Observation& part,
                                             const v1::Indicator& whole_indicator,
                                             const v1::Observation& whole) {
  if (!SameMonths(part.period(), whole.period())) return std::nullopt;
  if (part.quantity().value() <= whole.quantity().value()) return std::nullopt;
  return Flag(v1::QUALITY_FLAG_KIND_CLOSED_EXCEEDS_RECEIVED,
              absl::StrCat(part_indicator.display_name(), Written(part), "多于",
                           whole_indicator.display_name(), Written(whole)),
              {&part, &whole});
}

std::optional<v1::QualityFlag> CheckRateMatchesCounts(const v1::Observation& stated,
                                                      const v1::Observation& numerator,
                                                      const v1::Observation& denominator) {
  if (!SameMonths(numerator.period(), denominator.period()) ||
      !SameMonths(stated.period(), numerator.period())) {
    return std::nullopt;
  }
  const double d = denominator.quantity().value();
  if (d <= 0) return std::nullopt;
  const double computed = numerator.quantity().value() / d * 100.0;
  const int digits = std::min(FractionDigits(stated.quantity().decimal()), 6);
  const double scale = std::pow(10.0, digits);
  // Integers at the stated precision: 95.15 -> 9515; 95.1552 -> 9515.52.
  const long long stated_units = std::llround(stated.quantity().value() * scale);
  const double computed_units = computed * scale;
  const long long rounded = std::llround(computed_units);
  const long long truncated = static_cast<long long>(std::floor(computed_units + 1e-9));
  if (stated_units == rounded || stated_units == truncated) return std::nullopt;
  return Flag(v1::QUALITY_FLAG_KIND_RATE_MISMATCH,
              absl::StrCat("所报比率", Written(stated), "与其分子分母不符：",
                           numerator.quantity().decimal(), "÷", denominator.quantity().decimal(),
                           "=", FormatDecimal(computed, std::max(digits + 2, 3)), "%"),
              {&stated, &numerator, &denominator});
}

std::optional<v1::QualityFlag> CheckPartialPeriod(const v1::Observation& observation) {
  const auto& p = observation.period();
  if (MonthsCovered(p) >= 12) return std::nullopt;
  const int start = p.start_month() == 0 ? 1 : p.start_month();
  const int end = p.end_month() == 0 ? 12 : p.end_month();
  return Flag(v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD,
              absl::StrCat("数值仅覆盖", p.year(), "年", start, "月至", end, "月，非全年"),
              {&observation});
}

std::optional<v1::QualityFlag> CheckStale(const v1::Observation& observation, absl::Time now,
                                          absl::Duration stale_after) {
  if (!observation.has_update_time()) return std::nullopt;
  const absl::Time updated = absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(observation.update_time()));
  const absl::Duration age = now - updated;
  if (age <= stale_after) return std::nullopt;
  return Flag(v1::QUALITY_FLAG_KIND_STALE,
              absl::StrCat("数值已", age / absl::Hours(24), "天未更新（上限",
                           stale_after / absl::Hours(24), "天）"),
              {&observation});
}

std::optional<v1::QualityFlag> CheckJump(const v1::Observation& observation,
                                         const std::vector<double>& earlier,
                                         double threshold_percent) {
  if (earlier.empty() || MonthsCovered(observation.period()) < 12) return std::nullopt;
  double sum = 0;
  for (const double v : earlier) sum += v;
  const double mean = sum / static_cast<double>(earlier.size());
  if (mean <= 0) return std::nullopt;
  const double change = (observation.quantity().value() - mean) / mean * 100.0;
  if (std::fabs(change) <= threshold_percent) return std::nullopt;
  return Flag(v1::QUALITY_FLAG_KIND_JUMP,
              absl::StrCat("数值", Written(observation), "较此前", earlier.size(), "年均值",
                           FormatDecimal(mean, 2), change > 0 ? "高" : "低",
                           FormatDecimal(std::fabs(change), 1), "%，超过",
                           FormatDecimal(threshold_percent, 2), "%的阈值"),
              {&observation});
}

SnapshotBasis MakeSnapshotBasis(const std::vector<v1::Indicator>& indicators,
                                const std::vector<v1::Target>& targets,
                                const fazhi::rules::v1::MetricsRules& rules,
                                std::optional<absl::Time> now) {
  SnapshotBasis basis;
  for (const auto& indicator : indicators) basis.indicator_of[indicator.code()] = &indicator;
  for (const auto& t : targets) basis.target_of[api::IdOf("indicators", t.indicator())] = t;
  basis.quality = MakeQualityRules(rules, indicators);
  basis.now = now;
  return basis;
}

namespace {

// The flags of one value among the values of its year.
void AddFlags(const v1::Indicator& indicator, const v1::Observation& value, bool own, int year,
              const std::map<int, YearValues>& by_year, const SnapshotBasis& basis,
              google::protobuf::RepeatedPtrField<v1::QualityFlag>* flags) {
  const auto& code = indicator.code();
  const YearValues& values = by_year.at(year);
  auto add = [&](std::optional<v1::QualityFlag> flag) {
    if (flag.has_value()) *flags->Add() = *std::move(flag);
  };
  for (const auto& [part, whole] : basis.quality.not_above) {
    if (part != code) continue;
    const v1::Observation* w = values.Find(whole);
    auto wi = basis.indicator_of.find(whole);
    if (w == nullptr || wi == basis.indicator_of.end()) continue;
    add(CheckNotAbove(indicator, value, *wi->second, *w));
  }
  for (const auto& rule : basis.quality.parts_of_total) {
    if (rule.total() != code) continue;
    double sum = 0;
    std::vector<std::string> written;
    v1::QualityFlag flag;
    for (const auto& part : rule.parts()) {
      const v1::Observation* p = values.Find(part);
      if (p == nullptr || !SameMonths(p->period(), value.period())) continue;
      sum += p->quantity().value();
      written.push_back(Written(*p));
      flag.add_evidence(p->name());
    }
    if (!written.empty() && sum > value.quantity().value() + 1e-9) {
      flag.set_kind(v1::QUALITY_FLAG_KIND_PARTS_EXCEED_TOTAL);
      flag.set_explanation(absl::StrCat("各分项之和", FormatDecimal(sum, 4), "（",
                                        absl::StrJoin(written, "+"), "）超过总数", Written(value)));
      flag.add_evidence(value.name());
      *flags->Add() = std::move(flag);
    }
  }
  if (own && !indicator.numerator_code().empty()) {
    auto n = values.own.find(indicator.numerator_code());
    auto d = values.own.find(indicator.denominator_code());
    if (n != values.own.end() && d != values.own.end()) {
      add(CheckRateMatchesCounts(value, n->second, d->second));
    }
  }
  add(CheckPartialPeriod(value));
  if (own && basis.now.has_value()) add(CheckStale(value, *basis.now, basis.quality.stale_after));
  std::vector<double> earlier;
  for (int y = year - basis.quality.jump_lookback_years; y < year; ++y) {
    auto it = by_year.find(y);
    if (it == by_year.end()) continue;
    const v1::Observation* v = it->second.Find(code);
    if (v != nullptr && MonthsCovered(v->period()) == 12) earlier.push_back(v->quantity().value());
  }
  add(CheckJump(value, earlier, basis.quality.jump_threshold_percent));
}

}  // namespace

std::optional<v1::SnapshotEntry> BuildEntry(const v1::Indicator& indicator, int year,
                                            const std::map<int, YearValues>& by_year,
                                            const SnapshotBasis& basis) {
  static const YearValues* const kNone = new YearValues();
  auto year_it = by_year.find(year);
  const YearValues& values = year_it == by_year.end() ? *kNone : year_it->second;
  const v1::Observation* observation = values.Find(indicator.code());
  std::optional<v1::Target> target;
  if (auto it = basis.target_of.find(indicator.code()); it != basis.target_of.end()) {
    target = it->second;
  }
  if (observation == nullptr && !target.has_value()) return std::nullopt;
  v1::SnapshotEntry entry;
  *entry.mutable_indicator() = indicator;
  if (observation != nullptr) {
    *entry.mutable_observation() = *observation;
    entry.set_partial_period(MonthsCovered(observation->period()) < 12);
    AddFlags(indicator, *observation, values.own.count(indicator.code()) > 0, year, by_year, basis,
             entry.mutable_quality_flags());
  }
  if (target.has_value()) *entry.mutable_target() = *target;
  const Judgement judgement = Judge(observation, target);
  entry.set_verdict(judgement.verdict);
  entry.set_difference(judgement.difference);
  if (auto prev_year = by_year.find(year - 1); prev_year != by_year.end()) {
    if (const v1::Observation* prev = prev_year->second.Find(indicator.code()); prev != nullptr) {
      *entry.mutable_previous_observation() = *prev;
      if (observation != nullptr) {
        const double before = prev->quantity().value();
        const double now = observation->quantity().value();
        entry.set_change(FormatDecimal(now - before, 4));
        if (before != 0) {
          entry.set_change_percent(FormatDecimal((now - before) / before * 100.0, 2));
        }
      }
    }
  }
  return entry;
}

v1::Snapshot BuildSnapshot(absl::string_view subject, int year,
                           const std::vector<v1::Indicator>& indicators,
                           std::vector<v1::Observation> observations, const SnapshotBasis& basis) {
  const auto by_year =
      ValuesByYear(indicators, std::move(observations), basis.quality.partial_year_stands);
  v1::Snapshot snapshot;
  snapshot.set_subject(std::string(subject));
  snapshot.set_year(year);
  for (const auto& indicator : indicators) {
    if (auto entry = BuildEntry(indicator, year, by_year, basis); entry.has_value()) {
      *snapshot.add_entries() = *std::move(entry);
    }
  }
  return snapshot;
}

v1::Series BuildSeries(absl::string_view subject, const v1::Indicator& indicator, int start_year,
                       int end_year, const std::vector<v1::Indicator>& indicators,
                       std::vector<v1::Observation> observations, const SnapshotBasis& basis) {
  const auto by_year =
      ValuesByYear(indicators, std::move(observations), basis.quality.partial_year_stands);
  v1::Series series;
  series.set_subject(std::string(subject));
  *series.mutable_indicator() = indicator;
  if (auto it = basis.target_of.find(indicator.code()); it != basis.target_of.end()) {
    *series.mutable_target() = it->second;
  }
  for (int year = start_year; year <= end_year; ++year) {
    auto entry = BuildEntry(indicator, year, by_year, basis);
    if (!entry.has_value() || !entry->has_observation()) continue;
    auto* point = series.add_points();
    point->set_year(year);
    *point->mutable_observation() = entry->observation();
    point->set_partial_period(entry->partial_period());
    *point->mutable_quality_flags() = entry->quality_flags();
    point->set_change(entry->change());
  }
  return series;
}

v1::Snapshot RollUp(absl::string_view subject, int year, const std::vector<std::string>& parts,
                    const std::vector<v1::Indicator>& indicators,
                    std::vector<std::vector<v1::Observation>> observations_of_parts,
                    const SnapshotBasis& basis) {
  std::vector<std::map<std::string, v1::Observation>> own_of_part;
  for (auto& observations : observations_of_parts) {
    own_of_part.push_back(std::move(
        ValuesByYear(indicators, std::move(observations), basis.quality.partial_year_stands)[year]
            .own));
  }
  std::map<int, YearValues> rolled;
  YearValues& values = rolled[year];
  std::map<std::string, v1::QualityFlag> incomplete;
  for (const auto& indicator : indicators) {
    const bool additive = indicator.kind() == v1::INDICATOR_KIND_COUNT ||
                          indicator.kind() == v1::INDICATOR_KIND_AMOUNT;
    std::vector<const v1::Observation*> present;
    std::vector<std::string> missing;
    for (size_t i = 0; i < own_of_part.size(); ++i) {
      auto it = own_of_part[i].find(indicator.code());
      if (it == own_of_part[i].end()) {
        missing.push_back(parts[i]);
      } else {
        present.push_back(&it->second);
      }
    }
    if (present.empty()) continue;
    if (!additive) {
      if (indicator.numerator_code().empty()) {
        incomplete[indicator.code()] =
            Flag(v1::QUALITY_FLAG_KIND_INCOMPLETE_ROLLUP,
                 absl::StrCat(indicator.display_name(),
                              "不可相加，也无分子分母可重算；比率不取各部分的平均值"),
                 {});
      }
      continue;
    }
    double sum = 0;
    bool exact = true;
    bool same_period = true;
    int end_month = 0;
    for (const auto* o : present) {
      sum += o->quantity().value();
      exact = exact && o->quantity().qualifier() == fazhi::type::QUALIFIER_EXACT;
      same_period = same_period && SameMonths(o->period(), present.front()->period());
      end_month = std::max(end_month, o->period().end_month());
    }
    v1::Observation total;
    total.set_indicator(api::IndicatorName(indicator.code()));
    total.set_subject(std::string(subject));
    total.mutable_period()->set_year(year);
    total.mutable_period()->set_start_month(same_period ? present.front()->period().start_month()
                                                        : 1);
    total.mutable_period()->set_end_month(same_period ? present.front()->period().end_month()
                                                      : end_month);
    auto* q = total.mutable_quantity();
    q->set_decimal(FormatDecimal(sum, 4));
    q->set_mantissa(q->decimal());
    q->set_value(sum);
    q->set_multiplier(fazhi::type::MULTIPLIER_NONE);
    q->set_measure_word(present.front()->quantity().measure_word());
    q->set_qualifier(exact ? fazhi::type::QUALIFIER_EXACT : fazhi::type::QUALIFIER_ABOUT);
    q->set_text(absl::StrCat(q->decimal(), q->measure_word()));
    total.mutable_provenance()->set_note(
        absl::StrCat("roll-up: sum of ", present.size(), " of ", parts.size(), " subjects"));
    values.own[indicator.code()] = total;
    if (!missing.empty() || !same_period) {
      std::string why;
      if (!missing.empty()) {
        why = absl::StrCat(parts.size(), "个部分中", missing.size(), "个无数值（",
                           absl::StrJoin(missing, "、"), "），合计偏小");
      }
      if (!same_period) absl::StrAppend(&why, why.empty() ? "" : "；", "各部分统计期间不一致");
      incomplete[indicator.code()] = Flag(v1::QUALITY_FLAG_KIND_INCOMPLETE_ROLLUP, why, {});
    }
  }
  for (const auto& indicator : indicators) {
    if (values.own.count(indicator.code()) > 0) continue;
    if (auto derived = DeriveRate(indicator, values.own); derived.has_value()) {
      derived->mutable_provenance()->set_note(absl::StrCat("roll-up: ", indicator.numerator_code(),
                                                           " ÷ ", indicator.denominator_code(),
                                                           " × 100 from the summed counts"));
      values.derived[indicator.code()] = *std::move(derived);
    }
  }
  SnapshotBasis rollup_basis = basis;
  rollup_basis.now.reset();  // A sum has no update time of its own.
  v1::Snapshot snapshot;
  snapshot.set_subject(std::string(subject));
  snapshot.set_year(year);
  for (const auto& indicator : indicators) {
    auto entry = BuildEntry(indicator, year, rolled, rollup_basis);
    auto flag = incomplete.find(indicator.code());
    if (!entry.has_value() && flag != incomplete.end()) {
      entry.emplace();
      *entry->mutable_indicator() = indicator;
      entry->set_verdict(v1::VERDICT_UNSPECIFIED);
    }
    if (!entry.has_value()) continue;
    if (flag != incomplete.end()) *entry->add_quality_flags() = flag->second;
    *snapshot.add_entries() = *std::move(entry);
  }
  return snapshot;
}

}  // namespace fazhi::metrics
