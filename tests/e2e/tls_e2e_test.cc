// End to end with TLS, as the production overlay runs the suite: the four
// real servers as separate processes, each reading its own Secret-like
// directory (tls.crt, tls.key, ca.crt) whose certificate names the server's
// principal in a URI SAN (spiffe://fazhi.local/svc/<name>); every server
// requires client certificates (mutual TLS) and takes the caller's principal
// from them, every server answers health in plaintext on a probe port, and
// fazhictl loads the demo data and asks for a summary with the operator's
// certificate (dev/admin of data/policy.textproto).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/process.h"
#include "tests/testing/test_certificates.h"

namespace fazhi::e2e {
namespace {

using namespace std::chrono_literals;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace rv1 = fazhi::report::v1;

const std::string kSource = FAZHI_SOURCE_DIR;

// One unary call with a 10 s deadline.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  return (stub.*method)(&context, request, response);
}

struct Server {
  std::string name;
  std::string binary;
  ListeningPorts ports;
  std::unique_ptr<ChildProcess> process;
};

class TlsSuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = MakeTempDir();
    // One CA; one certificate per server, as the production overlay's
    // Secrets fazhi-tls-<name> hold; one for the operator (an administrator)
    // and one for a reader.
    testing::TestCa ca(dir_ + "/ca", "Fazhi e2e CA");
    for (const auto& [name, binary] : kSuiteServers) {
      const auto server = ca.Issue(name, std::string("DNS:localhost,IP:127.0.0.1,DNS:") + name +
                                             ",URI:spiffe://fazhi.local/svc/" + name);
      testing::UpdateSecretVolume(SecretOf(name), {{testing::kSecretCert, server.cert_file},
                                                   {testing::kSecretKey, server.key_file},
                                                   {testing::kSecretCa, ca.cert_file()}});
    }
    operator_ = ca.Issue("operator", "URI:spiffe://fazhi.local/dev/admin");
    reader_ = ca.Issue("reader", "URI:spiffe://fazhi.local/dev/reader");
    ca_file_ = ca.cert_file();
    servers_.clear();
    for (const auto& [name, binary] : kSuiteServers) {
      servers_.push_back(Server{name, binary, {}, nullptr});
      Start(servers_.back());
      ASSERT_NE(servers_.back().ports.grpc, 0) << name << " did not start; log:\n"
                                               << ReadWholeFile(dir_ + "/" + name + ".log");
    }
    import_exit_ = RunToCompletion(
        Binary("tools/fazhictl/fazhictl"),
        WithOperatorTls({"import", kSource + "/data/demo", "--catalogue=" + Target("catalogue"),
                         "--metrics=" + Target("metrics"), "--report=" + Target("report")}),
        &import_output_, 120s);
  }

  static void TearDownTestSuite() {
    for (auto& s : servers_) {
      if (s.process) {
        s.process->Signal(SIGTERM);
        s.process->Wait(15s);
      }
    }
    servers_.clear();
    RemoveTree(dir_);
  }

  static std::string SecretOf(const std::string& name) { return dir_ + "/secret-" + name; }

  // The flags of the production overlay, on loopback ports of the kernel's
  // choosing.
  static void Start(Server& s) {
    const std::string secret = SecretOf(s.name);
    std::vector<std::string> args = {
        "--listen=127.0.0.1:0", "--metrics_port=-1", "--probe_listen=127.0.0.1:0",
        "--shutdown_grace_seconds=5", "--rules=" + kSource + "/data/rules.textproto",
        "--policy_file=" + kSource + "/data/policy.textproto",
        "--tls_cert_file=" + secret + "/tls.crt", "--tls_key_file=" + secret + "/tls.key",
        "--tls_refresh_seconds=1",
        // Every caller shows a certificate: it names the caller.
        "--tls_client_ca_file=" + secret + "/ca.crt"};
    if (s.name == "gateway") {
      args.push_back("--tls_ca_file=" + secret + "/ca.crt");
      args.push_back("--catalogue=" + Target("catalogue"));
      args.push_back("--metrics=" + Target("metrics"));
      args.push_back("--report=" + Target("report"));
    } else {
      args.push_back("--data_dir=" + dir_ + "/" + s.name);
      args.push_back("--memory_budget_mb=64");
    }
    if (s.name == "report") {
      args.push_back("--tls_ca_file=" + secret + "/ca.crt");
      args.push_back("--metrics=" + Target("metrics"));
      args.push_back("--catalogue=" + Target("catalogue"));
    }
    const std::string log = dir_ + "/" + s.name + ".log";
    s.process = std::make_unique<ChildProcess>(Binary(s.binary), args, log);
    auto ports = WaitForListening(log, 0, *s.process, 20s);
    if (ports.has_value()) s.ports = *ports;
  }

  static Server& Named(const std::string& name) {
    for (auto& s : servers_) {
      if (s.name == name) return s;
    }
    return servers_.front();
  }
  static std::string Target(const std::string& name) { return Address(Named(name).ports.grpc); }

  static std::vector<std::string> WithOperatorTls(std::vector<std::string> args) {
    args.push_back("--tls_ca_file=" + ca_file_);
    args.push_back("--tls_cert_file=" + operator_.cert_file);
    args.push_back("--tls_key_file=" + operator_.key_file);
    return args;
  }

  // A channel trusting the suite's CA, showing `identity`'s certificate when
  // given.
  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& target,
                                                   const testing::TestIdentity* identity) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadWholeFile(ca_file_);
    if (identity != nullptr) {
      options.pem_cert_chain = ReadWholeFile(identity->cert_file);
      options.pem_private_key = ReadWholeFile(identity->key_file);
    }
    return grpc::CreateChannel(target, grpc::SslCredentials(options));
  }

  static grpc::Status Check(const std::shared_ptr<grpc::Channel>& channel, const std::string& name,
                            HealthCheckResponse::ServingStatus* status) {
    HealthCheckRequest request;
    request.set_service(name);
    HealthCheckResponse response;
    auto stub = Health::NewStub(channel);
    grpc::Status s = Call(*stub, &Health::Stub::Check, request, &response);
    *status = response.status();
    return s;
  }

  static std::string dir_;
  static std::string ca_file_;
  static testing::TestIdentity operator_;
  static testing::TestIdentity reader_;
  static std::vector<Server> servers_;
  static int import_exit_;
  static std::string import_output_;
};

