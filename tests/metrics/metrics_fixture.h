// A metrics server for integration tests: MetricsServiceImpl with the
// shipped rules over a real MetricsStore in a fresh temp directory, served
// on 127.0.0.1:0 (tests/testing/in_process_service.h), restartable on the
// same directory.
#ifndef FAZHI_TESTS_METRICS_METRICS_FIXTURE_H_
#define FAZHI_TESTS_METRICS_METRICS_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/server/authorizer.h"
#include "common/status/grpc_status.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {

class MetricsServerTest : public ::testing::Test {
 public:
  using Stub = v1::MetricsService::Stub;

 protected:
  void SetUp() override { Start(); }
  void TearDown() override { Stop(); }

  void Start() {
    metrics_.Start([](MetricsStore* store) {
      return std::make_unique<MetricsServiceImpl>(store, testing::TestAuthorizer(),
                                                  testing::ShippedRules());
    });
    stub_ = v1::MetricsService::NewStub(metrics_.channel());
  }

  void Stop() {
    stub_.reset();
    metrics_.Stop();
  }

  // host:port of the running server.
  std::string target() { return metrics_.runner().target(); }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  // A stub on the running server calling as `principal`.
  std::unique_ptr<Stub> StubAs(const std::string& principal) {
    return v1::MetricsService::NewStub(testing::Connect(target(), principal));
  }

  // One call through `stub` made for the end user `on_behalf_of` (as the
  // report service calls for the reporter whose figures it publishes).
  template <typename Request, typename Response>
  static absl::Status CallFor(Stub& stub, const std::string& on_behalf_of,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                           Response*),
                              const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata(server::kOnBehalfOfMetadataKey, on_behalf_of);
    return FromGrpcStatus((stub.*method)(&context, request, response));
  }

  // Defines a count indicator (件) with `code`.
  void DefineCount(const std::string& code) {
    v1::CreateIndicatorRequest request;
    auto* i = request.mutable_indicator();
    i->set_code(code);
    i->set_display_name(code);
    i->set_unit_of_measure("件");
    i->set_kind(v1::INDICATOR_KIND_COUNT);
    i->set_direction(v1::DIRECTION_NEUTRAL);
    v1::Indicator created;
    absl::Status s = Call(&Stub::CreateIndicator, request, &created);
    ASSERT_TRUE(s.ok()) << s;
  }

  v1::Observation Record(const v1::Observation& o) {
    v1::RecordObservationRequest request;
    *request.mutable_observation() = o;
    v1::Observation response;
    absl::Status s = Call(&Stub::RecordObservation, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  std::vector<v1::ObservationRevision> History(const std::string& name) {
    v1::ListObservationHistoryRequest request;
    request.set_name(name);
    v1::ListObservationHistoryResponse response;
    absl::Status s = Call(&Stub::ListObservationHistory, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return {response.revisions().begin(), response.revisions().end()};
  }

  testing::TempDir dir_;
  testing::InProcessService<MetricsStore, MetricsServiceImpl> metrics_{
      dir_.path(), "fazhi.metrics.v1.MetricsService"};
  std::unique_ptr<Stub> stub_;
};

}  // namespace fazhi::metrics

#endif  // FAZHI_TESTS_METRICS_METRICS_FIXTURE_H_
