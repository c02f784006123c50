#include "common/text/utf8.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace fazhi::text {
namespace {

TEST(IsValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc 123"));
  EXPECT_TRUE(IsValidUtf8("法治政府"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
}

TEST(IsValidUtf8Test, RejectsIllFormedText) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE6\xB3"));  // truncated 法
  EXPECT_FALSE(
      IsValidUtf8("\xE6\xB3"
                  "a"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(DecodeUtf8Test, DecodesCodePoints) {
  absl::StatusOr<std::u32string> decoded = DecodeUtf8("a法\xF0\x9F\x98\x80");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, std::u32string({U'a', U'法', 0x1F600}));
}

TEST(DecodeUtf8Test, ReportsOffsetOfFirstBadByte) {
  absl::StatusOr<std::u32string> decoded = DecodeUtf8("法\xC0\x80");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(decoded.status().message().find("byte offset 3"),
            absl::string_view::npos)
      << decoded.status();
}

TEST(EncodeUtf8Test, RoundTrips) {
  const std::string text = "共收到348件,占比83.8％ \xF0\x9F\x98\x80";
  absl::StatusOr<std::u32string> decoded = DecodeUtf8(text);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(EncodeUtf8(*decoded), text);
}

TEST(EncodeUtf8Test, ReplacesNonScalarValues) {
  const std::u32string bad = {U'a', static_cast<char32_t>(0xD800),
                              static_cast<char32_t>(0x110000)};
  EXPECT_EQ(EncodeUtf8(bad), "a\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string out;
  AppendUtf8(U'件', &out);
  EXPECT_EQ(out, "件");
}

TEST(DecodeCodePointAtTest, ReturnsLengthOrZero) {
  char32_t code_point = 0;
  EXPECT_EQ(DecodeCodePointAt("a法", 1, &code_point), 3u);
  EXPECT_EQ(code_point, U'法');
  EXPECT_EQ(DecodeCodePointAt("a法", 2, &code_point), 0u);
  EXPECT_EQ(DecodeCodePointAt("a法", 4, &code_point), 0u);
  EXPECT_EQ(code_point, U'法');
}

TEST(CodePointCountTest, CountsBadBytesOneEach) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("累计147亿余元"), 8u);
  EXPECT_EQ(CodePointCount("a\xE6\xB3"
                           "b"),
            4u);  // a, 2 bad bytes, b
  EXPECT_EQ(CodePointCount("\xFF\xFE"), 2u);
}

TEST(DecodeUtf8LenientTest, KeepsByteOffsets) {
  const std::string text = "a\xFF法";
  CodePoints decoded = DecodeUtf8Lenient(text);
  EXPECT_EQ(decoded.chars,
            std::u32string({U'a', kReplacementCharacter, U'法'}));
  EXPECT_EQ(decoded.byte_offsets, (std::vector<size_t>{0, 1, 2, 5}));
  EXPECT_EQ(DecodeUtf8Lenient("").byte_offsets, std::vector<size_t>{0});
}

TEST(SubstrByCodePointsTest, SlicesAndClamps) {
  const std::string text = "累计避损147亿余元";
  EXPECT_EQ(SubstrByCodePoints(text, 4, 10), "147亿余元");
  EXPECT_EQ(SubstrByCodePoints(text, 0, 2), "累计");
  EXPECT_EQ(SubstrByCodePoints(text, 8, 100), "余元");
  EXPECT_EQ(SubstrByCodePoints(text, 5, 5), "");
  EXPECT_EQ(SubstrByCodePoints(text, 6, 2), "");
  EXPECT_EQ(SubstrByCodePoints("a\xFF"
                               "b",
                               1, 2),
            "\xFF");
}

}  // namespace
}  // namespace fazhi::text
