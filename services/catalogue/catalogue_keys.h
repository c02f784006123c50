// The catalogue's key encodings, one function per key kind. Components are
// encoded by common/storage/key_codec.h (strings escaped and terminated
// with 00 01, integers big-endian), so keys sort as their components do.
//
//   records (cf 1)
//     'g' code                               67 | "310113" 00 01
//     'u' unit_id                            75 | "310113-justice" 00 01
//     'p' project_id                         70 | "y2022-city-top-01" 00 01
//   indexes (cf 2)
//     'c' parent code, child code            63 | "310000" 00 01 | "310113" 00 01
//     'n' name or alias -> unit_id           6e | "市公安局" 00 01
//     'v' region code, unit_id               76 | "310107" 00 01 | "310107-justice" 00 01
//     'y' year, project_id                   79 | 00 00 07 e6 | "y2022-..." 00 01
//     'r' region code, year, project_id      72 | "310113" 00 01 | 00 00 07 e7 | id 00 01
//     't' year, first unit id, title -> id   74 | 00 00 07 e6 | unit 00 01 | title 00 01
//     'w' unit_id, project_id                77 | unit 00 01 | id 00 01   projects by unit
//     'x' parent unit_id, unit_id            78 | parent 00 01 | unit 00 01
//   requests (cf 3)
//     'q' kind, request_id -> resource name  71 | "project" 00 01 | id 00 01
//   meta (cf 4)
//     's' counter name -> next number (u64)  73 | "project" 00 01
//   changes (cf 5)
//     'g' sequence -> ChangeRecord           67 | 00 .. 00 2a           (u64)
//     'h' resource name, sequence -> ""      68 | "projects/x" 00 01 | 00 .. 00 2a
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::catalogue::keys {

std::string Region(absl::string_view code);
std::string Unit(absl::string_view unit_id);
std::string Project(absl::string_view project_id);

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

std::string Change(uint64_t sequence);
std::string ChangeOfResource(absl::string_view resource_name, uint64_t sequence);
std::string ChangesOfResourcePrefix(absl::string_view resource_name);
std::string ChangePrefix();

// The sequence of a 'g' key.
uint64_t SequenceOfChange(absl::string_view key);

// The id at the end of an index key: `strings_before` string components and
// then `uints_before` u32 components come first (after the tag).
std::string TrailingId(absl::string_view key, int strings_before, int uints_before);

// The sequence at the end of a 'h' key.
uint64_t TrailingSequence(absl::string_view key);

}  // namespace fazhi::catalogue::keys

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
