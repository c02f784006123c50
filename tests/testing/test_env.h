// Test helpers shared by every test: unique temporary directories, the seed
// and source paths, and starting one service in process on localhost:0.
#ifndef FAZHI_TESTS_TESTING_TEST_ENV_H_
#define FAZHI_TESTS_TESTING_TEST_ENV_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/server/authorizer.h"
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

// Principals of the test access policy (TestPolicyFile). The
// administrator holds SYSTEM_ADMIN, DISTRICT_REPORTER and REVIEWER for every
// region, so that tests of behaviour need no more than Connect(); the
// authorization tests use the others.
inline constexpr char kTestAdmin[] = "test/admin";
inline constexpr char kTestReader[] = "test/reader";
inline constexpr char kTestBaoshanReporter[] = "test/baoshan-reporter";  // 310113
inline constexpr char kTestReviewer[] = "test/reviewer";                 // 310000
inline constexpr char kTestSecurityAdmin[] = "test/security";
inline constexpr char kTestAuditor[] = "test/auditor";
inline constexpr char kTestGateway[] = "svc/gateway";       // service, READER
inline constexpr char kTestReportService[] = "svc/report";  // service, READER, REPORT_PUBLISHER

// The test policy file and development token keys, written once per test
// process (data/policy.textproto is the demo's; this is the tests' own).
const std::string& TestPolicyFile();
std::shared_ptr<server::DevTokenKeys> TestTokenKeys();
// A development token for `principal`, signed with TestTokenKeys.
std::string TestToken(const std::string& principal);
// Channel security that sends `principal`'s development token with every
// call (plaintext, as in-process servers listen).
server::ChannelSecurity TestChannelSecurity(const std::string& principal = kTestAdmin);

// An authorizer for in-process servers: --insecure_development with the
// test policy and keys. One per process, shared by every service a test
// starts (without an audit trail); NewTestAuthorizer makes one of its own.
// Neither limits callers' rates or streams unless `admission` says so (the
// admission tests do), so that no other test depends on how fast it runs.
server::Authorizer& TestAuthorizer();
std::unique_ptr<server::Authorizer> NewTestAuthorizer(
    const server::AdmissionOptions& admission = {});

// A ServerRunner on 127.0.0.1:`port` (0: any free port) serving `service`,
// started and ready.
std::unique_ptr<server::ServerRunner> StartInProcess(grpc::Service* service,
                                                     const std::string& full_name, int port = 0);

// A plaintext channel to `target` calling as `principal` (a development
// token), ready or failing the test within 5 s.
std::shared_ptr<grpc::Channel> Connect(const std::string& target,
                                       const std::string& principal = kTestAdmin);

// One unary call of `method` ("/pkg.Service/Method") with the encoded
// `request`, made as a client that knows no types (grpcurl, a probe): any
// method, including a streaming one, whose first reply or status is
// awaited. The status, as the server gave it.
grpc::Status CallByName(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const grpc::ByteBuffer& request, grpc::ClientContext& context);

// One unary call with a 10 s deadline; the status as absl::Status with its
// google.rpc details (read them with errors::GetDetail).
template <typename Stub, typename Request, typename Response>
absl::Status CallUnary(Stub* stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
                       const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return FromGrpcStatus((stub->*method)(&context, request, response));
}

// The fields a status's google.rpc.BadRequest names, in order; none when it
// carries no BadRequest.
std::vector<std::string> ViolatedFields(const absl::Status& status);

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_TEST_ENV_H_
