// Renders a fazhi.gateway.v1.DistrictComplianceSummary for a person (in
// Chinese, columns aligned by display width) or for a script (JSON).
//
// The text form has, in order: a header (region name, code, year, 完整 or
// 部分), 区政府报告, 部门报告, 指标 (a table: name, value as written, target,
// verdict, period), 项目, 发现 and 服务. A section whose backend did not
// answer says so and shows no figures: missing data is never shown as zero.
#ifndef FAZHI_TOOLS_FAZHICTL_SUMMARY_PRINTER_H_
#define FAZHI_TOOLS_FAZHICTL_SUMMARY_PRINTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/metrics/v1/metrics_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::ctl {

// Chinese names of the enums shown to people. Those the gateway's findings
// use too are common/api's: report parts and project statuses (domain_names.h),
// backend services (backend_services.h).
std::string TimelinessName(fazhi::report::v1::Timeliness timeliness);
std::string VerdictName(fazhi::metrics::v1::Verdict verdict);
std::string ProjectLevelName(fazhi::catalogue::v1::ProjectLevel level);
std::string ProjectTimelinessName(fazhi::gateway::v1::ProjectTimeliness timeliness);
std::string SeverityName(fazhi::gateway::v1::Finding::Severity severity);
std::string CacheStateName(fazhi::gateway::v1::CacheState state);

// The line a section shows instead of its data when `service` (a
// BackendStatus.service name) did not answer: missing, not zero.
std::string UnreachableLine(absl::string_view service);

// The "发现" and "服务" sections of an answer: numbered findings with their
// evidence; each backend, whether it answered and where its data came from.
std::string FormatFindings(
    const google::protobuf::RepeatedPtrField<fazhi::gateway::v1::Finding>& findings, bool partial);
std::string FormatBackends(
    const google::protobuf::RepeatedPtrField<fazhi::gateway::v1::BackendStatus>& backends);

// The summary as '\n'-terminated lines of Chinese text.
std::string FormatSummaryText(const fazhi::gateway::v1::DistrictComplianceSummary& summary);

// The summary as one line of JSON (lowerCamelCase field names, fields with
// default values included), '\n'-terminated.
absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message);

// "82.5（良好）", or why there is no score.
std::string ScoreText(const fazhi::gateway::v1::Score& score);

// The ranking of a parent's regions and a region's trend, as aligned tables.
std::string FormatRankingText(const fazhi::gateway::v1::RankRegionsResponse& ranking,
                              const std::string& parent, int year);
std::string FormatTrendText(const fazhi::gateway::v1::RegionTrend& trend);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_SUMMARY_PRINTER_H_
