#include "tests/e2e/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace fazhi::e2e {

std::string Binary(const std::string& relative) {
  return std::string(FAZHI_BINARY_DIR) + "/" + relative;
}

std::string Address(int port) { return "127.0.0.1:" + std::to_string(port); }
namespace {

pid_t Spawn(const std::string& path, const std::vector<std::string>& args, int out_fd) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child starts with no signals blocked, whatever the test runner did.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::optional<int> WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return -WTERMSIG(status);
      return -1;
    }
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

ChildProcess::ChildProcess(const std::string& path, const std::vector<std::string>& args,
                           const std::string& log_path) {
  int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = Spawn(path, args, fd);
  ::close(fd);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
}

void ChildProcess::Signal(int signal_number) const {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  if (reaped_) return std::nullopt;
  auto code = WaitPid(pid_, timeout);
  if (code.has_value()) reaped_ = true;
  return code;
}

bool ChildProcess::Running() {
  if (reaped_) return false;
  return !Wait(std::chrono::milliseconds(0)).has_value();
}

int RunToCompletion(const std::string& path, const std::vector<std::string>& args,
                    std::string* output, std::chrono::milliseconds timeout) {
  char name[] = "/tmp/fazhi-run-XXXXXX";
  int fd = ::mkstemp(name);
  pid_t pid = Spawn(path, args, fd);
  auto code = WaitPid(pid, timeout);
  if (!code.has_value()) {
    ::kill(pid, SIGKILL);
    int status;
    ::waitpid(pid, &status, 0);
    code = -SIGKILL;
  }
  ::close(fd);
  *output = ReadWholeFile(name);
  ::unlink(name);
  return *code;
}

std::optional<ListeningPorts> WaitForListening(const std::string& log_path, size_t from,
                                               ChildProcess& process,
                                               std::chrono::milliseconds timeout) {
  // The whole line, up to its newline: a line still being written is not read.
  static const std::regex kLine(
      R"(listening on port ([0-9]+)(, metrics on port ([0-9]+))?(, probes on port ([0-9]+))?\n)");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = ReadWholeFile(log_path);
    std::smatch m;
    if (log.size() > from) {
      const std::string fresh = log.substr(from);
      if (std::regex_search(fresh, m, kLine)) {
        ListeningPorts ports;
        ports.grpc = std::stoi(m[1].str());
        if (m[3].matched) ports.metrics = std::stoi(m[3].str());
        if (m[5].matched) ports.probe = std::stoi(m[5].str());
        return ports;
      }
    }
    if (!process.Running()) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

std::string HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "";
  }
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  const std::string request = "GET " + path + " HTTP/1.0\r\n\r\n";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) response.append(buffer, n);
  ::close(fd);
  return response;
}

std::string MakeTempDir() {
  char name[] = "/tmp/fazhi-e2e-XXXXXX";
  return ::mkdtemp(name);
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

// Writes `text` to `path`, readable by its owner only.
bool WritePrivateFile(const std::string& path, const std::string& text) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.good()) return false;
  }
  return ::chmod(path.c_str(), 0600) == 0;
}

}  // namespace

DevelopmentSecurity MakeDevelopmentSecurity(const std::string& dir,
                                            const std::string& policy_file) {
  DevelopmentSecurity security;
  std::string output;
  const std::string key_file = dir + "/dev-token.key";
  if (RunToCompletion("/usr/bin/openssl", {"rand", "-hex", "32"}, &output,
                      std::chrono::seconds(30)) != 0 ||
      !WritePrivateFile(key_file, output)) {
    return security;
  }
  const std::string signing_key_file = dir + "/audit-signing.key";
  if (RunToCompletion("/usr/bin/openssl",
                      {"genpkey", "-algorithm", "ed25519", "-out", signing_key_file}, &output,
                      std::chrono::seconds(30)) != 0) {
    return security;
  }
  security.dir = dir;
  security.policy_file = policy_file;
  security.dev_token_key_file = key_file;
  security.audit_signing_key_file = signing_key_file;
  return security;
}

std::vector<std::string> DevelopmentSecurity::ServerFlags() const {
  // The suite writes as one principal far faster than any person: it loads
  // the demo and then runs the cookbook's writes at once. The limits
  // themselves are tested in tests/common/admission_test.cc.
  return {"--insecure_development", "--policy_file=" + policy_file,
          "--dev_token_key_file=" + dev_token_key_file, "--max_write_burst_per_caller=10000"};
}

std::vector<std::string> DevelopmentSecurity::StoreFlags(const std::string& name) const {
  return {"--audit_signing_key_file=" + audit_signing_key_file,
          "--audit_heads_file=" + HeadsFile(name), "--audit_seal_seconds=1"};
}

std::string DevelopmentSecurity::HeadsFile(const std::string& name) const {
  return dir + "/" + name + "-heads.jsonl";
}

std::string DevelopmentSecurity::TokenFile(const std::string& principal,
                                           const std::string& file) const {
  std::string token;
  if (RunToCompletion(Binary("tools/fazhictl/fazhictl"),
                      {"token", "mint", "--key", dev_token_key_file, "--principal", principal},
                      &token, std::chrono::seconds(30)) != 0) {
    return "";
  }
  const std::string path = dir + "/" + file;
  return WritePrivateFile(path, token) ? path : "";
}

}  // namespace fazhi::e2e
