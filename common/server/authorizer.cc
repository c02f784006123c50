#include "common/server/authorizer.h"

#include <grpc/grpc_security_constants.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/logging.h"
#include "common/server/prometheus.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"

namespace fazhi::server {
namespace {

constexpr size_t kMaxNameBytes = 256;

// The first value of metadata `key`, or "".
std::string MetadataValue(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (errors::GetDetail(status, &info)) return info.reason();
  return "UNKNOWN";
}

// Reads leave the stores as they were; everything else changes them.
bool IsWrite(const MethodRule& rule) {
  return rule.permission != Permission::kRead && rule.permission != Permission::kSecure &&
         rule.permission != Permission::kAudit;
}

std::string RegionList(const std::vector<std::string>& regions) {
  return absl::StrJoin(regions, ", ");
}

}  // namespace

MethodRules::MethodRules(absl::string_view service_full_name,
                         std::map<std::string, MethodRule> rules) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  FAZHI_CHECK(service != nullptr) << "no service " << service_full_name;
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string& name = service->method(i)->name();
    auto it = rules.find(name);
    FAZHI_CHECK(it != rules.end())
        << service->full_name() << "." << name << " has no authorization rule";
    rules_[name] = Entry{absl::StrCat("/", service->full_name(), "/", name), it->second};
    rules.erase(it);
  }
  FAZHI_CHECK(rules.empty()) << service->full_name()
                             << " has a rule for no method: " << rules.begin()->first;
}

const MethodRules::Entry& MethodRules::Of(absl::string_view name) const {
  auto it = rules_.find(name);
  FAZHI_CHECK(it != rules_.end()) << "no authorization rule for " << name;
  return it->second;
}

Authorizer::Authorizer(SecurityOptions options)
    : options_(std::move(options)), admission_(std::make_unique<Admission>(options_.admission)) {
  FAZHI_CHECK(options_.policy != nullptr) << "an authorizer needs a policy";
}

const MethodRules& Authorizer::Register(absl::string_view service_full_name,
                                        std::map<std::string, MethodRule> rules) {
  absl::MutexLock lock(&mu_);
  services_.push_back(std::make_unique<MethodRules>(service_full_name, std::move(rules)));
  return *services_.back();
}

std::map<std::string, MethodRule> Authorizer::AllRules() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, MethodRule> out;
  for (const auto& service : services_) {
    for (const auto& [name, entry] : service->all()) out[entry.full_method] = entry.rule;
  }
  return out;
}

absl::StatusOr<std::string> Authorizer::Authenticate(const grpc::ServerContextBase& context) const {
  auto auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    auto ids = auth->FindPropertyValues(GRPC_PEER_SPIFFE_ID_PROPERTY_NAME);
    if (ids.size() != 1) {
      return errors::Unauthenticated(
          "BAD_CREDENTIAL",
          absl::StrCat("the client certificate names no principal: it needs exactly one URI "
                       "subject alternative name spiffe://",
                       options_.trust_domain, "/<principal>"));
    }
    const absl::string_view id(ids[0].data(), ids[0].size());
    const std::string prefix = absl::StrCat("spiffe://", options_.trust_domain, "/");
    if (!absl::StartsWith(id, prefix) || id.size() == prefix.size() ||
        id.size() - prefix.size() > kMaxNameBytes) {
      return errors::Unauthenticated(
          "BAD_CREDENTIAL",
          absl::StrCat("the client certificate's SPIFFE ID \"", errors::Shorten(id),
                       "\" is not of this suite's trust domain (", prefix, "<principal>)"));
    }
    return std::string(id.substr(prefix.size()));
  }
  const std::string authorization = MetadataValue(context, kAuthorizationMetadataKey);
  if (authorization.empty()) return std::string();
  if (!options_.insecure_development || options_.dev_tokens == nullptr) {
    return errors::Unauthenticated(
        "BAD_CREDENTIAL",
        "this server takes no bearer tokens: present a client certificate (mutual TLS)");
  }
  if (!absl::StartsWith(authorization, kBearerPrefix)) {
    return errors::Unauthenticated("BAD_CREDENTIAL",
                                   "the authorization metadata must be \"Bearer <token>\"");
  }
  auto principal =
      options_.dev_tokens->Verify(absl::string_view(authorization).substr(strlen(kBearerPrefix)));
  if (!principal.ok()) {
    return errors::Unauthenticated("BAD_CREDENTIAL", principal.status().message());
  }
  return principal;
}

