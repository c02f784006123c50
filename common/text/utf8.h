// UTF-8 helpers used by the Chinese text readers.
//
// Two notions of decoding are offered:
//
//  * Strict (`IsValidUtf8`, `DecodeUtf8`): the input must be well-formed
//    UTF-8 as defined by Unicode Table 3-7 (no overlong forms, no surrogates,
//    nothing above U+10FFFF, no truncated sequences).
//  * Lenient (`CodePointCount`, `DecodeUtf8Lenient`, `SubstrByCodePoints`):
//    every byte that does not start a well-formed sequence counts as exactly
//    one code point, U+FFFD, and decoding resumes at the next byte. All
//    lenient functions use this same rule, so a code-point offset reported by
//    one of them (for example by `FindChineseQuantities`) can be resolved by
//    any other. On valid UTF-8 the two notions agree.

#ifndef FAZHI_COMMON_TEXT_UTF8_H_
#define FAZHI_COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point whose first byte is `text[pos]`. On success stores
// it in `*code_point` and returns its length in bytes (1 to 4). Returns 0,
// leaving `*code_point` unchanged, if `pos >= text.size()` or the bytes at
// `pos` are not a well-formed sequence.
size_t DecodeCodePointAt(absl::string_view text, size_t pos, char32_t* code_point);

// True if `text` is entirely well-formed UTF-8. The empty string is valid.
bool IsValidUtf8(absl::string_view text);

// Decodes well-formed UTF-8. Returns InvalidArgument naming the byte offset
// of the first ill-formed sequence otherwise.
absl::StatusOr<std::u32string> DecodeUtf8(absl::string_view text);

// Appends the UTF-8 form of `code_point`. Surrogates and values above
// U+10FFFF are not scalar values and are written as U+FFFD.
void AppendUtf8(char32_t code_point, std::string* out);

// Encodes `text` as UTF-8, with the substitution described at `AppendUtf8`.
std::string EncodeUtf8(std::u32string_view text);

// Number of code points in `text`, counted leniently.
size_t CodePointCount(absl::string_view text);

// The lenient decoding of a byte string together with where each code point
// came from.
struct CodePoints {
  // One entry per code point; ill-formed bytes appear as U+FFFD.
  std::u32string chars;
  // `byte_offsets[i]` is the byte offset in the source of `chars[i]`;
  // `byte_offsets[chars.size()]` is the source size. Strictly increasing.
  std::vector<size_t> byte_offsets;
};

// Decodes `text` leniently. Never fails.
CodePoints DecodeUtf8Lenient(absl::string_view text);

// The bytes of `text` covering code points [begin, end), counted leniently.
// Offsets past the end are clamped; an empty view is returned if
// `begin >= end`. The result points into `text`.
absl::string_view SubstrByCodePoints(absl::string_view text, size_t begin, size_t end);

}  // namespace fazhi::text

#endif  // FAZHI_COMMON_TEXT_UTF8_H_
