#include "tools/fazhictl/summary_printer.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/api/backend_services.h"
#include "common/api/domain_names.h"
#include "common/api/resource_names.h"
#include "common/status/errors.h"
#include "tools/fazhictl/display_width.h"

namespace fazhi::ctl {
namespace {

namespace catalogue = ::fazhi::catalogue::v1;
namespace gateway = ::fazhi::gateway::v1;
namespace metrics = ::fazhi::metrics::v1;
namespace report = ::fazhi::report::v1;

constexpr char kIndent[] = "  ";
constexpr char kNone[] = "—";

bool Unreachable(gateway::SectionState state) {
  return state == gateway::SECTION_STATE_UNREACHABLE;
}

template <typename Parts>
std::string PartList(const Parts& parts) {
  std::vector<std::string> names;
  for (int part : parts)
    names.push_back(api::ReportPartName(static_cast<report::ReportPart>(part)));
  return names.empty() ? "无" : absl::StrJoin(names, "、");
}

std::string ComparatorSymbol(metrics::Comparator comparator) {
  switch (comparator) {
    case metrics::COMPARATOR_AT_LEAST:
      return "≥";
    case metrics::COMPARATOR_AT_MOST:
      return "≤";
    default:
      return "?";
  }
}

std::string RegionCode(const catalogue::Region& region) {
  if (!region.code().empty()) return region.code();
  std::string code = api::RegionCodeOf(region.name());
  return code.empty() ? region.name() : code;
}

void AppendHeader(const gateway::DistrictComplianceSummary& s, std::string& out) {
  const std::string name =
      s.region().display_name().empty() ? "（地区名未知）" : s.region().display_name();
  absl::StrAppend(&out, name, "（", RegionCode(s.region()), "）", s.year(),
                  "年度法治政府建设情况：");
  if (s.partial()) {
    absl::StrAppend(&out, "部分（有服务未应答，缺失的数据不计为零）\n");
  } else {
    absl::StrAppend(&out, "完整\n");
  }
}

void AppendGovernmentReport(const gateway::GovernmentReportStatus& g, std::string& out) {
  absl::StrAppend(&out, "\n区政府报告\n");
  if (Unreachable(g.state())) {
    absl::StrAppend(&out, UnreachableLine(api::kReportService));
    return;
  }
  if (!g.filed()) {
    absl::StrAppend(&out, kIndent, "未提交\n");
    return;
  }
  TextTable table(kIndent);
  table.AddRow(
      {"提交情况", g.title().empty() ? "已提交" : absl::StrCat("已提交《", g.title(), "》")});
  if (!g.report().empty()) table.AddRow({"报告", g.report()});
  table.AddRow({"报送时限", TimelinessName(g.submission_timeliness())});
  table.AddRow({"公开时限", TimelinessName(g.publication_timeliness())});
  table.AddRow({"已有部分", PartList(g.parts_present())});
  table.AddRow({"缺少部分", PartList(g.parts_missing())});
  out += table.Render();
}

void AppendDepartmentReports(const gateway::DepartmentReportsStatus& d, std::string& out) {
  absl::StrAppend(&out, "\n部门报告\n");
  if (Unreachable(d.state())) {
    absl::StrAppend(&out, UnreachableLine(api::kReportService));
    return;
  }
  const std::string required = d.units_required() < 0 ? std::string("未知（目录服务未应答）")
                                                      : absl::StrCat(d.units_required(), " 家");
  absl::StrAppend(&out, kIndent, "应报 ", required, "，已报 ", d.filed(), " 家，其中完整 ",
                  d.complete(), " 家\n");
  if (d.reports().empty()) return;
  TextTable table(kIndent);
  table.AddRow({"单位", "报告", "报送", "缺少部分"});
  table.AddRule();
  for (const auto& r : d.reports()) {
    const std::string unit = r.unit_display_name().empty() ? r.unit() : r.unit_display_name();
    if (!r.filed()) {
      table.AddRow({unit, "未提交", kNone, kNone});
      continue;
    }
    table.AddRow(
        {unit, "已提交", TimelinessName(r.submission_timeliness()), PartList(r.parts_missing())});
  }
  out += table.Render();
}

std::string ValueText(const gateway::IndicatorStatus& i) {
  if (!i.has_observation()) return kNone;
  const auto& q = i.observation().quantity();
  if (!q.text().empty()) return q.text();
  if (!q.decimal().empty()) return absl::StrCat(q.decimal(), i.unit_of_measure());
  return kNone;
}

std::string TargetText(const gateway::IndicatorStatus& i) {
  if (!i.has_target()) return kNone;
  return absl::StrCat(ComparatorSymbol(i.target().comparator()), " ", i.target().threshold(),
                      i.unit_of_measure());
}

// The change from last year: "↑ +12（+8.5%）", the arrow by direction
// ("改善" / "下降" words when the indicator says which way is better).
std::string TrendText(const gateway::IndicatorStatus& i) {
  if (i.change().empty()) return kNone;
  std::string change = i.change();
  if (change[0] != '-' && change != "0") change = "+" + change;
  if (!i.change_percent().empty()) {
    absl::StrAppend(&change, "（", i.change_percent()[0] == '-' ? "" : "+", i.change_percent(),
                    "%）");
  }
  switch (i.trend()) {
    case gateway::TREND_IMPROVED:
      return absl::StrCat("改善 ", change);
    case gateway::TREND_WORSENED:
      return absl::StrCat("变差 ", change);
    case gateway::TREND_UNCHANGED:
      return "持平";
    default:
      return change;
  }
}

std::string PeriodText(const gateway::IndicatorStatus& i) {
  if (!i.has_observation()) return "";
  const auto& period = i.observation().period();
  const int start = period.start_month() == 0 ? 1 : period.start_month();
  const int end = period.end_month() == 0 ? 12 : period.end_month();
  if (!i.partial_period() && start == 1 && end == 12) return "全年";
  if (start == 1) return absl::StrCat("截至", end, "月");
  return absl::StrCat(start, "–", end, "月");
}

void AppendIndicators(const gateway::IndicatorsStatus& s, std::string& out) {
  absl::StrAppend(&out, "\n指标");
  if (!s.rules_version().empty()) absl::StrAppend(&out, "（规则版本 ", s.rules_version(), "）");
  absl::StrAppend(&out, "\n");
  if (Unreachable(s.state())) {
    absl::StrAppend(&out, UnreachableLine(api::kMetricsService));
    return;
  }
  if (s.indicators().empty()) {
    absl::StrAppend(&out, kIndent, "无指标\n");
    return;
  }
  TextTable table(kIndent);
  table.AddRow({"指标", "数值", "目标", "结论", "期间", "上年", "变化", "存疑"});
  table.AddRule();
  for (const auto& i : s.indicators()) {
    const std::string name = i.display_name().empty() ? i.indicator_code() : i.display_name();
    table.AddRow({name, ValueText(i), TargetText(i), VerdictName(i.verdict()), PeriodText(i),
                  i.has_previous_observation() ? i.previous_observation().quantity().text() : "—",
                  TrendText(i),
                  i.quality_flags().empty() ? "" : absl::StrCat(i.quality_flags_size(), "项")});
  }
  out += table.Render();
}

void AppendProjects(const gateway::ProjectsStatus& p, std::string& out) {
  absl::StrAppend(&out, "\n项目\n");
  if (Unreachable(p.state())) {
    absl::StrAppend(&out, UnreachableLine(api::kCatalogueService));
    return;
  }
  absl::StrAppend(&out, kIndent, "共 ", p.total(), " 项（市级 ", p.city_level(), "，区级 ",
                  p.district_level(), "）；重点 ", p.key_projects(), "，最期待 ",
                  p.most_anticipated(), "，优秀 ", p.excellent(), "，已落地 ", p.delivered(),
                  "，逾期 ", p.late(), "\n");
  if (p.projects().empty()) return;
  TextTable table(kIndent);
  for (const auto& line : p.projects()) {
    std::vector<std::string> flags;
    if (line.key_project()) flags.push_back("重点");
    if (line.most_anticipated()) flags.push_back("最期待");
    if (line.excellent()) flags.push_back("优秀");
    table.AddRow({absl::StrCat("· ", line.title().empty() ? line.project() : line.title()),
                  ProjectLevelName(line.level()), api::ProjectStatusName(line.status()),
                  ProjectTimelinessName(line.timeliness()), absl::StrJoin(flags, "、")});
  }
  out += table.Render();
}

}  // namespace

std::string UnreachableLine(absl::string_view service) {
  return absl::StrCat(kIndent, "无法获取：", api::BackendServiceDisplayName(service),
                      "未应答（数据缺失，不是零）\n");
}

std::string TimelinessName(report::Timeliness timeliness) {
  switch (timeliness) {
    case report::TIMELINESS_ON_TIME:
      return "按时";
    case report::TIMELINESS_LATE:
      return "逾期";
    case report::TIMELINESS_UNKNOWN:
      return "日期不明";
    case report::TIMELINESS_NOT_APPLICABLE:
      return "不适用";
    default:
      return kNone;
  }
}

std::string VerdictName(metrics::Verdict verdict) {
  switch (verdict) {
    case metrics::VERDICT_MET:
      return "达标";
    case metrics::VERDICT_NOT_MET:
      return "未达标";
    case metrics::VERDICT_NO_DATA:
      return "无数据";
    case metrics::VERDICT_NO_TARGET:
      return "无目标";
    default:
      return kNone;
  }
}

std::string ProjectLevelName(catalogue::ProjectLevel level) {
  switch (level) {
    case catalogue::PROJECT_LEVEL_CITY:
      return "市级";
    case catalogue::PROJECT_LEVEL_DISTRICT:
      return "区级";
    default:
      return "级别未定";
  }
}

std::string SeverityName(gateway::Finding::Severity severity) {
  switch (severity) {
    case gateway::Finding::SEVERITY_INFO:
      return "提示";
    case gateway::Finding::SEVERITY_WARNING:
      return "注意";
    case gateway::Finding::SEVERITY_SHORTFALL:
      return "不足";
    default:
      return "发现";
  }
}

std::string ProjectTimelinessName(gateway::ProjectTimeliness timeliness) {
  switch (timeliness) {
    case gateway::PROJECT_TIMELINESS_NOT_DUE:
      return "未到期";
    case gateway::PROJECT_TIMELINESS_ON_TIME:
      return "按期落地";
    case gateway::PROJECT_TIMELINESS_OVERDUE:
      return "逾期未落地";
    case gateway::PROJECT_TIMELINESS_DELIVERED_LATE:
      return "逾期落地";
    case gateway::PROJECT_TIMELINESS_WITHDRAWN:
      return "已撤销";
    case gateway::PROJECT_TIMELINESS_DELIVERED_UNDATED:
      return "已落地（日期不明）";
    default:
      return kNone;
  }
}

std::string CacheStateName(gateway::CacheState state) {
  switch (state) {
    case gateway::CACHE_STATE_DISABLED:
      return "未启用缓存";
    case gateway::CACHE_STATE_HIT:
      return "缓存（已同步）";
    case gateway::CACHE_STATE_MISS:
      return "实时查询";
    case gateway::CACHE_STATE_RESYNCHRONISING:
      return "重新同步中，实时查询";
    default:
      return "";
  }
}

std::string FormatFindings(const google::protobuf::RepeatedPtrField<gateway::Finding>& findings,
                           bool partial) {
  std::string out = "\n发现\n";
  if (findings.empty()) {
    absl::StrAppend(&out, kIndent, partial ? "未发现问题（数据不完整）\n" : "未发现问题\n");
    return out;
  }
  int n = 0;
  for (const auto& f : findings) {
    absl::StrAppend(&out, kIndent, ++n, ". [", SeverityName(f.severity()), "] ", f.text());
    if (!f.evidence().empty()) absl::StrAppend(&out, "（依据：", f.evidence(), "）");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string FormatBackends(
    const google::protobuf::RepeatedPtrField<gateway::BackendStatus>& backends) {
  std::string out = "\n服务\n";
  if (backends.empty()) {
    absl::StrAppend(&out, kIndent, "网关未说明各服务是否应答\n");
    return out;
  }
  TextTable table(kIndent);
  for (const auto& b : backends) {
    std::string note = b.error();
    if (!b.cache_detail().empty()) {
      note = note.empty() ? b.cache_detail() : absl::StrCat(note, "；", b.cache_detail());
    }
    table.AddRow({std::string(api::BackendServiceDisplayName(b.service())), b.service(),
                  b.answered() ? "已应答" : "未应答", CacheStateName(b.cache()), note});
  }
  return out + table.Render();
}

std::string ScoreText(const gateway::Score& score) {
  if (!score.computable()) return "无法计算（无可评分的数据）";
  return absl::StrFormat("%.1f（%s）", score.value(), score.grade());
}

std::string FormatSummaryText(const gateway::DistrictComplianceSummary& summary) {
  std::string out;
  AppendHeader(summary, out);
  if (summary.has_score()) {
    absl::StrAppend(&out, "\n得分  ", ScoreText(summary.score()), "\n");
    TextTable table("  ");
    for (const auto& c : summary.score().components()) {
      table.AddRow(
          {c.name(),
           c.excluded() ? "不计入" : absl::StrFormat("%.1f/%.0f", c.earned(), c.possible()),
           c.explanation()});
    }
    absl::StrAppend(&out, table.Render(), "  方法：", summary.score().method(), "（规则版本 ",
                    summary.score().rules_version(), "）\n");
  }
  AppendGovernmentReport(summary.government_report(), out);
  AppendDepartmentReports(summary.department_reports(), out);
  AppendIndicators(summary.indicators(), out);
  AppendProjects(summary.projects(), out);
  out += FormatFindings(summary.findings(), summary.partial());
  out += FormatBackends(summary.backends());
  return out;
}

absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return errors::Internal("cannot print the answer as JSON", status.ToString());
  }
  json += '\n';
  return json;
}

std::string FormatRankingText(const gateway::RankRegionsResponse& ranking,
                              const std::string& parent, int year) {
  std::string out =
      absl::StrCat(parent, " 下属地区 ", year, "年度法治政府建设排名（共 ", ranking.total_regions(),
                   " 个，规则版本 ", ranking.rules_version(), "）\n\n");
  TextTable table("  ");
  table.AddRow({"名次", "地区", "代码", "得分", "不足项", "数据"});
  table.AddRule();
  for (const auto& r : ranking.regions()) {
    table.AddRow({absl::StrCat(r.rank()), r.region().display_name(), r.region().code(),
                  ScoreText(r.score()), absl::StrCat(r.shortfalls()),
                  r.partial() ? "部分" : "完整"});
  }
  absl::StrAppend(&out, table.Render());
  if (!ranking.next_page_token().empty()) {
    absl::StrAppend(&out, "\n（还有更多：--page_token=", ranking.next_page_token(), "）\n");
  }
  return out;
}

std::string FormatTrendText(const gateway::RegionTrend& trend) {
  std::string out = absl::StrCat(trend.region().display_name(), "（", trend.region().code(),
                                 "）历年法治政府建设情况\n\n");
  TextTable table("  ");
  table.AddRow({"年度", "得分", "区政府报告", "指标达标", "指标未达标", "项目", "数据"});
  table.AddRule();
  for (const auto& p : trend.points()) {
    table.AddRow({absl::StrCat(p.year()), ScoreText(p.score()),
                  p.government_report_filed() ? "已提交" : "未提交",
                  absl::StrCat(p.indicators_met()), absl::StrCat(p.indicators_not_met()),
                  absl::StrCat(p.projects()), p.partial() ? "部分" : "完整"});
  }
  absl::StrAppend(&out, table.Render());
  return out;
}

}  // namespace fazhi::ctl
