#include "tests/testing/test_env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/rules/rule_set.h"

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

std::unique_ptr<server::ServerRunner> StartInProcess(grpc::Service* service,
                                                     const std::string& full_name, int port) {
  server::ServerConfig config;
  config.name = full_name;
  config.listen_address = absl::StrCat("127.0.0.1:", port);
  config.shutdown_grace = absl::Seconds(2);
  auto runner = std::make_unique<server::ServerRunner>(config);
  runner->AddService(service, full_name);
  absl::Status started = runner->Start();
  EXPECT_TRUE(started.ok()) << started;
  runner->SetServing(true);
  return runner;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target) {
  auto channel = server::Dial(target, server::ChannelSecurity());
  EXPECT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)))
      << "cannot connect to " << target;
  return channel;
}

}  // namespace fazhi::testing
