// CatalogueStore: projects, their lifecycle and the change log.
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "common/storage/sequence.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/catalogue_keys.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_store.h"

namespace fazhi::catalogue {
namespace {

using storage_records::ChangeRecord;
using storage_records::ProjectRecord;

absl::Status CheckEtag(absl::string_view given, const ProjectRecord& record) {
  if (given.empty() || given == EtagOf(record.revision())) return absl::OkStatus();
  return errors::Aborted("Project", record.project().name(),
                         absl::StrCat("the etag \"", given, "\" is stale; the project is now at \"",
                                      EtagOf(record.revision()), "\""));
}

}  // namespace

absl::StatusOr<ProjectRecord> CatalogueStore::ReadProject(absl::string_view project_id) {
  auto record = ReadProjectAt(project_id, nullptr);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return errors::NotFound("Project", api::ProjectName(project_id));
  return **std::move(record);
}

absl::Status CatalogueStore::CheckProjectReferences(const v1::Project& project) {
  auto region = store_->Get(records(), keys::Region(api::IdOf("regions", project.region())));
  if (!region.ok()) return region.status();
  if (!region->has_value()) {
    return errors::ReferenceNotFound("project.region", "Region", project.region());
  }
  for (int i = 0; i < project.units_size(); ++i) {
    auto unit = store_->Get(records(), keys::Unit(api::IdOf("units", project.units(i))));
    if (!unit.ok()) return unit.status();
    if (!unit->has_value()) {
      return errors::ReferenceNotFound(absl::StrCat("project.units[", i, "]"), "Unit",
                                       project.units(i));
    }
  }
  return absl::OkStatus();
}

absl::Status CatalogueStore::CheckTitleFree(const v1::Project& project, absl::string_view own_id) {
  auto holder = store_->Get(
      indexes(), keys::ProjectTitle(static_cast<uint32_t>(project.year()),
                                    api::IdOf("units", project.units(0)), project.title()));
  if (!holder.ok()) return holder.status();
  if (holder->has_value() && **holder != own_id) {
    return errors::AlreadyExists("Project", api::ProjectName(**holder),
                                 absl::StrCat(project.units(0), " already has a ", project.year(),
                                              " project titled \"", project.title(), "\""));
  }
  return absl::OkStatus();
}

void CatalogueStore::PutProjectIndexes(rocksdb::WriteBatch& batch, absl::string_view id,
                                       const v1::Project& project) {
  const auto year = static_cast<uint32_t>(project.year());
  batch.Put(indexes(), keys::ProjectByYear(year, id), "");
  batch.Put(indexes(), keys::ProjectByRegion(api::IdOf("regions", project.region()), year, id), "");
  batch.Put(indexes(),
            keys::ProjectTitle(year, api::IdOf("units", project.units(0)), project.title()),
            std::string(id));
  for (const auto& unit : project.units()) {
    batch.Put(indexes(), keys::ProjectByUnit(api::IdOf("units", unit), id), "");
  }
}

void CatalogueStore::DeleteProjectIndexes(rocksdb::WriteBatch& batch, absl::string_view id,
                                          const v1::Project& project) {
  const auto year = static_cast<uint32_t>(project.year());
  batch.Delete(indexes(), keys::ProjectByYear(year, id));
  batch.Delete(indexes(), keys::ProjectByRegion(api::IdOf("regions", project.region()), year, id));
  batch.Delete(indexes(),
               keys::ProjectTitle(year, api::IdOf("units", project.units(0)), project.title()));
  for (const auto& unit : project.units()) {
    batch.Delete(indexes(), keys::ProjectByUnit(api::IdOf("units", unit), id));
  }
}

void CatalogueStore::PutProjectRecord(rocksdb::WriteBatch& batch, const ProjectRecord& record) {
  batch.Put(records(), keys::Project(api::IdOf("projects", record.project().name())),
            record.SerializeAsString());
}

void CatalogueStore::LogChange(v1::Change change) {
  *change.mutable_time() = Now();
  if (!pending_changes_.has_value()) pending_changes_.emplace(changes_->StartBatch());
  pending_changes_->Log<ChangeRecord>(std::move(change));
}

absl::Status CatalogueStore::Commit(rocksdb::WriteBatch& batch, const storage::Caller& caller) {
  std::optional<storage::ChangeLog::Batch> logged = std::move(pending_changes_);
  pending_changes_.reset();
  if (!logged.has_value()) logged.emplace(changes_->StartBatch());
  logged->set_caller(caller);
  return changes_->Commit(batch, *logged);
}

uint64_t CatalogueStore::WaitForChangeAfter(uint64_t after, absl::Duration timeout) {
  return changes_->WaitForChangeAfter(after, timeout);
}

absl::StatusOr<std::vector<v1::Change>> CatalogueStore::ChangesAfter(uint64_t after, int limit) {
  auto changes = changes_->ChangesAfter<ChangeRecord>(after, limit);
  if (!changes.ok()) return changes;
  // An entry logged before the limits, too large to send, would stop every
  // stream at it for good: it goes out with its values cut.
  for (auto& change : *changes) {
    if (CutChangeToLimits(change)) changes_served_cut_.fetch_add(1);
  }
  return changes;
}

absl::StatusOr<v1::Project> CatalogueStore::CreateProject(absl::string_view project_id,
                                                          v1::Project project,
                                                          absl::string_view request_id,
                                                          const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), keys::Request("project", request_id));
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return GetProject(api::IdOf("projects", **earlier));
  }
  if (absl::Status s = CheckProjectReferences(project); !s.ok()) return s;
  if (absl::Status s = CheckTitleFree(project, ""); !s.ok()) return s;

  rocksdb::WriteBatch batch;
  std::string id(project_id);
  if (id.empty()) {
    // A client may have chosen an id of the generated form: skip those.
    auto draw = storage::SequenceCounter(*store_, meta(), "project").StartDraw();
    auto next = draw.TakeFree([&](uint64_t n) -> absl::StatusOr<bool> {
      auto found = store_->Get(records(), keys::Project(absl::StrCat("p", project.year(), "-", n)));
      if (!found.ok()) return found.status();
      return found->has_value();
    });
    if (!next.ok()) return next.status();
    draw.Stage(batch);
    id = absl::StrCat("p", project.year(), "-", *next);
  }
  auto existing = store_->Get(records(), keys::Project(id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Project", api::ProjectName(id),
                                 "the project id is already registered");
  }
  project.set_name(api::ProjectName(id));
  *project.mutable_create_time() = Now();
  *project.mutable_update_time() = project.create_time();
  project.set_etag(EtagOf(1));
  ProjectRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  record.set_request_id(std::string(request_id));
  record.set_revision(1);
  *record.mutable_project() = project;
  PutProjectRecord(batch, record);
  PutProjectIndexes(batch, id, project);
  if (!request_id.empty())
    batch.Put(requests(), keys::Request("project", request_id), project.name());
  v1::Change change;
  change.set_resource(project.name());
  change.set_kind(v1::Change::KIND_CREATE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(v1::Project(), project)) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  if (absl::Status s = Commit(batch, caller); !s.ok()) return s;
  return project;
}

