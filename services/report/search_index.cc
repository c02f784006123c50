#include "services/report/search_index.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/records.h"
#include "common/text/utf8.h"
#include "services/report/report_search.h"
#include "services/report/storage/report_records.pb.h"

namespace fazhi::report {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

constexpr absl::string_view kContext = "report search index";

// A block is closed to appends once it holds this many bytes.
constexpr size_t kBlockBytes = 4096;
// A compaction commits after about this many postings (whole bigrams at a
// time).
constexpr size_t kCompactionBatchPostings = 200000;

std::string PostingKey(search::Bigram bigram, uint32_t doc) {
  return KeyBuilder('b').AddUint64(bigram).AddUint32(doc).Build();
}

std::string BlockKey(search::Bigram bigram, uint32_t first_doc) {
  return KeyBuilder('B').AddUint64(bigram).AddUint32(first_doc).Build();
}

std::string DocumentKey(uint32_t doc) { return KeyBuilder('d').AddUint32(doc).Build(); }

std::string DocumentNumberKey(absl::string_view report_id) {
  return KeyBuilder('n').AddString(report_id).Build();
}

std::string EncodeDoc(uint32_t doc) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((doc >> (24 - 8 * i)) & 0xFF);
  return out;
}

// The document number that ends `bytes` (a key, or a 4-byte value).
uint32_t DecodeDoc(absl::string_view bytes) {
  uint32_t doc = 0;
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) {
    doc = (doc << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return doc;
}

absl::string_view ToStringView(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

const std::string& NextDocumentCounterKey() {
  static const auto* key = new std::string(KeyBuilder('s').AddString("search_doc").Build());
  return *key;
}
const std::string& CompactedThroughKey() {
  static const auto* key = new std::string(KeyBuilder('s').AddString("search_folded").Build());
  return *key;
}

std::string EncodeCounter(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (56 - 8 * i)) & 0xFF);
  return out;
}

// A u64 counter in "meta" (0 when absent).
absl::StatusOr<uint64_t> ReadCounter(const storage::Store& store, rocksdb::ColumnFamilyHandle* meta,
                                     const std::string& key, const rocksdb::Snapshot* snapshot) {
  auto value = store.Get(meta, key, snapshot);
  if (!value.ok()) return value.status();
  uint64_t n = 0;
  if (value->has_value()) {
    if ((*value)->size() != 8) return errors::DataLoss("report store", "a malformed counter");
    for (char c : **value) n = (n << 8) | static_cast<uint8_t>(c);
  }
  return n;
}

absl::Status MalformedBlock() { return errors::DataLoss(kContext, "a malformed posting block"); }

