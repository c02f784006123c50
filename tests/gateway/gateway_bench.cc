// Gateway benchmarks, each printed next to the health Check of the same
// gateway in the same run (fazhiload, closed loop):
//
//   1. warm summary of one district (cache on), concurrency 8: goal at least
//      0.8 of the health check's QPS;
//   2. cold summary (cache off) on Shanghai demo-like data: goal p99 < 5 ms;
//   3. ranking of the 16 Shanghai districts: goal p99 < 10 ms;
//   4. ranking of 2,844 county-level regions on a generated national data
//      set: goal < 1 s (cold: cache off; and the first call of a cached
//      gateway).
//
// Shanghai demo-like data: data/demo imported as `fazhictl import` does,
// and every district given what the demo has for Baoshan 2023 (government
// and justice-bureau reports, indicator values for 2022 and 2023). The
// national set: 34 provinces, 238 prefectures, 2,844 counties, each county
// with two units, a project, a government report and indicator values.
//
//   build/tests/gateway_bench [--concurrency=8] [--seconds=5] [--national=true]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/api/limits.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/gateway_service.h"
#include "tests/gateway/backend_servers.h"
#include "tests/testing/test_env.h"
#include "tools/fazhictl/import_file_reader.h"
#include "tools/fazhictl/importer.h"
#include "tools/fazhiload/load.h"

ABSL_FLAG(int, concurrency, 8, "callers");
ABSL_FLAG(int, seconds, 5, "seconds per measurement");
ABSL_FLAG(bool, national, true, "also run the national ranking (loads 2,844 counties)");

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

constexpr int kYear = 2023;
constexpr int kNationalCounties = 2844;

