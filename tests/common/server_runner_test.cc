// The runner every binary uses: readiness and liveness health, message-size
// limits, and the metrics endpoint, on a real server on localhost:0.
#include "common/server/server_runner.h"

#include <gtest/gtest.h>

#include <thread>

#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/testing/test_env.h"

namespace fazhi::server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Answers GetRegion with an empty region, so size limits can be exercised.
class EchoCatalogue final : public fazhi::catalogue::v1::CatalogueService::Service {
  grpc::Status GetRegion(grpc::ServerContext*, const fazhi::catalogue::v1::GetRegionRequest*,
                         fazhi::catalogue::v1::Region* region) override {
    region->set_code("310113");
    return grpc::Status::OK;
  }
};

constexpr char kName[] = "fazhi.catalogue.v1.CatalogueService";

HealthCheckResponse::ServingStatus Check(Health::Stub& stub, const std::string& service) {
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Status s = stub.Check(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.status();
}

TEST(ServerRunnerTest, NotServingUntilReadyAndWhileDrainingLivenessThroughout) {
  EchoCatalogue service;
  ServerConfig config;
  config.insecure_development = true;
  config.name = "test";
  config.drain_period = absl::Milliseconds(600);
  ServerRunner runner(config);
  runner.AddService(&service, kName);
  ASSERT_TRUE(runner.Start().ok());
  auto health = Health::NewStub(testing::Connect(runner.target()));

  EXPECT_EQ(Check(*health, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(*health, kName), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(*health, kLivenessServiceName), HealthCheckResponse::SERVING);

  runner.SetServing(true);
  EXPECT_EQ(Check(*health, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(*health, kName), HealthCheckResponse::SERVING);

  // During the drain period the server still answers, but says NOT_SERVING
  // so load balancers move traffic away.
  std::thread stopper([&] { runner.Shutdown(); });
  HealthCheckResponse::ServingStatus during = HealthCheckResponse::SERVING;
  for (int i = 0; i < 50 && during == HealthCheckResponse::SERVING; ++i) {
    during = Check(*health, kName);
    if (during == HealthCheckResponse::SERVING) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_EQ(during, HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(*health, kLivenessServiceName), HealthCheckResponse::SERVING);
  stopper.join();
}

TEST(ServerRunnerTest, OversizedRequestIsRejected) {
  EchoCatalogue service;
  ServerConfig config;
  config.insecure_development = true;
  config.name = "test";
  config.max_message_bytes = 64 * 1024;
  ServerRunner runner(config);
  runner.AddService(&service, kName);
  ASSERT_TRUE(runner.Start().ok());
  runner.SetServing(true);
  auto stub = fazhi::catalogue::v1::CatalogueService::NewStub(testing::Connect(runner.target()));

  fazhi::catalogue::v1::GetRegionRequest small;
  small.set_name("regions/310113");
  fazhi::catalogue::v1::Region region;
  grpc::ClientContext ok_context;
  EXPECT_TRUE(stub->GetRegion(&ok_context, small, &region).ok());

  fazhi::catalogue::v1::GetRegionRequest big;
  big.set_name(std::string(128 * 1024, 'x'));
  grpc::ClientContext big_context;
  grpc::Status s = stub->GetRegion(&big_context, big, &region);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  runner.Shutdown();
}

TEST(ServerRunnerTest, SecondServerOnTheSamePortFailsWithAClearError) {
  EchoCatalogue service;
  ServerConfig config;
  config.insecure_development = true;
  config.name = "first";
  ServerRunner first(config);
  first.AddService(&service, kName);
  ASSERT_TRUE(first.Start().ok());

  EchoCatalogue other;
  ServerConfig taken;
  taken.insecure_development = true;
  taken.name = "second";
  taken.listen_address = first.target();
  ServerRunner second(taken);
  second.AddService(&other, kName);
  absl::Status s = second.Start();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find(first.target()), std::string::npos) << s.message();
  first.Shutdown();
}

}  // namespace
}  // namespace fazhi::server
