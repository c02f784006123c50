#include "common/storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace fazhi::storage {
namespace {

using std::string_literals::operator""s;

// -1, 0, 1 as `a` sorts before, with or after `b`, bytes compared as unsigned
// (the order RocksDB's default comparator uses). Written out rather than
// relying on std::string::compare so the test states its own oracle.
int CompareBytes(const std::string& a, const std::string& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

template <typename T>
int CompareValues(const T& a, const T& b) {
  if (a < b) return -1;
  return b < a ? 1 : 0;
}

int Sign(int v) { return (v > 0) - (v < 0); }

std::string EncodeString(const std::string& s) { return KeyBuilder('s').AddString(s).Build(); }

// ---------------------------------------------------------------------------
// Byte layout, as documented in key_codec.h.

TEST(KeyBuilderTest, MatchesDocumentedByteLayout) {
  EXPECT_EQ(KeyBuilder('t').Build(), "t");
  EXPECT_EQ(KeyBuilder('t').AddUint32(2023).Build(), "t\x00\x00\x07\xe7"s);
  EXPECT_EQ(KeyBuilder('t').AddUint64(0x0102030405060708ull).Build(),
            "t\x01\x02\x03\x04\x05\x06\x07\x08"s);
  EXPECT_EQ(KeyBuilder('t').AddString("ab").Build(),
            "t"
            "ab\x00\x01"s);
  EXPECT_EQ(KeyBuilder('t').AddString("a\0b"s).Build(),
            "t"
            "a\x00\xff"
            "b\x00\x01"s);
  EXPECT_EQ(KeyBuilder('t').AddString("").Build(), "t\x00\x01"s);
  // The catalogue's project-by-region index example from the header.
  EXPECT_EQ(
      KeyBuilder('r').AddString("310113").AddUint32(2023).AddString("y2023-excellent").Build(),
      "r"
      "310113\x00\x01"
      "\x00\x00\x07\xe7"
      "y2023-excellent\x00\x01"s);
}

TEST(KeyBuilderTest, BuildCanBeCalledRepeatedlyAndBuilderCopied) {
  KeyBuilder builder('p');
  builder.AddString("310113");
  const std::string first = builder.Build();
  EXPECT_EQ(builder.Build(), first);
  KeyBuilder copy = builder;
  copy.AddUint32(7);
  EXPECT_EQ(builder.Build(), first) << "extending a copy must not change the original";
  EXPECT_EQ(copy.Build(), first + "\x00\x00\x00\x07"s);
}

// ---------------------------------------------------------------------------
// Round trips.

TEST(KeyReaderTest, RoundTripsUint32) {
  for (uint32_t value : {0u, 1u, 255u, 256u, 2023u, 0x7fffffffu, 0x80000000u, 0xfffffffeu,
                         std::numeric_limits<uint32_t>::max()}) {
    const std::string key = KeyBuilder('u').AddUint32(value).Build();
    ASSERT_EQ(key.size(), 5u);
    KeyReader reader(key);
    char tag = 0;
    uint32_t got = 0;
    ASSERT_TRUE(reader.ReadTag(&tag));
    ASSERT_TRUE(reader.ReadUint32(&got)) << value;
    EXPECT_EQ(tag, 'u');
    EXPECT_EQ(got, value);
    EXPECT_TRUE(reader.Done());
  }
}

TEST(KeyReaderTest, RoundTripsUint64) {
  for (uint64_t value : {uint64_t{0}, uint64_t{1}, uint64_t{0xff}, uint64_t{0x100},
                         uint64_t{0xffffffff}, uint64_t{0x100000000}, uint64_t{0x7fffffffffffffff},
                         uint64_t{0x8000000000000000}, std::numeric_limits<uint64_t>::max()}) {
    const std::string key = KeyBuilder('u').AddUint64(value).Build();
    ASSERT_EQ(key.size(), 9u);
    KeyReader reader(key);
    char tag = 0;
    uint64_t got = 0;
    ASSERT_TRUE(reader.ReadTag(&tag));
    ASSERT_TRUE(reader.ReadUint64(&got)) << value;
    EXPECT_EQ(got, value);
    EXPECT_TRUE(reader.Done());
  }
}

TEST(KeyReaderTest, RoundTripsStrings) {
  const std::vector<std::string> cases = {
      "",
      "a",
      "regions/310113",
      "\0"s,
      "\0\0"s,
      "a\0b"s,
      "a\0"s,
      "\0a"s,
      "\xff",
      "\xff\xff",
      "\0\xff"s,
      "\xff\0"s,
      "\0\x01"s,  // looks like a terminator once the escape is ignored
      "\x01",
      "上海市浦东新区",
      "法治政府建设年度报告（2023年）",
      "\xF0\x9F\x98\x80",  // U+1F600, four bytes
      std::string(1000, '\0'),
      std::string(300, '\xff'),
  };
  for (const std::string& value : cases) {
    const std::string key = EncodeString(value);
    KeyReader reader(key);
    char tag = 0;
    std::string got = "not overwritten";
    ASSERT_TRUE(reader.ReadTag(&tag));
    ASSERT_TRUE(reader.ReadString(&got)) << ::testing::PrintToString(value);
    EXPECT_EQ(got, value);
    EXPECT_TRUE(reader.Done());
  }
}

TEST(KeyReaderTest, RoundTripsMixedComponents) {
  const std::string key = KeyBuilder('r')
                              .AddString("310113")
                              .AddUint32(2023)
                              .AddString("a\0\xff"s)
                              .AddUint64(42)
                              .AddString("")
                              .AddString("浦东")
                              .Build();
  KeyReader reader(key);
  char tag = 0;
  std::string region, name, empty, cjk;
  uint32_t year = 0;
  uint64_t n = 0;
  ASSERT_TRUE(reader.ReadTag(&tag));
  ASSERT_TRUE(reader.ReadString(&region));
  ASSERT_TRUE(reader.ReadUint32(&year));
  ASSERT_TRUE(reader.ReadString(&name));
  ASSERT_TRUE(reader.ReadUint64(&n));
  ASSERT_TRUE(reader.ReadString(&empty));
  EXPECT_FALSE(reader.Done());
  ASSERT_TRUE(reader.ReadString(&cjk));
  EXPECT_TRUE(reader.Done());
  EXPECT_EQ(tag, 'r');
  EXPECT_EQ(region, "310113");
  EXPECT_EQ(year, 2023u);
  EXPECT_EQ(name, "a\0\xff"s);
  EXPECT_EQ(n, 42u);
  EXPECT_EQ(empty, "");
  EXPECT_EQ(cjk, "浦东");
}

// ---------------------------------------------------------------------------
// Rejection of malformed and truncated keys.

TEST(KeyReaderTest, RejectsEmptyKey) {
  KeyReader reader("");
  char tag = 0;
  EXPECT_TRUE(reader.Done());
  EXPECT_FALSE(reader.ReadTag(&tag));
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  std::string s;
  EXPECT_FALSE(KeyReader("").ReadUint32(&u32));
  EXPECT_FALSE(KeyReader("").ReadUint64(&u64));
  EXPECT_FALSE(KeyReader("").ReadString(&s));
}

TEST(KeyReaderTest, RejectsEveryTruncationOfAKey) {
  // Strings with escapes at the end, so cuts fall inside escapes and inside
  // terminators as well as inside the integers.
  const std::string key = KeyBuilder('k')
                              .AddString("a\0"s)
                              .AddUint32(0x01020304)
                              .AddString("\0\xff\0"s)
                              .AddUint64(0xfffffffffffffffful)
                              .AddString("法")
                              .Build();
  // Sanity: the whole key reads.
  {
    KeyReader reader(key);
    char tag;
    std::string s1, s2, s3;
    uint32_t u32;
    uint64_t u64;
    ASSERT_TRUE(reader.ReadTag(&tag) && reader.ReadString(&s1) && reader.ReadUint32(&u32) &&
                reader.ReadString(&s2) && reader.ReadUint64(&u64) && reader.ReadString(&s3));
    ASSERT_TRUE(reader.Done());
  }
  for (size_t len = 0; len < key.size(); ++len) {
    const std::string truncated = key.substr(0, len);
    KeyReader reader(truncated);
    char tag;
    std::string s1, s2, s3;
    uint32_t u32;
    uint64_t u64;
    const bool read_all = reader.ReadTag(&tag) && reader.ReadString(&s1) &&
                          reader.ReadUint32(&u32) && reader.ReadString(&s2) &&
                          reader.ReadUint64(&u64) && reader.ReadString(&s3);
    EXPECT_FALSE(read_all) << "a key cut to " << len << " of " << key.size()
                           << " bytes was read as complete";
  }
}

TEST(KeyReaderTest, RejectsTruncatedIntegers) {
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  EXPECT_FALSE(KeyReader("\x00\x00\x07"s).ReadUint32(&u32));
  EXPECT_FALSE(KeyReader("\x00\x00\x00\x00\x00\x00\x07"s).ReadUint64(&u64));
  EXPECT_TRUE(KeyReader("\x00\x00\x07\xe7"s).ReadUint32(&u32));
  EXPECT_EQ(u32, 2023u);
}

TEST(KeyReaderTest, RejectsMalformedStrings) {
  const std::vector<std::string> bad = {
      "abc",         // no terminator
      "abc\0"s,      // half a terminator
      "a\0\x02"s,    // 00 followed by neither 01 nor ff
      "a\0\0\x01"s,  // unescaped NUL
      "a\0\xff"s,    // escape but no terminator
      "\0"s,         // half a terminator only
  };
  for (const std::string& bytes : bad) {
    std::string value = "untouched";
    KeyReader reader(bytes);
    EXPECT_FALSE(reader.ReadString(&value)) << ::testing::PrintToString(bytes);
  }
}

TEST(KeyReaderTest, StringReadStopsAtItsOwnTerminator) {
  // The bytes after a string's terminator belong to the next component.
  const std::string key =
      "ab\x00\x01\x00\x01"
      "cd"s;
  KeyReader reader(key);
  std::string a, b = "x", c;
  ASSERT_TRUE(reader.ReadString(&a));
  EXPECT_EQ(a, "ab");
  EXPECT_FALSE(reader.Done());
  ASSERT_TRUE(reader.ReadString(&b));
  EXPECT_EQ(b, "");
  EXPECT_FALSE(reader.Done()) << "\"cd\" is left";
  EXPECT_FALSE(reader.ReadString(&c)) << "\"cd\" has no terminator";
}

// ---------------------------------------------------------------------------
// Order preservation.

TEST(KeyOrderTest, ShorterStringSortsFirst) {
  const std::string a = EncodeString("a");
  const std::string ab = EncodeString("ab");
  const std::string b = EncodeString("b");
  const std::string a0 = EncodeString("a\0"s);
  const std::string empty = EncodeString("");
  EXPECT_LT(CompareBytes(a, ab), 0);
  EXPECT_LT(CompareBytes(ab, b), 0);
  EXPECT_LT(CompareBytes(a, b), 0);
  EXPECT_LT(CompareBytes(a, a0), 0) << "\"a\" < \"a\\0\" must hold after encoding";
  EXPECT_LT(CompareBytes(a0, EncodeString("a\x01")), 0);
  EXPECT_LT(CompareBytes(empty, EncodeString("\0"s)), 0);
  EXPECT_LT(CompareBytes(empty, a), 0);
  // Bytes >= 0x80 (UTF-8 of CJK) sort after ASCII, compared unsigned.
  EXPECT_LT(CompareBytes(EncodeString("z"), EncodeString("上")), 0);
  EXPECT_LT(CompareBytes(EncodeString("\x7f"), EncodeString("\x80")), 0);
  EXPECT_LT(CompareBytes(EncodeString("\xfe"), EncodeString("\xff")), 0);
  EXPECT_LT(CompareBytes(EncodeString("\xff"), EncodeString("\xff\0"s)), 0);
  // The string ends before the next component: ("a", 0xffffffff) < ("ab", 0).
  EXPECT_LT(CompareBytes(KeyBuilder('t').AddString("a").AddUint32(0xffffffff).Build(),
                         KeyBuilder('t').AddString("ab").AddUint32(0).Build()),
            0);
  EXPECT_LT(CompareBytes(KeyBuilder('t').AddString("a").AddString("\xff\xff").Build(),
                         KeyBuilder('t').AddString("a\0"s).AddString("").Build()),
            0);
}

TEST(KeyOrderTest, IntegersSortNumerically) {
  const std::vector<uint64_t> values = {0,
                                        1,
                                        0xff,
                                        0x100,
                                        0x7fffffff,
                                        0x80000000,
                                        0xffffffff,
                                        0x100000000,
                                        0x7fffffffffffffff,
                                        0x8000000000000000,
                                        0xffffffffffffffff};
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_LT(CompareBytes(KeyBuilder('t').AddUint64(values[i]).Build(),
                           KeyBuilder('t').AddUint64(values[i + 1]).Build()),
              0)
        << values[i] << " vs " << values[i + 1];
    if (values[i + 1] <= 0xffffffff) {
      EXPECT_LT(
          CompareBytes(KeyBuilder('t').AddUint32(static_cast<uint32_t>(values[i])).Build(),
                       KeyBuilder('t').AddUint32(static_cast<uint32_t>(values[i + 1])).Build()),
          0)
          << values[i] << " vs " << values[i + 1];
    }
  }
}

// Random components from small domains, so that equal values, shared
// prefixes, NULs and 0xff bytes are all common.
class RandomComponents {
 public:
  explicit RandomComponents(uint32_t seed) : rng_(seed) {}

