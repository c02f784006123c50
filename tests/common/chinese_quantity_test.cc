#include "common/text/chinese_quantity.h"

#include <chrono>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/text/quantity_proto.h"
#include "common/text/utf8.h"
#include "gtest/gtest.h"

#ifndef FAZHI_SEEDS_DIR
#error "FAZHI_SEEDS_DIR must name the directory of the seed documents"
#endif

namespace fazhi::text {
namespace {

struct Expected {
  std::string decimal;
  std::string mantissa;
  Multiplier multiplier;
  Qualifier qualifier;
  std::string measure_word;
};

void ExpectQuantity(const ChineseQuantity& q, const Expected& e) {
  EXPECT_EQ(q.decimal, e.decimal);
  EXPECT_EQ(q.mantissa, e.mantissa);
  EXPECT_EQ(MultiplierName(q.multiplier), MultiplierName(e.multiplier));
  EXPECT_EQ(QualifierName(q.qualifier), QualifierName(e.qualifier));
  EXPECT_EQ(q.measure_word, e.measure_word);
}

void ExpectParses(absl::string_view phrase, const Expected& e) {
  SCOPED_TRACE(phrase);
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity(phrase);
  ASSERT_TRUE(q.ok()) << q.status();
  ExpectQuantity(*q, e);
  EXPECT_EQ(q->text, phrase);
  EXPECT_EQ(q->begin, 0u);
  EXPECT_EQ(q->end, CodePointCount(phrase));
}

void ExpectRejected(absl::string_view phrase) {
  SCOPED_TRACE(phrase);
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity(phrase);
  ASSERT_FALSE(q.ok()) << "parsed as " << q->decimal;
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(q.status().message().empty());
}

// The span of every quantity must cover exactly its text.
void ExpectSpansMatch(absl::string_view text, const std::vector<ChineseQuantity>& found) {
  for (const ChineseQuantity& q : found) {
    EXPECT_EQ(SubstrByCodePoints(text, q.begin, q.end), q.text);
    EXPECT_EQ(q.end - q.begin, CodePointCount(q.text));
  }
}

std::vector<std::string> Texts(const std::vector<ChineseQuantity>& found) {
  std::vector<std::string> texts;
  for (const ChineseQuantity& q : found) texts.push_back(q.text);
  return texts;
}

std::vector<std::string> Decimals(const std::vector<ChineseQuantity>& found) {
  std::vector<std::string> decimals;
  for (const ChineseQuantity& q : found) decimals.push_back(q.decimal);
  return decimals;
}

using Strings = std::vector<std::string>;
using M = Multiplier;
using Q = Qualifier;

// ---------------------------------------------------------------------------
// ParseChineseQuantity

TEST(ParseChineseQuantityTest, PlainCount) {
  ExpectParses("348件", {"348", "348", M::kNone, Q::kExact, "件"});
}

TEST(ParseChineseQuantityTest, Percent) {
  ExpectParses("83.8%", {"83.8", "83.8", M::kNone, Q::kExact, "%"});
  ExpectParses("83.8％", {"83.8", "83.8", M::kNone, Q::kExact, "%"});
  ExpectParses("百分之八十", {"80", "80", M::kNone, Q::kExact, "%"});
}

TEST(ParseChineseQuantityTest, WanWithDecimal) {
  ExpectParses("2.8万件", {"28000", "2.8", M::kWan, Q::kExact, "件"});
}

TEST(ParseChineseQuantityTest, YiWithYuAfterUnit) {
  ExpectParses("147亿余元", {"14700000000", "147", M::kYi, Q::kMoreThan, "元"});
}

TEST(ParseChineseQuantityTest, YiYuan) {
  ExpectParses("5.38亿元", {"538000000", "5.38", M::kYi, Q::kExact, "元"});
}

TEST(ParseChineseQuantityTest, NearlyWithoutMeasureWord) {
  ExpectParses("近3000万", {"30000000", "3000", M::kWan, Q::kNearly, ""});
}

TEST(ParseChineseQuantityTest, TrailingPlus) {
  ExpectParses("10万+", {"100000", "10", M::kWan, Q::kMoreThan, ""});
  ExpectParses("10万+人次", {"100000", "10", M::kWan, Q::kMoreThan, "人次"});
}

TEST(ParseChineseQuantityTest, Duo) {
  ExpectParses("4300多家", {"4300", "4300", M::kNone, Q::kMoreThan, "家"});
}

TEST(ParseChineseQuantityTest, BareHundredYu) {
  ExpectParses("百余场", {"100", "1", M::kHundred, Q::kMoreThan, "场"});
  ExpectParses("千余人", {"1000", "1", M::kThousand, Q::kMoreThan, "人"});
}

TEST(ParseChineseQuantityTest, MoreThanPrefix) {
  ExpectParses("超过4万人次", {"40000", "4", M::kWan, Q::kMoreThan, "人次"});
  ExpectParses("逾5.38亿元", {"538000000", "5.38", M::kYi, Q::kMoreThan, "元"});
}

TEST(ParseChineseQuantityTest, AtLeastSuffix) {
  ExpectParses("99.99%以上", {"99.99", "99.99", M::kNone, Q::kAtLeast, "%"});
}

TEST(ParseChineseQuantityTest, SquareMetres) {
  ExpectParses("1500平方米", {"1500", "1500", M::kNone, Q::kExact, "平方米"});
}

TEST(ParseChineseQuantityTest, AtLeastPrefix) {
  ExpectParses("不少于60学时", {"60", "60", M::kNone, Q::kAtLeast, "学时"});
}

TEST(ParseChineseQuantityTest, OtherQualifiers) {
  ExpectParses("不超过5%", {"5", "5", M::kNone, Q::kAtMost, "%"});
  ExpectParses("3天以内", {"3", "3", M::kNone, Q::kAtMost, "天"});
  ExpectParses("约2万人", {"20000", "2", M::kWan, Q::kAbout, "人"});
  ExpectParses("200人左右", {"200", "200", M::kNone, Q::kAbout, "人"});
  ExpectParses("将近20篇", {"20", "20", M::kNone, Q::kNearly, "篇"});
  ExpectParses("5000余万元", {"50000000", "5000", M::kWan, Q::kMoreThan, "元"});
}

TEST(ParseChineseQuantityTest, ChineseNumerals) {
  ExpectParses("十余家", {"10", "10", M::kNone, Q::kMoreThan, "家"});
  ExpectParses("两个", {"2", "2", M::kNone, Q::kExact, "个"});
  ExpectParses("三百", {"300", "300", M::kNone, Q::kExact, ""});
  ExpectParses("一百零五件", {"105", "105", M::kNone, Q::kExact, "件"});
  ExpectParses("一千零十人", {"1010", "1010", M::kNone, Q::kExact, "人"});
  ExpectParses("三千五百万元", {"35000000", "3500", M::kWan, Q::kExact, "元"});
  ExpectParses("十万人", {"100000", "10", M::kWan, Q::kExact, "人"});
  ExpectParses("贰佰元", {"200", "200", M::kNone, Q::kExact, "元"});
}

TEST(ParseChineseQuantityTest, MixedAndCompoundUnits) {
  ExpectParses("1亿2000万元", {"120000000", "12000", M::kWan, Q::kExact, "元"});
  ExpectParses("1.2万亿元", {"1200000000000", "12000", M::kYi, Q::kExact, "元"});
  ExpectParses("1万5000人", {"15000", "15000", M::kNone, Q::kExact, "人"});
  ExpectParses("5千", {"5000", "5", M::kThousand, Q::kExact, ""});
  ExpectParses("5千米", {"5", "5", M::kNone, Q::kExact, "千米"});
  ExpectParses("1.5个百分点", {"1.5", "1.5", M::kNone, Q::kExact, "个百分点"});
}

TEST(ParseChineseQuantityTest, DigitForms) {
  ExpectParses("1,000件", {"1000", "1000", M::kNone, Q::kExact, "件"});
  ExpectParses("1，000件", {"1000", "1000", M::kNone, Q::kExact, "件"});
  ExpectParses("12,345,678元", {"12345678", "12345678", M::kNone, Q::kExact, "元"});
  ExpectParses("１２３件", {"123", "123", M::kNone, Q::kExact, "件"});
  ExpectParses("３．５％", {"3.5", "3.5", M::kNone, Q::kExact, "%"});
  ExpectParses("0.50", {"0.5", "0.5", M::kNone, Q::kExact, ""});
  ExpectParses("0", {"0", "0", M::kNone, Q::kExact, ""});
  ExpectParses("2.80万", {"28000", "2.8", M::kWan, Q::kExact, ""});
  ExpectParses("0.5万", {"5000", "0.5", M::kWan, Q::kExact, ""});
  ExpectParses("1.000000000000000000000000", {"1", "1", M::kNone, Q::kExact, ""});
}

TEST(ParseChineseQuantityTest, TypesetNumbers) {
  ExpectParses("98·3%", {"98.3", "98.3", M::kNone, Q::kExact, "%"});
  ExpectParses("12·3 4%", {"12.34", "12.34", M::kNone, Q::kExact, "%"});
  ExpectParses("1 286件", {"1286", "1286", M::kNone, Q::kExact, "件"});
  ExpectParses("1,0\n86件", {"1086", "1086", M::kNone, Q::kExact, "件"});
  ExpectParses("2.8万人次", {"28000", "2.8", M::kWan, Q::kExact, "人次"});
  ExpectRejected("1,23件");
  ExpectRejected("12 34件");
}

TEST(ParseChineseQuantityTest, TrimsWhiteSpace) {
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity("  348件\u3000");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->text, "348件");
  EXPECT_EQ(q->begin, 2u);
  EXPECT_EQ(q->end, 6u);
}

TEST(ParseChineseQuantityTest, Value) {
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity("147亿余元");
  ASSERT_TRUE(q.ok());
  EXPECT_DOUBLE_EQ(q->value(), 14700000000.0);
  q = ParseChineseQuantity("83.8%");
  ASSERT_TRUE(q.ok());
  EXPECT_DOUBLE_EQ(q->value(), 83.8);
}

TEST(ParseChineseQuantityTest, RejectsNonQuantities) {
  ExpectRejected("");
  ExpectRejected("   ");
  ExpectRejected("件");
  ExpectRejected("法治政府");
  ExpectRejected("2023年");
  ExpectRejected("2月24日");
  ExpectRejected("11月底");
  ExpectRejected("7号线");
  ExpectRejected("第二");
  ExpectRejected("第3批");
  ExpectRejected("二〇二三");
  ExpectRejected("十三五");
  ExpectRejected("3-4家");
  ExpectRejected("2013-2015年");
  ExpectRejected("348件、72件");
  ExpectRejected("348件abc");
  ExpectRejected("近");
  ExpectRejected("2023.12.31");
  ExpectRejected("一百五");
  ExpectRejected("两万三");
  ExpectRejected("万万");
  ExpectRejected("1万20000");
  ExpectRejected("123456789012345678901234件");
  ExpectRejected("999999999999亿");
  // More fraction digits than a canonical decimal holds, even with only
  // zeros before them (found by tests/fuzz: the coefficient never
  // overflowed, so the decimal grew without bound).
  ExpectRejected("0.0000000000000000000000000000000000000050510061%");
  ExpectRejected("1.0000000000000000001件");
  ExpectRejected(
      "34\xFF"
      "8件");
}

TEST(ParseChineseQuantityTest, EighteenFractionDigitsAreTheMost) {
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity("0.000000000000000001亿元");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->decimal, "0.0000000001");
  EXPECT_EQ(q->mantissa, "0.000000000000000001");
  EXPECT_TRUE(IsCanonicalDecimal(q->mantissa));
}

