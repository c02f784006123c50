// The migrations between the metrics store's formats (metrics_keys.h).
#ifndef FAZHI_SERVICES_METRICS_METRICS_FORMAT_H_
#define FAZHI_SERVICES_METRICS_METRICS_FORMAT_H_

#include <vector>

#include "common/storage/store_format.h"

namespace fazhi::metrics {

// One step per format below keys::kStoreFormat, for storage::UpgradeFormat.
std::vector<storage::FormatMigration> MetricsMigrations();

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_FORMAT_H_
