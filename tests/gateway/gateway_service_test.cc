// The gateway in process against real backends (each on its own RocksDB),
// all on localhost: the summary across services, partial answers with each
// backend down, the caller's deadline carried to the backends, retries,
// the in-flight limit, rankings, trends and the project dossier.
#include "services/gateway/gateway_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/limits.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "tests/gateway/backend_servers.h"
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
    ++calls_;
    for (int i = 0; i < 1000 && !context->IsCancelled(); ++i) std::this_thread::sleep_for(10ms);
    cancelled_ = context->IsCancelled();
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "stalled");
  }
  std::chrono::system_clock::time_point seen_deadline_;
  std::atomic<int> calls_{0};
  std::atomic<bool> cancelled_{false};
};

// A metrics backend whose first GetSnapshot fails UNAVAILABLE, as a backend
// restarting would; later ones answer.
class FlakyMetrics final : public mv1::MetricsService::Service {
 public:
  grpc::Status GetSnapshot(grpc::ServerContext*, const mv1::GetSnapshotRequest* request,
                           mv1::Snapshot* snapshot) override {
    if (calls_++ == 0) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
    snapshot->set_subject(request->subject());
    return grpc::Status::OK;
  }
  std::atomic<int> calls_{0};
};

template <typename Stub, typename Request, typename Response>
void MustCall(Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const Request& request, Response* response = nullptr) {
  Response ignored;
  const absl::Status s =
      testing::CallUnary(&stub, method, request, response != nullptr ? response : &ignored);
  ASSERT_TRUE(s.ok()) << s;
}

class GatewayServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backends_ = std::make_unique<testing::BackendServers>(dir_.path());
    Load();
  }

  void Load() {
    auto& catalogue = backends_->catalogue();
    cv1::CreateRegionRequest shanghai;
    shanghai.mutable_region()->set_code("310000");
    shanghai.mutable_region()->set_display_name("上海市");
    shanghai.mutable_region()->set_level(cv1::REGION_LEVEL_PROVINCE);
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, shanghai);
    cv1::CreateRegionRequest baoshan;
    baoshan.mutable_region()->set_code("310113");
    baoshan.mutable_region()->set_display_name("宝山区");
    baoshan.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    baoshan.mutable_region()->set_parent("regions/310000");
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, baoshan);
    cv1::CreateUnitRequest unit;
    unit.set_unit_id("310113-government");
    unit.mutable_unit()->set_display_name("上海市宝山区人民政府");
    unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
    unit.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT);
    unit.mutable_unit()->set_region("regions/310113");
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateUnit, unit);

    auto& metrics = backends_->metrics();
    mv1::CreateIndicatorRequest indicator;
    indicator.mutable_indicator()->set_code("court_appearance_rate");
    indicator.mutable_indicator()->set_display_name("行政机关负责人出庭应诉率");
    indicator.mutable_indicator()->set_unit_of_measure("%");
    indicator.mutable_indicator()->set_kind(mv1::INDICATOR_KIND_RATE);
    indicator.mutable_indicator()->set_direction(mv1::DIRECTION_HIGHER_IS_BETTER);
    MustCall(metrics, &mv1::MetricsService::Stub::CreateIndicator, indicator);
    mv1::RecordObservationRequest observation;
    observation.mutable_observation()->set_indicator("indicators/court_appearance_rate");
    observation.mutable_observation()->set_subject("regions/310113");
    observation.mutable_observation()->mutable_period()->set_year(2023);
    observation.mutable_observation()->mutable_quantity()->set_text("100%");
    MustCall(metrics, &mv1::MetricsService::Stub::RecordObservation, observation);

    rv1::SubmitReportRequest submit;
    submit.set_report_id("310113-government-2023");
    submit.mutable_report()->set_filer("units/310113-government");
    submit.mutable_report()->set_region("regions/310113");
    submit.mutable_report()->set_year(2023);
    submit.mutable_report()->set_text(testing::ReadSeed("002_4f28ee6da608f1e8.txt"));
    MustCall(backends_->report(), &rv1::ReportService::Stub::SubmitReport, submit);
  }

  std::unique_ptr<server::ServerRunner> StartGateway(const GatewayOptions& options) {
    gateway_ = std::make_unique<GatewayServiceImpl>(options, testing::TestAuthorizer(),
                                                    testing::ShippedRules());
    return testing::StartInProcess(gateway_.get(), "fazhi.gateway.v1.GatewayService");
  }
  std::unique_ptr<server::ServerRunner> StartGateway(absl::Duration per_call_timeout) {
    return StartGateway(backends_->GatewayOptionsFor(per_call_timeout));
  }

  grpc::Status Summary(server::ServerRunner& gateway, gv1::DistrictComplianceSummary* out,
                       std::chrono::milliseconds deadline = 10s) {
    return SummaryOver(testing::Connect(gateway.target()), out, deadline);
  }
  // Baoshan's 2023 summary, asked over `channel` (whose credential says who
  // asks).
  grpc::Status SummaryOver(std::shared_ptr<grpc::Channel> channel,
                           gv1::DistrictComplianceSummary* out,
                           std::chrono::milliseconds deadline = 10s) {
    auto stub = gv1::GatewayService::NewStub(std::move(channel));
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code("310113");
    request.set_year(2023);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    return stub->GetDistrictComplianceSummary(&context, request, out);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::BackendServers> backends_;
  std::unique_ptr<GatewayServiceImpl> gateway_;
};

