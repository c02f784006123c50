#include "tools/fazhictl/importer.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "tools/fazhictl/rpc_error.h"

namespace fazhi::ctl {
namespace {

namespace catalogue = ::fazhi::catalogue::v1;
namespace metrics = ::fazhi::metrics::v1;
namespace report = ::fazhi::report::v1;

enum KindIndex { kRegions, kUnits, kIndicators, kProjects, kReports, kObservations };

bool HasTime(const google::protobuf::Timestamp* stamp) {
  return stamp != nullptr && (stamp->seconds() != 0 || stamp->nanos() != 0);
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& stamp) {
  return absl::FromUnixSeconds(stamp.seconds()) + absl::Nanoseconds(stamp.nanos());
}

// "“title”" when the title is known, else "".
std::string Quoted(const std::string& title) {
  return title.empty() ? "" : absl::StrCat(" “", title, "”");
}

std::string PeriodText(const fazhi::type::Period& period) {
  const int start = period.start_month() == 0 ? 1 : period.start_month();
  const int end = period.end_month() == 0 ? 12 : period.end_month();
  if (start == 1 && end == 12) return absl::StrCat(period.year());
  return absl::StrCat(period.year(), "-", start, "..", end);
}

}  // namespace

bool ImportCounts::any_failed() const {
  for (const auto& k : kinds) {
    if (k.failed > 0) return true;
  }
  return false;
}

std::string ImportCounts::ToString() const {
  std::string out;
  for (const auto& k : kinds) {
    absl::StrAppend(&out, k.kind, ": ", k.created, " created, ", k.already_present,
                    " already present, ", k.failed, " failed\n");
  }
  return out;
}

Importer::Importer(catalogue::CatalogueService::StubInterface* catalogue_stub,
                   metrics::MetricsService::StubInterface* metrics_stub,
                   report::ReportService::StubInterface* report_stub, std::ostream* errors,
                   absl::Duration call_deadline)
    : catalogue_(catalogue_stub),
      metrics_(metrics_stub),
      report_(report_stub),
      errors_(errors),
      call_deadline_(call_deadline) {}

void Importer::PrepareContext(grpc::ClientContext& context) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
}

grpc::Status Importer::CallWaitingWhenLimited(
    const std::function<grpc::Status(grpc::ClientContext*)>& call) const {
  // A bulk load outruns a caller's write rate by design; waiting as told is
  // cheaper than failing items the operator then loads again.
  constexpr int kMaxAttempts = 8;
  constexpr absl::Duration kLongestWait = absl::Seconds(30);
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    PrepareContext(context);
    grpc::Status status = call(&context);
    if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED || attempt == kMaxAttempts) {
      return status;
    }
    google::rpc::RetryInfo retry;
    if (!errors::GetDetail(FromGrpcStatus(status), &retry)) return status;
    const absl::Duration wait = absl::Seconds(retry.retry_delay().seconds()) +
                                absl::Nanoseconds(retry.retry_delay().nanos());
    if (wait > kLongestWait) return status;
    absl::SleepFor(wait);
  }
}

Importer::Outcome Importer::Classify(const grpc::Status& status, const std::string& label,
                                     const std::string& own_name,
                                     const google::protobuf::Timestamp* stamp) {
  if (status.ok()) {
    if (HasTime(stamp) && ToAbslTime(*stamp) < start_) return Outcome::kAlreadyPresent;
    return Outcome::kCreated;
  }
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    const std::string holder = ResourceNameOf(status);
    if (own_name.empty() || holder.empty() || holder == own_name) {
      return Outcome::kAlreadyPresent;
    }
    *errors_ << "FAILED " << label << " (conflicts with " << holder
             << "): " << DescribeRpcError(status) << "\n";
    return Outcome::kFailed;
  }
  *errors_ << "FAILED " << label << ": " << DescribeRpcError(status) << "\n";
  return Outcome::kFailed;
}

void Importer::Count(Outcome outcome, KindCounts& counts) {
  switch (outcome) {
    case Outcome::kCreated:
      ++counts.created;
      break;
    case Outcome::kAlreadyPresent:
      ++counts.already_present;
      break;
    case Outcome::kFailed:
      ++counts.failed;
      break;
  }
}

