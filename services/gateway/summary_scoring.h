// The score of a district-year, by the method of the rules file
// (ScoringRules), explained part by part. Plain C++.
#ifndef FAZHI_SERVICES_GATEWAY_SUMMARY_SCORING_H_
#define FAZHI_SERVICES_GATEWAY_SUMMARY_SCORING_H_

#include <string>

#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::gateway {

// Scores `summary`. Components whose section is unreachable or does not
// apply are excluded from the maximum (never counted as zero); with nothing
// left, the score is not computable.
v1::Score ScoreSummary(const v1::DistrictComplianceSummary& summary,
                       const fazhi::rules::v1::RuleSet& rules);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_SUMMARY_SCORING_H_