TEST_F(GatewayServiceTest, SummaryJoinsAllThreeServices) {
  auto gateway = StartGateway(absl::Seconds(3));
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
  EXPECT_GT(s.as_of().year(), 2000);
}

// Issue #19: the gateway reads for anyone the policy lets read. In insecure
// development the test policy lets a caller with no credential read; the
// backends then hear from the gateway alone, and still answer it.
TEST_F(GatewayServiceTest, AnAnonymousCallerGetsTheSummaryInDevelopment) {
  auto gateway = StartGateway(absl::Seconds(3));
  gv1::DistrictComplianceSummary s;
  const grpc::Status status =
      SummaryOver(grpc::CreateChannel(gateway->target(), grpc::InsecureChannelCredentials()), &s);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(s.partial());
  EXPECT_EQ(s.region().display_name(), "宝山区");
}

TEST_F(GatewayServiceTest, ACallerThePolicyDoesNotKnowIsRefused) {
  auto gateway = StartGateway(absl::Seconds(3));
  auto channel = testing::Connect(gateway->target(), "test/nobody-known");
  gv1::DistrictComplianceSummary s;
  EXPECT_EQ(SummaryOver(channel, &s).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto stub = gv1::GatewayService::NewStub(channel);
  gv1::RankRegionsRequest rank;
  rank.set_parent_region_code("310000");
  rank.set_year(2023);
  grpc::ClientContext rank_context;
  gv1::RankRegionsResponse ranked;
  EXPECT_EQ(stub->RankRegions(&rank_context, rank, &ranked).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// A reader's summary: the backends check the reader, acting through the
// gateway, and answer every section.
TEST_F(GatewayServiceTest, AReadersSummaryIsWhole) {
  auto gateway = StartGateway(absl::Seconds(3));
  gv1::DistrictComplianceSummary s;
  const grpc::Status status =
      SummaryOver(testing::Connect(gateway->target(), testing::kTestReader), &s);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(s.partial());
}

TEST_F(GatewayServiceTest, EachBackendDownMakesThePartialAnswerSaySo) {
  // Stopping a backend one at a time; a fresh gateway each time.
  {
    backends_->Stop(Backend::kMetrics);
    auto gateway = StartGateway(absl::Seconds(1));
    gv1::DistrictComplianceSummary s;
    ASSERT_TRUE(Summary(*gateway, &s).ok());
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.indicators().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_EQ(s.indicators().indicators_size(), 0);
    EXPECT_TRUE(s.government_report().filed());
    EXPECT_EQ(s.backends(1).cache(), gv1::CACHE_STATE_RESYNCHRONISING);
  }
  {
    backends_->Stop(Backend::kReport);
    auto gateway = StartGateway(absl::Seconds(1));
    gv1::DistrictComplianceSummary s;
    ASSERT_TRUE(Summary(*gateway, &s).ok());
    EXPECT_EQ(s.government_report().state(), gv1::SECTION_STATE_UNREACHABLE);
    EXPECT_FALSE(s.government_report().filed());
    EXPECT_EQ(s.projects().state(), gv1::SECTION_STATE_OK);
  }
  {
    backends_->Stop(Backend::kCatalogue);
    auto gateway = StartGateway(absl::Seconds(1));
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
  GatewayOptions options = backends_->GatewayOptionsFor(absl::Seconds(30));
  options.backends.metrics.address = stalled_server->target();
  auto gateway = StartGateway(options);
  gv1::DistrictComplianceSummary s;
  const auto caller_deadline = std::chrono::system_clock::now() + 300ms;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = Summary(*gateway, &s, 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(took, 3s);
  for (int i = 0; i < 300 && !stalled.cancelled_; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(stalled.calls_, 1);
  EXPECT_TRUE(stalled.cancelled_) << "the backend call outlived the caller";
  EXPECT_LE(stalled.seen_deadline_, caller_deadline + 50ms)
      << "the backend was given more time than the caller allowed";
}

TEST_F(GatewayServiceTest, UnavailableIsRetriedByTheChannel) {
  FlakyMetrics flaky;
  auto flaky_server = testing::StartInProcess(&flaky, "fazhi.metrics.v1.MetricsService");
  GatewayOptions options = backends_->GatewayOptionsFor(absl::Seconds(3));
  options.backends.metrics.address = flaky_server->target();
  auto gateway = StartGateway(options);
  gv1::DistrictComplianceSummary s;
  ASSERT_TRUE(Summary(*gateway, &s).ok());
  EXPECT_TRUE(s.backends(1).answered()) << s.backends(1).error();
  EXPECT_EQ(s.indicators().state(), gv1::SECTION_STATE_OK);
  EXPECT_EQ(flaky.calls_, 2);
}

TEST_F(GatewayServiceTest, AFullBackendIsNotCalledAndTheAnswerSaysWhy) {
  GatewayOptions options = backends_->GatewayOptionsFor(absl::Milliseconds(300));
  options.backends.metrics.max_in_flight = 1;
  options.cache = false;
  BackendClients clients(options.backends);
  GatewayCache cache(options.cache);
  SummarySource source(options, testing::ShippedRules(), &clients, &cache);
  // Another call holds metrics' only slot for the whole summary.
  InFlightLimit& metrics = clients.limit(Backend::kMetrics);
  ASSERT_TRUE(metrics.Acquire(absl::Now() + absl::Seconds(1)).ok());
  auto partial = source.Summarize(nullptr, "310113", 2023);
  metrics.Release();
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_TRUE(partial->partial());
  EXPECT_EQ(partial->indicators().state(), gv1::SECTION_STATE_UNREACHABLE);
  EXPECT_EQ(partial->government_report().state(), gv1::SECTION_STATE_OK);
  const std::string& error = partial->backends(1).error();
  EXPECT_EQ(error.rfind("RESOURCE_EXHAUSTED: the gateway already has 1 calls in flight to the "
                        "metrics service",
                        0),
            0u)
      << error;
  // With the slot free again, metrics answers.
  auto full = source.Summarize(nullptr, "310113", 2023);
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->partial());
}

TEST_F(GatewayServiceTest, BadRequestsNameTheField) {
  auto gateway = StartGateway(absl::Seconds(3));
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

// More regions than one BatchGetSnapshots may name (limits.h): the gateway
// asks metrics in batches it takes, so no line is partial. (A batch over the
// limit is refused whole: every line of a national ranking came back
// partial, and so was never cached.)
TEST_F(GatewayServiceTest, ARankingOfMoreRegionsThanOneSnapshotBatchIsWhole) {
  constexpr int kCounties = limits::kMaxSnapshotSubjects + 30;
  auto& catalogue = backends_->catalogue();
  cv1::CreateRegionRequest region;
  region.mutable_region()->set_code("320000");
  region.mutable_region()->set_display_name("江苏省");
  region.mutable_region()->set_level(cv1::REGION_LEVEL_PROVINCE);
  MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region);
  for (int i = 0; i < kCounties; ++i) {
    const std::string prefecture = absl::StrFormat("32%02d00", 1 + i / 90);
    if (i % 90 == 0) {
      region.mutable_region()->set_code(prefecture);
      region.mutable_region()->set_display_name(absl::StrCat("市", prefecture));
      region.mutable_region()->set_level(cv1::REGION_LEVEL_PREFECTURE);
      region.mutable_region()->set_parent("regions/320000");
      MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region);
    }
    const std::string county = absl::StrFormat("32%02d%02d", 1 + i / 90, 1 + i % 90);
    region.mutable_region()->set_code(county);
    region.mutable_region()->set_display_name(absl::StrCat("县", county));
    region.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    region.mutable_region()->set_parent(absl::StrCat("regions/", prefecture));
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region);
  }
  auto gateway = StartGateway(absl::Seconds(5));
  auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway->target()));
  gv1::RankRegionsRequest national;
  national.set_level(cv1::REGION_LEVEL_COUNTY);
  national.set_year(2023);
  national.set_page_size(kCounties + 1);
  gv1::RankRegionsResponse all;
  MustCall(*stub, &gv1::GatewayService::Stub::RankRegions, national, &all);
  EXPECT_EQ(all.total_regions(), kCounties + 1);  // and Baoshan
  ASSERT_EQ(all.regions_size(), kCounties + 1);
  int partial = 0;
  for (const auto& line : all.regions()) partial += line.partial() ? 1 : 0;
  EXPECT_EQ(partial, 0);
  // Baoshan's indicator reached the ranking through the batches.
  EXPECT_EQ(all.regions(0).region().code(), "310113");
}

TEST_F(GatewayServiceTest, RankingAndTrend) {
  // A second district, with no report: it ranks below Baoshan.
  cv1::CreateRegionRequest putuo;
  putuo.mutable_region()->set_code("310107");
  putuo.mutable_region()->set_display_name("普陀区");
  putuo.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
  putuo.mutable_region()->set_parent("regions/310000");
  MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateRegion, putuo);
  auto gateway = StartGateway(absl::Seconds(3));
  auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway->target()));
  gv1::RankRegionsRequest rank;
  rank.set_parent_region_code("310000");
  rank.set_year(2023);
  rank.set_page_size(1);
  gv1::RankRegionsResponse first;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::RankRegions, rank, &first).ok());
  EXPECT_EQ(first.total_regions(), 2);
  ASSERT_EQ(first.regions_size(), 1);
  EXPECT_EQ(first.regions(0).rank(), 1);
  EXPECT_EQ(first.regions(0).region().code(), "310113");
  ASSERT_FALSE(first.next_page_token().empty());
  rank.set_page_token(first.next_page_token());
  gv1::RankRegionsResponse second;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::RankRegions, rank, &second).ok());
  ASSERT_EQ(second.regions_size(), 1);
  EXPECT_EQ(second.regions(0).region().code(), "310107");
  EXPECT_LT(second.regions(0).score().value(), first.regions(0).score().value());
  EXPECT_TRUE(second.next_page_token().empty());

  // Every county-level region of the country: the same two.
  gv1::RankRegionsRequest national;
  national.set_level(cv1::REGION_LEVEL_COUNTY);
  national.set_year(2023);
  gv1::RankRegionsResponse all;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::RankRegions, national, &all).ok());
  ASSERT_EQ(all.regions_size(), 2);
  EXPECT_EQ(all.regions(0).region().code(), "310113");
  national.set_level(cv1::REGION_LEVEL_UNSPECIFIED);
  EXPECT_EQ(testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::RankRegions, national, &all)
                .code(),
            absl::StatusCode::kInvalidArgument);

  gv1::GetRegionTrendRequest trend;
  trend.set_region_code("310113");
  trend.set_from_year(2022);
  trend.set_to_year(2023);
  gv1::RegionTrend answer;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::GetRegionTrend, trend, &answer)
          .ok());
  ASSERT_EQ(answer.points_size(), 2);
  EXPECT_FALSE(answer.points(0).government_report_filed());
  EXPECT_TRUE(answer.points(1).government_report_filed());
  EXPECT_EQ(answer.points(1).indicators_met(), 1);
  EXPECT_GT(answer.points(1).score().value(), answer.points(0).score().value());
}

