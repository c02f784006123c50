#include "common/text/chinese_quantity.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace fazhi::text {
namespace {

using Text = std::u32string_view;

// ---------------------------------------------------------------------------
// Exact fixed-point decimals: value = coefficient / 10^scale.

constexpr uint64_t kMaxCoefficient = std::numeric_limits<uint64_t>::max();
// Fraction digits a written number may have (a canonical decimal, with the
// multiplier's shift applied to its mantissa, stays within the 40 characters
// fazhi.type.Quantity allows).
constexpr int kMaxFractionDigits = 18;

struct Decimal {
  uint64_t coefficient = 0;
  int scale = 0;
};

Decimal Normalized(Decimal d) {
  while (d.scale > 0 && d.coefficient % 10 == 0) {
    d.coefficient /= 10;
    --d.scale;
  }
  if (d.coefficient == 0) d.scale = 0;
  return d;
}

bool MultiplyByPow10(Decimal* d, int exponent) {
  for (; exponent > 0; --exponent) {
    if (d->scale > 0) {
      --d->scale;
      continue;
    }
    if (d->coefficient > kMaxCoefficient / 10) return false;
    d->coefficient *= 10;
  }
  return true;
}

Decimal DivideByPow10(Decimal d, int exponent) {
  d.scale += exponent;
  return Normalized(d);
}

bool RaiseScale(Decimal* d, int scale) {
  while (d->scale < scale) {
    if (d->coefficient > kMaxCoefficient / 10) return false;
    d->coefficient *= 10;
    ++d->scale;
  }
  return true;
}

bool Add(Decimal a, Decimal b, Decimal* sum) {
  a = Normalized(a);
  b = Normalized(b);
  const int scale = std::max(a.scale, b.scale);
  if (!RaiseScale(&a, scale) || !RaiseScale(&b, scale)) return false;
  if (a.coefficient > kMaxCoefficient - b.coefficient) return false;
  *sum = {a.coefficient + b.coefficient, scale};
  return true;
}

uint64_t IntegerPart(const Decimal& d) {
  uint64_t value = d.coefficient;
  for (int i = 0; i < d.scale && value > 0; ++i) value /= 10;
  return value;
}

uint64_t Pow10(int exponent) {
  uint64_t value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

std::string ToString(Decimal d) {
  d = Normalized(d);
  std::string digits = std::to_string(d.coefficient);
  if (d.scale == 0) return digits;
  const size_t scale = static_cast<size_t>(d.scale);
  if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
  digits.insert(digits.size() - scale, 1, '.');
  return digits;
}

// ---------------------------------------------------------------------------
// Character classes.

int ArabicDigitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}

// Yearbooks and typeset pages write the decimal point as a raised or middle
// dot ("98·3%"); each of these stands for "." between two digits.
bool IsDecimalPoint(char32_t c) {
  switch (c) {
    case U'.':
    case 0xFF0E:  // Full-width full stop.
    case 0x00B7:  // Middle dot.
    case 0x30FB:  // Katakana middle dot.
    case 0xFF65:  // Half-width katakana middle dot.
    case 0x2022:  // Bullet.
    case 0x2027:  // Hyphenation point.
    case 0x2219:  // Bullet operator.
    case 0x22C5:  // Dot operator.
      return true;
    default:
      return false;
  }
}

bool IsThousandsSeparator(char32_t c) { return c == U',' || c == 0xFF0C; }

int ChineseDigitValue(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
    case U'壹':
      return 1;
    case U'二':
    case U'两':
    case U'贰':
      return 2;
    case U'三':
    case U'叁':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    default:
      return -1;
  }
}

// 十 百 千 (and their financial forms): the exponent, else 0.
int SmallUnitExponent(char32_t c) {
  switch (c) {
    case U'十':
    case U'拾':
      return 1;
    case U'百':
    case U'佰':
      return 2;
    case U'千':
    case U'仟':
      return 3;
    default:
      return 0;
  }
}

// 万 亿: the exponent, else 0.
int BigUnitExponent(char32_t c) {
  switch (c) {
    case U'万':
    case U'萬':
      return 4;
    case U'亿':
    case U'億':
      return 8;
    default:
      return 0;
  }
}

bool IsApproximateMarker(char32_t c) { return c == U'余' || c == U'多'; }

bool IsAsciiAlnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool IsAsciiLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || c == U'_';
}

bool IsNumeralChar(char32_t c) {
  return ArabicDigitValue(c) >= 0 || ChineseDigitValue(c) >= 0 || SmallUnitExponent(c) > 0 ||
         BigUnitExponent(c) > 0;
}

bool IsOpeningQuote(char32_t c) {
  switch (c) {
    case U'“':
    case U'‘':
    case U'「':
    case U'『':
    case U'《':
    case U'〈':
    case U'"':
    case U'\'':
    case 0xFF02:  // Full-width quotation mark.
      return true;
    default:
      return false;
  }
}

bool IsOpeningParenthesis(char32_t c) { return c == U'(' || c == 0xFF08; }
bool IsClosingParenthesis(char32_t c) { return c == U')' || c == 0xFF09; }

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0x3000 || c == 0x00A0;
}

bool MatchesAt(Text s, size_t pos, Text word) {
  return pos <= s.size() && s.size() - pos >= word.size() && s.compare(pos, word.size(), word) == 0;
}

bool MatchesBefore(Text s, size_t end, Text word) {
  return end >= word.size() && end <= s.size() &&
         s.compare(end - word.size(), word.size(), word) == 0;
}

// ---------------------------------------------------------------------------
// Word lists.

