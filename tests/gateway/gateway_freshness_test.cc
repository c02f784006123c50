// The gateway's cache with real backends on loopback: a write to any
// backend reaches the next summaries within one second; a restarted backend
// is resynchronised, the answers saying so meanwhile; and the cache changes
// no answer (cache on and off agree).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>

#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/gateway/gateway_service.h"
#include "tests/gateway/backend_servers.h"
#include "tests/testing/test_env.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

constexpr absl::Duration kFreshWithin = absl::Seconds(1);

template <typename Stub, typename Request, typename Response>
void MustCall(Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const Request& request) {
  Response ignored;
  const absl::Status s = testing::CallUnary(&stub, method, request, &ignored);
  ASSERT_TRUE(s.ok()) << s;
}

class GatewayFreshnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backends_ = std::make_unique<testing::BackendServers>(dir_.path());
    cv1::CreateRegionRequest city;
    city.mutable_region()->set_code("310000");
    city.mutable_region()->set_display_name("上海市");
    city.mutable_region()->set_level(cv1::REGION_LEVEL_PROVINCE);
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateRegion, city);
    cv1::CreateRegionRequest region;
    region.mutable_region()->set_code("310113");
    region.mutable_region()->set_display_name("宝山区");
    region.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    region.mutable_region()->set_parent("regions/310000");
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateRegion, region);
    cv1::CreateUnitRequest unit;
    unit.set_unit_id("310113-government");
    unit.mutable_unit()->set_display_name("上海市宝山区人民政府");
    unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
    unit.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT);
    unit.mutable_unit()->set_region("regions/310113");
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateUnit, unit);
    mv1::CreateIndicatorRequest indicator;
    indicator.mutable_indicator()->set_code("court_appearance_rate");
    indicator.mutable_indicator()->set_display_name("行政机关负责人出庭应诉率");
    indicator.mutable_indicator()->set_unit_of_measure("%");
    indicator.mutable_indicator()->set_kind(mv1::INDICATOR_KIND_RATE);
    indicator.mutable_indicator()->set_direction(mv1::DIRECTION_HIGHER_IS_BETTER);
    MustCall(backends_->metrics(), &mv1::MetricsService::Stub::CreateIndicator, indicator);
    Record("100%");

    GatewayOptions options = backends_->GatewayOptionsFor();
    // Restarts in these tests keep the backends' history: a resumed stream
    // re-sends its last change at once; the window only matters otherwise.
    options.follow.initial_backoff = absl::Milliseconds(20);
    options.follow.max_backoff = absl::Milliseconds(100);
    gateway_ = std::make_unique<GatewayServiceImpl>(options, testing::TestAuthorizer(),
                                                    testing::ShippedRules());
    server_ = testing::StartInProcess(gateway_.get(), "fazhi.gateway.v1.GatewayService");
    stub_ = gv1::GatewayService::NewStub(testing::Connect(server_->target()));
    ASSERT_TRUE(WaitForSummary([](const gv1::DistrictComplianceSummary& s) {
      return AllFromCache(s);
    })) << "the cache never warmed up";
  }

  void Record(const std::string& value) {
    mv1::RecordObservationRequest observation;
    observation.mutable_observation()->set_indicator("indicators/court_appearance_rate");
    observation.mutable_observation()->set_subject("regions/310113");
    observation.mutable_observation()->mutable_period()->set_year(2023);
    observation.mutable_observation()->mutable_quantity()->set_text(value);
    MustCall(backends_->metrics(), &mv1::MetricsService::Stub::RecordObservation, observation);
  }

  gv1::DistrictComplianceSummary Summary() {
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code("310113");
    request.set_year(2023);
    gv1::DistrictComplianceSummary summary;
    const absl::Status s = testing::CallUnary(
        stub_.get(), &gv1::GatewayService::Stub::GetDistrictComplianceSummary, request, &summary);
    EXPECT_TRUE(s.ok()) << s;
    return summary;
  }

  // A second gateway on the same backends with its cache off; it lives as
  // long as the test.
  std::unique_ptr<gv1::GatewayService::Stub> StartUncachedGateway() {
    GatewayOptions options = backends_->GatewayOptionsFor();
    options.cache = false;
    uncached_gateway_ = std::make_unique<GatewayServiceImpl>(options, testing::TestAuthorizer(),
                                                             testing::ShippedRules());
    uncached_server_ =
        testing::StartInProcess(uncached_gateway_.get(), "fazhi.gateway.v1.GatewayService");
    return gv1::GatewayService::NewStub(testing::Connect(uncached_server_->target()));
  }

  static bool AllFromCache(const gv1::DistrictComplianceSummary& s) {
    for (const auto& b : s.backends()) {
      if (b.cache() != gv1::CACHE_STATE_HIT) return false;
    }
    return true;
  }

  // Asks for the summary until `done` holds of it, for at most `within`
  // (bounded); `last` gets the last answer.
  bool WaitForSummary(const std::function<bool(const gv1::DistrictComplianceSummary&)>& done,
                      absl::Duration within = absl::Seconds(10),
                      gv1::DistrictComplianceSummary* last = nullptr) {
    const absl::Time deadline = absl::Now() + within;
    gv1::DistrictComplianceSummary s;
    do {
      s = Summary();
      if (last != nullptr) *last = s;
      if (done(s)) return true;
      absl::SleepFor(absl::Milliseconds(5));
    } while (absl::Now() < deadline);
    return false;
  }

  static std::string CourtValue(const gv1::DistrictComplianceSummary& s) {
    for (const auto& i : s.indicators().indicators()) {
      if (i.indicator_code() == "court_appearance_rate") return i.observation().quantity().text();
    }
    return "";
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::BackendServers> backends_;
  std::unique_ptr<GatewayServiceImpl> gateway_;
  std::unique_ptr<server::ServerRunner> server_;
  std::unique_ptr<gv1::GatewayService::Stub> stub_;
  std::unique_ptr<GatewayServiceImpl> uncached_gateway_;
  std::unique_ptr<server::ServerRunner> uncached_server_;
};

