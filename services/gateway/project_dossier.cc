#include "services/gateway/project_dossier.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/search_text.h"
#include "common/text/utf8.h"
#include "services/gateway/project_timeliness.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace gv1 = fazhi::gateway::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

constexpr size_t kMaxQueryTerms = 16;
constexpr size_t kMaxQueryChars = 200;

void AddFinding(gv1::ProjectDossier& dossier, gv1::Finding::Severity severity, std::string text,
                std::string evidence) {
  auto* finding = dossier.add_findings();
  finding->set_severity(severity);
  finding->set_text(std::move(text));
  finding->set_evidence(std::move(evidence));
}

void AddBackend(gv1::ProjectDossier& dossier, const std::string& service, bool answered,
                const std::string& error) {
  auto* backend = dossier.add_backends();
  backend->set_service(service);
  backend->set_answered(answered);
  backend->set_error(error);
  if (!answered) dossier.set_partial(true);
}

void AssemblePassages(const DossierInputs& in, gv1::ProjectDossier& dossier) {
  auto* passages = dossier.mutable_passages();
  passages->set_query(in.query);
  if (!in.reports.data.has_value()) {
    passages->set_state(gv1::SECTION_STATE_UNREACHABLE);
    AddFinding(dossier, gv1::Finding::SEVERITY_WARNING,
               "报告服务未响应：提及本项目的报告段落缺失，不表示没有", "backends/report");
    return;
  }
  passages->set_state(gv1::SECTION_STATE_OK);
  for (const auto& search : in.reports.data->searches) {
    passages->set_total_reports(passages->total_reports() + search.total_size());
    if (passages->highlight_begin().empty()) {
      passages->set_highlight_begin(search.highlight_begin());
      passages->set_highlight_end(search.highlight_end());
    }
    for (const auto& hit : search.hits()) {
      if (passages->passages_size() >= in.max_passages) break;
      *passages->add_passages() = hit;
    }
  }
}

void AssembleObservations(const DossierInputs& in, gv1::ProjectDossier& dossier) {
  auto* section = dossier.mutable_observations();
  if (!in.metrics.data.has_value()) {
    section->set_state(gv1::SECTION_STATE_UNREACHABLE);
    AddFinding(dossier, gv1::Finding::SEVERITY_WARNING,
               "指标服务未响应：与本项目相关的数值缺失，不表示没有", "backends/metrics");
    return;
  }
  section->set_state(gv1::SECTION_STATE_OK);
  const DossierMetricsFacts& metrics = *in.metrics.data;
  const DossierCatalogueFacts& catalogue = *in.catalogue.data;
  const int year = catalogue.project.year();
  auto add = [&](const mv1::Observation& o, gv1::ObservationTie tie, std::string why) {
    auto* tied = section->add_observations();
    *tied->mutable_observation() = o;
    tied->set_tie(tie);
    auto name = metrics.indicator_names.find(o.indicator());
    tied->set_indicator_display_name(name != metrics.indicator_names.end() ? name->second
                                                                           : o.indicator());
    tied->set_explanation(std::move(why));
  };

  std::map<std::string, std::string> unit_names;
  for (const auto& unit : catalogue.units) unit_names[unit.name()] = unit.display_name();
  for (const auto& o : metrics.unit_observations) {
    if (o.period().year() != year || unit_names.count(o.subject()) == 0) continue;
    add(o, gv1::OBSERVATION_TIE_RESPONSIBLE_UNIT,
        absl::StrCat("责任单位", unit_names[o.subject()], year, "年的数值"));
  }

  if (!in.reports.data.has_value()) {
    section->set_report_ties_unknown(true);
    return;
  }
  std::map<std::string, std::string> mentioning;  // report -> title
  for (const auto& passage : dossier.passages().passages()) {
    mentioning[passage.report()] = passage.title().empty() ? passage.report() : passage.title();
  }
  for (const auto& o : metrics.region_observations) {
    if (o.period().year() != year || o.subject() != catalogue.project.region()) continue;
    auto report = mentioning.find(o.provenance().report());
    if (report == mentioning.end()) continue;
    add(o, gv1::OBSERVATION_TIE_MENTIONING_REPORT,
        absl::StrCat("数值出自提及本项目的报告《", report->second, "》"));
  }
}

}  // namespace

std::string TitleQuery(const std::string& title) {
  std::vector<std::string> words;
  std::u32string run;
  size_t chars = 0;
  auto flush = [&] {
    if (run.size() >= 2 && words.size() < kMaxQueryTerms &&
        chars + run.size() + words.size() <= kMaxQueryChars) {
      chars += run.size();
      words.push_back(text::EncodeUtf8(run));
    }
    run.clear();
  };
  for (char32_t c : text::DecodeUtf8Lenient(title).chars) {
    if (text::IsIndexedCharacter(c)) {
      run.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return absl::StrJoin(words, " ");
}

gv1::ProjectDossier AssembleDossier(const DossierInputs& in) {
  gv1::ProjectDossier dossier;
  *dossier.mutable_as_of() = ToDate(in.as_of);
  if (!in.catalogue.data.has_value()) {
    dossier.mutable_units()->set_state(gv1::SECTION_STATE_UNREACHABLE);
    dossier.mutable_observations()->set_state(gv1::SECTION_STATE_UNREACHABLE);
    dossier.mutable_passages()->set_state(gv1::SECTION_STATE_UNREACHABLE);
    AddFinding(dossier, gv1::Finding::SEVERITY_WARNING,
               "目录服务未响应：项目、责任单位、相关数值和报告段落均缺失", "backends/catalogue");
    const std::string not_asked = "not asked: the catalogue did not return the project";
    AddBackend(dossier, "catalogue", false, in.catalogue.error);
    AddBackend(dossier, "metrics", false, not_asked);
    AddBackend(dossier, "report", false, not_asked);
    return dossier;
  }
  const DossierCatalogueFacts& facts = *in.catalogue.data;
  *dossier.mutable_project() = facts.project;
  if (facts.region.has_value()) *dossier.mutable_region() = *facts.region;

  const ProjectTimelinessJudgement judgement = JudgeProjectTimeliness(facts.project, in.as_of);
  dossier.set_timeliness(judgement.timeliness);
  *dossier.mutable_due_date() = judgement.due_date;
  if (judgement.delivered_date.year() != 0) {
    *dossier.mutable_delivered_date() = judgement.delivered_date;
  }
  if (auto late = LateProjectFinding(facts.project, judgement, in.as_of); late.has_value()) {
    *dossier.add_findings() = *std::move(late);
  }

  auto* units = dossier.mutable_units();
  units->set_state(gv1::SECTION_STATE_OK);
  for (const auto& unit : facts.units) *units->add_units() = unit;
  for (const auto& name : facts.unresolved_units) {
    units->add_unresolved(name);
    AddFinding(dossier, gv1::Finding::SEVERITY_WARNING,
               absl::StrCat("项目所列责任单位", name, "在目录中不存在"), facts.project.name());
  }

  AssemblePassages(in, dossier);
  AssembleObservations(in, dossier);
  AddBackend(dossier, "catalogue", true, "");
  AddBackend(dossier, "metrics", in.metrics.data.has_value(), in.metrics.error);
  AddBackend(dossier, "report", in.reports.data.has_value(), in.reports.error);
  return dossier;
}

}  // namespace fazhi::gateway