struct MeasureWord {
  Text word;
  // Also read after Chinese numerals in free text. Words that often follow a
  // numeral inside set phrases ("四位一体", "四处", "三所联动") are off.
  bool after_chinese;
};

constexpr MeasureWord kMeasureWords[] = {
    {U"元", true},       {U"美元", false},    {U"欧元", false},   {U"港元", false},
    {U"人次", true},     {U"人", true},       {U"名", true},      {U"位", false},
    {U"户次", true},     {U"户", true},       {U"家次", true},    {U"家", true},
    {U"件次", true},     {U"件", true},       {U"场次", true},    {U"场", true},
    {U"次", true},       {U"个百分点", true}, {U"百分点", false}, {U"个月", true},
    {U"个工作日", true}, {U"个小时", true},   {U"个", true},      {U"篇", true},
    {U"项", true},       {U"条", true},       {U"份", true},      {U"张", true},
    {U"本", true},       {U"册", true},       {U"卷", false},     {U"期", false},
    {U"起", true},       {U"幢", true},       {U"栋", true},      {U"套", true},
    {U"间", false},      {U"所", false},      {U"座", true},      {U"台", true},
    {U"辆", true},       {U"艘", true},       {U"架", true},      {U"部", false},
    {U"批次", true},     {U"批", true},       {U"类", true},      {U"种", true},
    {U"例", true},       {U"宗", true},       {U"笔", true},      {U"单", false},
    {U"页", true},       {U"块", false},      {U"处", false},     {U"节", true},
    {U"堂", true},       {U"支", true},       {U"队", false},     {U"组", false},
    {U"轮", true},       {U"遍", true},       {U"门", false},     {U"封", true},
    {U"集", false},      {U"棵", true},       {U"株", true},      {U"课时", true},
    {U"学时", true},     {U"小时", true},     {U"分钟", true},    {U"天", true},
    {U"周岁", true},     {U"岁", true},       {U"倍", true},      {U"平方米", true},
    {U"平方公里", true}, {U"平米", false},    {U"立方米", true},  {U"公里", true},
    {U"千米", true},     {U"米", false},      {U"公顷", true},    {U"亩", true},
    {U"吨", true},       {U"千克", true},     {U"公斤", true},    {U"千瓦时", true},
    {U"千瓦", true},     {U"兆瓦", true},     {U"盒", true},      {U"瓶", true},
    {U"箱", true},       {U"袋", true},
};

// Words after a number that make it a date, time, label or ordinal.
constexpr Text kStopWords[] = {
    U"年",   U"月", U"日", U"号", U"时", U"分", U"秒", U"点", U"周年",
    U"世纪", U"届", U"楼", U"层", U"版", U"路", U"级", U"后",
};

struct QualifierWord {
  Text word;
  Qualifier qualifier;
  // The word does not count when directly preceded by one of these
  // characters, with which it forms another word ("最近", "签约").
  Text not_after;
};

constexpr Text kNotAfterJin = U"最附临邻亲靠就远贴走新";
constexpr Text kNotAfterYue = U"签预合制条公节违履特邀婚相守失解毁践誓租契立爽赴缔简隐集俭成初盟要";

constexpr QualifierWord kPrefixQualifiers[] = {
    {U"不少于", Qualifier::kAtLeast, U""},     {U"不低于", Qualifier::kAtLeast, U""},
    {U"至少", Qualifier::kAtLeast, U""},       {U"最少", Qualifier::kAtLeast, U""},
    {U"不超过", Qualifier::kAtMost, U""},      {U"不超", Qualifier::kAtMost, U""},
    {U"不高于", Qualifier::kAtMost, U""},      {U"不到", Qualifier::kAtMost, U""},
    {U"不足", Qualifier::kAtMost, U""},        {U"少于", Qualifier::kAtMost, U""},
    {U"低于", Qualifier::kAtMost, U""},        {U"小于", Qualifier::kAtMost, U""},
    {U"最多", Qualifier::kAtMost, U""},        {U"至多", Qualifier::kAtMost, U""},
    {U"超过", Qualifier::kMoreThan, U""},      {U"超", Qualifier::kMoreThan, U"赶高"},
    {U"逾", Qualifier::kMoreThan, U""},        {U"多于", Qualifier::kMoreThan, U""},
    {U"高于", Qualifier::kMoreThan, U""},      {U"大于", Qualifier::kMoreThan, U""},
    {U"突破", Qualifier::kMoreThan, U""},      {U"将近", Qualifier::kNearly, U""},
    {U"接近", Qualifier::kNearly, U""},        {U"逼近", Qualifier::kNearly, U""},
    {U"近", Qualifier::kNearly, kNotAfterJin}, {U"大约", Qualifier::kAbout, U""},
    {U"大概", Qualifier::kAbout, U""},         {U"约为", Qualifier::kAbout, kNotAfterYue},
    {U"约", Qualifier::kAbout, kNotAfterYue},
};

constexpr QualifierWord kSuffixQualifiers[] = {
    {U"以上", Qualifier::kAtLeast, U""},
    {U"以下", Qualifier::kAtMost, U""},
    {U"以内", Qualifier::kAtMost, U""},
    {U"左右", Qualifier::kAbout, U""},
};

constexpr Text kPercentWords = U"百分之";

// Length of the longest measure word at `pos`, 0 if none.
size_t MeasureWordAt(Text s, size_t pos, bool chinese_numeral, Text* word) {
  size_t best = 0;
  for (const MeasureWord& m : kMeasureWords) {
    if (chinese_numeral && !m.after_chinese) continue;
    if (m.word.size() > best && MatchesAt(s, pos, m.word)) {
      best = m.word.size();
      *word = m.word;
    }
  }
  return best;
}

