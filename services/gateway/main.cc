// gateway_server: answers cross-service questions (the district compliance
// summary, rankings, trends, project dossiers) by asking the catalogue,
// metrics and report services, through a cache kept fresh by their change
// streams. Its own flags are in gateway_flags.cc.
#include "common/rules/rule_set.h"
#include "common/server/security_flags.h"
#include "common/server/service_main.h"
#include "services/gateway/gateway_flags.h"
#include "services/gateway/gateway_service.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "gateway_server");
  auto security = fazhi::server::SecurityFromFlags("gateway");
  if (!security.ok()) return fazhi::server::FailStartup("gateway_server", security.status());
  if (absl::Status key = fazhi::server::LoadPageTokenKeyFromFlags(); !key.ok()) {
    return fazhi::server::FailStartup("gateway_server", key);
  }
  auto config = fazhi::server::ServerConfigFromFlags("gateway", /*default_port=*/50050);
  config.authorizer = security->authorizer.get();
  auto options = fazhi::gateway::GatewayOptionsFromFlags(config);
  if (!options.ok()) return fazhi::server::FailStartup("gateway_server", options.status());
  // In local development the backends know the gateway by its own token.
  options->backends.security.tokens = security->own_tokens;
  auto rules = fazhi::rules::LoadRuleSet(fazhi::server::RulesPathFromFlags());
  if (!rules.ok()) return fazhi::server::FailStartup("gateway_server", rules.status());
  fazhi::gateway::GatewayServiceImpl service(*options, *security->authorizer, *std::move(rules));
  fazhi::server::ServerRunner runner(config);
  runner.AddService(&service, "fazhi.gateway.v1.GatewayService");
  return fazhi::server::RunUntilSignal(runner, nullptr);
}
