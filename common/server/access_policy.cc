#include "common/server/access_policy.h"

#include <google/protobuf/text_format.h>

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/files.h"
#include "common/base/logging.h"
#include "common/status/errors.h"

namespace fazhi::server {
namespace {

using security::v1::Role;

// The one table of what each role grants.
const std::map<Role, std::vector<Permission>>& RolePermissions() {
  static const auto* table = new std::map<Role, std::vector<Permission>>{
      {security::v1::READER, {Permission::kRead}},
      {security::v1::DISTRICT_REPORTER, {Permission::kRead, Permission::kFile}},
      {security::v1::REVIEWER, {Permission::kRead, Permission::kReview}},
      {security::v1::SYSTEM_ADMIN, {Permission::kRead, Permission::kAdminister}},
      {security::v1::SECURITY_ADMIN, {Permission::kSecure}},
      {security::v1::AUDITOR, {Permission::kRead, Permission::kAudit}},
      {security::v1::REPORT_PUBLISHER, {Permission::kRead, Permission::kPublishFigures}},
  };
  return *table;
}

bool Grants(Role role, Permission permission) {
  auto it = RolePermissions().find(role);
  if (it == RolePermissions().end()) return false;
  for (Permission p : it->second) {
    if (p == permission) return true;
  }
  return false;
}

bool IsScopedRole(Role role) {
  return role == security::v1::DISTRICT_REPORTER || role == security::v1::REVIEWER;
}

bool IsRegionScope(absl::string_view scope) {
  if (scope == "*") return true;
  if (scope.size() != 6) return false;
  for (char c : scope) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<std::shared_ptr<const AccessPolicy>> ReadPolicyFile(const std::string& path) {
  const std::optional<std::string> text = ReadWholeFile(path);
  if (!text.has_value()) {
    return errors::InvalidConfiguration(absl::StrCat("--policy_file: cannot read ", path));
  }
  return AccessPolicy::Parse(*text, absl::StrCat("policy file ", path));
}

}  // namespace

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "read";
    case Permission::kFile:
      return "file records";
    case Permission::kReview:
      return "review";
    case Permission::kAdminister:
      return "administer";
    case Permission::kSecure:
      return "read the access policy";
    case Permission::kAudit:
      return "audit";
    case Permission::kPublishFigures:
      return "publish report figures";
  }
  return "?";
}

std::string RolesGranting(Permission permission) {
  std::vector<std::string> roles;
  for (const auto& [role, permissions] : RolePermissions()) {
    if (Grants(role, permission)) roles.push_back(security::v1::Role_Name(role));
  }
  return absl::StrJoin(roles, " or ");
}

bool IsScoped(Permission permission) {
  return permission == Permission::kFile || permission == Permission::kReview;
}

bool ScopeCovers(absl::string_view scope, absl::string_view region) {
  if (scope == "*") return true;
  absl::string_view prefix = scope;
  while (prefix.size() > 2 && absl::EndsWith(prefix, "00")) prefix.remove_suffix(2);
  return absl::StartsWith(region, prefix);
}

AccessPolicy::AccessPolicy(security::v1::Policy policy) : policy_(std::move(policy)) {
  for (const auto& principal : policy_.principals()) principals_[principal.name()] = &principal;
}

