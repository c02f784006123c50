#include "tests/testing/test_env.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/rules/rule_set.h"
#include "common/server/call_identity.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace fazhi::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/fazhi-test-XXXXXX";
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string ReadSeed(const std::string& name) {
  return ReadFile(std::string(FAZHI_SEEDS_DIR) + "/" + name);
}

fazhi::rules::v1::RuleSet ShippedRules() {
  auto rules = rules::LoadRuleSet(std::string(FAZHI_SOURCE_DIR) + "/data/rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : fazhi::rules::v1::RuleSet();
}

storage::StoreOptions TestStoreOptions(const std::string& dir) {
  storage::StoreOptions options;
  options.path = dir;
  options.memory_budget_bytes = 32ull << 20;
  return options;
}

namespace {

constexpr char kTestPolicy[] = R"pb(
  version: "test-1"
  development_anonymous_read: true
  principals {
    name: "test/admin"
    grants { role: SYSTEM_ADMIN }
    grants { role: DISTRICT_REPORTER regions: "*" }
    grants { role: REVIEWER regions: "*" }
  }
  principals {
    name: "test/reader"
    grants { role: READER }
  }
  principals {
    name: "test/baoshan-reporter"
    grants { role: DISTRICT_REPORTER regions: "310113" }
  }
  principals {
    name: "test/reviewer"
    grants { role: REVIEWER regions: "310000" }
  }
  principals {
    name: "test/security"
    grants { role: SECURITY_ADMIN }
  }
  principals {
    name: "test/auditor"
    grants { role: AUDITOR }
  }
  principals {
    name: "svc/gateway"
    service: true
    grants { role: READER }
  }
  principals {
    name: "svc/report"
    service: true
    grants { role: READER }
    grants { role: REPORT_PUBLISHER }
  }
)pb";

// The directory of the test policy and keys, for the life of the process.
const std::string& SecurityDir() {
  static const std::string* dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/fazhi-security-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp failed for " << pattern;
    std::ofstream(pattern + "/policy.textproto") << kTestPolicy;
    EXPECT_TRUE(server::WriteNewDevTokenKeyFile(pattern + "/dev-token.key").ok());
    return new std::string(pattern);
  }();
  return *dir;
}

server::SecurityOptions TestSecurityOptions() {
  server::SecurityOptions options;
  options.insecure_development = true;
  options.policy = std::make_shared<server::PolicyFile>(TestPolicyFile());
  absl::Status loaded = options.policy->Load();
  EXPECT_TRUE(loaded.ok()) << loaded;
  options.dev_tokens = TestTokenKeys();
  return options;
}

}  // namespace

const std::string& TestPolicyFile() {
  static const std::string* path = new std::string(SecurityDir() + "/policy.textproto");
  return *path;
}

std::shared_ptr<server::DevTokenKeys> TestTokenKeys() {
  static auto* keys = [] {
    auto* made = new std::shared_ptr<server::DevTokenKeys>(
        std::make_shared<server::DevTokenKeys>(SecurityDir() + "/dev-token.key"));
    absl::Status loaded = (*made)->Load();
    EXPECT_TRUE(loaded.ok()) << loaded;
    return made;
  }();
  return *keys;
}

std::string TestToken(const std::string& principal) {
  auto token = TestTokenKeys()->Mint(principal, absl::Hours(12));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

server::ChannelSecurity TestChannelSecurity(const std::string& principal) {
  server::ChannelSecurity security;
  security.tokens = server::TokenSource::Fixed(TestToken(principal));
  return security;
}

server::Authorizer& TestAuthorizer() {
  static auto* authorizer = new server::Authorizer(TestSecurityOptions());
  return *authorizer;
}

std::unique_ptr<server::Authorizer> NewTestAuthorizer(const server::AdmissionOptions& admission) {
  server::SecurityOptions options = TestSecurityOptions();
  options.admission = admission;
  return std::make_unique<server::Authorizer>(std::move(options));
}

std::unique_ptr<server::ServerRunner> StartInProcess(grpc::Service* service,
                                                     const std::string& full_name, int port) {
  server::ServerConfig config;
  config.name = full_name;
  config.listen_address = absl::StrCat("127.0.0.1:", port);
  config.shutdown_grace = absl::Seconds(2);
  config.insecure_development = true;
  auto runner = std::make_unique<server::ServerRunner>(config);
  runner->AddService(service, full_name);
  absl::Status started = runner->Start();
  EXPECT_TRUE(started.ok()) << started;
  runner->SetServing(true);
  return runner;
}

grpc::Status CallByName(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const grpc::ByteBuffer& request, grpc::ClientContext& context) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ByteBuffer response;
  grpc::Status status;
  auto call = stub.PrepareUnaryCall(&context, method, request, &queue);
  call->StartCall();
  call->Finish(&response, &status, &queue);
  void* tag = nullptr;
  bool ok = false;
  EXPECT_TRUE(queue.Next(&tag, &ok));
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target, const std::string& principal) {
  auto channel = server::Dial(target, TestChannelSecurity(principal));
  EXPECT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)))
      << "cannot connect to " << target;
  return channel;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> fields;
  if (!errors::GetDetail(status, &bad_request)) return fields;
  for (const auto& violation : bad_request.field_violations()) fields.push_back(violation.field());
  return fields;
}

}  // namespace fazhi::testing
