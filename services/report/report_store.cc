#include "services/report/report_store.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "common/storage/sequence.h"
#include "common/text/utf8.h"
#include "google/protobuf/util/time_util.h"
#include "services/report/report_search.h"
#include "services/report/storage/report_records.pb.h"

namespace fazhi::report {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

std::string ReportKey(absl::string_view id) { return KeyBuilder('p').AddString(id).Build(); }

std::string VersionKey(absl::string_view id, uint32_t version) {
  return KeyBuilder('v').AddString(id).AddUint32(version).Build();
}

std::string KindKey(absl::string_view filer, int32_t year, v1::ReportKind kind) {
  return KeyBuilder('k')
      .AddString(api::IdOf("units", filer))
      .AddUint32(static_cast<uint32_t>(year))
      .AddUint32(static_cast<uint32_t>(kind))
      .Build();
}

// The request value: "id" (written before versions) or "id\0version".
void ParseRequestValue(const std::string& value, std::string* id, uint32_t* version) {
  const size_t nul = value.find('\0');
  *id = value.substr(0, nul);
  *version = 1;
  if (nul != std::string::npos) {
    uint32_t v = 0;
    if (absl::SimpleAtoi(value.substr(nul + 1), &v)) *version = v;
  }
}

std::string PostingKey(search::Bigram bigram, uint32_t doc) {
  return KeyBuilder('b').AddUint64(bigram).AddUint32(doc).Build();
}

std::string EncodeDoc(uint32_t doc) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((doc >> (24 - 8 * i)) & 0xFF);
  return out;
}

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

std::string BlockKey(search::Bigram bigram, uint32_t first_doc) {
  return KeyBuilder('B').AddUint64(bigram).AddUint32(first_doc).Build();
}

// A block is closed to appends once it holds this many bytes.
constexpr size_t kBlockBytes = 4096;
// A fold commits after about this many postings (whole bigrams at a time).
constexpr size_t kFoldBatchPostings = 200000;

const std::string& SearchDocCounterKey() {
  static const auto* key = new std::string(KeyBuilder('s').AddString("search_doc").Build());
  return *key;
}
const std::string& SearchFoldedKey() {
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
    if ((*value)->size() != 8) return absl::DataLossError("report store: a malformed counter");
    for (char c : **value) n = (n << 8) | static_cast<uint8_t>(c);
  }
  return n;
}

