#include "services/catalogue/catalogue_service.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"
#include "services/catalogue/catalogue_rules.h"

namespace fazhi::catalogue {
namespace {

using server::MethodRule;
using server::Permission;

bool HasViolationOn(const errors::FieldViolations& violations, const std::string& field) {
  for (const auto& v : violations.bad_request().field_violations()) {
    if (v.field() == field) return true;
  }
  return false;
}

// Who may call what. Reads need READER (or any role that reads); the
// registry (regions, units) and deletions are the system administrator's;
// projects are filed by the district reporter of their region, reviewed by
// the reviewer of their region.
std::map<std::string, MethodRule> Rules() {
  const MethodRule read = MethodRule::Needs(Permission::kRead);
  const MethodRule administer = MethodRule::Needs(Permission::kAdminister);
  const MethodRule file = MethodRule::Needs(Permission::kFile);
  const MethodRule review = MethodRule::Needs(Permission::kReview);
  return {
      {"CreateRegion", administer},
      {"GetRegion", read},
      {"ListRegions", read},
      {"UpdateRegion", administer},
      {"DeleteRegion", administer},
      {"CreateUnit", administer},
      {"GetUnit", read},
      {"ListUnits", read},
      {"LookupUnit", read},
      {"UpdateUnit", administer},
      {"DeleteUnit", administer},
      {"CreateProject", file},
      {"GetProject", read},
      {"ListProjects", read},
      {"UpdateProject", file},
      {"DeleteProject", administer},
      {"TransitionProject", file},
      {"ReviewProject", review},
      {"ImportProjects", file},
      {"ListChanges", read},
      {"WatchChanges", read},
  };
}

}  // namespace

CatalogueServiceImpl::CatalogueServiceImpl(CatalogueStore* store, server::Authorizer& authorizer)
    : store_(store),
      authorizer_(authorizer),
      rules_(authorizer.Register(v1::CatalogueService::service_full_name(), Rules())) {}

absl::StatusOr<storage::Caller> CatalogueServiceImpl::AuthorizeProjectWrite(
    const grpc::ServerContext& context, absl::string_view method, std::vector<std::string> regions,
    bool marks_excellent, absl::string_view request_id) {
  // Marking 优秀 is the review's decision: the reviewer's, not the filer's.
  std::optional<Permission> also;
  if (marks_excellent) also = Permission::kReview;
  // An import was admitted once, for the whole call; its rows spend no
  // further rate tokens.
  if (method == "ImportProjects") {
    return authorizer_.AuthorizeWithinCall(context, rules_.Of(method), regions, request_id, also);
  }
  return authorizer_.Authorize(context, rules_.Of(method), regions, request_id, also);
}

absl::StatusOr<std::string> CatalogueServiceImpl::RegionOfProject(absl::string_view project_name) {
  auto project = store_->GetProject(api::IdOf("projects", project_name));
  if (!project.ok()) return project.status();
  return api::RegionCodeOf(project->region());
}

grpc::Status CatalogueServiceImpl::CreateRegion(grpc::ServerContext* context,
                                                const v1::CreateRegionRequest* request,
                                                v1::Region* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("CreateRegion"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  ValidateRegion(request->region(), violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->CreateRegion(request->region(), *caller), response);
}

grpc::Status CatalogueServiceImpl::GetRegion(grpc::ServerContext* context,
                                             const v1::GetRegionRequest* request,
                                             v1::Region* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("GetRegion"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckRegionName(violations, "name", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->GetRegion(api::IdOf("regions", request->name())), response);
}

grpc::Status CatalogueServiceImpl::ListRegions(grpc::ServerContext* context,
                                               const v1::ListRegionsRequest* request,
                                               v1::ListRegionsResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListRegions"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckRegionName(violations, "parent", request->parent(), /*required=*/false);
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListRegions(*request), response);
}

grpc::Status CatalogueServiceImpl::CreateUnit(grpc::ServerContext* context,
                                              const v1::CreateUnitRequest* request,
                                              v1::Unit* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("CreateUnit"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  ValidateUnit(request->unit_id(), request->unit(), violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  v1::Unit unit = request->unit();
  NormalizeUnit(request->unit_id(), unit);
  return ReplyWith(store_->CreateUnit(request->unit_id(), std::move(unit), *caller), response);
}

grpc::Status CatalogueServiceImpl::GetUnit(grpc::ServerContext* context,
                                           const v1::GetUnitRequest* request, v1::Unit* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("GetUnit"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "units", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->GetUnit(api::IdOf("units", request->name())), response);
}

grpc::Status CatalogueServiceImpl::ListUnits(grpc::ServerContext* context,
                                             const v1::ListUnitsRequest* request,
                                             v1::ListUnitsResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListUnits"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckRegionName(violations, "region", request->region(), /*required=*/false);
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListUnits(*request), response);
}

grpc::Status CatalogueServiceImpl::LookupUnit(grpc::ServerContext* context,
                                              const v1::LookupUnitRequest* request,
                                              v1::Unit* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("LookupUnit"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckText(violations, "display_name", request->display_name(), 1,
                      limits::kMaxUnitNameChars)) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->LookupUnit(request->display_name()), response);
}

absl::StatusOr<v1::Project> CatalogueServiceImpl::Create(const v1::CreateProjectRequest& request,
                                                         const storage::Caller& caller) {
  errors::FieldViolations violations;
  ValidateProject(request.project_id(), request.project(), violations);
  api::CheckRequestId(violations, "request_id", request.request_id());
  v1::Project project = request.project();
  // Outcome figures are read whatever else is wrong, so that the caller
  // hears of every fault at once; a phrase already reported (empty, too
  // long) is not reported again for its figure.
  errors::FieldViolations figures;
  NormalizeProject(project, figures);
  for (const auto& v : figures.bad_request().field_violations()) {
    if (!HasViolationOn(violations, v.field())) violations.Add(v.field(), v.description());
  }
  if (!violations.empty()) return violations.ToStatus();
  return store_->CreateProject(request.project_id(), std::move(project), request.request_id(),
                               caller);
}

grpc::Status CatalogueServiceImpl::CreateProject(grpc::ServerContext* context,
                                                 const v1::CreateProjectRequest* request,
                                                 v1::Project* response) {
  auto caller = AuthorizeProjectWrite(*context, "CreateProject",
                                      {api::RegionCodeOf(request->project().region())},
                                      request->project().excellent(), request->request_id());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(Create(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::ImportProjects(grpc::ServerContext* context,
                                                  grpc::ServerReader<v1::ImportProjectRow>* reader,
                                                  v1::ImportProjectsResponse* response) {
  // A caller who may file nothing is refused once, for the whole import.
  if (auto allowed = authorizer_.AuthorizeSomewhere(*context, rules_.Of("ImportProjects"));
      !allowed.ok()) {
    return ToGrpcStatus(allowed.status());
  }
  v1::ImportProjectRow row;
  int rows_read = 0;
  while (reader->Read(&row)) {
    if (++rows_read > limits::kMaxImportRows) {
      // The rows before were each written (or rejected) on their own; the
      // caller resumes from this one, and rows already imported with a
      // request_id are not written twice.
      return ToGrpcStatus(errors::InvalidField(
          "row",
          absl::StrCat("one call imports at most ", limits::kMaxImportRows, " rows; row ",
                       row.row(), " and those after it were not read: send them in another call")));
    }
    v1::CreateProjectRequest create = row.create();
    // Each row is its own write, authorized for its own region.
    auto caller = AuthorizeProjectWrite(*context, "ImportProjects",
                                        {api::RegionCodeOf(create.project().region())},
                                        create.project().excellent(), create.request_id());
    absl::Status status = caller.status();
    // Every fault of the row's own fields is reported together.
    errors::FieldViolations violations;
    if (row.row() < 1) violations.Add("row", "must be the caller's row number, 1 or more");
    limits::CheckCount(violations, "unit_names", row.unit_names_size(), limits::kMaxProjectUnits);
    const int names = std::min(row.unit_names_size(), limits::kMaxProjectUnits);
    for (int i = 0; status.ok() && i < names; ++i) {
      auto unit = store_->LookupUnit(row.unit_names(i));
      if (unit.ok()) {
        create.mutable_project()->add_units(unit->name());
      } else if (absl::IsNotFound(unit.status())) {
        violations.Add(
            absl::StrCat("unit_names[", i, "]"),
            absl::StrCat("no unit is named \"", row.unit_names(i), "\" (name or alias)"));
      } else {
        status = unit.status();
      }
    }
    if (status.ok() && !violations.empty()) status = violations.ToStatus();
    bool replayed = false;
    if (status.ok()) {
      // A row imported before (same request_id) is not written again.
      if (!create.request_id().empty()) {
        auto earlier = store_->ProjectForRequest(create.request_id());
        if (!earlier.ok()) {
          status = earlier.status();
        } else if (earlier->has_value()) {
          replayed = true;
          response->set_already_present(response->already_present() + 1);
          response->add_projects(**earlier);
        }
      }
    }
    if (status.ok() && !replayed) {
      auto created = Create(create, *caller);
      if (created.ok()) {
        response->set_accepted(response->accepted() + 1);
        response->add_projects(created->name());
      } else {
        status = created.status();
      }
    }
    if (!status.ok()) {
      auto* rejected = response->add_rejected();
      rejected->set_row(row.row());
      rejected->set_code(absl::StatusCodeToString(status.code()));
      rejected->set_message(std::string(status.message()));
      google::rpc::BadRequest bad;
      if (errors::GetDetail(status, &bad)) {
        for (const auto& v : bad.field_violations()) rejected->add_fields(v.field());
      }
    }
  }
  return grpc::Status::OK;
}

grpc::Status CatalogueServiceImpl::GetProject(grpc::ServerContext* context,
                                              const v1::GetProjectRequest* request,
                                              v1::Project* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("GetProject"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "projects", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ReplyWith(store_->GetProject(api::IdOf("projects", request->name())), response);
}

grpc::Status CatalogueServiceImpl::ListProjects(grpc::ServerContext* context,
                                                const v1::ListProjectsRequest* request,
                                                v1::ListProjectsResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListProjects"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  ValidateListProjects(*request, violations);
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListProjects(*request), response);
}

grpc::Status CatalogueServiceImpl::UpdateProject(grpc::ServerContext* context,
                                                 const v1::UpdateProjectRequest* request,
                                                 v1::Project* response) {
  errors::FieldViolations violations;
  api::CheckResourceName(violations, "project.name", "projects", request->project().name());
  ValidateUpdateMask(request->update_mask(), violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  // The project's region now, and the one it moves to.
  auto region = RegionOfProject(request->project().name());
  if (!region.ok()) return ToGrpcStatus(region.status());
  std::vector<std::string> regions = {*region};
  bool marks_excellent = false;
  for (const auto& path : request->update_mask().paths()) {
    if (path == "region") regions.push_back(api::RegionCodeOf(request->project().region()));
    if (path == "excellent") marks_excellent = true;
  }
  auto caller = AuthorizeProjectWrite(*context, "UpdateProject", regions, marks_excellent);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(store_->UpdateProject(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::DeleteProject(grpc::ServerContext* context,
                                                 const v1::DeleteProjectRequest* request,
                                                 google::protobuf::Empty*) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("DeleteProject"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "projects", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ToGrpcStatus(
      store_->DeleteProject(api::IdOf("projects", request->name()), request->etag(), *caller));
}

grpc::Status CatalogueServiceImpl::TransitionProject(grpc::ServerContext* context,
                                                     const v1::TransitionProjectRequest* request,
                                                     v1::Project* response) {
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "projects", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  auto region = RegionOfProject(request->name());
  if (!region.ok()) return ToGrpcStatus(region.status());
  auto caller = authorizer_.Authorize(*context, rules_.Of("TransitionProject"), {*region}, "");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(store_->TransitionProject(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::ReviewProject(grpc::ServerContext* context,
                                                 const v1::ReviewProjectRequest* request,
                                                 v1::Project* response) {
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "projects", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  auto region = RegionOfProject(request->name());
  if (!region.ok()) return ToGrpcStatus(region.status());
  auto caller = authorizer_.Authorize(*context, rules_.Of("ReviewProject"), {*region}, "");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(store_->ReviewProject(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::ListChanges(grpc::ServerContext* context,
                                               const v1::ListChangesRequest* request,
                                               v1::ListChangesResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListChanges"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  const std::string& resource = request->resource();
  if (absl::StartsWith(resource, "regions/")) {
    api::CheckRegionName(violations, "resource", resource);
  } else if (absl::StartsWith(resource, "units/")) {
    api::CheckResourceName(violations, "resource", "units", resource);
  } else {
    api::CheckResourceName(violations, "resource", "projects", resource);
  }
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->ListChanges(*request), response);
}

grpc::ServerWriteReactor<v1::Change>* CatalogueServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) {
  return watches_.WatchFor(authorizer_, rules_.Of("WatchChanges"), context,
                           request->after_sequence());
}

grpc::Status CatalogueServiceImpl::UpdateRegion(grpc::ServerContext* context,
                                                const v1::UpdateRegionRequest* request,
                                                v1::Region* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("UpdateRegion"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckRegionName(violations, "region.name", request->region().name());
  CheckMaskPaths(request->update_mask(), UpdatableRegionPaths(), "", violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->UpdateRegion(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::DeleteRegion(grpc::ServerContext* context,
                                                const v1::DeleteRegionRequest* request,
                                                google::protobuf::Empty*) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("DeleteRegion"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckRegionName(violations, "name", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ToGrpcStatus(
      store_->DeleteRegion(api::IdOf("regions", request->name()), request->etag(), *caller));
}

grpc::Status CatalogueServiceImpl::UpdateUnit(grpc::ServerContext* context,
                                              const v1::UpdateUnitRequest* request,
                                              v1::Unit* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("UpdateUnit"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckResourceName(violations, "unit.name", "units", request->unit().name());
  CheckMaskPaths(request->update_mask(), UpdatableUnitPaths(), "", violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ReplyWith(store_->UpdateUnit(*request, *caller), response);
}

grpc::Status CatalogueServiceImpl::DeleteUnit(grpc::ServerContext* context,
                                              const v1::DeleteUnitRequest* request,
                                              google::protobuf::Empty*) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("DeleteUnit"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!api::CheckResourceName(violations, "name", "units", request->name())) {
    return ToGrpcStatus(violations.ToStatus());
  }
  return ToGrpcStatus(
      store_->DeleteUnit(api::IdOf("units", request->name()), request->etag(), *caller));
}

}  // namespace fazhi::catalogue
