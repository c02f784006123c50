#include "tools/fazhictl/dossier_printer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/backend_services.h"
#include "common/api/domain_names.h"
#include "tools/fazhictl/display_width.h"
#include "tools/fazhictl/summary_printer.h"

namespace fazhi::ctl {
namespace {

namespace catalogue = ::fazhi::catalogue::v1;
namespace gateway = ::fazhi::gateway::v1;
namespace metrics = ::fazhi::metrics::v1;

constexpr char kIndent[] = "  ";

std::string DateText(const google::type::Date& d) {
  if (d.year() == 0) return "";
  return absl::StrCat(d.year(), "年", d.month(), "月", d.day(), "日");
}

std::string UnitKindName(catalogue::UnitKind kind) {
  switch (kind) {
    case catalogue::UNIT_KIND_GOVERNMENT:
      return "人民政府";
    case catalogue::UNIT_KIND_GOVERNMENT_DEPARTMENT:
      return "政府部门";
    case catalogue::UNIT_KIND_COURT:
      return "法院";
    case catalogue::UNIT_KIND_PROCURATORATE:
      return "检察院";
    case catalogue::UNIT_KIND_PARTY_BODY:
      return "党委机关";
    case catalogue::UNIT_KIND_PEOPLES_ORGANISATION:
      return "人民团体";
    default:
      return "其他";
  }
}

std::string TieName(gateway::ObservationTie tie) {
  switch (tie) {
    case gateway::OBSERVATION_TIE_RESPONSIBLE_UNIT:
      return "责任单位";
    case gateway::OBSERVATION_TIE_MENTIONING_REPORT:
      return "同一报告";
    default:
      return "";
  }
}

std::string ObservationValue(const metrics::Observation& o) {
  if (!o.quantity().text().empty()) return o.quantity().text();
  return absl::StrCat(o.quantity().decimal(), o.quantity().measure_word());
}

std::string PeriodText(const fazhi::type::Period& p) {
  const int start = p.start_month() == 0 ? 1 : p.start_month();
  const int end = p.end_month() == 0 ? 12 : p.end_month();
  if (start == 1 && end == 12) return absl::StrCat(p.year(), "年");
  return absl::StrCat(p.year(), "年", start, "–", end, "月");
}

void AppendProject(const gateway::ProjectDossier& d, std::string& out) {
  const catalogue::Project& p = d.project();
  absl::StrAppend(&out, "项目《", p.title(), "》（", p.name(), "）");
  absl::StrAppend(&out, d.partial() ? "：部分（有服务未应答，缺失的数据不计为零）\n" : "\n");
  TextTable table(kIndent);
  std::string region = p.region();
  if (!d.region().display_name().empty()) {
    region = absl::StrCat(d.region().display_name(), "（", d.region().code(), "）");
  }
  table.AddRow({"年度", absl::StrCat(p.year()), "级别", ProjectLevelName(p.level())});
  table.AddRow({"地区", region, "主题", p.theme().empty() ? "—" : p.theme()});
  std::vector<std::string> flags;
  if (p.key_project()) flags.push_back("重点项目");
  if (p.most_anticipated()) flags.push_back("人民群众最期待");
  if (p.excellent()) flags.push_back("优秀项目");
  table.AddRow({"状态", api::ProjectStatusName(p.status()), "标志",
                flags.empty() ? "—" : absl::StrJoin(flags, "、")});
  std::string timeliness = ProjectTimelinessName(d.timeliness());
  if (d.has_delivered_date())
    absl::StrAppend(&timeliness, "（", DateText(d.delivered_date()), "）");
  table.AddRow({"时限", absl::StrCat("应于", DateText(d.due_date()), "前落地"), "判断",
                absl::StrCat(timeliness, "，截至", DateText(d.as_of()))});
  out += table.Render();
  if (!p.description().empty()) absl::StrAppend(&out, kIndent, "简介  ", p.description(), "\n");
  for (const auto& outcome : p.outcomes()) {
    absl::StrAppend(&out, kIndent, "成效  ", outcome.phrase(), "\n");
  }
}

// `service` is a BackendStatus.service name.
bool Unreachable(gateway::SectionState state, absl::string_view service, std::string& out) {
  if (state != gateway::SECTION_STATE_UNREACHABLE) return false;
  absl::StrAppend(&out, UnreachableLine(service));
  return true;
}

void AppendUnits(const gateway::DossierUnits& units, std::string& out) {
  absl::StrAppend(&out, "\n责任单位\n");
  if (Unreachable(units.state(), api::kCatalogueService, out)) return;
  TextTable table(kIndent);
  for (const auto& u : units.units()) {
    table.AddRow({u.display_name(), UnitKindName(u.kind()), u.region(), u.name()});
  }
  for (const auto& name : units.unresolved()) table.AddRow({name, "目录中不存在", "", ""});
  out += units.units().empty() && units.unresolved().empty() ? absl::StrCat(kIndent, "无\n")
                                                             : table.Render();
}

void AppendObservations(const gateway::DossierObservations& s, std::string& out) {
  absl::StrAppend(&out, "\n相关数值\n");
  if (Unreachable(s.state(), api::kMetricsService, out)) return;
  if (s.observations().empty()) {
    absl::StrAppend(&out, kIndent, "无\n");
  } else {
    TextTable table(kIndent);
    table.AddRow({"指标", "数值", "主体", "期间", "关联", "说明"});
    table.AddRule();
    for (const auto& t : s.observations()) {
      const auto& o = t.observation();
      table.AddRow({t.indicator_display_name(), ObservationValue(o), o.subject(),
                    PeriodText(o.period()), TieName(t.tie()), t.explanation()});
    }
    out += table.Render();
  }
  if (s.report_ties_unknown()) {
    absl::StrAppend(&out, kIndent, "（报告服务未应答：出自提及本项目报告的数值无法找出）\n");
  }
}

void AppendPassages(const gateway::DossierPassages& s, std::string& out) {
  absl::StrAppend(&out, "\n报告段落");
  if (!s.query().empty()) absl::StrAppend(&out, "（检索词：", s.query(), "）");
  absl::StrAppend(&out, "\n");
  if (Unreachable(s.state(), api::kReportService, out)) return;
  if (s.passages().empty()) {
    absl::StrAppend(&out, kIndent, "未找到提及本项目的报告\n");
    return;
  }
  absl::StrAppend(&out, kIndent, "共 ", s.total_reports(), " 份报告提及，列出 ", s.passages_size(),
                  " 份\n");
  int n = 0;
  for (const auto& hit : s.passages()) {
    absl::StrAppend(&out, kIndent, ++n, ". 《", hit.title(), "》", hit.year(), "年（", hit.report(),
                    "）");
    if (hit.has_section()) {
      absl::StrAppend(&out, " 章节：", hit.section().marker(), hit.section().title());
    }
    absl::StrAppend(&out, "\n", kIndent, kIndent, hit.snippet(), "\n");
  }
}

}  // namespace

std::string FormatDossierText(const gateway::ProjectDossier& dossier) {
  std::string out;
  if (dossier.has_project()) {
    AppendProject(dossier, out);
  } else {
    absl::StrAppend(&out, "项目档案：部分（目录服务未应答，项目信息缺失）\n");
  }
  AppendUnits(dossier.units(), out);
  AppendObservations(dossier.observations(), out);
  AppendPassages(dossier.passages(), out);
  out += FormatFindings(dossier.findings(), dossier.partial());
  out += FormatBackends(dossier.backends());
  return out;
}

}  // namespace fazhi::ctl
