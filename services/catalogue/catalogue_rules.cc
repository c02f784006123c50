#include "services/catalogue/catalogue_rules.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/storage/key_codec.h"
#include "common/text/quantity_proto.h"
#include "common/text/utf8.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"

namespace fazhi::catalogue {

void ValidateRegion(const v1::Region& region, errors::FieldViolations& violations) {
  const bool code_ok = api::IsRegionCode(region.code());
  if (!code_ok) {
    violations.Add("region.code",
                   absl::StrCat("must be a six-digit GB/T 2260 code such as \"310113\", got \"",
                                region.code(), "\""));
  }
  api::CheckText(violations, "region.display_name", region.display_name(), 1,
                 limits::kMaxRegionNameChars);
  api::CheckText(violations, "region.english_name", region.english_name(), 0,
                 limits::kMaxRegionNameChars);
  const bool level_known =
      v1::RegionLevel_IsValid(region.level()) && region.level() != v1::REGION_LEVEL_UNSPECIFIED;
  if (!level_known) {
    violations.Add("region.level", region.level() == v1::REGION_LEVEL_UNSPECIFIED
                                       ? std::string("is required: PROVINCE, PREFECTURE or COUNTY")
                                       : absl::StrCat("is not a known level (", region.level(),
                                                      "): PROVINCE, PREFECTURE or COUNTY"));
  }
  const bool is_province = region.level() == v1::REGION_LEVEL_PROVINCE;
  if (is_province && !region.parent().empty()) {
    violations.Add("region.parent", "must be empty for a province-level region");
  }
  if (!is_province && level_known) {
    api::CheckRegionName(violations, "region.parent", region.parent(), /*required=*/true);
  }
  if (!region.parent().empty() && region.parent() == api::RegionName(region.code())) {
    violations.Add("region.parent", "must not be the region itself");
  }
  if (code_ok && level_known) {
    const v1::RegionLevel by_code = RegionLevelOfCode(region.code());
    if (by_code != region.level()) {
      violations.Add("region.level",
                     absl::StrCat("does not match the code ", region.code(),
                                  ": under GB/T 2260 "
                                  "a province is xx0000, a prefecture xxyy00 and a county "
                                  "xxyyzz, so this code is a ",
                                  v1::RegionLevel_Name(by_code)));
    }
  }
  const std::string parent_code = api::RegionCodeOf(region.parent());
  if (code_ok && api::IsRegionCode(parent_code) && parent_code != region.code() &&
      !absl::StartsWith(region.code(), DescendantCodePrefix(parent_code))) {
    violations.Add("region.parent",
                   absl::StrCat(api::RegionName(parent_code), " cannot hold ", region.code(),
                                ": under GB/T 2260 a region's code begins with its parent's "
                                "leading digits (\"",
                                DescendantCodePrefix(parent_code), "\")"));
  }
}

v1::RegionLevel RegionLevelOfCode(absl::string_view code) {
  if (code.substr(2) == "0000") return v1::REGION_LEVEL_PROVINCE;
  if (code.substr(4) == "00") return v1::REGION_LEVEL_PREFECTURE;
  return v1::REGION_LEVEL_COUNTY;
}

void ValidateRegionUnderParent(const v1::Region& region, const v1::Region& parent,
                               errors::FieldViolations& violations) {
  const bool fits = region.level() == v1::REGION_LEVEL_PREFECTURE
                        ? parent.level() == v1::REGION_LEVEL_PROVINCE
                        : region.level() == v1::REGION_LEVEL_COUNTY &&
                              (parent.level() == v1::REGION_LEVEL_PREFECTURE ||
                               parent.level() == v1::REGION_LEVEL_PROVINCE);
  if (fits) return;
  violations.Add("region.parent",
                 absl::StrCat(parent.name(), " is a ", v1::RegionLevel_Name(parent.level()),
                              " and cannot hold a ", v1::RegionLevel_Name(region.level()),
                              ": a prefecture sits under a province, a county under a "
                              "prefecture or a province-level city"));
}

void ValidateUnit(absl::string_view unit_id, const v1::Unit& unit,
                  errors::FieldViolations& violations) {
  if (!api::IsResourceId(unit_id)) {
    violations.Add("unit_id",
                   absl::StrCat("must be 1..63 lower-case letters, digits or '-', such as "
                                "\"310113-government\", got \"",
                                unit_id, "\""));
  }
  api::CheckText(violations, "unit.display_name", unit.display_name(), 1,
                 limits::kMaxUnitNameChars);
  limits::CheckCount(violations, "unit.aliases", unit.aliases_size(), limits::kMaxUnitAliases);
  std::set<std::string> names = {unit.display_name()};
  for (int i = 0; i < unit.aliases_size(); ++i) {
    const std::string field = absl::StrCat("unit.aliases[", i, "]");
    if (i >= limits::kMaxUnitAliases) break;  // reported as a whole above
    if (api::CheckText(violations, field, unit.aliases(i), 1, limits::kMaxUnitNameChars) &&
        !names.insert(unit.aliases(i)).second) {
      violations.Add(field, absl::StrCat("\"", unit.aliases(i), "\" is given twice"));
    }
  }
  if (unit.level() == v1::UNIT_LEVEL_UNSPECIFIED || !v1::UnitLevel_IsValid(unit.level())) {
    violations.Add("unit.level", "is required: CITY, DISTRICT or STREET_TOWN");
  }
  if (unit.kind() == v1::UNIT_KIND_UNSPECIFIED || !v1::UnitKind_IsValid(unit.kind())) {
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
  if (project.level() == v1::PROJECT_LEVEL_UNSPECIFIED ||
      !v1::ProjectLevel_IsValid(project.level())) {
    violations.Add("project.level", "is required: CITY or DISTRICT");
  }
  api::CheckText(violations, "project.title", project.title(), 1, limits::kMaxProjectTitleChars);
  if (project.units().empty()) {
    violations.Add("project.units", "needs at least one responsible unit, \"units/{id}\"");
  }
  limits::CheckCount(violations, "project.units", project.units_size(), limits::kMaxProjectUnits);
  std::set<std::string> units;
  for (int i = 0; i < std::min(project.units_size(), limits::kMaxProjectUnits); ++i) {
    const std::string field = absl::StrCat("project.units[", i, "]");
    if (api::CheckResourceName(violations, field, "units", project.units(i)) &&
        !units.insert(project.units(i)).second) {
      violations.Add(field, absl::StrCat(project.units(i), " is listed twice"));
    }
  }
  api::CheckRegionName(violations, "project.region", project.region());
  api::CheckText(violations, "project.description", project.description(), 0,
                 limits::kMaxProjectDescriptionChars);
  api::CheckText(violations, "project.theme", project.theme(), 0, limits::kMaxProjectThemeChars);
  if (project.anticipated_rank() < 0) {
    violations.Add("project.anticipated_rank", "must be 0 (unknown) or a positive rank");
  }
  if (project.anticipated_rank() > 0 && !project.most_anticipated()) {
    violations.Add("project.anticipated_rank", "is only meaningful with most_anticipated: true");
  }
  limits::CheckCount(violations, "project.outcomes", project.outcomes_size(),
                     limits::kMaxProjectOutcomes);
  for (int i = 0; i < std::min(project.outcomes_size(), limits::kMaxProjectOutcomes); ++i) {
    api::CheckText(violations, absl::StrCat("project.outcomes[", i, "].phrase"),
                   project.outcomes(i).phrase(), 1, limits::kMaxOutcomePhraseChars);
  }
}

namespace {

// Cuts `text` to `max_chars` characters; true when it was longer.
bool CutText(std::string* text, size_t max_chars) {
  if (text::CodePointCount(*text) <= max_chars) return false;
  *text = std::string(text::SubstrByCodePoints(*text, 0, max_chars));
  return true;
}

template <typename Repeated>
bool CutList(Repeated* list, int max) {
  if (list->size() <= max) return false;
  list->DeleteSubrange(max, list->size() - max);
  return true;
}

}  // namespace

bool CutProjectToLimits(v1::Project& project) {
  bool cut = CutList(project.mutable_units(), limits::kMaxProjectUnits);
  cut |= CutList(project.mutable_outcomes(), limits::kMaxProjectOutcomes);
  cut |= CutText(project.mutable_title(), limits::kMaxProjectTitleChars);
  cut |= CutText(project.mutable_description(), limits::kMaxProjectDescriptionChars);
  cut |= CutText(project.mutable_theme(), limits::kMaxProjectThemeChars);
  for (auto& outcome : *project.mutable_outcomes()) {
    cut |= CutText(outcome.mutable_phrase(), limits::kMaxOutcomePhraseChars);
  }
  for (auto& step : *project.mutable_status_history()) {
    cut |= CutText(step.mutable_note(), limits::kMaxNoteChars);
  }
  return cut;
}

bool CutUnitToLimits(v1::Unit& unit) {
  bool cut = CutList(unit.mutable_aliases(), limits::kMaxUnitAliases);
  cut |= CutText(unit.mutable_display_name(), limits::kMaxUnitNameChars);
  for (auto& alias : *unit.mutable_aliases()) {
    cut |= CutText(&alias, limits::kMaxUnitNameChars);
  }
  return cut;
}

bool CutChangeToLimits(v1::Change& change) {
  if (change.ByteSizeLong() <= limits::kMaxRecordBytes) return false;
  for (auto& field : *change.mutable_fields()) {
    field.set_old_value(errors::Shorten(field.old_value(), limits::kMaxChangeValueBytes));
    field.set_new_value(errors::Shorten(field.new_value(), limits::kMaxChangeValueBytes));
  }
  return true;
}

bool FilesAnnualReportByDefault(v1::UnitKind kind) {
  return kind == v1::UNIT_KIND_GOVERNMENT || kind == v1::UNIT_KIND_GOVERNMENT_DEPARTMENT;
}

void NormalizeUnit(absl::string_view unit_id, v1::Unit& unit) {
  unit.set_name(api::UnitName(unit_id));
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

namespace {

const char* StatusName(v1::ProjectStatus status) {
  switch (status) {
    case v1::PROJECT_STATUS_PROPOSED:
      return "proposed";
    case v1::PROJECT_STATUS_REGISTERED:
      return "registered";
    case v1::PROJECT_STATUS_IN_PROGRESS:
      return "in progress";
    case v1::PROJECT_STATUS_DELIVERED:
      return "delivered";
    case v1::PROJECT_STATUS_WITHDRAWN:
      return "withdrawn";
    default:
      return "unspecified";
  }
}

// The fields UpdateProject may change.
const std::set<std::string>& UpdatablePaths() {
  static const auto* paths = new std::set<std::string>{
      "title",       "units",     "region",           "description",      "theme",
      "key_project", "excellent", "most_anticipated", "anticipated_rank", "outcomes",
      "level",       "year"};
  return *paths;
}

bool IsSet(const google::type::Date& d) { return d.year() || d.month() || d.day(); }

bool IsValidDate(const google::type::Date& d) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year() < 2000 || d.year() > api::kMaxYear || d.month() < 1 || d.month() > 12) return false;
  if (d.day() < 1 || d.day() > kDays[d.month() - 1]) return false;
  const bool leap = (d.year() % 4 == 0 && d.year() % 100 != 0) || d.year() % 400 == 0;
  return !(d.month() == 2 && d.day() == 29 && !leap);
}

int DateKey(const google::type::Date& d) { return d.year() * 10000 + d.month() * 100 + d.day(); }

}  // namespace

absl::Status CheckTransition(absl::string_view project, v1::ProjectStatus from,
                             v1::ProjectStatus to) {
  bool allowed = false;
  switch (to) {
    case v1::PROJECT_STATUS_REGISTERED:
      allowed = from == v1::PROJECT_STATUS_PROPOSED;
      break;
    case v1::PROJECT_STATUS_IN_PROGRESS:
      allowed = from == v1::PROJECT_STATUS_REGISTERED;
      break;
    case v1::PROJECT_STATUS_DELIVERED:
      allowed = from == v1::PROJECT_STATUS_IN_PROGRESS;
      break;
    case v1::PROJECT_STATUS_WITHDRAWN:
      allowed = from == v1::PROJECT_STATUS_PROPOSED || from == v1::PROJECT_STATUS_REGISTERED ||
                from == v1::PROJECT_STATUS_IN_PROGRESS;
      break;
    default:
      break;
  }
  if (allowed) return absl::OkStatus();
  return errors::FailedPrecondition(
      "LIFECYCLE", project,
      absl::StrCat("a project cannot go from ", StatusName(from), " to ", StatusName(to),
                   "; the steps are proposed -> registered -> in progress -> delivered, or to "
                   "withdrawn before delivery"));
}

absl::Status CheckReviewable(const v1::Project& project) {
  if (project.status() == v1::PROJECT_STATUS_DELIVERED) return absl::OkStatus();
  return errors::FailedPrecondition(
      "LIFECYCLE", project.name(),
      absl::StrCat("only a delivered project is reviewed at year end; this one is ",
                   StatusName(project.status())));
}

void ValidateTransition(const v1::TransitionProjectRequest& request, const v1::Project& current,
                        errors::FieldViolations& violations) {
  if (request.to_status() == v1::PROJECT_STATUS_UNSPECIFIED ||
      !v1::ProjectStatus_IsValid(request.to_status())) {
    violations.Add("to_status", "is required: REGISTERED, IN_PROGRESS, DELIVERED or WITHDRAWN");
  }
  if (!IsSet(request.effective_date())) {
    violations.Add("effective_date", "is required: the day the step happened");
  } else if (!IsValidDate(request.effective_date())) {
    violations.Add("effective_date", "is not a calendar date between 2000 and 2100");
  } else if (!current.status_history().empty()) {
    const auto& last = current.status_history(current.status_history_size() - 1);
    if (DateKey(request.effective_date()) < DateKey(last.effective_date())) {
      violations.Add(
          "effective_date",
          absl::StrCat("is before the previous step (", last.effective_date().year(), "-",
                       last.effective_date().month(), "-", last.effective_date().day(), ")"));
    }
  }
  api::CheckText(violations, "note", request.note(), 0, limits::kMaxNoteChars);
}

void ValidateReview(const v1::ReviewProjectRequest& request, const v1::Project& current,
                    errors::FieldViolations& violations) {
  if (request.result() == v1::REVIEW_RESULT_UNSPECIFIED ||
      !v1::ReviewResult_IsValid(request.result())) {
    violations.Add("result", "is required: EXCELLENT, PASSED or FAILED");
  }
  if (!IsSet(request.review_date())) {
    violations.Add("review_date", "is required: the day of the review");
  } else if (!IsValidDate(request.review_date())) {
    violations.Add("review_date", "is not a calendar date between 2000 and 2100");
  } else if (!current.status_history().empty()) {
    const auto& delivered = current.status_history(current.status_history_size() - 1);
    if (DateKey(request.review_date()) < DateKey(delivered.effective_date())) {
      violations.Add("review_date",
                     absl::StrCat("is before the delivery (", delivered.effective_date().year(),
                                  "-", delivered.effective_date().month(), "-",
                                  delivered.effective_date().day(), ")"));
    }
  }
  api::CheckText(violations, "note", request.note(), 0, limits::kMaxNoteChars);
}

void ValidateUpdateMask(const google::protobuf::FieldMask& mask,
                        errors::FieldViolations& violations) {
  CheckMaskPaths(mask, UpdatablePaths(),
                 "status changes go through TransitionProject, which dates them", violations);
}

void CheckMaskPaths(const google::protobuf::FieldMask& mask, const std::set<std::string>& allowed,
                    absl::string_view status_hint, errors::FieldViolations& violations) {
  if (mask.paths().empty()) {
    violations.Add("update_mask", "is required: name the fields to change, e.g. \"title\"");
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (path == "status" && !status_hint.empty()) {
      violations.Add(field, std::string(status_hint));
    } else if (allowed.count(path) == 0) {
      violations.Add(field, absl::StrCat("\"", path, "\" is not an updatable field"));
    } else if (!seen.insert(path).second) {
      violations.Add(field, absl::StrCat("\"", path, "\" is named twice"));
    }
  }
}

void ApplyMask(const google::protobuf::FieldMask& mask, const google::protobuf::Message& patch,
               google::protobuf::Message& target) {
  const auto* descriptor = target.GetDescriptor();
  const auto* reflection = target.GetReflection();
  for (const std::string& path : mask.paths()) {
    const auto* field = descriptor->FindFieldByName(path);
    if (field == nullptr) continue;
    // Copy the one field through a scratch message so every type is handled.
    std::unique_ptr<google::protobuf::Message> scratch(patch.New());
    scratch->CopyFrom(patch);
    std::vector<const google::protobuf::FieldDescriptor*> others;
    reflection->ListFields(*scratch, &others);
    for (const auto* other : others) {
      if (other != field) reflection->ClearField(scratch.get(), other);
    }
    reflection->ClearField(&target, field);
    target.MergeFrom(*scratch);
  }
}

std::vector<v1::FieldChange> DiffRecords(const google::protobuf::Message& before,
                                         const google::protobuf::Message& after) {
  static const std::set<std::string> kSkipped = {
      "name", "etag", "create_time", "update_time", "status_history", "files_annual_report"};
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);
  const auto* descriptor = before.GetDescriptor();
  const auto* reflection = before.GetReflection();
  auto only = [&](const google::protobuf::Message& m, const google::protobuf::FieldDescriptor* f) {
    std::unique_ptr<google::protobuf::Message> copy(m.New());
    copy->CopyFrom(m);
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(*copy, &fields);
    for (const auto* other : fields) {
      if (other != f) reflection->ClearField(copy.get(), other);
    }
    std::string text;
    printer.PrintToString(*copy, &text);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  };
  std::vector<v1::FieldChange> changes;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (kSkipped.count(field->name())) continue;
    const std::string old_value = only(before, field);
    const std::string new_value = only(after, field);
    if (old_value == new_value) continue;
    v1::FieldChange change;
    change.set_path(field->name());
    change.set_old_value(errors::Shorten(old_value, limits::kMaxChangeValueBytes));
    change.set_new_value(errors::Shorten(new_value, limits::kMaxChangeValueBytes));
    changes.push_back(std::move(change));
  }
  return changes;
}

