// Full-text search over reports in Chinese by character bigrams: the
// tokenizer, the posting encoding and query parsing. The index itself is
// written and read by search_index.h (see the key layout there); hits are
// rendered by search_hits.h. Plain C++: no gRPC, no disk.
//
// Characters are folded (common/text/search_text.h: full-width forms to
// ASCII, ASCII letters to lower case) before indexing and querying. A run
// is a maximal stretch of indexed characters (IsIndexedCharacter: letters,
// digits, CJK; not white space or punctuation); every two adjacent
// characters of a run are one bigram, recorded with the code-point offset of its first character. A
// phrase of n >= 2 characters occurs at p when its i-th bigram occurs at
// p + i for every i, so phrase matches are exact, with no false positives.
#ifndef FAZHI_SERVICES_REPORT_REPORT_SEARCH_H_
#define FAZHI_SERVICES_REPORT_REPORT_SEARCH_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::report::search {

// Two folded code points packed as (first << 21) | second.
using Bigram = uint64_t;

// Every bigram of `text` (UTF-8, leniently decoded) with its positions in
// increasing order.
std::map<Bigram, std::vector<uint32_t>> IndexBigrams(absl::string_view text);

// Positions as varint deltas, and back. Decode returns false on bad bytes.
std::string EncodePositions(const std::vector<uint32_t>& positions);
bool DecodePositions(absl::string_view bytes, std::vector<uint32_t>* positions);

// Every posting of one document, in one value: per bigram in increasing
// order, varint (bigram - previous bigram; the first from 0), varint size
// of its positions, the positions as EncodePositions writes them.
std::string EncodeDocumentPostings(const std::map<Bigram, std::vector<uint32_t>>& bigrams);
struct DocumentPosting {
  Bigram bigram;
  absl::string_view positions;  // into the value's bytes
};
// False on malformed bytes.
bool DecodeDocumentPostings(absl::string_view bytes, std::vector<DocumentPosting>* postings);

// A posting block: the postings of one bigram in consecutive documents,
// so that reading them is one key per block rather than one per document.
// Bytes: varint (last doc - first doc), then per document in increasing
// order varint (doc - previous doc; 0 for the first), varint size of its
// positions, the positions as EncodePositions writes them. The first doc is
// in the block's key.
struct BlockEntry {
  uint32_t doc;
  absl::string_view positions;  // into the block's bytes
};
// Encodes `entries` (docs strictly increasing, at least one).
std::string EncodeBlock(const std::vector<BlockEntry>& entries);

// Reads a block one entry at a time. False from Start/Next at the end or on
// malformed bytes (ok() tells which).
class BlockReader {
 public:
  BlockReader() = default;
  BlockReader(uint32_t first_doc, absl::string_view bytes);
  // Reads the header and the first entry.
  bool Start();
  bool Next();
  uint32_t doc() const { return doc_; }
  uint32_t last_doc() const { return last_doc_; }
  absl::string_view positions() const { return positions_; }
  bool ok() const { return ok_; }

 private:
  bool ReadVarint(uint32_t* v);
  bool ReadEntry(bool first);

  absl::string_view bytes_;
  size_t at_ = 0;
  uint32_t first_doc_ = 0, last_doc_ = 0, doc_ = 0;
  absl::string_view positions_;
  bool ok_ = true;
};

// Every entry of a block; false on malformed bytes.
bool DecodeBlock(uint32_t first_doc, absl::string_view bytes, std::vector<BlockEntry>* entries);

// The query's terms (folded code points), each at least two characters.
// INVALID_ARGUMENT with a BadRequest naming `query` when it has no term, a one-character
// term, more than 16 terms or more than 200 characters.
absl::StatusOr<std::vector<std::u32string>> ParseQuery(absl::string_view query);

// The bigrams of a term, in order (size() - 1 of them).
std::vector<Bigram> TermBigrams(const std::u32string& term);

// The fewest bigrams that cover every character of `term`, with their
// offsets in it: "行政复议" -> 行政@0, 复议@2; "出庭应诉率" -> 出庭@0, 应诉@2,
// 诉率@3. The term occurs at p exactly when each occurs at p + offset.
struct TermPart {
  Bigram bigram;
  uint32_t offset;
};
std::vector<TermPart> CoveringBigrams(const std::u32string& term);

// Start positions of a term given, for each of its covering bigrams, the
// bigram's positions in a document and its offset in the term; sorted.
std::vector<uint32_t> PhraseMatches(
    const std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>>& parts);

}  // namespace fazhi::report::search

#endif  // FAZHI_SERVICES_REPORT_REPORT_SEARCH_H_
