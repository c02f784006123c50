#include "services/catalogue/catalogue_keys.h"

#include "common/api/resource_names.h"
#include "common/storage/key_codec.h"

namespace fazhi::catalogue::keys {

using storage::KeyBuilder;
using storage::KeyReader;

std::string Region(absl::string_view code) { return KeyBuilder('g').AddString(code).Build(); }
std::string ResourceOfRecord(absl::string_view key) {
  storage::KeyReader reader(key);
  char tag = 0;
  std::string id;
  if (!reader.ReadTag(&tag) || !reader.ReadString(&id) || !reader.Done()) return "";
  switch (tag) {
    case 'g':
      return api::RegionName(id);
    case 'u':
      return api::UnitName(id);
    case 'p':
      return api::ProjectName(id);
    default:
      return "";
  }
}

std::string RegionsPrefix() { return KeyBuilder('g').Build(); }
std::string UnitsPrefix() { return KeyBuilder('u').Build(); }
std::string Unit(absl::string_view unit_id) { return KeyBuilder('u').AddString(unit_id).Build(); }
std::string Project(absl::string_view project_id) {
  return KeyBuilder('p').AddString(project_id).Build();
}

std::string RegionChild(absl::string_view parent_code, absl::string_view child_code) {
  return KeyBuilder('c').AddString(parent_code).AddString(child_code).Build();
}
std::string RegionChildPrefix(absl::string_view parent_code) {
  return KeyBuilder('c').AddString(parent_code).Build();
}
std::string UnitName(absl::string_view name) { return KeyBuilder('n').AddString(name).Build(); }
std::string UnitByRegion(absl::string_view region_code, absl::string_view unit_id) {
  return KeyBuilder('v').AddString(region_code).AddString(unit_id).Build();
}
std::string UnitByRegionPrefix(absl::string_view region_code) {
  return KeyBuilder('v').AddString(region_code).Build();
}
std::string ProjectByYear(uint32_t year, absl::string_view project_id) {
  return KeyBuilder('y').AddUint32(year).AddString(project_id).Build();
}
std::string ProjectByRegion(absl::string_view region_code, uint32_t year,
                            absl::string_view project_id) {
  return KeyBuilder('r').AddString(region_code).AddUint32(year).AddString(project_id).Build();
}
std::string ProjectByYearPrefix(uint32_t year) {
  KeyBuilder b('y');
  if (year != 0) b.AddUint32(year);
  return b.Build();
}
std::string ProjectByRegionPrefix(absl::string_view region_code, uint32_t year) {
  KeyBuilder b('r');
  b.AddString(region_code);
  if (year != 0) b.AddUint32(year);
  return b.Build();
}
std::string ProjectByRegionCodePrefix(absl::string_view code_prefix) {
  // The raw bytes of a string component before its terminator sort like the
  // string, so an unterminated prefix selects every code that starts with it.
  return std::string(1, 'r') + std::string(code_prefix);
}
std::string ProjectTitle(uint32_t year, absl::string_view first_unit_id, absl::string_view title) {
  return KeyBuilder('t').AddUint32(year).AddString(first_unit_id).AddString(title).Build();
}

std::string ProjectByUnit(absl::string_view unit_id, absl::string_view project_id) {
  return KeyBuilder('w').AddString(unit_id).AddString(project_id).Build();
}
std::string ProjectByUnitPrefix(absl::string_view unit_id) {
  return KeyBuilder('w').AddString(unit_id).Build();
}
std::string UnitChild(absl::string_view parent_unit_id, absl::string_view unit_id) {
  return KeyBuilder('x').AddString(parent_unit_id).AddString(unit_id).Build();
}
std::string UnitChildPrefix(absl::string_view parent_unit_id) {
  return KeyBuilder('x').AddString(parent_unit_id).Build();
}
std::string ProjectOfRegionPrefix(absl::string_view region_code) {
  return KeyBuilder('r').AddString(region_code).Build();
}

std::string Request(absl::string_view kind, absl::string_view request_id) {
  return KeyBuilder('q').AddString(kind).AddString(request_id).Build();
}

std::string FormatOneChangePrefix() { return KeyBuilder('g').Build(); }

uint64_t FormatOneChangeSequence(absl::string_view key) {
  KeyReader reader(key);
  char tag = 0;
  uint64_t sequence = 0;
  if (!reader.ReadTag(&tag) || tag != 'g' || !reader.ReadUint64(&sequence) || !reader.Done()) {
    return 0;
  }
  return sequence;
}

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

}  // namespace fazhi::catalogue::keys