const std::set<std::string>& UpdatableRegionPaths() {
  static const auto* paths = new std::set<std::string>{"display_name", "english_name"};
  return *paths;
}

const std::set<std::string>& UpdatableUnitPaths() {
  static const auto* paths = new std::set<std::string>{"display_name",
                                                       "aliases",
                                                       "level",
                                                       "kind",
                                                       "region",
                                                       "parent_unit",
                                                       "files_annual_report_override"};
  return *paths;
}

std::string DescendantCodePrefix(absl::string_view code) {
  std::string prefix(code);
  while (prefix.size() > 2 && prefix.substr(prefix.size() - 2) == "00")
    prefix.resize(prefix.size() - 2);
  return prefix;
}

void ValidateListProjects(const v1::ListProjectsRequest& request,
                          errors::FieldViolations& violations) {
  api::CheckYear(violations, "year", request.year(), /*required=*/false);
  api::CheckRegionName(violations, "region", request.region(), /*required=*/false);
  if (request.include_descendants() && request.region().empty()) {
    violations.Add("include_descendants", "needs a region to take the descendants of");
  }
  api::CheckResourceName(violations, "unit", "units", request.unit(), /*required=*/false);
  if (!v1::ProjectLevel_IsValid(request.level())) violations.Add("level", "is not a known level");
  if (!v1::ProjectStatus_IsValid(request.status())) {
    violations.Add("status", "is not a known status");
  }
  limits::CheckCount(violations, "flags", request.flags_size(), limits::kMaxProjectFlagFilters);
  for (int i = 0; i < std::min(request.flags_size(), limits::kMaxProjectFlagFilters); ++i) {
    if (request.flags(i) == v1::PROJECT_FLAG_UNSPECIFIED ||
        !v1::ProjectFlag_IsValid(request.flags(i))) {
      violations.Add(absl::StrCat("flags[", i, "]"),
                     "must be KEY_PROJECT, MOST_ANTICIPATED or EXCELLENT");
    }
  }
  api::CheckText(violations, "theme", request.theme(), 0, limits::kMaxProjectThemeChars);
  api::CheckText(violations, "text", request.text(), 0, limits::kMaxProjectTextFilterChars);
  ParseProjectOrder(request.order_by(), violations);
}

