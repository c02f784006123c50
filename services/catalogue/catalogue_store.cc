#include "services/catalogue/catalogue_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/storage/catalogue_records.pb.h"

namespace fazhi::catalogue {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

std::string RegionKey(absl::string_view code) { return KeyBuilder('g').AddString(code).Build(); }
std::string UnitKey(absl::string_view id) { return KeyBuilder('u').AddString(id).Build(); }
std::string ProjectKey(absl::string_view id) { return KeyBuilder('p').AddString(id).Build(); }
std::string UnitNameKey(absl::string_view name) { return KeyBuilder('n').AddString(name).Build(); }
std::string RequestKey(absl::string_view kind, absl::string_view request_id) {
  return KeyBuilder('q').AddString(kind).AddString(request_id).Build();
}

// The last component of an index key whose trailing component is an id
// string.
std::string TrailingId(absl::string_view key, int strings_before, int uints_before) {
  KeyReader reader(key);
  char tag;
  reader.ReadTag(&tag);
  std::string s;
  uint32_t u;
  for (int i = 0; i < strings_before; ++i) reader.ReadString(&s);
  for (int i = 0; i < uints_before; ++i) reader.ReadUint32(&u);
  reader.ReadString(&s);
  return s;
}

}  // namespace

const std::vector<std::string>& CatalogueStore::ColumnFamilies() {
  static const auto* families =
      new std::vector<std::string>{"records", "indexes", "requests", "meta"};
  return *families;
}

absl::StatusOr<std::unique_ptr<CatalogueStore>> CatalogueStore::Open(
    storage::StoreOptions options) {
  options.column_families = ColumnFamilies();
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<CatalogueStore>(new CatalogueStore(std::move(*store)));
}

absl::StatusOr<v1::Region> CatalogueStore::CreateRegion(v1::Region region) {
  region.set_name(api::RegionName(region.code()));
  absl::MutexLock lock(&write_mu_);
  auto existing = store_->Get(records(), RegionKey(region.code()));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Region", region.name(), "the code is already registered");
  }
  if (!region.parent().empty()) {
    const std::string parent_code = api::IdOf("regions", region.parent());
    auto parent = store_->Get(records(), RegionKey(parent_code));
    if (!parent.ok()) return parent.status();
    if (!parent->has_value()) {
      return errors::ReferenceNotFound("region.parent", "Region", region.parent());
    }
  }
  storage_records::RegionRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_region() = region;
  rocksdb::WriteBatch batch;
  batch.Put(records(), RegionKey(region.code()), record.SerializeAsString());
  const std::string parent_code =
      region.parent().empty() ? std::string() : api::IdOf("regions", region.parent());
  batch.Put(indexes(), KeyBuilder('c').AddString(parent_code).AddString(region.code()).Build(), "");
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
  return region;
}

absl::StatusOr<v1::Region> CatalogueStore::GetRegion(absl::string_view code) {
  auto value = store_->Get(records(), RegionKey(code));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Region", api::RegionName(code));
  auto record = storage::ParseRecord<storage_records::RegionRecord>(**value, "region record");
  if (!record.ok()) return record.status();
  return record->region();
}