size_t StopWordAt(Text s, size_t pos) {
  size_t best = 0;
  for (Text word : kStopWords) {
    if (word.size() > best && MatchesAt(s, pos, word)) best = word.size();
  }
  return best;
}

// The longest prefix qualifier ending at `end` and starting at or after
// `floor`; returns its length (0 if none).
size_t PrefixQualifierBefore(Text s, size_t end, size_t floor, Qualifier* qualifier) {
  size_t best = 0;
  for (const QualifierWord& q : kPrefixQualifiers) {
    const size_t length = q.word.size();
    if (length <= best || end < floor + length) continue;
    if (!MatchesBefore(s, end, q.word)) continue;
    const size_t start = end - length;
    if (start > 0 && q.not_after.find(s[start - 1]) != Text::npos) continue;
    best = length;
    *qualifier = q.qualifier;
  }
  return best;
}

size_t PrefixQualifierAt(Text s, size_t pos, Qualifier* qualifier) {
  size_t best = 0;
  for (const QualifierWord& q : kPrefixQualifiers) {
    if (q.word.size() > best && MatchesAt(s, pos, q.word)) {
      best = q.word.size();
      *qualifier = q.qualifier;
    }
  }
  return best;
}

size_t SuffixQualifierAt(Text s, size_t pos, Qualifier* qualifier) {
  for (const QualifierWord& q : kSuffixQualifiers) {
    if (MatchesAt(s, pos, q.word)) {
      *qualifier = q.qualifier;
      return q.word.size();
    }
  }
  return 0;
}

// Length of a range separator at `pos` ("-", "—", "——", "～", "至", "到"),
// 0 if none.
size_t RangeSeparatorAt(Text s, size_t pos) {
  if (pos >= s.size()) return 0;
  const char32_t c = s[pos];
  if (c == 0x2014 && pos + 1 < s.size() && s[pos + 1] == 0x2014) return 2;
  switch (c) {
    case U'-':
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFF0D:
    case U'~':
    case 0xFF5E:
    case 0x301C:
    case U'至':
    case U'到':
      return 1;
    default:
      return 0;
  }
}

bool IsNumberStart(Text s, size_t pos) { return pos < s.size() && IsNumeralChar(s[pos]); }

// ---------------------------------------------------------------------------
// Digits torn apart by typesetting.
//
// A number may be typeset with a break inside it: a space grouping thousands
// ("1 286件"), a space among its decimals ("12·3 4%"), or a line break where
// a copied line wrapped ("1,0\n86件", "收案3\n47件"). Only one inline space or
// one line break is such a break; a tab, an ideographic space or a run of
// white space always separates (table cells, fields).

// Length of one line break at `pos` ("\n", "\r\n", "\r", U+2028), else 0.
size_t LineBreakAt(Text s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (s[pos] == U'\r') return pos + 1 < s.size() && s[pos + 1] == U'\n' ? 2 : 1;
  return s[pos] == U'\n' || s[pos] == 0x2028 ? 1 : 0;
}

// Spaces typesetters put inside a number: ordinary, no-break and thin ones.
bool IsInlineSpace(char32_t c) {
  return c == U' ' || c == 0x00A0 || c == 0x2005 || c == 0x2006 || c == 0x2008 || c == 0x2009 ||
         c == 0x202F;
}

struct Break {
  size_t length = 0;  // 0: no break here
  bool line = false;
};

// A break at `pos` that a digit directly follows.
Break BreakBeforeDigitAt(Text s, size_t pos) {
  Break out;
  if (pos >= s.size()) return out;
  if (IsInlineSpace(s[pos])) {
    out.length = 1;
  } else {
    out.length = LineBreakAt(s, pos);
    out.line = true;
  }
  if (out.length == 0 || pos + out.length >= s.size() ||
      ArabicDigitValue(s[pos + out.length]) < 0) {
    return Break();
  }
  return out;
}

size_t DigitRunLength(Text s, size_t pos) {
  size_t k = pos;
  while (k < s.size() && ArabicDigitValue(s[k]) >= 0) ++k;
  return k - pos;
}

bool IsCjkIdeograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

// What the digits of a number follow decides what a break inside it means.
enum class NumberSetting {
  // Glued to Chinese words or punctuation: "申请1 286件", "收案3\n47件".
  // A break is inside the number when the digits group by three (or, for a
  // line break, when nothing says otherwise).
  kRunningText,
  // A table's or figure's own number ("表1 35件"), or digits after white
  // space, ASCII punctuation or a letter (a table cell, a date, a code): a
  // break there separates two numbers unless the digits after it group by
  // three, when which reading is meant is uncertain.
  kApart,
};

// Words whose number labels a table, figure or row, never a count.
constexpr Text kLabelWords[] = {U"附表", U"附图", U"附件", U"序号", U"编号"};
// Labels that are words of their own only when no ideograph precedes them
// ("表1", not the 表 of "代表").
constexpr Text kShortLabelWords[] = {U"表", U"图"};

NumberSetting SettingAt(Text s, size_t pos) {
  if (pos == 0) return NumberSetting::kApart;
  for (Text label : kLabelWords) {
    if (MatchesBefore(s, pos, label)) return NumberSetting::kApart;
  }
  for (Text label : kShortLabelWords) {
    if (MatchesBefore(s, pos, label) &&
        (pos == label.size() || !IsCjkIdeograph(s[pos - label.size() - 1]))) {
      return NumberSetting::kApart;
    }
  }
  const char32_t before = s[pos - 1];
  const bool cjk_punctuation = (before > 0x3000 && before <= 0x303F) ||
                               (before >= 0xFF00 && before <= 0xFFEF) ||
                               (before >= 0x2018 && before <= 0x201F);
  return IsCjkIdeograph(before) || cjk_punctuation ? NumberSetting::kRunningText
                                                   : NumberSetting::kApart;
}