ProjectOrder ParseProjectOrder(absl::string_view order_by, errors::FieldViolations& violations) {
  static const auto* kFields =
      new std::set<std::string>{"year", "title", "anticipated_rank", "create_time", "update_time"};
  ProjectOrder order;
  if (absl::StripAsciiWhitespace(order_by).empty()) return order;
  for (absl::string_view part : absl::StrSplit(order_by, ',')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(absl::StripAsciiWhitespace(part), ' ', absl::SkipEmpty());
    const bool desc = words.size() == 2 && words[1] == "desc";
    const bool asc = words.size() == 2 && words[1] == "asc";
    if (words.empty() || words.size() > 2 || (words.size() == 2 && !desc && !asc) ||
        kFields->count(std::string(words[0])) == 0) {
      violations.Add("order_by",
                     absl::StrCat("\"", part,
                                  "\" is not an ordering: use year, title, anticipated_rank, "
                                  "create_time or update_time, each optionally followed by desc"));
      return {};
    }
    order.emplace_back(std::string(words[0]), desc);
  }
  if (order.size() > 3) {
    violations.Add("order_by", "orders by at most three fields");
    return {};
  }
  return order;
}

std::string ProjectSortKey(const ProjectOrder& order, const v1::Project& project) {
  std::string key;
  for (const auto& [field, desc] : order) {
    storage::KeyBuilder part('\0');
    if (field == "year") {
      part.AddUint32(static_cast<uint32_t>(project.year()));
    } else if (field == "title") {
      part.AddString(project.title());
    } else if (field == "anticipated_rank") {
      // Unknown ranks (0) after every known one.
      part.AddUint32(project.anticipated_rank() > 0
                         ? static_cast<uint32_t>(project.anticipated_rank())
                         : UINT32_MAX);
    } else {
      const auto& t = field == "create_time" ? project.create_time() : project.update_time();
      part.AddUint64(static_cast<uint64_t>(t.seconds()) << 30 | static_cast<uint32_t>(t.nanos()));
    }
    std::string bytes = part.Build().substr(1);
    // The encodings are prefix-free, so complementing each byte reverses
    // their order.
    if (desc) {
      for (char& c : bytes) c = static_cast<char>(~static_cast<unsigned char>(c));
    }
    key += bytes;
  }
  return storage::KeyBuilder('\0')
      .AddString(key)
      .AddString(api::IdOf("projects", project.name()))
      .Build();
}

