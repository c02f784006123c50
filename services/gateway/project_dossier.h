// The project dossier, assembled from what the backends returned: a
// project, its responsible units, the observations tied to it and the
// report passages that mention it. Plain C++: the gateway service fetches,
// this file decides. Ties are inferred by the rules documented on
// fazhi.gateway.v1.ObservationTie.
#ifndef FAZHI_SERVICES_GATEWAY_PROJECT_DOSSIER_H_
#define FAZHI_SERVICES_GATEWAY_PROJECT_DOSSIER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/gateway/summary_assembler.h"

namespace fazhi::gateway {

// What the catalogue returned about the project.
struct DossierCatalogueFacts {
  fazhi::catalogue::v1::Project project;
  // The project's region; absent when the catalogue has none by that name.
  std::optional<fazhi::catalogue::v1::Region> region;
  // The units of project.units() the catalogue has, in that order, and the
  // names it does not have.
  std::vector<fazhi::catalogue::v1::Unit> units;
  std::vector<std::string> unresolved_units;
};

// What the metrics service returned for the project's year.
struct DossierMetricsFacts {
  // Observations whose subject is a responsible unit.
  std::vector<fazhi::metrics::v1::Observation> unit_observations;
  // Observations whose subject is the project's region.
  std::vector<fazhi::metrics::v1::Observation> region_observations;
  // Indicator resource name -> Chinese name.
  std::map<std::string, std::string> indicator_names;
};

// What the report service returned: one search per year searched.
struct DossierReportFacts {
  std::vector<fazhi::report::v1::SearchReportsResponse> searches;
};

struct DossierInputs {
  absl::CivilDay as_of;
  // The query the searches were made with (TitleQuery of the title).
  std::string query;
  int max_passages = 10;
  BackendAnswer<DossierCatalogueFacts> catalogue;
  BackendAnswer<DossierMetricsFacts> metrics;
  BackendAnswer<DossierReportFacts> reports;
};

fazhi::gateway::v1::ProjectDossier AssembleDossier(const DossierInputs& inputs);

// The words of a project title to search reports by: runs of two or more
// letters, digits or CJK characters between punctuation and spaces, joined
// by spaces, at most 16 of them and 200 characters. Empty when the title
// has none. "“三端联动一体化”保障“两旧一村”改造" -> "三端联动一体化 保障 两旧一村 改造".
std::string TitleQuery(const std::string& title);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_PROJECT_DOSSIER_H_
