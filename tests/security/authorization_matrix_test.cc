// The authorization matrix, over mutual TLS with certificates made at test
// time: every method of every server (the four services, backups, the audit
// trail, the security service) called by every role of the test policy, by
// a certificate that names no principal, and by services acting for users,
// each call compared with what the roles allow.
//
// The expectation is this file's own restatement of the rules (kNeeds,
// kHolds below), written from the issue's roles, not read from the
// services: a rule a service gets wrong, or a handler that answers before
// it authorizes, shows as a mismatch. A call counts as allowed when it is
// answered with anything but UNAUTHENTICATED or PERMISSION_DENIED (an
// allowed call with an empty request is usually INVALID_ARGUMENT). Scoped
// requests name region 310113 (宝山区), inside the Baoshan reporter's and
// the city reviewer's scopes.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/server/authorizer.h"
#include "common/server/backup_service.h"
#include "common/server/security_service.h"
#include "common/server/server_runner.h"
#include "common/server/tls.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "services/catalogue/catalogue_service.h"
#include "services/gateway/gateway_service.h"
#include "services/metrics/metrics_service.h"
#include "services/report/report_service.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/test_env.h"

namespace fazhi {
namespace {

using server::Authorizer;
using server::ServerConfig;
using server::ServerRunner;
using testing::TestCa;
using testing::TestIdentity;

constexpr char kLoopback[] = "DNS:localhost,IP:127.0.0.1";

// What each method needs, restated: "read", "file", "review", "admin",
// "secure", "audit", or "publish" (only a service acting for a filer).
const std::map<std::string, std::string>& Needs() {
  static const auto* needs = new std::map<std::string, std::string>{
      // catalogue
      {"/fazhi.catalogue.v1.CatalogueService/CreateRegion", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/GetRegion", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/ListRegions", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/UpdateRegion", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteRegion", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/CreateUnit", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/GetUnit", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/ListUnits", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/LookupUnit", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/UpdateUnit", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteUnit", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/CreateProject", "file"},
      {"/fazhi.catalogue.v1.CatalogueService/GetProject", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/ListProjects", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/UpdateProject", "file"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteProject", "admin"},
      {"/fazhi.catalogue.v1.CatalogueService/TransitionProject", "file"},
      {"/fazhi.catalogue.v1.CatalogueService/ReviewProject", "review"},
      {"/fazhi.catalogue.v1.CatalogueService/ImportProjects", "file"},
      {"/fazhi.catalogue.v1.CatalogueService/ListChanges", "read"},
      {"/fazhi.catalogue.v1.CatalogueService/WatchChanges", "read"},
      // metrics
      {"/fazhi.metrics.v1.MetricsService/CreateIndicator", "admin"},
      {"/fazhi.metrics.v1.MetricsService/GetIndicator", "read"},
      {"/fazhi.metrics.v1.MetricsService/ListIndicators", "read"},
      {"/fazhi.metrics.v1.MetricsService/RecordObservation", "file"},
      {"/fazhi.metrics.v1.MetricsService/ListObservations", "read"},
      {"/fazhi.metrics.v1.MetricsService/GetSnapshot", "read"},
      {"/fazhi.metrics.v1.MetricsService/BatchGetSnapshots", "read"},
      {"/fazhi.metrics.v1.MetricsService/ListTargets", "read"},
      {"/fazhi.metrics.v1.MetricsService/CorrectObservation", "review"},
      {"/fazhi.metrics.v1.MetricsService/DeleteObservation", "admin"},
      {"/fazhi.metrics.v1.MetricsService/ListObservationHistory", "read"},
      {"/fazhi.metrics.v1.MetricsService/GetSeries", "read"},
      {"/fazhi.metrics.v1.MetricsService/CompareSubjects", "read"},
      {"/fazhi.metrics.v1.MetricsService/RollUpSnapshot", "read"},
      {"/fazhi.metrics.v1.MetricsService/BatchRecordObservations", "file"},
      {"/fazhi.metrics.v1.MetricsService/ReplaceReportObservations", "publish"},
      {"/fazhi.metrics.v1.MetricsService/WatchChanges", "read"},
      // report
      {"/fazhi.report.v1.ReportService/SubmitReport", "file"},
      {"/fazhi.report.v1.ReportService/GetReport", "read"},
      {"/fazhi.report.v1.ReportService/ListReports", "read"},
      {"/fazhi.report.v1.ReportService/ListReportVersions", "read"},
      {"/fazhi.report.v1.ReportService/SearchReports", "read"},
      {"/fazhi.report.v1.ReportService/PublishReportFigures", "file"},
      {"/fazhi.report.v1.ReportService/WatchChanges", "read"},
      // gateway
      {"/fazhi.gateway.v1.GatewayService/GetDistrictComplianceSummary", "read"},
      {"/fazhi.gateway.v1.GatewayService/RankRegions", "read"},
      {"/fazhi.gateway.v1.GatewayService/GetRegionTrend", "read"},
      {"/fazhi.gateway.v1.GatewayService/GetProjectDossier", "read"},
      // administration
      {"/fazhi.admin.v1.BackupService/CreateBackup", "admin"},
      {"/fazhi.admin.v1.BackupService/ListBackups", "admin"},
      {"/fazhi.admin.v1.AuditService/ListAuditEntries", "audit"},
      {"/fazhi.admin.v1.AuditService/VerifyAuditTrail", "audit"},
      {"/fazhi.security.v1.SecurityService/GetPolicy", "secure"},
      {"/fazhi.security.v1.SecurityService/CheckAccess", "secure"},
  };
  return *needs;
}

// What each principal of the test policy holds, for region 310113.
const std::map<std::string, std::set<std::string>>& Holds() {
  static const auto* holds = new std::map<std::string, std::set<std::string>>{
      {testing::kTestAdmin, {"read", "file", "review", "admin"}},
      {testing::kTestReader, {"read"}},
      {testing::kTestBaoshanReporter, {"read", "file"}},
      {testing::kTestReviewer, {"read", "review"}},
      {testing::kTestSecurityAdmin, {"secure"}},
      {testing::kTestAuditor, {"read", "audit"}},
      {testing::kTestGateway, {"read"}},
      {testing::kTestReportService, {"read", "publish"}},
  };
  return *holds;
}

const std::set<std::string>& Services() {
  static const auto* services =
      new std::set<std::string>{testing::kTestGateway, testing::kTestReportService};
  return *services;
}

// Whether `principal`, acting for `for_user` ("" for itself), may call
// `method`.
bool Allowed(const std::string& method, const std::string& principal, const std::string& for_user) {
  const std::string& need = Needs().at(method);
  auto holds = [](const std::string& who, const std::string& what) {
    auto it = Holds().find(who);
    return it != Holds().end() && it->second.count(what) > 0;
  };
  if (for_user.empty()) return need != "publish" && holds(principal, need);
  if (Services().count(principal) == 0) return false;
  if (need == "publish") return holds(principal, "publish") && holds(for_user, "file");
  return holds(principal, need) && holds(for_user, need);
}

// The request each method is called with (text format); empty when the
// empty request will do, because the method is not scoped to a region.
const std::map<std::string, std::string>& Requests() {
  static const auto* requests = new std::map<std::string, std::string>{
      {"/fazhi.catalogue.v1.CatalogueService/CreateProject",
       R"pb(project {
              title: "矩阵项目"
              year: 2023
              level: PROJECT_LEVEL_DISTRICT
              units: "units/310113-government"
              region: "regions/310113"
            })pb"},
      {"/fazhi.catalogue.v1.CatalogueService/UpdateProject",
       R"pb(project { name: "projects/matrix-310113" theme: "法治宣传 $N" }
            update_mask { paths: "theme" })pb"},
      {"/fazhi.catalogue.v1.CatalogueService/TransitionProject",
       R"pb(name: "projects/matrix-310113")pb"},
      {"/fazhi.catalogue.v1.CatalogueService/ReviewProject",
       R"pb(name: "projects/matrix-310113")pb"},
      {"/fazhi.catalogue.v1.CatalogueService/ImportProjects",
       R"pb(row: 1
            create {
              project {
                title: "矩阵导入"
                year: 2023
                level: PROJECT_LEVEL_DISTRICT
                units: "units/310113-government"
                region: "regions/310113"
              }
            })pb"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteProject", R"pb(name: "projects/matrix-310113"
                                                                  etag: "not-the-etag")pb"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteRegion", R"pb(name: "regions/310113"
                                                                 etag: "not-the-etag")pb"},
      {"/fazhi.catalogue.v1.CatalogueService/DeleteUnit", R"pb(name: "units/310113-government"
                                                               etag: "not-the-etag")pb"},
      {"/fazhi.metrics.v1.MetricsService/RecordObservation",
       R"pb(observation {
              indicator: "indicators/mediation_accepted"
              subject: "regions/310113"
              period { year: 2023 }
              quantity { decimal: "12" measure_word: "件" }
            })pb"},
      {"/fazhi.metrics.v1.MetricsService/BatchRecordObservations",
       R"pb(requests {
              observation {
                indicator: "indicators/mediation_accepted"
                subject: "regions/310113"
                period { year: 2023 }
                quantity { decimal: "12" measure_word: "件" }
              }
            })pb"},
      {"/fazhi.metrics.v1.MetricsService/CorrectObservation",
       R"pb(name: "$OBSERVATION"
            reason: "矩阵"
            quantity { decimal: "13" measure_word: "件" })pb"},
      {"/fazhi.metrics.v1.MetricsService/DeleteObservation", R"pb(name: "$OBSERVATION"
                                                                  reason: "矩阵")pb"},
      {"/fazhi.metrics.v1.MetricsService/ReplaceReportObservations",
       R"pb(report: "reports/matrix-310113")pb"},
      {"/fazhi.report.v1.ReportService/SubmitReport",
       R"pb(report {
              filer: "units/310113-government"
              region: "regions/310113"
              year: 2023
              text: "矩阵"
            })pb"},
      {"/fazhi.report.v1.ReportService/PublishReportFigures",
       R"pb(name: "reports/matrix-310113")pb"},
  };
  return *requests;
}

