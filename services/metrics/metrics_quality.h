// Data quality, year-on-year change, series and roll-ups: plain C++ over
// indicators and observations, no gRPC, no disk, no clock of its own (the
// caller passes `now`).
#ifndef FAZHI_SERVICES_METRICS_METRICS_QUALITY_H_
#define FAZHI_SERVICES_METRICS_METRICS_QUALITY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::metrics {

// The values of one subject in one year, by indicator code: `own` holds the
// chosen observation of each indicator (ChooseYearObservation), `derived`
// the derived rates that have no observation of their own.
struct YearValues {
  std::map<std::string, v1::Observation> own;
  std::map<std::string, v1::Observation> derived;

  // The value of `code`: its own observation, else its derived one; null
  // when neither.
  const v1::Observation* Find(const std::string& code) const {
    if (auto it = own.find(code); it != own.end()) return &it->second;
    if (auto it = derived.find(code); it != derived.end()) return &it->second;
    return nullptr;
  }
};

// Groups `observations` (any years) by year and chooses each year's values
// (ChooseYearObservation, with `partial_year_stands`), moving the chosen ones
// out of `observations`.
std::map<int, YearValues> ValuesByYear(const std::vector<v1::Indicator>& indicators,
                                       std::vector<v1::Observation> observations,
                                       bool partial_year_stands);

// The quality rules with their defaults filled in.
struct QualityRules {
  std::vector<std::pair<std::string, std::string>> not_above;  // (part, whole)
  std::vector<fazhi::rules::v1::PartsOfTotal> parts_of_total;
  double jump_threshold_percent = 50;
  int jump_lookback_years = 3;
  absl::Duration stale_after = absl::Hours(24 * 365);
  // The rules' partial_year: whether a value for part of a year stands for
  // it when it has no whole-year value (ChooseYearObservation).
  bool partial_year_stands = false;
};
// `rules` plus the pairs implied by derived rates (numerator ≤ denominator).
QualityRules MakeQualityRules(const fazhi::rules::v1::MetricsRules& rules,
                              const std::vector<v1::Indicator>& indicators);

// Individual checks; each returns a flag when the value is suspect.
//
// `part` > `whole` over the same months.
std::optional<v1::QualityFlag> CheckNotAbove(const v1::Indicator& part_indicator,
                                             const v1::Observation& part,
                                             const v1::Indicator& whole_indicator,
                                             const v1::Observation& whole);
// A stated rate that is neither numerator ÷ denominator × 100 rounded nor
// truncated to the fraction digits it is written with.
std::optional<v1::QualityFlag> CheckRateMatchesCounts(const v1::Observation& stated,
                                                      const v1::Observation& numerator,
                                                      const v1::Observation& denominator);
std::optional<v1::QualityFlag> CheckPartialPeriod(const v1::Observation& observation);
std::optional<v1::QualityFlag> CheckStale(const v1::Observation& observation, absl::Time now,
                                          absl::Duration stale_after);
// `earlier`: the full-year values of earlier years (any order).
std::optional<v1::QualityFlag> CheckJump(const v1::Observation& observation,
                                         const std::vector<double>& earlier,
                                         double threshold_percent);

// What a subject's snapshot entries are judged against: the indicators and
// the rules' targets by name ("indicators/{code}" ids), the quality rules,
// and the time staleness is measured at.
struct SnapshotBasis {
  std::map<std::string, const v1::Indicator*> indicator_of;
  std::map<std::string, v1::Target> target_of;
  QualityRules quality;
  // When absent, nothing is flagged stale.
  std::optional<absl::Time> now;
};
SnapshotBasis MakeSnapshotBasis(const std::vector<v1::Indicator>& indicators,
                                const std::vector<v1::Target>& targets,
                                const fazhi::rules::v1::MetricsRules& rules,
                                std::optional<absl::Time> now);

// The snapshot entry of `indicator` for `year`, or nullopt when it has
// neither a value nor a target: value, target verdict, previous year and
// change, quality flags. `by_year` must hold `year` and the years before it
// that the jump check and the change look at.
std::optional<v1::SnapshotEntry> BuildEntry(const v1::Indicator& indicator, int year,
                                            const std::map<int, YearValues>& by_year,
                                            const SnapshotBasis& basis);

// A subject-year snapshot from observations of `year` and earlier years.
v1::Snapshot BuildSnapshot(absl::string_view subject, int year,
                           const std::vector<v1::Indicator>& indicators,
                           std::vector<v1::Observation> observations, const SnapshotBasis& basis);

// One point per year in [start_year, end_year] with a value.
v1::Series BuildSeries(absl::string_view subject, const v1::Indicator& indicator, int start_year,
                       int end_year, const std::vector<v1::Indicator>& indicators,
                       std::vector<v1::Observation> observations, const SnapshotBasis& basis);

// The snapshot of `subject` standing for `parts` together in `year`.
// `observations_of_parts[i]` are the observations of part i in `year`.
// Counts and amounts add (a part with no value makes the sum incomplete and
// flagged); derived rates are recomputed from the summed counts; other rates
// and durations are not aggregated.
v1::Snapshot RollUp(absl::string_view subject, int year, const std::vector<std::string>& parts,
                    const std::vector<v1::Indicator>& indicators,
                    std::vector<std::vector<v1::Observation>> observations_of_parts,
                    const SnapshotBasis& basis);

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_QUALITY_H_
