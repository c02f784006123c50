// Between the Chinese quantity reader (chinese_quantity.h) and the wire type
// fazhi.type.Quantity, and the checks on a Quantity a caller sends.
#ifndef FAZHI_COMMON_TEXT_QUANTITY_PROTO_H_
#define FAZHI_COMMON_TEXT_QUANTITY_PROTO_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "common/text/chinese_quantity.h"
#include "fazhi/type/quantity.pb.h"

namespace fazhi::text {

fazhi::type::Quantity ToProto(const ChineseQuantity& quantity);

// The first figure in `phrase` ("累计避损147亿余元" -> 147亿余元), or nullopt.
std::optional<fazhi::type::Quantity> FirstQuantityIn(absl::string_view phrase);

// True for a canonical decimal: digits, optionally one '.' followed by
// digits with no trailing zero, no leading zeros ("0.5", "28000", "83.8").
bool IsCanonicalDecimal(absl::string_view decimal);

// Checks a caller's quantity (fields named `field` + ".decimal" ...) and
// fills what the server derives: value, qualifier EXACT when unspecified,
// multiplier NONE when unspecified, mantissa and text when empty.
void CheckAndNormalizeQuantity(absl::string_view field, fazhi::type::Quantity& quantity,
                               errors::FieldViolations& violations);

}  // namespace fazhi::text

#endif  // FAZHI_COMMON_TEXT_QUANTITY_PROTO_H_
