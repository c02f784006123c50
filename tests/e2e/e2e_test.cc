// End to end: the four real servers as separate processes on loopback, as
// `scripts/fazhi demo` runs them (plaintext by --insecure_development, the
// demo policy, development tokens for writes), the demo data loaded with the
// real fazhictl, answers checked through gRPC.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <regex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/e2e/process.h"

namespace fazhi::e2e {
namespace {

using namespace std::chrono_literals;
namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

const std::string kSource = FAZHI_SOURCE_DIR;

std::shared_ptr<grpc::Channel> Dial(int port) {
  auto channel = grpc::CreateChannel(Address(port), grpc::InsecureChannelCredentials());
  channel->WaitForConnected(std::chrono::system_clock::now() + 5s);
  return channel;
}

// The field names of the google.rpc.BadRequest in a failed call's details.
std::set<std::string> BadFields(const grpc::Status& status) {
  std::set<std::string> fields;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return fields;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.insert(v.field());
    }
  }
  return fields;
}

struct Service {
  std::string name;
  std::string binary;
  int port = 0;
  int metrics_port = 0;
  std::unique_ptr<ChildProcess> process;
};

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = MakeTempDir();
    security_ = MakeDevelopmentSecurity(dir_, kSource + "/data/policy.textproto");
    ASSERT_FALSE(security_.dir.empty()) << "openssl could not make the keys";
    services_.clear();
    for (const auto& [name, binary] : kSuiteServers) {
      Service s;
      s.name = name;
      s.binary = binary;
      services_.push_back(std::move(s));
    }
    // One after the other: each is told where the ones before it listen.
    for (auto& s : services_) {
      Start(s);
      ASSERT_NE(s.port, 0) << s.name << " did not start; log:\n"
                           << ReadWholeFile(dir_ + "/" + s.name + ".log");
    }
    // The tokens the cookbooks' lines read as var/secrets/<name>.token.
    for (const auto& [principal, name] : kTokens) {
      token_files_[name] = security_.TokenFile(principal, std::string(name) + ".token");
      ASSERT_FALSE(token_files_[name].empty()) << "fazhictl token mint failed for " << principal;
    }
    std::string output;
    import_exit_ = RunToCompletion(Binary("tools/fazhictl/fazhictl"), ImportArgs(), &output, 120s);
    import_output_ = output;
  }

  static void TearDownTestSuite() {
    for (auto& s : services_) {
      if (s.process) {
        s.process->Signal(SIGTERM);
        s.process->Wait(15s);
      }
    }
    services_.clear();
    RemoveTree(dir_);
  }

  static std::vector<std::string> ImportArgs() {
    return {"import",
            kSource + "/data/demo",
            "--catalogue=" + Address(services_[0].port),
            "--metrics=" + Address(services_[1].port),
            "--report=" + Address(services_[2].port),
            "--token_file=" + token_files_["admin"]};
  }

  // The development token of principal `name` ("admin", "reader", ...).
  static std::string Token(const std::string& name) {
    return std::string(absl::StripAsciiWhitespace(ReadWholeFile(token_files_[name])));
  }

  // A context for a call made as `name`, with a 10 s deadline.
  static void As(const std::string& name, grpc::ClientContext* context) {
    context->AddMetadata("authorization", "Bearer " + Token(name));
    context->set_deadline(std::chrono::system_clock::now() + 10s);
  }

  // Starts `s` on its port, or on one the kernel picks when it has none
  // yet, and waits until it says it listens; on failure s.port is 0.
  static void Start(Service& s) {
    const bool fresh = s.port == 0;
    std::vector<std::string> args = {"--listen=" + Address(s.port),
                                     "--metrics_port=" + std::to_string(fresh ? 0 : s.metrics_port),
                                     "--shutdown_grace_seconds=5"};
    const auto trust = security_.ServerFlags();
    args.insert(args.end(), trust.begin(), trust.end());
    if (s.name == "gateway") {
      args.push_back("--catalogue=" + Address(services_[0].port));
      args.push_back("--metrics=" + Address(services_[1].port));
      args.push_back("--report=" + Address(services_[2].port));
      args.push_back("--backend_timeout_ms=2000");
      args.push_back("--rules=" + kSource + "/data/rules.textproto");
    } else {
      args.push_back("--data_dir=" + dir_ + "/" + s.name);
      args.push_back("--rules=" + kSource + "/data/rules.textproto");
      args.push_back("--memory_budget_mb=64");
      const auto audit = security_.StoreFlags(s.name);
      args.insert(args.end(), audit.begin(), audit.end());
      // The report server publishes figures to metrics and checks filers in
      // the catalogue.
      if (s.name == "report") {
        args.push_back("--metrics=" + Address(services_[1].port));
        args.push_back("--catalogue=" + Address(services_[0].port));
      }
    }
    const std::string log = dir_ + "/" + s.name + ".log";
    const size_t from = ReadWholeFile(log).size();
    s.process = std::make_unique<ChildProcess>(Binary(s.binary), args, log);
    auto ports = WaitForListening(log, from, *s.process, 20s);
    if (!ports.has_value() || (!fresh && ports->grpc != s.port)) {
      s.port = 0;
      return;
    }
    s.port = ports->grpc;
    s.metrics_port = ports->metrics;
  }

  static Service& Named(const std::string& name) {
    for (auto& s : services_) {
      if (s.name == name) return s;
    }
    return services_[0];
  }

  static grpc::Status Summary(const std::string& code, int year,
                              gv1::DistrictComplianceSummary* out) {
    auto stub = gv1::GatewayService::NewStub(Dial(Named("gateway").port));
    gv1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code(code);
    request.set_year(year);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    return stub->GetDistrictComplianceSummary(&context, request, out);
  }

  static const gv1::IndicatorStatus* Indicator(const gv1::DistrictComplianceSummary& s,
                                               const std::string& code) {
    for (const auto& i : s.indicators().indicators()) {
      if (i.indicator_code() == code) return &i;
    }
    return nullptr;
  }

  // The cookbook runner (deploy/verify/cookbook.py, which stands in for
  // grpcurl) on one README section against these servers, with the demo data
  // loaded (the commands name the default ports; the runner maps them to this
  // suite's). Returns its exit code; its output in `*output`.
  static int RunCookbook(const std::string& readme, const std::vector<std::string>& options,
                         std::string* output) {
    std::string ports = "FAZHI_COOKBOOK_PORTS=";
    const std::pair<int, const char*> kDefaults[] = {
        {50050, "gateway"}, {50051, "catalogue"}, {50052, "metrics"}, {50053, "report"}};
    for (const auto& [port, name] : kDefaults) {
      ports += std::to_string(port) + "=" + std::to_string(Named(name).port) + ",";
    }
    std::string files = "FAZHI_COOKBOOK_FILES=";
    for (const auto& [name, file] : token_files_) {
      files += "var/secrets/" + name + ".token=" + file + ",";
    }
    std::vector<std::string> args = {ports, files, "/usr/bin/python3",
                                     kSource + "/deploy/verify/cookbook.py"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(readme);
    return RunToCompletion("/usr/bin/env", args, output, 180s);
  }

  // The principals the tests and the cookbooks act as, and their names.
  static constexpr std::pair<const char*, const char*> kTokens[] = {{"dev/admin", "admin"},
                                                                    {"dev/reader", "reader"},
                                                                    {"dev/auditor", "auditor"},
                                                                    {"dev/security", "security"},
                                                                    {"svc/report", "report"}};

  static std::string dir_;
  static DevelopmentSecurity security_;
  static std::map<std::string, std::string> token_files_;
  static std::vector<Service> services_;
  static int import_exit_;
  static std::string import_output_;
};