class ProjectDossierTest : public GatewayServiceTest {
 protected:
  void SetUp() override {
    GatewayServiceTest::SetUp();
    // Baoshan's excellent project of 2023, which the seed report mentions.
    cv1::CreateProjectRequest project;
    project.set_project_id("y2023-310113-excellent-01");
    auto* p = project.mutable_project();
    p->set_year(2023);
    p->set_level(cv1::PROJECT_LEVEL_DISTRICT);
    p->set_title("“三端联动一体化”保障“两旧一村”改造");
    p->add_units("units/310113-government");
    p->set_region("regions/310113");
    p->set_excellent(true);
    MustCall(backends_->catalogue(), &cv1::CatalogueService::Stub::CreateProject, project);
    // A figure of the responsible unit, and one the report states.
    mv1::RecordObservationRequest own;
    own.mutable_observation()->set_indicator("indicators/court_appearance_rate");
    own.mutable_observation()->set_subject("units/310113-government");
    own.mutable_observation()->mutable_period()->set_year(2023);
    own.mutable_observation()->mutable_quantity()->set_text("100%");
    MustCall(backends_->metrics(), &mv1::MetricsService::Stub::RecordObservation, own);
    mv1::RecordObservationRequest stated = own;
    stated.mutable_observation()->set_subject("regions/310113");
    stated.mutable_observation()->mutable_period()->set_year(2023);
    stated.mutable_observation()->mutable_provenance()->set_source(
        fazhi::type::Provenance::SOURCE_IMPORTED);
    stated.mutable_observation()->mutable_provenance()->set_report(
        "reports/310113-government-2023");
    MustCall(backends_->metrics(), &mv1::MetricsService::Stub::RecordObservation, stated);
  }