TEST(ParseChineseQuantityTest, ErrorMessageNamesThePhrase) {
  absl::StatusOr<ChineseQuantity> q = ParseChineseQuantity("2023年");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("2023年"), absl::string_view::npos) << q.status();
}

// ---------------------------------------------------------------------------
// FindChineseQuantities

TEST(FindChineseQuantitiesTest, InsidePhraseWithSpan) {
  const std::string text = "累计避损147亿余元";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "147亿余元");
  EXPECT_EQ(found[0].begin, 4u);
  EXPECT_EQ(found[0].end, 10u);
  ExpectQuantity(found[0], {"14700000000", "147", M::kYi, Q::kMoreThan, "元"});
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, PairSentence) {
  const std::string text = "共收到行政复议348件、行政诉讼72件,分别办结340件、审结66件";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 4u);
  const std::vector<std::string> decimals = {"348", "72", "340", "66"};
  const std::vector<size_t> begins = {7, 16, 24, 31};
  for (size_t i = 0; i < found.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(found[i].decimal, decimals[i]);
    EXPECT_EQ(found[i].text, decimals[i] + "件");
    EXPECT_EQ(found[i].measure_word, "件");
    EXPECT_EQ(found[i].qualifier, Q::kExact);
    EXPECT_EQ(found[i].begin, begins[i]);
    EXPECT_EQ(found[i].end, begins[i] + decimals[i].size() + 1);
  }
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, QualifiersAreInTheSpan) {
  const std::string text =
      "累计参与答题超过4万人次,好评率维持在99.99%以上,"
      "执法人员均已完成不少于60学时的培训,播放量10万+。";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found),
            (std::vector<std::string>{"超过4万人次", "99.99%以上", "不少于60学时", "10万+"}));
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, SkipsYearsDatesAndOrdinals) {
  for (const char* text :
       {"2023年",       "2013-2015年", "2021—2025年",  "(2015-2020)", "2月24日",    "11月底",
        "截至11月30日", "1. 总体情况", "（1）",        "(2)",         "第二",       "第3批",
        "第十二次",     "十大",        "一体化",       "三区一基地",  "十三五",     "七五普法",
        "二〇二三年",   "7号线",       "建党100周年",  "近3年来",     "“3+X”",      "1+3+1",
        "G60",          "5G",          "“12348”",      "2023.12.31",  "1、",        "十万火急",
        "千家万户",     "亿元大所",    "一件事一次办", "零件",        "“三项制度”", "六个一",
        "四位一体",     "《八佰》",    "一两个",       "十多年",      "20余年"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(Texts(FindChineseQuantities(text)), std::vector<std::string>());
  }
}

TEST(FindChineseQuantitiesTest, ChineseNumeralsWithMeasureWordOrYu) {
  const std::string text = "开展百余场活动，走访十余家企业，发挥两个作用，出台十条措施";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found), (std::vector<std::string>{"百余场", "十余家", "两个", "十条"}));
  ASSERT_EQ(found.size(), 4u);
  ExpectQuantity(found[0], {"100", "1", M::kHundred, Q::kMoreThan, "场"});
  ExpectQuantity(found[1], {"10", "10", M::kNone, Q::kMoreThan, "家"});
  ExpectQuantity(found[2], {"2", "2", M::kNone, Q::kExact, "个"});
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, BareNumbersNeedEvidence) {
  EXPECT_EQ(Texts(FindChineseQuantities("编号348,共72件")), std::vector<std::string>{"72件"});
  EXPECT_EQ(Texts(FindChineseQuantities("近3000万")), std::vector<std::string>{"近3000万"});
  EXPECT_EQ(Texts(FindChineseQuantities("最近3个月")), std::vector<std::string>{"3个月"});
  EXPECT_EQ(Texts(FindChineseQuantities("签约3家")), std::vector<std::string>{"3家"});
  EXPECT_EQ(Texts(FindChineseQuantities("统一到3个平台")), std::vector<std::string>{"3个"});
  EXPECT_EQ(Texts(FindChineseQuantities("超过5G")), std::vector<std::string>());
}