std::string TlsSuiteTest::dir_;
std::string TlsSuiteTest::ca_file_;
testing::TestIdentity TlsSuiteTest::operator_;
testing::TestIdentity TlsSuiteTest::reader_;
std::vector<Server> TlsSuiteTest::servers_;
int TlsSuiteTest::import_exit_ = -1;
std::string TlsSuiteTest::import_output_;

// fazhictl loads through mutual TLS, the gateway reaches every store with
// its certificate (the summary is whole, not partial), and fazhictl reads
// the summary over TLS.
TEST_F(TlsSuiteTest, ImportAndSummaryWorkWithTlsEverywhere) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  std::string output;
  const int code = RunToCompletion(Binary("tools/fazhictl/fazhictl"),
                                   WithOperatorTls({"summary", "--region=310113", "--year=2023",
                                                    "--gateway=" + Target("gateway")}),
                                   &output, 30s);
  ASSERT_EQ(code, 0) << output;
  EXPECT_TRUE(absl::StrContains(output, "宝山区")) << output;

  auto gateway = gv1::GatewayService::NewStub(TlsChannel(Target("gateway"), &reader_));
  gv1::GetDistrictComplianceSummaryRequest request;
  request.set_region_code("310113");
  request.set_year(2023);
  gv1::DistrictComplianceSummary summary;
  grpc::Status s =
      Call(*gateway, &gv1::GatewayService::Stub::GetDistrictComplianceSummary, request, &summary);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(summary.partial());
}