// One past the digits, separators and breaks that continue a number torn at
// `pos`, so that no part of it is read on its own afterwards.
size_t EndOfTornNumber(Text s, size_t pos) {
  size_t k = pos;
  while (k < s.size()) {
    if (ArabicDigitValue(s[k]) >= 0) {
      ++k;
      continue;
    }
    size_t gap = BreakBeforeDigitAt(s, k).length;
    if (gap == 0 && (IsThousandsSeparator(s[k]) || IsDecimalPoint(s[k]))) {
      gap = 1 + BreakBeforeDigitAt(s, k + 1).length;
    }
    if (gap == 0 || k + gap >= s.size() || ArabicDigitValue(s[k + gap]) < 0) break;
    k += gap;
  }
  return k;
}

// ---------------------------------------------------------------------------
// Reading a number.

struct ArabicNumber {
  Decimal value;
  size_t end = 0;
  bool dotted = false;    // "2023.12.31", "1.2.3"
  bool overflow = false;  // more digits than we hold exactly
  // Split by a separator or break that cannot be read with certainty
  // ("1,23件", "申请12 34件"); `end` is past every piece.
  bool torn = false;
};

// Reads the ASCII or full-width number at `pos`. `whole_phrase`: the caller
// asserts the text is one quantity, so a break inside the digits joins them.
ArabicNumber ReadArabic(Text s, size_t pos, bool whole_phrase) {
  ArabicNumber out;
  const auto push_digit = [&out](int digit) {
    if (out.value.coefficient > (kMaxCoefficient - static_cast<uint64_t>(digit)) / 10) {
      out.overflow = true;
      return;
    }
    out.value.coefficient = out.value.coefficient * 10 + digit;
  };
  const auto push_digits = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (const int digit = ArabicDigitValue(s[i]); digit >= 0) push_digit(digit);
    }
  };
  const auto torn_at = [&](size_t k) {
    out.torn = true;
    out.end = EndOfTornNumber(s, k);
    return out;
  };
  const NumberSetting setting = whole_phrase ? NumberSetting::kRunningText : SettingAt(s, pos);

  size_t k = pos;
  size_t group = 0;  // digits since the start or the last separator
  bool comma_grouped = false;
  bool space_grouped = false;
  while (k < s.size()) {
    if (const int digit = ArabicDigitValue(s[k]); digit >= 0) {
      push_digit(digit);
      ++group;
      ++k;
      continue;
    }
    if (IsThousandsSeparator(s[k]) && k + 1 < s.size() && ArabicDigitValue(s[k + 1]) >= 0) {
      // The group after a comma may wrap onto the next line: "1,0\n86".
      size_t group_end = k + 1 + DigitRunLength(s, k + 1);
      size_t digits = group_end - k - 1;
      const Break wrap = BreakBeforeDigitAt(s, group_end);
      const bool wrapped = wrap.line && digits < 3;
      if (wrapped) {
        const size_t more = DigitRunLength(s, group_end + wrap.length);
        group_end += wrap.length + more;
        digits += more;
      }
      const bool groups_by_three =
          !space_grouped && (comma_grouped ? group == 3 : group <= 3) && digits == 3;
      if (groups_by_three) {
        push_digits(k + 1, group_end);
        comma_grouped = true;
        group = 3;
        k = group_end;
        continue;
      }
      // An ASCII comma between digits is a misplaced thousands separator; a
      // Chinese comma not followed by a group of three ends a clause
      // ("35，28件").
      if (s[k] == U',' || wrapped) return torn_at(k);
      break;
    }
    const Break gap = BreakBeforeDigitAt(s, k);
    if (gap.length == 0) break;
    const size_t next = k + gap.length;
    const size_t digits = DigitRunLength(s, next);
    const bool groups_by_three =
        !comma_grouped && (space_grouped ? group == 3 : group <= 3) && digits == 3;
    if (setting == NumberSetting::kApart) {
      if (groups_by_three) return torn_at(k);
      break;  // two numbers: "表1 35件", one cell then the next
    }
    if (groups_by_three) {
      space_grouped = true;
      group = 3;
    } else if (gap.line && !comma_grouped && !space_grouped) {
      group += digits;  // a wrapped line: "收案3\n47件"
    } else {
      return torn_at(k);
    }
    push_digits(next, next + digits);
    k = next + digits;
  }

  // A decimal point (maybe a middle dot), its digits possibly broken by a
  // space or wrapped line: "12·3 4%".
  const auto point_then_digit = [&s](size_t i) {
    return i + 1 < s.size() && IsDecimalPoint(s[i]) &&
           (ArabicDigitValue(s[i + 1]) >= 0 || BreakBeforeDigitAt(s, i + 1).line);
  };
  if (point_then_digit(k)) {
    ++k;
    // Fractional zeros are held back until a nonzero digit follows, so that
    // trailing zeros ("2.80") never overflow.
    int zeros = 0;
    while (k < s.size()) {
      const int digit = ArabicDigitValue(s[k]);
      if (digit < 0) {
        const Break gap = BreakBeforeDigitAt(s, k);
        if (gap.length == 0) break;
        if (setting == NumberSetting::kApart) return torn_at(k);
        k += gap.length;
        continue;
      }
      ++k;
      if (digit == 0) {
        ++zeros;
        continue;
      }
      for (; zeros > 0; --zeros) {
        push_digit(0);
        ++out.value.scale;
      }
      push_digit(digit);
      ++out.value.scale;
      // Leading fractional zeros ("0.000…1") never overflow the coefficient
      // but do lengthen the decimal: past kMaxFractionDigits the number is
      // not held exactly either.
      if (out.value.scale > kMaxFractionDigits) out.overflow = true;
    }
    if (point_then_digit(k)) {
      out.dotted = true;
      while (k < s.size() && (ArabicDigitValue(s[k]) >= 0 || point_then_digit(k))) {
        ++k;
      }
    }
  }
  out.end = k;
  out.value = Normalized(out.value);
  return out;
}

