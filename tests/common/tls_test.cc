// TLS on real servers over loopback, with certificates made by the openssl
// tool for each test: server TLS and mutual TLS, the plaintext health-only
// probe port, server-name checking, start-up refusal of half-given TLS
// files, and rotation of the files without a restart.
#include "common/server/tls.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "common/server/server_runner.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/test_env.h"

namespace fazhi::server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using testing::TestCa;
using testing::TestIdentity;

namespace cv1 = fazhi::catalogue::v1;
constexpr char kName[] = "fazhi.catalogue.v1.CatalogueService";
// What the test certificates of servers dialled on loopback carry.
constexpr char kLoopbackSans[] = "DNS:localhost,IP:127.0.0.1";

// A catalogue that knows one region, so a call can succeed.
class OneRegionCatalogue final : public cv1::CatalogueService::Service {
  grpc::Status GetRegion(grpc::ServerContext*, const cv1::GetRegionRequest*,
                         cv1::Region* region) override {
    region->set_code("310113");
    return grpc::Status::OK;
  }
};

// A channel of its own (no subchannel shared with earlier channels), so each
// call below makes a new connection and a new TLS handshake.
std::shared_ptr<grpc::Channel> NewConnection(const std::string& target,
                                             const ChannelSecurity& security) {
  grpc::ChannelArguments args = MakeChannelArguments();
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return Dial(target, security, args);
}

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& name,
                         HealthCheckResponse::ServingStatus* status = nullptr) {
  HealthCheckRequest request;
  request.set_service(name);
  HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Status s = Health::NewStub(channel)->Check(&context, request, &response);
  if (status != nullptr) *status = response.status();
  return s;
}

grpc::Status GetRegion(const std::shared_ptr<grpc::Channel>& channel) {
  cv1::GetRegionRequest request;
  request.set_name("regions/310113");
  cv1::Region region;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return cv1::CatalogueService::NewStub(channel)->GetRegion(&context, request, &region);
}

// One call of `method` with an empty request, whatever the method's types:
// UNIMPLEMENTED tells that the server does not serve it.
grpc::Status CallAnyMethod(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return testing::CallByName(channel, method, grpc::ByteBuffer(), context);
}

ChannelSecurity ClientSecurity(const std::string& ca_file, const TestIdentity* identity = nullptr,
                               const std::string& server_name = "") {
  TlsOptions tls;
  tls.ca_file = ca_file;
  if (identity != nullptr) {
    tls.cert_file = identity->cert_file;
    tls.key_file = identity->key_file;
  }
  tls.server_name = server_name;
  tls.refresh_interval = absl::Seconds(1);
  auto security = MakeChannelSecurity(tls);
  EXPECT_TRUE(security.ok()) << security.status();
  return security.ok() ? *security : ChannelSecurity();
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : ca_a_(dir_.path() + "/ca-a", "Fazhi test CA A"),
        ca_b_(dir_.path() + "/ca-b", "Fazhi test CA B"),
        server_a_(ca_a_.Issue("server", kLoopbackSans)),
        client_a_(ca_a_.Issue("client", "DNS:gateway")),
        client_b_(ca_b_.Issue("client", "DNS:gateway")) {}

  // A server with `tls` on 127.0.0.1:0 and a probe listener, ready.
  std::unique_ptr<ServerRunner> Serve(const TlsOptions& tls) {
    ServerConfig config;
    config.name = "tls-test";
    config.tls = tls;
    config.probe_listen_address = "127.0.0.1:0";
    config.shutdown_grace = absl::Seconds(1);
    auto runner = std::make_unique<ServerRunner>(config);
    runner->AddService(&catalogue_, kName);
    absl::Status started = runner->Start();
    EXPECT_TRUE(started.ok()) << started;
    runner->SetServing(true);
    return runner;
  }

  TlsOptions ServerTls(const TestIdentity& identity) {
    TlsOptions tls;
    tls.cert_file = identity.cert_file;
    tls.key_file = identity.key_file;
    tls.refresh_interval = absl::Seconds(1);
    return tls;
  }

  // Start() of a server with `tls`: the error it refuses to start with.
  absl::Status StartWith(const TlsOptions& tls) {
    ServerConfig config;
    config.name = "tls-test";
    config.tls = tls;
    ServerRunner runner(config);
    runner.AddService(&catalogue_, kName);
    absl::Status started = runner.Start();
    EXPECT_EQ(runner.port(), 0) << "listening although TLS was refused";
    return started;
  }

  testing::TempDir dir_;
  OneRegionCatalogue catalogue_;
  TestCa ca_a_;
  TestCa ca_b_;
  TestIdentity server_a_;
  TestIdentity client_a_;
  TestIdentity client_b_;
};