std::string SuiteTest::dir_;
DevelopmentSecurity SuiteTest::security_;
std::map<std::string, std::string> SuiteTest::token_files_;
std::vector<Service> SuiteTest::services_;
int SuiteTest::import_exit_ = -1;
std::string SuiteTest::import_output_;

TEST_F(SuiteTest, DemoDataLoadsAndLoadsOnlyOnce) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  std::string again;
  const int code = RunToCompletion(Binary("tools/fazhictl/fazhictl"), ImportArgs(), &again, 120s);
  EXPECT_EQ(code, 0) << again;
  // The second run creates nothing: every line reports 0 created.
  EXPECT_EQ(again.find("created") != std::string::npos, true) << again;
  for (const char* kind : {"regions", "units", "projects", "reports"}) {
    EXPECT_NE(again.find(std::string(kind) + ": 0 created"), std::string::npos) << again;
  }
}

// A project as seed 000 lists it: title and the names of its responsible
// units as written there (an alias such as 普陀公安分局, or several names).
struct SeedProject {
  std::string title;
  std::vector<std::string> units;
};

// Every 2022 project of seed 000: the two numbered lists of ten
// ("1.title(unit unit)") and, after "其他项目", title and unit on
// alternate lines.
std::vector<SeedProject> SeedProjects2022() {
  const std::string text =
      ReadWholeFile(std::string(FAZHI_SEEDS_DIR) + "/000_f329534fe2bcaa38.txt");
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) lines.emplace_back(line);
  }
  std::vector<SeedProject> projects;
  bool others = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (absl::EndsWith(line, "其他项目")) {
      others = true;
      continue;
    }
    if (!others) {
      // "N.title(units)": the units are in the last pair of brackets.
      const size_t dot = line.find('.');
      if (dot == std::string::npos || dot == 0 || dot > 2 || line.back() != ')') continue;
      if (line.find_first_not_of("0123456789") != dot) continue;
      const size_t open = line.rfind('(');
      SeedProject p;
      p.title = line.substr(dot + 1, open - dot - 1);
      p.units =
          absl::StrSplit(line.substr(open + 1, line.size() - open - 2), ' ', absl::SkipEmpty());
      projects.push_back(std::move(p));
      continue;
    }
    if (line.find("个市级项目") != std::string::npos ||
        line.find("个区级项目") != std::string::npos ||
        line.find("排名不分先后") != std::string::npos) {
      continue;
    }
    if (i + 1 >= lines.size()) break;
    SeedProject p;
    p.title = line;
    p.units = absl::StrSplit(lines[++i], ' ', absl::SkipEmpty());
    projects.push_back(std::move(p));
  }
  return projects;
}

