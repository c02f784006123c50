// From a report's figures to metrics observations, and metrics' answer back
// to the report API (PublishReportFigures). Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_FIGURE_PUBLISHING_H_
#define FAZHI_SERVICES_REPORT_FIGURE_PUBLISHING_H_

#include <string>

#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::report {

// The subject a report's figures describe in metrics: the filer unit for a
// street or town report, whose figures are its own; else the report's
// region, the subject the gateway's district summaries read (a government's
// or department's annual report, or a case study, states its district's
// figures: Putuo's justice bureau reports the district's 行政复议 caseload).
std::string SubjectOfFigures(const v1::Report& report);

// The longest excerpt metrics keeps, in characters.
inline constexpr int kMaxExcerptChars = 500;

// The request that makes metrics hold exactly the ACCEPTED figures of
// `report` (one version, with its name and version set): one observation
// per accepted figure, in Report.figures order, with its provenance (see
// PublishReportFigures in report_service.proto). Candidates are never
// included.
fazhi::metrics::v1::ReplaceReportObservationsRequest PublicationOf(const v1::Report& report);

// The report API's answer for `report` from metrics' answer to
// PublicationOf(report).
v1::PublishReportFiguresResponse PublicationResult(
    const v1::Report& report, const fazhi::metrics::v1::ReplaceReportObservationsResponse& metrics);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_FIGURE_PUBLISHING_H_
