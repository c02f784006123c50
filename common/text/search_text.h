// Which characters full-text search indexes, shared by the report service
// (which builds the index) and the gateway (which builds queries for it), so
// a word one side sees is a word the other indexes.
//
// Search compares text after character folding: full-width ASCII forms
// (U+FF01..U+FF5E) become ASCII and ASCII letters become lower case, so
// "ＡＢ" and "ab" are the same word. Indexed characters are letters, digits
// and CJK ideographs (every code point from U+00C0 up except punctuation,
// white space and the replacement character); everything else separates
// words.
#ifndef FAZHI_COMMON_TEXT_SEARCH_TEXT_H_
#define FAZHI_COMMON_TEXT_SEARCH_TEXT_H_

namespace fazhi::text {

// `c` as search compares it (see above); folding a folded character
// returns it unchanged.
char32_t FoldForSearch(char32_t c);

// Whether `c`, once folded, is a character search indexes: true for 'A',
// 'a', 'Ａ', '7', '７', '法'; false for ' ', ',', '，', '。', '【', '“'.
bool IsIndexedCharacter(char32_t c);

}  // namespace fazhi::text

#endif  // FAZHI_COMMON_TEXT_SEARCH_TEXT_H_
