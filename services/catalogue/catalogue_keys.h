// The catalogue's key encodings, one function per key kind. Components are
// encoded by common/storage/key_codec.h (strings escaped and terminated
// with 00 01, integers big-endian), so keys sort as their components do.
//
// Column families (Family below; kFamilies is the one ordered table):
//
//   records
//     'g' code                               67 | "310113" 00 01
//     'u' unit_id                            75 | "310113-justice" 00 01
//     'p' project_id                         70 | "y2022-city-top-01" 00 01
//   indexes
//     'c' parent code, child code            63 | "310000" 00 01 | "310113" 00 01
//     'n' name or alias -> unit_id           6e | "市公安局" 00 01
//     'v' region code, unit_id               76 | "310107" 00 01 | "310107-justice" 00 01
//     'y' year, project_id                   79 | 00 00 07 e6 | "y2022-..." 00 01
//     'r' region code, year, project_id      72 | "310113" 00 01 | 00 00 07 e7 | id 00 01
//     't' year, first unit id, title -> id   74 | 00 00 07 e6 | unit 00 01 | title 00 01
//     'w' unit_id, project_id                77 | unit 00 01 | id 00 01   projects by unit
//     'x' parent unit_id, unit_id            78 | parent 00 01 | unit 00 01
//   requests
//     'q' kind, request_id -> resource name  71 | "project" 00 01 | id 00 01
//   meta
//     's' counter name -> next number (u64)  73 | "project" 00 01       (sequence.h)
//     'V' "format" -> store format (u32)     56 | "format" 00 01        (store_format.h)
//   changes: the change log of common/storage/change_feed.h, with its
//     resource index
//     'c' last sequence -> ChangeRecords     63 | 00 .. 00 2a           (u64)
//     'h' resource name, sequence -> ""      68 | "projects/x" 00 01 | 00 .. 00 2a
//
// Store formats (kStoreFormat):
//   1  the catalogue's own change log: 'g' sequence -> one ChangeRecord in
//      "changes", numbered by the meta counter 's' "change"; the same 'h'
//      index. No 'V' stamp.
//   2  the common change log above; the "change" counter is gone (the log
//      numbers from its last key). Migrating 1 -> 2 moves each 'g' key to
//      'c' under the same sequence, so watchers resume where they were.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/storage/families.h"
#include "common/storage/store_format.h"

namespace fazhi::catalogue::keys {

enum class Family : size_t { kRecords = 1, kIndexes, kRequests, kMeta, kChanges };
inline constexpr storage::FamilyTable<Family, 5> kFamilies = {{
    {Family::kRecords, "records"},
    {Family::kIndexes, "indexes"},
    {Family::kRequests, "requests"},
    {Family::kMeta, "meta"},
    {Family::kChanges, "changes"},
}};
static_assert(storage::InHandleOrder(kFamilies));

// The store format this code writes (see the file comment).
inline constexpr uint32_t kStoreFormat = 2;

std::string Region(absl::string_view code);
// Every 'g' key of records, and every 'u' key.
std::string RegionsPrefix();
std::string UnitsPrefix();
std::string Unit(absl::string_view unit_id);
std::string Project(absl::string_view project_id);

// The resource name of the record at a records key ("regions/310113",
// "units/…", "projects/…"); "" for any other key. For the audit trail.
std::string ResourceOfRecord(absl::string_view key);

std::string RegionChild(absl::string_view parent_code, absl::string_view child_code);
std::string RegionChildPrefix(absl::string_view parent_code);
std::string UnitName(absl::string_view name);
std::string UnitByRegion(absl::string_view region_code, absl::string_view unit_id);
std::string UnitByRegionPrefix(absl::string_view region_code);
std::string ProjectByYear(uint32_t year, absl::string_view project_id);
std::string ProjectByRegion(absl::string_view region_code, uint32_t year,
                            absl::string_view project_id);
// Prefixes for listing: year 0 means every year.
std::string ProjectByYearPrefix(uint32_t year);
std::string ProjectByRegionPrefix(absl::string_view region_code, uint32_t year);
// Every 'r' key of every region whose code starts with `code_prefix`.
std::string ProjectByRegionCodePrefix(absl::string_view code_prefix);
std::string ProjectTitle(uint32_t year, absl::string_view first_unit_id, absl::string_view title);

std::string ProjectByUnit(absl::string_view unit_id, absl::string_view project_id);
std::string ProjectByUnitPrefix(absl::string_view unit_id);
std::string UnitChild(absl::string_view parent_unit_id, absl::string_view unit_id);
std::string UnitChildPrefix(absl::string_view parent_unit_id);
// Every 'r' key of one region (any year).
std::string ProjectOfRegionPrefix(absl::string_view region_code);

std::string Request(absl::string_view kind, absl::string_view request_id);

// Format 1's change log, read only by the migration to format 2: the
// prefix of its 'g' keys, and the sequence of one (0 when malformed).
std::string FormatOneChangePrefix();
uint64_t FormatOneChangeSequence(absl::string_view key);

// The id at the end of an index key: `strings_before` string components and
// then `uints_before` u32 components come first (after the tag).
std::string TrailingId(absl::string_view key, int strings_before, int uints_before);

}  // namespace fazhi::catalogue::keys

namespace fazhi::catalogue {

// One step per format below keys::kStoreFormat, for storage::UpgradeFormat
// (catalogue_format.cc).
std::vector<storage::FormatMigration> CatalogueMigrations();

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