// One bigram's postings not yet compacted ('b' keys), by document.
class PerDocumentPostingCursor {
 public:
  PerDocumentPostingCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix)
      : it_(std::move(it)), prefix_(std::move(prefix)) {
    it_->Seek(prefix_);
  }
  bool Valid() const { return it_->Valid(); }
  uint32_t doc() const { return DecodeDoc(ToStringView(it_->key())); }
  absl::string_view positions() const { return ToStringView(it_->value()); }
  // Moves to the first document >= `target`; false when there is none.
  bool AdvanceTo(uint32_t target) {
    for (int steps = 0; it_->Valid() && doc() < target; ++steps) {
      if (steps == 8) {
        it_->Seek(prefix_ + EncodeDoc(target));
        break;
      }
      it_->Next();
    }
    return it_->Valid();
  }
  absl::Status status() const { return storage::FromRocksDb(it_->status(), "search the postings"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
};

// One bigram's compacted postings ('B' blocks), by document.
class BlockCursor {
 public:
  BlockCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix)
      : it_(std::move(it)), prefix_(std::move(prefix)) {
    it_->Seek(prefix_);
    Load();
  }
  bool Valid() const { return valid_; }
  uint32_t doc() const { return reader_.doc(); }
  absl::string_view positions() const { return reader_.positions(); }
  bool AdvanceTo(uint32_t target) {
    if (!valid_ || reader_.doc() >= target) return valid_;
    if (reader_.last_doc() < target) {
      // The next block, or a seek to the block that may hold `target`.
      it_->Next();
      Load();
      if (valid_ && reader_.last_doc() < target) {
        it_->SeekForPrev(prefix_ + EncodeDoc(target));
        if (!it_->Valid() || !it_->key().starts_with(prefix_)) it_->Seek(prefix_);
        Load();
        if (valid_ && reader_.last_doc() < target) {
          it_->Next();
          Load();
        }
      }
      if (!valid_) return false;
    }
    while (reader_.doc() < target) {
      if (!reader_.Next()) {
        valid_ = false;
        malformed_ = true;  // last_doc() >= target promised more
        return false;
      }
    }
    return true;
  }
  absl::Status status() const {
    if (malformed_) return MalformedBlock();
    return storage::FromRocksDb(it_->status(), "search the postings");
  }

 private:
  void Load() {
    valid_ = it_->Valid();
    if (!valid_) return;
    const absl::string_view key = ToStringView(it_->key());
    reader_ = search::BlockReader(DecodeDoc(key), ToStringView(it_->value()));
    if (key.size() != prefix_.size() + 4 || !reader_.Start()) {
      valid_ = false;
      malformed_ = true;
    }
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
  search::BlockReader reader_;
  bool valid_ = false;
  bool malformed_ = false;
};

// One bigram's postings: the compacted blocks and the per-document keys
// merged (a document is in exactly one of them).
class PostingCursor {
 public:
  PostingCursor(const storage::Store& store, rocksdb::ColumnFamilyHandle* cf, search::Bigram bigram,
                const rocksdb::Snapshot* snapshot)
      : blocks_(store.NewPrefixIterator(cf, KeyBuilder('B').AddUint64(bigram).Build(), snapshot),
                KeyBuilder('B').AddUint64(bigram).Build()),
        per_document_(
            store.NewPrefixIterator(cf, KeyBuilder('b').AddUint64(bigram).Build(), snapshot),
            KeyBuilder('b').AddUint64(bigram).Build()) {}
  // Moves to the first document >= `target`; false when there is none.
  bool AdvanceTo(uint32_t target) {
    const bool in_blocks = blocks_.AdvanceTo(target);
    const bool in_per_document = per_document_.AdvanceTo(target);
    return in_blocks || in_per_document;
  }
  uint32_t doc() const { return FromBlocks() ? blocks_.doc() : per_document_.doc(); }
  absl::string_view positions() const {
    return FromBlocks() ? blocks_.positions() : per_document_.positions();
  }
  absl::Status status() const {
    absl::Status s = blocks_.status();
    return s.ok() ? per_document_.status() : s;
  }

 private:
  bool FromBlocks() const {
    return blocks_.Valid() && (!per_document_.Valid() || blocks_.doc() < per_document_.doc());
  }

  BlockCursor blocks_;
  PerDocumentPostingCursor per_document_;
};

// BM25 with k1 = 1.2, b = 0.75. Every match has every term, so each term's
// document frequency is at least the number of matches; it is taken as that
// number (a lower bound), which ranks by term frequency and length alone.
void ScoreMatches(double document_count, double average_length, std::vector<SearchMatch>& matches) {
  const double df = static_cast<double>(matches.size());
  const double idf = std::log(1.0 + (document_count - df + 0.5) / (df + 0.5));
  constexpr double kK1 = 1.2, kB = 0.75;
  for (auto& m : matches) {
    const double length = static_cast<double>(m.document_length);
    double score = 0;
    for (uint32_t count : m.term_counts) {
      const double f = static_cast<double>(count);
      score += idf * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * length / average_length));
    }
    m.score = score;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReportSearchIndex>> ReportSearchIndex::Open(
    storage::Store* store, rocksdb::ColumnFamilyHandle* search, rocksdb::ColumnFamilyHandle* meta) {
  auto index = std::unique_ptr<ReportSearchIndex>(new ReportSearchIndex(store, search, meta));
  if (absl::Status loaded = index->LoadDocuments(); !loaded.ok()) return loaded;
  auto next_doc = ReadCounter(*store, meta, NextDocumentCounterKey(), nullptr);
  if (!next_doc.ok()) return next_doc.status();
  auto compacted = ReadCounter(*store, meta, CompactedThroughKey(), nullptr);
  if (!compacted.ok()) return compacted.status();
  ReportSearchIndex& i = *index;
  {
    absl::MutexLock lock(&i.compaction_state_mu_);
    i.next_doc_ = *next_doc;
    i.compacted_through_ = *compacted;
    i.compaction_asked_ =
        i.next_doc_ - std::min(i.next_doc_, i.compacted_through_) >= i.compact_every_;
  }
  i.compactor_ = std::thread([&i] { i.CompactWhenAsked(); });
  return index;
}

ReportSearchIndex::~ReportSearchIndex() { Stop(); }

void ReportSearchIndex::Stop() {
  {
    absl::MutexLock lock(&compaction_state_mu_);
    stopping_ = true;
  }
  if (compactor_.joinable()) compactor_.join();
}

void ReportSearchIndex::CompactWhenAsked() {
  while (true) {
    {
      absl::MutexLock lock(&compaction_state_mu_);
      compaction_state_mu_.Await(absl::Condition(
          +[](ReportSearchIndex* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->compaction_state_mu_) {
            return s->compaction_asked_ || s->stopping_;
          },
          this));
      if (stopping_) return;
      compaction_asked_ = false;
    }
    absl::Status s = CompactPostings();
    if (!s.ok() && !absl::IsCancelled(s)) {
      FAZHI_LOG(WARNING) << "compacting the search postings into blocks: " << s;
    }
  }
}

uint64_t ReportSearchIndex::DocumentsAwaitingCompaction() const {
  absl::MutexLock lock(&compaction_state_mu_);
  return next_doc_ - std::min(next_doc_, compacted_through_);
}

absl::Status ReportSearchIndex::CompactPostings() {
  absl::MutexLock compaction_lock(&compaction_mu_);
  storage::ScopedSnapshot snapshot(*store_);
  auto through = ReadCounter(*store_, meta_, NextDocumentCounterKey(), snapshot.get());
  if (!through.ok()) return through.status();
  rocksdb::WriteBatch batch;
  size_t postings = 0;
  auto commit = [&]() -> absl::Status {
    absl::Status s = store_->Write(&batch);
    batch.Clear();
    postings = 0;
    return s;
  };
  auto it = store_->NewPrefixIterator(search_, "b", snapshot.get());
  it->Seek("b");
  // Every bigram's last block, read through one iterator: only compactions
  // write blocks, and this one writes each bigram's once, after reading it.
  auto last = store_->NewPrefixIterator(search_, "B", nullptr);
  std::vector<std::pair<uint32_t, std::string>> waiting;
  std::vector<search::BlockEntry> entries;
  const absl::Status out_of_order =
      errors::Internal(kContext, "postings awaiting compaction precede a compacted block");
  while (it->Valid()) {
    KeyReader first(ToStringView(it->key()));
    char tag;
    search::Bigram bigram;
    if (!first.ReadTag(&tag) || !first.ReadUint64(&bigram)) {
      return errors::DataLoss(kContext, "a malformed posting key");
    }
    const std::string waiting_prefix = KeyBuilder('b').AddUint64(bigram).Build();
    waiting.clear();
    for (; it->Valid() && it->key().starts_with(waiting_prefix); it->Next()) {
      const absl::string_view key = ToStringView(it->key());
      if (key.size() != waiting_prefix.size() + 4) {
        return errors::DataLoss(kContext, "a malformed posting key");
      }
      waiting.emplace_back(DecodeDoc(key), std::string(ToStringView(it->value())));
      batch.Delete(search_, it->key());
    }
    // The bigram's last block, if any: new postings go after it.
    const std::string block_prefix = KeyBuilder('B').AddUint64(bigram).Build();
    last->SeekForPrev(BlockKey(bigram, UINT32_MAX));
    entries.clear();
    std::string last_block;
    if (last->Valid() && last->key().starts_with(block_prefix) &&
        last->value().size() < kBlockBytes) {
      last_block = std::string(ToStringView(last->value()));
      if (!search::DecodeBlock(DecodeDoc(ToStringView(last->key())), last_block, &entries)) {
        return MalformedBlock();
      }
    } else if (last->Valid() && last->key().starts_with(block_prefix)) {
      search::BlockReader full(DecodeDoc(ToStringView(last->key())), ToStringView(last->value()));
      if (!full.Start()) return MalformedBlock();
      if (!waiting.empty() && waiting.front().first <= full.last_doc()) return out_of_order;
    }
    if (!last->status().ok()) return storage::FromRocksDb(last->status(), "read a posting block");
    if (!entries.empty() && !waiting.empty() && waiting.front().first <= entries.back().doc) {
      return out_of_order;
    }
    size_t bytes = last_block.size();
    for (const auto& [doc, positions] : waiting) {
      if (!entries.empty() && bytes >= kBlockBytes) {
        batch.Put(search_, BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
        entries.clear();
        bytes = 0;
      }
      entries.push_back({doc, positions});
      bytes += positions.size() + 4;
    }
    if (!entries.empty()) {
      batch.Put(search_, BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
    }
    postings += waiting.size();
    if (postings >= kCompactionBatchPostings) {
      if (absl::Status s = commit(); !s.ok()) return s;
      // Stopping does not wait for a long compaction: what is committed
      // stands (whole bigrams), the rest is compacted after the next start.
      absl::MutexLock lock(&compaction_state_mu_);
      if (stopping_) return errors::Cancelled("report search index: stopping");
    }
  }
  if (!it->status().ok()) {
    return storage::FromRocksDb(it->status(), "compact the search postings");
  }
  batch.Put(meta_, CompactedThroughKey(), EncodeCounter(*through));
  if (absl::Status s = commit(); !s.ok()) return s;
  absl::MutexLock lock(&compaction_state_mu_);
  compacted_through_ = std::max(compacted_through_, *through);
  return absl::OkStatus();
}

absl::Status ReportSearchIndex::LoadDocuments() {
  absl::MutexLock lock(&documents_mu_);
  auto it = store_->NewPrefixIterator(search_, "d", nullptr);
  for (it->Seek("d"); it->Valid(); it->Next()) {
    KeyReader reader(ToStringView(it->key()));
    char tag;
    uint32_t doc;
    if (!reader.ReadTag(&tag) || !reader.ReadUint32(&doc)) {
      return errors::DataLoss(kContext, "a malformed search document key");
    }
    auto record = storage::ParseRecord<storage_records::SearchDoc>(
        std::string(ToStringView(it->value())), "search document");
    if (!record.ok()) return record.status();
    if (documents_.size() <= doc) documents_.resize(doc + 1);
    DocumentEntry& entry = documents_[doc];
    entry = {true,           record->report_id(), record->region(),
             record->year(), record->kind(),      record->length()};
    ++document_count_;
    total_length_ += entry.length;
  }
  return storage::FromRocksDb(it->status(), "load the search documents");
}

absl::StatusOr<ReportSearchIndex::StagedDocument> ReportSearchIndex::Stage(
    const IndexedReport& report, absl::string_view previous_text, rocksdb::WriteBatch* batch) {
  StagedDocument staged;
  const std::string number_key = DocumentNumberKey(report.report_id);
  auto known_doc = store_->Get(search_, number_key);
  if (!known_doc.ok()) return known_doc.status();
  // Never indexed: nothing to replace.
  if (known_doc->has_value() && (*known_doc)->size() == 4) {
    staged.replaced_doc = DecodeDoc(**known_doc);
  }
  auto next_doc = ReadCounter(*store_, meta_, NextDocumentCounterKey(), nullptr);
  if (!next_doc.ok()) return next_doc.status();
  if (*next_doc >= UINT32_MAX) {
    return errors::ResourceExhausted(
        "SEARCH_DOCUMENTS_EXHAUSTED",
        "report store: every search document number is taken; the index must be rebuilt");
  }
  staged.doc = static_cast<uint32_t>(*next_doc);
  batch->Put(meta_, NextDocumentCounterKey(), EncodeCounter(*next_doc + 1));

  if (staged.replaced_doc.has_value()) {
    for (const auto& [bigram, positions] : search::IndexBigrams(previous_text)) {
      batch->Delete(search_, PostingKey(bigram, *staged.replaced_doc));
    }
    batch->Delete(search_, DocumentKey(*staged.replaced_doc));
  }
  for (const auto& [bigram, positions] : search::IndexBigrams(report.text)) {
    batch->Put(search_, PostingKey(bigram, staged.doc), search::EncodePositions(positions));
  }
  staged.report_id = report.report_id;
  staged.region = report.region;
  staged.year = report.year;
  staged.kind = report.kind;
  staged.length = static_cast<uint32_t>(text::CodePointCount(report.text));
  storage_records::SearchDoc entry;
  entry.set_format_version(storage::kRecordFormatVersion);
  entry.set_report_id(staged.report_id);
  entry.set_region(staged.region);
  entry.set_year(staged.year);
  entry.set_kind(staged.kind);
  entry.set_length(staged.length);
  batch->Put(search_, DocumentKey(staged.doc), entry.SerializeAsString());
  batch->Put(search_, number_key, EncodeDoc(staged.doc));
  return staged;
}

void ReportSearchIndex::Publish(const StagedDocument& staged) {
  {
    absl::MutexLock lock(&documents_mu_);
    if (documents_.size() <= staged.doc) documents_.resize(staged.doc + 1);
    if (staged.replaced_doc.has_value() && *staged.replaced_doc < documents_.size() &&
        documents_[*staged.replaced_doc].present) {
      DocumentEntry& replaced = documents_[*staged.replaced_doc];
      --document_count_;
      total_length_ -= replaced.length;
      replaced = DocumentEntry();
    }
    documents_[staged.doc] = {true,        staged.report_id, staged.region,
                              staged.year, staged.kind,      staged.length};
    ++document_count_;
    total_length_ += staged.length;
  }
  absl::MutexLock lock(&compaction_state_mu_);
  next_doc_ = std::max<uint64_t>(next_doc_, staged.doc + 1);
  if (next_doc_ - std::min(next_doc_, compacted_through_) >= compact_every_) {
    compaction_asked_ = true;
  }
}

absl::StatusOr<SearchRanking> ReportSearchIndex::Search(const SearchQuery& query, size_t limit,
                                                        const rocksdb::Snapshot* snapshot) const {
  // Distinct bigrams, and for each term the index of each of its bigrams.
  // Only the bigrams that cover each term are read (half of them).
  std::vector<search::Bigram> bigrams;
  std::vector<std::vector<std::pair<size_t, uint32_t>>> term_bigrams;  // (bigram, offset)
  for (const auto& term : query.terms) {
    std::vector<std::pair<size_t, uint32_t>> indexes;
    for (const search::TermPart& part : search::CoveringBigrams(term)) {
      auto at = std::find(bigrams.begin(), bigrams.end(), part.bigram);
      indexes.emplace_back(static_cast<size_t>(at - bigrams.begin()), part.offset);
      if (at == bigrams.end()) bigrams.push_back(part.bigram);
    }
    term_bigrams.push_back(std::move(indexes));
  }

  std::vector<PostingCursor> cursors;
  cursors.reserve(bigrams.size());
  for (search::Bigram b : bigrams) cursors.emplace_back(*store_, search_, b, snapshot);

  std::vector<SearchMatch> matches;
  double document_count = 0, average_length = 1;
  {
    absl::ReaderMutexLock lock(&documents_mu_);
    document_count = static_cast<double>(document_count_);
    if (document_count_ > 0) average_length = static_cast<double>(total_length_) / document_count;
    std::vector<std::vector<uint32_t>> positions(bigrams.size());
    uint32_t target = 0;
    // Zig-zag join: every cursor on the same document, or move all to the
    // furthest one.
    while (true) {
      bool aligned = true, exhausted = false;
      for (auto& c : cursors) {
        if (!c.AdvanceTo(target)) {
          exhausted = true;
          break;
        }
        if (c.doc() > target) {
          target = c.doc();
          aligned = false;
          break;
        }
      }
      if (exhausted) break;
      if (!aligned) continue;
      const uint32_t doc = target;
      const DocumentEntry* entry =
          doc < documents_.size() && documents_[doc].present ? &documents_[doc] : nullptr;
      const bool wanted = entry != nullptr &&
                          (query.region.empty() || entry->region == query.region) &&
                          (query.year == 0 || entry->year == query.year) &&
                          (query.kind == v1::REPORT_KIND_UNSPECIFIED || entry->kind == query.kind);
      if (wanted) {
        bool decoded = true;
        for (size_t i = 0; i < cursors.size() && decoded; ++i) {
          decoded = search::DecodePositions(cursors[i].positions(), &positions[i]);
        }
        if (!decoded) return errors::DataLoss(kContext, "malformed search postings");
        SearchMatch match;
        match.doc = doc;
        match.first_match = UINT32_MAX;
        for (const auto& indexes : term_bigrams) {
          std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> term_positions;
          for (const auto& [i, offset] : indexes) {
            term_positions.emplace_back(&positions[i], offset);
          }
          const std::vector<uint32_t> found = search::PhraseMatches(term_positions);
          if (found.empty()) break;
          match.term_counts.push_back(static_cast<uint32_t>(found.size()));
          match.first_match = std::min(match.first_match, found.front());
        }
        if (match.term_counts.size() == query.terms.size()) {
          match.document_length = entry->length;
          matches.push_back(std::move(match));
        }
      }
      if (target == UINT32_MAX) break;
      ++target;
    }
    for (auto& c : cursors) {
      if (absl::Status s = c.status(); !s.ok()) return s;
    }
  }

  ScoreMatches(document_count, average_length, matches);
  SearchRanking ranking;
  ranking.total = matches.size();
  const size_t end = std::min(matches.size(), limit);
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(end),
                    matches.end(), [](const SearchMatch& a, const SearchMatch& b) {
                      return a.score != b.score ? a.score > b.score : a.doc < b.doc;
                    });
  matches.resize(end);
  {
    absl::ReaderMutexLock lock(&documents_mu_);
    for (SearchMatch& m : matches) m.report_id = documents_[m.doc].report_id;
  }
  ranking.best = std::move(matches);
  return ranking;
}

}  // namespace fazhi::report
