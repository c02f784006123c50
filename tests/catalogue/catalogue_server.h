// A catalogue server for integration tests: CatalogueServiceImpl over a real
// CatalogueStore in a given directory, served on 127.0.0.1:0
// (tests/testing/in_process_service.h), restartable on the same directory.
#ifndef FAZHI_TESTS_CATALOGUE_CATALOGUE_SERVER_H_
#define FAZHI_TESTS_CATALOGUE_CATALOGUE_SERVER_H_

#include <memory>
#include <string>

#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/testing/in_process_service.h"

namespace fazhi::catalogue {

class TestCatalogueServer {
 public:
  explicit TestCatalogueServer(std::string dir)
      : catalogue_(std::move(dir), "fazhi.catalogue.v1.CatalogueService") {}

  // Opens the store (creating or reopening it), serves it, and returns a
  // stub to it.
  std::unique_ptr<v1::CatalogueService::Stub> Start() {
    catalogue_.Start([](CatalogueStore* store) {
      return std::make_unique<CatalogueServiceImpl>(store, testing::TestAuthorizer());
    });
    return v1::CatalogueService::NewStub(catalogue_.channel());
  }

  // Stops the server and closes the store, as the binary does on SIGTERM.
  void Stop() { catalogue_.Stop(); }

  CatalogueServiceImpl* service() { return catalogue_.service(); }
  // The port it listens on, or last listened on.
  int port() const { return catalogue_.port(); }

 private:
  testing::InProcessService<CatalogueStore, CatalogueServiceImpl> catalogue_;
};

}  // namespace fazhi::catalogue

#endif  // FAZHI_TESTS_CATALOGUE_CATALOGUE_SERVER_H_
