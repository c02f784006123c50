#include "services/report/report_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "google/protobuf/util/time_util.h"
#include "services/report/storage/report_records.pb.h"

namespace fazhi::report {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

std::string ReportKey(absl::string_view id) { return KeyBuilder('p').AddString(id).Build(); }

}  // namespace

const std::vector<std::string>& ReportStore::ColumnFamilies() {
  static const auto* families =
      new std::vector<std::string>{"records", "indexes", "requests", "meta"};
  return *families;
}

absl::StatusOr<std::unique_ptr<ReportStore>> ReportStore::Open(storage::StoreOptions options) {
  options.column_families = ColumnFamilies();
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ReportStore>(new ReportStore(std::move(*store)));
}

absl::StatusOr<v1::Report> ReportStore::SubmitReport(absl::string_view report_id, v1::Report report,
                                                     absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  const std::string request_key = KeyBuilder('q').AddString(request_id).Build();
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), request_key);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return GetReport(**earlier);
  }
  rocksdb::WriteBatch batch;
  std::string id(report_id);
  if (id.empty()) {
    // A client may have chosen an id of the generated form: skip those.
    auto next = storage::TakeFreeSequence(
        *store_, meta(), "report",
        [&](uint64_t n) -> absl::StatusOr<bool> {
          auto found = store_->Get(records(), ReportKey(absl::StrCat("r", report.year(), "-", n)));
          if (!found.ok()) return found.status();
          return found->has_value();
        },
        &batch);
    if (!next.ok()) return next.status();
    id = absl::StrCat("r", report.year(), "-", *next);
  }
  auto existing = store_->Get(records(), ReportKey(id));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Report", absl::StrCat("reports/", id),
                                 "the report id is already taken");
  }
  report.set_name(absl::StrCat("reports/", id));
  *report.mutable_submit_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  storage_records::ReportRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_report() = report;
  record.set_request_id(std::string(request_id));
  const auto year = static_cast<uint32_t>(report.year());
  batch.Put(records(), ReportKey(id), record.SerializeAsString());
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
  if (!request_id.empty()) batch.Put(requests(), request_key, id);
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
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
        out->clear_text();
        return true;
      },
      &next);
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

}  // namespace fazhi::report
