// What every server's main() shares: the common flags and the run loop.
//
// Flags (each binary also has its own):
//   --listen=HOST:PORT        gRPC address (default 127.0.0.1:<service port>)
//   --metrics_port=N          Prometheus port; -1 off (default: gRPC port + 1000)
//   --metrics_address=IP      (default 127.0.0.1; 0.0.0.0 in containers)
//   --data_dir=DIR            RocksDB directory (stores only)
//   --backup_dir=DIR          BackupService's backups (default: backups/ beside data_dir)
//   --memory_budget_mb=N      block cache + memtables (stores only)
//   --sync_writes=BOOL        fsync each acknowledged write (default true)
//   --rules=FILE              the rules file (default data/rules.textproto)
//   --drain_seconds=N         NOT_SERVING this long before closing (default 0)
//   --shutdown_grace_seconds=N  in-flight calls get this long (default 10)
//   --tls_cert_file=PEM, --tls_key_file=PEM
//                             serve TLS with this certificate and key (and
//                             show them to the servers dialled); none:
//                             plaintext. The TLS flags: tls_flags.h.
//   --tls_client_ca_file=PEM  mutual TLS: clients need a certificate from it
//   --probe_listen=HOST:PORT  plaintext, health only (Kubernetes probes when
//                             --listen serves TLS); default none
#ifndef FAZHI_COMMON_SERVER_SERVICE_MAIN_H_
#define FAZHI_COMMON_SERVER_SERVICE_MAIN_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "common/server/authorizer.h"
#include "common/server/server_runner.h"
#include "common/storage/store.h"

namespace fazhi::server {

// Parses argv (absl flags), sets the log name; call after
// BlockTerminationSignals().
void InitServiceMain(int argc, char** argv, const std::string& name);

ServerConfig ServerConfigFromFlags(const std::string& name, int default_port);

// StoreOptions for `--data_dir` (or `default_dir` when unset).
storage::StoreOptions StoreOptionsFromFlags(const std::string& default_dir);

// Loads --page_token_key_file, when given, for a server without a store
// (the gateway; a store loads it as it opens). InvalidConfiguration naming
// the flag when the file is unusable.
absl::Status LoadPageTokenKeyFromFlags();

// --backup_dir, or backups/ beside `data_dir`.
std::string BackupDirFromFlags(const std::string& data_dir);

// The --rules path.
std::string RulesPathFromFlags();

// Prints "<name>: <status>" on one line and returns exit code 1; for start-up
// failures (bad flags, unreadable rules, a store that will not open).
int FailStartup(const std::string& name, const absl::Status& status);

// Starts `runner`, marks it ready, waits for SIGTERM/SIGINT, shuts it down
// gracefully, then calls `close` (sync and close the store). Returns the
// process exit code: 0 after a clean stop.
int RunUntilSignal(ServerRunner& runner, const std::function<absl::Status()>& close);

// RunUntilSignal for a server with a store (catalogue, metrics, report):
// also serves fazhi.admin.v1.BackupService (backups under --backup_dir
// beside `data_dir`) and fazhi.admin.v1.AuditService over `trail`, writes
// the authorizer's refusals into `trail`, and signs the trail's head
// (--audit_* flags) until the server stops, once more after it has.
int RunStoreServer(const std::string& name, ServerRunner& runner, Authorizer& authorizer,
                   storage::Store& store, storage::AuditTrail* trail, const std::string& data_dir,
                   const std::function<absl::Status()>& close);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_SERVICE_MAIN_H_
