#include "common/storage/audit_chain.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/files.h"
#include "common/status/errors.h"

namespace fazhi::storage {
namespace {

using admin::v1::SignedHead;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::optional<std::string> text = ReadWholeFile(path);
  if (!text.has_value()) return errors::InvalidConfiguration(absl::StrCat("cannot read ", path));
  return *std::move(text);
}

std::string RawPublicKey(EVP_PKEY* key) {
  size_t length = 32;
  std::string raw(length, '\0');
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
      1) {
    return "";
  }
  raw.resize(length);
  return raw;
}

std::string KeyId(absl::string_view raw) { return Hex(Sha256(raw).substr(0, 8)); }

constexpr size_t kMaxProblems = 50;

}  // namespace

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

std::string SignedHeadPayload(const SignedHead& head) {
  return absl::StrCat("fazhi-audit-head-v1\n", head.store(), "\n", head.sequence(), "\n",
                      Hex(head.entry_sha256()), "\n", head.sign_time().seconds(), "\n");
}

absl::Status HeadSigner::Check() const {
  auto signed_head = Sign("check", AuditTrail::Head{0, std::string(32, '\0')}, absl::Now());
  return signed_head.status();
}

absl::StatusOr<SignedHead> HeadSigner::Sign(absl::string_view store, const AuditTrail::Head& head,
                                            absl::Time now) const {
  auto pem = ReadWhole(key_file_);
  if (!pem.ok()) {
    return errors::InvalidConfiguration(
        absl::StrCat("--audit_signing_key_file: cannot read ", key_file_));
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return errors::InvalidConfiguration(
        absl::StrCat("--audit_signing_key_file: ", key_file_,
                     " does not hold an Ed25519 private key in PEM (make one with: openssl genpkey "
                     "-algorithm ed25519)"));
  }
  SignedHead out;
  out.set_store(std::string(store));
  out.set_sequence(static_cast<int64_t>(head.sequence));
  out.set_entry_sha256(head.sha256);
  out.mutable_sign_time()->set_seconds(absl::ToUnixSeconds(now));
  out.set_key_id(KeyId(RawPublicKey(key.get())));
  const std::string payload = SignedHeadPayload(out);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t length = 64;
  std::string signature(length, '\0');
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) != 1) {
    return errors::Internal("sign the audit head", "Ed25519 signing failed");
  }
  signature.resize(length);
  out.set_signature(signature);
  return out;
}

absl::StatusOr<HeadVerifier> HeadVerifier::FromPem(absl::string_view pem) {
  HeadVerifier verifier;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (true) {
    Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (key == nullptr) break;
    if (EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) continue;
    const std::string raw = RawPublicKey(key.get());
    verifier.keys_.push_back(Key{KeyId(raw), raw});
  }
  if (verifier.keys_.empty()) {
    return errors::InvalidConfiguration(
        "the audit verification key file holds no Ed25519 public key in PEM (make one with: "
        "openssl pkey -in signing.key -pubout)");
  }
  return verifier;
}

absl::StatusOr<HeadVerifier> HeadVerifier::FromFile(const std::string& path) {
  auto pem = ReadWhole(path);
  if (!pem.ok()) return pem.status();
  return FromPem(*pem);
}

absl::StatusOr<HeadVerifier> HeadVerifier::FromSigningKeyFile(const std::string& path) {
  auto pem = ReadWhole(path);
  if (!pem.ok()) return pem.status();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return errors::InvalidConfiguration(
        absl::StrCat(path, " does not hold an Ed25519 private key in PEM"));
  }
  HeadVerifier verifier;
  const std::string raw = RawPublicKey(key.get());
  verifier.keys_.push_back(Key{KeyId(raw), raw});
  return verifier;
}