TEST_F(GatewayFreshnessTest, AWriteToAnyBackendReachesTheNextSummaryWithinOneSecond) {
  ASSERT_TRUE(AllFromCache(Summary()));
  ASSERT_EQ(Summary().projects().total(), 0);

  // Catalogue: a project.
  cv1::CreateProjectRequest project;
  project.set_project_id("y2023-law-aid");
  project.mutable_project()->set_year(2023);
  project.mutable_project()->set_level(cv1::PROJECT_LEVEL_DISTRICT);
  project.mutable_project()->set_title("法律援助进社区");
  project.mutable_project()->add_units("units/310113-government");
  project.mutable_project()->set_region("regions/310113");
  MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateProject, project);
  EXPECT_TRUE(WaitForSummary(
      [](const gv1::DistrictComplianceSummary& s) { return s.projects().total() == 1; },
      kFreshWithin))
      << "a new project did not reach the summary within 1 s";

  // Metrics: the value recorded again, lower.
  ASSERT_TRUE(WaitForSummary(AllFromCache));
  Record("83.8%");
  EXPECT_TRUE(WaitForSummary(
      [](const gv1::DistrictComplianceSummary& s) { return CourtValue(s) == "83.8%"; },
      kFreshWithin))
      << "a new observation did not reach the summary within 1 s";

  // Report: the government's report filed.
  ASSERT_TRUE(WaitForSummary(AllFromCache));
  ASSERT_FALSE(Summary().government_report().filed());
  rv1::SubmitReportRequest submit;
  submit.mutable_report()->set_filer("units/310113-government");
  submit.mutable_report()->set_region("regions/310113");
  submit.mutable_report()->set_year(2023);
  submit.mutable_report()->set_text(testing::ReadSeed("002_4f28ee6da608f1e8.txt"));
  MustCall(backends_->report(), &rv1::ReportService::Stub::SubmitReport, submit);
  EXPECT_TRUE(WaitForSummary(
      [](const gv1::DistrictComplianceSummary& s) { return s.government_report().filed(); },
      kFreshWithin))
      << "a new report did not reach the summary within 1 s";
}

