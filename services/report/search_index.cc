#include "services/report/search_index.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/records.h"
#include "common/storage/sequence.h"
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

std::string BlockKey(search::Bigram bigram, uint32_t first_doc) {
  return KeyBuilder('B').AddUint64(bigram).AddUint32(first_doc).Build();
}

std::string DocumentKey(uint32_t doc) { return KeyBuilder('d').AddUint32(doc).Build(); }

std::string DocumentNumberKey(absl::string_view report_id) {
  return KeyBuilder('n').AddString(report_id).Build();
}

std::string EncodeDoc(uint32_t doc) { return storage::EncodeUint32(doc); }

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

// The counter of document numbers in "meta" (common/storage/sequence.h).
constexpr absl::string_view kDocumentCounter = "search_doc";

absl::Status Damaged(absl::string_view what) {
  return errors::DataLoss(absl::StrCat(kContext, ": ", what));
}

absl::Status MalformedBlock() { return Damaged("a malformed posting block"); }

using WaitingList = std::vector<ReportSearchIndex::WaitingPosting>;

// One bigram's waiting postings (in memory), by document.
class WaitingCursor {
 public:
  explicit WaitingCursor(const WaitingList* list) : list_(list) {}
  bool Valid() const { return list_ != nullptr && at_ < list_->size(); }
  uint32_t doc() const { return (*list_)[at_].doc; }
  absl::string_view positions() const { return (*list_)[at_].positions; }
  // Moves to the first document >= `target`; false when there is none.
  bool AdvanceTo(uint32_t target) {
    if (!Valid() || doc() >= target) return Valid();
    at_ = static_cast<size_t>(
        std::lower_bound(
            list_->begin() + static_cast<std::ptrdiff_t>(at_), list_->end(), target,
            [](const ReportSearchIndex::WaitingPosting& p, uint32_t d) { return p.doc < d; }) -
        list_->begin());
    return Valid();
  }

 private:
  const WaitingList* list_;  // null: none
  size_t at_ = 0;
};

const WaitingList* ListOf(const ReportSearchIndex::WaitingPostings* postings,
                          search::Bigram bigram) {
  if (postings == nullptr) return nullptr;
  auto it = postings->by_bigram.find(bigram);
  return it == postings->by_bigram.end() ? nullptr : &it->second;
}

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

// One bigram's postings: the blocks at a snapshot merged with the waiting
// postings in memory (those being compacted and those not yet); a document
// in more than one of them is taken once.
class PostingCursor {
 public:
  PostingCursor(const storage::Store& store, rocksdb::ColumnFamilyHandle* cf, search::Bigram bigram,
                const rocksdb::Snapshot* snapshot,
                const ReportSearchIndex::WaitingPostings* compacting,
                const ReportSearchIndex::WaitingPostings& waiting)
      : blocks_(store.NewPrefixIterator(cf, KeyBuilder('B').AddUint64(bigram).Build(), snapshot),
                KeyBuilder('B').AddUint64(bigram).Build()),
        compacting_(ListOf(compacting, bigram)),
        waiting_(ListOf(&waiting, bigram)) {}
  // Moves to the first document >= `target`; false when there is none.
  bool AdvanceTo(uint32_t target) {
    const bool in_blocks = blocks_.AdvanceTo(target);
    const bool in_compacting = compacting_.AdvanceTo(target);
    const bool in_waiting = waiting_.AdvanceTo(target);
    return in_blocks || in_compacting || in_waiting;
  }
  uint32_t doc() const {
    uint32_t doc = UINT32_MAX;
    if (blocks_.Valid()) doc = blocks_.doc();
    if (compacting_.Valid()) doc = std::min(doc, compacting_.doc());
    if (waiting_.Valid()) doc = std::min(doc, waiting_.doc());
    return doc;
  }
  absl::string_view positions() const {
    const uint32_t at = doc();
    if (blocks_.Valid() && blocks_.doc() == at) return blocks_.positions();
    if (compacting_.Valid() && compacting_.doc() == at) return compacting_.positions();
    return waiting_.positions();
  }
  absl::Status status() const { return blocks_.status(); }

 private:
  BlockCursor blocks_;
  WaitingCursor compacting_;
  WaitingCursor waiting_;
};

