#include "services/gateway/summary_scoring.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;

v1::ScoreComponent* Add(v1::Score& score, const std::string& name, double possible) {
  auto* c = score.add_components();
  c->set_name(name);
  c->set_possible(possible);
  return c;
}

void Exclude(v1::ScoreComponent* c, const std::string& why) {
  c->set_excluded(true);
  c->set_earned(0);
  c->set_explanation(why);
}

constexpr int kRequiredParts = 4;

}  // namespace

v1::Score ScoreSummary(const v1::DistrictComplianceSummary& summary,
                       const fazhi::rules::v1::RuleSet& rules) {
  const auto& method = rules.scoring();
  v1::Score score;
  score.set_rules_version(rules.version());
  score.set_method(absl::StrFormat(
      "区政府报告%g分（提交占一半，必备部分按比例占一半）、部门报告%g分（按完整报送比例）、"
      "有目标的指标%g分（按达标比例）、项目%g分（按已落地比例）；无数据或服务未响应的部分不计入"
      "满分，得分=100×得分合计÷可得分合计",
      method.government_report_points(), method.department_reports_points(),
      method.indicators_points(), method.projects_points()));

  {
    auto* c = Add(score, "government_report", method.government_report_points());
    const auto& gov = summary.government_report();
    if (gov.state() != v1::SECTION_STATE_OK) {
      Exclude(c, "报告服务未响应，不计入");
    } else if (!gov.filed()) {
      c->set_earned(0);
      c->set_explanation("未提交");
    } else {
      const int present = kRequiredParts - gov.parts_missing_size();
      c->set_earned(c->possible() / 2 + c->possible() / 2 * present / kRequiredParts);
      c->set_explanation(absl::StrCat("已提交，", present, "/", kRequiredParts, "个必备部分"));
    }
  }
  {
    auto* c = Add(score, "department_reports", method.department_reports_points());
    const auto& depts = summary.department_reports();
    if (depts.state() != v1::SECTION_STATE_OK || depts.units_required() < 0) {
      Exclude(c, "报告服务或目录服务未响应，不计入");
    } else if (depts.units_required() == 0) {
      Exclude(c, "本区无应报送的部门，不计入");
    } else {
      int complete_required = 0;
      for (const auto& r : depts.reports()) {
        if (r.filed() && r.parts_missing().empty()) ++complete_required;
      }
      const int required = depts.units_required();
      if (complete_required > required) complete_required = required;
      c->set_earned(c->possible() * complete_required / required);
      c->set_explanation(absl::StrCat(required, "家应报，", complete_required, "家完整报送"));
    }
  }
  {
    auto* c = Add(score, "indicators", method.indicators_points());
    const auto& indicators = summary.indicators();
    int met = 0, judged = 0;
    for (const auto& i : indicators.indicators()) {
      if (i.verdict() == mv1::VERDICT_MET) ++met;
      if (i.verdict() == mv1::VERDICT_MET || i.verdict() == mv1::VERDICT_NOT_MET ||
          i.verdict() == mv1::VERDICT_NO_DATA) {
        ++judged;
      }
    }
    if (indicators.state() != v1::SECTION_STATE_OK) {
      Exclude(c, "指标服务未响应，不计入");
    } else if (judged == 0) {
      Exclude(c, "无有目标的指标，不计入");
    } else {
      c->set_earned(c->possible() * met / judged);
      c->set_explanation(
          absl::StrCat(judged, "项有目标的指标，", met, "项达标（无数据按未达标计）"));
    }
  }
  {
    auto* c = Add(score, "projects", method.projects_points());
    const auto& projects = summary.projects();
    int live = 0, delivered = 0;
    for (const auto& p : projects.projects()) {
      if (p.status() == cv1::PROJECT_STATUS_WITHDRAWN) continue;
      ++live;
      if (p.status() == cv1::PROJECT_STATUS_DELIVERED) ++delivered;
    }
    if (projects.state() != v1::SECTION_STATE_OK) {
      Exclude(c, "目录服务未响应，不计入");
    } else if (live == 0) {
      Exclude(c, "本年度无项目，不计入");
    } else {
      c->set_earned(c->possible() * delivered / live);
      c->set_explanation(absl::StrCat(live, "个项目，", delivered, "个已落地"));
    }
  }

  double earned = 0, possible = 0;
  for (const auto& c : score.components()) {
    if (c.excluded()) continue;
    earned += c.earned();
    possible += c.possible();
  }
  if (possible <= 0) {
    score.set_computable(false);
    return score;
  }
  score.set_computable(true);
  score.set_value(100.0 * earned / possible);
  for (const auto& band : method.grades()) {
    if (score.value() + 1e-9 >= band.min_score()) {
      score.set_grade(band.grade());
      break;
    }
  }
  return score;
}

}  // namespace fazhi::gateway
