// Unit tests of services/report/report_search.h: bigrams, positions, query
// parsing and phrase matching.
#include "services/report/report_search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fazhi::report::search {
namespace {

using ::testing::ElementsAre;

TEST(ReportSearchTest, BigramsSkipPunctuationAndFoldFullWidth) {
  const auto bigrams = IndexBigrams("行政复议，ＡＢ行政");
  const auto xz = TermBigrams(U"行政")[0];
  ASSERT_TRUE(bigrams.count(xz));
  EXPECT_THAT(bigrams.at(xz), ElementsAre(0u, 7u));
  EXPECT_EQ(bigrams.count(TermBigrams(U"议a")[0]), 0u) << "the comma breaks the run";
  EXPECT_EQ(bigrams.count(TermBigrams(U"ab")[0]), 1u) << "ＡＢ folds to ab";
}

TEST(ReportSearchTest, PositionsRoundTrip) {
  const std::vector<uint32_t> positions = {0, 1, 127, 128, 70000, 4000000};
  std::vector<uint32_t> back;
  ASSERT_TRUE(DecodePositions(EncodePositions(positions), &back));
  EXPECT_EQ(back, positions);
  EXPECT_FALSE(DecodePositions("\x80", &back));
}

TEST(ReportSearchTest, DocumentPostingsRoundTripAndRejectMalformedBytes) {
  const auto bigrams = IndexBigrams("行政复议，行政复议ab");
  const std::string bytes = EncodeDocumentPostings(bigrams);
  std::vector<DocumentPosting> back;
  ASSERT_TRUE(DecodeDocumentPostings(bytes, &back));
  ASSERT_EQ(back.size(), bigrams.size());
  size_t i = 0;
  for (const auto& [bigram, positions] : bigrams) {
    EXPECT_EQ(back[i].bigram, bigram);
    EXPECT_EQ(back[i].positions, EncodePositions(positions));
    ++i;
  }
  EXPECT_TRUE(DecodeDocumentPostings("", &back));
  EXPECT_TRUE(back.empty());
  EXPECT_FALSE(DecodeDocumentPostings(bytes.substr(0, bytes.size() - 1), &back));
  EXPECT_FALSE(DecodeDocumentPostings(std::string("\x05\x09\x00", 3), &back))
      << "size past the end";
  EXPECT_FALSE(DecodeDocumentPostings(std::string("\x05\x01\x00\x00\x01\x00", 6), &back))
      << "a bigram twice";
}

TEST(ReportSearchTest, BlocksRoundTripAndRejectMalformedBytes) {
  const std::string a = EncodePositions({3, 9}), b = EncodePositions({0}),
                    c = EncodePositions({1, 200, 70000});
  const std::string block = EncodeBlock({{100, a}, {101, b}, {5000, c}});
  std::vector<BlockEntry> back;
  ASSERT_TRUE(DecodeBlock(100, block, &back));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].doc, 100u);
  EXPECT_EQ(back[1].doc, 101u);
  EXPECT_EQ(back[2].doc, 5000u);
  EXPECT_EQ(back[0].positions, a);
  EXPECT_EQ(back[2].positions, c);
  BlockReader reader(100, block);
  ASSERT_TRUE(reader.Start());
  EXPECT_EQ(reader.last_doc(), 5000u);

  // Cut short, a size past the end, a repeated document, a bad header.
  EXPECT_FALSE(DecodeBlock(100, block.substr(0, block.size() - 1), &back));
  EXPECT_FALSE(DecodeBlock(100, block.substr(0, block.size() - c.size() - 2), &back))
      << "ends before its last document";
  EXPECT_FALSE(DecodeBlock(100, std::string("\x00\x00\x05\x01", 4), &back));
  EXPECT_FALSE(DecodeBlock(0, std::string("\x01\x00\x01\x01\x00\x01\x01", 7), &back));
  EXPECT_FALSE(DecodeBlock(0, "", &back));
  EXPECT_FALSE(DecodeBlock(0, "\xff\xff\xff\xff\xff", &back));
}

TEST(ReportSearchTest, QueryTermsNeedTwoCharacters) {
  auto terms = ParseQuery(" 行政复议  出庭应诉率 ");
  ASSERT_TRUE(terms.ok());
  EXPECT_THAT(*terms, ElementsAre(U"行政复议", U"出庭应诉率"));
  EXPECT_FALSE(ParseQuery("法").ok());
  EXPECT_FALSE(ParseQuery("  ，。 ").ok());
  EXPECT_FALSE(ParseQuery(std::string(201, 'a')).ok());
}

TEST(ReportSearchTest, PhraseMatchesNeedConsecutiveBigrams) {
  const auto index = IndexBigrams("行政复议和复议行政，行政复议");
  std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> parts;
  for (const auto& part : CoveringBigrams(U"行政复议")) {
    parts.emplace_back(&index.at(part.bigram), part.offset);
  }
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_THAT(PhraseMatches(parts), ElementsAre(0u, 10u));
  // "复议行政复" is not there although 复议, 行政 and 政复 all are.
  parts.clear();
  for (const auto& part : CoveringBigrams(U"复议行政复")) {
    parts.emplace_back(&index.at(part.bigram), part.offset);
  }
  EXPECT_THAT(PhraseMatches(parts), ElementsAre());
}

TEST(ReportSearchTest, CoveringBigramsCoverEveryCharacter) {
  const auto five = CoveringBigrams(U"出庭应诉率");
  ASSERT_EQ(five.size(), 3u);
  EXPECT_EQ(five[0].offset, 0u);
  EXPECT_EQ(five[1].offset, 2u);
  EXPECT_EQ(five[2].offset, 3u);
  EXPECT_EQ(CoveringBigrams(U"法治").size(), 1u);
}

}  // namespace
}  // namespace fazhi::report::search
