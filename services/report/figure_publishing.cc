#include "services/report/figure_publishing.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resource_names.h"
#include "common/text/utf8.h"

namespace fazhi::report {
namespace {

namespace mv1 = fazhi::metrics::v1;

// Indexes in report.figures of the figures that are facts.
std::vector<int> AcceptedFigures(const v1::Report& report) {
  std::vector<int> accepted;
  for (int i = 0; i < report.figures_size(); ++i) {
    if (report.figures(i).confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED) accepted.push_back(i);
  }
  return accepted;
}

v1::PublishedFigure::Outcome OutcomeOf(mv1::ReportObservationResult::Outcome outcome) {
  switch (outcome) {
    case mv1::ReportObservationResult::OUTCOME_RECORDED:
      return v1::PublishedFigure::OUTCOME_RECORDED;
    case mv1::ReportObservationResult::OUTCOME_UPDATED:
      return v1::PublishedFigure::OUTCOME_UPDATED;
    case mv1::ReportObservationResult::OUTCOME_UNCHANGED:
      return v1::PublishedFigure::OUTCOME_UNCHANGED;
    case mv1::ReportObservationResult::OUTCOME_REJECTED:
      return v1::PublishedFigure::OUTCOME_REJECTED;
    default:
      return v1::PublishedFigure::OUTCOME_UNSPECIFIED;
  }
}

}  // namespace

std::string SubjectOfFigures(const v1::Report& report) {
  return report.kind() == v1::REPORT_KIND_STREET_TOWN_ANNUAL ? report.filer() : report.region();
}

mv1::ReplaceReportObservationsRequest PublicationOf(const v1::Report& report) {
  mv1::ReplaceReportObservationsRequest request;
  request.set_report(report.name());
  request.set_report_version(report.version());
  const std::string subject = SubjectOfFigures(report);
  for (int i : AcceptedFigures(report)) {
    const v1::ExtractedFigure& figure = report.figures(i);
    mv1::Observation* observation = request.add_observations();
    observation->set_indicator(api::IndicatorName(figure.indicator()));
    observation->set_subject(subject);
    *observation->mutable_period() = figure.period();
    *observation->mutable_quantity() = figure.quantity();
    auto* provenance = observation->mutable_provenance();
    provenance->set_source(fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT);
    provenance->set_report(report.name());
    provenance->set_report_version(report.version());
    provenance->set_span_begin(figure.begin());
    provenance->set_span_end(figure.end());
    provenance->set_excerpt(
        std::string(text::SubstrByCodePoints(figure.evidence(), 0, kMaxExcerptChars)));
  }
  return request;
}

v1::PublishReportFiguresResponse PublicationResult(
    const v1::Report& report, const mv1::ReplaceReportObservationsResponse& metrics) {
  v1::PublishReportFiguresResponse response;
  response.set_report(report.name());
  response.set_version(report.version());
  response.set_subject(SubjectOfFigures(report));
  const std::vector<int> accepted = AcceptedFigures(report);
  for (const auto& result : metrics.results()) {
    if (result.index() < 0 || static_cast<size_t>(result.index()) >= accepted.size()) continue;
    const int figure_index = accepted[static_cast<size_t>(result.index())];
    v1::PublishedFigure* figure = response.add_figures();
    figure->set_figure_index(figure_index);
    figure->set_indicator(report.figures(figure_index).indicator());
    figure->set_outcome(OutcomeOf(result.outcome()));
    figure->set_observation(result.observation().name());
    if (result.has_error()) *figure->mutable_error() = result.error();
  }
  response.set_recorded_count(metrics.recorded_count());
  response.set_updated_count(metrics.updated_count());
  response.set_unchanged_count(metrics.unchanged_count());
  response.set_rejected_count(metrics.rejected_count());
  response.set_candidates_not_published(report.figures_size() - static_cast<int>(accepted.size()));
  *response.mutable_withdrawn() = metrics.withdrawn();
  return response;
}

}  // namespace fazhi::report
