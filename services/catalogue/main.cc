// catalogue_server: regions, units and rule-of-law projects over gRPC.
#include "common/server/service_main.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "catalogue_server");

  auto store =
      fazhi::catalogue::CatalogueStore::Open(fazhi::server::StoreOptionsFromFlags("var/catalogue"));
  if (!store.ok()) return fazhi::server::FailStartup("catalogue_server", store.status());

  fazhi::catalogue::CatalogueServiceImpl service(store->get());
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("catalogue", /*default_port=*/50051));
  runner.AddService(&service, "fazhi.catalogue.v1.CatalogueService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