TEST_F(SuiteTest, EverySeedProjectOf2022IsLoadedWithItsUnitsResolvedThroughAliases) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  const std::vector<SeedProject> seed = SeedProjects2022();
  // The seed's own count: all 70 proposals were registered.
  ASSERT_EQ(seed.size(), 70u);

  auto catalogue = cv1::CatalogueService::NewStub(Dial(Named("catalogue").port));
  std::map<std::string, cv1::Project> by_title;
  cv1::ListProjectsRequest list;
  list.set_year(2022);
  list.set_page_size(50);
  do {
    grpc::ClientContext context;
    cv1::ListProjectsResponse page;
    ASSERT_TRUE(catalogue->ListProjects(&context, list, &page).ok());
    for (const auto& p : page.projects()) by_title[p.title()] = p;
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(by_title.size(), 70u);

  for (const auto& p : seed) {
    SCOPED_TRACE(p.title);
    auto found = by_title.find(p.title);
    ASSERT_NE(found, by_title.end());
    std::set<std::string> expected;
    for (const auto& name : p.units) {
      cv1::LookupUnitRequest lookup;
      lookup.set_display_name(name);
      cv1::Unit unit;
      grpc::ClientContext context;
      grpc::Status status = catalogue->LookupUnit(&context, lookup, &unit);
      ASSERT_TRUE(status.ok()) << name << ": " << status.error_message();
      expected.insert(unit.name());
    }
    const std::set<std::string> actual(found->second.units().begin(), found->second.units().end());
    EXPECT_EQ(actual, expected);
  }
}

TEST_F(SuiteTest, The2021KeyProjectsAreDeliveredAndBaoshansExcellentOneOf2023IsThere) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  auto catalogue = cv1::CatalogueService::NewStub(Dial(Named("catalogue").port));
  cv1::ListProjectsRequest list;
  list.set_year(2021);
  list.set_page_size(100);
  grpc::ClientContext context;
  cv1::ListProjectsResponse y2021;
  ASSERT_TRUE(catalogue->ListProjects(&context, list, &y2021).ok());
  ASSERT_EQ(y2021.projects_size(), 20);
  int with_outcomes = 0;
  for (const auto& p : y2021.projects()) {
    EXPECT_EQ(p.status(), cv1::PROJECT_STATUS_DELIVERED) << p.title();
    EXPECT_TRUE(p.key_project()) << p.title();
    EXPECT_FALSE(p.units().empty()) << p.title();
    if (p.outcomes_size() > 0) ++with_outcomes;
    for (const auto& o : p.outcomes()) {
      // The phrase is kept and its figure read.
      EXPECT_FALSE(o.phrase().empty()) << p.title();
      EXPECT_FALSE(o.quantity().decimal().empty()) << o.phrase();
    }
  }
  // Four of the twenty have no figure in the seeds (see the demo file).
  EXPECT_EQ(with_outcomes, 16);

  cv1::ListProjectsRequest excellent;
  excellent.set_year(2023);
  excellent.set_region("regions/310113");
  excellent.add_flags(cv1::PROJECT_FLAG_EXCELLENT);
  grpc::ClientContext context2023;
  cv1::ListProjectsResponse y2023;
  ASSERT_TRUE(catalogue->ListProjects(&context2023, excellent, &y2023).ok());
  ASSERT_EQ(y2023.projects_size(), 1);
  EXPECT_NE(y2023.projects(0).title().find("两旧一村"), std::string::npos);
}