  std::string String() {
    static const char kAlphabet[] = {'\0', '\x01', 'a', 'b', '\x7f', '\x80', '\xfe', '\xff'};
    const int length = std::uniform_int_distribution<int>(0, 4)(rng_);
    std::string s;
    for (int i = 0; i < length; ++i) {
      s.push_back(kAlphabet[std::uniform_int_distribution<size_t>(0, sizeof(kAlphabet) - 1)(rng_)]);
    }
    return s;
  }

  uint32_t Uint32() {
    switch (std::uniform_int_distribution<int>(0, 3)(rng_)) {
      case 0:
        return std::uniform_int_distribution<uint32_t>(0, 3)(rng_);
      case 1:
        return std::uniform_int_distribution<uint32_t>(0xfffffffc, 0xffffffff)(rng_);
      case 2:
        // Values differing only in a high byte.
        return std::uniform_int_distribution<uint32_t>(0, 3)(rng_) << 24;
      default:
        return std::uniform_int_distribution<uint32_t>()(rng_);
    }
  }

  uint64_t Uint64() {
    switch (std::uniform_int_distribution<int>(0, 3)(rng_)) {
      case 0:
        return std::uniform_int_distribution<uint64_t>(0, 3)(rng_);
      case 1:
        return std::uniform_int_distribution<uint64_t>(0, 3)(rng_) << 56;
      case 2:
        return std::numeric_limits<uint64_t>::max() -
               std::uniform_int_distribution<uint64_t>(0, 3)(rng_);
      default:
        return std::uniform_int_distribution<uint64_t>()(rng_);
    }
  }