// The observation the seeded data holds (its name is the server's choice).
std::string observation_name;

grpc::ByteBuffer RequestBytes(const std::string& method) {
  // "/pkg.Service/Method" -> the method's input type.
  const size_t slash = method.rfind('/');
  const std::string service = method.substr(1, slash - 1);
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  EXPECT_NE(descriptor, nullptr) << service;
  const auto* method_descriptor = descriptor->FindMethodByName(method.substr(slash + 1));
  EXPECT_NE(method_descriptor, nullptr) << method;
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method_descriptor->input_type())
          ->New());
  auto it = Requests().find(method);
  if (it != Requests().end()) {
    std::string text = it->second;
    const size_t at = text.find("$OBSERVATION");
    if (at != std::string::npos) text.replace(at, strlen("$OBSERVATION"), observation_name);
    // "$N": a number new at every call, so that each update changes something.
    static int calls = 0;
    const size_t n = text.find("$N");
    if (n != std::string::npos) text.replace(n, 2, std::to_string(++calls));
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, request.get())) << method;
  }
  const std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// One call of `method` on `channel`, for `for_user` when set.
grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                  const std::string& for_user) {
  grpc::ClientContext context;
  const bool streams = method.find("/WatchChanges") != std::string::npos;
  context.set_deadline(std::chrono::system_clock::now() +
                       (streams ? std::chrono::milliseconds(700) : std::chrono::seconds(10)));
  if (!for_user.empty()) context.AddMetadata(server::kOnBehalfOfMetadataKey, for_user);
  return testing::CallByName(channel, method, RequestBytes(method), context);
}

