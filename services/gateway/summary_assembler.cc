#include "services/gateway/summary_assembler.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/backend_services.h"
#include "common/api/domain_names.h"
#include "common/api/resource_names.h"
#include "services/gateway/backend.h"
#include "services/gateway/project_timeliness.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

void AddFinding(gv1::DistrictComplianceSummary& summary, gv1::Finding::Severity severity,
                std::string text, std::string evidence) {
  auto* finding = summary.add_findings();
  finding->set_severity(severity);
  finding->set_text(std::move(text));
  finding->set_evidence(std::move(evidence));
}

std::string MissingPartsText(const google::protobuf::RepeatedField<int>& parts) {
  std::vector<std::string> names;
  for (int p : parts) names.push_back(api::ReportPartName(static_cast<rv1::ReportPart>(p)));
  return absl::StrJoin(names, "、");
}

// The latest submission of each filer among `reports` of one kind.
std::map<std::string, const rv1::Report*> LatestByFiler(const std::vector<rv1::Report>& reports,
                                                        rv1::ReportKind kind) {
  std::map<std::string, const rv1::Report*> latest;
  for (const auto& r : reports) {
    if (r.kind() != kind) continue;
    auto& slot = latest[r.filer()];
    if (slot == nullptr || r.submit_time().seconds() >= slot->submit_time().seconds()) slot = &r;
  }
  return latest;
}

void AssembleGovernmentReport(const SummaryInputs& in, const std::string& region_name,
                              gv1::DistrictComplianceSummary& summary) {
  auto* gov = summary.mutable_government_report();
  if (!in.reports.data.has_value()) {
    gov->set_state(gv1::SECTION_STATE_UNREACHABLE);
    return;
  }
  gov->set_state(gv1::SECTION_STATE_OK);
  const auto latest = LatestByFiler(*in.reports.data, rv1::REPORT_KIND_GOVERNMENT_ANNUAL);
  if (latest.empty()) {
    gov->set_filed(false);
    AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
               absl::StrCat(region_name, "人民政府", in.year, "年度法治政府建设情况报告未提交"),
               api::RegionName(in.region_code));
    return;
  }
  const rv1::Report& report = *latest.begin()->second;
  gov->set_filed(true);
  gov->set_report(report.name());
  gov->set_title(report.title());
  gov->set_filer(report.filer());
  *gov->mutable_parts_present() = report.parts_present();
  *gov->mutable_parts_missing() = report.parts_missing();
  gov->set_submission_timeliness(report.submission_timeliness());
  gov->set_publication_timeliness(report.publication_timeliness());
  if (!report.parts_missing().empty()) {
    AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
               absl::StrCat("区政府报告缺少", MissingPartsText(report.parts_missing()), "部分"),
               report.name());
  }
  if (report.submission_timeliness() == rv1::TIMELINESS_LATE) {
    AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
               absl::StrCat("区政府报告逾期提交：应于", ChineseDate(report.submission_deadline()),
                            "前提交，实际", ChineseDate(report.submitted_date())),
               report.name());
  }
  if (report.publication_timeliness() == rv1::TIMELINESS_LATE) {
    AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
               absl::StrCat("区政府报告逾期公开：应于", ChineseDate(report.publication_deadline()),
                            "前公开，实际", ChineseDate(report.published_date())),
               report.name());
  }
}

void AssembleDepartmentReports(const SummaryInputs& in, gv1::DistrictComplianceSummary& summary) {
  auto* depts = summary.mutable_department_reports();
  if (!in.reports.data.has_value()) {
    depts->set_state(gv1::SECTION_STATE_UNREACHABLE);
    depts->set_units_required(-1);
    return;
  }
  depts->set_state(gv1::SECTION_STATE_OK);
  const auto latest = LatestByFiler(*in.reports.data, rv1::REPORT_KIND_DEPARTMENT_ANNUAL);
  std::map<std::string, std::string> unit_names;
  std::vector<const cv1::Unit*> required;
  if (in.catalogue.data.has_value()) {
    for (const auto& unit : in.catalogue.data->units) {
      unit_names[unit.name()] = unit.display_name();
      if (unit.kind() == cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT && unit.files_annual_report()) {
        required.push_back(&unit);
      }
    }
    depts->set_units_required(static_cast<int32_t>(required.size()));
  } else {
    depts->set_units_required(-1);
  }
  int complete = 0;
  for (const auto& [filer, report] : latest) {
    auto* line = depts->add_reports();
    line->set_unit(filer);
    auto name = unit_names.find(filer);
    line->set_unit_display_name(name != unit_names.end() ? name->second : filer);
    line->set_report(report->name());
    line->set_filed(true);
    *line->mutable_parts_missing() = report->parts_missing();
    line->set_submission_timeliness(report->submission_timeliness());
    if (report->parts_missing().empty()) {
      ++complete;
    } else {
      AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
                 absl::StrCat(line->unit_display_name(), "报告缺少",
                              MissingPartsText(report->parts_missing()), "部分"),
                 report->name());
    }
    if (report->submission_timeliness() == rv1::TIMELINESS_LATE) {
      AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
                 absl::StrCat(line->unit_display_name(), "报告逾期提交：应于",
                              ChineseDate(report->submission_deadline()), "前提交"),
                 report->name());
    }
  }
  for (const cv1::Unit* unit : required) {
    if (latest.count(unit->name()) > 0) continue;
    auto* line = depts->add_reports();
    line->set_unit(unit->name());
    line->set_unit_display_name(unit->display_name());
    line->set_filed(false);
    AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
               absl::StrCat(unit->display_name(), "未提交", in.year, "年度法治政府建设情况报告"),
               unit->name());
  }
  depts->set_filed(static_cast<int32_t>(latest.size()));
  depts->set_complete(complete);
}

