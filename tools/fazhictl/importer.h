// Loads a merged ImportFile through the public APIs, in dependency order:
// regions (CatalogueService.CreateRegion), units (CreateUnit), indicators
// (MetricsService.CreateIndicator), projects (CreateProject), reports
// (ReportService.SubmitReport), observations (MetricsService.RecordObservation).
//
// Contract:
//  * One call per item, sequentially, each with its own deadline. A failed
//    item is reported on `errors` (its id or title, the gRPC code, the message,
//    every google.rpc.BadRequest field violation) and the import goes on.
//  * Importing the same data twice changes nothing and fails nothing:
//    - ALREADY_EXISTS counts as "already present", unless its
//      google.rpc.ResourceInfo names a different resource than the item's own
//      (a unit whose alias belongs to another unit, a project whose title is
//      registered under another id): that is a conflict, counted as failed.
//    - Creates with a request_id return the first call's result; when that
//      result's server timestamp (Project.create_time, Report.submit_time,
//      Observation.update_time) is older than the start of this import, the
//      item counts as "already present". This assumes client and server
//      clocks agree to within the time between the start of the import and
//      the call; a result without a timestamp counts as created. (A
//      RecordObservation without request_id replaces the value and so counts
//      as created every time.)
#ifndef FAZHI_TOOLS_FAZHICTL_IMPORTER_H_
#define FAZHI_TOOLS_FAZHICTL_IMPORTER_H_

#include <array>
#include <functional>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/ctl/v1/import_file.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"

namespace fazhi::ctl {

// What happened to the items of one kind.
struct KindCounts {
  // "regions", "units", "indicators", "projects", "reports", "observations".
  const char* kind = "";
  int created = 0;
  int already_present = 0;
  int failed = 0;
};

struct ImportCounts {
  // In load order.
  std::array<KindCounts, 6> kinds{
      {{"regions"}, {"units"}, {"indicators"}, {"projects"}, {"reports"}, {"observations"}}};

  bool any_failed() const;
  // One line per kind: "regions: 17 created, 0 already present, 0 failed".
  std::string ToString() const;
};

class Importer {
 public:
  // The stubs are not owned and must outlive the importer. `errors` receives
  // one block of lines per failed item.
  Importer(fazhi::catalogue::v1::CatalogueService::StubInterface* catalogue,
           fazhi::metrics::v1::MetricsService::StubInterface* metrics,
           fazhi::report::v1::ReportService::StubInterface* report, std::ostream* errors,
           absl::Duration call_deadline = absl::Seconds(10));

  // Loads everything in `file`; never stops early.
  ImportCounts Run(const fazhi::ctl::v1::ImportFile& file);

 private:
  enum class Outcome { kCreated, kAlreadyPresent, kFailed };

  // Classifies a finished create. `own_name` is the resource name the item
  // would get ("" when the server chooses it); `stamp` is the result's server
  // timestamp (nullptr or unset when it has none).
  Outcome Classify(const grpc::Status& status, const std::string& label,
                   const std::string& own_name, const google::protobuf::Timestamp* stamp);
  void Count(Outcome outcome, KindCounts& counts);
  void PrepareContext(grpc::ClientContext& context) const;
  // Makes one unary call with `call(context)`, again after the server's
  // RetryInfo delay while it answers RESOURCE_EXHAUSTED with one (the
  // caller's write rate, common/server/admission.h), at most a few times.
  grpc::Status CallWaitingWhenLimited(
      const std::function<grpc::Status(grpc::ClientContext*)>& call) const;

  fazhi::catalogue::v1::CatalogueService::StubInterface* catalogue_;
  fazhi::metrics::v1::MetricsService::StubInterface* metrics_;
  fazhi::report::v1::ReportService::StubInterface* report_;
  std::ostream* errors_;
  absl::Duration call_deadline_;
  // When Run() began; results stamped earlier were loaded by an earlier run.
  absl::Time start_ = absl::InfinitePast();
};

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_IMPORTER_H_