TEST(FindChineseQuantitiesTest, DigitForms) {
  const std::string text = "收到1,000件、1，000人、１２３件，占３．５％";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].decimal, "1000");
  EXPECT_EQ(found[1].decimal, "1000");
  EXPECT_EQ(found[1].measure_word, "人");
  EXPECT_EQ(found[2].decimal, "123");
  EXPECT_EQ(found[3].decimal, "3.5");
  EXPECT_EQ(found[3].measure_word, "%");
  ExpectSpansMatch(text, found);
}

// A number that cannot be read whole is never read in part: an ASCII comma
// between digits that do not group by three tears the number, and no piece
// of it is a quantity.
TEST(FindChineseQuantitiesTest, ThousandsSeparatorNeedsGroupsOfThree) {
  EXPECT_EQ(Texts(FindChineseQuantities("收到1,23件")), std::vector<std::string>());
  EXPECT_EQ(Texts(FindChineseQuantities("收到1,2345件")), std::vector<std::string>());
  EXPECT_EQ(Texts(FindChineseQuantities("收到1234,567件，审结8件")),
            std::vector<std::string>{"8件"});
  // A Chinese comma before anything but a group of three ends a clause.
  EXPECT_EQ(Texts(FindChineseQuantities("分别为35，28件")), std::vector<std::string>{"28件"});
}