enum class TokenKind { kArabic, kDigit, kSmallUnit, kBigUnit, kApproximate };

struct Token {
  TokenKind kind;
  Decimal arabic;    // kArabic
  int digit = 0;     // kDigit
  int exponent = 0;  // kSmallUnit, kBigUnit
};

struct NumberReading {
  bool ok = false;
  std::string error;  // when !ok
  size_t end = 0;     // one past the numeral run, 余/多 included
  Decimal value;
  Multiplier multiplier = Multiplier::kNone;
  bool has_arabic = false;
  bool has_unit = false;            // any of 十百千万亿
  bool approximate = false;         // 余 or 多
  int bare_unit_exponent = 0;       // a leading unit standing for one ("百余")
  bool approximate_second = false;  // 余/多 right after the first token
  bool lone_trivial = false;        // just 一, 零 or 〇
};

// Tokenizes the numeral run at `pos`; `whole_phrase` as for ReadArabic.
size_t Tokenize(Text s, size_t pos, bool whole_phrase, std::vector<Token>* tokens,
                ArabicNumber* bad_arabic) {
  size_t k = pos;
  bool seen_approximate = false;
  while (k < s.size()) {
    const char32_t c = s[k];
    const bool first = tokens->empty();
    const TokenKind prev = first ? TokenKind::kApproximate : tokens->back().kind;
    if (ArabicDigitValue(c) >= 0) {
      if (seen_approximate || !(first || prev == TokenKind::kBigUnit)) break;
      ArabicNumber number = ReadArabic(s, k, whole_phrase);
      if (number.dotted || number.overflow || number.torn) {
        *bad_arabic = number;
        return number.end;
      }
      Token token{TokenKind::kArabic, number.value};
      tokens->push_back(token);
      k = number.end;
      continue;
    }
    if (const int digit = ChineseDigitValue(c); digit >= 0) {
      if (seen_approximate || (!first && prev == TokenKind::kArabic)) break;
      Token token{TokenKind::kDigit, Decimal()};
      token.digit = digit;
      tokens->push_back(token);
      ++k;
      continue;
    }
    Text ignored;
    if (const int exponent = SmallUnitExponent(c); exponent > 0) {
      if (seen_approximate || (!first && prev != TokenKind::kArabic && prev != TokenKind::kDigit)) {
        break;
      }
      if (MeasureWordAt(s, k, false, &ignored) > 0) break;  // 千米, 百分点
      Token token{TokenKind::kSmallUnit, Decimal()};
      token.exponent = exponent;
      tokens->push_back(token);
      ++k;
      continue;
    }
    if (const int exponent = BigUnitExponent(c); exponent > 0) {
      if (MeasureWordAt(s, k, false, &ignored) > 0) break;
      Token token{TokenKind::kBigUnit, Decimal()};
      token.exponent = exponent;
      tokens->push_back(token);
      ++k;
      continue;
    }
    if (IsApproximateMarker(c) && !first && !seen_approximate) {
      tokens->push_back(Token{TokenKind::kApproximate, Decimal()});
      seen_approximate = true;
      ++k;
      continue;
    }
    break;
  }
  return k;
}

