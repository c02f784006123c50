#include "services/report/report_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "common/storage/sequence.h"
#include "common/storage/store_format.h"
#include "google/protobuf/util/time_util.h"
#include "services/report/report_analysis.h"
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

// The resource name of the record at a records key: the latest version's
// 'p' key names the report; the 'v' copies are not records of their own.
std::string ResourceOfRecord(absl::string_view key) {
  KeyReader reader(key);
  char tag = 0;
  std::string id;
  if (!reader.ReadTag(&tag) || tag != 'p' || !reader.ReadString(&id) || !reader.Done()) return "";
  return api::ReportName(id);
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

}  // namespace

absl::StatusOr<std::unique_ptr<ReportStore>> ReportStore::Open(storage::StoreOptions options) {
  options.column_families = storage::FamilyNames(keys::kFamilies);
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  auto report_store = std::unique_ptr<ReportStore>(new ReportStore(std::move(*store)));
  if (absl::Status s = storage::UpgradeFormat(*report_store->store_, report_store->meta(), "report",
                                              keys::kStoreFormat, ReportMigrations());
      !s.ok()) {
    return s;
  }
  storage::ChangeLog::Options log_options;
  log_options.audited_records = report_store->records();
  log_options.name_record = [](absl::string_view key, absl::string_view) {
    return ResourceOfRecord(key);
  };
  auto changes =
      storage::ChangeLog::Open(*report_store->store_, report_store->changes(), log_options);
  if (!changes.ok()) return changes.status();
  report_store->changes_ = *std::move(changes);
  auto search_index = ReportSearchIndex::Open(report_store->store_.get(), report_store->search(),
                                              report_store->meta());
  if (!search_index.ok()) return search_index.status();
  report_store->search_index_ = *std::move(search_index);
  return report_store;
}

ReportStore::~ReportStore() {
  if (search_index_ != nullptr) search_index_->Stop();
}

absl::Status ReportStore::Close() {
  search_index_->Stop();
  return store_->Close();
}

absl::StatusOr<v1::Report> ReportStore::SubmitReport(absl::string_view report_id, v1::Report report,
                                                     absl::string_view request_id,
                                                     const storage::Caller& caller) {
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
  if (versioned->has_value()) {
    const std::string& existing_id = **versioned;
    if (!id.empty() && id != existing_id) {
      return errors::AlreadyExists(
          "Report", api::ReportName(existing_id),
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
      if (latest_version >= static_cast<uint32_t>(limits::kMaxReportVersions)) {
        return errors::InvalidField(
            "report", absl::StrCat(api::ReportName(existing_id), " has ", latest_version,
                                   " versions; the limit is ", limits::kMaxReportVersions,
                                   " (ListReportVersions returns them all in one reply)"));
      }
      version = latest_version + 1;
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
      return errors::AlreadyExists("Report", api::ReportName(id), "the report id is already taken");
    }
  }
  report.set_version(static_cast<int32_t>(version));
  report.set_name(api::ReportName(id));
  *report.mutable_submit_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(Now()));
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
  auto staged = search_index_->Stage(
      {id, report.region(), report.year(), report.kind(), report.text()}, &batch);
  if (!staged.ok()) return staged.status();
  storage::ChangeLog::Batch changes = changes_->StartBatch(caller);
  v1::Change change;
  change.set_resource(report.name());
  change.set_kind(version == 1 ? v1::Change::KIND_CREATE : v1::Change::KIND_UPDATE);
  change.set_actor(caller.actor());
  *change.mutable_time() = report.submit_time();
  changes.Log<storage_records::ChangeRecord>(std::move(change));
  absl::Status s = changes_->Commit(batch, changes);
  if (!s.ok()) return s;
  search_index_->Publish(*staged);
  return report;
}

