// The gateway in process against real backends (each on its own RocksDB),
// all on localhost:0: the summary across services, partial answers with each
// backend down, and the caller's deadline carried to the backends.
#include "services/gateway/gateway_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "services/catalogue/catalogue_service.h"
#include "services/metrics/metrics_service.h"
#include "services/report/report_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::gateway {
namespace {

using namespace std::chrono_literals;
namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

// A metrics backend that never answers: it holds each call until the caller
// gives up, and records the deadline it was given.
class StalledMetrics final : public mv1::MetricsService::Service {
 public:
  grpc::Status GetSnapshot(grpc::ServerContext* context, const mv1::GetSnapshotRequest*,
                           mv1::Snapshot*) override {
    seen_deadline_ = context->deadline();
    called_ = true;
    for (int i = 0; i < 1000 && !context->IsCancelled(); ++i) std::this_thread::sleep_for(10ms);
    cancelled_ = context->IsCancelled();
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "stalled");
  }
  std::chrono::system_clock::time_point seen_deadline_;
  std::atomic<bool> called_{false};
  std::atomic<bool> cancelled_{false};
};

class GatewayServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalogue_store_ =
        *catalogue::CatalogueStore::Open(testing::TestStoreOptions(dir_.path() + "/c"));
    metrics_store_ = *metrics::MetricsStore::Open(testing::TestStoreOptions(dir_.path() + "/m"));
    report_store_ = *report::ReportStore::Open(testing::TestStoreOptions(dir_.path() + "/r"));
    catalogue_ = std::make_unique<catalogue::CatalogueServiceImpl>(catalogue_store_.get());
    metrics_ = std::make_unique<metrics::MetricsServiceImpl>(metrics_store_.get(),
                                                             testing::ShippedRules());
    report_ =
        std::make_unique<report::ReportServiceImpl>(report_store_.get(), testing::ShippedRules());
    catalogue_server_ =
        testing::StartInProcess(catalogue_.get(), "fazhi.catalogue.v1.CatalogueService");
    metrics_server_ = testing::StartInProcess(metrics_.get(), "fazhi.metrics.v1.MetricsService");
    report_server_ = testing::StartInProcess(report_.get(), "fazhi.report.v1.ReportService");
    Load();
  }

  void Load() {
    auto catalogue = cv1::CatalogueService::NewStub(testing::Connect(catalogue_server_->target()));
    auto metrics = mv1::MetricsService::NewStub(testing::Connect(metrics_server_->target()));
    auto report = rv1::ReportService::NewStub(testing::Connect(report_server_->target()));
    auto call = [](auto fn) {
      grpc::ClientContext context;
      grpc::Status s = fn(&context);
      ASSERT_TRUE(s.ok()) << s.error_message();
    };
    cv1::CreateRegionRequest shanghai;
    shanghai.mutable_region()->set_code("310000");
    shanghai.mutable_region()->set_display_name("上海市");
    shanghai.mutable_region()->set_level(cv1::REGION_LEVEL_PROVINCE);
    cv1::Region region;
    call([&](auto* c) { return catalogue->CreateRegion(c, shanghai, &region); });
    cv1::CreateRegionRequest baoshan;
    baoshan.mutable_region()->set_code("310113");
    baoshan.mutable_region()->set_display_name("宝山区");
    baoshan.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    baoshan.mutable_region()->set_parent("regions/310000");
    call([&](auto* c) { return catalogue->CreateRegion(c, baoshan, &region); });
    cv1::CreateUnitRequest unit;
    unit.set_unit_id("310113-government");
    unit.mutable_unit()->set_display_name("上海市宝山区人民政府");
    unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
    unit.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT);
    unit.mutable_unit()->set_region("regions/310113");
    cv1::Unit created;
    call([&](auto* c) { return catalogue->CreateUnit(c, unit, &created); });

    mv1::CreateIndicatorRequest indicator;
    indicator.mutable_indicator()->set_code("court_appearance_rate");
    indicator.mutable_indicator()->set_display_name("行政机关负责人出庭应诉率");
    indicator.mutable_indicator()->set_unit_of_measure("%");
    indicator.mutable_indicator()->set_kind(mv1::INDICATOR_KIND_RATE);
    indicator.mutable_indicator()->set_direction(mv1::DIRECTION_HIGHER_IS_BETTER);
    mv1::Indicator defined;
    call([&](auto* c) { return metrics->CreateIndicator(c, indicator, &defined); });
    mv1::RecordObservationRequest observation;
    observation.mutable_observation()->set_indicator("indicators/court_appearance_rate");
    observation.mutable_observation()->set_subject("regions/310113");
    observation.mutable_observation()->mutable_period()->set_year(2023);
    observation.mutable_observation()->mutable_quantity()->set_text("100%");
    mv1::Observation recorded;
    call([&](auto* c) { return metrics->RecordObservation(c, observation, &recorded); });

    rv1::SubmitReportRequest submit;
    submit.mutable_report()->set_filer("units/310113-government");
    submit.mutable_report()->set_region("regions/310113");
    submit.mutable_report()->set_year(2023);
    submit.mutable_report()->set_text(testing::ReadSeed("002_4f28ee6da608f1e8.txt"));
    rv1::Report stored;
    call([&](auto* c) { return report->SubmitReport(c, submit, &stored); });
  }

  std::unique_ptr<server::ServerRunner> StartGateway(const std::string& metrics_target,
                                                     absl::Duration per_call_timeout) {
    BackendAddresses addresses;
    addresses.catalogue = catalogue_server_->target();
    addresses.metrics = metrics_target;
    addresses.report = report_server_->target();
    addresses.per_call_timeout = per_call_timeout;
    gateway_ = std::make_unique<GatewayServiceImpl>(addresses, testing::ShippedRules());
    return testing::StartInProcess(gateway_.get(), "fazhi.gateway.v1.GatewayService");
  }

  grpc::Status Summary(server::ServerRunner& gateway, gv1::DistrictComplianceSummary* out,
                       std::chrono::milliseconds deadline = 10s) {
    auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway.target()));
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code("310113");
    request.set_year(2023);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    return stub->GetDistrictComplianceSummary(&context, request, out);
  }

  testing::TempDir dir_;
  std::unique_ptr<catalogue::CatalogueStore> catalogue_store_;
  std::unique_ptr<metrics::MetricsStore> metrics_store_;
  std::unique_ptr<report::ReportStore> report_store_;
  std::unique_ptr<catalogue::CatalogueServiceImpl> catalogue_;
  std::unique_ptr<metrics::MetricsServiceImpl> metrics_;
  std::unique_ptr<report::ReportServiceImpl> report_;
  std::unique_ptr<GatewayServiceImpl> gateway_;
  std::unique_ptr<server::ServerRunner> catalogue_server_, metrics_server_, report_server_;
};