void ForList(v1::Report& report) {
  report.clear_text();
  report.clear_quantities();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReportStore>> ReportStore::Open(storage::StoreOptions options) {
  options.column_families = storage::FamilyNames(keys::kFamilies);
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  auto report_store = std::unique_ptr<ReportStore>(new ReportStore(std::move(*store)));
  auto changes = storage::ChangeLog::Open(*report_store->store_, report_store->changes());
  if (!changes.ok()) return changes.status();
  report_store->changes_ = *std::move(changes);
  absl::Status loaded = report_store->LoadSearchDocs();
  if (!loaded.ok()) return loaded;
  ReportStore& rs = *report_store;
  auto next_doc = ReadCounter(*rs.store_, rs.meta(), SearchDocCounterKey(), nullptr);
  if (!next_doc.ok()) return next_doc.status();
  auto folded = ReadCounter(*rs.store_, rs.meta(), SearchFoldedKey(), nullptr);
  if (!folded.ok()) return folded.status();
  {
    absl::MutexLock lock(&rs.fold_state_mu_);
    rs.next_doc_ = *next_doc;
    rs.folded_through_ = *folded;
    rs.fold_asked_ = rs.next_doc_ - std::min(rs.next_doc_, rs.folded_through_) >= rs.fold_every_;
  }
  rs.folder_ = std::thread([&rs] { rs.FoldWhenAsked(); });
  return report_store;
}

ReportStore::~ReportStore() { StopFolding(); }

absl::Status ReportStore::Close() {
  StopFolding();
  return store_->Close();
}

void ReportStore::StopFolding() {
  {
    absl::MutexLock lock(&fold_state_mu_);
    stopping_ = true;
  }
  if (folder_.joinable()) folder_.join();
}

void ReportStore::FoldWhenAsked() {
  while (true) {
    {
      absl::MutexLock lock(&fold_state_mu_);
      fold_state_mu_.Await(absl::Condition(
          +[](ReportStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->fold_state_mu_) {
            return s->fold_asked_ || s->stopping_;
          },
          this));
      if (stopping_) return;
      fold_asked_ = false;
    }
    absl::Status s = FoldSearchPostings();
    if (!s.ok() && !absl::IsCancelled(s)) {
      FAZHI_LOG(WARNING) << "folding the search postings: " << s;
    }
  }
}

uint64_t ReportStore::UnfoldedSearchDocs() const {
  absl::MutexLock lock(&fold_state_mu_);
  return next_doc_ - std::min(next_doc_, folded_through_);
}

absl::Status ReportStore::FoldSearchPostings() {
  absl::MutexLock fold_lock(&fold_mu_);
  storage::ScopedSnapshot snapshot(*store_);
  auto through = ReadCounter(*store_, meta(), SearchDocCounterKey(), snapshot.get());
  if (!through.ok()) return through.status();
  rocksdb::WriteBatch batch;
  size_t postings = 0;
  auto commit = [&]() -> absl::Status {
    absl::Status s = store_->Write(&batch);
    batch.Clear();
    postings = 0;
    return s;
  };
  auto it = store_->NewPrefixIterator(search(), "b", snapshot.get());
  it->Seek("b");
  // Every bigram's last block, read through one iterator: only folds write
  // blocks, and this fold writes each bigram's once, after reading it.
  auto last = store_->NewPrefixIterator(search(), "B", nullptr);
  std::vector<std::pair<uint32_t, std::string>> fresh;
  std::vector<search::BlockEntry> entries;
  while (it->Valid()) {
    KeyReader first(ToStringView(it->key()));
    char tag;
    search::Bigram bigram;
    if (!first.ReadTag(&tag) || !first.ReadUint64(&bigram)) {
      return absl::DataLossError("report store: a malformed posting key");
    }
    const std::string fresh_prefix = KeyBuilder('b').AddUint64(bigram).Build();
    fresh.clear();
    for (; it->Valid() && it->key().starts_with(fresh_prefix); it->Next()) {
      const absl::string_view key = ToStringView(it->key());
      if (key.size() != fresh_prefix.size() + 4) {
        return absl::DataLossError("report store: a malformed posting key");
      }
      fresh.emplace_back(DecodeDoc(key), std::string(ToStringView(it->value())));
      batch.Delete(search(), it->key());
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
        return absl::DataLossError("report store: a malformed posting block");
      }
    } else if (last->Valid() && last->key().starts_with(block_prefix)) {
      search::BlockReader full(DecodeDoc(ToStringView(last->key())), ToStringView(last->value()));
      if (!full.Start()) return absl::DataLossError("report store: a malformed posting block");
      if (!fresh.empty() && fresh.front().first <= full.last_doc()) {
        return absl::InternalError("report store: unfolded postings precede a folded block");
      }
    }
    if (!last->status().ok()) return storage::FromRocksDb(last->status(), "read a posting block");
    if (!entries.empty() && !fresh.empty() && fresh.front().first <= entries.back().doc) {
      return absl::InternalError("report store: unfolded postings precede a folded block");
    }
    size_t bytes = last_block.size();
    for (const auto& [doc, positions] : fresh) {
      if (!entries.empty() && bytes >= kBlockBytes) {
        batch.Put(search(), BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
        entries.clear();
        bytes = 0;
      }
      entries.push_back({doc, positions});
      bytes += positions.size() + 4;
    }
    if (!entries.empty()) {
      batch.Put(search(), BlockKey(bigram, entries.front().doc), search::EncodeBlock(entries));
    }
    postings += fresh.size();
    if (postings >= kFoldBatchPostings) {
      absl::Status s = commit();
      if (!s.ok()) return s;
      // Closing does not wait for a long fold: what is committed stands
      // (whole bigrams), the rest is folded after the next start.
      absl::MutexLock lock(&fold_state_mu_);
      if (stopping_) return absl::CancelledError("report store: closing");
    }
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "fold the search postings");
  batch.Put(meta(), SearchFoldedKey(), EncodeCounter(*through));
  absl::Status s = commit();
  if (!s.ok()) return s;
  absl::MutexLock lock(&fold_state_mu_);
  folded_through_ = std::max(folded_through_, *through);
  return absl::OkStatus();
}

absl::Status ReportStore::LoadSearchDocs() {
  absl::MutexLock lock(&docs_mu_);
  auto it = store_->NewPrefixIterator(search(), "d", nullptr);
  for (it->Seek("d"); it->Valid(); it->Next()) {
    KeyReader reader(ToStringView(it->key()));
    char tag;
    uint32_t doc;
    if (!reader.ReadTag(&tag) || !reader.ReadUint32(&doc)) {
      return absl::DataLossError("report store: a malformed search document key");
    }
    auto record = storage::ParseRecord<storage_records::SearchDoc>(
        std::string(ToStringView(it->value())), "search document");
    if (!record.ok()) return record.status();
    if (docs_.size() <= doc) docs_.resize(doc + 1);
    SearchDocEntry& entry = docs_[doc];
    entry = {true,           record->report_id(), record->region(),
             record->year(), record->kind(),      record->length()};
    ++doc_count_;
    total_length_ += entry.length;
  }
  return storage::FromRocksDb(it->status(), "load the search documents");
}

void ReportStore::IndexForSearch(uint32_t doc, const v1::Report& report,
                                 std::optional<uint32_t> old_doc, absl::string_view old_text,
                                 rocksdb::WriteBatch* batch) {
  if (old_doc.has_value()) {
    for (const auto& [bigram, positions] : search::IndexBigrams(old_text)) {
      batch->Delete(search(), PostingKey(bigram, *old_doc));
    }
    batch->Delete(search(), KeyBuilder('d').AddUint32(*old_doc).Build());
  }
  const auto bigrams = search::IndexBigrams(report.text());
  for (const auto& [bigram, positions] : bigrams) {
    batch->Put(search(), PostingKey(bigram, doc), search::EncodePositions(positions));
  }
  storage_records::SearchDoc entry;
  entry.set_format_version(storage::kRecordFormatVersion);
  entry.set_report_id(api::IdOf("reports", report.name()));
  entry.set_region(report.region());
  entry.set_year(report.year());
  entry.set_kind(report.kind());
  entry.set_length(static_cast<uint32_t>(text::CodePointCount(report.text())));
  batch->Put(search(), KeyBuilder('d').AddUint32(doc).Build(), entry.SerializeAsString());
  batch->Put(search(), KeyBuilder('n').AddString(entry.report_id()).Build(), EncodeDoc(doc));
}

absl::StatusOr<v1::Report> ReportStore::SubmitReport(absl::string_view report_id, v1::Report report,
                                                     absl::string_view request_id,
                                                     absl::string_view actor) {
  absl::MutexLock lock(&write_mu_);
  const std::string request_key = KeyBuilder('q').AddString(request_id).Build();
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), request_key);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      std::string earlier_id;
      uint32_t earlier_version = 1;
      ParseRequestValue(**earlier, &earlier_id, &earlier_version);
      auto version = GetReportVersion(earlier_id, earlier_version);
      if (version.ok() || !absl::IsNotFound(version.status())) return version;
      return GetReport(earlier_id);  // written before versions existed
    }
  }
  rocksdb::WriteBatch batch;
  std::string id(report_id);
  // A resubmission of (filer, year, kind) is the next version of its report.
  const std::string kind_key = KindKey(report.filer(), report.year(), report.kind());
  auto versioned = store_->Get(indexes(), kind_key);
  if (!versioned.ok()) return versioned.status();
  uint32_t version = 1;
  std::string old_text;  // the latest version's text, for its postings
  if (versioned->has_value()) {
    const std::string& existing_id = **versioned;
    if (!id.empty() && id != existing_id) {
      return errors::AlreadyExists(
          "Report", absl::StrCat("reports/", existing_id),
          absl::StrCat(report.filer(), " already filed this kind of report for ", report.year(),
                       " as reports/", existing_id, "; resubmit with report_id \"", existing_id,
                       "\" or none to add a version"));
    }
    id = existing_id;
    auto latest = store_->Get(records(), ReportKey(id));
    if (!latest.ok()) return latest.status();
    if (latest->has_value()) {
      auto record = storage::ParseRecord<storage_records::ReportRecord>(**latest, "report record");
      if (!record.ok()) return record.status();
      const uint32_t latest_version =
          std::max<uint32_t>(1, static_cast<uint32_t>(record->report().version()));
      if (record->report().version() == 0) {
        record->mutable_report()->set_version(1);
        batch.Put(records(), VersionKey(id, 1), record->SerializeAsString());
      }
      version = latest_version + 1;
      old_text = record->report().text();
    }
  } else if (id.empty()) {
    // A client may have chosen an id of the generated form: skip those.
    auto draw = storage::SequenceCounter(*store_, meta(), "report").StartDraw();
    auto next = draw.TakeFree([&](uint64_t n) -> absl::StatusOr<bool> {
      auto found = store_->Get(records(), ReportKey(absl::StrCat("r", report.year(), "-", n)));
      if (!found.ok()) return found.status();
      return found->has_value();
    });
    if (!next.ok()) return next.status();
    draw.Stage(batch);
    id = absl::StrCat("r", report.year(), "-", *next);
  }
  if (version == 1) {
    auto existing = store_->Get(records(), ReportKey(id));
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return errors::AlreadyExists("Report", absl::StrCat("reports/", id),
                                   "the report id is already taken");
    }
  }
  report.set_version(static_cast<int32_t>(version));
  report.set_name(absl::StrCat("reports/", id));
  *report.mutable_submit_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  storage_records::ReportRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_report() = report;
  record.set_request_id(std::string(request_id));
  const auto year = static_cast<uint32_t>(report.year());
  const std::string serialized = record.SerializeAsString();
  batch.Put(records(), ReportKey(id), serialized);
  batch.Put(records(), VersionKey(id, version), serialized);
  batch.Put(indexes(), kind_key, id);
  batch.Put(indexes(),
            KeyBuilder('r')
                .AddString(api::IdOf("regions", report.region()))
                .AddUint32(year)
                .AddString(id)
                .Build(),
            "");
  batch.Put(indexes(),
            KeyBuilder('f')
                .AddString(api::IdOf("units", report.filer()))
                .AddUint32(year)
                .AddString(id)
                .Build(),
            "");
  if (!request_id.empty()) {
    batch.Put(requests(), request_key, absl::StrCat(id, std::string(1, '\0'), version));
  }
  // The search index, in the same batch.
  const std::string doc_key = KeyBuilder('n').AddString(id).Build();
  auto known_doc = store_->Get(search(), doc_key);
  if (!known_doc.ok()) return known_doc.status();
  std::optional<uint32_t> old_doc;  // never indexed: nothing to replace
  if (known_doc->has_value() && (*known_doc)->size() == 4) old_doc = DecodeDoc(**known_doc);
  auto next_doc = ReadCounter(*store_, meta(), SearchDocCounterKey(), nullptr);
  if (!next_doc.ok()) return next_doc.status();
  if (*next_doc >= UINT32_MAX) {
    return absl::ResourceExhaustedError("report store: search documents exhausted");
  }
  const auto doc = static_cast<uint32_t>(*next_doc);
  batch.Put(meta(), SearchDocCounterKey(), EncodeCounter(*next_doc + 1));
  IndexForSearch(doc, report, old_doc, old_text, &batch);
  storage::ChangeLog::Batch changes = changes_->StartBatch();
  v1::Change change;
  change.set_resource(report.name());
  change.set_kind(version == 1 ? v1::Change::KIND_CREATE : v1::Change::KIND_UPDATE);
  change.set_actor(std::string(actor));
  *change.mutable_time() = report.submit_time();
  changes.Log<storage_records::ChangeRecord>(std::move(change));
  absl::Status s = changes_->Commit(batch, changes);
  if (!s.ok()) return s;
  {
    absl::MutexLock docs_lock(&docs_mu_);
    if (docs_.size() <= doc) docs_.resize(doc + 1);
    if (old_doc.has_value() && *old_doc < docs_.size() && docs_[*old_doc].present) {
      SearchDocEntry& old_entry = docs_[*old_doc];
      old_entry.present = false;
      --doc_count_;
      total_length_ -= old_entry.length;
      old_entry = SearchDocEntry();
    }
    SearchDocEntry& entry = docs_[doc];
    entry = {true,
             id,
             report.region(),
             report.year(),
             report.kind(),
             static_cast<uint32_t>(text::CodePointCount(report.text()))};
    ++doc_count_;
    total_length_ += entry.length;
  }
  {
    absl::MutexLock lock(&fold_state_mu_);
    next_doc_ = std::max<uint64_t>(next_doc_, doc + 1);
    if (next_doc_ - std::min(next_doc_, folded_through_) >= fold_every_) fold_asked_ = true;
  }
  return report;
}

