// fazhi.security.v1.SecurityService (every server) and
// fazhi.admin.v1.AuditService (every server with a store), and the audit
// sealer that signs a store's audit head (common/storage/audit_chain.h).
#ifndef FAZHI_COMMON_SERVER_SECURITY_SERVICE_H_
#define FAZHI_COMMON_SERVER_SECURITY_SERVICE_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "common/server/authorizer.h"
#include "common/storage/audit_chain.h"
#include "fazhi/admin/v1/audit_service.grpc.pb.h"
#include "fazhi/security/v1/security_service.grpc.pb.h"

namespace fazhi::server {

class SecurityServiceImpl final : public security::v1::SecurityService::Service {
 public:
  explicit SecurityServiceImpl(Authorizer& authorizer);
  grpc::Status GetPolicy(grpc::ServerContext* context, const security::v1::GetPolicyRequest*,
                         security::v1::Policy* response) override;
  grpc::Status CheckAccess(grpc::ServerContext* context,
                           const security::v1::CheckAccessRequest* request,
                           security::v1::CheckAccessResponse* response) override;

 private:
  const Authorizer& authorizer_;
  const MethodRules& rules_;
};

// Signs a store's audit head every `interval` when it has moved, and once
// more at Stop, exporting each signed head as a JSON line to the log and
// appended to the heads file.
struct AuditSealOptions {
  // "catalogue", "metrics", "report": what heads name.
  std::string store;
  // --audit_signing_key_file (Ed25519 private key, PEM). Empty: heads are
  // not signed (warned at start-up; local development only).
  std::string signing_key_file;
  // --audit_heads_file: where signed heads are appended. Empty: log only.
  std::string heads_file;
  // --audit_verify_key_file: the public keys VerifyAuditTrail checks
  // with. Empty: the signing key's own public key.
  std::string verify_key_file;
  absl::Duration interval = absl::Seconds(60);
};

class AuditSealer {
 public:
  AuditSealer(const storage::AuditTrail* trail, AuditSealOptions options);
  ~AuditSealer();
  // Checks the key and starts the thread (nothing when no key is given).
  absl::Status Start();
  // Signs the head now if it moved since the last head signed.
  absl::Status SealNow();
  void Stop();
  const AuditSealOptions& options() const { return options_; }

 private:
  const storage::AuditTrail* trail_;
  AuditSealOptions options_;
  std::unique_ptr<storage::HeadSigner> signer_;
  absl::Mutex mu_;
  absl::CondVar wake_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t sealed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

class AuditServiceImpl final : public admin::v1::AuditService::Service {
 public:
  // `trail` and `sealer` must outlive this.
  AuditServiceImpl(Authorizer& authorizer, const storage::AuditTrail* trail,
                   const AuditSealer* sealer);
  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const admin::v1::ListAuditEntriesRequest* request,
                                admin::v1::ListAuditEntriesResponse* response) override;
  grpc::Status VerifyAuditTrail(grpc::ServerContext* context,
                                const admin::v1::VerifyAuditTrailRequest* request,
                                admin::v1::VerifyAuditTrailResponse* response) override;

 private:
  const Authorizer& authorizer_;
  const MethodRules& rules_;
  const storage::AuditTrail* trail_;
  const AuditSealer* sealer_;
};

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_SECURITY_SERVICE_H_
