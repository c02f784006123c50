#include "services/catalogue/catalogue_rules.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/text/quantity_proto.h"

namespace fazhi::catalogue {

void ValidateRegion(const v1::Region& region, errors::FieldViolations& violations) {
  if (!api::IsRegionCode(region.code())) {
    violations.Add("region.code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310113\", got \"",
                                region.code(), "\""));
  }
  api::CheckText(violations, "region.display_name", region.display_name(), 1, 64);
  api::CheckText(violations, "region.english_name", region.english_name(), 0, 64);
  if (region.level() == v1::REGION_LEVEL_UNSPECIFIED) {
    violations.Add("region.level", "is required: PROVINCE, PREFECTURE or COUNTY");
  }
  const bool is_province = region.level() == v1::REGION_LEVEL_PROVINCE;
  if (is_province && !region.parent().empty()) {
    violations.Add("region.parent", "must be empty for a province-level region");
  }
  if (!is_province && region.level() != v1::REGION_LEVEL_UNSPECIFIED) {
    api::CheckRegionName(violations, "region.parent", region.parent(), /*required=*/true);
  }
  if (!region.parent().empty() && region.parent() == api::RegionName(region.code())) {
    violations.Add("region.parent", "must not be the region itself");
  }
}

void ValidateUnit(absl::string_view unit_id, const v1::Unit& unit,
                  errors::FieldViolations& violations) {
  if (!api::IsResourceId(unit_id)) {
    violations.Add("unit_id",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '-', such as "
                                "\"310113-government\", got \"",
                                unit_id, "\""));
  }
  api::CheckText(violations, "unit.display_name", unit.display_name(), 1, 128);
  std::set<std::string> names = {unit.display_name()};
  for (int i = 0; i < unit.aliases_size(); ++i) {
    const std::string field = absl::StrCat("unit.aliases[", i, "]");
    if (api::CheckText(violations, field, unit.aliases(i), 1, 128) &&
        !names.insert(unit.aliases(i)).second) {
      violations.Add(field, absl::StrCat("\"", unit.aliases(i), "\" is given twice"));
    }
  }
  if (unit.level() == v1::UNIT_LEVEL_UNSPECIFIED) {
    violations.Add("unit.level", "is required: CITY, DISTRICT or STREET_TOWN");
  }
  if (unit.kind() == v1::UNIT_KIND_UNSPECIFIED) {
    violations.Add("unit.kind",
                   "is required: GOVERNMENT, GOVERNMENT_DEPARTMENT, COURT, PROCURATORATE, "
                   "PARTY_BODY, PEOPLES_ORGANISATION or OTHER");
  }
  api::CheckRegionName(violations, "unit.region", unit.region());
  api::CheckResourceName(violations, "unit.parent_unit", "units", unit.parent_unit(),
                         /*required=*/false);
}

void ValidateProject(absl::string_view project_id, const v1::Project& project,
                     errors::FieldViolations& violations) {
  if (!project_id.empty() && !api::IsResourceId(project_id)) {
    violations.Add(
        "project_id",
        absl::StrCat("must be 1..63 lower-case letters, digits or '-', got \"", project_id, "\""));
  }
  if (project.year() < 2000 || project.year() > api::kMaxYear) {
    violations.Add("project.year",
                   project.year() == 0
                       ? std::string("is required: the year the project runs, 2000..2100")
                       : absl::StrCat("must be 2000..2100, got ", project.year()));
  }
  if (project.level() == v1::PROJECT_LEVEL_UNSPECIFIED) {
    violations.Add("project.level", "is required: CITY or DISTRICT");
  }
  api::CheckText(violations, "project.title", project.title(), 1, 200);
  if (project.units().empty()) {
    violations.Add("project.units", "needs at least one responsible unit, \"units/{id}\"");
  }
  std::set<std::string> units;
  for (int i = 0; i < project.units_size(); ++i) {
    const std::string field = absl::StrCat("project.units[", i, "]");
    if (api::CheckResourceName(violations, field, "units", project.units(i)) &&
        !units.insert(project.units(i)).second) {
      violations.Add(field, absl::StrCat(project.units(i), " is listed twice"));
    }
  }
  api::CheckRegionName(violations, "project.region", project.region());
  api::CheckText(violations, "project.description", project.description(), 0, 4000);
  api::CheckText(violations, "project.theme", project.theme(), 0, 32);
  if (project.anticipated_rank() < 0) {
    violations.Add("project.anticipated_rank", "must be 0 (unknown) or a positive rank");
  }
  if (project.anticipated_rank() > 0 && !project.most_anticipated()) {
    violations.Add("project.anticipated_rank", "is only meaningful with most_anticipated: true");
  }
  for (int i = 0; i < project.outcomes_size(); ++i) {
    api::CheckText(violations, absl::StrCat("project.outcomes[", i, "].phrase"),
                   project.outcomes(i).phrase(), 1, 500);
  }
}

bool FilesAnnualReportByDefault(v1::UnitKind kind) {
  return kind == v1::UNIT_KIND_GOVERNMENT || kind == v1::UNIT_KIND_GOVERNMENT_DEPARTMENT;
}

void NormalizeUnit(absl::string_view unit_id, v1::Unit& unit) {
  unit.set_name(absl::StrCat("units/", unit_id));
  unit.set_files_annual_report(unit.has_files_annual_report_override()
                                   ? unit.files_annual_report_override()
                                   : FilesAnnualReportByDefault(unit.kind()));
}

void NormalizeProject(v1::Project& project, errors::FieldViolations& violations) {
  if (project.status() == v1::PROJECT_STATUS_UNSPECIFIED) {
    project.set_status(v1::PROJECT_STATUS_PROPOSED);
  }
  for (int i = 0; i < project.outcomes_size(); ++i) {
    auto* outcome = project.mutable_outcomes(i);
    auto quantity = text::FirstQuantityIn(outcome->phrase());
    if (!quantity.has_value()) {
      violations.Add(absl::StrCat("project.outcomes[", i, "].phrase"),
                     absl::StrCat("states no figure: \"", outcome->phrase(),
                                  "\"; an outcome is a measured result such as "
                                  "\"累计避损147亿余元\""));
      continue;
    }
    *outcome->mutable_quantity() = *quantity;
  }
}

}  // namespace fazhi::catalogue
