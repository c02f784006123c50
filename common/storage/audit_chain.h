// Signing the audit trail's head, and checking the trail against signed
// heads (audit_trail.h says what the chain is).
//
// A head is signed with Ed25519. The private key is a PEM file
// (--audit_signing_key_file) mounted from a Secret, never from the store's
// volume: whoever can rewrite the store cannot sign a head for what they
// wrote. Verifiers hold the public keys (a PEM file with one or more
// "PUBLIC KEY" blocks, so that heads signed before a rotation still check).
// The file is read at each signing, so a replaced key is used from the
// next head on; the key is never logged.
//
// What the signature covers (SignedHeadPayload):
//   "fazhi-audit-head-v1\n" store "\n" sequence "\n" hex(entry_sha256) "\n"
//   sign_time seconds "\n"
#ifndef FAZHI_COMMON_STORAGE_AUDIT_CHAIN_H_
#define FAZHI_COMMON_STORAGE_AUDIT_CHAIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/audit_trail.h"
#include "fazhi/admin/v1/audit_service.pb.h"

namespace fazhi::storage {

std::string SignedHeadPayload(const admin::v1::SignedHead& head);

// Signs heads with the Ed25519 private key in a PEM file.
class HeadSigner {
 public:
  explicit HeadSigner(std::string key_file) : key_file_(std::move(key_file)) {}
  // Checks that the file holds an Ed25519 private key (at start-up).
  absl::Status Check() const;
  // The signed head of `store`'s trail at `head`, stamped `now`.
  absl::StatusOr<admin::v1::SignedHead> Sign(absl::string_view store, const AuditTrail::Head& head,
                                             absl::Time now) const;
  const std::string& key_file() const { return key_file_; }

 private:
  std::string key_file_;
};

// The Ed25519 public keys heads may be signed with.
class HeadVerifier {
 public:
  // Reads every "PUBLIC KEY" block of a PEM text.
  static absl::StatusOr<HeadVerifier> FromPem(absl::string_view pem);
  static absl::StatusOr<HeadVerifier> FromFile(const std::string& path);
  // The public key of the Ed25519 private key in `path` (a server checking
  // its own heads when no verification key file is given).
  static absl::StatusOr<HeadVerifier> FromSigningKeyFile(const std::string& path);
  // Whether `head` carries a valid signature by one of the keys.
  bool Verify(const admin::v1::SignedHead& head) const;

 private:
  struct Key {
    std::string id;   // hex of the first 8 bytes of SHA-256(raw key)
    std::string raw;  // 32 bytes
  };
  std::vector<Key> keys_;
};

// Checks `trail` of store `store`: entries numbered 1.. with no gap, each
// naming the SHA-256 of the one before, and every head (of this store)
// validly signed and equal to the entry it names. A head beyond the last
// entry means the trail was cut short.
absl::StatusOr<admin::v1::VerifyAuditTrailResponse> VerifyTrail(
    const AuditTrail& trail, absl::string_view store,
    const std::vector<admin::v1::SignedHead>& heads, const HeadVerifier& verifier);

// A head as one JSON line (the heads file and the log stream), and back.
std::string SignedHeadToJson(const admin::v1::SignedHead& head);
absl::StatusOr<admin::v1::SignedHead> SignedHeadFromJson(absl::string_view line);
// Every head of a heads file (one JSON line each; blank lines skipped).
absl::StatusOr<std::vector<admin::v1::SignedHead>> ReadHeadsFile(const std::string& path);

// The lowercase hex of `bytes`.
std::string Hex(absl::string_view bytes);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_AUDIT_CHAIN_H_