TEST(FindChineseQuantitiesTest, MiddleDotIsADecimalPoint) {
  const std::string text = "出庭应诉率98·3%，调解和解率23・6%，败诉率4•3%，比例0･5%";
  const std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found), (Strings{"98·3%", "23・6%", "4•3%", "0･5%"}));
  EXPECT_EQ(Decimals(found), (Strings{"98.3", "23.6", "4.3", "0.5"}));
  ExpectSpansMatch(text, found);
  // A middle dot that no digit follows is punctuation: "年鉴2024·行政复议".
  EXPECT_EQ(Texts(FindChineseQuantities("徐汇年鉴2024·行政复议3件")),
            std::vector<std::string>{"3件"});
  // Dates written with dots stay dates.
  EXPECT_EQ(Texts(FindChineseQuantities("2023·12·31共5件")), std::vector<std::string>{"5件"});
}

TEST(FindChineseQuantitiesTest, SpaceGroupingThousandsJoinsTheDigits) {
  const std::string text = "全年收到行政复议申请1 286件，受理1 174件；涉及金额12 345 678元";
  const std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found), (Strings{"1 286件", "1 174件", "12 345 678元"}));
  EXPECT_EQ(Decimals(found), (Strings{"1286", "1174", "12345678"}));
  ExpectSpansMatch(text, found);
  // Thin and no-break spaces group as well.
  EXPECT_EQ(Decimals(FindChineseQuantities("申请1\u2009286件，受理1\u00a0174件")),
            (Strings{"1286", "1174"}));
}

