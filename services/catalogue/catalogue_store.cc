#include "services/catalogue/catalogue_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "common/storage/store_format.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/catalogue_keys.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/storage/catalogue_records.pb.h"

namespace fazhi::catalogue {
absl::StatusOr<std::unique_ptr<CatalogueStore>> CatalogueStore::Open(
    storage::StoreOptions options) {
  options.column_families = storage::FamilyNames(keys::kFamilies);
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  auto catalogue = std::unique_ptr<CatalogueStore>(new CatalogueStore(std::move(*store)));
  if (absl::Status s = storage::UpgradeFormat(*catalogue->store_, catalogue->meta(), "catalogue",
                                              keys::kStoreFormat, CatalogueMigrations());
      !s.ok()) {
    return s;
  }
  storage::ChangeLog::Options log_options;
  log_options.index_by_resource = true;  // ListChanges reads a record's history
  log_options.audited_records = catalogue->records();
  log_options.name_record = [](absl::string_view key, absl::string_view) {
    return keys::ResourceOfRecord(key);
  };
  auto changes = storage::ChangeLog::Open(
      *catalogue->store_, catalogue->store_->family(keys::Family::kChanges), log_options);
  if (!changes.ok()) return changes.status();
  catalogue->changes_ = *std::move(changes);
  return catalogue;
}

absl::StatusOr<v1::Region> CatalogueStore::CreateRegion(v1::Region region,
                                                        const storage::Caller& caller) {
  region.set_name(api::RegionName(region.code()));
  absl::MutexLock lock(&write_mu_);
  auto existing = store_->Get(records(), keys::Region(region.code()));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Region", region.name(), "the code is already registered");
  }
  if (!region.parent().empty()) {
    const std::string parent_code = api::IdOf("regions", region.parent());
    auto parent = store_->Get(records(), keys::Region(parent_code));
    if (!parent.ok()) return parent.status();
    if (!parent->has_value()) {
      return errors::ReferenceNotFound("region.parent", "Region", region.parent());
    }
    auto parent_record =
        storage::ParseRecord<storage_records::RegionRecord>(**parent, "region record");
    if (!parent_record.ok()) return parent_record.status();
    errors::FieldViolations violations;
    ValidateRegionUnderParent(region, parent_record->region(), violations);
    if (!violations.empty()) return violations.ToStatus();
  }
  region.set_etag(EtagOf(1));
  storage_records::RegionRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  record.set_revision(1);
  *record.mutable_region() = region;
  rocksdb::WriteBatch batch;
  batch.Put(records(), keys::Region(region.code()), record.SerializeAsString());
  const std::string parent_code =
      region.parent().empty() ? std::string() : api::IdOf("regions", region.parent());
  batch.Put(indexes(), keys::RegionChild(parent_code, region.code()), "");
  v1::Change change;
  change.set_resource(region.name());
  change.set_kind(v1::Change::KIND_CREATE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(v1::Region(), region)) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  absl::Status s = Commit(batch, caller);
  if (!s.ok()) return s;
  return region;
}

absl::StatusOr<v1::Region> CatalogueStore::GetRegion(absl::string_view code) {
  auto value = store_->Get(records(), keys::Region(code));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Region", api::RegionName(code));
  auto record = storage::ParseRecord<storage_records::RegionRecord>(**value, "region record");
  if (!record.ok()) return record.status();
  return record->region();
}