TEST_F(GatewayServiceTest, SummaryJoinsAllThreeServices) {
  auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(3));
  gv1::DistrictComplianceSummary s;
  ASSERT_TRUE(Summary(*gateway, &s).ok());
  EXPECT_FALSE(s.partial());
  EXPECT_EQ(s.region().display_name(), "宝山区");
  EXPECT_TRUE(s.government_report().filed());
  EXPECT_EQ(s.government_report().parts_missing_size(), 0);
  ASSERT_GE(s.indicators().indicators_size(), 1);
  bool court = false;
  for (const auto& i : s.indicators().indicators()) {
    if (i.indicator_code() == "court_appearance_rate") {
      court = true;
      EXPECT_EQ(i.verdict(), mv1::VERDICT_MET);
      EXPECT_EQ(i.observation().quantity().decimal(), "100");
    }
  }
  EXPECT_TRUE(court);
  EXPECT_EQ(s.projects().total(), 0);
}

TEST_F(GatewayServiceTest, EachBackendDownMakesThePartialAnswerSaySo) {
  // Stopping a backend one at a time; a fresh gateway each time.
  {
    metrics_server_->Shutdown();
    auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(1));
    gv1::DistrictComplianceSummary s;
    ASSERT_TRUE(Summary(*gateway, &s).ok());
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.indicators().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(s.indicators().indicators_size(), 0);
    EXPECT_TRUE(s.government_report().filed());
  }
  {
    report_server_->Shutdown();
    auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(1));
    gv1::DistrictComplianceSummary s;
    ASSERT_TRUE(Summary(*gateway, &s).ok());
    EXPECT_EQ(s.government_report().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_FALSE(s.government_report().filed());
    EXPECT_EQ(s.projects().state(), gv1::SECTION_STATE_OK);
  }
  {
    catalogue_server_->Shutdown();
    auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(1));
    gv1::DistrictComplianceSummary s;
    ASSERT_TRUE(Summary(*gateway, &s).ok());
    EXPECT_EQ(s.projects().state(), gv1::SECTION_STATE_UNREACHABLE);
    int unanswered = 0;
    for (const auto& b : s.backends()) unanswered += b.answered() ? 0 : 1;
    EXPECT_EQ(unanswered, 3);
  }
}

