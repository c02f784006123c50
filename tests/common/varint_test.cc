// Tests of common/storage/varint.h.
#include "common/storage/varint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace fazhi::storage {
namespace {

TEST(VarintTest, RoundTripsAndLeavesTheRest) {
  std::string bytes;
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, UINT64_MAX}) {
    AppendVarint(bytes, v);
  }
  bytes += "tail";
  EXPECT_EQ(bytes.substr(0, 5), std::string("\x00\x7f\x80\x01\xac", 5));
  absl::string_view in = bytes;
  for (uint64_t want : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, UINT64_MAX}) {
    uint64_t got = 1;
    ASSERT_TRUE(ReadVarint(in, &got));
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(in, "tail");
}

TEST(VarintTest, RefusesATruncatedOrOverlongVarintAndKeepsTheInput) {
  absl::string_view truncated("\x80\x80", 2);
  uint64_t v = 0;
  EXPECT_FALSE(ReadVarint(truncated, &v));
  EXPECT_EQ(truncated.size(), 2u);
  // Eleven continuation bytes: past 64 bits.
  const std::string overlong(11, '\x80');
  absl::string_view in = overlong;
  EXPECT_FALSE(ReadVarint(in, &v));
  // ReadVarint32 takes at most five bytes and keeps the low 32 bits.
  std::string five;
  AppendVarint(five, UINT32_MAX);
  absl::string_view in32 = five;
  uint32_t v32 = 0;
  ASSERT_TRUE(ReadVarint32(in32, &v32));
  EXPECT_EQ(v32, UINT32_MAX);
  std::string six;
  AppendVarint(six, uint64_t{1} << 35);
  absl::string_view in_six = six;
  EXPECT_FALSE(ReadVarint32(in_six, &v32));
}

}  // namespace
}  // namespace fazhi::storage
