// The gateway's three backends, by name.
#ifndef FAZHI_SERVICES_GATEWAY_BACKEND_H_
#define FAZHI_SERVICES_GATEWAY_BACKEND_H_

#include <string>

#include "common/api/backend_services.h"

namespace fazhi::gateway {

// In the order answers list them (BackendStatus).
enum class Backend { kCatalogue = 0, kMetrics = 1, kReport = 2 };
inline constexpr int kBackendCount = 3;

// "catalogue", "metrics", "report" (common/api/backend_services.h).
inline std::string BackendName(Backend backend) {
  switch (backend) {
    case Backend::kCatalogue:
      return std::string(api::kCatalogueService);
    case Backend::kMetrics:
      return std::string(api::kMetricsService);
    case Backend::kReport:
      return std::string(api::kReportService);
  }
  return "unknown";
}

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKEND_H_
