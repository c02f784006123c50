// Resource names and field checks shared by every service's API adapter.
//
// Names follow AIP-122: "regions/310113", "units/310113-government",
// "projects/y2023-excellent", "indicators/court_appearance_rate",
// "reports/310113-government-2023", "observations/o00000000000000a1".
#ifndef FAZHI_COMMON_API_RESOURCE_NAMES_H_
#define FAZHI_COMMON_API_RESOURCE_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace fazhi::api {

// The years the suite accepts anywhere: the PRC's founding to 2100.
inline constexpr int kMinYear = 1949;
inline constexpr int kMaxYear = 2100;

// True for a GB/T 2260 code: exactly six ASCII digits.
bool IsRegionCode(absl::string_view code);

// True for a client-chosen id: 1..63 of [a-z0-9-], starting with [a-z0-9],
// not ending with '-'.
bool IsResourceId(absl::string_view id);

// True for an indicator code: 1..63 of [a-z0-9_], starting with [a-z].
bool IsIndicatorCode(absl::string_view code);

// The resource names of each collection, built from their ids: "regions/" +
// code, "units/" + id, … They do not check the id. Every service and tool
// builds names through these, never by hand (scripts/check-structure).
std::string RegionName(absl::string_view code);
std::string UnitName(absl::string_view id);
std::string ProjectName(absl::string_view id);
std::string IndicatorName(absl::string_view code);
std::string ObservationName(absl::string_view id);
std::string ReportName(absl::string_view id);

// The id after `collection` + "/" in `name`, or "" when `name` is not of that
// collection. E.g. IdOf("regions", "regions/310113") == "310113".
std::string IdOf(absl::string_view collection, absl::string_view name);

// Field checks. Each adds a violation to `violations` naming `field` (with a
// description a person can act on) and returns false when the value is bad.
bool CheckYear(errors::FieldViolations& violations, absl::string_view field, int year,
               bool required = true);
// Valid UTF-8 with `min_chars`..`max_chars` Unicode characters.
bool CheckText(errors::FieldViolations& violations, absl::string_view field,
               absl::string_view value, size_t min_chars, size_t max_chars);
// "regions/{six digits}"; empty is a violation only when `required`.
bool CheckRegionName(errors::FieldViolations& violations, absl::string_view field,
                     absl::string_view name, bool required = true);
// "{collection}/{resource id}".
bool CheckResourceName(errors::FieldViolations& violations, absl::string_view field,
                       absl::string_view collection, absl::string_view name, bool required = true);
// A region or a unit, the subjects of observations.
bool CheckSubjectName(errors::FieldViolations& violations, absl::string_view field,
                      absl::string_view name);
// A client request id: empty, or 1..64 printable ASCII characters.
bool CheckRequestId(errors::FieldViolations& violations, absl::string_view field,
                    absl::string_view request_id);

// The code of a region name: IdOf("regions", name), "" when `name` is not a
// region's.
std::string RegionCodeOf(absl::string_view name);

}  // namespace fazhi::api

#endif  // FAZHI_COMMON_API_RESOURCE_NAMES_H_
