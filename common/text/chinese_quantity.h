// Reading quantities as Chinese officials write them: "348件", "83.8%",
// "2.8万件", "147亿余元", "近3000万", "10万+", "百余场", "不少于60学时".
//
// A quantity is
//
//   [prefix qualifier] number [余|多] [万|亿...] [余|多] [+] [measure word]
//   [suffix qualifier]
//
// where the number is written in ASCII or full-width digits, mixed at will
// ("１,2０6"), optionally with a decimal point ("." "．" or a middle dot as
// yearbooks print it: "98·3%", also ・ • ‧ ∙ ⋅ ･) and thousands separators
// ("1,000" / "1，000"), in Chinese numerals ("三百", "十余", "两"), or mixed
// ("1亿2000万", "１万５千"). Percent is written "%", "％" or "百分之…"; all
// give the measure word "%".
//
// Typesetting may break a number with one space (ordinary, no-break or thin)
// or one line break. Such a break is inside the number only when the digits
// before it are glued to Chinese text or punctuation ("申请1 286件") and
//  * the digits group by three across it ("1 286", "12 345 678"; "1,0↵86"
//    completes a comma's group), or
//  * it falls among the decimals ("12·3 4%" is 12.34%), or
//  * it is a line break in plain digits (a wrapped line: "收案3↵47件").
// Days named by their date ("3·15", "“12·4”宪法日") read as decimals like any
// other; without a measure word after them they are no quantity.
// A tab, an ideographic space or a run of white space never joins (table
// cells, fields). After a label ("表1", "序号", "附件"), white space, ASCII
// punctuation or a letter, a break separates two numbers ("表1 35件" holds
// 35件).
//
// A number that cannot be read whole is never read in part: when a break or
// separator could as well join as separate the digits around it ("收案12
// 34件", "表1 350件", "序号 1 286件", "1,23件", "1,286 000"), no piece of the
// number is reported, neither the digits before nor those after (nor is it
// flagged: the text holds no quantity one could state with certainty).
// Parsing one phrase, the caller asserts it is one quantity, so a fitting
// break joins whatever precedes it ("1 286件" parses as 1286).
//
// Values are exact: `decimal` is computed in fixed-point arithmetic, never
// through floating point. A value is rejected when, counted in units of its
// last written decimal place and with 万/亿 applied, it exceeds 2^64 - 1
// (about 1.8e19; "999999999999亿" is too large, "147亿" is not).

#ifndef FAZHI_COMMON_TEXT_CHINESE_QUANTITY_H_
#define FAZHI_COMMON_TEXT_CHINESE_QUANTITY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::text {

// How the written value relates to the true one.
enum class Qualifier {
  kExact,
  // Strictly more than the value: 余, 多, 超过, 超, 逾, 多于, 高于, 大于,
  // 突破, and a trailing "+" ("10万+").
  kMoreThan,
  // Close to but below the value (an upper bound): 近, 将近, 接近, 逼近.
  kNearly,
  // At least: 不少于, 不低于, 至少, 最少, and the suffix 以上.
  kAtLeast,
  // At most (or below): 不超过, 不超, 不高于, 不到, 不足, 少于, 低于, 小于,
  // 最多, 至多, and the suffixes 以下, 以内.
  kAtMost,
  // Approximately: 约, 大约, 约为, 大概, and the suffix 左右.
  kAbout,
};

// The power of ten named at the end of the number, as written.
enum class Multiplier {
  kNone,
  kHundred,   // 百, 10^2
  kThousand,  // 千, 10^3
  kWan,       // 万, 10^4
  kYi,        // 亿, 10^8
};

struct ChineseQuantity {
  // The exact source substring (UTF-8), qualifiers and measure word included:
  // "147亿余元", "超过4万人次", "99.99%以上".
  std::string text;
  // The number before `multiplier`, as a canonical decimal (ASCII digits and
  // at most one '.', no exponent, no leading zeros, no trailing fractional
  // zeros). Always `decimal == mantissa * 10^multiplier`:
  //   "2.8万件"   -> "2.8"   kWan
  //   "147亿余元" -> "147"   kYi
  //   "348件"     -> "348"   kNone
  //   "5千"       -> "5"     kThousand
  //   "百余场"    -> "1"     kHundred  (a bare unit stands for one)
  //   "三百"      -> "300"   kNone     (百 inside a Chinese numeral)
  //   "1亿2000万" -> "12000" kWan
  //   "1.2万亿"   -> "12000" kYi
  std::string mantissa;
  // 万 or 亿 if the number ends with one; 百 or 千 only directly after ASCII
  // digits ("5千") or standing alone ("百余", "千余"); otherwise kNone.
  Multiplier multiplier = Multiplier::kNone;
  // The value with the multiplier applied, canonical as for `mantissa`:
  // "14700000000", "28000", "83.8", "0.5". For percentages this is the number
  // of percent ("83.8"), not the fraction.
  std::string decimal;
  Qualifier qualifier = Qualifier::kExact;
  // "元", "件", "人次", "%", "学时", "平方米", "家", "场", "个", ... or empty.
  // Percent, whether "%", "％" or "百分之", is always "%".
  std::string measure_word;
  // Code-point offsets [begin, end) of `text` in the scanned text, counted as
  // in common/text/utf8.h (each ill-formed byte is one code point).
  size_t begin = 0;
  size_t end = 0;