bool Refused(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
         status.error_code() == grpc::StatusCode::UNAUTHENTICATED;
}

// The four servers over mutual TLS, each with its own certificate and its
// own authorizer on the test policy (production mode: no development
// tokens, no plaintext).
class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_ = new Suite(); }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  struct Suite {
    Suite()
        : ca(dir.path() + "/ca", "Fazhi matrix CA"),
          server(ca.Issue("server", kLoopback)),
          gateway_identity(ca.Issue(
              "gateway", std::string(kLoopback) + ",URI:spiffe://fazhi.local/svc/gateway")),
          report_identity(
              ca.Issue("report", std::string(kLoopback) + ",URI:spiffe://fazhi.local/svc/report")) {
      catalogue_store = Open<catalogue::CatalogueStore>("catalogue");
      metrics_store = Open<metrics::MetricsStore>("metrics");
      report_store = Open<report::ReportStore>("report");

      catalogue = std::make_unique<catalogue::CatalogueServiceImpl>(catalogue_store.get(),
                                                                    NewAuthorizer("catalogue"));
      Serve("catalogue", catalogue.get(), catalogue::v1::CatalogueService::service_full_name(),
            server, catalogue_store.get());
      metrics = std::make_unique<metrics::MetricsServiceImpl>(
          metrics_store.get(), NewAuthorizer("metrics"), testing::ShippedRules());
      Serve("metrics", metrics.get(), metrics::v1::MetricsService::service_full_name(), server,
            metrics_store.get());
      report = std::make_unique<report::ReportServiceImpl>(
          report_store.get(), NewAuthorizer("report"), testing::ShippedRules(),
          report::DialBackend(runners.at("metrics")->target(), ClientSecurity(&report_identity)),
          report::DialBackend(runners.at("catalogue")->target(), ClientSecurity(&report_identity)));
      Serve("report", report.get(), report::v1::ReportService::service_full_name(), report_identity,
            report_store.get());

      gateway::GatewayOptions options;
      options.backends.catalogue = {runners.at("catalogue")->target(), absl::Seconds(3)};
      options.backends.metrics = {runners.at("metrics")->target(), absl::Seconds(3)};
      options.backends.report = {runners.at("report")->target(), absl::Seconds(3)};
      options.backends.security = ClientSecurity(&gateway_identity);
      gateway = std::make_unique<gateway::GatewayServiceImpl>(options, NewAuthorizer("gateway"),
                                                              testing::ShippedRules());
      Serve<catalogue::CatalogueStore>("gateway", gateway.get(),
                                       gateway::v1::GatewayService::service_full_name(),
                                       gateway_identity, nullptr);
      Seed();
    }