absl::Status Authorizer::Decide(const AccessPolicy& policy, absl::string_view principal,
                                absl::string_view on_behalf_of, const MethodRule& rule,
                                const std::vector<std::string>* regions_or_anywhere) const {
  static const std::vector<std::string> kNowhere;
  const std::vector<std::string>& regions =
      regions_or_anywhere != nullptr ? *regions_or_anywhere : kNowhere;
  auto holds = [&](absl::string_view who, Permission permission) {
    return regions_or_anywhere != nullptr ? policy.Holds(who, permission, regions)
                                          : policy.HoldsAnywhere(who, permission);
  };
  // What a principal lacks for `permission`, as a refusal.
  auto refuse = [&](absl::string_view who, Permission permission) {
    const std::string roles = RolesGranting(permission);
    if (IsScoped(permission) && policy.HoldsAnywhere(who, permission)) {
      return errors::PermissionDenied(
          "OUT_OF_SCOPE",
          absl::StrCat("\"", who, "\" may ", PermissionName(permission),
                       " only for the regions of its ", roles, " grant, and this call touches ",
                       RegionList(regions), "; the policy (version ", policy.version(),
                       ") must grant it for ", RegionList(regions)),
          who, absl::StrCat(roles, " for ", RegionList(regions)));
    }
    return errors::PermissionDenied(
        "MISSING_ROLE",
        absl::StrCat(
            "\"", who, "\" may not ", PermissionName(permission), ": it needs the role ", roles,
            IsScoped(permission) && !regions.empty() ? absl::StrCat(" for ", RegionList(regions))
                                                     : "",
            " in the access policy (version ", policy.version(), ")"),
        who, roles);
  };
  const Permission service_permission = rule.service_permission.value_or(rule.permission);
  if (on_behalf_of.empty()) {
    if (rule.delegated_only) {
      return errors::PermissionDenied(
          "NOT_A_SERVICE",
          absl::StrCat("\"", principal,
                       "\" called a method only a service of the suite calls, "
                       "acting for a user (",
                       PermissionName(service_permission), ")"),
          principal, RolesGranting(service_permission));
    }
    if (!holds(principal, rule.permission)) return refuse(principal, rule.permission);
    return absl::OkStatus();
  }
  if (!policy.IsService(principal)) {
    return errors::PermissionDenied(
        "NOT_A_SERVICE",
        absl::StrCat("\"", principal,
                     "\" may not act on behalf of another principal: only the "
                     "services the access policy lists may"),
        principal, "service: true in the access policy");
  }
  if (!holds(principal, service_permission)) {
    return refuse(principal, service_permission);
  }
  if (!holds(on_behalf_of, rule.permission)) {
    return refuse(on_behalf_of, rule.permission);
  }
  return absl::OkStatus();
}

absl::StatusOr<storage::Caller> Authorizer::Authorize(const grpc::ServerContextBase& context,
                                                      const MethodRules::Entry& entry,
                                                      const std::vector<std::string>& regions,
                                                      absl::string_view request_id,
                                                      std::optional<Permission> also_needs) const {
  return AuthorizeIn(context, entry, &regions, request_id, also_needs, Spend::kByRule);
}

absl::StatusOr<storage::Caller> Authorizer::AuthorizeCheckOnly(
    const grpc::ServerContextBase& context, const MethodRules::Entry& entry,
    const std::vector<std::string>& regions, absl::string_view request_id) const {
  return AuthorizeIn(context, entry, &regions, request_id, std::nullopt, Spend::kRead);
}

absl::StatusOr<storage::Caller> Authorizer::AuthorizeWithinCall(
    const grpc::ServerContextBase& context, const MethodRules::Entry& entry,
    const std::vector<std::string>& regions, absl::string_view request_id,
    std::optional<Permission> also_needs) const {
  return AuthorizeIn(context, entry, &regions, request_id, also_needs, Spend::kNothing);
}

absl::StatusOr<storage::Caller> Authorizer::AuthorizeSomewhere(
    const grpc::ServerContextBase& context, const MethodRules::Entry& entry) const {
  return AuthorizeIn(context, entry, nullptr, "", std::nullopt, Spend::kByRule);
}

