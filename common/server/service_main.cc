#include "common/server/service_main.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/server/backup_service.h"
#include "common/server/security_flags.h"
#include "common/server/security_service.h"
#include "common/server/tls_flags.h"
#include "common/storage/page_token.h"

ABSL_FLAG(std::string, listen, "", "gRPC listen address HOST:PORT (default 127.0.0.1:<port>)");
ABSL_FLAG(int, metrics_port, 0, "Prometheus port; -1 disables; 0 means gRPC port + 1000");
ABSL_FLAG(std::string, metrics_address, "127.0.0.1", "Prometheus listen address (IPv4)");
ABSL_FLAG(std::string, data_dir, "", "RocksDB directory");
ABSL_FLAG(int, memory_budget_mb, 0,
          "RocksDB block cache + memtables, MiB; 0 reads FAZHI_MEMORY_LIMIT_BYTES / 2, else 256");
ABSL_FLAG(std::string, backup_dir, "",
          "where BackupService writes backups; default: backups/ beside --data_dir");
ABSL_FLAG(bool, sync_writes, true, "fsync the WAL before acknowledging each write");
ABSL_FLAG(std::string, page_token_key_file, "",
          "file of the key (>= 32 bytes) that signs page tokens; shared by a service's "
          "replicas. Unset: a random key per process (development)");
ABSL_FLAG(std::string, rules, "data/rules.textproto", "rules file (fazhi.rules.v1.RuleSet)");
ABSL_FLAG(int, drain_seconds, 0, "seconds NOT_SERVING before the listener closes");
ABSL_FLAG(int, shutdown_grace_seconds, 10, "seconds in-flight calls get at shutdown");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA certificates that clients' certificates must chain to; set: mutual TLS "
          "(needs --tls_cert_file and --tls_key_file)");
ABSL_FLAG(std::string, probe_listen, "",
          "HOST:PORT of a plaintext listener serving only grpc.health.v1.Health (Kubernetes "
          "probes, when --listen serves TLS); empty: none");

namespace fazhi::server {

void InitServiceMain(int argc, char** argv, const std::string& name) {
  absl::ParseCommandLine(argc, argv);
  logging::SetProgramName(name);
}

ServerConfig ServerConfigFromFlags(const std::string& name, int default_port) {
  ServerConfig config;
  config.name = name;
  config.listen_address = absl::GetFlag(FLAGS_listen);
  int port = default_port;
  if (config.listen_address.empty()) {
    config.listen_address = absl::StrCat("127.0.0.1:", default_port);
  } else {
    const size_t colon = config.listen_address.rfind(':');
    if (colon != std::string::npos) {
      (void)absl::SimpleAtoi(config.listen_address.substr(colon + 1), &port);
    }
  }
  config.metrics_port = absl::GetFlag(FLAGS_metrics_port);
  if (config.metrics_port == 0 && port != 0) config.metrics_port = port + 1000;
  config.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  config.drain_period = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  config.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  config.tls = TlsOptionsFromFlags();
  config.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  config.probe_listen_address = absl::GetFlag(FLAGS_probe_listen);
  config.insecure_development = InsecureDevelopmentFromFlags();
  return config;
}

absl::Status LoadPageTokenKeyFromFlags() {
  const std::string path = absl::GetFlag(FLAGS_page_token_key_file);
  return path.empty() ? absl::OkStatus() : storage::LoadPageTokenKeyFile(path);
}

std::string BackupDirFromFlags(const std::string& data_dir) {
  const std::string flag = absl::GetFlag(FLAGS_backup_dir);
  return flag.empty() ? DefaultBackupDir(data_dir) : flag;
}

storage::StoreOptions StoreOptionsFromFlags(const std::string& default_dir) {
  storage::StoreOptions options;
  options.path = absl::GetFlag(FLAGS_data_dir);
  if (options.path.empty()) options.path = default_dir;
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  options.page_token_key_file = absl::GetFlag(FLAGS_page_token_key_file);
  uint64_t budget = static_cast<uint64_t>(absl::GetFlag(FLAGS_memory_budget_mb)) << 20;
  if (budget == 0) {
    // Kubernetes passes the container's memory limit through the downward
    // API; RocksDB gets half of it, the rest is the server's own.
    const char* limit = std::getenv("FAZHI_MEMORY_LIMIT_BYTES");
    uint64_t bytes = 0;
    if (limit != nullptr && absl::SimpleAtoi(limit, &bytes) && bytes > 0) budget = bytes / 2;
  }
  if (budget == 0) budget = 256ull << 20;
  options.memory_budget_bytes = budget;
  return options;
}

std::string RulesPathFromFlags() { return absl::GetFlag(FLAGS_rules); }

int FailStartup(const std::string& name, const absl::Status& status) {
  std::fprintf(stderr, "%s: cannot start: %s\n", name.c_str(), status.ToString().c_str());
  return 1;
}

int RunUntilSignal(ServerRunner& runner, const std::function<absl::Status()>& close) {
  absl::Status started = runner.Start();
  if (!started.ok()) return FailStartup("server", started);
  runner.SetServing(true);
  WaitForTerminationSignal();
  runner.Shutdown();
  absl::Status closed = close ? close() : absl::OkStatus();
  if (!closed.ok()) {
    FAZHI_LOG(ERROR) << "closing the store failed: " << closed;
    return 1;
  }
  FAZHI_LOG(INFO) << "stopped cleanly";
  return 0;
}

int RunStoreServer(const std::string& name, ServerRunner& runner, Authorizer& authorizer,
                   storage::Store& store, storage::AuditTrail* trail, const std::string& data_dir,
                   const std::function<absl::Status()>& close) {
  authorizer.set_audit_trail(trail);
  BackupServiceImpl backups(&store, name, BackupDirFromFlags(data_dir), authorizer, trail);
  runner.AddService(&backups, admin::v1::BackupService::service_full_name());
  AuditSealer sealer(trail, AuditSealOptionsFromFlags(name));
  if (absl::Status s = sealer.Start(); !s.ok()) return FailStartup(name, s);
  AuditServiceImpl audit(authorizer, trail, &sealer);
  runner.AddService(&audit, admin::v1::AuditService::service_full_name());
  return RunUntilSignal(runner, [&] {
    sealer.Stop();  // the last head, before the store closes
    authorizer.set_audit_trail(nullptr);
    return close();
  });
}

}  // namespace fazhi::server
