// The metrics domain, free of gRPC and storage: what makes an indicator or
// observation well formed, how a value is judged against its target, which
// observation stands for a year, and how derived rates are computed.
#ifndef FAZHI_SERVICES_METRICS_METRICS_RULES_H_
#define FAZHI_SERVICES_METRICS_METRICS_RULES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"

namespace fazhi::metrics {

void ValidateIndicator(const v1::Indicator& indicator, errors::FieldViolations& violations);

// Checks an observation's own fields (as "observation.*") and fills what the
// server derives (quantity value and defaults, period defaults). Whether the
// indicator exists, and kind-specific limits, are checked with the indicator
// by CheckAgainstIndicator.
void ValidateAndNormalizeObservation(v1::Observation& observation,
                                     errors::FieldViolations& violations);

// Kind-specific checks: a rate above 100% (unless the indicator allows it),
// a count with a fraction.
// Fields are named under `field_prefix` ("observation.quantity.decimal").
void CheckAgainstIndicator(const v1::Observation& observation, const v1::Indicator& indicator,
                           errors::FieldViolations& violations,
                           absl::string_view field_prefix = "observation");

// Months covered by a (valid) period, 1..12.
int MonthsCovered(const fazhi::type::Period& period);

// 1 for a period that crosses into the next calendar year (a statistical
// year, 2022年8月至2023年7月), else 0.
int YearsCrossed(const fazhi::type::Period& period);

// The observation that stands for the year among several of one indicator:
// the full-year one, else, when `partial_year_stands` (the rules'
// PARTIAL_YEAR_STANDS_FLAGGED), the one inside the year covering most months
// (a year-to-date 1—10月 or 截至11月底 value, shown as a partial period). A
// period crossing into the next year stands for no calendar year: it is never
// chosen. Null when no observation stands for the year.
const v1::Observation* ChooseYearObservation(const std::vector<const v1::Observation*>& all,
                                             bool partial_year_stands);

// Met / not met against `target`, and value - threshold as a decimal string.
struct Judgement {
  v1::Verdict verdict = v1::VERDICT_UNSPECIFIED;
  std::string difference;
};
// `observation` null: no value.
Judgement Judge(const v1::Observation* observation, const std::optional<v1::Target>& target);
Judgement Judge(const std::optional<v1::Observation>& observation,
                const std::optional<v1::Target>& target);

// A shortest decimal for `value` with at most `max_fraction_digits` digits
// after the point, no trailing zeros ("97.7", "100").
std::string FormatDecimal(double value, int max_fraction_digits = 2);

// For a derived rate with no observation of its own: numerator ÷ denominator
// × 100 from the chosen observations of both, over the same period.
// `chosen` maps indicator code to its chosen observation.
std::optional<v1::Observation> DeriveRate(const v1::Indicator& rate,
                                          const std::map<std::string, v1::Observation>& chosen);

// Assembles a subject-year snapshot: one entry per indicator that has a
// target or an observation (or a derivable rate), in indicator-code order,
// each judged against its target.
v1::Snapshot AssembleSnapshot(bool partial_year_stands, absl::string_view subject, int year,
                              const std::vector<v1::Indicator>& indicators,
                              const std::vector<v1::Observation>& observations,
                              const std::vector<v1::Target>& targets);

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_RULES_H_