    // What the scoped requests name, in 宝山区, written by the administrator
    // (before the calls under test, so that only authorization decides).
    void Seed() {
      const TestIdentity admin = ca.Issue("seed-admin", "URI:spiffe://fazhi.local/test/admin");
      auto dial = [&](const std::string& name) {
        return server::Dial(runners.at(name)->target(), ClientSecurity(&admin));
      };
      auto catalogue_stub = catalogue::v1::CatalogueService::NewStub(dial("catalogue"));
      for (const auto& [code, parent, level] :
           std::vector<std::tuple<std::string, std::string, catalogue::v1::RegionLevel>>{
               {"310000", "", catalogue::v1::REGION_LEVEL_PROVINCE},
               {"310113", "regions/310000", catalogue::v1::REGION_LEVEL_COUNTY}}) {
        catalogue::v1::CreateRegionRequest request;
        request.mutable_region()->set_code(code);
        request.mutable_region()->set_display_name(code == "310000" ? "上海市" : "宝山区");
        request.mutable_region()->set_level(level);
        request.mutable_region()->set_parent(parent);
        catalogue::v1::Region out;
        ASSERT_TRUE(testing::CallUnary(catalogue_stub.get(),
                                       &catalogue::v1::CatalogueService::Stub::CreateRegion,
                                       request, &out)
                        .ok());
      }
      catalogue::v1::CreateUnitRequest unit;
      unit.set_unit_id("310113-government");
      unit.mutable_unit()->set_display_name("上海市宝山区人民政府");
      unit.mutable_unit()->set_kind(catalogue::v1::UNIT_KIND_GOVERNMENT);
      unit.mutable_unit()->set_level(catalogue::v1::UNIT_LEVEL_DISTRICT);
      unit.mutable_unit()->set_region("regions/310113");
      catalogue::v1::Unit unit_out;
      ASSERT_TRUE(testing::CallUnary(catalogue_stub.get(),
                                     &catalogue::v1::CatalogueService::Stub::CreateUnit, unit,
                                     &unit_out)
                      .ok());
      catalogue::v1::CreateProjectRequest project;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
          Requests().at("/fazhi.catalogue.v1.CatalogueService/CreateProject"), &project));
      project.set_project_id("matrix-310113");
      catalogue::v1::Project project_out;
      ASSERT_TRUE(testing::CallUnary(catalogue_stub.get(),
                                     &catalogue::v1::CatalogueService::Stub::CreateProject, project,
                                     &project_out)
                      .ok());

      auto metrics_stub = metrics::v1::MetricsService::NewStub(dial("metrics"));
      metrics::v1::CreateIndicatorRequest indicator;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
          R"pb(indicator {
                 code: "mediation_accepted"
                 display_name: "人民调解受理"
                 unit_of_measure: "件"
                 kind: INDICATOR_KIND_COUNT
                 direction: DIRECTION_NEUTRAL
               })pb",
          &indicator));
      metrics::v1::Indicator indicator_out;
      ASSERT_TRUE(testing::CallUnary(metrics_stub.get(),
                                     &metrics::v1::MetricsService::Stub::CreateIndicator, indicator,
                                     &indicator_out)
                      .ok());
      metrics::v1::RecordObservationRequest observation;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
          Requests().at("/fazhi.metrics.v1.MetricsService/RecordObservation"), &observation));
      metrics::v1::Observation observation_out;
      absl::Status recorded = testing::CallUnary(
          metrics_stub.get(), &metrics::v1::MetricsService::Stub::RecordObservation, observation,
          &observation_out);
      ASSERT_TRUE(recorded.ok()) << recorded;
      observation_name = observation_out.name();

      auto report_stub = report::v1::ReportService::NewStub(dial("report"));
      report::v1::SubmitReportRequest submit;
      submit.set_report_id("matrix-310113");
      auto* report = submit.mutable_report();
      report->set_filer("units/310113-government");
      report->set_region("regions/310113");
      report->set_year(2023);
      report->set_title("宝山区2023年法治政府建设情况报告");
      report->set_text(testing::ReadSeed("000_f329534fe2bcaa38.txt"));
      report::v1::Report report_out;
      absl::Status submitted = testing::CallUnary(
          report_stub.get(), &report::v1::ReportService::Stub::SubmitReport, submit, &report_out);
      ASSERT_TRUE(submitted.ok()) << submitted;
    }

    ~Suite() {
      for (auto& [name, runner] : runners) runner->Shutdown();
      catalogue->StopWatches();
      metrics->StopWatches();
      report->StopWatches();
    }

    template <typename Store>
    std::unique_ptr<Store> Open(const std::string& name) {
      auto store = Store::Open(testing::TestStoreOptions(dir.path() + "/" + name));
      EXPECT_TRUE(store.ok()) << store.status();
      return store.ok() ? std::move(*store) : nullptr;
    }

    Authorizer& NewAuthorizer(const std::string& name) {
      server::SecurityOptions options;
      options.policy = std::make_shared<server::PolicyFile>(testing::TestPolicyFile());
      EXPECT_TRUE(options.policy->Load().ok());
      authorizers[name] = std::make_unique<Authorizer>(std::move(options));
      return *authorizers[name];
    }

    server::ChannelSecurity ClientSecurity(const TestIdentity* identity) {
      server::TlsOptions tls;
      tls.ca_file = ca.cert_file();
      if (identity != nullptr) {
        tls.cert_file = identity->cert_file;
        tls.key_file = identity->key_file;
      }
      auto security = server::MakeChannelSecurity(tls);
      EXPECT_TRUE(security.ok()) << security.status();
      return security.ok() ? *security : server::ChannelSecurity();
    }

    // Serves `service` (and, with a store, its backups and audit trail).
    template <typename Store>
    void Serve(const std::string& name, grpc::Service* service, const std::string& full_name,
               const TestIdentity& identity, Store* store) {
      ServerConfig config;
      config.name = name;
      config.tls.cert_file = identity.cert_file;
      config.tls.key_file = identity.key_file;
      config.tls.client_ca_file = ca.cert_file();
      config.shutdown_grace = absl::Seconds(1);
      config.authorizer = authorizers.at(name).get();
      auto runner = std::make_unique<ServerRunner>(config);
      runner->AddService(service, full_name);
      if (store != nullptr) {
        authorizers.at(name)->set_audit_trail(store->audit_trail());
        backups.push_back(std::make_unique<server::BackupServiceImpl>(
            &store->store(), name, dir.path() + "/backups-" + name, *authorizers.at(name),
            store->audit_trail()));
        runner->AddService(backups.back().get(), admin::v1::BackupService::service_full_name());
        sealers.push_back(std::make_unique<server::AuditSealer>(store->audit_trail(),
                                                                server::AuditSealOptions()));
        audits.push_back(std::make_unique<server::AuditServiceImpl>(
            *authorizers.at(name), store->audit_trail(), sealers.back().get()));
        runner->AddService(audits.back().get(), admin::v1::AuditService::service_full_name());
      }
      absl::Status started = runner->Start();
      EXPECT_TRUE(started.ok()) << name << ": " << started;
      runner->SetServing(true);
      runners[name] = std::move(runner);
    }

    testing::TempDir dir;
    TestCa ca;
    TestIdentity server;
    TestIdentity gateway_identity;
    TestIdentity report_identity;
    std::map<std::string, std::unique_ptr<Authorizer>> authorizers;
    std::unique_ptr<catalogue::CatalogueStore> catalogue_store;
    std::unique_ptr<metrics::MetricsStore> metrics_store;
    std::unique_ptr<report::ReportStore> report_store;
    std::unique_ptr<catalogue::CatalogueServiceImpl> catalogue;
    std::unique_ptr<metrics::MetricsServiceImpl> metrics;
    std::unique_ptr<report::ReportServiceImpl> report;
    std::unique_ptr<gateway::GatewayServiceImpl> gateway;
    std::vector<std::unique_ptr<server::BackupServiceImpl>> backups;
    std::vector<std::unique_ptr<server::AuditSealer>> sealers;
    std::vector<std::unique_ptr<server::AuditServiceImpl>> audits;
    std::map<std::string, std::unique_ptr<ServerRunner>> runners;
  };

  // The server that serves `method`.
  static std::string ServerOf(const std::string& method) {
    if (method.find("fazhi.catalogue.") != std::string::npos) return "catalogue";
    if (method.find("fazhi.metrics.") != std::string::npos) return "metrics";
    if (method.find("fazhi.report.") != std::string::npos) return "report";
    if (method.find("fazhi.gateway.") != std::string::npos) return "gateway";
    return "catalogue";  // backups, audit, security: every store serves them
  }

  // A channel to each server with the certificate of `principal` (made
  // once per principal), or with a certificate naming nobody ("").
  std::shared_ptr<grpc::Channel> ChannelAs(const std::string& principal,
                                           const std::string& server_name) {
    const std::string key = principal + "@" + server_name;
    auto it = channels_.find(key);
    if (it != channels_.end()) return it->second;
    std::string file = principal.empty() ? "nobody" : principal;
    std::replace(file.begin(), file.end(), '/', '-');
    TestIdentity identity = identities_.count(file) > 0 ? identities_.at(file) : TestIdentity();
    if (identity.cert_file.empty()) {
      identity = suite_->ca.Issue("client-" + file, principal.empty()
                                                        ? "DNS:nobody.example"
                                                        : "URI:spiffe://fazhi.local/" + principal);
      identities_[file] = identity;
    }
    auto channel =
        server::Dial(suite_->runners.at(server_name)->target(), suite_->ClientSecurity(&identity));
    channels_[key] = channel;
    return channel;
  }

  // The last audit entry of the store behind `server_name`.
  static uint64_t AuditHead(const std::string& server_name) {
    const storage::AuditTrail* trail =
        server_name == "catalogue" ? suite_->catalogue_store->audit_trail()
        : server_name == "metrics" ? suite_->metrics_store->audit_trail()
                                   : suite_->report_store->audit_trail();
    return trail->head().sequence;
  }

  static constexpr char kListBackups[] = "/fazhi.admin.v1.BackupService/ListBackups";
  static constexpr char kImportProjects[] = "/fazhi.catalogue.v1.CatalogueService/ImportProjects";
  // Publishing writes the metrics store, not the report store.
  static constexpr char kPublishFigures[] = "/fazhi.report.v1.ReportService/PublishReportFigures";

  static Suite* suite_;
  std::map<std::string, TestIdentity> identities_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