absl::StatusOr<v1::ListRegionsResponse> CatalogueStore::ListRegions(
    const v1::ListRegionsRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(),
                                 absl::StrCat("regions?parent=", request.parent()));
  if (!page.ok()) return page.status();

  storage::ScopedSnapshot snapshot(*store_);
  v1::ListRegionsResponse response;
  std::string next;
  absl::Status s;
  if (request.parent().empty()) {
    s = storage::ScanPage(
        *store_, records(), snapshot.get(), keys::RegionsPrefix(), page->resume_after,
        page->page_size,
        [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
          auto record = storage::ParseRecord<storage_records::RegionRecord>(value, "region record");
          if (!record.ok()) return record.status();
          *response.add_regions() = record->region();
          return true;
        },
        &next);
  } else {
    const std::string parent_code = api::IdOf("regions", request.parent());
    const std::string prefix = keys::RegionChildPrefix(parent_code);
    s = storage::ScanPage(
        *store_, indexes(), snapshot.get(), prefix, page->resume_after, page->page_size,
        [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
          auto value =
              store_->Get(records(), keys::Region(keys::TrailingId(key, 1, 0)), snapshot.get());
          if (!value.ok()) return value.status();
          if (!value->has_value()) return false;
          auto record =
              storage::ParseRecord<storage_records::RegionRecord>(**value, "region record");
          if (!record.ok()) return record.status();
          *response.add_regions() = record->region();
          return true;
        },
        &next);
  }
  if (!s.ok()) return s;
  response.set_next_page_token(page->NextToken(next));
  return response;
}