TEST_F(TlsTest, ClientTrustingTheCaCallsTheServiceHealthAndReflection) {
  auto server = Serve(ServerTls(server_a_));
  auto channel = NewConnection(server->target(), ClientSecurity(ca_a_.cert_file()));
  HealthCheckResponse::ServingStatus status;
  ASSERT_TRUE(CheckHealth(channel, kName, &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);
  EXPECT_TRUE(GetRegion(channel).ok());
  // Operators use grpcurl on the TLS port: reflection is there.
  EXPECT_TRUE(
      CallAnyMethod(channel, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
          .ok());
}

TEST_F(TlsTest, ClientTrustingAnotherCaIsRefused) {
  auto server = Serve(ServerTls(server_a_));
  grpc::Status s = GetRegion(NewConnection(server->target(), ClientSecurity(ca_b_.cert_file())));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(TlsTest, PlaintextClientIsRefusedOnTheTlsPort) {
  auto server = Serve(ServerTls(server_a_));
  auto plaintext = NewConnection(server->target(), ChannelSecurity());
  EXPECT_EQ(CheckHealth(plaintext, "").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetRegion(plaintext).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ProbePortAnswersHealthInPlaintextAndNothingElse) {
  auto server = Serve(ServerTls(server_a_));
  ASSERT_GT(server->probe_port(), 0);
  auto probe =
      NewConnection("127.0.0.1:" + std::to_string(server->probe_port()), ChannelSecurity());
  auto tls = NewConnection(server->target(), ClientSecurity(ca_a_.cert_file()));

  // The same statuses as the TLS port, following readiness.
  HealthCheckResponse::ServingStatus status;
  for (const std::string name : {"", kName, kLivenessServiceName}) {
    ASSERT_TRUE(CheckHealth(probe, name, &status).ok()) << name;
    EXPECT_EQ(status, HealthCheckResponse::SERVING) << name;
  }
  server->SetServing(false);
  for (const auto& channel : {probe, tls}) {
    ASSERT_TRUE(CheckHealth(channel, kName, &status).ok());
    EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
    ASSERT_TRUE(CheckHealth(channel, kLivenessServiceName, &status).ok());
    EXPECT_EQ(status, HealthCheckResponse::SERVING);
  }

  // Every other service is missing there, reflection included.
  EXPECT_EQ(GetRegion(probe).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallAnyMethod(probe, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(TlsTest, ProbePortSaysNotServingDuringTheDrain) {
  ServerConfig config;
  config.name = "tls-test";
  config.tls = ServerTls(server_a_);
  config.probe_listen_address = "127.0.0.1:0";
  config.drain_period = absl::Seconds(2);
  config.shutdown_grace = absl::Seconds(1);
  ServerRunner runner(config);
  runner.AddService(&catalogue_, kName);
  ASSERT_TRUE(runner.Start().ok());
  runner.SetServing(true);
  auto probe = NewConnection("127.0.0.1:" + std::to_string(runner.probe_port()), ChannelSecurity());
  std::thread stopper([&] { runner.Shutdown(); });
  HealthCheckResponse::ServingStatus status = HealthCheckResponse::SERVING;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (status == HealthCheckResponse::SERVING && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(CheckHealth(probe, kName, &status).ok());
  }
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(CheckHealth(probe, kLivenessServiceName, &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);
  stopper.join();
}

TEST_F(TlsTest, MutualTlsRefusesClientsWithoutACertificateFromTheClientCa) {
  TlsOptions tls = ServerTls(server_a_);
  tls.client_ca_file = ca_a_.cert_file();
  auto server = Serve(tls);

  EXPECT_EQ(
      GetRegion(NewConnection(server->target(), ClientSecurity(ca_a_.cert_file()))).error_code(),
      grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(
      GetRegion(NewConnection(server->target(), ClientSecurity(ca_a_.cert_file(), &client_b_)))
          .error_code(),
      grpc::StatusCode::UNAVAILABLE);
  grpc::Status s =
      GetRegion(NewConnection(server->target(), ClientSecurity(ca_a_.cert_file(), &client_a_)));
  EXPECT_TRUE(s.ok()) << s.error_message();
  // The kubelet has no certificate: the probe port does not ask for one.
  auto probe =
      NewConnection("127.0.0.1:" + std::to_string(server->probe_port()), ChannelSecurity());
  EXPECT_TRUE(CheckHealth(probe, kName).ok());
}

TEST_F(TlsTest, TheCertificateMustNameTheServerDialledOrTheNameGiven) {
  const TestIdentity catalogue = ca_a_.Issue("catalogue", "DNS:catalogue,DNS:catalogue.fazhi.svc");
  auto server = Serve(ServerTls(catalogue));
  grpc::Status wrong_name =
      GetRegion(NewConnection(server->target(), ClientSecurity(ca_a_.cert_file())));
  EXPECT_EQ(wrong_name.error_code(), grpc::StatusCode::UNAVAILABLE) << wrong_name.error_message();
  grpc::Status named = GetRegion(
      NewConnection(server->target(), ClientSecurity(ca_a_.cert_file(), nullptr, "catalogue")));
  EXPECT_TRUE(named.ok()) << named.error_message();
}

// Each way of half-giving the server's files is refused, naming the flag.
TEST_F(TlsTest, HalfGivenServerFilesFailToStartNamingTheFlag) {
  const std::string missing = dir_.path() + "/missing.crt";
  const std::string garbage = dir_.path() + "/garbage.pem";
  {
    std::ofstream out(garbage);
    out << "not a certificate\n";
  }
  struct Case {
    std::string what;
    TlsOptions tls;
    std::string flag_first;
  };
  TlsOptions cert_only = ServerTls(server_a_);
  cert_only.key_file.clear();
  TlsOptions key_only = ServerTls(server_a_);
  key_only.cert_file.clear();
  TlsOptions client_ca_only;
  client_ca_only.client_ca_file = ca_a_.cert_file();
  TlsOptions unreadable = ServerTls(server_a_);
  unreadable.cert_file = missing;
  TlsOptions not_pem = ServerTls(server_a_);
  not_pem.cert_file = garbage;
  TlsOptions wrong_key = ServerTls(server_a_);
  wrong_key.key_file = client_a_.key_file;
  TlsOptions bad_client_ca = ServerTls(server_a_);
  bad_client_ca.client_ca_file = garbage;
  TlsOptions no_refresh = ServerTls(server_a_);
  no_refresh.refresh_interval = absl::ZeroDuration();
  const Case cases[] = {
      {"certificate without key", cert_only, "--tls_cert_file is set but --tls_key_file"},
      {"key without certificate", key_only, "--tls_key_file is set but --tls_cert_file"},
      {"client CA alone", client_ca_only, "--tls_client_ca_file is set"},
      {"unreadable certificate", unreadable, "--tls_cert_file=" + missing + ": cannot read"},
      {"certificate file without PEM", not_pem, "--tls_cert_file=" + garbage},
      {"key of another certificate", wrong_key, "--tls_key_file=" + client_a_.key_file},
      {"client CA without PEM", bad_client_ca, "--tls_client_ca_file=" + garbage},
      {"no refresh interval", no_refresh, "--tls_refresh_seconds"},
  };
  for (const Case& c : cases) {
    absl::Status s = StartWith(c.tls);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.what << ": " << s;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.flag_first)) << c.what << ": " << s;
  }
}

TEST_F(TlsTest, HalfGivenClientFilesAreRefusedNamingTheFlag) {
  TlsOptions identity_without_ca;
  identity_without_ca.cert_file = client_a_.cert_file;
  identity_without_ca.key_file = client_a_.key_file;
  absl::Status s = MakeChannelSecurity(identity_without_ca).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "--tls_cert_file is set but --tls_ca_file")) << s;

  TlsOptions unreadable_ca;
  unreadable_ca.ca_file = dir_.path() + "/missing-ca.crt";
  s = MakeChannelSecurity(unreadable_ca).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "--tls_ca_file=" + unreadable_ca.ca_file)) << s;

  TlsOptions key_without_cert;
  key_without_cert.ca_file = ca_a_.cert_file();
  key_without_cert.key_file = client_a_.key_file;
  s = MakeChannelSecurity(key_without_cert).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "--tls_key_file is set but --tls_cert_file")) << s;
}

// Polls new connections with `security` to `target` until a health check
// succeeds or `timeout` passes.
bool ConnectsWithin(const std::string& target, const ChannelSecurity& security,
                    std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (CheckHealth(NewConnection(target, security), "").ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// The files are replaced the way the kubelet updates a mounted Secret, and
// the running server hands out the new certificate within its refresh
// interval (1 s here): no restart.
TEST_F(TlsTest, ServerCertificateRotatesWithoutARestart) {
  const std::string secret = dir_.path() + "/secret";
  testing::UpdateSecretVolume(secret, {{testing::kSecretCert, server_a_.cert_file},
                                       {testing::kSecretKey, server_a_.key_file}});
  TlsOptions tls;
  tls.cert_file = secret + "/" + testing::kSecretCert;
  tls.key_file = secret + "/" + testing::kSecretKey;
  tls.refresh_interval = absl::Seconds(1);
  auto server = Serve(tls);
  const ChannelSecurity trusts_a = ClientSecurity(ca_a_.cert_file());
  const ChannelSecurity trusts_b = ClientSecurity(ca_b_.cert_file());
  ASSERT_TRUE(CheckHealth(NewConnection(server->target(), trusts_a), "").ok());
  ASSERT_EQ(CheckHealth(NewConnection(server->target(), trusts_b), "").error_code(),
            grpc::StatusCode::UNAVAILABLE);

  const TestIdentity server_b = ca_b_.Issue("server", kLoopbackSans);
  testing::UpdateSecretVolume(secret, {{testing::kSecretCert, server_b.cert_file},
                                       {testing::kSecretKey, server_b.key_file}});

  EXPECT_TRUE(ConnectsWithin(server->target(), trusts_b, std::chrono::seconds(15)))
      << "the server still shows the certificate from CA A";
  EXPECT_EQ(CheckHealth(NewConnection(server->target(), trusts_a), "").error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// The client side watches its files too: one ChannelSecurity (as the
// gateway holds for its life) trusts the new CA once its file is replaced.
TEST_F(TlsTest, ClientTrustRotatesWithoutARestart) {
  auto server_on_b = Serve(ServerTls(ca_b_.Issue("server", kLoopbackSans)));
  const std::string secret = dir_.path() + "/client-secret";
  testing::UpdateSecretVolume(secret, {{testing::kSecretCa, ca_a_.cert_file()}});
  const ChannelSecurity security = ClientSecurity(secret + "/" + testing::kSecretCa);
  ASSERT_EQ(CheckHealth(NewConnection(server_on_b->target(), security), "").error_code(),
            grpc::StatusCode::UNAVAILABLE);

  testing::UpdateSecretVolume(secret, {{testing::kSecretCa, ca_b_.cert_file()}});
  EXPECT_TRUE(ConnectsWithin(server_on_b->target(), security, std::chrono::seconds(15)));
}

}  // namespace
}  // namespace fazhi::server