TEST(FindChineseQuantitiesTest, SpaceAmongDecimalsJoinsTheDigits) {
  const std::string text = "纠错率12·3 4%；";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "12·3 4%");
  EXPECT_EQ(found[0].decimal, "12.34");
  EXPECT_EQ(found[0].begin, 3u);
  EXPECT_EQ(found[0].end, 10u);
}

TEST(FindChineseQuantitiesTest, LineBreakInsideANumberJoinsTheDigits) {
  const std::string text = "收到复议申请1,0\n86件，审结1,012件；收案3\n47件；案卷1,2\r\n40卷";
  const std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found), (Strings{"1,0\n86件", "1,012件", "3\n47件", "1,2\r\n40卷"}));
  EXPECT_EQ(Decimals(found), (Strings{"1086", "1012", "347", "1240"}));
  ExpectSpansMatch(text, found);
  // A break that completes a comma's group of three joins; one that leaves it
  // short reads no piece of the number.
  EXPECT_EQ(Texts(FindChineseQuantities("评查案卷1,2\n40件")),
            std::vector<std::string>{"1,2\n40件"});
  EXPECT_EQ(Texts(FindChineseQuantities("评查案卷1,2\n4件")), std::vector<std::string>());
}

TEST(FindChineseQuantitiesTest, SeparatingWhiteSpaceKeepsNumbersApart) {
  // A tab, an ideographic space or two spaces separate cells and fields.
  EXPECT_EQ(Texts(FindChineseQuantities("1\t35件\t31件")),
            (std::vector<std::string>{"35件", "31件"}));
  EXPECT_EQ(Texts(FindChineseQuantities("1\t286件")), std::vector<std::string>{"286件"});
  EXPECT_EQ(Texts(FindChineseQuantities("收到申请1\u3000286件")),
            std::vector<std::string>{"286件"});
  EXPECT_EQ(Texts(FindChineseQuantities("序号1  286件")), std::vector<std::string>{"286件"});
  // A label's number, or a number after white space, is apart from digits
  // that cannot group with it.
  EXPECT_EQ(Texts(FindChineseQuantities("表1 35件")), std::vector<std::string>{"35件"});
  EXPECT_EQ(Texts(FindChineseQuantities("序号 1 35件")), std::vector<std::string>{"35件"});
  EXPECT_EQ(Texts(FindChineseQuantities("表1\n35件")), std::vector<std::string>{"35件"});
}