  // `decimal` as a double (nearest representable value).
  double value() const;
};

// Parses a phrase that is exactly one quantity, such as "2.8万件",
// "147亿余元", "近3000万", "10万+", "超过4万人次", "99.99%以上",
// "不少于60学时", "百余场", "两个", "三百". Leading and trailing white space
// (ASCII, U+00A0 or U+3000) is ignored; `begin`/`end` are offsets within
// `phrase`. Unlike `FindChineseQuantities` it accepts a bare number ("348",
// "三") since the caller asserts the phrase is a quantity. Returns
// InvalidArgument with a human-readable message for anything else: text
// before or after the quantity, dates and years ("2023年", "11月"), ranges
// ("3-4家"), ordinals ("第二"), numerals written digit by digit
// ("二〇二三"), ill-formed UTF-8, or values too large to hold exactly.
absl::StatusOr<ChineseQuantity> ParseChineseQuantity(absl::string_view phrase);

// Every quantity in free text, in order of position, non-overlapping, with
// code-point spans. Never fails: ill-formed UTF-8 bytes are skipped (each
// counts as one code point); time is linear in the text length.
//
// A number is reported only when it reads as a count or amount:
//  * ASCII/full-width numbers need some evidence: a measure word, a percent
//    sign, 百/千/万/亿, 余/多/"+", or a qualifier. Bare numbers ("（1）",
//    "1.", "“12348”", "3+X", "2015-2020") are skipped.
//  * Chinese numerals need a measure word, 余/多, or 百分之 ("十余家",
//    "两个", "百余场"); only measure words that rarely start another word
//    count here (个 件 次 家 场 人 项 条 ..., not 位 处 所 期). Skipped: words
//    without a measure word ("十大", "十三五", "三区一基地"); a lone 一 or 零
//    ("一件事", "一次办", "零件"); numerals opening a quotation or title
//    ("“三项制度”", "《八佰》"); slogans where another numeral follows
//    ("四位一体", "六个一"); a bare 百/千/万/亿 without 余/多 ("千家万户",
//    "亿元大所").
//  * Never counts: years, dates and times (a number followed by 年, 月, 日,
//    号, 时, 分, 秒, 点, 周年, 世纪, 届, 楼, 层, 版, 路, 级, 后: "2023年",
//    "2月24日", "11月底", "7号线"), ordinals ("第二", "第3批"), numbers
//    glued to Latin letters ("G60", "5G"), dotted numbers ("2023.12.31"),
//    and numbers written digit by digit in Chinese ("二〇二三").
//  * A range "a-b", "a—b", "a～b", "a至b", "a到b" (both ends in digits or
//    both in Chinese numerals, the low end not a lone 一) is skipped entirely
//    when it is a range of years or dates ("2013-2015年", "2021—2025年");
//    otherwise it yields two quantities: the low end qualified kAtLeast, the
//    high end kAtMost (each unless it has its own qualifier). The low end
//    borrows the high end's measure word and, if it has none of its own, its
//    万/亿: "3-5万人" gives {text "3", decimal "30000", kAtLeast, "人"} and
//    {text "5万人", "50000", kAtMost, "人"}.
//
// A comma followed by exactly three digits is read as a thousands separator,
// so "1，000人" is one thousand; a list written "100，200人" reads the same.
// An ASCII comma between digits that do not group by three tears the number
// (nothing is read); a Chinese comma there ends a clause ("35，28件" holds
// 28件).
//
// When a prefix and a suffix qualifier both apply, the prefix wins, then
// 余/多/"+", then 以上/以下/以内/左右.
std::vector<ChineseQuantity> FindChineseQuantities(absl::string_view text);

// Short English names ("exact", "more_than", "wan", ...), for messages.
absl::string_view QualifierName(Qualifier qualifier);
absl::string_view MultiplierName(Multiplier multiplier);

// The power of ten a multiplier stands for (0, 2, 3, 4 or 8).
int MultiplierExponent(Multiplier multiplier);

}  // namespace fazhi::text

#endif  // FAZHI_COMMON_TEXT_CHINESE_QUANTITY_H_
