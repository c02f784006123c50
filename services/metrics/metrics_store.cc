#include "services/metrics/metrics_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/storage/records.h"
#include "common/storage/scan.h"
#include "google/protobuf/util/time_util.h"
#include "services/metrics/metrics_rules.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

std::string IndicatorKey(absl::string_view code) { return KeyBuilder('i').AddString(code).Build(); }

KeyBuilder SubjectYearPrefix(absl::string_view subject, int year) {
  KeyBuilder b('o');
  b.AddString(subject).AddUint32(static_cast<uint32_t>(year));
  return b;
}

std::string ObservationKey(const v1::Observation& o) {
  return SubjectYearPrefix(o.subject(), o.period().year())
      .AddString(api::IdOf("indicators", o.indicator()))
      .AddUint32(static_cast<uint32_t>(o.period().start_month()))
      .AddUint32(static_cast<uint32_t>(o.period().end_month()))
      .Build();
}

}  // namespace

const std::vector<std::string>& MetricsStore::ColumnFamilies() {
  static const auto* families =
      new std::vector<std::string>{"records", "indexes", "requests", "meta"};
  return *families;
}

absl::StatusOr<std::unique_ptr<MetricsStore>> MetricsStore::Open(storage::StoreOptions options) {
  options.column_families = ColumnFamilies();
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<MetricsStore>(new MetricsStore(std::move(*store)));
}

absl::StatusOr<v1::Indicator> MetricsStore::CreateIndicator(v1::Indicator indicator) {
  indicator.set_name(absl::StrCat("indicators/", indicator.code()));
  absl::MutexLock lock(&write_mu_);
  auto existing = store_->Get(records(), IndicatorKey(indicator.code()));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return errors::AlreadyExists("Indicator", indicator.name(), "the code is already defined");
  }
  for (const auto& [field, code] :
       {std::pair<const char*, std::string>{"indicator.numerator_code", indicator.numerator_code()},
        {"indicator.denominator_code", indicator.denominator_code()}}) {
    if (code.empty()) continue;
    auto part = store_->Get(records(), IndicatorKey(code));
    if (!part.ok()) return part.status();
    if (!part->has_value()) {
      return errors::ReferenceNotFound(field, "Indicator", absl::StrCat("indicators/", code));
    }
  }
  storage_records::IndicatorRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_indicator() = indicator;
  rocksdb::WriteBatch batch;
  batch.Put(records(), IndicatorKey(indicator.code()), record.SerializeAsString());
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
  return indicator;
}

absl::StatusOr<v1::Indicator> MetricsStore::GetIndicator(absl::string_view code,
                                                         const rocksdb::Snapshot* snapshot) {
  auto value = store_->Get(records(), IndicatorKey(code), snapshot);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return errors::NotFound("Indicator", absl::StrCat("indicators/", code));
  auto record = storage::ParseRecord<storage_records::IndicatorRecord>(**value, "indicator");
  if (!record.ok()) return record.status();
  return record->indicator();
}

absl::StatusOr<v1::ListIndicatorsResponse> MetricsStore::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint = storage::QueryFingerprint("indicators");
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();
  v1::ListIndicatorsResponse response;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), nullptr, "i", *resume, *page_size,
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record = storage::ParseRecord<storage_records::IndicatorRecord>(value, "indicator");
        if (!record.ok()) return record.status();
        *response.add_indicators() = record->indicator();
        return true;
      },
      &next);
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

absl::StatusOr<std::vector<v1::Indicator>> MetricsStore::AllIndicators(
    const rocksdb::Snapshot* snapshot) {
  std::vector<v1::Indicator> all;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), snapshot, "i", "", std::numeric_limits<int>::max(),
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record = storage::ParseRecord<storage_records::IndicatorRecord>(value, "indicator");
        if (!record.ok()) return record.status();
        all.push_back(record->indicator());
        return true;
      },
      &next);
  if (!s.ok()) return s;
  return all;
}

