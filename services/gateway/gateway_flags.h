// The gateway_server's own flags (backend addresses and timeouts, the
// in-flight limit, the cache), read into GatewayOptions. The flags every
// server shares (port, TLS, rules) are common/server/service_main.h's.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_FLAGS_H_

#include "absl/status/statusor.h"
#include "common/server/server_runner.h"
#include "services/gateway/gateway_options.h"

namespace fazhi::gateway {

// The options the flags give. The backends are dialled with `server`'s TLS
// files: the gateway's certificate is its client certificate where a
// backend requires one. An error names the TLS flag at fault.
absl::StatusOr<GatewayOptions> GatewayOptionsFromFlags(const server::ServerConfig& server);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
