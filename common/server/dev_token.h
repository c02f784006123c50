// Development tokens: the credential of local development, where servers
// listen in plaintext (--insecure_development) and there is no client
// certificate to name the caller. A token names a principal and an expiry,
// signed with HMAC-SHA256 under a key shared by the servers and whoever
// mints tokens (the demo, `fazhictl token`):
//
//   fzdev1.<principal, base64url>.<expiry, unix seconds>.<HMAC, base64url>
//
// sent as "authorization: Bearer <token>". The key file holds one key per
// line (hex, at least 32 bytes; "#" comments allowed): the first signs,
// every one verifies, so a key is rotated by putting the new one first and
// removing the old one once its tokens have expired. The file is read
// again when it changes. Keys and tokens are never logged.
//
// Servers accept tokens only with --insecure_development; under TLS the
// client certificate is the only identity.
#ifndef FAZHI_COMMON_SERVER_DEV_TOKEN_H_
#define FAZHI_COMMON_SERVER_DEV_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace fazhi::server {

inline constexpr char kAuthorizationMetadataKey[] = "authorization";
inline constexpr char kBearerPrefix[] = "Bearer ";

// The keys of one key file, read again when the file changes.
class DevTokenKeys {
 public:
  explicit DevTokenKeys(std::string path) : path_(std::move(path)) {}
  // Reads the file; InvalidConfiguration naming it when unusable.
  absl::Status Load();

  // A token for `principal`, valid until `now + ttl`.
  absl::StatusOr<std::string> Mint(absl::string_view principal, absl::Duration ttl,
                                   absl::Time now = absl::Now()) const;
  // The principal a token names, when it was signed by one of the keys and
  // has not expired; otherwise why not (a reason for UNAUTHENTICATED).
  absl::StatusOr<std::string> Verify(absl::string_view token, absl::Time now = absl::Now()) const;

  const std::string& path() const { return path_; }

 private:
  // Reads the file again when its modification time moved (at most once a
  // second).
  void Refresh() const;

  std::string path_;
  mutable absl::Mutex mu_;
  mutable std::vector<std::string> keys_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time checked_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable int64_t mtime_ns_ ABSL_GUARDED_BY(mu_) = 0;
};

// Writes a new random key file (32 bytes, hex) at `path`, mode 0600.
absl::Status WriteNewDevTokenKeyFile(const std::string& path);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_DEV_TOKEN_H_
