// The names of the services the gateway asks, as an answer's
// fazhi.gateway.v1.BackendStatus.service carries them ("catalogue",
// "metrics", "report"), and their Chinese names for people. The gateway
// writes these names and fazhictl reads them: both take them from here.
#ifndef FAZHI_COMMON_API_BACKEND_SERVICES_H_
#define FAZHI_COMMON_API_BACKEND_SERVICES_H_

#include "absl/strings/string_view.h"

namespace fazhi::api {

inline constexpr absl::string_view kCatalogueService = "catalogue";
inline constexpr absl::string_view kMetricsService = "metrics";
inline constexpr absl::string_view kReportService = "report";

// "目录服务", "指标服务", "报告服务" for the names above; "服务" for any other.
inline absl::string_view BackendServiceDisplayName(absl::string_view service) {
  if (service == kCatalogueService) return "目录服务";
  if (service == kMetricsService) return "指标服务";
  if (service == kReportService) return "报告服务";
  return "服务";
}

}  // namespace fazhi::api

#endif  // FAZHI_COMMON_API_BACKEND_SERVICES_H_
