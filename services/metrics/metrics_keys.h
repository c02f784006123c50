// The metrics store's column families and key encodings, one function per
// key kind. Components are encoded by common/storage/key_codec.h (strings
// escaped and ended with 00 01, integers big-endian), so keys sort as their
// components do. Each tag means one thing in the whole store.
//
//   records
//     'i' code                                -> IndicatorRecord
//     'o' subject, year(u32), indicator code, start_month(u32), end_month(u32)
//         (end_month counts from the start year: 13..23 when the period ends
//         in the next year, so keys of periods inside one year are unchanged)
//                                             -> ObservationRecord (the current revision)
//     'h' observation id, revision(u32)       -> ObservationRecord
//                                                (a superseded revision, or a tombstone)
//     'p' report name                         -> ReportSourceRecord
//   indexes
//     'n' observation id                      -> 'o' key
//     'r' report name, observation id         -> ""
//         (every observation whose provenance named the report when written;
//         an entry whose observation was deleted or now names another report
//         is skipped, and dropped by the next replacement for that report)
//   requests
//     'q' request_id                          -> ObservationRecord
//         (the answer the first call with that request_id got)
//   meta
//     's' counter name                        -> next number (u64): "observation",
//                                                "rules_change" (common/storage/sequence.h)
//     'V' "format"                            -> store format (common/storage/store_format.h)
//     'f' "in-force"                          -> RulesInForceRecord
//     'g' sequence(u64)                       -> RulesChangeRecord
//   changes
//     'c' last sequence(u64)                  -> the write's ChangeRecords: the
//                                                WatchChanges log (common/storage/change_feed.h)
//
// Byte diagrams:
//   'o'  6f | "regions/310107" 00 01 | 00 00 07 e4 | "mediation_accepted" 00 01
//           | 00 00 00 01 | 00 00 00 0b                       (2020, months 1..11)
//   'h'  68 | "o000000000000002a" 00 01 | 00 00 00 02         (revision 2)
//   'n'  6e | "o000000000000002a" 00 01
//   'r'  72 | "reports/310113-government-2023" 00 01 | "o000000000000002a" 00 01
//   'g'  67 | 00 00 00 00 00 00 00 03                          (rules change 3)
//
// Store formats (kStoreFormat):
//   1  the rules in force under meta 'r' "in-force" (the tag the report index
//      uses in "indexes"), and rules changes numbered by counting the 'g'
//      keys. No 'V' stamp.
//   2  the rules in force under 'f'; rules changes numbered by the counter
//      "rules_change", set from the last 'g' key by the migration.
#ifndef FAZHI_SERVICES_METRICS_METRICS_KEYS_H_
#define FAZHI_SERVICES_METRICS_METRICS_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/storage/families.h"
#include "common/storage/store_format.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"

namespace fazhi::metrics::keys {

enum class Family : size_t { kRecords = 1, kIndexes, kRequests, kMeta, kChanges };
inline constexpr storage::FamilyTable<Family, 5> kFamilies = {{
    {Family::kRecords, "records"},
    {Family::kIndexes, "indexes"},
    {Family::kRequests, "requests"},
    {Family::kMeta, "meta"},
    {Family::kChanges, "changes"},
}};
static_assert(storage::InHandleOrder(kFamilies));

inline constexpr uint32_t kStoreFormat = 2;

// Counter names (sequence.h).
inline constexpr absl::string_view kObservationCounter = "observation";
inline constexpr absl::string_view kRulesChangeCounter = "rules_change";

std::string Indicator(absl::string_view code);
std::string IndicatorsPrefix();

// The 'o' key of `observation` (its subject, period and indicator).
std::string Observation(const v1::Observation& observation);
// Every 'o' key of `subject`; of `subject` in `year`.
std::string ObservationsOfSubjectPrefix(absl::string_view subject);
std::string ObservationsOfSubjectYearPrefix(absl::string_view subject, int year);

std::string History(absl::string_view observation_id, uint32_t revision);
std::string HistoryPrefix(absl::string_view observation_id);

std::string ReportSource(absl::string_view report);

std::string ObservationId(absl::string_view observation_id);
std::string ObservationOfReport(absl::string_view report, absl::string_view observation_id);
std::string ObservationsOfReportPrefix(absl::string_view report);
// The observation id of an ObservationOfReport key; false when malformed.
bool ReadObservationOfReport(absl::string_view key, std::string* observation_id);

std::string Request(absl::string_view request_id);

// The subject of an 'o' key; false when `key` is not one.
bool ReadObservationSubject(absl::string_view key, std::string* subject);

// The resource a records key holds, for the audit trail: "indicators/{code}"
// for 'i', the observation's name (read from the ObservationRecord `value`)
// for 'o', the report's name for 'p'; "" for any other key (a superseded
// revision is not a resource of its own).
std::string ResourceOfRecord(absl::string_view key, absl::string_view value);

std::string RulesInForce();
std::string RulesChange(uint64_t sequence);
std::string RulesChangesPrefix();
// The sequence of a RulesChange key; 0 when malformed.
uint64_t RulesChangeSequence(absl::string_view key);

// Format 1's key of the rules in force, read only by the migration.
std::string FormatOneRulesInForce();

}  // namespace fazhi::metrics::keys

namespace fazhi::metrics {

// One step per format below keys::kStoreFormat, for storage::UpgradeFormat
// (metrics_format.cc).
std::vector<storage::FormatMigration> MetricsMigrations();

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_KEYS_H_