void Die(const absl::Status& s, const std::string& what) {
  if (s.ok()) return;
  std::fprintf(stderr, "gateway_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

template <typename Stub, typename Request, typename Response>
void MustCall(Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const Request& request, const std::string& what) {
  Response response;
  Die(testing::CallUnary(&stub, method, request, &response), what);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

// A government annual report with the four required parts, for `name`.
std::string GovernmentReportText(const std::string& name, int year) {
  return absl::StrCat(
      name, "人民政府关于", year, "年法治政府建设情况的报告\n", "一、", year,
      "年推进法治政府建设的主要举措和成效\n",
      "全面推进严格规范公正文明执法，深化行政复议体制改革，健全矛盾纠纷多元化解机制。\n",
      "二、存在的不足和原因\n", "基层执法队伍专业化水平仍需提高。\n",
      "三、党政主要负责人履行推进法治建设第一责任人职责情况\n",
      "主要负责人专题研究法治政府建设工作，带头尊法学法守法用法。\n", "四、", year + 1,
      "年推进法治政府建设的主要安排\n", "持续深化法治政府建设示范创建。\n");
}

// One region-year's data, as the demo has it for Baoshan 2023: reports of
// the government and of its justice bureau, and values for `year - 1` and
// `year` of the indicators with targets and their counts.
void AddRegionYear(const std::string& code, const std::string& name, int year, int seed,
                   std::vector<rv1::SubmitReportRequest>* reports,
                   mv1::BatchRecordObservationsRequest* observations) {
  const std::string region = absl::StrCat("regions/", code);
  for (const char* filer : {"government", "justice"}) {
    rv1::SubmitReportRequest submit;
    submit.set_request_id(absl::StrCat("bench-", code, "-", filer, "-", year));
    auto* r = submit.mutable_report();
    r->set_filer(absl::StrCat("units/", code, "-", filer));
    r->set_region(region);
    r->set_year(year);
    r->set_kind(std::string(filer) == "government" ? rv1::REPORT_KIND_GOVERNMENT_ANNUAL
                                                   : rv1::REPORT_KIND_DEPARTMENT_ANNUAL);
    r->set_text(GovernmentReportText(name, year));
    r->mutable_submitted_date()->set_year(year + 1);
    r->mutable_submitted_date()->set_month(2);
    r->mutable_submitted_date()->set_day(20 + seed % 9);
    reports->push_back(submit);
  }
  for (int y = year - 1; y <= year; ++y) {
    const int received = 300 + (seed * 37 + y) % 200;
    const std::pair<const char*, std::string> values[] = {
        {"court_appearance_rate", seed % 5 == 0 ? "96.5" : "100"},
        {"enforcement_training_hours", absl::StrCat(55 + seed % 20)},
        {"admin_reconsideration_received", absl::StrCat(received)},
        {"admin_reconsideration_closed", absl::StrCat(received - seed % 30)},
        {"mediation_accepted", absl::StrCat(20000 + seed * 13)},
        {"mediation_succeeded", absl::StrCat(19800 + seed * 13)},
        {"litigation_loss_rate", absl::StrFormat("%d.%d", 2 + seed % 5, 1 + seed % 9)}};
    for (const auto& [indicator, decimal] : values) {
      auto* o = observations->add_requests()->mutable_observation();
      o->set_indicator(absl::StrCat("indicators/", indicator));
      o->set_subject(region);
      o->mutable_period()->set_year(y);
      o->mutable_quantity()->set_decimal(decimal);
    }
  }
}

void SubmitAll(testing::BackendServers& backends,
               const std::vector<rv1::SubmitReportRequest>& reports,
               mv1::BatchRecordObservationsRequest& observations) {
  for (const auto& r : reports) {
    MustCall(backends.report(), &rv1::ReportService::Stub::SubmitReport, r, "report");
  }
  // In batches of at most limits::kMaxBatchItems (the service's limit).
  mv1::BatchRecordObservationsRequest batch;
  auto flush = [&] {
    if (batch.requests().empty()) return;
    mv1::BatchRecordObservationsResponse response;
    Die(testing::CallUnary(&backends.metrics(), &mv1::MetricsService::Stub::BatchRecordObservations,
                           batch, &response),
        "observations");
    for (const auto& result : response.results()) {
      if (result.has_error()) {
        Die(absl::InternalError(result.error().message()),
            absl::StrCat("observation ", result.index(), " rejected"));
      }
    }
    batch.clear_requests();
  };
  for (const auto& r : observations.requests()) {
    *batch.add_requests() = r;
    if (batch.requests_size() == limits::kMaxBatchItems) flush();
  }
  flush();
}

const char* const kDistricts[] = {"310101", "310104", "310105", "310106", "310107", "310109",
                                  "310110", "310112", "310113", "310114", "310115", "310116",
                                  "310117", "310118", "310120", "310151"};

void LoadShanghai(testing::BackendServers& backends) {
  const ctl::ImportDirectory demo =
      ctl::ReadImportDirectory(std::string(FAZHI_SOURCE_DIR) + "/data/demo");
  if (!demo.errors.empty()) Die(absl::InternalError(demo.errors[0]), "demo data");
  std::ostringstream errors;
  ctl::Importer importer(&backends.catalogue(), &backends.metrics(), &backends.report(), &errors);
  const ctl::ImportCounts counts = importer.Run(demo.merged);
  if (counts.any_failed()) Die(absl::InternalError(errors.str()), "importing data/demo");

  std::vector<rv1::SubmitReportRequest> reports;
  mv1::BatchRecordObservationsRequest observations;
  int seed = 0;
  for (const char* code : kDistricts) {
    if (std::string(code) == "310113") continue;  // the demo has Baoshan 2023
    AddRegionYear(code, absl::StrCat("区", code), kYear, ++seed, &reports, &observations);
  }
  SubmitAll(backends, reports, observations);
}

void LoadNation(testing::BackendServers& backends) {
  // The demo's indicators.
  const ctl::ImportDirectory demo =
      ctl::ReadImportDirectory(std::string(FAZHI_SOURCE_DIR) + "/data/demo");
  for (const auto& indicator : demo.merged.indicators()) {
    mv1::CreateIndicatorRequest create;
    *create.mutable_indicator() = indicator;
    MustCall(backends.metrics(), &mv1::MetricsService::Stub::CreateIndicator, create, "indicator");
  }
  auto& catalogue = backends.catalogue();
  std::vector<rv1::SubmitReportRequest> reports;
  mv1::BatchRecordObservationsRequest observations;
  // County i: province i / 84, prefecture (i % 84) / 12, county i % 12.
  std::string last_province, last_prefecture;
  for (int i = 0; i < kNationalCounties; ++i) {
    const int p = 11 + i / 84, f = 1 + (i % 84) / 12, c = 1 + i % 12;
    const std::string province = absl::StrFormat("%02d0000", p);
    const std::string prefecture = absl::StrFormat("%02d%02d00", p, f);
    const std::string county = absl::StrFormat("%02d%02d%02d", p, f, c);
    cv1::CreateRegionRequest region;
    if (province != last_province) {
      region.mutable_region()->set_code(province);
      region.mutable_region()->set_display_name(absl::StrCat("省", province));
      region.mutable_region()->set_level(cv1::REGION_LEVEL_PROVINCE);
      MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region, "province");
      last_province = province;
    }
    if (prefecture != last_prefecture) {
      region.mutable_region()->set_code(prefecture);
      region.mutable_region()->set_display_name(absl::StrCat("市", prefecture));
      region.mutable_region()->set_level(cv1::REGION_LEVEL_PREFECTURE);
      region.mutable_region()->set_parent(absl::StrCat("regions/", province));
      MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region, "prefecture");
      last_prefecture = prefecture;
    }
    const std::string name = absl::StrCat("县", county);
    region.mutable_region()->set_code(county);
    region.mutable_region()->set_display_name(name);
    region.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
    region.mutable_region()->set_parent(absl::StrCat("regions/", prefecture));
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateRegion, region, "county");
    for (const auto& [id, kind, suffix] :
         {std::tuple{"government", cv1::UNIT_KIND_GOVERNMENT, "人民政府"},
          std::tuple{"justice", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT, "司法局"}}) {
      cv1::CreateUnitRequest unit;
      unit.set_unit_id(absl::StrCat(county, "-", id));
      unit.mutable_unit()->set_display_name(absl::StrCat(name, suffix));
      unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
      unit.mutable_unit()->set_kind(kind);
      unit.mutable_unit()->set_region(absl::StrCat("regions/", county));
      MustCall(catalogue, &cv1::CatalogueService::Stub::CreateUnit, unit, "unit");
    }
    cv1::CreateProjectRequest project;
    project.set_project_id(absl::StrCat("p", county));
    project.mutable_project()->set_year(kYear);
    project.mutable_project()->set_level(cv1::PROJECT_LEVEL_DISTRICT);
    project.mutable_project()->set_title(absl::StrCat(name, "公共法律服务进村居"));
    project.mutable_project()->add_units(absl::StrCat("units/", county, "-justice"));
    project.mutable_project()->set_region(absl::StrCat("regions/", county));
    project.mutable_project()->set_status(i % 3 == 0 ? cv1::PROJECT_STATUS_DELIVERED
                                                     : cv1::PROJECT_STATUS_REGISTERED);
    MustCall(catalogue, &cv1::CatalogueService::Stub::CreateProject, project, "project");
    AddRegionYear(county, name, kYear, i, &reports, &observations);
  }
  SubmitAll(backends, reports, observations);
}

