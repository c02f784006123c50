// catalogue_server: regions, units and rule-of-law projects over gRPC.
#include "common/server/backup_service.h"
#include "common/server/service_main.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"

int main(int argc, char** argv) {
  fazhi::server::BlockTerminationSignals();
  fazhi::server::InitServiceMain(argc, argv, "catalogue_server");

  const auto options = fazhi::server::StoreOptionsFromFlags("var/catalogue");
  auto store = fazhi::catalogue::CatalogueStore::Open(options);
  if (!store.ok()) return fazhi::server::FailStartup("catalogue_server", store.status());

  fazhi::catalogue::CatalogueServiceImpl service(store->get());
  fazhi::server::ServerRunner runner(
      fazhi::server::ServerConfigFromFlags("catalogue", /*default_port=*/50051));
  runner.AddService(&service, "fazhi.catalogue.v1.CatalogueService");
  fazhi::server::BackupServiceImpl backups(&(*store)->store(), "catalogue",
                                           fazhi::server::BackupDirFromFlags(options.path));
  runner.AddService(&backups, "fazhi.admin.v1.BackupService");
  runner.AddShutdownHook([&service] { service.StopWatches(); });
  return fazhi::server::RunUntilSignal(runner, [&] { return (*store)->Close(); });
}