absl::StatusOr<v1::Unit> CatalogueStore::CreateUnit(absl::string_view unit_id, v1::Unit unit,
                                                    const storage::Caller& caller) {
  absl::MutexLock lock(&write_mu_);
  const std::string name = api::UnitName(unit_id);
  auto existing = store_->Get(records(), keys::Unit(unit_id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Unit", name, "the unit id is already registered");
  }
  if (absl::Status s = CheckUnitNamesFree(unit, ""); !s.ok()) return s;
  if (absl::Status s = CheckUnitReferences(unit); !s.ok()) return s;
  unit.set_etag(EtagOf(1));
  storage_records::UnitRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  record.set_revision(1);
  *record.mutable_unit() = unit;
  rocksdb::WriteBatch batch;
  batch.Put(records(), keys::Unit(unit_id), record.SerializeAsString());
  PutUnitIndexes(batch, unit_id, unit);
  v1::Change change;
  change.set_resource(api::UnitName(unit_id));
  change.set_kind(v1::Change::KIND_CREATE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(v1::Unit(), unit)) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  absl::Status s = Commit(batch, caller);
  if (!s.ok()) return s;
  return unit;
}

absl::StatusOr<v1::Unit> CatalogueStore::GetUnit(absl::string_view unit_id) {
  auto value = store_->Get(records(), keys::Unit(unit_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Unit", api::UnitName(unit_id));
  auto record = storage::ParseRecord<storage_records::UnitRecord>(**value, "unit");
  if (!record.ok()) return record.status();
  if (CutUnitToLimits(*record->mutable_unit())) NoteServedCut(record->unit().name());
  return record->unit();
}

void CatalogueStore::NoteServedCut(absl::string_view resource) {
  records_served_cut_.fetch_add(1);
  FAZHI_LOG(WARNING) << resource
                     << " breaks the limits of common/api/limits.h and is served cut to them; "
                        "update the fields over their limits to repair it";
}

absl::StatusOr<v1::Unit> CatalogueStore::LookupUnit(absl::string_view display_name) {
  auto id = store_->Get(indexes(), keys::UnitName(display_name));
  if (!id.ok()) return id.status();
  if (!id->has_value()) {
    return errors::NotFound("Unit", absl::StrCat("named \"", display_name, "\""));
  }
  return GetUnit(**id);
}

absl::StatusOr<v1::ListUnitsResponse> CatalogueStore::ListUnits(
    const v1::ListUnitsRequest& request) {
  auto page = storage::StartPage(request.page_size(), request.page_token(),
                                 absl::StrCat("units?region=", request.region()));
  if (!page.ok()) return page.status();

  storage::ScopedSnapshot snapshot(*store_);
  v1::ListUnitsResponse response;
  std::string next;
  storage::PageBytes page_bytes;
  auto add_unit = [&](absl::string_view bytes) -> absl::StatusOr<bool> {
    auto record = storage::ParseRecord<storage_records::UnitRecord>(bytes, "unit");
    if (!record.ok()) return record.status();
    if (CutUnitToLimits(*record->mutable_unit())) NoteServedCut(record->unit().name());
    page_bytes.Add(record->unit().ByteSizeLong());
    *response.add_units() = record->unit();
    return true;
  };
  absl::Status s;
  if (request.region().empty()) {
    s = storage::ScanPage(
        *store_, records(), snapshot.get(), keys::UnitsPrefix(), page->resume_after,
        page->page_size,
        [&](absl::string_view, absl::string_view value) { return add_unit(value); }, &next,
        &page_bytes);
  } else {
    const std::string prefix = keys::UnitByRegionPrefix(api::IdOf("regions", request.region()));
    s = storage::ScanPage(
        *store_, indexes(), snapshot.get(), prefix, page->resume_after, page->page_size,
        [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
          auto value =
              store_->Get(records(), keys::Unit(keys::TrailingId(key, 1, 0)), snapshot.get());
          if (!value.ok()) return value.status();
          if (!value->has_value()) return false;
          return add_unit(**value);
        },
        &next, &page_bytes);
  }
  if (!s.ok()) return s;
  response.set_next_page_token(page->NextToken(next));
  return response;
}

namespace {

bool HasAnyKey(const storage::Store& store, rocksdb::ColumnFamilyHandle* cf,
               const std::string& prefix, absl::Status* error) {
  std::string next;
  bool found = false;
  *error = storage::ScanPage(
      store, cf, nullptr, prefix, "", 1,
      [&](absl::string_view, absl::string_view) -> absl::StatusOr<bool> {
        found = true;
        return true;
      },
      &next);
  return found;
}

}  // namespace

absl::Status CatalogueStore::CheckUnitNamesFree(const v1::Unit& unit, absl::string_view own_id) {
  std::vector<std::string> names = {unit.display_name()};
  names.insert(names.end(), unit.aliases().begin(), unit.aliases().end());
  for (const auto& n : names) {
    auto holder = store_->Get(indexes(), keys::UnitName(n));
    if (!holder.ok()) return holder.status();
    if (holder->has_value() && **holder != own_id) {
      return errors::AlreadyExists(
          "Unit", api::UnitName(**holder),
          absl::StrCat("the name \"", n, "\" already belongs to units/", **holder));
    }
  }
  return absl::OkStatus();
}

absl::Status CatalogueStore::CheckUnitReferences(const v1::Unit& unit) {
  auto region = store_->Get(records(), keys::Region(api::IdOf("regions", unit.region())));
  if (!region.ok()) return region.status();
  if (!region->has_value())
    return errors::ReferenceNotFound("unit.region", "Region", unit.region());
  if (!unit.parent_unit().empty()) {
    auto parent = store_->Get(records(), keys::Unit(api::IdOf("units", unit.parent_unit())));
    if (!parent.ok()) return parent.status();
    if (!parent->has_value()) {
      return errors::ReferenceNotFound("unit.parent_unit", "Unit", unit.parent_unit());
    }
  }
  return absl::OkStatus();
}

void CatalogueStore::PutUnitIndexes(rocksdb::WriteBatch& batch, absl::string_view unit_id,
                                    const v1::Unit& unit) {
  batch.Put(indexes(), keys::UnitName(unit.display_name()), std::string(unit_id));
  for (const auto& alias : unit.aliases()) {
    batch.Put(indexes(), keys::UnitName(alias), std::string(unit_id));
  }
  batch.Put(indexes(), keys::UnitByRegion(api::IdOf("regions", unit.region()), unit_id), "");
  if (!unit.parent_unit().empty()) {
    batch.Put(indexes(), keys::UnitChild(api::IdOf("units", unit.parent_unit()), unit_id), "");
  }
}

void CatalogueStore::DeleteUnitIndexes(rocksdb::WriteBatch& batch, absl::string_view unit_id,
                                       const v1::Unit& unit) {
  batch.Delete(indexes(), keys::UnitName(unit.display_name()));
  for (const auto& alias : unit.aliases()) batch.Delete(indexes(), keys::UnitName(alias));
  batch.Delete(indexes(), keys::UnitByRegion(api::IdOf("regions", unit.region()), unit_id));
  if (!unit.parent_unit().empty()) {
    batch.Delete(indexes(), keys::UnitChild(api::IdOf("units", unit.parent_unit()), unit_id));
  }
}

absl::StatusOr<v1::Region> CatalogueStore::UpdateRegion(const v1::UpdateRegionRequest& request,
                                                        const storage::Caller& caller) {
  const std::string code = api::IdOf("regions", request.region().name());
  absl::MutexLock lock(&write_mu_);
  auto value = store_->Get(records(), keys::Region(code));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Region", request.region().name());
  auto record = storage::ParseRecord<storage_records::RegionRecord>(**value, "region record");
  if (!record.ok()) return record.status();
  if (!request.etag().empty() && request.etag() != EtagOf(record->revision())) {
    return errors::Aborted("Region", request.region().name(),
                           absl::StrCat("the etag \"", request.etag(), "\" is stale"));
  }
  const v1::Region before = record->region();
  v1::Region after = before;
  ApplyMask(request.update_mask(), request.region(), after);
  errors::FieldViolations violations;
  ValidateRegion(after, violations);
  if (!violations.empty()) return violations.ToStatus();
  auto fields = DiffRecords(before, after);
  if (fields.empty()) return before;
  record->set_revision(record->revision() + 1);
  after.set_etag(EtagOf(record->revision()));
  *record->mutable_region() = after;
  rocksdb::WriteBatch batch;
  batch.Put(records(), keys::Region(code), record->SerializeAsString());
  v1::Change change;
  change.set_resource(after.name());
  change.set_kind(v1::Change::KIND_UPDATE);
  change.set_actor(caller.actor());
  for (auto& field : fields) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  if (absl::Status s = Commit(batch, caller); !s.ok()) return s;
  return after;
}

absl::Status CatalogueStore::DeleteRegion(absl::string_view code, absl::string_view etag,
                                          const storage::Caller& caller) {
  const std::string name = api::RegionName(code);
  absl::MutexLock lock(&write_mu_);
  auto value = store_->Get(records(), keys::Region(code));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Region", name);
  auto record = storage::ParseRecord<storage_records::RegionRecord>(**value, "region record");
  if (!record.ok()) return record.status();
  if (!etag.empty() && etag != EtagOf(record->revision())) {
    return errors::Aborted("Region", name, absl::StrCat("the etag \"", etag, "\" is stale"));
  }
  absl::Status error;
  const std::pair<std::string, const char*> kReferences[] = {
      {keys::RegionChildPrefix(code), "it has child regions"},
      {keys::UnitByRegionPrefix(code), "units belong to it"},
      {keys::ProjectOfRegionPrefix(code), "projects belong to it"}};
  for (const auto& [prefix, why] : kReferences) {
    if (HasAnyKey(*store_, indexes(), prefix, &error)) {
      return errors::FailedPrecondition("REFERENCED", name,
                                        absl::StrCat("cannot be deleted: ", why));
    }
    if (!error.ok()) return error;
  }
  const v1::Region& region = record->region();
  rocksdb::WriteBatch batch;
  batch.Delete(records(), keys::Region(code));
  batch.Delete(
      indexes(),
      keys::RegionChild(
          region.parent().empty() ? std::string() : api::IdOf("regions", region.parent()), code));
  v1::Change change;
  change.set_resource(name);
  change.set_kind(v1::Change::KIND_DELETE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(region, v1::Region())) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  return Commit(batch, caller);
}

absl::StatusOr<v1::Unit> CatalogueStore::UpdateUnit(const v1::UpdateUnitRequest& request,
                                                    const storage::Caller& caller) {
  const std::string id = api::IdOf("units", request.unit().name());
  absl::MutexLock lock(&write_mu_);
  auto value = store_->Get(records(), keys::Unit(id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Unit", request.unit().name());
  auto record = storage::ParseRecord<storage_records::UnitRecord>(**value, "unit record");
  if (!record.ok()) return record.status();
  if (!request.etag().empty() && request.etag() != EtagOf(record->revision())) {
    return errors::Aborted("Unit", request.unit().name(),
                           absl::StrCat("the etag \"", request.etag(), "\" is stale"));
  }
  const v1::Unit before = record->unit();
  v1::Unit after = before;
  ApplyMask(request.update_mask(), request.unit(), after);
  errors::FieldViolations violations;
  ValidateUnit(id, after, violations);
  if (after.parent_unit() == after.name()) {
    violations.Add("unit.parent_unit", "must not be the unit itself");
  }
  if (!violations.empty()) return violations.ToStatus();
  NormalizeUnit(id, after);
  // New names must be free (the unit's own old names may be kept).
  if (absl::Status s = CheckUnitNamesFree(after, id); !s.ok()) return s;
  if (absl::Status s = CheckUnitReferences(after); !s.ok()) return s;
  auto fields = DiffRecords(before, after);
  if (fields.empty()) return before;
  record->set_revision(record->revision() + 1);
  after.set_etag(EtagOf(record->revision()));
  *record->mutable_unit() = after;
  rocksdb::WriteBatch batch;
  DeleteUnitIndexes(batch, id, before);
  PutUnitIndexes(batch, id, after);
  batch.Put(records(), keys::Unit(id), record->SerializeAsString());
  v1::Change change;
  change.set_resource(after.name());
  change.set_kind(v1::Change::KIND_UPDATE);
  change.set_actor(caller.actor());
  for (auto& field : fields) *change.add_fields() = std::move(field);
  LogChange(std::move(change));
  if (absl::Status s = Commit(batch, caller); !s.ok()) return s;
  return after;
}

absl::Status CatalogueStore::DeleteUnit(absl::string_view unit_id, absl::string_view etag,
                                        const storage::Caller& caller) {
  const std::string name = api::UnitName(unit_id);
  absl::MutexLock lock(&write_mu_);
  auto value = store_->Get(records(), keys::Unit(unit_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Unit", name);
  auto record = storage::ParseRecord<storage_records::UnitRecord>(**value, "unit record");
  if (!record.ok()) return record.status();
  if (!etag.empty() && etag != EtagOf(record->revision())) {
    return errors::Aborted("Unit", name, absl::StrCat("the etag \"", etag, "\" is stale"));
  }
  absl::Status error;
  const std::pair<std::string, const char*> kReferences[] = {
      {keys::ProjectByUnitPrefix(unit_id), "projects name it as a responsible unit"},
      {keys::UnitChildPrefix(unit_id), "other units have it as their parent"}};
  for (const auto& [prefix, why] : kReferences) {
    if (HasAnyKey(*store_, indexes(), prefix, &error)) {
      return errors::FailedPrecondition("REFERENCED", name,
                                        absl::StrCat("cannot be deleted: ", why));
    }
    if (!error.ok()) return error;
  }
  rocksdb::WriteBatch batch;
  batch.Delete(records(), keys::Unit(unit_id));
  DeleteUnitIndexes(batch, unit_id, record->unit());
  v1::Change change;
  change.set_resource(name);
  change.set_kind(v1::Change::KIND_DELETE);
  change.set_actor(caller.actor());
  for (auto& field : DiffRecords(record->unit(), v1::Unit())) {
    *change.add_fields() = std::move(field);
  }
  LogChange(std::move(change));
  return Commit(batch, caller);
}

}  // namespace fazhi::catalogue
