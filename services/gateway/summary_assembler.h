// The district compliance summary, assembled from what the backends returned.
// Plain C++: no gRPC calls, no clock; the gateway service fetches, this file
// decides. Every absent input is a backend that did not answer, and its
// sections are marked unreachable, never filled with zeros.
#ifndef FAZHI_SERVICES_GATEWAY_SUMMARY_ASSEMBLER_H_
#define FAZHI_SERVICES_GATEWAY_SUMMARY_ASSEMBLER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::gateway {

// What the catalogue returned: all present, or the catalogue did not answer.
struct CatalogueFacts {
  fazhi::catalogue::v1::Region region;
  std::vector<fazhi::catalogue::v1::Unit> units;        // of the region
  std::vector<fazhi::catalogue::v1::Project> projects;  // of the region and year
};

// One backend's outcome: its data, or the error it gave.
template <typename T>
struct BackendAnswer {
  std::optional<T> data;
  std::string error;  // "UNAVAILABLE: ..." when data is absent
};

struct SummaryInputs {
  std::string region_code;
  int year = 0;
  // The day (Beijing time) project lateness is judged on.
  absl::CivilDay as_of;
  BackendAnswer<CatalogueFacts> catalogue;
  BackendAnswer<fazhi::metrics::v1::Snapshot> metrics;
  BackendAnswer<std::vector<fazhi::report::v1::Report>> reports;  // of the region and year
};

fazhi::gateway::v1::DistrictComplianceSummary AssembleSummary(const SummaryInputs& inputs);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_SUMMARY_ASSEMBLER_H_
