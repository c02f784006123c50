// Child processes, free ports and scratch directories for end-to-end tests,
// which run the real binaries the way an operator would. Kept free of
// fazhi_common on purpose: the e2e test links the reflection client protos,
// which the server runtime's reflection library also defines.
#ifndef FAZHI_TESTS_E2E_PROCESS_H_
#define FAZHI_TESTS_E2E_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fazhi::e2e {

// A started program; killed (SIGKILL) on destruction if still running.
class ChildProcess {
 public:
  // Starts `path` with `args`, stdout and stderr appended to `log_path`.
  ChildProcess(const std::string& path, const std::vector<std::string>& args,
               const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal_number) const;
  // The exit code, or -(signal) when killed by a signal; nullopt when it did
  // not end within `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // False once it has ended (it is then reaped).
  bool Running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// Runs a program to completion (bounded by `timeout`); returns its exit code
// and fills `output` with stdout+stderr.
int RunToCompletion(const std::string& path, const std::vector<std::string>& args,
                    std::string* output, std::chrono::milliseconds timeout);

// The ports a server reports in its log once it listens ("… listening on
// port N, metrics on port M, probes on port P"); metrics and probe are -1
// when it serves none.
struct ListeningPorts {
  int grpc = 0;
  int metrics = -1;
  int probe = -1;
};

// Reads `log_path` past byte `from` until the server started there says it
// listens; nullopt if `process` ends first or `timeout` passes. Servers told
// to listen on port 0 get a port from the kernel that no other test can be
// holding, which a port picked beforehand and then bound cannot promise.
std::optional<ListeningPorts> WaitForListening(const std::string& log_path, size_t from,
                                               ChildProcess& process,
                                               std::chrono::milliseconds timeout);

// An HTTP GET to 127.0.0.1:port/path; the whole response, or "".
std::string HttpGet(int port, const std::string& path);

// The path of a program this build made ("services/metrics/metrics_server").
std::string Binary(const std::string& relative);
// "127.0.0.1:port".
std::string Address(int port);

// The suite's four servers, in the order the tests start them: the gateway
// last, as it is told where the stores listen.
struct SuiteServer {
  const char* name;
  const char* binary;
};
inline constexpr SuiteServer kSuiteServers[] = {
    {"catalogue", "services/catalogue/catalogue_server"},
    {"metrics", "services/metrics/metrics_server"},
    {"report", "services/report/report_server"},
    {"gateway", "services/gateway/gateway_server"}};

// What a server started with --insecure_development needs, made in `dir`
// as `scripts/fazhi demo` makes it: the repository's demo policy, a
// development token key (openssl rand -hex 32) and an audit signing key
// (openssl genpkey -algorithm ed25519).
struct DevelopmentSecurity {
  std::string dir;
  std::string policy_file;
  std::string dev_token_key_file;
  std::string audit_signing_key_file;

  // The flags every server gets (--insecure_development, the policy, the
  // token key).
  std::vector<std::string> ServerFlags() const;
  // The audit flags of store `name`: its own heads file in `dir`, a head
  // signed every second.
  std::vector<std::string> StoreFlags(const std::string& name) const;
  std::string HeadsFile(const std::string& name) const;
  // Mints a token for `principal` with the real fazhictl and writes it to
  // `dir`/<file>; returns the file ("" on failure, which the test reports).
  std::string TokenFile(const std::string& principal, const std::string& file) const;
};
// Empty `dir` fields when openssl failed.
DevelopmentSecurity MakeDevelopmentSecurity(const std::string& dir, const std::string& policy_file);

// mkdtemp under /tmp; removed by RemoveTree.
std::string MakeTempDir();
void RemoveTree(const std::string& path);
std::string ReadWholeFile(const std::string& path);

}  // namespace fazhi::e2e

#endif  // FAZHI_TESTS_E2E_PROCESS_H_