TEST_F(SuiteTest, BaoshanGovernmentReportCompleteAndIndicatorsMet) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  gv1::DistrictComplianceSummary s;
  grpc::Status status = Summary("310113", 2023, &s);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(s.partial());
  EXPECT_EQ(s.region().display_name(), "宝山区");
  ASSERT_TRUE(s.government_report().filed());
  EXPECT_EQ(s.government_report().parts_present_size(), 4);
  EXPECT_EQ(s.government_report().parts_missing_size(), 0);

  const auto* court = Indicator(s, "court_appearance_rate");
  ASSERT_NE(court, nullptr);
  EXPECT_EQ(court->observation().quantity().decimal(), "100");
  EXPECT_EQ(court->verdict(), mv1::VERDICT_MET);
  EXPECT_FALSE(court->target().source().empty());

  const auto* mediation = Indicator(s, "mediation_success_rate");
  ASSERT_NE(mediation, nullptr);
  EXPECT_EQ(mediation->observation().quantity().decimal(), "99.8");
  EXPECT_EQ(s.projects().excellent(), 1);
}

TEST_F(SuiteTest, PutuoJusticeBureauReportLacksLeadersPart) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  gv1::DistrictComplianceSummary s;
  grpc::Status status = Summary("310107", 2020, &s);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(s.government_report().filed());
  const gv1::DepartmentReport* justice = nullptr;
  for (const auto& r : s.department_reports().reports()) {
    if (r.unit() == "units/310107-justice") justice = &r;
  }
  ASSERT_NE(justice, nullptr);
  ASSERT_TRUE(justice->filed());
  ASSERT_EQ(justice->parts_missing_size(), 1);
  EXPECT_EQ(justice->parts_missing(0), rv1::REPORT_PART_LEADERS_DUTY);

  const auto* received = Indicator(s, "admin_reconsideration_received");
  const auto* closed = Indicator(s, "admin_reconsideration_closed");
  ASSERT_NE(received, nullptr);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(received->observation().quantity().decimal(), "348");
  EXPECT_EQ(closed->observation().quantity().decimal(), "340");

  const auto* court = Indicator(s, "court_appearance_rate");
  ASSERT_NE(court, nullptr);
  EXPECT_EQ(court->observation().quantity().decimal(), "83.8");
  EXPECT_TRUE(court->partial_period());
  EXPECT_EQ(court->verdict(), mv1::VERDICT_NOT_MET);

  bool finding = false;
  for (const auto& f : s.findings()) {
    if (f.text().find("第一责任人") != std::string::npos) finding = true;
  }
  EXPECT_TRUE(finding) << "no finding names the missing principal-leaders part";
}

TEST_F(SuiteTest, BadRegionCodesGetClearErrors) {
  gv1::DistrictComplianceSummary s;
  grpc::Status malformed = Summary("31011x", 2023, &s);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(malformed), std::set<std::string>{"region_code"});
  grpc::Status bad_year = Summary("310113", 1800, &s);
  EXPECT_EQ(bad_year.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(bad_year), std::set<std::string>{"year"});
  grpc::Status unknown = Summary("310199", 2023, &s);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
}

