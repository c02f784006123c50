#include "common/text/search_text.h"

#include "gtest/gtest.h"

namespace fazhi::text {
namespace {

TEST(SearchTextTest, FoldsFullWidthFormsAndAsciiCase) {
  EXPECT_EQ(FoldForSearch(U'Ａ'), U'a');
  EXPECT_EQ(FoldForSearch(U'ｚ'), U'z');
  EXPECT_EQ(FoldForSearch(U'７'), U'7');
  EXPECT_EQ(FoldForSearch(U'，'), U',');
  EXPECT_EQ(FoldForSearch(U'Q'), U'q');
  EXPECT_EQ(FoldForSearch(U'法'), U'法');
  EXPECT_EQ(FoldForSearch(U'É'), U'É') << "only ASCII letters change case";
}

TEST(SearchTextTest, LettersDigitsAndIdeographsAreIndexed) {
  for (char32_t c : {U'a', U'Z', U'0', U'9', U'Ａ', U'ｚ', U'０', U'法', U'治', U'é', U'ｱ'}) {
    EXPECT_TRUE(IsIndexedCharacter(c)) << static_cast<uint32_t>(c);
  }
}

TEST(SearchTextTest, SpacesAndPunctuationSeparateWords) {
  for (char32_t c :
       {U' ',  U'\n', U',', U'-',      U'_',      U'，',     U'。',     U'、',    U'【',
        U'】', U'《', U'“', U'”',      U'—',      U'…',      U'！',     U'：',    U'［',
        U'｛', U'～', U'｡', U'\u3000', U'\u00A0', U'\uFEFF', U'\uFFFD', U'\u00B7'}) {
    EXPECT_FALSE(IsIndexedCharacter(c)) << static_cast<uint32_t>(c);
  }
}

// The index folds before it decides, the gateway decides on raw text: both
// must agree for every code point.
TEST(SearchTextTest, FoldingNeverChangesWhetherACharacterIsIndexed) {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    const char32_t folded = FoldForSearch(c);
    ASSERT_EQ(FoldForSearch(folded), folded) << static_cast<uint32_t>(c);
    ASSERT_EQ(IsIndexedCharacter(c), IsIndexedCharacter(folded)) << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace fazhi::text