 private:
  std::mt19937 rng_;
};

// Strings compare bytewise, unsigned.
struct ByteString {
  std::string bytes;
  bool operator<(const ByteString& other) const { return CompareBytes(bytes, other.bytes) < 0; }
};

TEST(KeyOrderTest, RandomTuplesOrderAsTheirComponents) {
  using Tuple = std::tuple<ByteString, uint32_t, ByteString, uint64_t, ByteString>;
  auto encode = [](const Tuple& t) {
    return KeyBuilder('x')
        .AddString(std::get<0>(t).bytes)
        .AddUint32(std::get<1>(t))
        .AddString(std::get<2>(t).bytes)
        .AddUint64(std::get<3>(t))
        .AddString(std::get<4>(t).bytes)
        .Build();
  };
  RandomComponents random(20240601);
  auto make = [&random]() {
    return Tuple{
        {random.String()}, random.Uint32(), {random.String()}, random.Uint64(), {random.String()}};
  };
  int less = 0, equal = 0, greater = 0;
  for (int i = 0; i < 20000; ++i) {
    Tuple a = make();
    // Often derive b from a, so that ties in leading components are common.
    Tuple b = a;
    switch (i % 6) {
      case 0:
        b = make();
        break;
      case 1:
        std::get<0>(b) = {random.String()};
        break;
      case 2:
        std::get<1>(b) = random.Uint32();
        break;
      case 3:
        std::get<2>(b) = {random.String()};
        break;
      case 4:
        std::get<3>(b) = random.Uint64();
        break;
      case 5:
        std::get<4>(b) = {random.String()};
        break;
    }
    const int want = CompareValues(a, b);
    const int got = Sign(CompareBytes(encode(a), encode(b)));
    ASSERT_EQ(got, want) << "tuples #" << i << ": "
                         << ::testing::PrintToString(std::get<0>(a).bytes) << "," << std::get<1>(a)
                         << "," << ::testing::PrintToString(std::get<2>(a).bytes) << ","
                         << std::get<3>(a) << "," << ::testing::PrintToString(std::get<4>(a).bytes)
                         << " vs " << ::testing::PrintToString(std::get<0>(b).bytes) << ","
                         << std::get<1>(b) << "," << ::testing::PrintToString(std::get<2>(b).bytes)
                         << "," << std::get<3>(b) << ","
                         << ::testing::PrintToString(std::get<4>(b).bytes);
    (want < 0 ? less : want > 0 ? greater : equal)++;
  }
  // The generator must exercise every outcome, or the test proves little.
  EXPECT_GT(less, 1000);
  EXPECT_GT(greater, 1000);
  EXPECT_GT(equal, 100);
}

TEST(KeyOrderTest, SortingEncodedKeysSortsTheStrings) {
  RandomComponents random(7);
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) values.push_back(random.String());
  values.push_back("上海");
  values.push_back("上海市");
  values.push_back("北京");
  std::vector<std::string> by_value = values;
  std::sort(by_value.begin(), by_value.end(),
            [](const std::string& a, const std::string& b) { return CompareBytes(a, b) < 0; });
  std::vector<std::string> by_key = values;
  std::sort(by_key.begin(), by_key.end(), [](const std::string& a, const std::string& b) {
    return CompareBytes(EncodeString(a), EncodeString(b)) < 0;
  });
  EXPECT_EQ(by_key, by_value);
}