// Whenever the digits around a break could be one number or two, neither is
// read: never "286件" out of what may be 1 286件.
TEST(FindChineseQuantitiesTest, UncertainBreaksYieldNoQuantity) {
  for (const std::string text : {
           "收案12 34件",       // no grouping by three in running text
           "表1 350件",         // a label's number, or 1 350?
           "序号 1 286件",      // after white space: a cell, or 1 286?
           "收到1 286 12件",    // grouping broken after the first group
           "收到1,286 000件",   // commas and spaces mixed
           "收到1,286\n000件",  // a line break outside a comma's group
           "\t12·3 4%",         // after white space: two cells?
           "G1 286件",          // glued to a letter
       }) {
    SCOPED_TRACE(text);
    EXPECT_EQ(Texts(FindChineseQuantities(text)), std::vector<std::string>());
  }
  // 表 closing a word ("代表") labels nothing: the digits group by three.
  const std::vector<ChineseQuantity> found = FindChineseQuantities("人大代表1 286名");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].decimal, "1286");
}

TEST(FindChineseQuantitiesTest, FullAndHalfWidthDigitsMixed) {
  const std::string text = "受理１,2０6件，调解成功率９7.5%，办理公证１万５千件，受理6１２件";
  const std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  EXPECT_EQ(Texts(found), (Strings{"１,2０6件", "９7.5%", "１万５千件", "6１２件"}));
  EXPECT_EQ(Decimals(found), (Strings{"1206", "97.5", "15000", "612"}));
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, MeasureWordsAndScalesAsReportsWriteThem) {
  const std::string text =
      "清单12项，合同63个，风险点45条，检查2,860次，查处318起，案件94宗，"
      "处罚296件，活动86场，顾问14人，受众1.9万人次，企业320家，金额1.2亿元，"
      "调解一万余件，评查案卷150卷";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  std::vector<std::string> measure_words;
  for (const ChineseQuantity& q : found) measure_words.push_back(q.measure_word);
  EXPECT_EQ(measure_words, (std::vector<std::string>{"项", "个", "条", "次", "起", "宗", "件", "场",
                                                     "人", "人次", "家", "元", "件", "卷"}));
  ASSERT_EQ(found.size(), 14u);
  EXPECT_EQ(found[9].decimal, "19000");
  EXPECT_EQ(MultiplierName(found[9].multiplier), "wan");
  EXPECT_EQ(found[11].decimal, "120000000");
  EXPECT_EQ(MultiplierName(found[11].multiplier), "yi");
  EXPECT_EQ(found[12].text, "一万余件");
  EXPECT_EQ(found[12].decimal, "10000");
  EXPECT_EQ(QualifierName(found[12].qualifier), "more_than");
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, Ranges) {
  const std::string text = "形成3-4家大所，覆盖3-5万人，占5%-10%，三到五个";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 8u);
  ExpectQuantity(found[0], {"3", "3", M::kNone, Q::kAtLeast, "家"});
  EXPECT_EQ(found[0].text, "3");
  ExpectQuantity(found[1], {"4", "4", M::kNone, Q::kAtMost, "家"});
  EXPECT_EQ(found[1].text, "4家");
  ExpectQuantity(found[2], {"30000", "3", M::kWan, Q::kAtLeast, "人"});
  ExpectQuantity(found[3], {"50000", "5", M::kWan, Q::kAtMost, "人"});
  ExpectQuantity(found[4], {"5", "5", M::kNone, Q::kAtLeast, "%"});
  ExpectQuantity(found[5], {"10", "10", M::kNone, Q::kAtMost, "%"});
  ExpectQuantity(found[6], {"3", "3", M::kNone, Q::kAtLeast, "个"});
  ExpectQuantity(found[7], {"5", "5", M::kNone, Q::kAtMost, "个"});
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, InvalidUtf8IsSkippedAndCounted) {
  const std::string text = "\xFF\xFE共348件\xE6\xB3,72件\x80";
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, "348件");
  EXPECT_EQ(found[0].begin, 3u);
  EXPECT_EQ(found[1].text, "72件");
  EXPECT_EQ(found[1].begin, 10u);
  ExpectSpansMatch(text, found);
}