NumberReading ReadNumber(Text s, size_t pos, bool whole_phrase) {
  NumberReading out;
  std::vector<Token> tokens;
  ArabicNumber bad_arabic;
  out.end = Tokenize(s, pos, whole_phrase, &tokens, &bad_arabic);
  if (bad_arabic.torn) {
    out.error =
        "digits split by a separator, space or line break that cannot be read with certainty";
    return out;
  }
  if (bad_arabic.dotted) {
    out.error = "a dotted number (a date or version) is not a quantity";
    return out;
  }
  if (bad_arabic.overflow) {
    out.error = "too many digits to hold exactly";
    return out;
  }
  if (tokens.empty()) {
    out.error = "no number";
    out.end = std::max(out.end, pos);
    return out;
  }

  const auto fail = [&out](std::string message) {
    out.ok = false;
    out.error = std::move(message);
    return out;
  };
  constexpr char kOverflow[] = "value too large to hold exactly";

  Decimal total;
  Decimal section;
  Decimal current;
  bool has_current = false;
  bool section_has_value = false;
  int last_small = 99;
  int last_big = 0;  // 0: none yet
  const Token* prev = nullptr;
  const Token* before_prev = nullptr;
  bool prev_is_placeholder = false;
  int numeric_tokens = 0;

  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.kind == TokenKind::kApproximate) {
      out.approximate = true;
      if (i == 1) out.approximate_second = true;
      continue;
    }
    ++numeric_tokens;
    const bool first = prev == nullptr;
    bool placeholder = false;
    switch (token.kind) {
      case TokenKind::kArabic:
        out.has_arabic = true;
        current = token.arabic;
        has_current = true;
        break;
      case TokenKind::kDigit:
        if (token.digit == 0 && !first &&
            (prev->kind == TokenKind::kSmallUnit || prev->kind == TokenKind::kBigUnit)) {
          placeholder = true;
          break;
        }
        if (has_current) {
          return fail(
              "numerals written digit by digit (as in a year) are not a "
              "count");
        }
        current = {static_cast<uint64_t>(token.digit), 0};
        has_current = true;
        break;
      case TokenKind::kSmallUnit: {
        out.has_unit = true;
        if (!has_current) {
          if (first) {
            out.bare_unit_exponent = token.exponent;
          } else if (!prev_is_placeholder) {
            return fail("a unit without a digit before it");
          }
          current = {1, 0};
        }
        if (token.exponent >= last_small) {
          return fail("numeral units out of order");
        }
        Decimal term = current;
        if (!MultiplyByPow10(&term, token.exponent) || !Add(section, term, &section)) {
          return fail(kOverflow);
        }
        has_current = false;
        section_has_value = true;
        last_small = token.exponent;
        break;
      }
      case TokenKind::kBigUnit: {
        out.has_unit = true;
        Decimal pending = section;
        if (has_current && !Add(pending, current, &pending)) {
          return fail(kOverflow);
        }
        if (!has_current && !section_has_value) {
          if (first) {
            out.bare_unit_exponent = token.exponent;
            pending = {1, 0};
          } else if (prev->kind == TokenKind::kBigUnit && prev->exponent == 4 &&
                     token.exponent == 8 && last_big == 4) {
            // 万亿: 10^12.
            if (!MultiplyByPow10(&total, 8)) return fail(kOverflow);
            last_big = 12;
            before_prev = prev;
            prev = &token;
            continue;
          } else {
            return fail("万 or 亿 without a number before it");
          }
        }
        if (last_big != 0) {
          if (token.exponent >= last_big) {
            return fail("numeral units out of order");
          }
          if (IntegerPart(pending) >= Pow10(last_big - token.exponent)) {
            return fail("numeral units out of order");
          }
        }
        if (!MultiplyByPow10(&pending, token.exponent) || !Add(total, pending, &total)) {
          return fail(kOverflow);
        }
        section = Decimal();
        has_current = false;
        section_has_value = false;
        last_small = 99;
        last_big = token.exponent;
        break;
      }
      case TokenKind::kApproximate:
        break;
    }
    prev_is_placeholder = placeholder;
    before_prev = prev;
    prev = &token;
  }

  // A bare digit after 百/千/万/亿 ("一百五", "两万三", "1万5") is
  // colloquial shorthand for a scaled value; refuse to guess.
  if (has_current && before_prev != nullptr && !prev_is_placeholder) {
    const Token& unit = *before_prev;
    if (unit.kind == TokenKind::kSmallUnit && unit.exponent >= 2 &&
        prev->kind == TokenKind::kDigit) {
      return fail("an abbreviated numeral such as 一百五 is ambiguous");
    }
    if (unit.kind == TokenKind::kBigUnit) {
      const bool full_width = prev->kind == TokenKind::kArabic && current.scale == 0 &&
                              IntegerPart(current) >= Pow10(unit.exponent - 1);
      if (!full_width) {
        return fail("an abbreviated numeral such as 两万三 is ambiguous");
      }
    }
  }

  Decimal pending = section;
  if (has_current && !Add(pending, current, &pending)) return fail(kOverflow);
  if (last_big != 0 && IntegerPart(pending) >= Pow10(last_big)) {
    return fail("numeral units out of order");
  }
  if (!Add(total, pending, &total)) return fail(kOverflow);

  out.value = Normalized(total);
  out.lone_trivial =
      numeric_tokens == 1 && tokens[0].kind == TokenKind::kDigit && tokens[0].digit <= 1;
  if (prev->kind == TokenKind::kBigUnit) {
    out.multiplier = last_big == 4 ? Multiplier::kWan : Multiplier::kYi;
  } else if (prev->kind == TokenKind::kSmallUnit && prev->exponent >= 2 &&
             (numeric_tokens == 1 ||
              (before_prev != nullptr && before_prev->kind == TokenKind::kArabic))) {
    out.multiplier = prev->exponent == 2 ? Multiplier::kHundred : Multiplier::kThousand;
  }
  out.ok = true;
  return out;
}

// ---------------------------------------------------------------------------
// Reading a quantity: number plus what surrounds it.

enum class Mode { kFind, kParse };

struct QuantityReading {
  bool ok = false;
  std::string error;       // when !ok
  bool date_like = false;  // followed by a stop word
  Text stop_word;          // when date_like
  size_t begin = 0;        // first code point of the number (or 百分之)
  size_t number_end = 0;   // one past the numeral run
  size_t end = 0;          // one past the quantity
  NumberReading number;
  bool percent = false;
  bool plus = false;
  Text measure;  // empty when none or percent
  bool has_suffix_qualifier = false;
  Qualifier suffix_qualifier = Qualifier::kExact;
  bool has_prefix_qualifier = false;
  Qualifier prefix_qualifier = Qualifier::kExact;
  size_t prefix_begin = 0;
};