// ---------------------------------------------------------------------------
// Prefix property: a scan over the prefix of one string component never
// visits a key whose component is a different string.

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

TEST(KeyPrefixTest, NoStringEncodingIsAPrefixOfAnother) {
  RandomComponents random(99);
  std::vector<std::string> values = {"", "a", "ab", "a\0"s, "\0"s, "\0\x01"s, "\xff", "上", "上海"};
  for (int i = 0; i < 300; ++i) values.push_back(random.String());
  for (const std::string& a : values) {
    const std::string ea = EncodeString(a);
    for (const std::string& b : values) {
      if (a == b) continue;
      ASSERT_FALSE(StartsWith(EncodeString(b), ea))
          << ::testing::PrintToString(a) << " encodes to a prefix of "
          << ::testing::PrintToString(b);
    }
  }
}

TEST(KeyPrefixTest, PrefixOfLeadingComponentsSelectsExactlyThoseKeys) {
  // Keys (region, year); a scan for region "31" must not see region "310113"
  // nor "31\0".
  const std::string prefix = KeyBuilder('r').AddString("31").Build();
  EXPECT_TRUE(StartsWith(KeyBuilder('r').AddString("31").AddUint32(2023).Build(), prefix));
  EXPECT_FALSE(StartsWith(KeyBuilder('r').AddString("310113").AddUint32(2023).Build(), prefix));
  EXPECT_FALSE(StartsWith(KeyBuilder('r').AddString("31\0"s).AddUint32(2023).Build(), prefix));
  EXPECT_FALSE(StartsWith(KeyBuilder('r').AddString("3").AddUint32(2023).Build(), prefix));
}

