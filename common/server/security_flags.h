// The security flags every Fazhi server shares, and what they make:
//
//   --insecure_development      serve plaintext and take development tokens
//                               (local development only; warned at start-up)
//   --policy_file=FILE          the access policy (fazhi.security.v1.Policy,
//                               text format; default data/policy.textproto)
//   --trust_domain=NAME         client certificates' SPIFFE trust domain
//                               (default fazhi.local)
//   --dev_token_key_file=FILE   development tokens' keys (dev_token.h)
//   --principal=NAME            in local development, the principal this
//                               server's own calls carry (default svc/<name>)
//   --audit_signing_key_file=PEM  Ed25519 key the audit head is signed with
//                               (mounted from a Secret, never the data volume)
//   --audit_verify_key_file=PEM   public keys VerifyAuditTrail checks with
//   --audit_heads_file=FILE     where signed heads are appended
//   --audit_seal_seconds=N      how often the head is signed (default 60)
//   --max_writes_per_second_per_caller=R, --max_write_burst_per_caller=B
//                               each caller's write rate (default 50/s,
//                               bursts of 100; admission.h)
//   --max_reads_per_second_per_caller=R, --max_read_burst_per_caller=B
//                               each caller's read rate (default 1000/s,
//                               bursts of 2000)
//   --max_streams_per_caller=N  open change streams per caller (default 8)
//   --max_streams_per_server=N  open change streams in all (default 256)
#ifndef FAZHI_COMMON_SERVER_SECURITY_FLAGS_H_
#define FAZHI_COMMON_SERVER_SECURITY_FLAGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/server/authorizer.h"
#include "common/server/call_identity.h"
#include "common/server/security_service.h"

namespace fazhi::server {

struct Security {
  std::unique_ptr<Authorizer> authorizer;
  // The development token this server's own calls carry; null under TLS.
  std::shared_ptr<TokenSource> own_tokens;
};

// The flags above for server `name` ("catalogue"), after
// absl::ParseCommandLine: the policy read and checked, the token keys
// loaded. InvalidConfiguration naming the flag when one is unusable.
absl::StatusOr<Security> SecurityFromFlags(const std::string& name);

// The --audit_* flags for store `name`.
AuditSealOptions AuditSealOptionsFromFlags(const std::string& name);

// The --max_* admission flags (why the defaults: security_flags.cc).
AdmissionOptions AdmissionOptionsFromFlags();

// Whether --insecure_development was given.
bool InsecureDevelopmentFromFlags();

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_SECURITY_FLAGS_H_
