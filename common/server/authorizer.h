// The one authorizer every Fazhi server uses: who is calling, and may they.
//
// Identity. Under mutual TLS the caller is the client certificate's SPIFFE
// ID, a URI SAN "spiffe://<trust domain>/<name>" (gRPC's "peer_spiffe_id":
// exactly one URI SAN); the principal is <name>, e.g. "svc/gateway". A
// certificate without one, or from another trust domain, is refused. With
// --insecure_development (plaintext, local only) the caller is the
// principal of a development token (dev_token.h), or nobody. A name the
// caller gives itself is never an identity.
//
// Delegation. A principal the policy lists as a service may say, in
// "x-fazhi-on-behalf-of", which end user it acts for (the gateway for its
// callers, the report service for the reporter whose figures it publishes).
// Then both are checked: the service holds what the method needs of a
// service, and the end user what it needs of a user.
//
// Rules. Each service declares a MethodRule for every one of its methods
// (MethodRules checks that none is missing) and calls Authorize first
// thing in each handler, with the regions the request touches when the
// permission is scoped. A refusal is UNAUTHENTICATED or PERMISSION_DENIED
// with the missing role or scope in its message and ErrorInfo, is counted
// (fazhi_authorization_denied_total), and, on a server with a store, leaves
// one audit entry. A caller that is allowed gets the storage::Caller its
// writes are recorded under.
#ifndef FAZHI_COMMON_SERVER_AUTHORIZER_H_
#define FAZHI_COMMON_SERVER_AUTHORIZER_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/server/access_policy.h"
#include "common/server/admission.h"
#include "common/server/dev_token.h"
#include "common/storage/audit_trail.h"

namespace fazhi::server {

inline constexpr char kOnBehalfOfMetadataKey[] = "x-fazhi-on-behalf-of";
inline constexpr char kRequestIdMetadataKey[] = "x-request-id";
// The principal of a caller with no credential (reads in local development).
inline constexpr char kAnonymous[] = "anonymous";

// What one method needs.
struct MethodRule {
  // A method every caller holding `permission` may call.
  static MethodRule Needs(Permission permission) {
    MethodRule rule;
    rule.permission = permission;
    return rule;
  }
  // A method only a service holding `service` calls, for a user holding
  // `user`.
  static MethodRule ServiceFor(Permission service, Permission user) {
    MethodRule rule;
    rule.permission = user;
    rule.service_permission = service;
    rule.delegated_only = true;
    return rule;
  }

  // Of the (end) user.
  Permission permission = Permission::kRead;
  // Of a service acting for the user; the same as `permission` unless set.
  std::optional<Permission> service_permission;
  // Only a service acting for a user may call it (the report service
  // publishing a reporter's figures).
  bool delegated_only = false;
};

// The rules of one gRPC service, by method name.
class MethodRules {
 public:
  // Aborts (a programming error, found by every test that starts the
  // service) unless `rules` names every method of the service named
  // `service_full_name` ("fazhi.catalogue.v1.CatalogueService") exactly once.
  MethodRules(absl::string_view service_full_name, std::map<std::string, MethodRule> rules);
  // The rule of method `name` ("CreateProject"), with its full name.
  struct Entry {
    std::string full_method;  // "/fazhi.catalogue.v1.CatalogueService/CreateProject"
    MethodRule rule;
  };
  const Entry& Of(absl::string_view name) const;
  const std::map<std::string, Entry, std::less<>>& all() const { return rules_; }

 private:
  std::map<std::string, Entry, std::less<>> rules_;
};

struct SecurityOptions {
  // Plaintext serving and development tokens (local development only).
  bool insecure_development = false;
  std::string trust_domain = "fazhi.local";
  std::shared_ptr<PolicyFile> policy;
  // Development tokens' keys; only with insecure_development.
  std::shared_ptr<DevTokenKeys> dev_tokens;
  // Per-caller rates and stream slots (admission.h); none unless set.
  AdmissionOptions admission;
};

class RpcMetrics;

class Authorizer {
 public:
  explicit Authorizer(SecurityOptions options);