TEST(FindChineseQuantitiesTest, EmptyAndTrivialInputs) {
  EXPECT_TRUE(FindChineseQuantities("").empty());
  EXPECT_TRUE(FindChineseQuantities("法治政府建设").empty());
  EXPECT_TRUE(FindChineseQuantities(std::string(5, '\0')).empty());
}

TEST(FindChineseQuantitiesTest, ArbitraryBytesNeverCrash) {
  // Bytes drawn mostly from the pieces quantities are made of.
  const std::vector<std::string> pieces = {
      "1",  "0",  ".",  ",",      "，", "万", "亿", "千",   "百",   "十",   "一", "两",   "〇",
      "零", "余", "多", "+",      "%",  "％", "件", "个",   "年",   "第",   "近", "超过", "以上",
      "-",  "—",  "至", "百分之", "“",  "（", "）", "\xFF", "\xE6", "\x80", "a",  "９",   "．"};
  std::mt19937 random(20240601);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 40);
    for (int i = 0; i < length; ++i) {
      if (random() % 5 == 0) {
        text.push_back(static_cast<char>(random() % 256));
      } else {
        text += pieces[random() % pieces.size()];
      }
    }
    std::vector<ChineseQuantity> found = FindChineseQuantities(text);
    size_t previous_end = 0;
    for (const ChineseQuantity& q : found) {
      ASSERT_LE(previous_end, q.begin) << text;
      ASSERT_LT(q.begin, q.end) << text;
      ASSERT_EQ(SubstrByCodePoints(text, q.begin, q.end), q.text) << text;
      ASSERT_FALSE(q.decimal.empty()) << text;
      previous_end = q.end;
    }
    absl::StatusOr<ChineseQuantity> parsed = ParseChineseQuantity(text);
    if (parsed.ok()) {
      ASSERT_EQ(parsed->text.empty(), false) << text;
    }
  }
}

TEST(FindChineseQuantitiesTest, LongInputsAreLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "共收到348件、近3000万,一一一十十十";
  text += std::string(100000, '1');
  text += std::string(50000, '.');
  for (int i = 0; i < 20000; ++i) text += "1,";
  const auto start = std::chrono::steady_clock::now();
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(found.size(), 40000u);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 5);
}

// ---------------------------------------------------------------------------
// Golden checks on the seed documents.

