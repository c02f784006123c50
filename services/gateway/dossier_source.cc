#include "services/gateway/dossier_source.h"

#include <algorithm>
#include <future>
#include <utility>
#include <vector>

#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "services/gateway/project_timeliness.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;

template <typename T>
BackendAnswer<T> ToAnswer(absl::StatusOr<T> result) {
  BackendAnswer<T> answer;
  if (result.ok()) {
    answer.data = *std::move(result);
  } else {
    answer.error = DescribeError(result.status());
  }
  return answer;
}

}  // namespace

absl::StatusOr<DossierInputs> DossierSource::FetchInputs(const grpc::ServerContextBase* context,
                                                         const std::string& project_name,
                                                         int max_passages) {
  BackendClients& clients = clients_;
  DossierInputs in;
  in.as_of = BeijingDay(clock_());
  in.max_passages = max_passages;
  auto project = clients.FetchProject(context, project_name);
  if (!project.ok()) {
    if (absl::IsNotFound(project.status())) return errors::NotFound("Project", project_name);
    in.catalogue.error = DescribeError(project.status());
    return in;
  }
  const int year = project->year();
  const std::string region = project->region();
  in.query = TitleQuery(project->title());

  // The catalogue's details, the metrics and the reports, at once.
  auto catalogue = std::async(std::launch::async, [&]() -> absl::StatusOr<DossierCatalogueFacts> {
    DossierCatalogueFacts facts;
    facts.project = *project;
    auto found = clients.FetchRegion(context, api::RegionCodeOf(region));
    if (found.ok()) {
      facts.region = *std::move(found);
    } else if (!absl::IsNotFound(found.status())) {
      return found.status();
    }
    for (const auto& name : project->units()) {
      auto unit = clients.FetchUnit(context, name);
      if (unit.ok()) {
        facts.units.push_back(*std::move(unit));
      } else if (absl::IsNotFound(unit.status())) {
        facts.unresolved_units.push_back(name);
      } else {
        return unit.status();
      }
    }
    return facts;
  });
  auto metrics = std::async(std::launch::async, [&]() -> absl::StatusOr<DossierMetricsFacts> {
    DossierMetricsFacts facts;
    for (const auto& unit : project->units()) {
      auto observations = clients.FetchObservations(context, unit, year);
      if (!observations.ok()) return observations.status();
      facts.unit_observations.insert(facts.unit_observations.end(), observations->begin(),
                                     observations->end());
    }
    auto observations = clients.FetchObservations(context, region, year);
    if (!observations.ok()) return observations.status();
    facts.region_observations = *std::move(observations);
    auto indicators = clients.FetchIndicators(context);
    if (!indicators.ok()) return indicators.status();
    for (const auto& i : *indicators) facts.indicator_names[i.name()] = i.display_name();
    return facts;
  });
  // The report of the project's year, and of the next, may mention it.
  absl::StatusOr<DossierReportFacts> reports = DossierReportFacts();
  for (int y = year; y <= std::min(year + 1, api::kMaxYear) && !in.query.empty(); ++y) {
    rv1::SearchReportsRequest search;
    search.set_query(in.query);
    search.set_region(region);
    search.set_year(y);
    search.set_page_size(max_passages);
    auto found = clients.SearchReports(context, search);
    if (!found.ok()) {
      reports = found.status();
      break;
    }
    reports->searches.push_back(*std::move(found));
  }
  in.catalogue = ToAnswer(catalogue.get());
  in.metrics = ToAnswer(metrics.get());
  in.reports = ToAnswer(std::move(reports));
  return in;
}

}  // namespace fazhi::gateway