TEST_F(GatewayFreshnessTest, ARestartedBackendIsResynchronisedAndSaidSoMeanwhile) {
  for (Backend backend : {Backend::kCatalogue, Backend::kMetrics, Backend::kReport}) {
    SCOPED_TRACE(BackendName(backend));
    const int b = static_cast<int>(backend);
    ASSERT_TRUE(WaitForSummary(AllFromCache));
    backends_->Stop(backend);
    // While it is down the answer is partial and does not use the cache.
    gv1::DistrictComplianceSummary down;
    ASSERT_TRUE(WaitForSummary(
        [&](const gv1::DistrictComplianceSummary& s) {
          return s.backends(b).cache() == gv1::CACHE_STATE_RESYNCHRONISING;
        },
        absl::Seconds(10), &down));
    EXPECT_FALSE(down.backends(b).answered());
    EXPECT_TRUE(down.partial());
    EXPECT_FALSE(down.backends(b).cache_detail().empty());

    backends_->Start(backend);
    // Back, fresh, and cached again.
    ASSERT_TRUE(WaitForSummary(AllFromCache)) << "the cache did not resynchronise";
    EXPECT_FALSE(Summary().partial());
  }
  // And still fresh: a write after the restarts is seen.
  Record("99%");
  EXPECT_TRUE(
      WaitForSummary([](const gv1::DistrictComplianceSummary& s) { return CourtValue(s) == "99%"; },
                     kFreshWithin));
}

TEST_F(GatewayFreshnessTest, CacheOffGivesTheSameAnswers) {
  auto uncached = StartUncachedGateway();
  gv1::GetDistrictComplianceSummaryRequest request;
  request.set_region_code("310113");
  request.set_year(2023);
  gv1::DistrictComplianceSummary cold;
  ASSERT_TRUE(testing::CallUnary(uncached.get(),
                                 &gv1::GatewayService::Stub::GetDistrictComplianceSummary, request,
                                 &cold)
                  .ok());
  for (const auto& b : cold.backends()) EXPECT_EQ(b.cache(), gv1::CACHE_STATE_DISABLED);
  gv1::DistrictComplianceSummary warm = Summary();
  ASSERT_TRUE(AllFromCache(warm));
  for (auto* s : {&cold, &warm}) {
    for (auto& b : *s->mutable_backends()) {
      b.clear_cache();
      b.clear_cache_detail();
    }
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(cold, warm))
      << cold.DebugString() << "\nvs\n"
      << warm.DebugString();

  gv1::RankRegionsRequest rank;
  rank.set_level(cv1::REGION_LEVEL_COUNTY);
  rank.set_year(2023);
  gv1::RankRegionsResponse cold_rank, warm_rank;
  ASSERT_TRUE(
      testing::CallUnary(uncached.get(), &gv1::GatewayService::Stub::RankRegions, rank, &cold_rank)
          .ok());
  ASSERT_TRUE(
      testing::CallUnary(stub_.get(), &gv1::GatewayService::Stub::RankRegions, rank, &warm_rank)
          .ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(cold_rank, warm_rank));
}

