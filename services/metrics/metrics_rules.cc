#include "services/metrics/metrics_rules.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/text/quantity_proto.h"

namespace fazhi::metrics {

void ValidateIndicator(const v1::Indicator& indicator, errors::FieldViolations& violations) {
  if (!api::IsIndicatorCode(indicator.code())) {
    violations.Add("indicator.code",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '_', starting with "
                                "a letter, such as \"court_appearance_rate\", got \"",
                                indicator.code(), "\""));
  }
  api::CheckText(violations, "indicator.display_name", indicator.display_name(), 1,
                 limits::kMaxIndicatorNameChars);
  api::CheckText(violations, "indicator.unit_of_measure", indicator.unit_of_measure(), 1,
                 limits::kMaxUnitOfMeasureChars);
  api::CheckText(violations, "indicator.description", indicator.description(), 0,
                 limits::kMaxIndicatorDescriptionChars);
  if (indicator.kind() == v1::INDICATOR_KIND_UNSPECIFIED ||
      !v1::IndicatorKind_IsValid(indicator.kind())) {
    violations.Add("indicator.kind", "is required: COUNT, RATE, AMOUNT or DURATION");
  }
  if (indicator.direction() == v1::DIRECTION_UNSPECIFIED ||
      !v1::Direction_IsValid(indicator.direction())) {
    violations.Add("indicator.direction",
                   "is required: HIGHER_IS_BETTER, LOWER_IS_BETTER or NEUTRAL (a workload count)");
  }
  const bool has_numerator = !indicator.numerator_code().empty();
  const bool has_denominator = !indicator.denominator_code().empty();
  if (has_numerator != has_denominator) {
    violations.Add(has_numerator ? "indicator.denominator_code" : "indicator.numerator_code",
                   "a derived rate needs both numerator_code and denominator_code");
  }
  if (has_numerator && indicator.kind() != v1::INDICATOR_KIND_RATE) {
    violations.Add("indicator.kind", "a derived indicator (numerator ÷ denominator) is a RATE");
  }
  for (const auto& [field, code] : {std::pair<const char*, const std::string&>{
                                        "indicator.numerator_code", indicator.numerator_code()},
                                    {"indicator.denominator_code", indicator.denominator_code()}}) {
    if (!code.empty() && !api::IsIndicatorCode(code)) {
      violations.Add(field, absl::StrCat("\"", code, "\" is not an indicator code"));
    }
  }
}

