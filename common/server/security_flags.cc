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

namespace fazhi::server {

bool InsecureDevelopmentFromFlags() { return absl::GetFlag(FLAGS_insecure_development); }

absl::StatusOr<Security> SecurityFromFlags(const std::string& name) {
  SecurityOptions options;
  options.insecure_development = absl::GetFlag(FLAGS_insecure_development);
  options.trust_domain = absl::GetFlag(FLAGS_trust_domain);
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
