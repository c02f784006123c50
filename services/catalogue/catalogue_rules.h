// The catalogue's domain rules, free of gRPC and of storage: what makes a
// region, unit or project well formed, and the defaults the catalogue fills
// in. Checks that need the store (does the parent exist?) live in
// CatalogueStore.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_

#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"

namespace fazhi::catalogue {

// Adds a violation (fields prefixed "region.") for every malformed field.
void ValidateRegion(const v1::Region& region, errors::FieldViolations& violations);

// `unit_id` is checked as "unit_id", the unit's fields as "unit.*".
void ValidateUnit(absl::string_view unit_id, const v1::Unit& unit,
                  errors::FieldViolations& violations);

// Fields as "project.*"; `project_id` may be empty (generated).
void ValidateProject(absl::string_view project_id, const v1::Project& project,
                     errors::FieldViolations& violations);

// Whether a unit of `kind` must file the annual rule-of-law government report:
// governments and government departments must; courts, procuratorates, party
// bodies and people's organisations do not (DOMAIN.md, "Unit").
bool FilesAnnualReportByDefault(v1::UnitKind kind);

// Fills output-only and defaulted fields of a unit about to be stored.
void NormalizeUnit(absl::string_view unit_id, v1::Unit& unit);

// Fills the outcome quantities read from their phrases, and the defaults
// (status PROPOSED). Adds a violation for an outcome phrase with no figure.
void NormalizeProject(v1::Project& project, errors::FieldViolations& violations);

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
