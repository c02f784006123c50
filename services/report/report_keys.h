// The report store's column families. Their key layouts are diagrammed in
// report_store.h (reports, versions, indexes, requests, counters) and in the
// change log's header (common/storage/change_feed.h).
#ifndef FAZHI_SERVICES_REPORT_REPORT_KEYS_H_
#define FAZHI_SERVICES_REPORT_REPORT_KEYS_H_

#include <cstddef>

#include "common/storage/families.h"

namespace fazhi::report::keys {

enum class Family : size_t { kRecords = 1, kIndexes, kRequests, kMeta, kSearch, kChanges };
inline constexpr storage::FamilyTable<Family, 6> kFamilies = {{
    {Family::kRecords, "records"},
    {Family::kIndexes, "indexes"},
    {Family::kRequests, "requests"},
    {Family::kMeta, "meta"},
    {Family::kSearch, "search"},
    {Family::kChanges, "changes"},
}};
static_assert(storage::InHandleOrder(kFamilies));

}  // namespace fazhi::report::keys

#endif  // FAZHI_SERVICES_REPORT_REPORT_KEYS_H_
