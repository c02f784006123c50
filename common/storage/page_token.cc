#include "common/storage/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"

namespace fazhi::storage {
namespace {
constexpr char kTokenVersion = 1;
}  // namespace

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
  return absl::WebSafeBase64Escape(raw);
}

namespace {

// The raw bytes of a well-formed token (version, fingerprint, key), or
// INVALID_ARGUMENT naming `page_token`.
absl::StatusOr<std::string> UnwrapPageToken(absl::string_view token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 9 || raw[0] != kTokenVersion) {
    return errors::InvalidField("page_token",
                                "is not a token this service issued; start again without it");
  }
  return raw;
}

}  // namespace

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t fingerprint) {
  if (token.empty()) return std::string();
  auto raw = UnwrapPageToken(token);
  if (!raw.ok()) return raw.status();
  KeyReader reader(absl::string_view(*raw).substr(1, 8));
  uint64_t got = 0;
  reader.ReadUint64(&got);
  if (got != fingerprint) {
    return errors::InvalidField(
        "page_token",
        "was issued for a different query; keep every filter the same while paging, or start "
        "again without a token");
  }
  return raw->substr(9);
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