// The report service dials metrics with its certificate to publish figures.
TEST_F(TlsSuiteTest, ReportPublishesToMetricsOverMutualTls) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  auto report = rv1::ReportService::NewStub(TlsChannel(Target("report"), &operator_));
  rv1::PublishReportFiguresRequest request;
  request.set_name("reports/310107-justice-2020");
  rv1::PublishReportFiguresResponse response;
  grpc::Status s =
      Call(*report, &rv1::ReportService::Stub::PublishReportFigures, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(TlsSuiteTest, StoresRefuseCallersWithoutACertificate) {
  auto catalogue = cv1::CatalogueService::NewStub(TlsChannel(Target("catalogue"), nullptr));
  cv1::GetRegionRequest request;
  request.set_name("regions/310113");
  cv1::Region region;
  EXPECT_EQ(
      Call(*catalogue, &cv1::CatalogueService::Stub::GetRegion, request, &region).error_code(),
      grpc::StatusCode::UNAVAILABLE);
}

// What the kubelet sees: plaintext health on the probe port, the same
// statuses as over TLS; the TLS port itself refuses plaintext.
TEST_F(TlsSuiteTest, ProbePortsAnswerHealthInPlaintextAndTlsPortsRefuseIt) {
  for (const auto& s : servers_) {
    ASSERT_GT(s.ports.probe, 0) << s.name;
    auto probe = grpc::CreateChannel(Address(s.ports.probe), grpc::InsecureChannelCredentials());
    HealthCheckResponse::ServingStatus status;
    for (const std::string name : {"", "liveness"}) {
      ASSERT_TRUE(Check(probe, name, &status).ok()) << s.name << " " << name;
      EXPECT_EQ(status, HealthCheckResponse::SERVING) << s.name << " " << name;
    }
    auto plaintext = grpc::CreateChannel(Address(s.ports.grpc), grpc::InsecureChannelCredentials());
    EXPECT_EQ(Check(plaintext, "", &status).error_code(), grpc::StatusCode::UNAVAILABLE) << s.name;
  }
}

TEST_F(TlsSuiteTest, HalfGivenTlsFlagsStopTheProgramsNamingTheFlag) {
  std::string output;
  int code =
      RunToCompletion(Binary("services/catalogue/catalogue_server"),
                      {"--listen=127.0.0.1:0", "--metrics_port=-1", "--data_dir=" + dir_ + "/half",
                       "--policy_file=" + kSource + "/data/policy.textproto",
                       "--tls_cert_file=" + SecretOf("catalogue") + "/tls.crt"},
                      &output, 30s);
  EXPECT_EQ(code, 1) << output;
  EXPECT_TRUE(absl::StrContains(output, "--tls_cert_file is set but --tls_key_file is not"))
      << output;

  code = RunToCompletion(
      Binary("tools/fazhictl/fazhictl"),
      {"summary", "--region=310113", "--year=2023", "--gateway=" + Target("gateway"),
       "--tls_cert_file=" + operator_.cert_file, "--tls_key_file=" + operator_.key_file},
      &output, 30s);
  EXPECT_EQ(code, 2) << output;
  EXPECT_TRUE(absl::StrContains(output, "--tls_cert_file is set but --tls_ca_file is not"))
      << output;
}

// The certificate's URI SAN is the caller: a reader's certificate from the
// same CA may read but not write; the administrator's may write.
TEST_F(TlsSuiteTest, CertificatePrincipalDecidesWhatACallerMayDo) {
  ASSERT_EQ(import_exit_, 0) << import_output_;
  cv1::CreateRegionRequest request;
  request.mutable_region()->set_code("310195");
  request.mutable_region()->set_display_name("证书示例区");
  request.mutable_region()->set_level(cv1::REGION_LEVEL_COUNTY);
  request.mutable_region()->set_parent("regions/310000");
  cv1::Region region;

  auto as_reader = cv1::CatalogueService::NewStub(TlsChannel(Target("catalogue"), &reader_));
  cv1::GetRegionRequest get;
  get.set_name("regions/310113");
  EXPECT_TRUE(Call(*as_reader, &cv1::CatalogueService::Stub::GetRegion, get, &region).ok());
  const grpc::Status refused =
      Call(*as_reader, &cv1::CatalogueService::Stub::CreateRegion, request, &region);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << refused.error_message();
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "dev/reader")) << refused.error_message();

  auto as_admin = cv1::CatalogueService::NewStub(TlsChannel(Target("catalogue"), &operator_));
  const grpc::Status created =
      Call(*as_admin, &cv1::CatalogueService::Stub::CreateRegion, request, &region);
  EXPECT_TRUE(created.ok()) << created.error_message();
}

// Plaintext is for local development only, and only when asked for.
TEST_F(TlsSuiteTest, PlaintextServerWithoutInsecureDevelopmentRefusesToStart) {
  std::string output;
  const int code = RunToCompletion(
      Binary("services/catalogue/catalogue_server"),
      {"--listen=127.0.0.1:0", "--metrics_port=-1", "--data_dir=" + dir_ + "/plaintext",
       "--policy_file=" + kSource + "/data/policy.textproto"},
      &output, 30s);
  EXPECT_NE(code, 0) << output;
  EXPECT_TRUE(absl::StrContains(output, "--insecure_development")) << output;
  EXPECT_FALSE(absl::StrContains(output, "listening on port")) << output;
}

}  // namespace
}  // namespace fazhi::e2e