// Acts as grpcurl does: list services, fetch the file that defines
// grpc.health.v1.Health, describe its Check method, then call it.
TEST_F(SuiteTest, ReflectionListsAndDescribesEveryService) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  const std::map<std::string, std::string> expected = {
      {"gateway", "fazhi.gateway.v1.GatewayService"},
      {"catalogue", "fazhi.catalogue.v1.CatalogueService"},
      {"metrics", "fazhi.metrics.v1.MetricsService"},
      {"report", "fazhi.report.v1.ReportService"}};
  for (const auto& [name, full_name] : expected) {
    auto channel = Dial(Named(name).port);
    auto stub = ServerReflection::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    auto stream = stub->ServerReflectionInfo(&context);
    ServerReflectionRequest list;
    list.set_list_services("*");
    ASSERT_TRUE(stream->Write(list));
    ServerReflectionResponse response;
    ASSERT_TRUE(stream->Read(&response));
    std::set<std::string> services;
    for (const auto& s : response.list_services_response().service()) services.insert(s.name());
    EXPECT_TRUE(services.count(full_name)) << name;
    EXPECT_TRUE(services.count("grpc.health.v1.Health")) << name;

    for (const std::string& symbol : {std::string("grpc.health.v1.Health"), full_name}) {
      ServerReflectionRequest describe;
      describe.set_file_containing_symbol(symbol);
      ASSERT_TRUE(stream->Write(describe));
      ASSERT_TRUE(stream->Read(&response));
      ASSERT_TRUE(response.has_file_descriptor_response())
          << name << " cannot describe " << symbol << ": "
          << response.error_response().error_message();
      // Ask for dependencies until the pool can build the file.
      google::protobuf::DescriptorPool pool;
      std::vector<google::protobuf::FileDescriptorProto> files;
      for (const auto& bytes : response.file_descriptor_response().file_descriptor_proto()) {
        files.emplace_back().ParseFromString(bytes);
      }
      std::set<std::string> have;
      for (const auto& f : files) have.insert(f.name());
      for (size_t i = 0; i < files.size(); ++i) {
        for (const auto& dep : files[i].dependency()) {
          if (have.count(dep)) continue;
          ServerReflectionRequest by_name;
          by_name.set_file_by_filename(dep);
          ASSERT_TRUE(stream->Write(by_name));
          ASSERT_TRUE(stream->Read(&response));
          for (const auto& bytes : response.file_descriptor_response().file_descriptor_proto()) {
            google::protobuf::FileDescriptorProto f;
            f.ParseFromString(bytes);
            if (have.insert(f.name()).second) files.push_back(f);
          }
        }
      }
      // Build dependencies first.
      for (size_t round = 0; round < files.size(); ++round) {
        for (const auto& f : files) {
          if (pool.FindFileByName(f.name()) == nullptr) pool.BuildFile(f);
        }
      }
      const auto* service = pool.FindServiceByName(symbol);
      ASSERT_NE(service, nullptr) << name << " " << symbol;
      EXPECT_GT(service->method_count(), 0);
    }
    stream->WritesDone();

    auto health = grpc::health::v1::Health::NewStub(channel);
    grpc::health::v1::HealthCheckRequest check;
    check.set_service(full_name);
    grpc::health::v1::HealthCheckResponse answer;
    grpc::ClientContext health_context;
    ASSERT_TRUE(health->Check(&health_context, check, &answer).ok());
    EXPECT_EQ(answer.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
}

TEST_F(SuiteTest, PrometheusCountsGatewayCalls) {
  gv1::DistrictComplianceSummary s;
  ASSERT_TRUE(Summary("310113", 2023, &s).ok());
  const std::string body = HttpGet(Named("gateway").metrics_port, "/metrics");
  EXPECT_NE(body.find("200 OK"), std::string::npos) << body;
  EXPECT_NE(body.find("fazhi_grpc_requests_total{service=\"gateway\",method=\"/fazhi.gateway.v1."
                      "GatewayService/GetDistrictComplianceSummary\",code=\"OK\"}"),
            std::string::npos)
      << body;
}

// Every grpcurl command of deploy/README.md's cookbook. The runner also
// fails when a fazhi RPC the servers list has no command, so the operators'
// guide cannot fall behind the contracts.
TEST_F(SuiteTest, OperatorsCookbookRunsEveryRpc) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  std::string output;
  EXPECT_EQ(RunCookbook(kSource + "/deploy/README.md", {}, &output), 0) << output;
  EXPECT_NE(output.find(", 0 failed"), std::string::npos) << output;
}

// The grpcurl lines of the project README, including the bad request whose
// details must decode through reflection.
TEST_F(SuiteTest, ReadmeGrpcurlLinesRun) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  std::string output;
  EXPECT_EQ(RunCookbook(kSource + "/README.md",
                        {"--section=## Calling it with grpcurl", "--partial"}, &output),
            0)
      << output;
  EXPECT_NE(output.find(", 0 failed"), std::string::npos) << output;
  EXPECT_NE(output.find("google.rpc.BadRequest"), std::string::npos) << output;
}

