#include "common/text/quantity_proto.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"

namespace fazhi::text {
namespace {

fazhi::type::Qualifier QualifierToProto(Qualifier q) {
  switch (q) {
    case Qualifier::kExact:
      return fazhi::type::QUALIFIER_EXACT;
    case Qualifier::kMoreThan:
      return fazhi::type::QUALIFIER_MORE_THAN;
    case Qualifier::kNearly:
      return fazhi::type::QUALIFIER_NEARLY;
    case Qualifier::kAtLeast:
      return fazhi::type::QUALIFIER_AT_LEAST;
    case Qualifier::kAtMost:
      return fazhi::type::QUALIFIER_AT_MOST;
    case Qualifier::kAbout:
      return fazhi::type::QUALIFIER_ABOUT;
  }
  return fazhi::type::QUALIFIER_UNSPECIFIED;
}

fazhi::type::Multiplier MultiplierToProto(Multiplier m) {
  switch (m) {
    case Multiplier::kNone:
      return fazhi::type::MULTIPLIER_NONE;
    case Multiplier::kHundred:
      return fazhi::type::MULTIPLIER_HUNDRED;
    case Multiplier::kThousand:
      return fazhi::type::MULTIPLIER_THOUSAND;
    case Multiplier::kWan:
      return fazhi::type::MULTIPLIER_WAN;
    case Multiplier::kYi:
      return fazhi::type::MULTIPLIER_YI;
  }
  return fazhi::type::MULTIPLIER_UNSPECIFIED;
}

}  // namespace

fazhi::type::Quantity ToProto(const ChineseQuantity& quantity) {
  fazhi::type::Quantity out;
  out.set_text(quantity.text);
  out.set_decimal(quantity.decimal);
  out.set_mantissa(quantity.mantissa);
  out.set_multiplier(MultiplierToProto(quantity.multiplier));
  out.set_qualifier(QualifierToProto(quantity.qualifier));
  out.set_measure_word(quantity.measure_word);
  out.set_value(quantity.value());
  return out;
}

std::optional<fazhi::type::Quantity> FirstQuantityIn(absl::string_view phrase) {
  auto found = FindChineseQuantities(phrase);
  if (found.empty()) return std::nullopt;
  return ToProto(found.front());
}

bool IsCanonicalDecimal(absl::string_view decimal) {
  if (decimal.empty() || decimal.size() > 40) return false;
  const size_t dot = decimal.find('.');
  absl::string_view whole = decimal.substr(0, dot);
  if (whole.empty() || (whole.size() > 1 && whole[0] == '0')) return false;
  for (char c : whole) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  if (dot == absl::string_view::npos) return true;
  absl::string_view fraction = decimal.substr(dot + 1);
  if (fraction.empty() || fraction.back() == '0') return false;
  for (char c : fraction) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckAndNormalizeQuantity(absl::string_view field, fazhi::type::Quantity& quantity,
                               errors::FieldViolations& violations) {
  if (!fazhi::type::Qualifier_IsValid(quantity.qualifier())) {
    violations.Add(absl::StrCat(field, ".qualifier"),
                   absl::StrCat("is not a known qualifier (", quantity.qualifier(),
                                "): EXACT, MORE_THAN, NEARLY, AT_LEAST, AT_MOST or ABOUT"));
  }
  if (!fazhi::type::Multiplier_IsValid(quantity.multiplier())) {
    violations.Add(absl::StrCat(field, ".multiplier"),
                   absl::StrCat("is not a known multiplier (", quantity.multiplier(),
                                "): NONE, HUNDRED, THOUSAND, WAN or YI"));
  }
  if (quantity.decimal().empty() && !quantity.text().empty()) {
    // Only the written form was given: read it.
    auto parsed = ParseChineseQuantity(quantity.text());
    if (!parsed.ok()) {
      violations.Add(absl::StrCat(field, ".text"), std::string(parsed.status().message()));
      return;
    }
    const std::string text = quantity.text();
    quantity = ToProto(*parsed);
    quantity.set_text(text);
    return;
  }
  if (!IsCanonicalDecimal(quantity.decimal())) {
    violations.Add(absl::StrCat(field, ".decimal"),
                   absl::StrCat("must be a non-negative decimal such as \"348\" or \"83.8\" "
                                "(no sign, exponent, or trailing zeros), got \"",
                                quantity.decimal(), "\""));
    return;
  }
  if (!IsValidUtf8(quantity.text()) || CodePointCount(quantity.text()) > 64) {
    violations.Add(absl::StrCat(field, ".text"), "must be valid UTF-8 of at most 64 characters");
  }
  if (!IsValidUtf8(quantity.measure_word()) || CodePointCount(quantity.measure_word()) > 8) {
    violations.Add(absl::StrCat(field, ".measure_word"),
                   "must be valid UTF-8 of at most 8 characters, such as 件 or %");
  }
  double value = 0;
  // A canonical decimal always reads; the check keeps clang's
  // -Wunused-result (the fuzz build) quiet.
  if (!absl::SimpleAtod(quantity.decimal(), &value)) value = 0;
  quantity.set_value(value);
  if (quantity.qualifier() == fazhi::type::QUALIFIER_UNSPECIFIED) {
    quantity.set_qualifier(fazhi::type::QUALIFIER_EXACT);
  }
  if (quantity.multiplier() == fazhi::type::MULTIPLIER_UNSPECIFIED) {
    quantity.set_multiplier(fazhi::type::MULTIPLIER_NONE);
  }
  if (quantity.mantissa().empty()) quantity.set_mantissa(quantity.decimal());
  if (quantity.text().empty()) {
    quantity.set_text(absl::StrCat(quantity.decimal(), quantity.measure_word()));
  }
}

}  // namespace fazhi::text
