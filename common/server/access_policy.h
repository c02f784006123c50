// The access policy (fazhi.security.v1.Policy, see its proto): which
// principal holds which roles, where, and which principals are services of
// the suite. AccessPolicy is one checked, immutable version; PolicyFile
// keeps the file's current version, reading it again when it changes.
#ifndef FAZHI_COMMON_SERVER_ACCESS_POLICY_H_
#define FAZHI_COMMON_SERVER_ACCESS_POLICY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "fazhi/security/v1/policy.pb.h"

namespace fazhi::server {

// What a call needs. Roles grant permissions (the table in
// access_policy.cc); kFile and kReview hold only in a grant's regions.
enum class Permission {
  kRead,            // read records
  kFile,            // file reports, observations, projects (scoped)
  kReview,          // review projects, correct observations (scoped)
  kAdminister,      // regions, units, indicators, deletions, backups
  kSecure,          // read the policy, ask what it allows
  kAudit,           // read and verify the audit trail
  kPublishFigures,  // publish report figures to metrics (the report service)
};

// The permission's name in messages: "read", "file", ...
absl::string_view PermissionName(Permission permission);
// The roles that grant `permission`, for a denial's message
// ("DISTRICT_REPORTER").
std::string RolesGranting(Permission permission);
bool IsScoped(Permission permission);

// Whether the scope `scope` ("310000", "310113", "*") covers the region
// code `region`: equal, or under it by GB/T 2260 (trailing "00" pairs of
// the scope are dropped, and the rest must begin the region's code).
bool ScopeCovers(absl::string_view scope, absl::string_view region);

class AccessPolicy {
 public:
  // Checks and indexes `policy`: a version, unique non-empty names, a role
  // per grant, regions on the scoped roles (codes of 6 digits or "*") and
  // on them only, and the administrative roles kept apart.
  static absl::StatusOr<std::shared_ptr<const AccessPolicy>> Make(security::v1::Policy policy);
  // The same from the text format; `source` names it in errors.
  static absl::StatusOr<std::shared_ptr<const AccessPolicy>> Parse(absl::string_view text,
                                                                   absl::string_view source);

  const std::string& version() const { return policy_.version(); }
  const security::v1::Policy& proto() const { return policy_; }
  bool development_anonymous_read() const { return policy_.development_anonymous_read(); }

  bool IsService(absl::string_view principal) const;
  // Whether `principal` holds `permission`; for a scoped permission, in
  // every one of `regions` (which must not be empty then).
  bool Holds(absl::string_view principal, Permission permission,
             const std::vector<std::string>& regions) const;
  // Whether `principal` holds `permission` anywhere.
  bool HoldsAnywhere(absl::string_view principal, Permission permission) const;

 private:
  explicit AccessPolicy(security::v1::Policy policy);
  security::v1::Policy policy_;
  std::map<std::string, const security::v1::Principal*, std::less<>> principals_;
};

// The policy file of a server (--policy_file), read again when it changes.
class PolicyFile {
 public:
  explicit PolicyFile(std::string path) : path_(std::move(path)) {}
  // Reads and checks the file: InvalidConfiguration naming it when it does
  // not parse or check (at start-up).
  absl::Status Load();
  // The version in force. A changed file is read at most once a second; one
  // that does not parse or check is logged and the version in force stays.
  std::shared_ptr<const AccessPolicy> Current() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const AccessPolicy> current_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time checked_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable int64_t mtime_ns_ ABSL_GUARDED_BY(mu_) = -1;
};

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_ACCESS_POLICY_H_
