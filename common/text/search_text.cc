#include "common/text/search_text.h"

#include "common/text/utf8.h"

namespace fazhi::text {

char32_t FoldForSearch(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
  if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  return c;
}

bool IsIndexedCharacter(char32_t c) {
  c = FoldForSearch(c);
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
  if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation: “ ” ‘ ’ — …
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation: 、。《》「」【】
  if (c >= 0xFE30 && c <= 0xFE4F) return false;  // CJK compatibility forms
  // Full-width forms left after folding (U+FF00, U+FF5F..U+FF65: white
  // parentheses and half-width CJK punctuation).
  if (c >= 0xFF00 && c <= 0xFF65) return false;
  if (c == kReplacementCharacter || c == 0x00A0 || c == 0xFEFF) return false;
  return c >= 0x00C0;
}

}  // namespace fazhi::text