void ValidateAndNormalizeObservation(v1::Observation& observation,
                                     errors::FieldViolations& violations) {
  if (!api::IsIndicatorCode(api::IdOf("indicators", observation.indicator()))) {
    violations.Add("observation.indicator", absl::StrCat("must be \"indicators/{code}\", got \"",
                                                         observation.indicator(), "\""));
  }
  api::CheckSubjectName(violations, "observation.subject", observation.subject());
  auto* period = observation.mutable_period();
  api::CheckYear(violations, "observation.period.year", period->year());
  if (period->start_month() == 0) period->set_start_month(1);
  if (period->end_month() == 0) period->set_end_month(12);
  if (period->start_month() < 1 || period->start_month() > 12) {
    violations.Add("observation.period.start_month",
                   absl::StrCat("must be 1..12, got ", period->start_month()));
  } else if (period->end_month() < 1 || period->end_month() > 12) {
    violations.Add("observation.period.end_month",
                   absl::StrCat("must be 1..12, got ", period->end_month()));
  } else if (period->end_year() == period->year()) {
    period->clear_end_year();  // one period, one spelling (and one key)
  }
  if (period->end_year() != 0 && period->end_year() != period->year() + 1) {
    violations.Add("observation.period.end_year",
                   absl::StrCat("must be 0 or ", period->year(), " (a period inside ",
                                period->year(), ") or ", period->year() + 1,
                                " (one crossing into the next year), got ", period->end_year()));
  } else if (period->start_month() >= 1 && period->start_month() <= 12 &&
             period->end_month() >= 1 && period->end_month() <= 12) {
    if (period->end_year() == 0 && period->end_month() < period->start_month()) {
      violations.Add("observation.period.end_month",
                     absl::StrCat("must be ", period->start_month(), "..12 within one year, got ",
                                  period->end_month(), " (set end_year for a period crossing into ",
                                  period->year() + 1, ")"));
    } else if (period->end_year() != 0 && period->end_month() >= period->start_month()) {
      violations.Add("observation.period.end_year",
                     absl::StrCat("a period is at most 12 months: ", period->year(), "年",
                                  period->start_month(), "月 to ", period->end_year(), "年",
                                  period->end_month(), "月 is ", MonthsCovered(*period)));
    }
  }
  if (!observation.has_quantity()) {
    violations.Add("observation.quantity", "is required");
  } else {
    text::CheckAndNormalizeQuantity("observation.quantity", *observation.mutable_quantity(),
                                    violations);
  }
  auto* provenance = observation.mutable_provenance();
  if (!fazhi::type::Provenance::Source_IsValid(provenance->source())) {
    violations.Add("observation.provenance.source",
                   absl::StrCat("is not a known source (", provenance->source(),
                                "): TYPED_IN, IMPORTED or EXTRACTED_FROM_REPORT"));
  } else if (provenance->source() == fazhi::type::Provenance::SOURCE_UNSPECIFIED) {
    provenance->set_source(fazhi::type::Provenance::SOURCE_TYPED_IN);
  }
  if (provenance->source() == fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT &&
      provenance->report().empty()) {
    violations.Add("observation.provenance.report",
                   "is required when the value was extracted from a report");
  }
  api::CheckResourceName(violations, "observation.provenance.report", "reports",
                         provenance->report(), /*required=*/false);
  api::CheckText(violations, "observation.provenance.excerpt", provenance->excerpt(), 0,
                 limits::kMaxProvenanceTextChars);
  api::CheckText(violations, "observation.provenance.note", provenance->note(), 0,
                 limits::kMaxProvenanceTextChars);
}

void CheckAgainstIndicator(const v1::Observation& observation, const v1::Indicator& indicator,
                           errors::FieldViolations& violations, absl::string_view field_prefix) {
  const std::string field = absl::StrCat(field_prefix, ".quantity.decimal");
  const auto& quantity = observation.quantity();
  if (indicator.kind() == v1::INDICATOR_KIND_RATE && quantity.value() > 100.0) {
    violations.Add(field,
                   absl::StrCat(indicator.display_name(), " is a rate and cannot exceed 100, got ",
                                quantity.decimal()));
  }
  if (indicator.kind() == v1::INDICATOR_KIND_COUNT &&
      quantity.decimal().find('.') != std::string::npos) {
    violations.Add(field, absl::StrCat(indicator.display_name(), " counts whole things (",
                                       indicator.unit_of_measure(), "); got ", quantity.decimal()));
  }
}

int MonthsCovered(const fazhi::type::Period& period) {
  const int start = period.start_month() == 0 ? 1 : period.start_month();
  const int end = period.end_month() == 0 ? 12 : period.end_month();
  return YearsCrossed(period) * 12 + end - start + 1;
}

int YearsCrossed(const fazhi::type::Period& period) {
  return period.end_year() == 0 ? 0 : period.end_year() - period.year();
}

const v1::Observation* ChooseYearObservation(const std::vector<const v1::Observation*>& all,
                                             bool partial_year_stands) {
  const v1::Observation* best = nullptr;
  for (const v1::Observation* o : all) {
    if (YearsCrossed(o->period()) != 0) continue;  // no calendar year's value
    if (!partial_year_stands && MonthsCovered(o->period()) < 12) continue;
    if (best == nullptr || MonthsCovered(o->period()) > MonthsCovered(best->period())) best = o;
  }
  return best;
}