AuthorizationMatrixTest::Suite* AuthorizationMatrixTest::suite_ = nullptr;

TEST_F(AuthorizationMatrixTest, TheRulesOfTheServersAreTheOnesRestatedHere) {
  std::set<std::string> served;
  for (const auto& [name, authorizer] : suite_->authorizers) {
    for (const auto& [method, rule] : authorizer->AllRules()) served.insert(method);
  }
  std::set<std::string> restated;
  for (const auto& [method, need] : Needs()) restated.insert(method);
  EXPECT_EQ(served, restated) << "a method was added or removed: restate its rule in Needs()";
}

TEST_F(AuthorizationMatrixTest, EveryRoleAgainstEveryMethod) {
  std::vector<std::string> principals;
  for (const auto& [principal, holds] : Holds()) principals.push_back(principal);
  int checked = 0;
  for (const auto& [method, need] : Needs()) {
    for (const std::string& principal : principals) {
      const std::string server_name = ServerOf(method);
      const uint64_t before = AuditHead(server_name);
      const grpc::Status status = Call(ChannelAs(principal, server_name), method, "");
      const bool allowed = Allowed(method, principal, "");
      EXPECT_EQ(!Refused(status), allowed) << principal << " " << method << " -> "
                                           << status.error_code() << " " << status.error_message();
      // Exactly one audit entry for a refusal and for a change; none for a
      // read or a call that changed nothing (a request found invalid).
      if (server_name != "gateway") {
        const uint64_t entries = AuditHead(server_name) - before;
        if (Refused(status)) {
          EXPECT_EQ(entries, 1u) << principal << " " << method << " refused";
        } else if (!status.ok() || need == "read" || need == "audit" || need == "secure" ||
                   method == kListBackups || method == kPublishFigures) {
          EXPECT_EQ(entries, 0u) << principal << " " << method << " -> " << status.error_code();
        } else if (method == kImportProjects) {
          EXPECT_LE(entries, 1u) << principal << " " << method;  // the row may be rejected
        } else {
          EXPECT_EQ(entries, 1u) << principal << " " << method << " changed data";
        }
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Needs().size() * principals.size()));
}

TEST_F(AuthorizationMatrixTest, ACertificateThatNamesNobodyIsRefusedEverywhere) {
  for (const auto& [method, need] : Needs()) {
    const grpc::Status status = Call(ChannelAs("", ServerOf(method)), method, "");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << method << " -> " << status.error_message();
  }
}

TEST_F(AuthorizationMatrixTest, NoCertificateAtAllIsRefusedAtTheHandshake) {
  auto channel =
      server::Dial(suite_->runners.at("catalogue")->target(), suite_->ClientSecurity(nullptr));
  const grpc::Status status = Call(channel, "/fazhi.catalogue.v1.CatalogueService/GetRegion", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(AuthorizationMatrixTest, ServicesActingForUsersAreCheckedForBoth) {
  const std::vector<std::pair<std::string, std::string>> delegations = {
      {testing::kTestGateway, testing::kTestReader},
      {testing::kTestGateway, testing::kTestAdmin},
      {testing::kTestReportService, testing::kTestBaoshanReporter},
      {testing::kTestReportService, testing::kTestReader},
      {testing::kTestReader, testing::kTestAdmin},  // not a service
  };
  for (const auto& [service, user] : delegations) {
    for (const auto& [method, need] : Needs()) {
      const grpc::Status status = Call(ChannelAs(service, ServerOf(method)), method, user);
      EXPECT_EQ(!Refused(status), Allowed(method, service, user))
          << service << " for " << user << " " << method << " -> " << status.error_code() << " "
          << status.error_message();
    }
  }
}

}  // namespace
}  // namespace fazhi
