// Shared pieces of the metrics benchmarks (not tests: they print figures).
#ifndef FAZHI_TESTS_METRICS_METRICS_BENCH_COMMON_H_
#define FAZHI_TESTS_METRICS_METRICS_BENCH_COMMON_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"

namespace fazhi::metrics::bench {

// 40 indicators: 30 counts and 10 rates derived from pairs of them.
inline std::vector<v1::Indicator> BenchIndicators() {
  std::vector<v1::Indicator> all;
  for (int i = 0; i < 30; ++i) {
    v1::Indicator c;
    c.set_code(absl::StrFormat("count_%02d", i));
    c.set_display_name(absl::StrCat("计数", i));
    c.set_unit_of_measure("件");
    c.set_kind(v1::INDICATOR_KIND_COUNT);
    c.set_direction(v1::DIRECTION_NEUTRAL);
    all.push_back(c);
  }
  for (int i = 0; i < 10; ++i) {
    v1::Indicator r;
    r.set_code(absl::StrFormat("rate_%02d", i));
    r.set_display_name(absl::StrCat("比率", i));
    r.set_unit_of_measure("%");
    r.set_kind(v1::INDICATOR_KIND_RATE);
    r.set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
    r.set_numerator_code(absl::StrFormat("count_%02d", 2 * i + 1));
    r.set_denominator_code(absl::StrFormat("count_%02d", 2 * i));
    all.push_back(r);
  }
  return all;
}

// A six-digit code for county-level region i of 2,844.
inline std::string RegionOf(int i) {
  return absl::StrFormat("regions/%02d%04d", 11 + i / 100, 100 + i % 100);
}

// The value of indicator k for region r, year y: received >= closed, rates
// stated as their counts give them (rounded to two digits).
inline v1::Observation BenchObservation(const v1::Indicator& indicator, int region, int year) {
  v1::Observation o;
  o.set_indicator(absl::StrCat("indicators/", indicator.code()));
  o.set_subject(RegionOf(region));
  o.mutable_period()->set_year(year);
  const int base = 1000 + (region * 37 + year * 11) % 500;
  const int k = std::stoi(indicator.code().substr(indicator.code().size() - 2));
  if (indicator.kind() == v1::INDICATOR_KIND_RATE) {
    const double r = (base - 2 * k - 1) * 100.0 / (base - 2 * k);
    std::string decimal = absl::StrFormat("%.2f", r);  // canonical: no trailing zeros
    while (decimal.back() == '0') decimal.pop_back();
    if (decimal.back() == '.') decimal.pop_back();
    o.mutable_quantity()->set_decimal(decimal);
  } else {
    o.mutable_quantity()->set_decimal(absl::StrCat(base - k));
  }
  o.mutable_quantity()->set_measure_word(indicator.unit_of_measure());
  o.mutable_provenance()->set_source(fazhi::type::Provenance::SOURCE_IMPORTED);
  o.mutable_provenance()->set_note("metrics benchmark");
  return o;
}

inline double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace fazhi::metrics::bench

#endif  // FAZHI_TESTS_METRICS_METRICS_BENCH_COMMON_H_