QuantityReading ReadQuantity(Text s, size_t pos, Mode mode) {
  QuantityReading out;
  out.begin = pos;
  size_t k = pos;
  if (MatchesAt(s, k, kPercentWords)) {
    out.percent = true;
    k += kPercentWords.size();
  }
  out.number = ReadNumber(s, k, mode == Mode::kParse);
  out.end = out.number_end = std::max(out.number.end, k);
  if (!out.number.ok) {
    out.error = out.number.error;
    return out;
  }
  k = out.number.end;

  if (k < s.size() && (s[k] == U'+' || s[k] == 0xFF0B) &&
      !(k + 1 < s.size() && (IsAsciiAlnum(s[k + 1]) || IsNumeralChar(s[k + 1])))) {
    out.plus = true;
    ++k;
  }

  if (!out.percent) {
    if (k < s.size() && (s[k] == U'%' || s[k] == 0xFF05)) {
      out.percent = true;
      ++k;
    } else if (k < s.size() && s[k] == 0x2030) {
      out.measure = U"‰";
      ++k;
    } else {
      const bool restricted = mode == Mode::kFind && !out.number.has_arabic;
      Text measure;
      const size_t measure_length = MeasureWordAt(s, k, restricted, &measure);
      const size_t stop_length = StopWordAt(s, k);
      if (stop_length > measure_length) {
        out.date_like = true;
        out.stop_word = s.substr(k, stop_length);
        out.end = k + stop_length;
        out.error = "a date, time or label, not a quantity";
        return out;
      }
      if (measure_length > 0) {
        out.measure = measure;
        k += measure_length;
      }
    }
  }

  if (const size_t length = SuffixQualifierAt(s, k, &out.suffix_qualifier); length > 0) {
    out.has_suffix_qualifier = true;
    k += length;
  }
  out.end = k;
  out.ok = true;
  return out;
}

bool HasMeasure(const QuantityReading& r) { return r.percent || !r.measure.empty(); }

// Whether a reading that is not part of a range counts as a quantity in
// free text.
bool HasEvidence(const QuantityReading& r) {
  const NumberReading& n = r.number;
  if (n.has_arabic) {
    return HasMeasure(r) || n.has_unit || n.approximate || r.plus || r.has_prefix_qualifier ||
           r.has_suffix_qualifier;
  }
  // "超过百亿": a qualifier before a numeral with a unit makes it a count.
  return HasMeasure(r) || n.approximate || (r.has_prefix_qualifier && n.has_unit);
}

// Chinese-numeral readings that look like words or slogans rather than
// counts.
bool LooksLikeChineseWord(Text s, const QuantityReading& r) {
  const NumberReading& n = r.number;
  if (n.has_arabic || MatchesAt(s, r.begin, kPercentWords)) return false;
  if (n.lone_trivial) return true;
  if (n.bare_unit_exponent >= 2 && !n.approximate_second && !r.has_prefix_qualifier) {
    return true;
  }
  if (r.begin > 0 && IsOpeningQuote(s[r.begin - 1])) return true;
  return r.end < s.size() && ChineseDigitValue(s[r.end]) >= 0;
}

Qualifier FinalQualifier(const QuantityReading& r) {
  if (r.has_prefix_qualifier) return r.prefix_qualifier;
  if (r.number.approximate || r.plus) return Qualifier::kMoreThan;
  if (r.has_suffix_qualifier) return r.suffix_qualifier;
  return Qualifier::kExact;
}

// A reading turned into values, before it is copied out.
struct Resolved {
  size_t begin = 0;
  size_t end = 0;
  Decimal value;
  Multiplier multiplier = Multiplier::kNone;
  Qualifier qualifier = Qualifier::kExact;
  std::string measure_word;
};

Resolved Resolve(const QuantityReading& r) {
  Resolved out;
  out.begin = r.has_prefix_qualifier ? r.prefix_begin : r.begin;
  out.end = r.end;
  out.value = r.number.value;
  out.multiplier = r.number.multiplier;
  out.qualifier = FinalQualifier(r);
  if (r.percent) {
    out.measure_word = "%";
  } else {
    out.measure_word = EncodeUtf8(r.measure);
  }
  return out;
}

ChineseQuantity ToQuantity(absl::string_view source, const CodePoints& code_points,
                           const Resolved& resolved) {
  ChineseQuantity q;
  const size_t from = code_points.byte_offsets[resolved.begin];
  const size_t to = code_points.byte_offsets[resolved.end];
  q.text = std::string(source.substr(from, to - from));
  q.mantissa = ToString(DivideByPow10(resolved.value, MultiplierExponent(resolved.multiplier)));
  q.multiplier = resolved.multiplier;
  q.decimal = ToString(resolved.value);
  q.qualifier = resolved.qualifier;
  q.measure_word = resolved.measure_word;
  q.begin = resolved.begin;
  q.end = resolved.end;
  return q;
}

// The low end of a range takes what the high end states for both:
// "3-4家", "3-5万人", "5-10%".
void InheritFromHighEnd(const QuantityReading& low_reading, Resolved* low, Resolved* high) {
  if (!HasMeasure(low_reading)) low->measure_word = high->measure_word;
  const int exponent = MultiplierExponent(high->multiplier);
  if (!low_reading.number.has_unit && exponent >= 4) {
    Decimal scaled = low->value;
    if (MultiplyByPow10(&scaled, exponent)) {
      low->value = Normalized(scaled);
      low->multiplier = high->multiplier;
    }
  }
  if (low->qualifier == Qualifier::kExact) low->qualifier = Qualifier::kAtLeast;
  if (high->qualifier == Qualifier::kExact) high->qualifier = Qualifier::kAtMost;
}

void SetPrefix(Text s, size_t floor, QuantityReading* r) {
  Qualifier qualifier;
  const size_t length = PrefixQualifierBefore(s, r->begin, floor, &qualifier);
  if (length > 0) {
    r->has_prefix_qualifier = true;
    r->prefix_qualifier = qualifier;
    r->prefix_begin = r->begin - length;
  }
}

std::string Quoted(absl::string_view phrase) { return absl::StrCat("\"", phrase, "\""); }

}  // namespace

double ChineseQuantity::value() const {
  double result = 0;
  if (!absl::SimpleAtod(decimal, &result)) return 0;
  return result;
}

absl::string_view QualifierName(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::kExact:
      return "exact";
    case Qualifier::kMoreThan:
      return "more_than";
    case Qualifier::kNearly:
      return "nearly";
    case Qualifier::kAtLeast:
      return "at_least";
    case Qualifier::kAtMost:
      return "at_most";
    case Qualifier::kAbout:
      return "about";
  }
  return "unknown";
}