absl::StatusOr<v1::Observation> MetricsStore::RecordObservation(v1::Observation observation,
                                                                absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  if (!request_id.empty()) {
    auto earlier = store_->Get(requests(), KeyBuilder('q').AddString(request_id).Build());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      // The answer the first call got, even if the value changed since.
      auto record =
          storage::ParseRecord<storage_records::ObservationRecord>(**earlier, "observation");
      if (!record.ok()) return record.status();
      return record->observation();
    }
  }
  const std::string code = api::IdOf("indicators", observation.indicator());
  auto indicator = GetIndicator(code);
  if (!indicator.ok()) {
    if (absl::IsNotFound(indicator.status())) {
      return errors::ReferenceNotFound("observation.indicator", "Indicator",
                                       observation.indicator());
    }
    return indicator.status();
  }
  errors::FieldViolations violations;
  CheckAgainstIndicator(observation, *indicator, violations);
  if (!violations.empty()) return violations.ToStatus();

  rocksdb::WriteBatch batch;
  const std::string key = ObservationKey(observation);
  auto existing = store_->Get(records(), key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    auto record =
        storage::ParseRecord<storage_records::ObservationRecord>(**existing, "observation");
    if (!record.ok()) return record.status();
    observation.set_name(record->observation().name());
  } else {
    auto next = storage::TakeSequence(*store_, meta(), "observation", &batch);
    if (!next.ok()) return next.status();
    const std::string id = absl::StrFormat("o%016x", *next);
    observation.set_name(absl::StrCat("observations/", id));
    batch.Put(indexes(), KeyBuilder('n').AddString(id).Build(), key);
  }
  const auto now =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  *observation.mutable_update_time() = now;
  *observation.mutable_provenance()->mutable_record_time() = now;
  if (observation.provenance().recorded_by().empty()) {
    observation.mutable_provenance()->set_recorded_by("anonymous");
  }
  storage_records::ObservationRecord record;
  record.set_format_version(storage::kRecordFormatVersion);
  *record.mutable_observation() = observation;
  record.set_request_id(std::string(request_id));
  batch.Put(records(), key, record.SerializeAsString());
  if (!request_id.empty()) {
    batch.Put(requests(), KeyBuilder('q').AddString(request_id).Build(),
              record.SerializeAsString());
  }
  absl::Status s = store_->Write(&batch);
  if (!s.ok()) return s;
  return observation;
}

absl::StatusOr<v1::ListObservationsResponse> MetricsStore::ListObservations(
    const v1::ListObservationsRequest& request) {
  auto page_size = storage::NormalizePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint64_t fingerprint = storage::QueryFingerprint(
      absl::StrCat("observations?subject=", request.subject(), "&year=", request.year(),
                   "&indicator=", request.indicator()));
  auto resume = storage::DecodePageToken(request.page_token(), fingerprint);
  if (!resume.ok()) return resume.status();
  KeyBuilder prefix('o');
  prefix.AddString(request.subject());
  if (request.year() != 0) prefix.AddUint32(static_cast<uint32_t>(request.year()));
  v1::ListObservationsResponse response;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), nullptr, prefix.Build(), *resume, *page_size,
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record =
            storage::ParseRecord<storage_records::ObservationRecord>(value, "observation");
        if (!record.ok()) return record.status();
        if (!request.indicator().empty() &&
            record->observation().indicator() != request.indicator()) {
          return false;
        }
        *response.add_observations() = record->observation();
        return true;
      },
      &next);
  if (!s.ok()) return s;
  if (!next.empty()) response.set_next_page_token(storage::EncodePageToken(fingerprint, next));
  return response;
}

absl::StatusOr<std::vector<v1::Observation>> MetricsStore::ObservationsOf(
    absl::string_view subject, int year, const rocksdb::Snapshot* snapshot) {
  std::vector<v1::Observation> all;
  std::string next;
  absl::Status s = storage::ScanPage(
      *store_, records(), snapshot, SubjectYearPrefix(subject, year).Build(), "",
      std::numeric_limits<int>::max(),
      [&](absl::string_view, absl::string_view value) -> absl::StatusOr<bool> {
        auto record =
            storage::ParseRecord<storage_records::ObservationRecord>(value, "observation");
        if (!record.ok()) return record.status();
        all.push_back(record->observation());
        return true;
      },
      &next);
  if (!s.ok()) return s;
  return all;
}

}  // namespace fazhi::metrics