absl::StatusOr<v1::ListRegionsResponse> CatalogueStore::ListRegions(
    const v1::ListRegionsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint =
      storage::QueryFingerprint(absl::StrCat("regions?parent=", request.parent()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();

  storage::ScopedSnapshot snapshot(*store_);
  v1::ListRegionsResponse response;
  std::string next;
  absl::Status s;
  if (request.parent().empty()) {
    s = storage::ScanPage(
        *store_, records(), snapshot.get(), "g", *resume, *page_size,
        [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
          auto record = storage::ParseRecord<storage_records::RegionRecord>(value, "region record");
          if (!record.ok()) return record.status();
          *response.add_regions() = record->region();
          return true;
        },
        &next);
  } else {
    const std::string parent_code = api::IdOf("regions", request.parent());
    const std::string prefix = KeyBuilder('c').AddString(parent_code).Build();
    s = storage::ScanPage(
        *store_, indexes(), snapshot.get(), prefix, *resume, *page_size,
        [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
          auto value = store_->Get(records(), RegionKey(TrailingId(key, 1, 0)), snapshot.get());
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
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

absl::StatusOr<v1::Unit> CatalogueStore::CreateUnit(absl::string_view unit_id, v1::Unit unit) {
  absl::MutexLock lock(&write_mu_);
  const std::string name = absl::StrCat("units/", unit_id);
  auto existing = store_->Get(records(), UnitKey(unit_id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Unit", name, "the unit id is already registered");
  }
  std::vector<std::string> names = {unit.display_name()};
  names.insert(names.end(), unit.aliases().begin(), unit.aliases().end());
  for (const auto& n : names) {
    auto holder = store_->Get(indexes(), UnitNameKey(n));
    if (!holder.ok()) return holder.status();
    if (holder->has_value()) {
      return errors::AlreadyExists(
          "Unit", absl::StrCat("units/", **holder),
          absl::StrCat("the name \"", n, "\" already belongs to units/", **holder));
    }
  }
  const std::string region_code = api::IdOf("regions", unit.region());
  auto region = store_->Get(records(), RegionKey(region_code));
  if (!region.ok()) return region.status();
  if (!region->has_value())
    return errors::ReferenceNotFound("unit.region", "Region", unit.region());
  if (!unit.parent_unit().empty()) {
    auto parent = store_->Get(records(), UnitKey(api::IdOf("units", unit.parent_unit())));
    if (!parent.ok()) return parent.status();
    if (!parent->has_value()) {
      return errors::ReferenceNotFound("unit.parent_unit", "Unit", unit.parent_unit());
    }
  }
  storage_records::UnitRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_unit() = unit;
  rocksdb::WriteBatch batch;
  batch.Put(records(), UnitKey(unit_id), record.SerializeAsString());
  for (const auto& n : names) batch.Put(indexes(), UnitNameKey(n), std::string(unit_id));
  batch.Put(indexes(), KeyBuilder('v').AddString(region_code).AddString(unit_id).Build(), "");
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
  return unit;
}

absl::StatusOr<v1::Unit> CatalogueStore::GetUnit(absl::string_view unit_id) {
  auto value = store_->Get(records(), UnitKey(unit_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Unit", absl::StrCat("units/", unit_id));
  auto record = storage::ParseRecord<storage_records::UnitRecord>(**value, "unit");
  if (!record.ok()) return record.status();
  return record->unit();
}

absl::StatusOr<v1::Unit> CatalogueStore::LookupUnit(absl::string_view display_name) {
  auto id = store_->Get(indexes(), UnitNameKey(display_name));
  if (!id.ok()) return id.status();
  if (!id->has_value()) {
    return errors::NotFound("Unit", absl::StrCat("named \"", display_name, "\""));
  }
  return GetUnit(**id);
}

absl::StatusOr<v1::ListUnitsResponse> CatalogueStore::ListUnits(
    const v1::ListUnitsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint =
      storage::QueryFingerprint(absl::StrCat("units?region=", request.region()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();

  storage::ScopedSnapshot snapshot(*store_);
  v1::ListUnitsResponse response;
  std::string next;
  auto add_unit = [&](absl::string_view bytes) -> absl::StatusOr<bool> {
    auto record = storage::ParseRecord<storage_records::UnitRecord>(bytes, "unit");
    if (!record.ok()) return record.status();
    *response.add_units() = record->unit();
    return true;
  };
  absl::Status s;
  if (request.region().empty()) {
    s = storage::ScanPage(
        *store_, records(), snapshot.get(), "u", *resume, *page_size,
        [&](absl::string_view, absl::string_view value) { return add_unit(value); }, &next);
  } else {
    const std::string prefix =
        KeyBuilder('v').AddString(api::IdOf("regions", request.region())).Build();
    s = storage::ScanPage(
        *store_, indexes(), snapshot.get(), prefix, *resume, *page_size,
        [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
          auto value = store_->Get(records(), UnitKey(TrailingId(key, 1, 0)), snapshot.get());
          if (!value.ok()) return value.status();
          if (!value->has_value()) return false;
          return add_unit(**value);
        },
        &next);
  }
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

absl::StatusOr<v1::Project> CatalogueStore::CreateProject(absl::string_view project_id,
                                                          v1::Project project,
                                                          absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), RequestKey("project", request_id));
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return GetProject(api::IdOf("projects", **earlier));
  }
  // References.
  const std::string region_code = api::IdOf("regions", project.region());
  auto region = store_->Get(records(), RegionKey(region_code));
  if (!region.ok()) return region.status();
  if (!region->has_value()) {
    return errors::ReferenceNotFound("project.region", "Region", project.region());
  }
  for (int i = 0; i < project.units_size(); ++i) {
    auto unit = store_->Get(records(), UnitKey(api::IdOf("units", project.units(i))));
    if (!unit.ok()) return unit.status();
    if (!unit->has_value()) {
      return errors::ReferenceNotFound(absl::StrCat("project.units[", i, "]"), "Unit",
                                       project.units(i));
    }
  }
  // Uniqueness of the title for the first unit and year.
  const std::string first_unit = api::IdOf("units", project.units(0));
  const std::string title_key = KeyBuilder('t')
                                    .AddUint32(static_cast<uint32_t>(project.year()))
                                    .AddString(first_unit)
                                    .AddString(project.title())
                                    .Build();
  auto same_title = store_->Get(indexes(), title_key);
  if (!same_title.ok()) return same_title.status();
  if (same_title->has_value()) {
    return errors::AlreadyExists("Project", absl::StrCat("projects/", **same_title),
                                 absl::StrCat(project.units(0), " already has a ", project.year(),
                                              " project titled \"", project.title(), "\""));
  }
  rocksdb::WriteBatch batch;
  std::string id(project_id);
  if (id.empty()) {
    // A client may have chosen an id of the generated form: skip those.
    auto next = storage::TakeFreeSequence(
        *store_, meta(), "project",
        [&](uint64_t n) -> absl::StatusOr<bool> {
          auto found =
              store_->Get(records(), ProjectKey(absl::StrCat("p", project.year(), "-", n)));
          if (!found.ok()) return found.status();
          return found->has_value();
        },
        &batch);
    if (!next.ok()) return next.status();
    id = absl::StrCat("p", project.year(), "-", *next);
  }
  auto existing = store_->Get(records(), ProjectKey(id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Project", absl::StrCat("projects/", id),
                                 "the project id is already registered");
  }
  project.set_name(absl::StrCat("projects/", id));
  *project.mutable_create_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  storage_records::ProjectRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_project() = project;
  record.set_request_id(std::string(request_id));
  batch.Put(records(), ProjectKey(id), record.SerializeAsString());
  const auto year = static_cast<uint32_t>(project.year());
  batch.Put(indexes(), KeyBuilder('y').AddUint32(year).AddString(id).Build(), "");
  batch.Put(indexes(), KeyBuilder('r').AddString(region_code).AddUint32(year).AddString(id).Build(),
            "");
  batch.Put(indexes(), title_key, id);
  if (!request_id.empty()) {
    batch.Put(requests(), RequestKey("project", request_id), project.name());
  }
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
  return project;
}

absl::StatusOr<v1::Project> CatalogueStore::GetProject(absl::string_view project_id) {
  auto value = store_->Get(records(), ProjectKey(project_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return errors::NotFound("Project", absl::StrCat("projects/", project_id));
  }
  auto record = storage::ParseRecord<storage_records::ProjectRecord>(**value, "project");
  if (!record.ok()) return record.status();
  return record->project();
}

absl::StatusOr<v1::ListProjectsResponse> CatalogueStore::ListProjects(
    const v1::ListProjectsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint = storage::QueryFingerprint(
      absl::StrCat("projects?year=", request.year(), "&region=", request.region()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();

  // Both indexes order by (year, id); the region index is narrowed by region
  // and, when given, year; the year index by year.
  std::string prefix;
  int strings_before_id = 0;
  if (!request.region().empty()) {
    KeyBuilder b('r');
    b.AddString(api::IdOf("regions", request.region()));
    if (request.year() != 0) b.AddUint32(static_cast<uint32_t>(request.year()));
    prefix = b.Build();
    strings_before_id = 1;
  } else {
    KeyBuilder b('y');
    if (request.year() != 0) b.AddUint32(static_cast<uint32_t>(request.year()));
    prefix = b.Build();
  }
  storage::ScopedSnapshot snapshot(*store_);
  v1::ListProjectsResponse response;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, indexes(), snapshot.get(), prefix, *resume, *page_size,
      [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
        const std::string id = TrailingId(key, strings_before_id, 1);
        auto value = store_->Get(records(), ProjectKey(id), snapshot.get());
        if (!value.ok()) return value.status();
        if (!value->has_value()) return false;
        auto record = storage::ParseRecord<storage_records::ProjectRecord>(**value, "project");
        if (!record.ok()) return record.status();
        *response.add_projects() = record->project();
        return true;
      },
      &next);
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

}  // namespace fazhi::catalogue