// A value with its period when that is not a whole calendar year, as a
// report states it: "（截至11月底）", "（7月至9月）", "（2022年8月至2023年7月）".
std::string ValueText(const mv1::Observation& o) {
  std::string text = o.quantity().text();
  const auto& p = o.period();
  const int start = p.start_month() == 0 ? 1 : p.start_month();
  const int end = p.end_month() == 0 ? 12 : p.end_month();
  if (p.end_year() != 0 && p.end_year() != p.year()) {
    absl::StrAppend(&text, "（", p.year(), "年", start, "月至", p.end_year(), "年", end, "月）");
  } else if (start > 1) {
    absl::StrAppend(&text, "（", start, "月至", end, "月）");
  } else if (end < 12) {
    absl::StrAppend(&text, "（截至", end, "月底）");
  }
  return text;
}

// The change from last year judged by the indicator's direction.
gv1::Trend TrendOf(const mv1::SnapshotEntry& entry) {
  if (entry.change().empty()) return gv1::TREND_NOT_COMPARABLE;
  const bool down = absl::StartsWith(entry.change(), "-");
  if (entry.change() == "0") return gv1::TREND_UNCHANGED;
  switch (entry.indicator().direction()) {
    case mv1::DIRECTION_HIGHER_IS_BETTER:
      return down ? gv1::TREND_WORSENED : gv1::TREND_IMPROVED;
    case mv1::DIRECTION_LOWER_IS_BETTER:
      return down ? gv1::TREND_IMPROVED : gv1::TREND_WORSENED;
    default:
      return down ? gv1::TREND_DOWN : gv1::TREND_UP;
  }
}

void AssembleIndicators(const SummaryInputs& in, gv1::DistrictComplianceSummary& summary) {
  auto* indicators = summary.mutable_indicators();
  if (!in.metrics.data.has_value()) {
    indicators->set_state(gv1::SECTION_STATE_UNREACHABLE);
    return;
  }
  indicators->set_state(gv1::SECTION_STATE_OK);
  indicators->set_rules_version(in.metrics.data->rules_version());
  for (const auto& entry : in.metrics.data->entries()) {
    auto* line = indicators->add_indicators();
    line->set_indicator_code(entry.indicator().code());
    line->set_display_name(entry.indicator().display_name());
    line->set_unit_of_measure(entry.indicator().unit_of_measure());
    if (entry.has_observation()) *line->mutable_observation() = entry.observation();
    if (entry.has_target()) *line->mutable_target() = entry.target();
    line->set_verdict(entry.verdict());
    line->set_partial_period(entry.partial_period());
    line->set_difference(entry.difference());
    *line->mutable_quality_flags() = entry.quality_flags();
    if (entry.has_previous_observation()) {
      *line->mutable_previous_observation() = entry.previous_observation();
    }
    line->set_change(entry.change());
    line->set_change_percent(entry.change_percent());
    line->set_trend(TrendOf(entry));
    const std::string& name = entry.indicator().display_name();
    for (const auto& flag : entry.quality_flags()) {
      // A partial period has its own finding below.
      if (flag.kind() == mv1::QUALITY_FLAG_KIND_PARTIAL_PERIOD) continue;
      AddFinding(summary, gv1::Finding::SEVERITY_WARNING,
                 absl::StrCat(name, "数据存疑：", flag.explanation()),
                 flag.evidence().empty() ? entry.observation().name() : flag.evidence(0));
    }
    if (entry.verdict() == mv1::VERDICT_NOT_MET) {
      const bool at_most = entry.target().comparator() == mv1::COMPARATOR_AT_MOST;
      const std::string& unit = entry.indicator().unit_of_measure();
      AddFinding(summary, gv1::Finding::SEVERITY_SHORTFALL,
                 absl::StrCat(name, ValueText(entry.observation()), "，", at_most ? "高于" : "低于",
                              "目标", entry.target().threshold(), unit == "%" ? "%" : unit),
                 entry.observation().name().empty() ? entry.indicator().name()
                                                    : entry.observation().name());
    } else if (entry.verdict() == mv1::VERDICT_NO_DATA) {
      AddFinding(summary, gv1::Finding::SEVERITY_WARNING,
                 absl::StrCat(name, "无", in.year, "年数据，无法判断是否达标"),
                 entry.indicator().name());
    } else if (entry.verdict() == mv1::VERDICT_MET && entry.partial_period()) {
      AddFinding(summary, gv1::Finding::SEVERITY_INFO,
                 absl::StrCat(name, ValueText(entry.observation()), "达标，但数据未覆盖全年"),
                 entry.observation().name());
    }
  }
}

