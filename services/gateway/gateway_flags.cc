#include "services/gateway/gateway_flags.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "common/server/tls.h"

ABSL_FLAG(std::string, catalogue, "127.0.0.1:50051", "catalogue service address");
ABSL_FLAG(std::string, metrics, "127.0.0.1:50052", "metrics service address");
ABSL_FLAG(std::string, report, "127.0.0.1:50053", "report service address");
ABSL_FLAG(int, backend_timeout_ms, 3000, "longest wait for one backend call (each backend)");
ABSL_FLAG(int, catalogue_timeout_ms, 0,
          "longest wait for one catalogue call; 0: backend_timeout_ms");
ABSL_FLAG(int, metrics_timeout_ms, 0, "longest wait for one metrics call; 0: backend_timeout_ms");
ABSL_FLAG(int, report_timeout_ms, 0, "longest wait for one report call; 0: backend_timeout_ms");
ABSL_FLAG(int, backend_max_in_flight, 64,
          "calls in flight to each backend at most; more wait, within their deadline");
ABSL_FLAG(bool, cache, true,
          "cache answers, kept fresh by the backends' change streams; false asks every time");
ABSL_FLAG(int, cache_entries, 20000, "cached entries per kind of value");

namespace fazhi::gateway {
namespace {

BackendConfig BackendFromFlags(const std::string& address, int timeout_ms) {
  BackendConfig config;
  config.address = address;
  config.timeout =
      absl::Milliseconds(timeout_ms > 0 ? timeout_ms : absl::GetFlag(FLAGS_backend_timeout_ms));
  config.max_in_flight = absl::GetFlag(FLAGS_backend_max_in_flight);
  return config;
}

}  // namespace

absl::StatusOr<GatewayOptions> GatewayOptionsFromFlags(const server::ServerConfig& server) {
  GatewayOptions options;
  options.backends.catalogue =
      BackendFromFlags(absl::GetFlag(FLAGS_catalogue), absl::GetFlag(FLAGS_catalogue_timeout_ms));
  options.backends.metrics =
      BackendFromFlags(absl::GetFlag(FLAGS_metrics), absl::GetFlag(FLAGS_metrics_timeout_ms));
  options.backends.report =
      BackendFromFlags(absl::GetFlag(FLAGS_report), absl::GetFlag(FLAGS_report_timeout_ms));
  auto security = server::MakeChannelSecurity(server.tls);
  if (!security.ok()) return security.status();
  options.backends.security = *std::move(security);
  options.cache = absl::GetFlag(FLAGS_cache);
  options.cache_entries = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_cache_entries)));
  return options;
}

}  // namespace fazhi::gateway