// ---------------------------------------------------------------------------
// PrefixSuccessor.

TEST(PrefixSuccessorTest, Cases) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor("a"), "b");
  EXPECT_EQ(PrefixSuccessor("\0"s), "\x01");
  EXPECT_EQ(PrefixSuccessor("a\0"s), "a\x01");
  EXPECT_EQ(PrefixSuccessor("\x7f"), "\x80");
  EXPECT_EQ(PrefixSuccessor("\xfe"), "\xff");
  EXPECT_EQ(PrefixSuccessor("a\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xfe\xff"), "a\xff");
  EXPECT_EQ(PrefixSuccessor("\xff"), "");
  EXPECT_EQ(PrefixSuccessor("\xff\xff\xff"), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

TEST(PrefixSuccessorTest, BoundsEveryKeyWithThePrefixAndNoOther) {
  const std::vector<std::string> prefixes = {
      KeyBuilder('r').Build(),
      KeyBuilder('r').AddString("310113").Build(),
      KeyBuilder('r').AddUint32(0xffffffff).Build(),
      KeyBuilder('r').AddString("a").AddUint64(0xffffffffffffffff).Build(),
      "a\xff\xff",
  };
  RandomComponents random(3);
  for (const std::string& prefix : prefixes) {
    const std::string successor = PrefixSuccessor(prefix);
    ASSERT_FALSE(successor.empty());
    EXPECT_GT(CompareBytes(successor, prefix), 0);
    for (int i = 0; i < 200; ++i) {
      // Keys that extend the prefix sort below the successor.
      const std::string inside = prefix + random.String() + random.String();
      EXPECT_LT(CompareBytes(inside, successor), 0) << ::testing::PrintToString(inside);
      // The successor itself and keys after it do not start with the prefix.
      const std::string after = successor + random.String();
      EXPECT_FALSE(StartsWith(after, prefix));
    }
    EXPECT_LT(CompareBytes(prefix + std::string(64, '\xff'), successor), 0);
  }
}

TEST(BareComponentTest, EncodesAsAKeyComponentAndReadsBack) {
  EXPECT_EQ(EncodeUint32(2023), std::string("\x00\x00\x07\xe7", 4));
  EXPECT_EQ(EncodeUint64(42), KeyBuilder('t').AddUint64(42).Build().substr(1));
  uint64_t read = 0;
  KeyReader reader(EncodeUint64(0x0102030405060708ull));
  ASSERT_TRUE(reader.ReadUint64(&read));
  EXPECT_TRUE(reader.Done());
  EXPECT_EQ(read, 0x0102030405060708ull);
}

}  // namespace
}  // namespace fazhi::storage
