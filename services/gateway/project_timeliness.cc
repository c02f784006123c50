#include "services/gateway/project_timeliness.h"

#include "absl/strings/str_cat.h"
#include "common/api/domain_names.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;

absl::CivilDay DayOf(const google::type::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

}  // namespace

absl::CivilDay BeijingDay(absl::Time t) {
  return absl::ToCivilDay(t, absl::FixedTimeZone(8 * 60 * 60));
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string ChineseDate(const google::type::Date& date) {
  return absl::StrCat(date.year(), "年", date.month(), "月", date.day(), "日");
}

bool IsLate(v1::ProjectTimeliness timeliness) {
  return timeliness == v1::PROJECT_TIMELINESS_OVERDUE ||
         timeliness == v1::PROJECT_TIMELINESS_DELIVERED_LATE;
}

ProjectTimelinessJudgement JudgeProjectTimeliness(const cv1::Project& project,
                                                  absl::CivilDay as_of) {
  ProjectTimelinessJudgement judgement;
  const absl::CivilDay due(project.year(), 12, 31);
  judgement.due_date = ToDate(due);
  for (const auto& step : project.status_history()) {
    if (step.to_status() == cv1::PROJECT_STATUS_DELIVERED) {
      judgement.delivered_date = step.effective_date();
    }
  }
  switch (project.status()) {
    case cv1::PROJECT_STATUS_WITHDRAWN:
      judgement.timeliness = v1::PROJECT_TIMELINESS_WITHDRAWN;
      break;
    case cv1::PROJECT_STATUS_DELIVERED:
      if (judgement.delivered_date.year() == 0) {
        judgement.timeliness = v1::PROJECT_TIMELINESS_DELIVERED_UNDATED;
      } else if (DayOf(judgement.delivered_date) > due) {
        judgement.timeliness = v1::PROJECT_TIMELINESS_DELIVERED_LATE;
      } else {
        judgement.timeliness = v1::PROJECT_TIMELINESS_ON_TIME;
      }
      break;
    default:
      judgement.timeliness =
          as_of > due ? v1::PROJECT_TIMELINESS_OVERDUE : v1::PROJECT_TIMELINESS_NOT_DUE;
      break;
  }
  return judgement;
}

std::optional<v1::Finding> LateProjectFinding(const cv1::Project& project,
                                              const ProjectTimelinessJudgement& judgement,
                                              absl::CivilDay as_of) {
  v1::Finding finding;
  finding.set_evidence(project.name());
  const std::string title = absl::StrCat("项目《", project.title(), "》");
  if (judgement.timeliness == v1::PROJECT_TIMELINESS_OVERDUE) {
    finding.set_severity(v1::Finding::SEVERITY_SHORTFALL);
    finding.set_text(absl::StrCat(title, "为", project.year(), "年度项目，应于",
                                  ChineseDate(judgement.due_date), "前落地，截至",
                                  ChineseDate(ToDate(as_of)), "仍未落地（当前状态：",
                                  api::ProjectStatusName(project.status()), "）"));
    return finding;
  }
  if (judgement.timeliness == v1::PROJECT_TIMELINESS_DELIVERED_LATE) {
    finding.set_severity(v1::Finding::SEVERITY_WARNING);
    finding.set_text(absl::StrCat(title, "逾期落地：应于", ChineseDate(judgement.due_date),
                                  "前落地，实际于", ChineseDate(judgement.delivered_date), "落地"));
    return finding;
  }
  return std::nullopt;
}

}  // namespace fazhi::gateway
