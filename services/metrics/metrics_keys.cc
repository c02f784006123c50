#include "services/metrics/metrics_keys.h"

#include "common/api/resource_names.h"
#include "common/storage/key_codec.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics::keys {
namespace {

using storage::KeyBuilder;
using storage::KeyReader;

constexpr char kIndicator = 'i';
constexpr char kObservation = 'o';
constexpr char kHistory = 'h';
constexpr char kReportSource = 'p';
constexpr char kObservationId = 'n';
constexpr char kObservationOfReport = 'r';
constexpr char kRequest = 'q';
constexpr char kRulesInForce = 'f';
constexpr char kRulesChange = 'g';
constexpr char kFormatOneRulesInForce = 'r';

KeyBuilder SubjectYear(absl::string_view subject, int year) {
  KeyBuilder b(kObservation);
  b.AddString(subject).AddUint32(static_cast<uint32_t>(year));
  return b;
}

}  // namespace

bool ReadObservationSubject(absl::string_view key, std::string* subject) {
  KeyReader reader(key);
  char tag = 0;
  return reader.ReadTag(&tag) && tag == kObservation && reader.ReadString(subject);
}

std::string ResourceOfRecord(absl::string_view key, absl::string_view value) {
  KeyReader reader(key);
  char tag = 0;
  if (!reader.ReadTag(&tag)) return "";
  switch (tag) {
    case kIndicator:
    case kReportSource: {
      std::string id;
      if (!reader.ReadString(&id) || !reader.Done()) return "";
      return tag == kIndicator ? api::IndicatorName(id) : id;
    }
    case kObservation: {
      // The key holds the identity, not the id: the name is in the record.
      storage_records::ObservationRecord record;
      if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return "";
      return record.observation().name();
    }
    default:
      return "";
  }
}

std::string Indicator(absl::string_view code) {
  return KeyBuilder(kIndicator).AddString(code).Build();
}
std::string IndicatorsPrefix() { return KeyBuilder(kIndicator).Build(); }

namespace {

// The end month counted from January of the start year: 1..12 for a period
// inside one year (as keys were before end_year existed), 13..23 for one that
// ends in the next year.
int EndMonthInKey(const fazhi::type::Period& p) {
  const int years = p.end_year() == 0 ? 0 : p.end_year() - p.year();
  return years * 12 + p.end_month();
}

}  // namespace

std::string Observation(const v1::Observation& o) {
  return SubjectYear(o.subject(), o.period().year())
      .AddString(api::IdOf("indicators", o.indicator()))
      .AddUint32(static_cast<uint32_t>(o.period().start_month()))
      .AddUint32(static_cast<uint32_t>(EndMonthInKey(o.period())))
      .Build();
}

std::string ObservationsOfSubjectPrefix(absl::string_view subject) {
  return KeyBuilder(kObservation).AddString(subject).Build();
}

std::string ObservationsOfSubjectYearPrefix(absl::string_view subject, int year) {
  return SubjectYear(subject, year).Build();
}

std::string History(absl::string_view observation_id, uint32_t revision) {
  return KeyBuilder(kHistory).AddString(observation_id).AddUint32(revision).Build();
}
std::string HistoryPrefix(absl::string_view observation_id) {
  return KeyBuilder(kHistory).AddString(observation_id).Build();
}

std::string ReportSource(absl::string_view report) {
  return KeyBuilder(kReportSource).AddString(report).Build();
}

std::string ObservationId(absl::string_view observation_id) {
  return KeyBuilder(kObservationId).AddString(observation_id).Build();
}

std::string ObservationOfReport(absl::string_view report, absl::string_view observation_id) {
  return KeyBuilder(kObservationOfReport).AddString(report).AddString(observation_id).Build();
}
std::string ObservationsOfReportPrefix(absl::string_view report) {
  return KeyBuilder(kObservationOfReport).AddString(report).Build();
}
bool ReadObservationOfReport(absl::string_view key, std::string* observation_id) {
  KeyReader reader(key);
  char tag = 0;
  std::string report;
  return reader.ReadTag(&tag) && tag == kObservationOfReport && reader.ReadString(&report) &&
         reader.ReadString(observation_id) && reader.Done();
}

std::string Request(absl::string_view request_id) {
  return KeyBuilder(kRequest).AddString(request_id).Build();
}

std::string RulesInForce() { return KeyBuilder(kRulesInForce).AddString("in-force").Build(); }
std::string RulesChange(uint64_t sequence) {
  return KeyBuilder(kRulesChange).AddUint64(sequence).Build();
}
std::string RulesChangesPrefix() { return KeyBuilder(kRulesChange).Build(); }
uint64_t RulesChangeSequence(absl::string_view key) {
  KeyReader reader(key);
  char tag = 0;
  uint64_t sequence = 0;
  if (!reader.ReadTag(&tag) || tag != kRulesChange || !reader.ReadUint64(&sequence) ||
      !reader.Done()) {
    return 0;
  }
  return sequence;
}

std::string FormatOneRulesInForce() {
  return KeyBuilder(kFormatOneRulesInForce).AddString("in-force").Build();
}

}  // namespace fazhi::metrics::keys
