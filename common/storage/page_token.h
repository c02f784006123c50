// Opaque page tokens bound to the query that made them and to this
// deployment's key.
//
// A token is web-safe base64 of:
//   1 byte   format version (2)
//   8 bytes  fingerprint of the query (big-endian), see QueryFingerprint
//   n bytes  the storage key of the last record returned
//   32 bytes HMAC-SHA256 of all the bytes before it, under the page token key
// The next page resumes strictly after that key, so records inserted while a
// client pages are neither repeated nor skipped before the cursor. A token
// presented with a different query (other filter or order), altered in any
// byte, or made under another key (or in the old format 1) is rejected with
// INVALID_ARGUMENT naming `page_token`.
//
// The key: set from a file (--page_token_key_file, StoreOptions) so that
// every replica of a service, and a restarted one, accepts the tokens of the
// others. Without one, each process draws a random key at first use — fine
// for development and tests, but a token then dies with the process that
// made it.
#ifndef FAZHI_COMMON_STORAGE_PAGE_TOKEN_H_
#define FAZHI_COMMON_STORAGE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace fazhi::storage {

// The bytes of a page token key file: at least kMinPageTokenKeyBytes (one
// trailing newline is not part of the key).
inline constexpr size_t kMinPageTokenKeyBytes = 32;

// Sets the process's page token key from the file at `path`; tokens made
// under another key are refused from now on. INVALID_ARGUMENT (as bad
// configuration, naming --page_token_key_file) when the file cannot be read
// or is too short.
absl::Status LoadPageTokenKeyFile(const std::string& path);

// A stable 64-bit fingerprint of a query's canonical description, e.g.
// "projects?year=2023&region=regions/310113". Page size is not part of it.
uint64_t QueryFingerprint(absl::string_view canonical_query);

std::string EncodePageToken(uint64_t fingerprint, absl::string_view last_key);

// The last key of the previous page; "" for an empty token (first page).
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t fingerprint);

// Page size as the API defines it: 0 means `default_size`, above `max_size`
// is clamped, negative is INVALID_ARGUMENT on `page_size`.
absl::StatusOr<int> NormalizePageSize(int requested, int default_size = 100, int max_size = 1000);

// A List request's page_size and the form of its page_token, checked as
// StartPage will read them, so that a handler reports them with the
// request's other faults rather than after them. Whether a token was issued
// for this very query needs the store's query fingerprint: StartPage checks
// that. Each returns false, and adds a violation, when the value is bad.
bool CheckPageSize(errors::FieldViolations& violations, int page_size);
bool CheckPageToken(errors::FieldViolations& violations, absl::string_view page_token);

// Where one page of a List starts: the start of every List method.
struct PageCursor {
  int page_size = 0;
  uint64_t fingerprint = 0;
  // The storage key of the last record of the previous page; "" on the
  // first page.
  std::string resume_after;

  // The token of the page after the one ending at `last_key`, or "" when
  // `last_key` is "" (no more pages).
  std::string NextToken(absl::string_view last_key) const;
};

// Reads a List request's `page_size` and `page_token` for the query
// described by `canonical_query` (see QueryFingerprint). A bad page size and
// a bad token are both reported, in one INVALID_ARGUMENT naming each field.
absl::StatusOr<PageCursor> StartPage(int page_size, absl::string_view page_token,
                                     absl::string_view canonical_query, int default_size = 100,
                                     int max_size = 1000);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_PAGE_TOKEN_H_
