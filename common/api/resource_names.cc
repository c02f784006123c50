#include "common/api/resource_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"

namespace fazhi::api {

bool IsRegionCode(absl::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.back() == '-' || id.front() == '-') return false;
  for (char c : id) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsIndicatorCode(absl::string_view code) {
  if (code.empty() || code.size() > 63 ||
      !absl::ascii_islower(static_cast<unsigned char>(code[0]))) {
    return false;
  }
  for (char c : code) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string RegionName(absl::string_view code) { return absl::StrCat("regions/", code); }
std::string UnitName(absl::string_view id) { return absl::StrCat("units/", id); }
std::string ProjectName(absl::string_view id) { return absl::StrCat("projects/", id); }
std::string IndicatorName(absl::string_view code) { return absl::StrCat("indicators/", code); }
std::string ObservationName(absl::string_view id) { return absl::StrCat("observations/", id); }
std::string ReportName(absl::string_view id) { return absl::StrCat("reports/", id); }

std::string IdOf(absl::string_view collection, absl::string_view name) {
  const std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix)) return "";
  return std::string(name.substr(prefix.size()));
}

bool CheckYear(errors::FieldViolations& violations, absl::string_view field, int year,
               bool required) {
  if (year == 0 && !required) return true;
  if (year < kMinYear || year > kMaxYear) {
    violations.Add(std::string(field),
                   year == 0 ? absl::StrCat("is required: a year ", kMinYear, "..", kMaxYear)
                             : absl::StrCat("must be ", kMinYear, "..", kMaxYear, ", got ", year));
    return false;
  }
  return true;
}

bool CheckText(errors::FieldViolations& violations, absl::string_view field,
               absl::string_view value, size_t min_chars, size_t max_chars) {
  if (!text::IsValidUtf8(value)) {
    violations.Add(std::string(field), "is not valid UTF-8; convert the text to UTF-8");
    return false;
  }
  const size_t chars = text::CodePointCount(value);
  if (chars < min_chars) {
    violations.Add(std::string(field),
                   min_chars == 1 ? std::string("is required")
                                  : absl::StrCat("must have at least ", min_chars, " characters"));
    return false;
  }
  if (chars > max_chars) {
    violations.Add(std::string(field),
                   absl::StrCat("must have at most ", max_chars, " characters, got ", chars));
    return false;
  }
  return true;
}

bool CheckRegionName(errors::FieldViolations& violations, absl::string_view field,
                     absl::string_view name, bool required) {
  if (name.empty()) {
    if (required) violations.Add(std::string(field), "is required: \"regions/{code}\"");
    return !required;
  }
  if (!IsRegionCode(IdOf("regions", name))) {
    violations.Add(std::string(field),
                   absl::StrCat("must be \"regions/\" and a six-digit GB/T 2260 code such as "
                                "\"regions/310113\", got \"",
                                name, "\""));
    return false;
  }
  return true;
}

bool CheckResourceName(errors::FieldViolations& violations, absl::string_view field,
                       absl::string_view collection, absl::string_view name, bool required) {
  if (name.empty()) {
    if (required) {
      violations.Add(std::string(field), absl::StrCat("is required: \"", collection, "/{id}\""));
    }
    return !required;
  }
  if (!IsResourceId(IdOf(collection, name))) {
    violations.Add(std::string(field),
                   absl::StrCat("must be \"", collection,
                                "/{id}\" with an id of lower-case letters, digits and '-', got \"",
                                name, "\""));
    return false;
  }
  return true;
}

bool CheckSubjectName(errors::FieldViolations& violations, absl::string_view field,
                      absl::string_view name) {
  if (absl::StartsWith(name, "units/")) {
    return CheckResourceName(violations, field, "units", name);
  }
  if (absl::StartsWith(name, "regions/")) return CheckRegionName(violations, field, name);
  violations.Add(std::string(field), absl::StrCat("must be a region (\"regions/310113\") or a unit "
                                                  "(\"units/310113-government\"), got \"",
                                                  name, "\""));
  return false;
}

bool CheckRequestId(errors::FieldViolations& violations, absl::string_view field,
                    absl::string_view request_id) {
  if (request_id.size() > 64) {
    violations.Add(std::string(field), "must have at most 64 characters");
    return false;
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      violations.Add(std::string(field), "must be printable ASCII without spaces");
      return false;
    }
  }
  return true;
}

std::string RegionCodeOf(absl::string_view name) { return IdOf("regions", name); }

}  // namespace fazhi::api