  // Makes the rules of `service` known (for SecurityService.CheckAccess and
  // the tests that walk every rule); returns them. Call once per service.
  const MethodRules& Register(absl::string_view service_full_name,
                              std::map<std::string, MethodRule> rules);
  // Where refusals are written and counted; either may be null.
  void set_audit_trail(storage::AuditTrail* trail) { audit_ = trail; }
  void set_metrics(RpcMetrics* metrics) {
    metrics_ = metrics;
    admission_->set_metrics(metrics);
  }
  // The per-caller limits Authorize applies; change streams take their
  // slots from it (admission.h).
  Admission& admission() const { return *admission_; }

  // Authenticates the call, spends one of the caller's write or read tokens
  // (admission.h: a method whose rule needs kRead, kSecure or kAudit is a
  // read; any other a write), and checks `entry` for it; `regions` are the
  // region codes the request touches (required for a scoped permission).
  // `request_id` is the request's own id field, if it has one. A request
  // that asks for more than its method always does (a project created
  // already marked 优秀) names the further permission in `also_needs`.
  absl::StatusOr<storage::Caller> Authorize(
      const grpc::ServerContextBase& context, const MethodRules::Entry& entry,
      const std::vector<std::string>& regions = {}, absl::string_view request_id = "",
      std::optional<Permission> also_needs = std::nullopt) const;

  // Authorize for a call that asks a changing method only to check what it
  // would do (SubmitReport with validate_only): the same decision, with the
  // same permission and scope, but it spends a read token, since it changes
  // nothing and costs what a read does.
  absl::StatusOr<storage::Caller> AuthorizeCheckOnly(const grpc::ServerContextBase& context,
                                                     const MethodRules::Entry& entry,
                                                     const std::vector<std::string>& regions,
                                                     absl::string_view request_id = "") const;

  // Authorize again within a call an earlier Authorize or
  // AuthorizeSomewhere on the same `context` admitted (each row of a
  // streamed import, the gateway naming its caller to a backend): the same
  // decision, but no further token is spent, so a call costs one token
  // however many times it is checked.
  absl::StatusOr<storage::Caller> AuthorizeWithinCall(
      const grpc::ServerContextBase& context, const MethodRules::Entry& entry,
      const std::vector<std::string>& regions = {}, absl::string_view request_id = "",
      std::optional<Permission> also_needs = std::nullopt) const;

  // For a call that touches many regions, each authorized on its own as it
  // comes (a streamed import): that the caller holds the method's
  // permission for some region at all, so that a caller who may file
  // nothing is refused once, for the whole call.
  absl::StatusOr<storage::Caller> AuthorizeSomewhere(const grpc::ServerContextBase& context,
                                                     const MethodRules::Entry& entry) const;

  // The decision for a principal who is not calling (CheckAccess): OK or
  // the refusal Authorize would give.
  absl::Status Check(absl::string_view principal, absl::string_view on_behalf_of,
                     absl::string_view full_method, const std::vector<std::string>& regions) const;

  // The authenticated principal of a call ("" when none); a credential that
  // does not check is an error.
  absl::StatusOr<std::string> Authenticate(const grpc::ServerContextBase& context) const;

  // Every registered rule, by full method name.
  std::map<std::string, MethodRule> AllRules() const;
  std::shared_ptr<const AccessPolicy> policy() const { return options_.policy->Current(); }

 private:
  // Which of the caller's tokens a call spends (admission.h).
  enum class Spend { kNothing, kByRule, kRead };
  // `regions` null: anywhere (AuthorizeSomewhere).
  absl::Status Decide(const AccessPolicy& policy, absl::string_view principal,
                      absl::string_view on_behalf_of, const MethodRule& rule,
                      const std::vector<std::string>* regions) const;
  absl::StatusOr<storage::Caller> AuthorizeIn(const grpc::ServerContextBase& context,
                                              const MethodRules::Entry& entry,
                                              const std::vector<std::string>* regions,
                                              absl::string_view request_id,
                                              std::optional<Permission> also_needs,
                                              Spend spend) const;
  void Refused(const storage::Caller& caller, const absl::Status& status) const;

  SecurityOptions options_;
  std::unique_ptr<Admission> admission_;
  storage::AuditTrail* audit_ = nullptr;
  RpcMetrics* metrics_ = nullptr;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<MethodRules>> services_ ABSL_GUARDED_BY(mu_);
};

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_AUTHORIZER_H_
