// The gateway's three backends, by name.
#ifndef FAZHI_SERVICES_GATEWAY_BACKEND_H_
#define FAZHI_SERVICES_GATEWAY_BACKEND_H_

namespace fazhi::gateway {

// In the order answers list them (BackendStatus).
enum class Backend { kCatalogue = 0, kMetrics = 1, kReport = 2 };
inline constexpr int kBackendCount = 3;

// "catalogue", "metrics", "report".
inline const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kCatalogue:
      return "catalogue";
    case Backend::kMetrics:
      return "metrics";
    case Backend::kReport:
      return "report";
  }
  return "unknown";
}

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKEND_H_