  grpc::Status Dossier(server::ServerRunner& gateway, const std::string& project,
                       gv1::ProjectDossier* out) {
    auto stub = gv1::GatewayService::NewStub(testing::Connect(gateway.target()));
    gv1::GetProjectDossierRequest request;
    request.set_project(project);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    return stub->GetProjectDossier(&context, request, out);
  }
};

TEST_F(ProjectDossierTest, UnitsObservationsAndReportPassages) {
  auto gateway = StartGateway(absl::Seconds(3));
  gv1::ProjectDossier d;
  ASSERT_TRUE(Dossier(*gateway, "projects/y2023-310113-excellent-01", &d).ok());
  EXPECT_FALSE(d.partial());
  EXPECT_EQ(d.project().title(), "“三端联动一体化”保障“两旧一村”改造");
  EXPECT_EQ(d.region().display_name(), "宝山区");
  ASSERT_EQ(d.units().units_size(), 1);
  EXPECT_EQ(d.units().units(0).display_name(), "上海市宝山区人民政府");

  EXPECT_EQ(d.passages().query(), "三端联动一体化 保障 两旧一村 改造");
  ASSERT_GE(d.passages().passages_size(), 1);
  const auto& passage = d.passages().passages(0);
  EXPECT_EQ(passage.report(), "reports/310113-government-2023");
  EXPECT_NE(passage.snippet().find("三端联动一体化"), std::string::npos) << passage.snippet();

  ASSERT_EQ(d.observations().observations_size(), 2);
  EXPECT_EQ(d.observations().observations(0).tie(), gv1::OBSERVATION_TIE_RESPONSIBLE_UNIT);
  EXPECT_EQ(d.observations().observations(0).indicator_display_name(), "行政机关负责人出庭应诉率");
  EXPECT_EQ(d.observations().observations(1).tie(), gv1::OBSERVATION_TIE_MENTIONING_REPORT);
  // Registered, never delivered, its year long over: late.
  EXPECT_EQ(d.timeliness(), gv1::PROJECT_TIMELINESS_OVERDUE);
}

TEST_F(ProjectDossierTest, PartialWithAServiceDownAndErrorsForBadNames) {
  backends_->Stop(Backend::kReport);
  auto gateway = StartGateway(absl::Seconds(1));
  gv1::ProjectDossier d;
  ASSERT_TRUE(Dossier(*gateway, "projects/y2023-310113-excellent-01", &d).ok());
  EXPECT_TRUE(d.partial());
  EXPECT_EQ(d.passages().state(), gv1::SECTION_STATE_UNREACHABLE);
  EXPECT_TRUE(d.observations().report_ties_unknown());
  EXPECT_EQ(d.observations().observations_size(), 1);
  EXPECT_FALSE(d.backends(2).answered());

  EXPECT_EQ(Dossier(*gateway, "projects/nothing-here", &d).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Dossier(*gateway, "units/310113-government", &d).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace fazhi::gateway