absl::StatusOr<v1::Report> ReportStore::GetReport(absl::string_view report_id) {
  auto value = store_->Get(records(), ReportKey(report_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Report", api::ReportName(report_id));
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
  if (!record.ok()) return record.status();
  if (CutReportToLimits(*record->mutable_report())) {
    FAZHI_LOG(WARNING) << record->report().name()
                       << " was stored before the limits and is served without its quantities";
  }
  return record->report();
}

absl::StatusOr<v1::ListReportsResponse> ReportStore::ListReports(
    const v1::ListReportsRequest& request) {
  auto page =
      storage::StartPage(request.page_size(), request.page_token(),
                         absl::StrCat("reports?region=", request.region(), "&year=", request.year(),
                                      "&filer=", request.filer()));
  if (!page.ok()) return page.status();

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
  storage::PageBytes page_bytes;
  absl::Status s = storage::ScanPage(
      *store_, cf, snapshot.get(), prefix, page->resume_after, page->page_size,
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
        LeaveOutForListing(*out);
        page_bytes.Add(out->ByteSizeLong());
        return true;
      },
      &next, &page_bytes);
  if (!s.ok()) return s;
  response.set_next_page_token(page->NextToken(next));
  return response;
}

absl::StatusOr<v1::Report> ReportStore::GetReportVersion(absl::string_view report_id,
                                                         uint32_t version) {
  auto value = store_->Get(records(), VersionKey(report_id, version));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return errors::NotFound("Report", absl::StrCat(api::ReportName(report_id), "@", version));
  }
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
  if (!record.ok()) return record.status();
  if (CutReportToLimits(*record->mutable_report())) {
    FAZHI_LOG(WARNING) << record->report().name()
                       << " was stored before the limits and is served without its quantities";
  }
  return record->report();
}

absl::StatusOr<v1::ListReportVersionsResponse> ReportStore::ListReportVersions(
    absl::string_view report_id) {
  storage::ScopedSnapshot snapshot(*store_);
  auto latest = store_->Get(records(), ReportKey(report_id), snapshot.get());
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) return errors::NotFound("Report", api::ReportName(report_id));
  auto record = storage::ParseRecord<storage_records::ReportRecord>(**latest, "report record");
  if (!record.ok()) return record.status();
  v1::ListReportVersionsResponse response;
  const uint32_t newest = static_cast<uint32_t>(record->report().version());
  if (newest == 0) {  // written before versions existed: the one version
    *response.add_versions() = record->report();
    LeaveOutForListing(*response.mutable_versions(0));
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
    LeaveOutForListing(*out);
  }
  return response;
}

absl::StatusOr<ReportSearchPage> ReportStore::SearchReports(
    const v1::SearchReportsRequest& request, const std::vector<std::u32string>& terms,
    int page_size) {
  const uint64_t fingerprint = storage::QueryFingerprint(
      absl::StrCat("search?q=", request.query(), "&region=", request.region(),
                   "&year=", request.year(), "&kind=", request.kind()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();
  size_t offset = 0;
  if (!resume->empty() && !absl::SimpleAtoi(*resume, &offset)) {
    return errors::InvalidField("page_token", "is not a search page token; start again without it");
  }
  SearchQuery query;
  query.terms = terms;
  query.region = request.region();
  query.year = request.year();
  query.kind = request.kind();
  const size_t end = offset + static_cast<size_t>(page_size);
  auto ranking = search_index_->Search(query, end);
  if (!ranking.ok()) return ranking.status();
  const rocksdb::Snapshot* snapshot = ranking->snapshot->get();
  ReportSearchPage page;
  page.total_size = static_cast<int32_t>(ranking->total);
  for (size_t i = offset; i < ranking->best.size(); ++i) {
    SearchMatch& match = ranking->best[i];
    auto value = store_->Get(records(), ReportKey(match.report_id), snapshot);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    auto record = storage::ParseRecord<storage_records::ReportRecord>(**value, "report record");
    if (!record.ok()) return record.status();
    page.hits.push_back({std::move(match), std::move(*record->mutable_report())});
  }
  if (end < ranking->total) {
    page.next_page_token = storage::EncodePageToken(fingerprint, absl::StrCat(end));
  }
  return page;
}

absl::StatusOr<std::vector<v1::Change>> ReportStore::ChangesAfter(uint64_t after, int limit) const {
  return changes_->ChangesAfter<storage_records::ChangeRecord>(after, limit);
}

}  // namespace fazhi::report