bool MatchesProjectFilters(const v1::ListProjectsRequest& request, const v1::Project& project) {
  if (request.year() != 0 && project.year() != request.year()) return false;
  if (request.level() != v1::PROJECT_LEVEL_UNSPECIFIED && project.level() != request.level()) {
    return false;
  }
  if (!request.unit().empty() && std::find(project.units().begin(), project.units().end(),
                                           request.unit()) == project.units().end()) {
    return false;
  }
  if (request.status() != v1::PROJECT_STATUS_UNSPECIFIED && project.status() != request.status()) {
    return false;
  }
  for (int flag : request.flags()) {
    if (flag == v1::PROJECT_FLAG_KEY_PROJECT && !project.key_project()) return false;
    if (flag == v1::PROJECT_FLAG_MOST_ANTICIPATED && !project.most_anticipated()) return false;
    if (flag == v1::PROJECT_FLAG_EXCELLENT && !project.excellent()) return false;
  }
  if (!request.theme().empty() && project.theme() != request.theme()) return false;
  if (!request.text().empty() && project.title().find(request.text()) == std::string::npos &&
      project.description().find(request.text()) == std::string::npos) {
    return false;
  }
  return true;
}

std::string CanonicalProjectQuery(const v1::ListProjectsRequest& request) {
  v1::ListProjectsRequest filters = request;
  filters.clear_page_size();
  filters.clear_page_token();
  std::sort(filters.mutable_flags()->begin(), filters.mutable_flags()->end());
  // Deterministic serialization of the remaining fields is canonical for
  // one binary; tokens do not outlive an upgrade that changes it.
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  filters.SerializeToCodedStream(&coded);
  coded.Trim();
  return absl::StrCat("projects?", absl::BytesToHexString(bytes));
}

std::string EtagOf(uint64_t revision) { return absl::StrCat("r", revision); }

}  // namespace fazhi::catalogue