// A gateway in process, with a channel to it.
struct Gateway {
  Gateway(const testing::BackendServers& backends, bool cache)
      : service(
            [&] {
              GatewayOptions options = backends.GatewayOptionsFor();
              options.cache = cache;
              return options;
            }(),
            testing::TestAuthorizer(), testing::ShippedRules()),
        server(testing::StartInProcess(&service, "fazhi.gateway.v1.GatewayService")),
        channel(testing::Connect(server->target())) {}
  ~Gateway() { server->Shutdown(); }

  load::LoadResult Run(const std::string& method, const std::string& json, int concurrency) {
    load::LoadOptions options;
    options.method = method;
    options.concurrency = concurrency;
    options.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
    auto maker = load::JsonRequestMaker(method, json, 0);
    Die(maker.status(), "request");
    return load::RunLoad(channel, options, *maker);
  }
  load::LoadResult Health(int concurrency) {
    return Run("/grpc.health.v1.Health/Check", "{}", concurrency);
  }
  // Where one summary's parts came from: "catalogue HIT, metrics HIT, …".
  std::string CacheStates(const std::string& code) {
    auto stub = gv1::GatewayService::NewStub(channel);
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code(code);
    request.set_year(kYear);
    gv1::DistrictComplianceSummary summary;
    Die(testing::CallUnary(stub.get(), &gv1::GatewayService::Stub::GetDistrictComplianceSummary,
                           request, &summary),
        "summary");
    std::vector<std::string> states;
    for (const auto& b : summary.backends()) {
      states.push_back(absl::StrCat(b.service(), " ", gv1::CacheState_Name(b.cache())));
    }
    return absl::StrCat(absl::StrJoin(states, ", "), "; ", summary.ByteSizeLong(), " bytes",
                        summary.partial() ? ", partial" : "");
  }

  // One call, timed; the response's total_regions.
  double TimeOneRanking(const std::string& json, int* regions) {
    auto stub = gv1::GatewayService::NewStub(channel);
    gv1::RankRegionsRequest request;
    Die(absl::Status(google::protobuf::util::JsonStringToMessage(json, &request).ok()
                         ? absl::OkStatus()
                         : absl::InvalidArgumentError(json)),
        "ranking request");
    gv1::RankRegionsResponse response;
    const absl::Time start = absl::Now();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    const grpc::Status status = stub->RankRegions(&context, request, &response);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
    if (!status.ok()) Die(absl::InternalError(status.error_message()), "ranking");
    *regions = response.total_regions();
    return ms;
  }

  GatewayServiceImpl service;
  std::unique_ptr<server::ServerRunner> server;
  std::shared_ptr<grpc::Channel> channel;
};

constexpr char kSummary[] = "/fazhi.gateway.v1.GatewayService/GetDistrictComplianceSummary";
constexpr char kRank[] = "/fazhi.gateway.v1.GatewayService/RankRegions";

void Print(const std::string& label, const load::LoadResult& r, const load::LoadResult& health,
           const std::string& goal) {
  std::printf("%s   ratio %.2f   %s\n", load::FormatResult(label, r).c_str(), r.qps / health.qps,
              goal.c_str());
  if (r.errors > 0) std::printf("    first error: %s\n", r.first_error.c_str());
}