absl::StatusOr<storage::Caller> Authorizer::AuthorizeIn(const grpc::ServerContextBase& context,
                                                        const MethodRules::Entry& entry,
                                                        const std::vector<std::string>* regions,
                                                        absl::string_view request_id,
                                                        std::optional<Permission> also_needs,
                                                        Spend spend) const {
  const std::shared_ptr<const AccessPolicy> policy = options_.policy->Current();
  storage::Caller caller;
  caller.principal = kAnonymous;
  caller.method = entry.full_method;
  caller.request_id = request_id.empty()
                          ? errors::Shorten(MetadataValue(context, kRequestIdMetadataKey), 64)
                          : std::string(request_id);
  caller.policy_version = policy->version();
  caller.on_behalf_of =
      errors::Shorten(MetadataValue(context, kOnBehalfOfMetadataKey), kMaxNameBytes);

  absl::StatusOr<std::string> principal = Authenticate(context);
  // The rate is spent by whoever the caller proved to be (an end user
  // through a service only when the policy says the principal is one), so a
  // name the caller gives itself cannot buy it a fresh budget. A refusal
  // here is counted and logged by Admission but not audited.
  if (spend != Spend::kNothing) {
    storage::Caller spender(principal.ok() && !principal->empty() ? *principal : kAnonymous);
    if (spender.principal != kAnonymous && policy->IsService(spender.principal)) {
      spender.on_behalf_of = caller.on_behalf_of;
    }
    absl::Status admitted =
        admission_->AdmitCall(AdmissionKey(spender, context.peer()),
                              spend == Spend::kByRule && IsWrite(entry.rule), caller.method);
    if (!admitted.ok()) return admitted;
  }
  absl::Status decision;
  if (!principal.ok()) {
    decision = principal.status();
  } else if (principal->empty()) {
    const bool anonymous_read = options_.insecure_development &&
                                policy->development_anonymous_read() &&
                                entry.rule.permission == Permission::kRead &&
                                !entry.rule.delegated_only && caller.on_behalf_of.empty();
    if (!anonymous_read) {
      decision = errors::Unauthenticated(
          "NO_CREDENTIAL",
          options_.insecure_development
              ? "this call needs a credential: a development token as \"authorization: Bearer "
                "<token>\" (fazhictl token mint), or a client certificate"
              : "this call needs a credential: a client certificate from the suite's CA "
                "(mutual TLS)");
    }
  } else {
    caller.principal = *principal;
    decision = Decide(*policy, caller.principal, caller.on_behalf_of, entry.rule, regions);
    if (decision.ok() && also_needs.has_value()) {
      MethodRule further = entry.rule;
      further.permission = *also_needs;
      further.service_permission.reset();
      decision = Decide(*policy, caller.principal, caller.on_behalf_of, further, regions);
    }
  }
  if (!decision.ok()) {
    Refused(caller, decision);
    return decision;
  }
  return caller;
}

absl::Status Authorizer::Check(absl::string_view principal, absl::string_view on_behalf_of,
                               absl::string_view full_method,
                               const std::vector<std::string>& regions) const {
  const auto rules = AllRules();
  auto it = rules.find(std::string(full_method));
  if (it == rules.end()) {
    return errors::InvalidField("method", absl::StrCat("\"", errors::Shorten(full_method),
                                                       "\" is not a method of this server"));
  }
  return Decide(*options_.policy->Current(), principal, on_behalf_of, it->second, &regions);
}

void Authorizer::Refused(const storage::Caller& caller, const absl::Status& status) const {
  const std::string reason = ReasonOf(status);
  if (metrics_ != nullptr) metrics_->RecordDenied(caller.method, reason);
  FAZHI_LOG(WARNING) << "refused " << caller.method << " for \"" << caller.principal << "\""
                     << (caller.on_behalf_of.empty()
                             ? ""
                             : absl::StrCat(" acting for \"", caller.on_behalf_of, "\""))
                     << ": " << reason;
  if (audit_ == nullptr) return;
  absl::Status written =
      audit_->WriteCall(caller, static_cast<int>(status.code()), status.message());
  if (!written.ok()) {
    FAZHI_LOG(ERROR) << "the refusal of " << caller.method
                     << " was not audited: " << written.message();
  }
}

}  // namespace fazhi::server
