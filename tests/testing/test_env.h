// Test helpers shared by every test: unique temporary directories, the seed
// and source paths, and starting one service in process on localhost:0.
#ifndef FAZHI_TESTS_TESTING_TEST_ENV_H_
#define FAZHI_TESTS_TESTING_TEST_ENV_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/server/server_runner.h"
#include "common/server/tls.h"
#include "common/status/grpc_status.h"
#include "common/storage/store.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The whole text of a file; fails the test when unreadable.
std::string ReadFile(const std::string& path);
// A seed document by file name, read from ../shared/seeds.
std::string ReadSeed(const std::string& name);
// The rules file shipped in data/rules.textproto.
fazhi::rules::v1::RuleSet ShippedRules();

// Store options for a test: a small memory budget in `dir`.
storage::StoreOptions TestStoreOptions(const std::string& dir);

// A ServerRunner on 127.0.0.1:`port` (0: any free port) serving `service`,
// started and ready.
std::unique_ptr<server::ServerRunner> StartInProcess(grpc::Service* service,
                                                     const std::string& full_name, int port = 0);

// An insecure channel to `target`, ready or failing the test within 5 s.
std::shared_ptr<grpc::Channel> Connect(const std::string& target);

// One unary call with a 10 s deadline; the status as absl::Status with its
// google.rpc details (read them with errors::GetDetail).
template <typename Stub, typename Request, typename Response>
absl::Status CallUnary(Stub* stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                       const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return FromGrpcStatus((stub->*method)(&context, request, response));
}

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_TEST_ENV_H_