int Main() {
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  std::printf("load average at start: %s (2 cores, shared)\n", LoadAverage().c_str());
  int errors = 0;
  {
    testing::TempDir dir;
    testing::BackendServers backends(dir.path(), /*sync_writes=*/false);
    const absl::Time load_start = absl::Now();
    LoadShanghai(backends);
    std::printf("Shanghai demo-like data loaded in %.1f s\n",
                absl::ToDoubleSeconds(absl::Now() - load_start));
    const std::string baoshan = R"({"region_code":"310113","year":2023})";
    const std::string districts = R"({"parent_region_code":"310000","year":2023})";

    Gateway warm(backends, /*cache=*/true);
    const auto warm_health = warm.Health(concurrency);
    const auto warm_summary = warm.Run(kSummary, baoshan, concurrency);
    const auto warm_rank = warm.Run(kRank, districts, concurrency);
    const auto warm_rank_1 = warm.Run(kRank, districts, 1);
    std::printf("\ngateway with cache, %d s each, same gateway and run\n",
                absl::GetFlag(FLAGS_seconds));
    std::printf("%s\n", load::FormatResult(absl::StrCat("health Check (anchor), c=", concurrency),
                                           warm_health)
                            .c_str());
    Print(absl::StrCat("warm summary 310113/2023, c=", concurrency), warm_summary, warm_health,
          "goal: ratio >= 0.8");
    std::printf("    (the summary: %s)\n", warm.CacheStates("310113").c_str());
    Print(absl::StrCat("ranking of 16 districts, c=", concurrency), warm_rank, warm_health,
          "goal: p99 < 10 ms");
    Print("ranking of 16 districts, c=1", warm_rank_1, warm_health, "goal: p99 < 10 ms");

    Gateway cold(backends, /*cache=*/false);
    const auto cold_health = cold.Health(concurrency);
    const auto cold_summary_1 = cold.Run(kSummary, baoshan, 1);
    const auto cold_summary = cold.Run(kSummary, baoshan, concurrency);
    const auto cold_rank = cold.Run(kRank, districts, 1);
    std::printf("\ngateway without cache (--cache=false), same gateway and run\n");
    std::printf("%s\n", load::FormatResult(absl::StrCat("health Check (anchor), c=", concurrency),
                                           cold_health)
                            .c_str());
    Print("cold summary 310113/2023, c=1", cold_summary_1, cold_health, "goal: p99 < 5 ms");
    Print(absl::StrCat("cold summary 310113/2023, c=", concurrency), cold_summary, cold_health,
          "(throughput)");
    Print("cold ranking of 16 districts, c=1", cold_rank, cold_health, "(for comparison)");
    errors += warm_summary.errors + warm_rank.errors + warm_rank_1.errors + cold_summary.errors +
              cold_summary_1.errors + cold_rank.errors;
  }
  if (absl::GetFlag(FLAGS_national)) {
    testing::TempDir dir;
    testing::BackendServers backends(dir.path(), /*sync_writes=*/false);
    const absl::Time load_start = absl::Now();
    LoadNation(backends);
    std::printf("\nnational data set (%d counties) loaded in %.1f s\n", kNationalCounties,
                absl::ToDoubleSeconds(absl::Now() - load_start));
    const std::string counties = R"({"level":"REGION_LEVEL_COUNTY","year":2023,"page_size":100})";

    Gateway cold(backends, /*cache=*/false);
    const auto cold_health = cold.Health(concurrency);
    const auto cold_rank = cold.Run(kRank, counties, 1);
    std::printf("gateway without cache, same gateway and run\n");
    std::printf("%s\n", load::FormatResult("health Check (anchor)", cold_health).c_str());
    Print("cold ranking, 2,844 counties (c=1)", cold_rank, cold_health, "goal: < 1 s");

    Gateway cached(backends, /*cache=*/true);
    int regions = 0;
    const double first_ms = cached.TimeOneRanking(counties, &regions);
    const auto cached_health = cached.Health(concurrency);
    const auto cached_rank = cached.Run(kRank, counties, concurrency);
    std::printf("gateway with cache, same gateway and run\n");
    std::printf("first ranking of %d counties (cache empty): %.1f ms   goal: < 1 s\n", regions,
                first_ms);
    std::printf("%s\n", load::FormatResult("health Check (anchor)", cached_health).c_str());
    Print("warm ranking, 2,844 counties", cached_rank, cached_health, "goal: < 1 s");
    errors += cold_rank.errors + cached_rank.errors;
  }
  std::printf("\nload average at end: %s\n", LoadAverage().c_str());
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fazhi::gateway

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return fazhi::gateway::Main();
}