std::string FormatDecimal(double value, int max_fraction_digits) {
  std::string s = absl::StrFormat("%.*f", max_fraction_digits, value);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

Judgement Judge(const std::optional<v1::Observation>& observation,
                const std::optional<v1::Target>& target) {
  return Judge(observation.has_value() ? &*observation : nullptr, target);
}

Judgement Judge(const v1::Observation* observation, const std::optional<v1::Target>& target) {
  Judgement j;
  if (!target.has_value()) {
    j.verdict = observation != nullptr ? v1::VERDICT_NO_TARGET : v1::VERDICT_UNSPECIFIED;
    return j;
  }
  if (observation == nullptr) {
    j.verdict = v1::VERDICT_NO_DATA;
    return j;
  }
  double threshold = 0;
  (void)absl::SimpleAtod(target->threshold(), &threshold);
  const double value = observation->quantity().value();
  const bool met =
      target->comparator() == v1::COMPARATOR_AT_MOST ? value <= threshold : value >= threshold;
  j.verdict = met ? v1::VERDICT_MET : v1::VERDICT_NOT_MET;
  j.difference = FormatDecimal(value - threshold, 4);
  return j;
}

std::optional<v1::Observation> DeriveRate(const v1::Indicator& rate,
                                          const std::map<std::string, v1::Observation>& chosen) {
  if (rate.numerator_code().empty()) return std::nullopt;
  auto numerator = chosen.find(rate.numerator_code());
  auto denominator = chosen.find(rate.denominator_code());
  if (numerator == chosen.end() || denominator == chosen.end()) return std::nullopt;
  const auto& np = numerator->second.period();
  const auto& dp = denominator->second.period();
  if (np.start_month() != dp.start_month() || np.end_month() != dp.end_month()) {
    return std::nullopt;
  }
  const double d = denominator->second.quantity().value();
  if (d <= 0) return std::nullopt;
  const double r = numerator->second.quantity().value() / d * 100.0;
  v1::Observation derived;
  derived.set_indicator(api::IndicatorName(rate.code()));
  derived.set_subject(numerator->second.subject());
  *derived.mutable_period() = np;
  auto* q = derived.mutable_quantity();
  q->set_decimal(FormatDecimal(r, 2));
  q->set_mantissa(q->decimal());
  q->set_value(r);
  q->set_measure_word("%");
  q->set_text(absl::StrCat(q->decimal(), "%"));
  q->set_multiplier(fazhi::type::MULTIPLIER_NONE);
  q->set_qualifier(fazhi::type::QUALIFIER_ABOUT);
  auto* provenance = derived.mutable_provenance();
  provenance->set_source(fazhi::type::Provenance::SOURCE_UNSPECIFIED);
  provenance->set_note(absl::StrCat("derived: ", numerator->second.name(), " ÷ ",
                                    denominator->second.name(), " × 100"));
  return derived;
}

v1::Snapshot AssembleSnapshot(bool partial_year_stands, absl::string_view subject, int year,
                              const std::vector<v1::Indicator>& indicators,
                              const std::vector<v1::Observation>& observations,
                              const std::vector<v1::Target>& targets) {
  std::map<std::string, std::vector<const v1::Observation*>> by_code;
  for (const auto& o : observations) by_code[api::IdOf("indicators", o.indicator())].push_back(&o);
  std::map<std::string, v1::Target> target_of;
  for (const auto& t : targets) target_of[api::IdOf("indicators", t.indicator())] = t;

  std::map<std::string, v1::Observation> chosen;
  for (const auto& [code, list] : by_code) {
    if (const v1::Observation* pick = ChooseYearObservation(list, partial_year_stands)) {
      chosen[code] = *pick;
    }
  }
  v1::Snapshot snapshot;
  snapshot.set_subject(std::string(subject));
  snapshot.set_year(year);
  for (const auto& indicator : indicators) {
    std::optional<v1::Observation> observation;
    if (auto it = chosen.find(indicator.code()); it != chosen.end()) {
      observation = it->second;
    } else {
      observation = DeriveRate(indicator, chosen);
    }
    std::optional<v1::Target> target;
    if (auto it = target_of.find(indicator.code()); it != target_of.end()) target = it->second;
    if (!observation.has_value() && !target.has_value()) continue;
    auto* entry = snapshot.add_entries();
    *entry->mutable_indicator() = indicator;
    if (observation.has_value()) {
      *entry->mutable_observation() = *observation;
      entry->set_partial_period(MonthsCovered(observation->period()) < 12);
    }
    if (target.has_value()) *entry->mutable_target() = *target;
    const Judgement judgement = Judge(observation, target);
    entry->set_verdict(judgement.verdict);
    entry->set_difference(judgement.difference);
  }
  return snapshot;
}

}  // namespace fazhi::metrics
