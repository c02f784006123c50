// One store service served in process for integration tests: the store
// opened on a directory, the service over it, a ServerRunner on
// 127.0.0.1:0 with the service's StopWatches() as a shutdown hook (as every
// main.cc wires it), and a channel to it. Stop() and Start() again reopen
// the same directory, as a restart would.
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

  // `full_name` is the service's, e.g. "fazhi.metrics.v1.MetricsService".
  InProcessService(std::string dir, std::string full_name)
      : dir_(std::move(dir)), full_name_(std::move(full_name)) {}
  ~InProcessService() { Stop(); }
  InProcessService(const InProcessService&) = delete;
  InProcessService& operator=(const InProcessService&) = delete;

  void Start(const MakeService& make) {
    auto store = Store::Open(TestStoreOptions(dir_));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = make(store_.get());
    server_ = StartInProcess(service_.get(), full_name_);
    server_->AddShutdownHook([service = service_.get()] { service->StopWatches(); });
    channel_ = Connect(server_->target());
  }

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

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  server::ServerRunner& runner() { return *server_; }
  Store* store() { return store_.get(); }

 private:
  const std::string dir_;
  const std::string full_name_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<server::ServerRunner> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_IN_PROCESS_SERVICE_H_
