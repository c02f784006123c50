#include "common/server/security_service.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/storage/page_token.h"

namespace fazhi::server {
namespace {

namespace av1 = admin::v1;
namespace sv1 = security::v1;

}  // namespace

SecurityServiceImpl::SecurityServiceImpl(Authorizer& authorizer)
    : authorizer_(authorizer),
      rules_(authorizer.Register(sv1::SecurityService::service_full_name(),
                                 {{"GetPolicy", MethodRule::Needs(Permission::kSecure)},
                                  {"CheckAccess", MethodRule::Needs(Permission::kSecure)}})) {}

grpc::Status SecurityServiceImpl::GetPolicy(grpc::ServerContext* context,
                                            const sv1::GetPolicyRequest*, sv1::Policy* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("GetPolicy"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  *response = authorizer_.policy()->proto();
  return grpc::Status::OK;
}

grpc::Status SecurityServiceImpl::CheckAccess(grpc::ServerContext* context,
                                              const sv1::CheckAccessRequest* request,
                                              sv1::CheckAccessResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("CheckAccess"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckText(violations, "principal", request->principal(), 1, 256);
  api::CheckText(violations, "on_behalf_of", request->on_behalf_of(), 0, 256);
  api::CheckText(violations, "method", request->method(), 1, 256);
  api::CheckText(violations, "region", request->region(), 0, 12);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  // "pkg.Service.Method" and "/pkg.Service/Method" alike.
  std::string method = request->method();
  if (method.front() != '/') {
    const size_t dot = method.rfind('.');
    if (dot != std::string::npos)
      method = absl::StrCat("/", method.substr(0, dot), "/", method.substr(dot + 1));
  }
  std::vector<std::string> regions;
  if (!request->region().empty()) regions.push_back(request->region());
  absl::Status decision =
      authorizer_.Check(request->principal(), request->on_behalf_of(), method, regions);
  if (absl::IsInvalidArgument(decision)) return ToGrpcStatus(decision);
  response->set_allowed(decision.ok());
  response->set_reason(std::string(decision.message()));
  response->set_policy_version(authorizer_.policy()->version());
  return grpc::Status::OK;
}

AuditSealer::AuditSealer(const storage::AuditTrail* trail, AuditSealOptions options)
    : trail_(trail), options_(std::move(options)) {}

AuditSealer::~AuditSealer() { Stop(); }

absl::Status AuditSealer::Start() {
  if (options_.signing_key_file.empty()) {
    FAZHI_LOG(WARNING) << "no --audit_signing_key_file: the " << options_.store
                       << " audit trail's head is not signed, so a rewritten trail would not "
                          "show (local development only)";
    return absl::OkStatus();
  }
  signer_ = std::make_unique<storage::HeadSigner>(options_.signing_key_file);
  if (absl::Status s = signer_->Check(); !s.ok()) return s;
  thread_ = std::thread([this] {
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      wake_.WaitWithTimeout(&mu_, options_.interval);
      if (stopping_) break;
      mu_.Unlock();
      absl::Status s = SealNow();
      if (!s.ok()) FAZHI_LOG(ERROR) << "audit head not signed: " << s.message();
      mu_.Lock();
    }
  });
  return absl::OkStatus();
}

absl::Status AuditSealer::SealNow() {
  if (signer_ == nullptr) return absl::OkStatus();
  const storage::AuditTrail::Head head = trail_->head();
  {
    absl::MutexLock lock(&mu_);
    if (head.sequence == 0 || head.sequence == sealed_) return absl::OkStatus();
  }
  auto signed_head = signer_->Sign(options_.store, head, absl::Now());
  if (!signed_head.ok()) return signed_head.status();
  const std::string line = storage::SignedHeadToJson(*signed_head);
  FAZHI_LOG(INFO) << "audit head " << line;
  if (!options_.heads_file.empty()) {
    std::ofstream out(options_.heads_file, std::ios::app);
    out << line << "\n";
    out.flush();
    if (!out.good()) {
      return errors::Internal("export the audit head",
                              absl::StrCat("cannot append to ", options_.heads_file));
    }
  }
  absl::MutexLock lock(&mu_);
  sealed_ = head.sequence;
  return absl::OkStatus();
}

void AuditSealer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    wake_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
  absl::Status s = SealNow();
  if (!s.ok()) FAZHI_LOG(ERROR) << "audit head not signed at shutdown: " << s.message();
}

AuditServiceImpl::AuditServiceImpl(Authorizer& authorizer, const storage::AuditTrail* trail,
                                   const AuditSealer* sealer)
    : authorizer_(authorizer),
      rules_(authorizer.Register(av1::AuditService::service_full_name(),
                                 {{"ListAuditEntries", MethodRule::Needs(Permission::kAudit)},
                                  {"VerifyAuditTrail", MethodRule::Needs(Permission::kAudit)}})),
      trail_(trail),
      sealer_(sealer) {}

grpc::Status AuditServiceImpl::ListAuditEntries(grpc::ServerContext* context,
                                                const av1::ListAuditEntriesRequest* request,
                                                av1::ListAuditEntriesResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListAuditEntries"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  api::CheckText(violations, "resource", request->resource(), 0, 256);
  if (request->after_sequence() < 0) violations.Add("after_sequence", "must not be negative");
  storage::CheckPageSize(violations, request->page_size());
  storage::CheckPageToken(violations, request->page_token());
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  auto cursor = storage::StartPage(
      request->page_size(), request->page_token(),
      absl::StrCat("audit|", request->resource(), "|", request->after_sequence()));
  if (!cursor.ok()) return ToGrpcStatus(cursor.status());
  std::string next;
  if (request->resource().empty()) {
    uint64_t after = static_cast<uint64_t>(request->after_sequence());
    if (!cursor->resume_after.empty() && !absl::SimpleAtoi(cursor->resume_after, &after)) {
      return ToGrpcStatus(errors::InvalidField("page_token", "is not a token of this listing"));
    }
    auto entries = trail_->EntriesAfter(after, cursor->page_size + 1);
    if (!entries.ok()) return ToGrpcStatus(entries.status());
    if (static_cast<int>(entries->size()) > cursor->page_size) {
      entries->pop_back();
      next = absl::StrCat(entries->back().sequence());
    }
    for (auto& entry : *entries) *response->add_entries() = std::move(entry);
  } else {
    auto entries =
        trail_->EntriesOf(request->resource(), cursor->resume_after, cursor->page_size, &next);
    if (!entries.ok()) return ToGrpcStatus(entries.status());
    for (auto& entry : *entries) *response->add_entries() = std::move(entry);
  }
  response->set_next_page_token(cursor->NextToken(next));
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::VerifyAuditTrail(grpc::ServerContext* context,
                                                const av1::VerifyAuditTrailRequest* request,
                                                av1::VerifyAuditTrailResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("VerifyAuditTrail"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  errors::FieldViolations violations;
  if (!limits::CheckCount(violations, "heads", request->heads_size(), limits::kMaxVerifiedHeads)) {
    return ToGrpcStatus(violations.ToStatus());
  }
  const AuditSealOptions& options = sealer_->options();
  std::vector<av1::SignedHead> heads(request->heads().begin(), request->heads().end());
  if (heads.empty() && !options.heads_file.empty() && std::filesystem::exists(options.heads_file)) {
    auto read = storage::ReadHeadsFile(options.heads_file);
    if (!read.ok()) return ToGrpcStatus(read.status());
    heads = *std::move(read);
    // The newest, as from a caller (the chain itself is checked whole).
    if (heads.size() > static_cast<size_t>(limits::kMaxVerifiedHeads)) {
      heads.erase(heads.begin(), heads.end() - limits::kMaxVerifiedHeads);
    }
  }
  absl::StatusOr<storage::HeadVerifier> verifier =
      !options.verify_key_file.empty() ? storage::HeadVerifier::FromFile(options.verify_key_file)
      : !options.signing_key_file.empty()
          ? storage::HeadVerifier::FromSigningKeyFile(options.signing_key_file)
          : errors::FailedPrecondition("AUDIT_KEYS", options.store,
                                       "this server has no audit key to check heads with "
                                       "(--audit_verify_key_file)");
  if (!verifier.ok()) return ToGrpcStatus(verifier.status());
  auto result = storage::VerifyTrail(*trail_, options.store, heads, *verifier);
  return ReplyWith(std::move(result), response);
}

}  // namespace fazhi::server
