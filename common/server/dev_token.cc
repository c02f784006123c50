#include "common/server/dev_token.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/files.h"
#include "common/status/errors.h"

namespace fazhi::server {
namespace {

constexpr char kTokenVersion[] = "fzdev1";
constexpr size_t kMinKeyBytes = 32;

std::string Mac(absl::string_view key, absl::string_view text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

absl::StatusOr<std::vector<std::string>> ReadKeys(const std::string& path) {
  const std::optional<std::string> text = ReadWholeFile(path);
  if (!text.has_value()) {
    return errors::InvalidConfiguration(absl::StrCat("--dev_token_key_file: cannot read ", path));
  }
  std::vector<std::string> keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    bool hex = line.size() % 2 == 0;
    for (char c : line) hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
    std::string key = hex ? absl::HexStringToBytes(line) : "";
    if (key.size() < kMinKeyBytes) {
      return errors::InvalidConfiguration(absl::StrCat(
          "--dev_token_key_file: line ", line_number, " of ", path,
          " is not a hex key of at least 32 bytes (make one with: openssl rand -hex 32)"));
    }
    keys.push_back(std::move(key));
  }
  if (keys.empty()) {
    return errors::InvalidConfiguration(
        absl::StrCat("--dev_token_key_file: ", path, " holds no key"));
  }
  return keys;
}

}  // namespace

absl::Status DevTokenKeys::Load() {
  auto keys = ReadKeys(path_);
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&mu_);
  keys_ = *std::move(keys);
  mtime_ns_ = ModificationNanos(path_);
  checked_ = absl::Now();
  return absl::OkStatus();
}

void DevTokenKeys::Refresh() const {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (now - checked_ < absl::Seconds(1)) return;
  checked_ = now;
  const int64_t mtime = ModificationNanos(path_);
  if (mtime == mtime_ns_) return;
  auto keys = ReadKeys(path_);
  if (!keys.ok()) return;  // a half-written file: keep the keys in force
  keys_ = *std::move(keys);
  mtime_ns_ = mtime;
}

absl::StatusOr<std::string> DevTokenKeys::Mint(absl::string_view principal, absl::Duration ttl,
                                               absl::Time now) const {
  Refresh();
  std::string key;
  {
    absl::MutexLock lock(&mu_);
    if (keys_.empty()) {
      return errors::InvalidConfiguration("--dev_token_key_file: no key is loaded");
    }
    key = keys_.front();
  }
  const std::string body = absl::StrCat(kTokenVersion, ".", absl::WebSafeBase64Escape(principal),
                                        ".", absl::ToUnixSeconds(now + ttl));
  return absl::StrCat(body, ".", absl::WebSafeBase64Escape(Mac(key, body)));
}

absl::StatusOr<std::string> DevTokenKeys::Verify(absl::string_view token, absl::Time now) const {
  Refresh();
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string principal;
  std::string mac;
  int64_t expiry = 0;
  if (parts.size() != 4 || parts[0] != kTokenVersion ||
      !absl::WebSafeBase64Unescape(parts[1], &principal) || principal.empty() ||
      !absl::SimpleAtoi(parts[2], &expiry) || !absl::WebSafeBase64Unescape(parts[3], &mac)) {
    return errors::InvalidValue("the bearer token is not a Fazhi development token");
  }
  const absl::string_view body = token.substr(0, token.size() - parts[3].size() - 1);
  bool signed_by_key = false;
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& key : keys_) {
      const std::string expected = Mac(key, body);
      if (expected.size() == mac.size() &&
          CRYPTO_memcmp(expected.data(), mac.data(), mac.size()) == 0) {
        signed_by_key = true;
        break;
      }
    }
  }
  if (!signed_by_key) {
    return errors::InvalidValue("the bearer token was not signed by this server's key");
  }
  if (absl::FromUnixSeconds(expiry) <= now) {
    return errors::InvalidValue(absl::StrCat("the bearer token expired at ",
                                             absl::FormatTime(absl::FromUnixSeconds(expiry))));
  }
  return principal;
}

absl::Status WriteNewDevTokenKeyFile(const std::string& path) {
  unsigned char key[kMinKeyBytes];
  if (RAND_bytes(key, sizeof(key)) != 1) {
    return errors::Internal("make a development key", "no random bytes");
  }
  const mode_t old = umask(077);
  std::ofstream out(path, std::ios::trunc);
  umask(old);
  out << "# Fazhi development token key (local development only)\n"
      << absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(key), sizeof(key)))
      << "\n";
  if (!out.good()) return errors::InvalidConfiguration(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace fazhi::server
