// Whether a rule-of-law project is late, by the rule documented on
// fazhi.gateway.v1.ProjectTimeliness: a project of year Y is due by
// 31 December of Y. Plain C++: the day judged on is passed in.
#ifndef FAZHI_SERVICES_GATEWAY_PROJECT_TIMELINESS_H_
#define FAZHI_SERVICES_GATEWAY_PROJECT_TIMELINESS_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "google/type/date.pb.h"

namespace fazhi::gateway {

struct ProjectTimelinessJudgement {
  v1::ProjectTimeliness timeliness = v1::PROJECT_TIMELINESS_UNSPECIFIED;
  // 31 December of the project's year.
  google::type::Date due_date;
  // The date of the latest step to delivered; unset (year 0) when none.
  google::type::Date delivered_date;
};

ProjectTimelinessJudgement JudgeProjectTimeliness(const fazhi::catalogue::v1::Project& project,
                                                  absl::CivilDay as_of);

bool IsLate(v1::ProjectTimeliness timeliness);

// The finding naming a late project, pointing at it ("projects/…");
// nullopt when the project is not late.
std::optional<v1::Finding> LateProjectFinding(const fazhi::catalogue::v1::Project& project,
                                              const ProjectTimelinessJudgement& judgement,
                                              absl::CivilDay as_of);

// The calendar day in Beijing (UTC+8, no daylight saving) at `t`.
absl::CivilDay BeijingDay(absl::Time t);
google::type::Date ToDate(absl::CivilDay day);
// "2023年12月31日".
std::string ChineseDate(const google::type::Date& date);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_PROJECT_TIMELINESS_H_