absl::StatusOr<v1::Report> ReportStore::GetReport(absl::string_view report_id) {
  auto value = store_->Get(records(), ReportKey(report_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Report", absl::StrCat("reports/", report_id));
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
  if (!record.ok()) return record.status();
  return record->report();
}

absl::StatusOr<v1::ListReportsResponse> ReportStore::ListReports(
    const v1::ListReportsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint = storage::QueryFingerprint(absl::StrCat(
      "reports?region=", request.region(), "&year=", request.year(), "&filer=", request.filer()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();

  // Narrowest index first: filer, else region, else every record.
  std::string prefix;
  rocksdb::ColumnFamilyHandle* cf = indexes();
  bool by_index = true;
  if (!request.filer().empty()) {
    KeyBuilder b('f');
    b.AddString(api::IdOf("units", request.filer()));
    if (request.year() != 0) b.AddUint32(static_cast<uint32_t>(request.year()));
    prefix = b.Build();
  } else if (!request.region().empty()) {
    KeyBuilder b('r');
    b.AddString(api::IdOf("regions", request.region()));
    if (request.year() != 0) b.AddUint32(static_cast<uint32_t>(request.year()));
    prefix = b.Build();
  } else {
    prefix = "p";
    cf = records();
    by_index = false;
  }
  storage::ScopedSnapshot snapshot(*store_);
  v1::ListReportsResponse response;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, cf, snapshot.get(), prefix, *resume, *page_size,
      [&](absl::string_view key, absl::string_view value) -> absl::StatusOr<bool> {
        std::string bytes;
        if (by_index) {
          KeyReader reader(key);
          char tag;
          std::string owner, id;
          uint32_t year;
          reader.ReadTag(&tag);
          reader.ReadString(&owner);
          reader.ReadUint32(&year);
          reader.ReadString(&id);
          auto found = store_->Get(records(), ReportKey(id), snapshot.get());
          if (!found.ok()) return found.status();
          if (!found->has_value()) return false;
          bytes = std::move(**found);
        } else {
          bytes.assign(value.data(), value.size());
        }
        auto record = storage::ParseRecord<storage_records::ReportRecord>(bytes, "report record");
        if (!record.ok()) return record.status();
        const v1::Report& report = record->report();
        if (request.year() != 0 && report.year() != request.year()) return false;
        if (!request.region().empty() && report.region() != request.region()) return false;
        v1::Report* out = response.add_reports();
        *out = report;
        ForList(*out);
        return true;
      },
      &next);
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

absl::StatusOr<v1::Report> ReportStore::GetReportVersion(absl::string_view report_id,
                                                         uint32_t version) {
  auto value = store_->Get(records(), VersionKey(report_id, version));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return errors::NotFound("Report", absl::StrCat("reports/", report_id, "@", version));
  }
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
  if (!record.ok()) return record.status();
  return record->report();
}

absl::StatusOr<v1::ListReportVersionsResponse> ReportStore::ListReportVersions(
    absl::string_view report_id) {
  storage::ScopedSnapshot snapshot(*store_);
  auto latest = store_->Get(records(), ReportKey(report_id), snapshot.get());
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) return errors::NotFound("Report", absl::StrCat("reports/", report_id));
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**latest, "report record");
  if (!record.ok()) return record.status();
  v1::ListReportVersionsResponse response;
  const uint32_t newest = static_cast<uint32_t>(record->report().version());
  if (newest == 0) {  // written before versions existed: the one version
    *response.add_versions() = record->report();
    ForList(*response.mutable_versions(0));
    return response;
  }
  for (uint32_t v = newest; v >= 1; --v) {
    auto value = store_->Get(records(), VersionKey(report_id, v), snapshot.get());
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    auto r = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
    if (!r.ok()) return r.status();
    v1::Report* out = response.add_versions();
    *out = r->report();
    ForList(*out);
  }
  return response;
}

namespace {

// One bigram's postings in document order, advanced by short steps or seeks.
// One bigram's unfolded postings ('b' keys), by document.
class FreshCursor {
 public:
  FreshCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix)
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

// One bigram's folded postings ('B' blocks), by document.
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
    if (malformed_) return absl::DataLossError("report store: a malformed posting block");
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

// One bigram's postings: the folded blocks and the unfolded keys merged (a
// document is in exactly one of them).
class PostingCursor {
 public:
  PostingCursor(const storage::Store& store, rocksdb::ColumnFamilyHandle* cf, search::Bigram bigram,
                const rocksdb::Snapshot* snapshot)
      : blocks_(store.NewPrefixIterator(cf, KeyBuilder('B').AddUint64(bigram).Build(), snapshot),
                KeyBuilder('B').AddUint64(bigram).Build()),
        fresh_(store.NewPrefixIterator(cf, KeyBuilder('b').AddUint64(bigram).Build(), snapshot),
               KeyBuilder('b').AddUint64(bigram).Build()) {}
  // Moves to the first document >= `target`; false when there is none.
  bool AdvanceTo(uint32_t target) {
    const bool in_blocks = blocks_.AdvanceTo(target);
    const bool in_fresh = fresh_.AdvanceTo(target);
    return in_blocks || in_fresh;
  }
  uint32_t doc() const { return FromBlocks() ? blocks_.doc() : fresh_.doc(); }
  absl::string_view positions() const {
    return FromBlocks() ? blocks_.positions() : fresh_.positions();
  }
  absl::Status status() const {
    absl::Status s = blocks_.status();
    return s.ok() ? fresh_.status() : s;
  }

 private:
  bool FromBlocks() const {
    return blocks_.Valid() && (!fresh_.Valid() || blocks_.doc() < fresh_.doc());
  }

  BlockCursor blocks_;
  FreshCursor fresh_;
};

struct SearchMatch {
  uint32_t doc;
  std::vector<uint32_t> tf;  // per term
  uint32_t first;            // earliest match of any term
  double score = 0;
};

}  // namespace

absl::StatusOr<v1::SearchReportsResponse> ReportStore::SearchReports(
    const v1::SearchReportsRequest& request, const std::vector<std::u32string>& terms,
    int page_size) {
  const uint64_t fingerprint = storage::QueryFingerprint(
      absl::StrCat("search?q=", request.query(), "&region=", request.region(),
                   "&year=", request.year(), "&kind=", request.kind()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();
  size_t offset = 0;
  if (!resume->empty() && !absl::SimpleAtoi(*resume, &offset)) {
    return absl::InvalidArgumentError("page_token: not a search page token");
  }

  // Distinct bigrams, and for each term the index of each of its bigrams.
  // Only the bigrams that cover each term are read (half of them).
  std::vector<search::Bigram> bigrams;
  std::vector<std::vector<std::pair<size_t, uint32_t>>> term_bigrams;  // (bigram, offset)
  for (const auto& term : terms) {
    std::vector<std::pair<size_t, uint32_t>> indexes;
    for (const search::TermPart& part : search::CoveringBigrams(term)) {
      auto at = std::find(bigrams.begin(), bigrams.end(), part.bigram);
      indexes.emplace_back(static_cast<size_t>(at - bigrams.begin()), part.offset);
      if (at == bigrams.end()) bigrams.push_back(part.bigram);
    }
    term_bigrams.push_back(std::move(indexes));
  }

  storage::ScopedSnapshot snapshot(*store_);
  std::vector<PostingCursor> cursors;
  cursors.reserve(bigrams.size());
  for (search::Bigram b : bigrams) cursors.emplace_back(*store_, search(), b, snapshot.get());

  std::vector<SearchMatch> matches;
  double n_docs = 0, average_length = 1;
  {
    absl::ReaderMutexLock docs_lock(&docs_mu_);
    n_docs = static_cast<double>(doc_count_);
    if (doc_count_ > 0) average_length = static_cast<double>(total_length_) / n_docs;
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
      const bool known = doc < docs_.size() && docs_[doc].present;
      const SearchDocEntry* entry = known ? &docs_[doc] : nullptr;
      const bool wanted =
          entry != nullptr && (request.region().empty() || entry->region == request.region()) &&
          (request.year() == 0 || entry->year == request.year()) &&
          (request.kind() == v1::REPORT_KIND_UNSPECIFIED || entry->kind == request.kind());
      if (wanted) {
        bool decoded = true;
        for (size_t i = 0; i < cursors.size() && decoded; ++i) {
          decoded = search::DecodePositions(cursors[i].positions(), &positions[i]);
        }
        if (!decoded) return absl::DataLossError("report store: malformed search postings");
        SearchMatch match{doc, {}, UINT32_MAX};
        for (const auto& indexes : term_bigrams) {
          std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> term_positions;
          for (const auto& [i, offset] : indexes)
            term_positions.emplace_back(&positions[i], offset);
          const std::vector<uint32_t> found = search::PhraseMatches(term_positions);
          if (found.empty()) break;
          match.tf.push_back(static_cast<uint32_t>(found.size()));
          match.first = std::min(match.first, found.front());
        }
        if (match.tf.size() == terms.size()) {
          // BM25 with k1 = 1.2, b = 0.75; idf from the matches below.
          match.score = static_cast<double>(entry->length);
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

  // Ranking. Every match has every term, so each term's document frequency
  // is at least the number of matches; it is taken as that number (a lower
  // bound), which ranks by term frequency and length alone.
  const double df = static_cast<double>(matches.size());
  const double idf = std::log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
  constexpr double kK1 = 1.2, kB = 0.75;
  for (auto& m : matches) {
    const double length = m.score;
    double score = 0;
    for (uint32_t tf : m.tf) {
      const double f = static_cast<double>(tf);
      score += idf * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * length / average_length));
    }
    m.score = score;
  }
  v1::SearchReportsResponse response;
  response.set_total_size(static_cast<int32_t>(matches.size()));
  response.set_highlight_begin("【");
  response.set_highlight_end("】");
  if (offset >= matches.size()) return response;
  const size_t end = std::min(matches.size(), offset + static_cast<size_t>(page_size));
  auto better = [](const SearchMatch& a, const SearchMatch& b) {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  };
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(end),
                    matches.end(), better);
  for (size_t i = offset; i < end; ++i) {
    const SearchMatch& m = matches[i];
    std::string id;
    {
      absl::ReaderMutexLock docs_lock(&docs_mu_);
      id = docs_[m.doc].report_id;
    }
    auto value = store_->Get(records(), ReportKey(id), snapshot.get());
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
    if (!record.ok()) return record.status();
    const v1::Report& report = record->report();
    v1::ReportSearchHit* hit = response.add_hits();
    hit->set_report(report.name());
    hit->set_title(report.title());
    hit->set_filer(report.filer());
    hit->set_region(report.region());
    hit->set_year(report.year());
    hit->set_kind(report.kind());
    hit->set_version(report.version());
    hit->set_score(m.score);
    uint32_t count = 0;
    for (uint32_t tf : m.tf) count += tf;
    hit->set_match_count(static_cast<int32_t>(count));
    size_t first_length = terms[0].size();
    for (const auto& t : terms) first_length = std::max(first_length, t.size());
    hit->set_match_begin(static_cast<int32_t>(m.first));
    // The term at `first` is one of the terms; find which for the span.
    const std::u32string chars = text::DecodeUtf8Lenient(report.text()).chars;
    for (const auto& t : terms) {
      bool same = m.first + t.size() <= chars.size();
      for (size_t k = 0; k < t.size() && same; ++k) same = search::Fold(chars[m.first + k]) == t[k];
      if (same) {
        first_length = t.size();
        break;
      }
    }
    hit->set_match_end(static_cast<int32_t>(m.first + first_length));
    hit->set_snippet(search::Snippet(report.text(), terms, m.first, 80, "【", "】"));
    const v1::ReportSection* section = nullptr;
    for (const auto& candidate : report.sections()) {
      if (static_cast<uint32_t>(candidate.begin()) <= m.first) section = &candidate;
    }
    if (section != nullptr) *hit->mutable_section() = *section;
  }
  if (end < matches.size()) {
    response.set_next_page_token(storage::EncodePageToken(fingerprint, absl::StrCat(end)));
  }
  return response;
}

absl::StatusOr<std::vector<v1::Change>> ReportStore::ChangesAfter(uint64_t after, int limit) const {
  return changes_->ChangesAfter<storage_records::ChangeRecord>(after, limit);
}

}  // namespace fazhi::report
