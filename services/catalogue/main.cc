// catalogue_server: regions, units and rule-of-law projects over gRPC.
#include "common/server/security_flags.h"
#include "common/server/service_main.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "catalogue_server");

  auto security = fazhi::server::SecurityFromFlags("catalogue");
  if (!security.ok()) return fazhi::server::FailStartup("catalogue_server", security.status());
  const auto options = fazhi::server::StoreOptionsFromFlags("var/catalogue");
  auto store = fazhi::catalogue::CatalogueStore::Open(options);
  if (!store.ok()) return fazhi::server::FailStartup("catalogue_server", store.status());

  fazhi::server::Authorizer& authorizer = *security->authorizer;
  fazhi::catalogue::CatalogueServiceImpl service(store->get(), authorizer);
  auto config = fazhi::server::ServerConfigFromFlags("catalogue", /*default_port=*/50051);
  config.authorizer = &authorizer;
  fazhi::server::ServerRunner runner(config);
  runner.AddService(&service, "fazhi.catalogue.v1.CatalogueService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunStoreServer("catalogue", runner, authorizer, (*store)->store(),
                                       (*store)->audit_trail(), options.path,
                                       [&] { return (*store)->Close(); });
}
