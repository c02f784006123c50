#include "common/storage/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/base/files.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"

namespace fazhi::storage {
namespace {

constexpr char kTokenVersion = 2;
constexpr size_t kMacBytes = 32;    // HMAC-SHA256
constexpr size_t kHeaderBytes = 9;  // version, fingerprint

struct PageTokenKey {
  absl::Mutex mu;
  std::string bytes ABSL_GUARDED_BY(mu);
};

PageTokenKey& TheKey() {
  static auto* key = new PageTokenKey;
  return *key;
}

// The key in force, drawn at random on first use when none was loaded.
std::string CurrentKey() {
  PageTokenKey& key = TheKey();
  absl::MutexLock lock(&key.mu);
  if (key.bytes.empty()) {
    key.bytes.resize(kMinPageTokenKeyBytes);
    FAZHI_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(key.bytes.data()),
                           static_cast<int>(key.bytes.size())) == 1)
        << "no randomness for the page token key";
  }
  return key.bytes;
}

std::string MacOf(absl::string_view signed_bytes) {
  const std::string key = CurrentKey();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_bytes.data()), signed_bytes.size(), mac,
       &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

}  // namespace

absl::Status LoadPageTokenKeyFile(const std::string& path) {
  std::optional<std::string> content = ReadWholeFile(path);
  if (!content.has_value()) {
    return errors::InvalidConfiguration(
        absl::StrCat("--page_token_key_file ", path, " cannot be read"));
  }
  std::string bytes = *std::move(content);
  if (!bytes.empty() && bytes.back() == '\n') bytes.pop_back();
  if (bytes.size() < kMinPageTokenKeyBytes) {
    return errors::InvalidConfiguration(absl::StrCat(
        "--page_token_key_file ", path, " holds ", bytes.size(), " bytes; a key needs at least ",
        kMinPageTokenKeyBytes, " (e.g. `openssl rand -base64 48 > ", path, "`)"));
  }
  PageTokenKey& key = TheKey();
  absl::MutexLock lock(&key.mu);
  key.bytes = std::move(bytes);
  return absl::OkStatus();
}

uint64_t QueryFingerprint(absl::string_view canonical_query) {
  // FNV-1a, 64-bit: stable across builds and platforms, unlike std::hash.
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : canonical_query) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::string EncodePageToken(uint64_t fingerprint, absl::string_view last_key) {
  std::string raw(1, kTokenVersion);
  raw.append(EncodeUint64(fingerprint));
  raw.append(last_key.data(), last_key.size());
  raw.append(MacOf(raw));
  return absl::WebSafeBase64Escape(raw);
}

namespace {

// The signed bytes of a token this deployment issued (version, fingerprint,
// key), or INVALID_ARGUMENT naming `page_token`.
absl::StatusOr<std::string> UnwrapPageToken(absl::string_view token) {
  std::string raw;
  bool issued_here = absl::WebSafeBase64Unescape(token, &raw) &&
                     raw.size() >= kHeaderBytes + kMacBytes && raw[0] == kTokenVersion;
  if (issued_here) {
    const size_t signed_size = raw.size() - kMacBytes;
    const std::string mac = MacOf(absl::string_view(raw).substr(0, signed_size));
    issued_here = CRYPTO_memcmp(mac.data(), raw.data() + signed_size, kMacBytes) == 0;
    raw.resize(signed_size);
  }
  if (!issued_here) {
    return errors::InvalidField("page_token",
                                "is not a token this service issued (or it was altered); start "
                                "again without it");
  }
  return raw;
}

}  // namespace

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t fingerprint) {
  if (token.empty()) return std::string();
  auto raw = UnwrapPageToken(token);
  if (!raw.ok()) return raw.status();
  KeyReader reader(absl::string_view(*raw).substr(1, kHeaderBytes - 1));
  uint64_t got = 0;
  reader.ReadUint64(&got);
  if (got != fingerprint) {
    return errors::InvalidField(
        "page_token",
        "was issued for a different query; keep every filter the same while paging, or start "
        "again without a token");
  }
  return raw->substr(kHeaderBytes);
}

absl::StatusOr<int> NormalizePageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return errors::InvalidField("page_size",
                                absl::StrCat("must be 0..", max_size, ", got ", requested));
  }
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

bool CheckPageSize(errors::FieldViolations& violations, int page_size) {
  return !errors::AddViolationsOf(NormalizePageSize(page_size).status(), violations);
}

bool CheckPageToken(errors::FieldViolations& violations, absl::string_view page_token) {
  if (page_token.empty()) return true;
  return !errors::AddViolationsOf(UnwrapPageToken(page_token).status(), violations);
}

std::string PageCursor::NextToken(absl::string_view last_key) const {
  return last_key.empty() ? std::string() : EncodePageToken(fingerprint, last_key);
}

absl::StatusOr<PageCursor> StartPage(int page_size, absl::string_view page_token,
                                     absl::string_view canonical_query, int default_size,
                                     int max_size) {
  PageCursor cursor;
  cursor.fingerprint = QueryFingerprint(canonical_query);
  errors::FieldViolations violations;
  auto size = NormalizePageSize(page_size, default_size, max_size);
  if (size.ok()) {
    cursor.page_size = *size;
  } else if (!errors::AddViolationsOf(size.status(), violations)) {
    return size.status();
  }
  auto resume = DecodePageToken(page_token, cursor.fingerprint);
  if (resume.ok()) {
    cursor.resume_after = *std::move(resume);
  } else if (!errors::AddViolationsOf(resume.status(), violations)) {
    return resume.status();
  }
  if (!violations.empty()) return violations.ToStatus();
  return cursor;
}

}  // namespace fazhi::storage
