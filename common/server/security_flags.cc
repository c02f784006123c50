#include "common/server/security_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/status/errors.h"

ABSL_FLAG(bool, insecure_development, false,
          "serve plaintext and accept development tokens: local development only, never "
          "production");
ABSL_FLAG(std::string, policy_file, "data/policy.textproto",
          "the access policy (fazhi.security.v1.Policy, text format), read again when it changes");
ABSL_FLAG(std::string, trust_domain, "fazhi.local",
          "the SPIFFE trust domain of client certificates (spiffe://<domain>/<principal>)");
ABSL_FLAG(std::string, dev_token_key_file, "",
          "keys of development tokens (one hex key per line; with --insecure_development)");
ABSL_FLAG(std::string, principal, "",
          "with --insecure_development: the principal this server's own calls carry "
          "(default svc/<name>)");
ABSL_FLAG(std::string, audit_signing_key_file, "",
          "Ed25519 private key (PEM) the audit head is signed with; keep it off the data volume");
ABSL_FLAG(std::string, audit_verify_key_file, "",
          "Ed25519 public keys (PEM) VerifyAuditTrail checks heads with; default: the signing "
          "key's");
ABSL_FLAG(std::string, audit_heads_file, "",
          "file the signed audit heads are appended to (JSON lines); keep it off the data volume");
ABSL_FLAG(int, audit_seal_seconds, 60, "how often the audit head is signed, seconds");
// Why these defaults: a person files by hand a few records a minute and a
// bulk tool (fazhictl import, the report service publishing a report's
// figures) a few dozen a second; 50 writes a second with bursts of 100
// leaves every honest caller unthrottled while keeping one caller to a
// share a store sustains with room for others (a write is a synchronous
// RocksDB batch with its change-log and audit entries). Reads are cheap
// and the gateway fans one page out into several: 1000 a second, bursts
// of 2000. A dashboard holds one or two change streams; 8 per caller
// leaves room for reconnects, and 256 in all bounds the memory and
// threads the streams of one replica hold.
ABSL_FLAG(double, max_writes_per_second_per_caller, 50,
          "writes one caller may make per second, on average (0: no limit)");
ABSL_FLAG(double, max_write_burst_per_caller, 100,
          "writes one caller may make at once after being idle");
ABSL_FLAG(double, max_reads_per_second_per_caller, 1000,
          "reads one caller may make per second, on average (0: no limit)");
ABSL_FLAG(double, max_read_burst_per_caller, 2000,
          "reads one caller may make at once after being idle");
ABSL_FLAG(int, max_streams_per_caller, 8,
          "change streams (WatchChanges) one caller may hold open (0: no limit)");
ABSL_FLAG(int, max_streams_per_server, 256,
          "change streams this server holds open in all (0: no limit)");

namespace fazhi::server {

AdmissionOptions AdmissionOptionsFromFlags() {
  AdmissionOptions options;
  options.writes_per_second = absl::GetFlag(FLAGS_max_writes_per_second_per_caller);
  options.write_burst = absl::GetFlag(FLAGS_max_write_burst_per_caller);
  options.reads_per_second = absl::GetFlag(FLAGS_max_reads_per_second_per_caller);
  options.read_burst = absl::GetFlag(FLAGS_max_read_burst_per_caller);
  options.streams_per_caller = absl::GetFlag(FLAGS_max_streams_per_caller);
  options.streams_per_server = absl::GetFlag(FLAGS_max_streams_per_server);
  return options;
}

bool InsecureDevelopmentFromFlags() { return absl::GetFlag(FLAGS_insecure_development); }

absl::StatusOr<Security> SecurityFromFlags(const std::string& name) {
  SecurityOptions options;
  options.insecure_development = absl::GetFlag(FLAGS_insecure_development);
  options.trust_domain = absl::GetFlag(FLAGS_trust_domain);
  options.admission = AdmissionOptionsFromFlags();
  options.policy = std::make_shared<PolicyFile>(absl::GetFlag(FLAGS_policy_file));
  if (absl::Status s = options.policy->Load(); !s.ok()) return s;
  Security security;
  const std::string key_file = absl::GetFlag(FLAGS_dev_token_key_file);
  if (!key_file.empty()) {
    if (!options.insecure_development) {
      return errors::InvalidConfiguration(
          "--dev_token_key_file is for local development: it needs --insecure_development; in "
          "production callers present client certificates");
    }
    auto keys = std::make_shared<DevTokenKeys>(key_file);
    if (absl::Status s = keys->Load(); !s.ok()) return s;
    options.dev_tokens = keys;
    std::string principal = absl::GetFlag(FLAGS_principal);
    if (principal.empty()) principal = absl::StrCat("svc/", name);
    security.own_tokens = TokenSource::Minting(keys, principal);
  }
  if (options.insecure_development) {
    FAZHI_LOG(WARNING) << "--insecure_development: plaintext, development tokens accepted"
                       << (options.dev_tokens == nullptr ? " (none: no --dev_token_key_file)" : "")
                       << ". Local development only; never serve this in production.";
  }
  security.authorizer = std::make_unique<Authorizer>(std::move(options));
  return security;
}

AuditSealOptions AuditSealOptionsFromFlags(const std::string& name) {
  AuditSealOptions options;
  options.store = name;
  options.signing_key_file = absl::GetFlag(FLAGS_audit_signing_key_file);
  options.verify_key_file = absl::GetFlag(FLAGS_audit_verify_key_file);
  options.heads_file = absl::GetFlag(FLAGS_audit_heads_file);
  options.interval = absl::Seconds(std::max(1, absl::GetFlag(FLAGS_audit_seal_seconds)));
  return options;
}

}  // namespace fazhi::server