absl::StatusOr<std::optional<std::string>> CatalogueStore::ProjectForRequest(
    absl::string_view request_id) {
  return store_->Get(requests(), keys::Request("project", request_id));
}

absl::StatusOr<v1::Project> CatalogueStore::GetProject(absl::string_view project_id) {
  auto record = ReadProject(project_id);
  if (!record.ok()) return record.status();
  if (CutProjectToLimits(*record->mutable_project())) NoteServedCut(record->project().name());
  return record->project();
}

absl::StatusOr<std::optional<ProjectRecord>> CatalogueStore::ReadProjectAt(
    absl::string_view project_id, const rocksdb::Snapshot* snapshot) {
  auto value = store_->Get(records(), keys::Project(project_id), snapshot);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::nullopt;
  auto record = storage::ParseRecord<ProjectRecord>(**value, "project record");
  if (!record.ok()) return record.status();
  return std::optional<ProjectRecord>(*std::move(record));
}

absl::StatusOr<v1::ListProjectsResponse> CatalogueStore::ListProjects(
    const v1::ListProjectsRequest& request) {
  errors::FieldViolations violations;
  const ProjectOrder order = ParseProjectOrder(request.order_by(), violations);
  auto page =
      storage::StartPage(request.page_size(), request.page_token(), CanonicalProjectQuery(request));
  if (!page.ok() && !errors::AddViolationsOf(page.status(), violations)) return page.status();
  if (!violations.empty()) return violations.ToStatus();

  // The narrowest index: by region (and year, unless descendants are
  // wanted, whose keys interleave years), else by year. Other filters are
  // applied to each record.
  const auto year = static_cast<uint32_t>(request.year());
  const bool by_region = !request.region().empty();
  const std::string region_code = api::IdOf("regions", request.region());
  std::string prefix;
  if (by_region && request.include_descendants()) {
    prefix = keys::ProjectByRegionCodePrefix(DescendantCodePrefix(region_code));
  } else if (by_region) {
    prefix = keys::ProjectByRegionPrefix(region_code, year);
  } else {
    prefix = keys::ProjectByYearPrefix(year);
  }
  const int strings_before_id = by_region ? 1 : 0;
  storage::ScopedSnapshot snapshot(*store_);
  v1::ListProjectsResponse response;
  std::string next;
  // Scans the index from `after`, adding up to `limit` matching projects to
  // `out`; `last` receives the key to resume from.
  storage::PageBytes page_bytes;
  auto scan = [&](absl::string_view after, int limit, v1::ListProjectsResponse& out,
                  std::string* last, const storage::PageBytes* bytes) {
    return storage::ScanPage(
        *store_, indexes(), snapshot.get(), prefix, after, limit,
        [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
          auto record = ReadProjectAt(keys::TrailingId(key, strings_before_id, 1), snapshot.get());
          if (!record.ok()) return record.status();
          if (!record->has_value() || !MatchesProjectFilters(request, (*record)->project())) {
            return false;
          }
          if (CutProjectToLimits(*(*record)->mutable_project())) {
            NoteServedCut((*record)->project().name());
          }
          page_bytes.Add((*record)->project().ByteSizeLong());
          *out.add_projects() = (*record)->project();
          return true;
        },
        last, bytes);
  };
  if (!order.empty()) {
    // Ordered by record fields: the whole filtered list is sorted by each
    // project's sort key, and the page starts after the token's key.
    std::vector<std::pair<std::string, const v1::Project*>> ranked;
    v1::ListProjectsResponse all;
    std::string unused;
    if (absl::Status s = scan("", std::numeric_limits<int>::max(), all, &unused, nullptr);
        !s.ok()) {
      return s;
    }
    for (const auto& project : all.projects()) {
      std::string key = ProjectSortKey(order, project);
      if (key > page->resume_after) ranked.emplace_back(std::move(key), &project);
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t take = 0;
    storage::PageBytes ranked_bytes;
    while (take < ranked.size() && take < static_cast<size_t>(page->page_size) &&
           !ranked_bytes.full()) {
      ranked_bytes.Add(ranked[take].second->ByteSizeLong());
      *response.add_projects() = *ranked[take++].second;
    }
    if (take < ranked.size()) next = ranked[take - 1].first;
    response.set_next_page_token(page->NextToken(next));
    return response;
  }
  if (absl::Status s = scan(page->resume_after, page->page_size, response, &next, &page_bytes);
      !s.ok()) {
    return s;
  }
  response.set_next_page_token(page->NextToken(next));
  return response;
}

absl::StatusOr<v1::Project> CatalogueStore::UpdateProject(const v1::UpdateProjectRequest& request,
                                                          const storage::Caller& caller) {
  const std::string id = api::IdOf("projects", request.project().name());
  absl::MutexLock lock(&write_mu_);
  auto record = ReadProject(id);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckEtag(request.etag(), *record); !s.ok()) return s;

  const v1::Project before = record->project();
  v1::Project after = before;
  ApplyMask(request.update_mask(), request.project(), after);
  errors::FieldViolations violations;
  ValidateProject(id, after, violations);
  if (violations.empty()) NormalizeProject(after, violations);
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status s = CheckProjectReferences(after); !s.ok()) return s;
  if (absl::Status s = CheckTitleFree(after, id); !s.ok()) return s;

  std::vector<v1::FieldChange> fields = DiffRecords(before, after);
  if (fields.empty()) return before;  // Nothing changes: no new revision.
  rocksdb::WriteBatch batch;
  DeleteProjectIndexes(batch, id, before);
  PutProjectIndexes(batch, id, after);
  record->set_revision(record->revision() + 1);
  after.set_etag(EtagOf(record->revision()));
  *after.mutable_update_time() = Now();
  *record->mutable_project() = after;
  PutProjectRecord(batch, *record);
  v1::Change change;
  change.set_resource(after.name());
  change.set_kind(v1::Change::KIND_UPDATE);
  change.set_actor(caller.actor());
  for (auto& field : fields) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  if (absl::Status s = Commit(batch, caller); !s.ok()) return s;
  return after;
}