bool HeadVerifier::Verify(const SignedHead& head) const {
  const std::string payload = SignedHeadPayload(head);
  for (const Key& key : keys_) {
    if (key.id != head.key_id()) continue;
    Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(key.raw.data()),
                                          key.raw.size()));
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (pkey == nullptr ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
      continue;
    }
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(head.signature().data()),
                         head.signature().size(),
                         reinterpret_cast<const unsigned char*>(payload.data()),
                         payload.size()) == 1) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<admin::v1::VerifyAuditTrailResponse> VerifyTrail(
    const AuditTrail& trail, absl::string_view store, const std::vector<SignedHead>& heads,
    const HeadVerifier& verifier) {
  admin::v1::VerifyAuditTrailResponse out;
  auto problem = [&out](std::string text) {
    if (static_cast<size_t>(out.problems_size()) < kMaxProblems) out.add_problems(std::move(text));
  };
  // The hash of each entry a head names, found on the way.
  std::map<uint64_t, std::string> named;
  for (const SignedHead& head : heads) {
    if (head.store() == store) named[static_cast<uint64_t>(head.sequence())];
  }
  uint64_t expected = 1;
  std::string previous;
  absl::Status s = trail.ForEachStored([&](uint64_t sequence, absl::string_view bytes) {
    admin::v1::AuditEntry entry;
    if (!entry.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
        entry.sequence() != static_cast<int64_t>(sequence)) {
      problem(absl::StrCat("entry ", sequence, " does not parse or names another sequence"));
    }
    if (sequence != expected) {
      problem(absl::StrCat("entries ", expected, "..", sequence - 1, " are missing"));
    } else if (entry.previous_sha256() != previous) {
      problem(absl::StrCat("entry ", sequence, " does not chain to entry ", sequence - 1,
                           " (edited, or an entry before it was)"));
    }
    previous = Sha256(bytes);
    if (auto it = named.find(sequence); it != named.end()) it->second = previous;
    out.set_entries_checked(out.entries_checked() + 1);
    out.set_last_sequence(static_cast<int64_t>(sequence));
    expected = sequence + 1;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  for (const SignedHead& head : heads) {
    if (head.store() != store) {
      problem(absl::StrCat("a head of store \"", head.store(), "\" was given to the ", store,
                           " store; it is not checked here"));
      continue;
    }
    const auto sequence = static_cast<uint64_t>(head.sequence());
    if (!verifier.Verify(head)) {
      problem(absl::StrCat("the head of entry ", sequence, " signed by key ", head.key_id(),
                           " has no valid signature from a known key"));
      continue;
    }
    if (head.sequence() > out.last_sequence()) {
      problem(absl::StrCat("a head was signed at entry ", sequence, " but the trail ends at ",
                           out.last_sequence(), ": it was cut short"));
      continue;
    }
    if (named[sequence] != head.entry_sha256()) {
      problem(absl::StrCat("entry ", sequence,
                           " differs from its signed head: the trail was rewritten"));
      continue;
    }
    if (head.sequence() > out.last_signed_sequence()) {
      out.set_last_signed_sequence(head.sequence());
    }
  }
  out.set_intact(out.problems_size() == 0);
  return out;
}

std::string SignedHeadToJson(const SignedHead& head) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(head, &json, options);
  return json;
}

absl::StatusOr<SignedHead> SignedHeadFromJson(absl::string_view line) {
  SignedHead head;
  auto status = google::protobuf::util::JsonStringToMessage(std::string(line), &head);
  if (!status.ok()) {
    return errors::InvalidValue(
        absl::StrCat("a signed head is not a SignedHead in JSON: ", status.message().as_string()));
  }
  return head;
}

absl::StatusOr<std::vector<SignedHead>> ReadHeadsFile(const std::string& path) {
  auto text = ReadWhole(path);
  if (!text.ok()) return text.status();
  std::vector<SignedHead> heads;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    auto head = SignedHeadFromJson(line);
    if (!head.ok()) {
      return errors::InvalidValue(
          absl::StrCat(path, " line ", line_number, ": ", head.status().message()));
    }
    heads.push_back(*std::move(head));
  }
  return heads;
}

}  // namespace fazhi::storage
