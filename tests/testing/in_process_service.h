// One store service served in process for integration tests: the store
// opened on a directory, the service over it, a ServerRunner on
// 127.0.0.1:0 with the service's StopWatches() as a shutdown hook (as every
// main.cc wires it), and a channel to it. Stop() and Start() again reopen
// the same directory, as a restart would. Every in-process service suite
// (catalogue, metrics, report, and the gateway's backends) is served by it.
#ifndef FAZHI_TESTS_TESTING_IN_PROCESS_SERVICE_H_
#define FAZHI_TESTS_TESTING_IN_PROCESS_SERVICE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "tests/testing/test_env.h"

namespace fazhi::testing {

// Store: has static Open(StoreOptions) and Close(). Service: a
// grpc::Service with StopWatches().
template <typename Store, typename Service>
class InProcessService {
 public:
  using MakeService = std::function<std::unique_ptr<Service>(Store*)>;

  // How the store is opened and served, beyond TestStoreOptions(dir).
  struct Options {
    // False for bulk loads in benchmarks.
    bool sync_writes = true;
    // Start() after Stop() listens on the port it had, so that clients
    // holding its address (a gateway's channels) find it again.
    bool keep_port = false;
  };

  // `full_name` is the service's, e.g. "fazhi.metrics.v1.MetricsService".
  InProcessService(std::string dir, std::string full_name, Options options = {})
      : dir_(std::move(dir)), full_name_(std::move(full_name)), options_(options) {}
  ~InProcessService() { Stop(); }
  InProcessService(const InProcessService&) = delete;
  InProcessService& operator=(const InProcessService&) = delete;

  // Opens the store (creating or reopening it) and serves it. `make` may
  // also set the store up (e.g. inject a clock) before the service is made.
  void Start(const MakeService& make) {
    auto store_options = TestStoreOptions(dir_);
    store_options.sync_writes = options_.sync_writes;
    auto store = Store::Open(store_options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = make(store_.get());
    server_ = StartInProcess(service_.get(), full_name_, options_.keep_port ? port_ : 0);
    server_->AddShutdownHook([service = service_.get()] { service->StopWatches(); });
    port_ = server_->port();
    channel_ = Connect(server_->target());
  }

  // Stops the server (watch streams ended, calls drained) and closes the
  // store, as the binary does on SIGTERM. Does nothing when not started.
  void Stop() {
    channel_.reset();
    if (server_ != nullptr) server_->Shutdown();
    server_.reset();
    service_.reset();
    if (store_ != nullptr) {
      EXPECT_TRUE(store_->Close().ok());
    }
    store_.reset();
  }

  bool running() const { return server_ != nullptr; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  server::ServerRunner& runner() { return *server_; }
  Store* store() { return store_.get(); }
  Service* service() { return service_.get(); }
  // The port it listens on, or last listened on.
  int port() const { return port_; }

 private:
  const std::string dir_;
  const std::string full_name_;
  const Options options_;
  int port_ = 0;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<server::ServerRunner> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_IN_PROCESS_SERVICE_H_