void AssembleProjects(const SummaryInputs& in, gv1::DistrictComplianceSummary& summary) {
  auto* projects = summary.mutable_projects();
  if (!in.catalogue.data.has_value()) {
    projects->set_state(gv1::SECTION_STATE_UNREACHABLE);
    return;
  }
  projects->set_state(gv1::SECTION_STATE_OK);
  for (const auto& p : in.catalogue.data->projects) {
    projects->set_total(projects->total() + 1);
    if (p.level() == cv1::PROJECT_LEVEL_CITY) projects->set_city_level(projects->city_level() + 1);
    if (p.level() == cv1::PROJECT_LEVEL_DISTRICT) {
      projects->set_district_level(projects->district_level() + 1);
    }
    if (p.key_project()) projects->set_key_projects(projects->key_projects() + 1);
    if (p.most_anticipated()) projects->set_most_anticipated(projects->most_anticipated() + 1);
    if (p.excellent()) projects->set_excellent(projects->excellent() + 1);
    if (p.status() == cv1::PROJECT_STATUS_DELIVERED) {
      projects->set_delivered(projects->delivered() + 1);
    }
    auto* line = projects->add_projects();
    line->set_project(p.name());
    line->set_title(p.title());
    line->set_level(p.level());
    line->set_status(p.status());
    line->set_key_project(p.key_project());
    line->set_most_anticipated(p.most_anticipated());
    line->set_excellent(p.excellent());
    const ProjectTimelinessJudgement judgement = JudgeProjectTimeliness(p, in.as_of);
    line->set_timeliness(judgement.timeliness);
    *line->mutable_due_date() = judgement.due_date;
    if (judgement.delivered_date.year() != 0) {
      *line->mutable_delivered_date() = judgement.delivered_date;
    }
    if (auto late = LateProjectFinding(p, judgement, in.as_of); late.has_value()) {
      projects->set_late(projects->late() + 1);
      *summary.add_findings() = *std::move(late);
    }
  }
  if (projects->total() == 0) {
    AddFinding(summary, gv1::Finding::SEVERITY_INFO,
               absl::StrCat(in.year, "年本区无登记的法治为民办实事项目"),
               api::RegionName(in.region_code));
  }
}

void AddBackend(gv1::DistrictComplianceSummary& summary, const std::string& service, bool answered,
                const std::string& error) {
  auto* backend = summary.add_backends();
  backend->set_service(service);
  backend->set_answered(answered);
  backend->set_error(error);
  if (!answered) {
    summary.set_partial(true);
    static const std::map<std::string, std::string> kParts = {
        {std::string(api::kCatalogueService), "目录服务未响应：区域信息、应报送单位和项目部分缺失"},
        {std::string(api::kMetricsService), "指标服务未响应：指标部分缺失"},
        {std::string(api::kReportService), "报告服务未响应：区政府报告和部门报告部分缺失"}};
    AddFinding(summary, gv1::Finding::SEVERITY_WARNING, kParts.at(service),
               absl::StrCat("backends/", service));
  }
}

}  // namespace

gv1::DistrictComplianceSummary AssembleSummary(const SummaryInputs& in) {
  gv1::DistrictComplianceSummary summary;
  summary.set_year(in.year);
  *summary.mutable_as_of() = ToDate(in.as_of);
  std::string region_name = in.region_code;
  if (in.catalogue.data.has_value()) {
    *summary.mutable_region() = in.catalogue.data->region;
    region_name = in.catalogue.data->region.display_name();
  } else {
    summary.mutable_region()->set_code(in.region_code);
    summary.mutable_region()->set_name(api::RegionName(in.region_code));
  }
  AssembleGovernmentReport(in, region_name, summary);
  AssembleDepartmentReports(in, summary);
  AssembleIndicators(in, summary);
  AssembleProjects(in, summary);
  AddBackend(summary, BackendName(Backend::kCatalogue), in.catalogue.data.has_value(),
             in.catalogue.error);
  AddBackend(summary, BackendName(Backend::kMetrics), in.metrics.data.has_value(),
             in.metrics.error);
  AddBackend(summary, BackendName(Backend::kReport), in.reports.data.has_value(), in.reports.error);
  return summary;
}

}  // namespace fazhi::gateway