absl::Status CatalogueStore::DeleteProject(absl::string_view project_id, absl::string_view etag,
                                           const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  auto record = ReadProject(project_id);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckEtag(etag, *record); !s.ok()) return s;
  rocksdb::WriteBatch batch;
  batch.Delete(records(), keys::Project(project_id));
  DeleteProjectIndexes(batch, project_id, record->project());
  // A retried create after the delete creates the project anew.
  if (!record->request_id().empty()) {
    batch.Delete(requests(), keys::Request("project", record->request_id()));
  }
  v1::Change change;
  change.set_resource(record->project().name());
  change.set_kind(v1::Change::KIND_DELETE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(record->project(), v1::Project())) {
    *change.add_fields() = std::move(field);
  }
  LogChange(std::move(change));
  return Commit(batch, caller);
}

absl::StatusOr<v1::Project> CatalogueStore::TransitionProject(
    const v1::TransitionProjectRequest& request, const storage::Caller& caller) {
  const std::string id = api::IdOf("projects", request.name());
  absl::MutexLock lock(&write_mu_);
  auto record = ReadProject(id);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckEtag(request.etag(), *record); !s.ok()) return s;
  v1::Project project = record->project();
  errors::FieldViolations violations;
  ValidateTransition(request, project, violations);
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status s = CheckTransition(project.name(), project.status(), request.to_status());
      !s.ok()) {
    return s;
  }
  v1::StatusChange* step = project.add_status_history();
  step->set_from_status(project.status());
  step->set_to_status(request.to_status());
  *step->mutable_effective_date() = request.effective_date();
  step->set_note(request.note());
  step->set_actor(caller.actor());
  *step->mutable_record_time() = Now();
  project.set_status(request.to_status());
  return CommitProjectRevision(*record, std::move(project), step->record_time(),
                               v1::Change::KIND_TRANSITION, caller);
}