absl::StatusOr<std::shared_ptr<const AccessPolicy>> AccessPolicy::Make(
    security::v1::Policy policy) {
  std::vector<std::string> faults;
  if (policy.version().empty()) faults.push_back("version: must be set (e.g. \"2026-12-07.1\")");
  std::set<std::string> names;
  for (int i = 0; i < policy.principals_size(); ++i) {
    const auto& principal = policy.principals(i);
    const std::string at = absl::StrCat("principals[", i, "]");
    if (principal.name().empty() || principal.name().size() > 256) {
      faults.push_back(absl::StrCat(at, ".name: must be 1 to 256 bytes"));
    } else if (!names.insert(principal.name()).second) {
      faults.push_back(absl::StrCat(at, ".name: \"", principal.name(), "\" is listed twice"));
    }
    std::set<Role> roles;
    for (int g = 0; g < principal.grants_size(); ++g) {
      const auto& grant = principal.grants(g);
      const std::string grant_at = absl::StrCat(at, ".grants[", g, "]");
      if (RolePermissions().count(grant.role()) == 0) {
        faults.push_back(absl::StrCat(grant_at, ".role: must be a role"));
        continue;
      }
      roles.insert(grant.role());
      if (IsScopedRole(grant.role()) && grant.regions().empty()) {
        faults.push_back(absl::StrCat(grant_at, ".regions: ", Role_Name(grant.role()),
                                      " needs the regions it applies to"));
      }
      if (!IsScopedRole(grant.role()) && !grant.regions().empty()) {
        faults.push_back(absl::StrCat(grant_at, ".regions: ", Role_Name(grant.role()),
                                      " is not limited to regions; remove them"));
      }
      for (const auto& region : grant.regions()) {
        if (!IsRegionScope(region)) {
          faults.push_back(absl::StrCat(grant_at, ".regions: \"", errors::Shorten(region),
                                        "\" is not a 6-digit region code or \"*\""));
        }
      }
    }
    // 等保2.0: system, security and audit administration by different people.
    const Role admin[] = {security::v1::SYSTEM_ADMIN, security::v1::SECURITY_ADMIN,
                          security::v1::AUDITOR};
    for (size_t a = 0; a < 3; ++a) {
      for (size_t b = a + 1; b < 3; ++b) {
        if (roles.count(admin[a]) && roles.count(admin[b])) {
          faults.push_back(absl::StrCat(at, ": ", Role_Name(admin[a]), " and ", Role_Name(admin[b]),
                                        " must be held by different principals"));
        }
      }
    }
  }
  if (!faults.empty()) {
    return errors::InvalidConfiguration(absl::StrJoin(faults, "; "));
  }
  return std::shared_ptr<const AccessPolicy>(new AccessPolicy(std::move(policy)));
}

absl::StatusOr<std::shared_ptr<const AccessPolicy>> AccessPolicy::Parse(absl::string_view text,
                                                                        absl::string_view source) {
  security::v1::Policy policy;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text), &policy)) {
    return errors::InvalidConfiguration(
        absl::StrCat(source, ": not a text-format fazhi.security.v1.Policy"));
  }
  auto made = Make(std::move(policy));
  if (!made.ok()) {
    return errors::InvalidConfiguration(absl::StrCat(source, ": ", made.status().message()));
  }
  return made;
}

bool AccessPolicy::IsService(absl::string_view principal) const {
  auto it = principals_.find(principal);
  return it != principals_.end() && it->second->service();
}

bool AccessPolicy::Holds(absl::string_view principal, Permission permission,
                         const std::vector<std::string>& regions) const {
  auto it = principals_.find(principal);
  if (it == principals_.end()) return false;
  if (!IsScoped(permission)) return HoldsAnywhere(principal, permission);
  if (regions.empty()) return false;
  for (const std::string& region : regions) {
    bool covered = false;
    for (const auto& grant : it->second->grants()) {
      if (!Grants(grant.role(), permission)) continue;
      for (const auto& scope : grant.regions()) {
        if (ScopeCovers(scope, region)) covered = true;
      }
    }
    if (!covered) return false;
  }
  return true;
}

bool AccessPolicy::HoldsAnywhere(absl::string_view principal, Permission permission) const {
  auto it = principals_.find(principal);
  if (it == principals_.end()) return false;
  for (const auto& grant : it->second->grants()) {
    if (Grants(grant.role(), permission)) return true;
  }
  return false;
}

absl::Status PolicyFile::Load() {
  auto policy = ReadPolicyFile(path_);
  if (!policy.ok()) return policy.status();
  absl::MutexLock lock(&mu_);
  current_ = *std::move(policy);
  mtime_ns_ = ModificationNanos(path_);
  checked_ = absl::Now();
  FAZHI_LOG(INFO) << "access policy " << current_->version() << " from " << path_;
  return absl::OkStatus();
}

std::shared_ptr<const AccessPolicy> PolicyFile::Current() const {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (now - checked_ >= absl::Seconds(1)) {
    checked_ = now;
    const int64_t mtime = ModificationNanos(path_);
    if (mtime != mtime_ns_) {
      mtime_ns_ = mtime;
      auto policy = ReadPolicyFile(path_);
      if (policy.ok()) {
        current_ = *std::move(policy);
        FAZHI_LOG(INFO) << "access policy " << current_->version() << " from " << path_;
      } else {
        FAZHI_LOG(ERROR) << "access policy unchanged (" << current_->version()
                         << "): " << policy.status().message();
      }
    }
  }
  return current_;
}

}  // namespace fazhi::server
