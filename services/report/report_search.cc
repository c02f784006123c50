#include "services/report/report_search.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/varint.h"
#include "common/text/search_text.h"
#include "common/text/utf8.h"

namespace fazhi::report::search {
namespace {

constexpr size_t kMaxQueryChars = 200;
constexpr size_t kMaxTerms = 16;

std::vector<std::u32string> Runs(const std::u32string& chars) {
  std::vector<std::u32string> runs;
  std::u32string run;
  for (char32_t c : chars) {
    c = text::FoldForSearch(c);
    if (text::IsIndexedCharacter(c)) {
      run.push_back(c);
    } else if (!run.empty()) {
      runs.push_back(std::move(run));
      run.clear();
    }
  }
  if (!run.empty()) runs.push_back(std::move(run));
  return runs;
}

}  // namespace

std::map<Bigram, std::vector<uint32_t>> IndexBigrams(absl::string_view text) {
  const std::u32string chars = text::DecodeUtf8Lenient(text).chars;
  std::map<Bigram, std::vector<uint32_t>> out;
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    const char32_t a = text::FoldForSearch(chars[i]), b = text::FoldForSearch(chars[i + 1]);
    if (!text::IsIndexedCharacter(a) || !text::IsIndexedCharacter(b)) continue;
    out[(static_cast<Bigram>(a) << 21) | b].push_back(static_cast<uint32_t>(i));
  }
  return out;
}

std::string EncodePositions(const std::vector<uint32_t>& positions) {
  std::string out;
  uint32_t previous = 0;
  for (uint32_t p : positions) {
    storage::AppendVarint(out, p - previous);
    previous = p;
  }
  return out;
}

bool DecodePositions(absl::string_view bytes, std::vector<uint32_t>* positions) {
  positions->clear();
  uint32_t previous = 0;
  while (!bytes.empty()) {
    uint32_t delta = 0;
    if (!storage::ReadVarint32(bytes, &delta)) return false;
    previous += delta;
    positions->push_back(previous);
  }
  return true;
}

std::string EncodeDocumentPostings(const std::map<Bigram, std::vector<uint32_t>>& bigrams) {
  std::string out;
  Bigram previous = 0;
  for (const auto& [bigram, positions] : bigrams) {
    storage::AppendVarint(out, bigram - previous);
    previous = bigram;
    const std::string encoded = EncodePositions(positions);
    storage::AppendVarint(out, encoded.size());
    out += encoded;
  }
  return out;
}

bool DecodeDocumentPostings(absl::string_view bytes, std::vector<DocumentPosting>* postings) {
  postings->clear();
  Bigram bigram = 0;
  while (!bytes.empty()) {
    uint64_t delta = 0, size = 0;
    if (!storage::ReadVarint(bytes, &delta) || !storage::ReadVarint(bytes, &size) ||
        size > bytes.size() || (delta == 0 && !postings->empty())) {
      return false;
    }
    bigram += delta;
    postings->push_back({bigram, bytes.substr(0, size)});
    bytes.remove_prefix(size);
  }
  return true;
}

std::string EncodeBlock(const std::vector<BlockEntry>& entries) {
  std::string out;
  if (entries.empty()) return out;
  storage::AppendVarint(out, entries.back().doc - entries.front().doc);
  uint32_t previous = entries.front().doc;
  for (const BlockEntry& e : entries) {
    storage::AppendVarint(out, e.doc - previous);
    previous = e.doc;
    storage::AppendVarint(out, static_cast<uint32_t>(e.positions.size()));
    out.append(e.positions.data(), e.positions.size());
  }
  return out;
}

BlockReader::BlockReader(uint32_t first_doc, absl::string_view bytes)
    : bytes_(bytes), first_doc_(first_doc), doc_(first_doc) {}

bool BlockReader::ReadVarint(uint32_t* v) {
  absl::string_view rest = bytes_.substr(at_);
  if (!storage::ReadVarint32(rest, v)) return false;
  at_ = bytes_.size() - rest.size();
  return true;
}

bool BlockReader::ReadEntry(bool first) {
  uint32_t delta = 0, size = 0;
  if (!ReadVarint(&delta) || !ReadVarint(&size) || size > bytes_.size() - at_ ||
      (first ? delta != 0 : delta == 0) || delta > last_doc_ - doc_) {
    ok_ = false;
    return false;
  }
  doc_ += delta;
  positions_ = bytes_.substr(at_, size);
  at_ += size;
  return true;
}

bool BlockReader::Start() {
  at_ = 0;
  doc_ = first_doc_;
  uint32_t span = 0;
  if (!ReadVarint(&span) || span > UINT32_MAX - first_doc_) {
    ok_ = false;
    return false;
  }
  last_doc_ = first_doc_ + span;
  return ReadEntry(true);
}

bool BlockReader::Next() {
  if (!ok_ || at_ >= bytes_.size()) {
    if (ok_ && doc_ != last_doc_) ok_ = false;  // ended before its last doc
    return false;
  }
  return ReadEntry(false);
}

bool DecodeBlock(uint32_t first_doc, absl::string_view bytes, std::vector<BlockEntry>* entries) {
  entries->clear();
  BlockReader reader(first_doc, bytes);
  for (bool more = reader.Start(); more; more = reader.Next()) {
    entries->push_back({reader.doc(), reader.positions()});
  }
  return reader.ok();
}

absl::StatusOr<std::vector<std::u32string>> ParseQuery(absl::string_view query) {
  const std::u32string chars = text::DecodeUtf8Lenient(query).chars;
  if (chars.size() > kMaxQueryChars) {
    return errors::InvalidField(
        "query", absl::StrCat("has ", chars.size(), " characters; the limit is ", kMaxQueryChars));
  }
  std::vector<std::u32string> terms = Runs(chars);
  if (terms.empty()) return errors::InvalidField("query", "has no word to search for");
  if (terms.size() > kMaxTerms) {
    return errors::InvalidField(
        "query", absl::StrCat("has ", terms.size(), " terms; the limit is ", kMaxTerms));
  }
  for (const auto& t : terms) {
    if (t.size() < 2) {
      return errors::InvalidField(
          "query",
          absl::StrCat("term \"", text::EncodeUtf8(t),
                       "\" has one character; every term needs at least two (the index holds "
                       "character pairs)"));
    }
  }
  return terms;
}

std::vector<Bigram> TermBigrams(const std::u32string& term) {
  std::vector<Bigram> out;
  for (size_t i = 0; i + 1 < term.size(); ++i) {
    out.push_back((static_cast<Bigram>(term[i]) << 21) | term[i + 1]);
  }
  return out;
}

std::vector<TermPart> CoveringBigrams(const std::u32string& term) {
  std::vector<TermPart> out;
  const std::vector<Bigram> all = TermBigrams(term);
  for (size_t i = 0; i < all.size(); i += 2) out.push_back({all[i], static_cast<uint32_t>(i)});
  if (!all.empty() && all.size() % 2 == 0) {
    out.push_back({all.back(), static_cast<uint32_t>(all.size() - 1)});
  }
  return out;
}

std::vector<uint32_t> PhraseMatches(
    const std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>>& parts) {
  std::vector<uint32_t> out;
  if (parts.empty()) return out;
  for (uint32_t p : *parts[0].first) {
    bool all = true;
    for (size_t i = 1; i < parts.size() && all; ++i) {
      all = std::binary_search(parts[i].first->begin(), parts[i].first->end(), p + parts[i].second);
    }
    if (all) out.push_back(p);
  }
  return out;
}

}  // namespace fazhi::report::search