absl::StatusOr<v1::Project> CatalogueStore::CommitProjectRevision(
    ProjectRecord& record, v1::Project project, const google::protobuf::Timestamp& time,
    v1::Change::Kind kind, const storage::Caller& caller) {
  record.set_revision(record.revision() + 1);
  project.set_etag(EtagOf(record.revision()));
  *project.mutable_update_time() = time;
  rocksdb::WriteBatch batch;
  v1::Change change;
  change.set_resource(project.name());
  change.set_kind(kind);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(record.project(), project)) {
    *change.add_fields() = std::move(field);
  }
  *record.mutable_project() = project;
  PutProjectRecord(batch, record);
  LogChange(std::move(change));
  if (absl::Status s = Commit(batch, caller); !s.ok()) return s;
  return project;
}

absl::StatusOr<v1::Project> CatalogueStore::ReviewProject(const v1::ReviewProjectRequest& request,
                                                          const storage::Caller& caller) {
  const std::string id = api::IdOf("projects", request.name());
  absl::MutexLock lock(&write_mu_);
  auto record = ReadProject(id);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckEtag(request.etag(), *record); !s.ok()) return s;
  v1::Project project = record->project();
  if (absl::Status s = CheckReviewable(project); !s.ok()) return s;
  errors::FieldViolations violations;
  ValidateReview(request, project, violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::ProjectReview* review = project.mutable_review();
  review->set_result(request.result());
  *review->mutable_review_date() = request.review_date();
  review->set_note(request.note());
  review->set_actor(caller.actor());
  *review->mutable_record_time() = Now();
  project.set_excellent(request.result() == v1::REVIEW_RESULT_EXCELLENT);
  const google::protobuf::Timestamp time = review->record_time();
  return CommitProjectRevision(*record, std::move(project), time, v1::Change::KIND_REVIEW, caller);
}

absl::StatusOr<v1::ListChangesResponse> CatalogueStore::ListChanges(
    const v1::ListChangesRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(),
                                 absl::StrCat("changes?resource=", request.resource()));
  if (!page.ok()) return page.status();
  storage::ScopedSnapshot snapshot(*store_);
  std::string next;
  auto changes = changes_->ChangesOfResource<ChangeRecord>(request.resource(), page->resume_after,
                                                           page->page_size, snapshot.get(), &next);
  if (!changes.ok()) return changes.status();
  if (changes->empty() && request.page_token().empty()) {
    return errors::NotFound("Resource", request.resource());
  }
  v1::ListChangesResponse response;
  for (auto& change : *changes) {
    if (CutChangeToLimits(change)) changes_served_cut_.fetch_add(1);
    *response.add_changes() = std::move(change);
  }
  response.set_next_page_token(page->NextToken(next));
  return response;
}

}  // namespace fazhi::catalogue