ImportCounts Importer::Run(const fazhi::ctl::v1::ImportFile& file) {
  start_ = absl::Now();
  ImportCounts counts;

  for (const auto& region : file.regions()) {
    catalogue::CreateRegionRequest request;
    *request.mutable_region() = region;
    catalogue::Region response;
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      return catalogue_->CreateRegion(context, request, &response);
    });
    const std::string label = absl::StrCat("region ", region.code(), Quoted(region.display_name()));
    Count(Classify(status, label, api::RegionName(region.code()), nullptr), counts.kinds[kRegions]);
  }

  for (const auto& request : file.units()) {
    catalogue::Unit response;
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      return catalogue_->CreateUnit(context, request, &response);
    });
    const std::string label =
        absl::StrCat("unit ", request.unit_id(), Quoted(request.unit().display_name()));
    Count(Classify(status, label, api::UnitName(request.unit_id()), nullptr), counts.kinds[kUnits]);
  }

  for (const auto& indicator : file.indicators()) {
    metrics::CreateIndicatorRequest request;
    *request.mutable_indicator() = indicator;
    metrics::Indicator response;
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      return metrics_->CreateIndicator(context, request, &response);
    });
    const std::string label =
        absl::StrCat("indicator ", indicator.code(), Quoted(indicator.display_name()));
    Count(Classify(status, label, api::IndicatorName(indicator.code()), nullptr),
          counts.kinds[kIndicators]);
  }

  // Projects go in one ImportProjects stream: the catalogue resolves unit
  // names and judges each row on its own. Rows are renumbered in load order
  // (files may each start at 1) and mapped back to their labels.
  if (!file.projects().empty()) {
    std::vector<std::string> labels;
    catalogue::ImportProjectsResponse response;
    // Refused for the caller's rate, the call read no row: all go again.
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      labels.clear();
      context->set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_ * 10));
      auto writer = catalogue_->ImportProjects(context, &response);
      for (const auto& row : file.projects()) {
        catalogue::ImportProjectRow numbered = row;
        numbered.set_row(static_cast<int64_t>(labels.size()) + 1);
        const auto& create = row.create();
        labels.push_back(absl::StrCat(
            "project ", !create.project_id().empty() ? create.project_id() : create.request_id(),
            Quoted(create.project().title())));
        if (!writer->Write(numbered)) break;
      }
      writer->WritesDone();
      return writer->Finish();
    });
    KindCounts& counts_of_projects = counts.kinds[kProjects];
    if (!status.ok()) {
      Classify(status, "project import", "", nullptr);
      counts_of_projects.failed += static_cast<int>(labels.size());
    } else {
      counts_of_projects.created += static_cast<int>(response.accepted());
      counts_of_projects.already_present += static_cast<int>(response.already_present());
      counts_of_projects.failed += response.rejected_size();
      for (const auto& rejected : response.rejected()) {
        const size_t index = static_cast<size_t>(rejected.row() - 1);
        std::fprintf(stderr, "FAILED %s: %s: %s\n",
                     index < labels.size() ? labels[index].c_str() : "project",
                     rejected.code().c_str(), rejected.message().c_str());
        for (const auto& field : rejected.fields()) {
          std::fprintf(stderr, "  field %s\n", field.c_str());
        }
      }
    }
  }

  for (const auto& request : file.reports()) {
    report::Report response;
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      return report_->SubmitReport(context, request, &response);
    });
    const std::string id =
        !request.report_id().empty() ? request.report_id() : request.request_id();
    const std::string label = absl::StrCat("report ", id, Quoted(request.report().title()));
    const std::string own_name =
        request.report_id().empty() ? "" : api::ReportName(request.report_id());
    Count(Classify(status, label, own_name, status.ok() ? &response.submit_time() : nullptr),
          counts.kinds[kReports]);
  }

  for (const auto& request : file.observations()) {
    metrics::Observation response;
    const grpc::Status status = CallWaitingWhenLimited([&](grpc::ClientContext* context) {
      return metrics_->RecordObservation(context, request, &response);
    });
    const auto& observation = request.observation();
    std::string label =
        absl::StrCat("observation ", observation.indicator(), " of ", observation.subject(),
                     " for ", PeriodText(observation.period()));
    if (!request.request_id().empty()) absl::StrAppend(&label, " (", request.request_id(), ")");
    Count(Classify(status, label, "", status.ok() ? &response.update_time() : nullptr),
          counts.kinds[kObservations]);
  }

  return counts;
}

}  // namespace fazhi::ctl
