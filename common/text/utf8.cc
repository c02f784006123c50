#include "common/text/utf8.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace fazhi::text {
namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Length of the UTF-8 sequence that represents `code_point`, or 0 when it is
// not a Unicode scalar value.
size_t EncodedLength(char32_t code_point) {
  if (code_point < 0x80) return 1;
  if (code_point < 0x800) return 2;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  if (code_point < 0x10000) return 3;
  if (code_point <= 0x10FFFF) return 4;
  return 0;
}

// Advances over one leniently decoded code point starting at `pos`.
size_t LenientStep(absl::string_view text, size_t pos) {
  char32_t ignored;
  const size_t length = DecodeCodePointAt(text, pos, &ignored);
  return length == 0 ? 1 : length;
}

}  // namespace

size_t DecodeCodePointAt(absl::string_view text, size_t pos, char32_t* code_point) {
  if (pos >= text.size()) return 0;
  const auto at = [&](size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = at(0);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length;
  char32_t value;
  // Bounds of the second byte per Unicode Table 3-7; they exclude overlong
  // forms, surrogates and values above U+10FFFF.
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (text.size() - pos < length) return 0;
  const unsigned char second = at(1);
  if (second < second_min || second > second_max) return 0;
  value = (value << 6) | (second & 0x3F);
  for (size_t i = 2; i < length; ++i) {
    if (!IsContinuation(at(i))) return 0;
    value = (value << 6) | (at(i) & 0x3F);
  }
  *code_point = value;
  return length;
}

bool IsValidUtf8(absl::string_view text) {
  size_t pos = 0;
  char32_t ignored;
  while (pos < text.size()) {
    const size_t length = DecodeCodePointAt(text, pos, &ignored);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

absl::StatusOr<std::u32string> DecodeUtf8(absl::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point;
    const size_t length = DecodeCodePointAt(text, pos, &code_point);
    if (length == 0) {
      return errors::InvalidValue(absl::StrCat("ill-formed UTF-8 at byte offset ", pos));
    }
    out.push_back(code_point);
    pos += length;
  }
  return out;
}

void AppendUtf8(char32_t code_point, std::string* out) {
  switch (EncodedLength(code_point)) {
    case 1:
      out->push_back(static_cast<char>(code_point));
      return;
    case 2:
      out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
      return;
    case 3:
      out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
      return;
    case 4:
      out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
      return;
    default:
      AppendUtf8(kReplacementCharacter, out);
      return;
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t code_point : text) AppendUtf8(code_point, &out);
  return out;
}

size_t CodePointCount(absl::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size(); pos += LenientStep(text, pos)) {
    ++count;
  }
  return count;
}

CodePoints DecodeUtf8Lenient(absl::string_view text) {
  CodePoints out;
  out.chars.reserve(text.size());
  out.byte_offsets.reserve(text.size() + 1);
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point;
    size_t length = DecodeCodePointAt(text, pos, &code_point);
    if (length == 0) {
      code_point = kReplacementCharacter;
      length = 1;
    }
    out.chars.push_back(code_point);
    out.byte_offsets.push_back(pos);
    pos += length;
  }
  out.byte_offsets.push_back(text.size());
  return out;
}

absl::string_view SubstrByCodePoints(absl::string_view text, size_t begin, size_t end) {
  if (begin >= end) return absl::string_view();
  size_t pos = 0;
  size_t index = 0;
  for (; index < begin && pos < text.size(); ++index) {
    pos += LenientStep(text, pos);
  }
  const size_t start = pos;
  for (; index < end && pos < text.size(); ++index) {
    pos += LenientStep(text, pos);
  }
  return text.substr(start, pos - start);
}

}  // namespace fazhi::text