absl::string_view MultiplierName(Multiplier multiplier) {
  switch (multiplier) {
    case Multiplier::kNone:
      return "none";
    case Multiplier::kHundred:
      return "hundred";
    case Multiplier::kThousand:
      return "thousand";
    case Multiplier::kWan:
      return "wan";
    case Multiplier::kYi:
      return "yi";
  }
  return "unknown";
}

int MultiplierExponent(Multiplier multiplier) {
  switch (multiplier) {
    case Multiplier::kNone:
      return 0;
    case Multiplier::kHundred:
      return 2;
    case Multiplier::kThousand:
      return 3;
    case Multiplier::kWan:
      return 4;
    case Multiplier::kYi:
      return 8;
  }
  return 0;
}

absl::StatusOr<ChineseQuantity> ParseChineseQuantity(absl::string_view phrase) {
  if (!IsValidUtf8(phrase)) {
    return errors::InvalidValue("quantity phrase is not valid UTF-8");
  }
  const CodePoints code_points = DecodeUtf8Lenient(phrase);
  const Text all(code_points.chars);
  size_t begin = 0;
  size_t end = all.size();
  while (begin < end && IsSpace(all[begin])) ++begin;
  while (end > begin && IsSpace(all[end - 1])) --end;
  const Text s = all.substr(0, end);
  const auto invalid = [&](absl::string_view why) {
    return errors::InvalidValue(absl::StrCat(Quoted(phrase), " is not a quantity: ", why));
  };
  if (begin == end) return invalid("it is empty");
  if (s[begin] == U'第') return invalid("it is an ordinal (第…)");

  Qualifier prefix_qualifier = Qualifier::kExact;
  const size_t prefix_length = PrefixQualifierAt(s, begin, &prefix_qualifier);
  const size_t number_begin = begin + prefix_length;
  if (!IsNumberStart(s, number_begin) && !MatchesAt(s, number_begin, kPercentWords)) {
    return invalid(prefix_length > 0 ? "no number after the qualifier"
                                     : "it does not start with a number");
  }
  QuantityReading r = ReadQuantity(s, number_begin, Mode::kParse);
  if (r.date_like) {
    return invalid(absl::StrCat("a number followed by ", EncodeUtf8(r.stop_word),
                                " is a date, time or label"));
  }
  if (!r.ok) return invalid(r.error);
  if (prefix_length > 0) {
    r.has_prefix_qualifier = true;
    r.prefix_qualifier = prefix_qualifier;
    r.prefix_begin = begin;
  }
  if (r.end != end) {
    if (RangeSeparatorAt(s, r.end) > 0) {
      return invalid("it is a range; each end is a quantity of its own");
    }
    const size_t from = code_points.byte_offsets[r.end];
    const size_t to = code_points.byte_offsets[end];
    return invalid(
        absl::StrCat("unexpected ", Quoted(phrase.substr(from, to - from)), " after the number"));
  }
  return ToQuantity(phrase, code_points, Resolve(r));
}

std::vector<ChineseQuantity> FindChineseQuantities(absl::string_view text) {
  std::vector<ChineseQuantity> found;
  const CodePoints code_points = DecodeUtf8Lenient(text);
  const Text s(code_points.chars);
  size_t floor = 0;  // nothing found may start before this
  size_t i = 0;
  while (i < s.size()) {
    if (!IsNumberStart(s, i)) {
      ++i;
      continue;
    }
    QuantityReading low = ReadQuantity(s, i, Mode::kFind);
    size_t resume = std::max(low.end, i + 1);
    if (!low.ok) {
      i = resume;
      continue;
    }
    SetPrefix(s, floor, &low);
    const char32_t before = i > 0 ? s[i - 1] : U'\0';
    const bool glued_to_letters =
        low.number.has_arabic &&
        (IsAsciiLetter(before) || (low.number_end < s.size() && IsAsciiLetter(s[low.number_end])));
    const bool context_rejects = before == U'第' || glued_to_letters ||
                                 (IsOpeningParenthesis(before) && low.number_end < s.size() &&
                                  IsClosingParenthesis(s[low.number_end]));

    // A range "a-b": decided as a whole.
    const size_t separator = low.plus || low.has_suffix_qualifier || low.number.lone_trivial
                                 ? 0
                                 : RangeSeparatorAt(s, low.end);
    if (separator > 0 && IsNumberStart(s, low.end + separator)) {
      QuantityReading high = ReadQuantity(s, low.end + separator, Mode::kFind);
      // Both ends are written alike: "3-4家", "三到五个"; not "统一到3个".
      if (high.ok && high.number.has_arabic != low.number.has_arabic) {
        high.ok = false;
      }
      if (high.date_like) {
        i = std::max(high.end, resume);
        continue;
      }
      if (high.ok) {
        i = std::max(high.end, resume);
        if (context_rejects || (!HasEvidence(low) && !HasEvidence(high))) {
          continue;
        }
        Resolved low_resolved = Resolve(low);
        Resolved high_resolved = Resolve(high);
        InheritFromHighEnd(low, &low_resolved, &high_resolved);
        found.push_back(ToQuantity(text, code_points, low_resolved));
        found.push_back(ToQuantity(text, code_points, high_resolved));
        floor = high.end;
        continue;
      }
    }

    i = resume;
    if (context_rejects || !HasEvidence(low) || LooksLikeChineseWord(s, low)) {
      continue;
    }
    found.push_back(ToQuantity(text, code_points, Resolve(low)));
    floor = low.end;
  }
  return found;
}

}  // namespace fazhi::text