std::string ReadSeed(const std::string& name) {
  const std::string path = std::string(FAZHI_SEEDS_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const ChineseQuantity* FindByText(const std::vector<ChineseQuantity>& found,
                                  absl::string_view text) {
  for (const ChineseQuantity& q : found) {
    if (q.text == text) return &q;
  }
  return nullptr;
}

struct Golden {
  std::string text;
  std::string decimal;
  Qualifier qualifier;
  std::string measure_word;
};

void ExpectGolden(const std::string& seed, const std::vector<Golden>& golden) {
  const std::string text = ReadSeed(seed);
  ASSERT_FALSE(text.empty());
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  ExpectSpansMatch(text, found);
  for (const Golden& g : golden) {
    SCOPED_TRACE(g.text);
    const ChineseQuantity* q = FindByText(found, g.text);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->decimal, g.decimal);
    EXPECT_EQ(q->qualifier, g.qualifier);
    EXPECT_EQ(q->measure_word, g.measure_word);
    // The span is where the text really is, counted in code points.
    const size_t byte = text.find(g.text);
    ASSERT_NE(byte, std::string::npos);
    EXPECT_EQ(q->begin, CodePointCount(absl::string_view(text).substr(0, byte)));
  }
  for (const ChineseQuantity& q : found) {
    SCOPED_TRACE(q.text);
    EXPECT_EQ(q.text.find("年"), std::string::npos);
    EXPECT_EQ(q.text.find("月"), std::string::npos);
    EXPECT_EQ(q.text.find("日"), std::string::npos);
  }
}

TEST(SeedGoldenTest, BaoshanGovernmentReport2023) {
  ExpectGolden("002_4f28ee6da608f1e8.txt", {{"21267件", "21267", Q::kExact, "件"},
                                            {"21221件", "21221", Q::kExact, "件"},
                                            {"99.8%", "99.8", Q::kExact, "%"},
                                            {"99.99%以上", "99.99", Q::kAtLeast, "%"},
                                            {"不少于60学时", "60", Q::kAtLeast, "学时"},
                                            {"91万人次", "910000", Q::kExact, "人次"},
                                            {"4.7亿元", "470000000", Q::kExact, "元"},
                                            {"5000多件", "5000", Q::kMoreThan, "件"},
                                            {"10万+", "100000", Q::kMoreThan, ""},
                                            {"97.9%以上", "97.9", Q::kAtLeast, "%"},
                                            {"434件", "434", Q::kExact, "件"}});
}

TEST(SeedGoldenTest, PutuoJusticeBureauReport2020) {
  ExpectGolden("004_e0cd47a7b08ce18d.txt", {{"348件", "348", Q::kExact, "件"},
                                            {"72件", "72", Q::kExact, "件"},
                                            {"340件", "340", Q::kExact, "件"},
                                            {"66件", "66", Q::kExact, "件"},
                                            {"83.8%", "83.8", Q::kExact, "%"},
                                            {"2.8万件", "28000", Q::kExact, "件"},
                                            {"2326件", "2326", Q::kExact, "件"},
                                            {"9918件", "9918", Q::kExact, "件"},
                                            {"7513件", "7513", Q::kExact, "件"},
                                            {"7149件", "7149", Q::kExact, "件"},
                                            {"95.15%", "95.15", Q::kExact, "%"},
                                            {"超过4万人次", "40000", Q::kMoreThan, "人次"},
                                            {"140余篇", "140", Q::kMoreThan, "篇"},
                                            {"近20篇", "20", Q::kNearly, "篇"}});
}

TEST(SeedGoldenTest, PairSentenceInSeedIsInOrder) {
  const std::string text = ReadSeed("004_e0cd47a7b08ce18d.txt");
  std::vector<ChineseQuantity> found = FindChineseQuantities(text);
  const ChineseQuantity* received = FindByText(found, "348件");
  ASSERT_NE(received, nullptr);
  const size_t index = static_cast<size_t>(received - found.data());
  ASSERT_LT(index + 3, found.size());
  EXPECT_EQ(found[index + 1].text, "72件");
  EXPECT_EQ(found[index + 2].text, "340件");
  EXPECT_EQ(found[index + 3].text, "66件");
}

}  // namespace
}  // namespace fazhi::text
