// Loading the rules file (fazhi.rules.v1.RuleSet in protobuf text format).
#ifndef FAZHI_COMMON_RULES_RULE_SET_H_
#define FAZHI_COMMON_RULES_RULE_SET_H_

#include <string>

#include "absl/status/statusor.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::rules {

// Reads and checks a rules file. Errors name the file and what is wrong
// (parse error with line and column, a missing version, a duplicate target,
// a threshold that is not a decimal, a part without patterns).
absl::StatusOr<fazhi::rules::v1::RuleSet> LoadRuleSet(const std::string& path);

// The same checks on a parsed rule set.
absl::Status ValidateRuleSet(const fazhi::rules::v1::RuleSet& rules);

}  // namespace fazhi::rules

#endif  // FAZHI_COMMON_RULES_RULE_SET_H_
