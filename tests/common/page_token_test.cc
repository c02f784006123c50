#include "common/storage/page_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "google/rpc/error_details.pb.h"

namespace fazhi::storage {
namespace {

using std::string_literals::operator""s;

// The single field that `status` names in its BadRequest, or "" when it has
// no BadRequest or names other than exactly one field.
std::string ViolatedField(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  if (!errors::GetDetail(status, &bad_request)) return "";
  if (bad_request.field_violations_size() != 1) return "";
  return bad_request.field_violations(0).field();
}

// A key the tests sign with, loaded as a deployment loads its key file.
const std::string& TestKey() {
  static const auto* key = new std::string("an example page token key of 40 bytes..");
  return *key;
}

// Writes `content` to a file of its own and returns its path.
std::string WriteKeyFile(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

void UseTestKey() {
  ASSERT_TRUE(LoadPageTokenKeyFile(WriteKeyFile("page-token.key", TestKey() + "\n")).ok());
}

// The raw token layout from page_token.h: version, big-endian fingerprint,
// last key, and the HMAC-SHA256 of those under `key` (none when empty).
std::string RawToken(char version, uint64_t fingerprint, const std::string& last_key,
                     const std::string& key = TestKey()) {
  std::string raw(1, version);
  for (int shift = 56; shift >= 0; shift -= 8) {
    raw.push_back(static_cast<char>((fingerprint >> shift) & 0xff));
  }
  raw += last_key;
  if (key.empty()) return raw;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), mac, &length);
  return raw + std::string(reinterpret_cast<const char*>(mac), length);
}

// ---------------------------------------------------------------------------
// QueryFingerprint

TEST(QueryFingerprintTest, IsFnv1a64) {
  // Published FNV-1a 64-bit test vectors (Fowler/Noll/Vo reference suite),
  // also checked by hand: offset basis 0xcbf29ce484222325, prime
  // 0x100000001b3. If these change, every page token in the field breaks.
  EXPECT_EQ(QueryFingerprint(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(QueryFingerprint("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(QueryFingerprint("foobar"), 0x85944171f73967e8ull);
  // Bytes >= 0x80 hashed as unsigned (UTF-8 of U+4E0A: e4 b8 8a), computed
  // independently of this code; a sign-extending implementation differs.
  EXPECT_EQ(QueryFingerprint("上"), 0x1e59a01b678a3781ull);
}

TEST(QueryFingerprintTest, IsStableAndDistinguishesQueries) {
  const std::string query = "projects?year=2023&region=regions/310113";
  EXPECT_EQ(QueryFingerprint(query), QueryFingerprint(std::string(query)));
  EXPECT_NE(QueryFingerprint(query), QueryFingerprint("projects?year=2024&region=regions/310113"));
  EXPECT_NE(QueryFingerprint("ab"), QueryFingerprint("ba"));
  EXPECT_NE(QueryFingerprint("上海"), QueryFingerprint("北京"));
}

// ---------------------------------------------------------------------------
// Encode / decode

TEST(PageTokenTest, RoundTripsLastKey) {
  const uint64_t fp = QueryFingerprint("projects?year=2023");
  const std::vector<std::string> keys = {
      "p",
      KeyBuilder('r').AddString("310113").AddUint32(2023).AddString("y2023-excellent").Build(),
      "\0"s,
      "\0\0\xff\xff"s,
      std::string(500, '\xff'),
      KeyBuilder('p').AddString("上海市浦东新区").Build(),
  };
  for (const std::string& key : keys) {
    const std::string token = EncodePageToken(fp, key);
    EXPECT_FALSE(token.empty());
    absl::StatusOr<std::string> decoded = DecodePageToken(token, fp);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, key);
  }
}

TEST(PageTokenTest, TokenIsWebSafeBase64OfTheDocumentedLayout) {
  UseTestKey();
  const uint64_t fp = 0x0102030405060708ull;
  const std::string key = "k\xff\xfe\0"s;
  const std::string token = EncodePageToken(fp, key);
  for (char c : token) {
    EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')
        << "not URL-safe: '" << c << "' in " << token;
  }
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_EQ(raw, RawToken('\x02', fp, key));
}

TEST(PageTokenTest, EmptyTokenMeansFirstPage) {
  absl::StatusOr<std::string> decoded = DecodePageToken("", QueryFingerprint("anything"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "");
}

TEST(PageTokenTest, TokenForAnotherQueryIsRejectedNamingPageToken) {
  const std::string token =
      EncodePageToken(QueryFingerprint("projects?year=2023"), KeyBuilder('p').AddUint32(7).Build());
  absl::StatusOr<std::string> decoded =
      DecodePageToken(token, QueryFingerprint("projects?year=2024"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedField(decoded.status()), "page_token") << decoded.status();
  EXPECT_TRUE(absl::StrContains(decoded.status().message(), "page_token"))
      << decoded.status().message();
}

TEST(PageTokenTest, FingerprintsDifferingInOneByteAreRejected) {
  // Each byte of the fingerprint must take part in the comparison.
  const uint64_t fp = 0x1122334455667788ull;
  const std::string token = EncodePageToken(fp, "k");
  for (int byte = 0; byte < 8; ++byte) {
    const uint64_t other = fp ^ (uint64_t{1} << (8 * byte));
    absl::StatusOr<std::string> decoded = DecodePageToken(token, other);
    EXPECT_FALSE(decoded.ok()) << "fingerprint byte " << byte << " ignored";
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(PageTokenTest, GarbageIsRejectedNamingPageToken) {
  const uint64_t fp = QueryFingerprint("projects");
  const std::vector<std::string> garbage = {
      "!!!not base64!!!",
      "a",                                                   // not a whole base64 quantum
      "上海",                                                // not base64 at all
      absl::WebSafeBase64Escape("junk"),                     // decodes, but far too short
      absl::WebSafeBase64Escape(std::string(8, '\x01')),     // one byte short of a header
      absl::WebSafeBase64Escape(RawToken('\x03', fp, "k")),  // unknown version
      absl::WebSafeBase64Escape(RawToken('\x00', fp, "k")),  // unknown version
      absl::WebSafeBase64Escape("hello, this is not a page token at all"),
  };
  for (const std::string& token : garbage) {
    absl::StatusOr<std::string> decoded = DecodePageToken(token, fp);
    ASSERT_FALSE(decoded.ok()) << "accepted " << ::testing::PrintToString(token) << " as "
                               << ::testing::PrintToString(*decoded);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedField(decoded.status()), "page_token") << decoded.status();
  }
}

TEST(PageTokenTest, TokenShorterThanItsHeaderIsRejectedForEveryFingerprint) {
  // A header cut short must be rejected as malformed, not read as a
  // fingerprint of zero: fingerprint 0 is as valid as any other.
  for (size_t length = 1; length < 9; ++length) {
    const std::string token = absl::WebSafeBase64Escape(RawToken('\x01', 0, "").substr(0, length));
    absl::StatusOr<std::string> decoded = DecodePageToken(token, 0);
    ASSERT_FALSE(decoded.ok()) << "a " << length << "-byte token was accepted";
    EXPECT_EQ(ViolatedField(decoded.status()), "page_token");
  }
}

TEST(PageTokenTest, HandBuiltTokenWithRightLayoutIsAccepted) {
  // The counterpart of the garbage cases: the same layout with version 2,
  // the right fingerprint and the MAC under the key decodes, so the
  // rejections above are about content.
  UseTestKey();
  const uint64_t fp = QueryFingerprint("projects");
  absl::StatusOr<std::string> decoded =
      DecodePageToken(absl::WebSafeBase64Escape(RawToken('\x02', fp, "k")), fp);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "k");
}

void ExpectRefusedNamingPageToken(const absl::StatusOr<std::string>& decoded) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(errors::GetDetail(decoded.status(), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_token");
}

TEST(PageTokenTest, EveryAlteredByteIsRefusedNamingPageToken) {
  UseTestKey();
  const uint64_t fp = QueryFingerprint("projects?year=2023");
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(
      EncodePageToken(fp, KeyBuilder('p').AddUint32(2023).AddString("p7").Build()), &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string altered = raw;
    altered[i] ^= 0x01;
    ExpectRefusedNamingPageToken(DecodePageToken(absl::WebSafeBase64Escape(altered), fp));
    errors::FieldViolations violations;
    EXPECT_FALSE(CheckPageToken(violations, absl::WebSafeBase64Escape(altered))) << i;
  }
  // A resume key moved on by hand, signed by nobody.
  std::string forged = RawToken('\x02', fp, KeyBuilder('p').AddUint32(2024).Build(), "");
  forged += std::string(32, '\0');
  ExpectRefusedNamingPageToken(DecodePageToken(absl::WebSafeBase64Escape(forged), fp));
}

TEST(PageTokenTest, TokensOfAnotherKeyAndOfFormatOneAreRefused) {
  UseTestKey();
  const uint64_t fp = QueryFingerprint("units");
  ExpectRefusedNamingPageToken(DecodePageToken(
      absl::WebSafeBase64Escape(RawToken('\x02', fp, "k", std::string(40, 'x'))), fp));
  ExpectRefusedNamingPageToken(
      DecodePageToken(absl::WebSafeBase64Escape(RawToken('\x01', fp, "k", "")), fp));

  // A token made before a replica loads another key is refused after.
  const std::string token = EncodePageToken(fp, "k");
  ASSERT_TRUE(LoadPageTokenKeyFile(WriteKeyFile("other.key", std::string(48, 'o'))).ok());
  ExpectRefusedNamingPageToken(DecodePageToken(token, fp));
  UseTestKey();
  EXPECT_TRUE(DecodePageToken(token, fp).ok());
}

TEST(PageTokenTest, KeyFileMustBeReadableAndLongEnough) {
  absl::Status s = LoadPageTokenKeyFile(WriteKeyFile("short.key", "too short\n"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "--page_token_key_file")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "at least 32")) << s;
  s = LoadPageTokenKeyFile(::testing::TempDir() + "/no-such-dir/none.key");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// NormalizePageSize

TEST(NormalizePageSizeTest, ZeroMeansDefault) {
  absl::StatusOr<int> size = NormalizePageSize(0);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, 100);
  size = NormalizePageSize(0, 25, 50);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, 25);
}

TEST(NormalizePageSizeTest, InRangeIsKept) {
  for (int requested : {1, 7, 100, 999, 1000}) {
    absl::StatusOr<int> size = NormalizePageSize(requested);
    ASSERT_TRUE(size.ok()) << size.status();
    EXPECT_EQ(*size, requested);
  }
  absl::StatusOr<int> size = NormalizePageSize(50, 25, 50);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 50);
}

TEST(NormalizePageSizeTest, AboveMaxIsClamped) {
  for (int requested : {1001, 5000, INT_MAX}) {
    absl::StatusOr<int> size = NormalizePageSize(requested);
    ASSERT_TRUE(size.ok()) << size.status();
    EXPECT_EQ(*size, 1000) << requested;
  }
  absl::StatusOr<int> size = NormalizePageSize(51, 25, 50);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 50);
}

TEST(NormalizePageSizeTest, NegativeIsInvalidArgumentNamingPageSize) {
  for (int requested : {-1, -100, INT_MIN}) {
    absl::StatusOr<int> size = NormalizePageSize(requested);
    ASSERT_FALSE(size.ok()) << requested << " gave " << *size;
    EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedField(size.status()), "page_size") << size.status();
  }
}

TEST(CheckPageTest, SizeAndTokenFormAreCheckedTheWayStartPageReadsThem) {
  errors::FieldViolations violations;
  EXPECT_TRUE(CheckPageSize(violations, 0));
  EXPECT_TRUE(CheckPageToken(violations, ""));
  EXPECT_TRUE(CheckPageToken(violations, EncodePageToken(QueryFingerprint("q"), "k")));
  EXPECT_TRUE(violations.empty());
  EXPECT_FALSE(CheckPageSize(violations, -3));
  EXPECT_FALSE(CheckPageToken(violations, "not-a-token!"));
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations.bad_request().field_violations(0).field(), "page_size");
  EXPECT_EQ(violations.bad_request().field_violations(1).field(), "page_token");
  // A token for another query is well formed: only StartPage, which knows
  // the query, refuses it.
  auto other = StartPage(10, EncodePageToken(QueryFingerprint("other"), "k"), "q");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fazhi::storage