// The runner is as strict as grpcurl: a field mask written as a string, which
// grpcurl refuses before sending (fullstorydev/grpcurl#393), fails the
// cookbook; the same line with {"paths":[...]} reaches the server.
TEST_F(SuiteTest, CookbookRunnerRefusesAStringFieldMask) {
  const std::string readme = dir_ + "/string-mask.md";
  const std::string line =
      "grpcurl -plaintext -d '{\"project\":{\"name\":\"projects/no-such-project\","
      "\"theme\":\"x\"},\"update_mask\":MASK}' localhost:50051 "
      "fazhi.catalogue.v1.CatalogueService/UpdateProject\n";
  std::string text = "## grpcurl cookbook\n\n```sh\n";
  text += absl::StrReplaceAll(line, {{"MASK", "\"theme\""}});
  text += "# the object form: the call is sent and answers NOT_FOUND\n";
  text += absl::StrReplaceAll(line, {{"MASK", "{\"paths\":[\"theme\"]}"}});
  text += "```\n\n## After\n";
  {
    std::ofstream out(readme);
    out << text;
  }
  std::string output;
  EXPECT_EQ(RunCookbook(readme, {"--partial"}, &output), 1) << output;
  EXPECT_NE(output.find("FAIL fazhi.catalogue.v1.CatalogueService/UpdateProject: CommandError: "
                        "update_mask: a field mask is written"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("NOT_FOUND as expected"), std::string::npos) << output;
  EXPECT_NE(output.find("cookbook: 1 passed, 1 failed"), std::string::npos) << output;
}

// A write needs a principal allowed it, and the write leaves an entry that
// `fazhictl audit` lists, naming the authenticated caller, and verifies
// against the signed heads.
TEST_F(SuiteTest, WritesNeedARoleAndLeaveAVerifiableAuditTrail) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  auto catalogue = cv1::CatalogueService::NewStub(Dial(Named("catalogue").port));
  cv1::CreateRegionRequest request;
  request.mutable_region()->set_code("310196");
  request.mutable_region()->set_display_name("审计示例区");
  request.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
  request.mutable_region()->set_parent("regions/310000");
  cv1::Region region;
  {
    grpc::ClientContext anonymous;
    anonymous.set_deadline(std::chrono::system_clock::now() + 10s);
    EXPECT_EQ(catalogue->CreateRegion(&anonymous, request, &region).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext reader;
    As("reader", &reader);
    const grpc::Status refused = catalogue->CreateRegion(&reader, request, &region);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(absl::StrContains(refused.error_message(), "SYSTEM_ADMIN"))
        << refused.error_message();
  }
  {
    grpc::ClientContext admin;
    As("admin", &admin);
    const grpc::Status created = catalogue->CreateRegion(&admin, request, &region);
    ASSERT_TRUE(created.ok()) << created.error_message();
  }
  const std::string ctl = Binary("tools/fazhictl/fazhictl");
  const std::string service = "--service=" + Address(Named("catalogue").port);
  std::string output;
  ASSERT_EQ(RunToCompletion(ctl,
                            {"audit", "list", "--resource=regions/310196", service,
                             "--token_file=" + token_files_["auditor"]},
                            &output, 30s),
            0)
      << output;
  EXPECT_TRUE(absl::StrContains(output,
                                "dev/admin /fazhi.catalogue.v1.CatalogueService/"
                                "CreateRegion OK"))
      << output;

  // The admin is no auditor: the trail is not theirs to read.
  EXPECT_EQ(
      RunToCompletion(ctl, {"audit", "verify", service, "--token_file=" + token_files_["admin"]},
                      &output, 30s),
      1)
      << output;
  EXPECT_TRUE(absl::StrContains(output, "PERMISSION_DENIED")) << output;

  // The chain holds, checked against the operator's copy of the signed
  // heads once the store has signed one after the write (every second here).
  const std::string heads = security_.HeadsFile("catalogue");
  std::string copied;
  for (int i = 0; i < 100 && copied.empty(); ++i) {
    std::this_thread::sleep_for(100ms);
    copied = ReadWholeFile(heads);
  }
  ASSERT_FALSE(copied.empty()) << "no audit head was signed into " << heads;
  const std::string copy = dir_ + "/operator-heads.jsonl";
  std::ofstream(copy) << copied;
  ASSERT_EQ(RunToCompletion(ctl,
                            {"audit", "verify", service, "--heads=" + copy,
                             "--token_file=" + token_files_["auditor"]},
                            &output, 30s),
            0)
      << output;
  EXPECT_TRUE(absl::StartsWith(output, "intact: ")) << output;
  EXPECT_FALSE(absl::StrContains(output, "last signed 0\n")) << output;
}

// Runs last among the suite's tests that need every backend (gtest runs tests
// in definition order within a suite).
TEST_F(SuiteTest, SigtermUnderLoadLosesNoAcknowledgedWriteAndSummaryGoesPartial) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  Service& metrics = Named("metrics");
  auto stub = mv1::MetricsService::NewStub(Dial(metrics.port));
  std::atomic<bool> stop{false};
  std::vector<std::string> acknowledged;
  std::thread writer([&] {
    for (int i = 0; i < 1200 && !stop.load(); ++i) {  // 1200 distinct identities
      mv1::RecordObservationRequest request;
      auto* o = request.mutable_observation();
      o->set_indicator("indicators/legal_aid_cases");
      o->set_subject("regions/310101");
      o->mutable_period()->set_year(2000 + (i % 100));
      o->mutable_period()->set_start_month(1 + (i / 100) % 12);
      o->mutable_period()->set_end_month(12);
      o->mutable_quantity()->set_decimal(std::to_string(i + 1));
      o->mutable_quantity()->set_measure_word("件");
      request.set_request_id("load-" + std::to_string(i));
      mv1::Observation reply;
      grpc::ClientContext context;
      As("admin", &context);
      context.set_deadline(std::chrono::system_clock::now() + 5s);
      if (stub->RecordObservation(&context, request, &reply).ok()) {
        acknowledged.push_back(reply.name() + "=" + std::to_string(i + 1));
      } else {
        break;
      }
    }
  });
  // Let some writes land, then stop the server while the writer is busy.
  for (int i = 0; i < 500 && acknowledged.size() < 50; ++i) std::this_thread::sleep_for(10ms);
  metrics.process->Signal(SIGTERM);
  const auto exit_code = metrics.process->Wait(15s);
  stop = true;
  writer.join();
  ASSERT_TRUE(exit_code.has_value()) << "metrics_server did not stop within its grace period";
  EXPECT_EQ(*exit_code, 0) << ReadWholeFile(dir_ + "/metrics.log");
  ASSERT_GT(acknowledged.size(), 0u);

  // With metrics down, the summary is partial and says so.
  gv1::DistrictComplianceSummary partial;
  ASSERT_TRUE(Summary("310113", 2023, &partial).ok());
  EXPECT_TRUE(partial.partial());
  EXPECT_EQ(partial.indicators().state(), gv1::SECTION_STATE_UNREACHABLE);
  EXPECT_EQ(partial.indicators().indicators_size(), 0);
  EXPECT_EQ(partial.government_report().state(), gv1::SECTION_STATE_OK);
  bool metrics_named = false;
  for (const auto& b : partial.backends()) {
    if (b.service() == "metrics") metrics_named = !b.answered() && !b.error().empty();
  }
  EXPECT_TRUE(metrics_named);

  // Restart on the same data: every acknowledged write is there.
  const int port = metrics.port;
  Start(metrics);
  ASSERT_EQ(metrics.port, port) << ReadWholeFile(dir_ + "/metrics.log");
  auto again = mv1::MetricsService::NewStub(Dial(metrics.port));
  size_t found = 0;
  std::set<std::string> stored;
  mv1::ListObservationsRequest list;
  list.set_subject("regions/310101");
  list.set_page_size(1000);
  do {
    mv1::ListObservationsResponse page;
    grpc::ClientContext context;
    ASSERT_TRUE(again->ListObservations(&context, list, &page).ok());
    for (const auto& o : page.observations()) {
      stored.insert(o.name() + "=" + o.quantity().decimal());
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  for (const auto& a : acknowledged) found += stored.count(a);
  EXPECT_EQ(found, acknowledged.size());

  // The gateway finds the restarted backend again (bounded wait: its
  // reconnect backoff is at most 2 s).
  gv1::DistrictComplianceSummary whole;
  for (int attempt = 0; attempt < 50; ++attempt) {
    ASSERT_TRUE(Summary("310113", 2023, &whole).ok());
    if (!whole.partial()) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(whole.partial());
  EXPECT_EQ(whole.indicators().state(), gv1::SECTION_STATE_OK);
}

// A report filed as `filer` of `region` for `year`, as the admin (who may
// file everywhere: only the catalogue check can refuse it).
grpc::Status FileReport(int report_port, const std::string& filer, const std::string& region,
                        int year, const std::string& admin_token) {
  auto stub = rv1::ReportService::NewStub(Dial(report_port));
  rv1::SubmitReportRequest request;
  request.mutable_report()->set_filer(filer);
  request.mutable_report()->set_region(region);
  request.mutable_report()->set_year(year);
  request.mutable_report()->set_text(
      "法治政府建设情况报告\n一、主要举措和成效\n办结行政复议12件。\n");
  rv1::Report reply;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin_token);
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  return stub->SubmitReport(&context, request, &reply);
}

// How many reports of `filer` (any region) for `year` are stored.
int StoredReports(int report_port, const std::string& filer, int year) {
  auto stub = rv1::ReportService::NewStub(Dial(report_port));
  rv1::ListReportsRequest request;
  request.set_filer(filer);
  request.set_year(year);
  rv1::ListReportsResponse reply;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::Status status = stub->ListReports(&context, request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply.reports_size();
}

TEST_F(SuiteTest, FilersAndRegionsAreCheckedInTheCatalogueAndRefusalsStoreNothing) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  const int report = Named("report").port;
  // 2001: a year the demo data has no report for; 310999: a region no test
  // creates.
  grpc::Status unknown_filer =
      FileReport(report, "units/310113-nobody", "regions/310113", 2001, Token("admin"));
  EXPECT_EQ(unknown_filer.error_code(), grpc::StatusCode::NOT_FOUND)
      << unknown_filer.error_message();
  EXPECT_EQ(BadFields(unknown_filer), std::set<std::string>{"report.filer"});
  EXPECT_EQ(StoredReports(report, "units/310113-nobody", 2001), 0);

  grpc::Status unknown_region =
      FileReport(report, "units/310113-government", "regions/310999", 2001, Token("admin"));
  EXPECT_EQ(unknown_region.error_code(), grpc::StatusCode::NOT_FOUND)
      << unknown_region.error_message();
  EXPECT_EQ(BadFields(unknown_region), std::set<std::string>{"report.region"});

  // 普陀区司法局 filing under 宝山区.
  grpc::Status outside =
      FileReport(report, "units/310107-justice", "regions/310113", 2001, Token("admin"));
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << outside.error_message();
  EXPECT_EQ(StoredReports(report, "units/310107-justice", 2001), 0);
  EXPECT_EQ(StoredReports(report, "units/310113-government", 2001), 0);

  // The catalogue goes down: nothing is filed unchecked.
  Service& catalogue = Named("catalogue");
  catalogue.process->Signal(SIGTERM);
  ASSERT_TRUE(catalogue.process->Wait(15s).has_value());
  grpc::Status down =
      FileReport(report, "units/310113-government", "regions/310113", 2001, Token("admin"));
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_NE(down.error_message().find("catalogue"), std::string::npos) << down.error_message();
  EXPECT_EQ(StoredReports(report, "units/310113-government", 2001), 0);
  const int port = catalogue.port;
  Start(catalogue);
  ASSERT_EQ(catalogue.port, port) << "the catalogue did not come back on its port";

  // Back up: the same report is filed.
  grpc::Status back =
      FileReport(report, "units/310113-government", "regions/310113", 2001, Token("admin"));
  EXPECT_TRUE(back.ok()) << back.error_message();
  EXPECT_EQ(StoredReports(report, "units/310113-government", 2001), 1);
}

TEST_F(SuiteTest, FazhictlCheckPrintsTheChecklistOfARealFileAndStoresNothing) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  const std::string report = "--report=" + Address(Named("report").port);
  const std::string token = "--token_file=" + token_files_["admin"];
  const std::string seeds = kSource + "/../shared/seeds/";
  const int stored_before = StoredReports(Named("report").port, "units/310107-justice", 2020);

  // Putuo's justice bureau's 2020 report lacks the leaders' part: exit 3.
  std::string output;
  int exit = RunToCompletion(
      Binary("tools/fazhictl/fazhictl"),
      {"check", seeds + "004_e0cd47a7b08ce18d.txt", "--filer", "units/310107-justice", "--region",
       "regions/310107", "--year", "2020", report, token},
      &output, 60s);
  EXPECT_EQ(exit, 3) << output;
  EXPECT_NE(output.find("标题："), std::string::npos) << output;
  EXPECT_NE(output.find("✗ 党政主要负责人履行推进法治建设第一责任人职责情况"), std::string::npos)
      << output;
  EXPECT_NE(output.find("✓ 主要举措和成效"), std::string::npos) << output;
  EXPECT_NE(output.find("报送期限："), std::string::npos) << output;
  EXPECT_NE(output.find("数据：采用"), std::string::npos) << output;
  EXPECT_EQ(StoredReports(Named("report").port, "units/310107-justice", 2020), stored_before);

  // Baoshan's 2023 government report has every required part: exit 0.
  exit = RunToCompletion(
      Binary("tools/fazhictl/fazhictl"),
      {"check", seeds + "002_4f28ee6da608f1e8.txt", "--filer", "units/310113-government",
       "--region", "regions/310113", "--year", "2023", report, token},
      &output, 60s);
  EXPECT_EQ(exit, 0) << output;
  EXPECT_NE(output.find("结论：✓ 可以报送"), std::string::npos) << output;

  // A page saved from the district's portal: chrome gone, the 信息公开 block
  // read, its table shown cell by cell ("1" and "35件" stay two cells).
  exit = RunToCompletion(
      Binary("tools/fazhictl/fazhictl"),
      {"check", kSource + "/tests/report/portal_corpus/01-district-standard.html", "--filer",
       "units/310113-government", "--region", "regions/310113", "--year", "2023", report, token},
      &output, 60s);
  EXPECT_EQ(exit, 0) << output;
  EXPECT_NE(output.find("标题：上海市宝山区人民政府关于2023年法治政府建设情况的报告"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("发文字号：宝府〔2024〕9号"), std::string::npos) << output;
  EXPECT_NE(output.find("表格 1"), std::string::npos) << output;
  EXPECT_TRUE(std::regex_search(output, std::regex("\n +1 +收案 +35件\n"))) << output;
  EXPECT_EQ(output.find("135件"), std::string::npos) << output;

  // A filer that does not exist: the filing would be refused, exit 1.
  exit = RunToCompletion(
      Binary("tools/fazhictl/fazhictl"),
      {"check", seeds + "002_4f28ee6da608f1e8.txt", "--filer", "units/310113-nobody", "--region",
       "regions/310113", "--year", "2023", report, token},
      &output, 60s);
  EXPECT_EQ(exit, 1) << output;
  EXPECT_NE(output.find("报送将被拒绝"), std::string::npos) << output;
  EXPECT_NE(output.find("report.filer"), std::string::npos) << output;
}

}  // namespace
}  // namespace fazhi::e2e