TEST_F(GatewayServiceTest, CallersDeadlineReachesTheBackendAndCancelsIt) {
  StalledMetrics stalled;
  auto stalled_server = testing::StartInProcess(&stalled, "fazhi.metrics.v1.MetricsService");
  // The gateway would wait 30 s per call on its own; the caller allows 300 ms.
  auto gateway = StartGateway(stalled_server->target(), absl::Seconds(30));
  gv1::DistrictComplianceSummary s;
  const auto caller_deadline = std::chrono::system_clock::now() + 300ms;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = Summary(*gateway, &s, 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(took, 3s);
  for (int i = 0; i < 300 && !stalled.cancelled_; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(stalled.called_);
  EXPECT_TRUE(stalled.cancelled_) << "the backend call outlived the caller";
  EXPECT_LE(stalled.seen_deadline_, caller_deadline + 50ms)
      << "the backend was given more time than the caller allowed";
}

TEST_F(GatewayServiceTest, BadRequestsNameTheField) {
  auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(3));
  auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway->target()));
  gv1::GetDistrictComplianceSummaryRequest request;
  request.set_region_code("31011x");
  request.set_year(3000);
  gv1::DistrictComplianceSummary s;
  grpc::ClientContext context;
  grpc::Status status = stub->GetDistrictComplianceSummary(&context, request, &s);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(FromGrpcStatus(status), &bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "region_code");
  EXPECT_EQ(bad.field_violations(1).field(), "year");
}

}  // namespace
}  // namespace fazhi::gateway

namespace fazhi::gateway {
namespace {

TEST_F(GatewayServiceTest, RankingAndTrend) {
  // A second district, with no report: it ranks below Baoshan.
  {
    auto catalogue = cv1::CatalogueService::NewStub(testing::Connect(catalogue_server_->target()));
    cv1::CreateRegionRequest putuo;
    putuo.mutable_region()->set_code("310107");
    putuo.mutable_region()->set_display_name("普陀区");
    putuo.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    putuo.mutable_region()->set_parent("regions/310000");
    cv1::Region region;
    grpc::ClientContext context;
    ASSERT_TRUE(catalogue->CreateRegion(&context, putuo, &region).ok());
  }
  auto gateway = StartGateway(metrics_server_->target(), absl::Seconds(3));
  auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway->target()));
  gv1::RankRegionsRequest rank;
  rank.set_parent_region_code("310000");
  rank.set_year(2023);
  rank.set_page_size(1);
  gv1::RankRegionsResponse first;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->RankRegions(&context, rank, &first).ok());
  }
  EXPECT_EQ(first.total_regions(), 2);
  ASSERT_EQ(first.regions_size(), 1);
  EXPECT_EQ(first.regions(0).rank(), 1);
  EXPECT_EQ(first.regions(0).region().code(), "310113");
  ASSERT_FALSE(first.next_page_token().empty());
  rank.set_page_token(first.next_page_token());
  gv1::RankRegionsResponse second;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->RankRegions(&context, rank, &second).ok());
  }
  ASSERT_EQ(second.regions_size(), 1);
  EXPECT_EQ(second.regions(0).region().code(), "310107");
  EXPECT_LT(second.regions(0).score().value(), first.regions(0).score().value());
  EXPECT_TRUE(second.next_page_token().empty());

  gv1::GetRegionTrendRequest trend;
  trend.set_region_code("310113");
  trend.set_from_year(2022);
  trend.set_to_year(2023);
  gv1::RegionTrend answer;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetRegionTrend(&context, trend, &answer).ok());
  }
  ASSERT_EQ(answer.points_size(), 2);
  EXPECT_FALSE(answer.points(0).government_report_filed());
  EXPECT_TRUE(answer.points(1).government_report_filed());
  EXPECT_EQ(answer.points(1).indicators_met(), 1);
  EXPECT_GT(answer.points(1).score().value(), answer.points(0).score().value());
}

}  // namespace
}  // namespace fazhi::gateway
