// Fuzz target for the Chinese quantity reader (common/text/chinese_quantity.h):
// the input bytes are read both as one phrase (ParseChineseQuantity) and as
// free text (FindChineseQuantities), then each result goes through ToProto
// as the report reader does. Besides crashes, hangs and sanitizer reports it
// fails on any result that breaks the header's contract: spans in order and
// inside the text, `text` the bytes of its span, canonical decimals, and
// decimal == mantissa * 10^multiplier.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/text/chinese_quantity.h"
#include "common/text/quantity_proto.h"
#include "common/text/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fazhi::text::ChineseQuantity;

// `canonical` (a canonical decimal) times 10^exponent, canonical.
std::string ShiftDecimalPoint(const std::string& canonical, int exponent) {
  const size_t dot = canonical.find('.');
  std::string whole = canonical.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : canonical.substr(dot + 1);
  for (; exponent > 0; --exponent) {
    whole.push_back(fraction.empty() ? '0' : fraction[0]);
    if (!fraction.empty()) fraction.erase(0, 1);
  }
  const size_t first = whole.find_first_not_of('0');
  whole = first == std::string::npos ? "0" : whole.substr(first);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? whole : whole + "." + fraction;
}

// The contract of one quantity read from `text`.
void CheckQuantity(absl::string_view text, const ChineseQuantity& q) {
  FUZZ_CHECK(q.begin < q.end);
  FUZZ_CHECK(q.end <= fazhi::text::CodePointCount(text));
  FUZZ_CHECK(fazhi::text::SubstrByCodePoints(text, q.begin, q.end) == q.text);
  FUZZ_CHECK(fazhi::text::IsValidUtf8(q.text));
  FUZZ_CHECK(fazhi::text::IsCanonicalDecimal(q.mantissa));
  FUZZ_CHECK(fazhi::text::IsCanonicalDecimal(q.decimal));
  FUZZ_CHECK(ShiftDecimalPoint(q.mantissa, fazhi::text::MultiplierExponent(q.multiplier)) ==
             q.decimal);
  FUZZ_CHECK(std::isfinite(q.value()) && q.value() >= 0);
  FUZZ_CHECK(fazhi::text::IsValidUtf8(q.measure_word));
  const fazhi::type::Quantity proto = fazhi::text::ToProto(q);
  FUZZ_CHECK(proto.decimal() == q.decimal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  const auto phrase = fazhi::text::ParseChineseQuantity(text);
  if (phrase.ok()) CheckQuantity(text, *phrase);

  size_t previous_end = 0;
  for (const ChineseQuantity& q : fazhi::text::FindChineseQuantities(text)) {
    FUZZ_CHECK(q.begin >= previous_end);
    CheckQuantity(text, q);
    previous_end = q.end;
  }
  return 0;
}