// A ranking of many regions asks each backend a few times for all of them
// (BatchGetSnapshots, whole lists) instead of several calls per region; each
// line must still be what the region's own summary says.
TEST_F(GatewayFreshnessTest, ARankingOfManyRegionsAsksTogetherAndAgreesWithEachRegionsSummary) {
  const char* const kCodes[] = {"310101", "310104", "310105", "310106", "310107", "310109",
                                "310110", "310112", "310114", "310115", "310116"};
  for (int i = 0; i < 11; ++i) {
    const std::string code = kCodes[i];
    cv1::CreateRegionRequest region;
    region.mutable_region()->set_code(code);
    region.mutable_region()->set_display_name("区" + code);
    region.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    region.mutable_region()->set_parent("regions/310000");
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateRegion, region);
    cv1::CreateUnitRequest unit;
    unit.set_unit_id(code + "-government");
    unit.mutable_unit()->set_display_name(code + "区人民政府");
    unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
    unit.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT);
    unit.mutable_unit()->set_region("regions/" + code);
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateUnit, unit);
    if (i % 2 == 0) {
      mv1::RecordObservationRequest observation;
      observation.mutable_observation()->set_indicator("indicators/court_appearance_rate");
      observation.mutable_observation()->set_subject("regions/" + code);
      observation.mutable_observation()->mutable_period()->set_year(2023);
      observation.mutable_observation()->mutable_quantity()->set_text(std::to_string(60 + 4 * i) +
                                                                      "%");
      MustCall(backends_->metrics(), &mv1::MetricsService::Stub::RecordObservation, observation);
    }
    if (i % 3 == 0) {
      cv1::CreateProjectRequest project;
      auto* p = project.mutable_project();
      p->set_year(2023);
      p->set_level(cv1::PROJECT_LEVEL_DISTRICT);
      p->set_title("项目" + code);
      p->add_units("units/" + code + "-government");
      p->set_region("regions/" + code);
      MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateProject, project);
    }
    if (i % 4 == 0) {
      rv1::SubmitReportRequest submit;
      submit.mutable_report()->set_filer("units/" + code + "-government");
      submit.mutable_report()->set_region("regions/" + code);
      submit.mutable_report()->set_year(2023);
      submit.mutable_report()->set_text(testing::ReadSeed("002_4f28ee6da608f1e8.txt"));
      MustCall(backends_->report(), &rv1::ReportService::Stub::SubmitReport, submit);
    }
  }

  // Cache off: every region is missing, so the ranking asks in bulk.
  auto uncached = StartUncachedGateway();
  gv1::RankRegionsRequest rank;
  rank.set_parent_region_code("310000");
  rank.set_year(2023);
  gv1::RankRegionsResponse ranked;
  ASSERT_TRUE(
      testing::CallUnary(uncached.get(), &gv1::GatewayService::Stub::RankRegions, rank, &ranked)
          .ok());
  ASSERT_EQ(ranked.regions_size(), 12);
  std::set<double> scores;
  for (const auto& line : ranked.regions()) {
    SCOPED_TRACE(line.region().code());
    EXPECT_FALSE(line.partial());
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code(line.region().code());
    request.set_year(2023);
    gv1::DistrictComplianceSummary own;
    ASSERT_TRUE(testing::CallUnary(uncached.get(),
                                   &gv1::GatewayService::Stub::GetDistrictComplianceSummary,
                                   request, &own)
                    .ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(line.score(), own.score()))
        << line.score().DebugString() << "\nvs\n"
        << own.score().DebugString();
    EXPECT_EQ(line.region().name(), own.region().name());
    scores.insert(line.score().value());
  }
  // The data differ, and so do the scores: the comparison is not vacuous.
  EXPECT_GE(scores.size(), 3u);

  // A backend down: every line is partial, none is scored from nothing.
  backends_->Stop(Backend::kMetrics);
  ASSERT_TRUE(
      testing::CallUnary(uncached.get(), &gv1::GatewayService::Stub::RankRegions, rank, &ranked)
          .ok());
  ASSERT_EQ(ranked.regions_size(), 12);
  for (const auto& line : ranked.regions()) EXPECT_TRUE(line.partial()) << line.region().code();
  backends_->Start(Backend::kMetrics);
}

}  // namespace
}  // namespace fazhi::gateway
