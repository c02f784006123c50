// The catalogue's domain rules, free of gRPC and of storage: what makes a
// region, unit or project well formed, and the defaults the catalogue fills
// in. Checks that need the store (does the parent exist?) live in
// CatalogueStore.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace fazhi::catalogue {

// Adds a violation (fields prefixed "region.") for every malformed field,
// including a code that does not match its level or does not belong under
// its parent's code (GB/T 2260).
void ValidateRegion(const v1::Region& region, errors::FieldViolations& violations);

// The level a GB/T 2260 code denotes: xx0000 a province, xxyy00 a
// prefecture, xxyyzz a county. `code` is six digits.
v1::RegionLevel RegionLevelOfCode(absl::string_view code);

// Checks `region` against its stored `parent`: a prefecture sits under a
// province, a county under a prefecture or directly under a province-level
// city (Shanghai's districts). The violation names "region.parent".
void ValidateRegionUnderParent(const v1::Region& region, const v1::Region& parent,
                               errors::FieldViolations& violations);

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

// Whether a project may go from `from` to `to`: proposed -> registered ->
// in progress -> delivered, one step at a time, or to withdrawn from any
// step before delivered. Returns FAILED_PRECONDITION naming the step.
absl::Status CheckTransition(absl::string_view project, v1::ProjectStatus from,
                             v1::ProjectStatus to);

// Checks a transition request's own fields ("effective_date", "note",
// "to_status") and that the date is not before the last step's.
// FAILED_PRECONDITION unless the project is delivered.
absl::Status CheckReviewable(const v1::Project& project);

// The review's own fields, and its date against the delivery (the last
// step of `current`, which the store has checked is DELIVERED).
void ValidateReview(const v1::ReviewProjectRequest& request, const v1::Project& current,
                    errors::FieldViolations& violations);

void ValidateTransition(const v1::TransitionProjectRequest& request, const v1::Project& current,
                        errors::FieldViolations& violations);

// Records stored before the limits (common/api/limits.h) may break them, and
// one too large to send would be unreadable. These give the form in which
// such a record is served: each list cut to its limit, each text to its
// length, each change value to limits::kMaxChangeValueBytes. They return
// whether anything was cut. The stored record is untouched; an UpdateProject
// or UpdateUnit of the fields over their limits repairs it.
bool CutProjectToLimits(v1::Project& project);
bool CutUnitToLimits(v1::Unit& unit);
// Cuts only a change larger than limits::kMaxRecordBytes.
bool CutChangeToLimits(v1::Change& change);

// Checks an update mask: non-empty, known updatable paths, no repeats.
void ValidateUpdateMask(const google::protobuf::FieldMask& mask,
                        errors::FieldViolations& violations);

// Checks mask paths against `allowed` (non-empty, known, no repeats);
// `status_hint`, when set, is the answer to a "status" path.
void CheckMaskPaths(const google::protobuf::FieldMask& mask, const std::set<std::string>& allowed,
                    absl::string_view status_hint, errors::FieldViolations& violations);

// The updatable fields of regions and units.
const std::set<std::string>& UpdatableRegionPaths();
const std::set<std::string>& UpdatableUnitPaths();

// Copies the masked top-level fields of `patch` into `target` (same type).
void ApplyMask(const google::protobuf::FieldMask& mask, const google::protobuf::Message& patch,
               google::protobuf::Message& target);

// The top-level fields whose values differ between `before` and `after`
// (same type), each with both values in single-line text format (UTF-8
// kept). Output-only bookkeeping fields (name, etag, times, history) are
// left out.
std::vector<v1::FieldChange> DiffRecords(const google::protobuf::Message& before,
                                         const google::protobuf::Message& after);

// The leading digits every GB/T 2260 descendant of `code` shares: a
// province "310000" -> "31", a prefecture "310100" -> "3101", a county
// "310113" -> "310113".
std::string DescendantCodePrefix(absl::string_view code);

// Checks a list request's filters (as their field names).
void ValidateListProjects(const v1::ListProjectsRequest& request,
                          errors::FieldViolations& violations);

// Whether `project` passes the filters that the index scan did not apply:
// level, unit, status, flags, theme, text, and year when the scan could not
// narrow by it.
bool MatchesProjectFilters(const v1::ListProjectsRequest& request, const v1::Project& project);

// Every filter of the request in a canonical form, for binding page tokens.
// ListProjectsRequest.order_by, parsed: (field, descending) pairs. An empty
// order means index order.
using ProjectOrder = std::vector<std::pair<std::string, bool>>;
// Violations name "order_by".
ProjectOrder ParseProjectOrder(absl::string_view order_by, errors::FieldViolations& violations);
// A byte string that sorts as `order` ranks the project (descending fields
// complemented), ending with the project id so that it is unique.
std::string ProjectSortKey(const ProjectOrder& order, const v1::Project& project);

std::string CanonicalProjectQuery(const v1::ListProjectsRequest& request);

// The etag of a stored revision.
std::string EtagOf(uint64_t revision);

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