// Appends a document's 'w' value to `postings`; false on bad bytes.
bool AppendWaitingPostings(uint32_t doc, absl::string_view bytes,
                           ReportSearchIndex::WaitingPostings& postings) {
  std::vector<search::DocumentPosting> decoded;
  if (!search::DecodeDocumentPostings(bytes, &decoded)) return false;
  for (const auto& [bigram, positions] : decoded) {
    postings.by_bigram[bigram].push_back({doc, std::string(positions)});
  }
  postings.docs.push_back(doc);
  return true;
}

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

std::string WaitingKey(uint32_t doc) { return KeyBuilder('w').AddUint32(doc).Build(); }

}  // namespace

absl::StatusOr<std::unique_ptr<ReportSearchIndex>> ReportSearchIndex::Open(
    storage::Store* store, rocksdb::ColumnFamilyHandle* search, rocksdb::ColumnFamilyHandle* meta) {
  auto index = std::unique_ptr<ReportSearchIndex>(new ReportSearchIndex(store, search, meta));
  if (absl::Status loaded = index->LoadDocuments(); !loaded.ok()) return loaded;
  if (absl::Status compacted = index->CompactPerDocumentKeys(); !compacted.ok()) return compacted;
  if (absl::Status loaded = index->LoadWaitingPostings(); !loaded.ok()) return loaded;
  ReportSearchIndex& i = *index;
  const uint64_t waiting = i.DocumentsAwaitingCompaction();
  {
    absl::MutexLock lock(&i.compaction_state_mu_);
    i.compaction_asked_ = waiting >= i.compact_every_;
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
  absl::ReaderMutexLock lock(&documents_mu_);
  return waiting_.docs.size() + (compacting_ == nullptr ? 0 : compacting_->docs.size());
}

absl::Status ReportSearchIndex::AppendToBlocks(search::Bigram bigram,
                                               const std::vector<search::BlockEntry>& postings,
                                               rocksdb::Iterator& last,
                                               rocksdb::WriteBatch& batch) {
  // The bigram's last block: where this index last wrote it (a point read),
  // else found by seeking back from the bigram's end, which in a memtable
  // holding many versions of the same block key costs far more.
  std::optional<uint32_t> first_doc;
  std::string last_block;
  if (auto known = last_block_start_.find(bigram); known != last_block_start_.end()) {
    auto value = store_->Get(search_, BlockKey(bigram, known->second));
    if (!value.ok()) return value.status();
    if (value->has_value()) {
      first_doc = known->second;
      last_block = std::move(**value);
    }
  }
  if (!first_doc.has_value()) {
    // Forward: a bigram new to the blocks costs one seek, and one with
    // blocks is read through once per process. Seeking back (SeekForPrev)
    // through a memtable full of rewritten block versions took most of the
    // load's CPU (perf, report_bench).
    const std::string block_prefix = KeyBuilder('B').AddUint64(bigram).Build();
    for (last.Seek(block_prefix); last.Valid() && last.key().starts_with(block_prefix);
         last.Next()) {
      first_doc = DecodeDoc(ToStringView(last.key()));
    }
    if (!last.status().ok()) return storage::FromRocksDb(last.status(), "read a posting block");
    if (first_doc.has_value()) {
      auto value = store_->Get(search_, BlockKey(bigram, *first_doc));
      if (!value.ok()) return value.status();
      if (!value->has_value()) return MalformedBlock();
      last_block = std::move(**value);
    }
  }
  std::vector<search::BlockEntry> entries;  // the open block's, then the new ones
  uint32_t held_through = 0;                // the last document the blocks hold
  if (first_doc.has_value()) {
    if (last_block.size() < kBlockBytes) {  // open: rewritten with the new postings
      if (!search::DecodeBlock(*first_doc, last_block, &entries)) return MalformedBlock();
      held_through = entries.back().doc;
    } else {
      search::BlockReader full(*first_doc, last_block);
      if (!full.Start()) return MalformedBlock();
      held_through = full.last_doc();
    }
    last_block_start_[bigram] = *first_doc;
  }
  size_t bytes = entries.empty() ? 0 : last_block.size();
  bool appended = false;
  for (const search::BlockEntry& posting : postings) {
    if (first_doc.has_value() && posting.doc <= held_through) continue;
    if (!entries.empty() && bytes >= kBlockBytes) {
      batch.Put(search_, BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
      entries.clear();
      bytes = 0;
    }
    entries.push_back(posting);
    bytes += posting.positions.size() + 4;
    appended = true;
  }
  if (appended) {
    batch.Put(search_, BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
    last_block_start_[bigram] = entries.front().doc;
  }
  return absl::OkStatus();
}

absl::Status ReportSearchIndex::CompactPostings() {
  absl::MutexLock compaction_lock(&compaction_mu_);
  std::shared_ptr<const WaitingPostings> postings;
  {
    // A compaction that failed left its postings in compacting_: it is
    // retried first, the postings waiting since then stay for the next.
    absl::MutexLock lock(&documents_mu_);
    if (compacting_ == nullptr) {
      compacting_ = std::make_shared<const WaitingPostings>(std::move(waiting_));
      waiting_ = WaitingPostings();
    }
    postings = compacting_;
  }
  std::vector<search::Bigram> bigrams;
  bigrams.reserve(postings->by_bigram.size());
  for (const auto& [bigram, list] : postings->by_bigram) bigrams.push_back(bigram);
  std::sort(bigrams.begin(), bigrams.end());
  rocksdb::WriteBatch batch;
  size_t batch_postings = 0;
  // Bigrams whose last block is not remembered are looked up through one
  // iterator: only compactions write blocks, and this one writes each
  // bigram's once, after reading it.
  auto last = store_->NewPrefixIterator(search_, "B", nullptr);
  std::vector<search::BlockEntry> entries;
  for (search::Bigram bigram : bigrams) {
    const WaitingList& list = postings->by_bigram.at(bigram);
    entries.clear();
    for (const WaitingPosting& p : list) entries.push_back({p.doc, p.positions});
    if (absl::Status s = AppendToBlocks(bigram, entries, *last, batch); !s.ok()) return s;
    batch_postings += list.size();
    if (batch_postings >= kCompactionBatchPostings) {
      absl::Status s = store_->Write(&batch);
      batch.Clear();
      batch_postings = 0;
      if (!s.ok()) return s;
      // Stopping does not wait for a long compaction: what is committed
      // stands (whole bigrams), the rest is compacted after the next start.
      absl::MutexLock lock(&compaction_state_mu_);
      if (stopping_) return errors::Cancelled("report search index: stopping");
    }
  }
  for (uint32_t doc : postings->docs) batch.Delete(search_, WaitingKey(doc));
  if (absl::Status s = store_->Write(&batch); !s.ok()) return s;
  absl::MutexLock lock(&documents_mu_);
  compacting_.reset();
  return absl::OkStatus();
}

absl::Status ReportSearchIndex::CompactPerDocumentKeys() {
  absl::MutexLock compaction_lock(&compaction_mu_);
  auto it = store_->NewPrefixIterator(search_, "b", nullptr);
  it->Seek("b");
  if (!it->Valid()) return storage::FromRocksDb(it->status(), "look for per-document postings");
  rocksdb::WriteBatch batch;
  auto last = store_->NewPrefixIterator(search_, "B", nullptr);
  std::vector<std::pair<uint32_t, std::string>> keyed;
  std::vector<search::BlockEntry> entries;
  while (it->Valid()) {
    KeyReader first(ToStringView(it->key()));
    char tag;
    search::Bigram bigram;
    if (!first.ReadTag(&tag) || !first.ReadUint64(&bigram)) {
      return Damaged("a malformed posting key");
    }
    const std::string bigram_prefix = KeyBuilder('b').AddUint64(bigram).Build();
    keyed.clear();
    for (; it->Valid() && it->key().starts_with(bigram_prefix); it->Next()) {
      const absl::string_view key = ToStringView(it->key());
      if (key.size() != bigram_prefix.size() + 4) {
        return Damaged("a malformed posting key");
      }
      keyed.emplace_back(DecodeDoc(key), std::string(ToStringView(it->value())));
      batch.Delete(search_, it->key());
    }
    entries.clear();
    for (const auto& [doc, positions] : keyed) entries.push_back({doc, positions});
    if (absl::Status s = AppendToBlocks(bigram, entries, *last, batch); !s.ok()) return s;
    if (batch.Count() >= kCompactionBatchPostings) {
      absl::Status s = store_->Write(&batch);
      batch.Clear();
      if (!s.ok()) return s;
    }
  }
  if (!it->status().ok())
    return storage::FromRocksDb(it->status(), "compact per-document postings");
  return store_->Write(&batch);
}

absl::Status ReportSearchIndex::LoadWaitingPostings() {
  absl::MutexLock lock(&documents_mu_);
  auto it = store_->NewPrefixIterator(search_, "w", nullptr);
  for (it->Seek("w"); it->Valid(); it->Next()) {
    const absl::string_view key = ToStringView(it->key());
    if (key.size() != 5 ||
        !AppendWaitingPostings(DecodeDoc(key), ToStringView(it->value()), waiting_)) {
      return Damaged("malformed waiting postings");
    }
  }
  return storage::FromRocksDb(it->status(), "load the waiting postings");
}

absl::Status ReportSearchIndex::LoadDocuments() {
  absl::MutexLock lock(&documents_mu_);
  auto it = store_->NewPrefixIterator(search_, "d", nullptr);
  for (it->Seek("d"); it->Valid(); it->Next()) {
    KeyReader reader(ToStringView(it->key()));
    char tag;
    uint32_t doc;
    if (!reader.ReadTag(&tag) || !reader.ReadUint32(&doc)) {
      return Damaged("a malformed search document key");
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
    const IndexedReport& report, rocksdb::WriteBatch* batch) {
  StagedDocument staged;
  const std::string number_key = DocumentNumberKey(report.report_id);
  auto known_doc = store_->Get(search_, number_key);
  if (!known_doc.ok()) return known_doc.status();
  // Never indexed: nothing to replace.
  if (known_doc->has_value() && (*known_doc)->size() == 4) {
    staged.replaced_doc = DecodeDoc(**known_doc);
  }
  auto draw = storage::SequenceCounter(*store_, meta_, kDocumentCounter).StartDraw();
  auto next_doc = draw.Take();
  if (!next_doc.ok()) return next_doc.status();
  if (*next_doc >= UINT32_MAX) {
    return errors::ResourceExhausted(
        "SEARCH_DOCUMENTS_EXHAUSTED",
        "report store: every search document number is taken; the index must be rebuilt");
  }
  staged.doc = static_cast<uint32_t>(*next_doc);
  draw.Stage(*batch);

  if (staged.replaced_doc.has_value()) {
    batch->Delete(search_, WaitingKey(*staged.replaced_doc));
    batch->Delete(search_, DocumentKey(*staged.replaced_doc));
  }
  staged.postings = search::EncodeDocumentPostings(search::IndexBigrams(report.text));
  batch->Put(search_, WaitingKey(staged.doc), staged.postings);
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
  size_t waiting = 0;
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
    // Stage encoded these bytes itself.
    FAZHI_CHECK(AppendWaitingPostings(staged.doc, staged.postings, waiting_));
    waiting = waiting_.docs.size();
  }
  absl::MutexLock lock(&compaction_state_mu_);
  if (waiting >= compact_every_) compaction_asked_ = true;
}

absl::StatusOr<SearchRanking> ReportSearchIndex::Search(const SearchQuery& query,
                                                        size_t limit) const {
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

  SearchRanking ranking;
  std::vector<SearchMatch> matches;
  double document_count = 0, average_length = 1;
  {
    absl::ReaderMutexLock lock(&documents_mu_);
    // Taken under the lock: a compaction drops the postings it moved only
    // after committing their blocks, so this snapshot has every posting the
    // memory no longer does.
    ranking.snapshot = std::make_shared<storage::ScopedSnapshot>(*store_);
    std::vector<PostingCursor> cursors;
    cursors.reserve(bigrams.size());
    for (search::Bigram b : bigrams) {
      cursors.emplace_back(*store_, search_, b, ranking.snapshot->get(), compacting_.get(),
                           waiting_);
    }
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
        if (!decoded) return Damaged("malformed search postings");
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
