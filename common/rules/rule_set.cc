#include "common/rules/rule_set.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace fazhi::rules {
namespace {

class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty())
      first_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

absl::Status ValidateRuleSet(const fazhi::rules::v1::RuleSet& rules) {
  if (rules.version().empty()) {
    return errors::InvalidConfiguration("version: is required, e.g. \"2026-11-22.1\"");
  }
  std::set<std::string> seen;
  for (const auto& target : rules.targets()) {
    if (!seen.insert(target.indicator()).second) {
      return errors::InvalidConfiguration(
          absl::StrCat("targets: indicator ", target.indicator(), " has more than one target"));
    }
    double threshold = 0;
    if (!absl::SimpleAtod(target.threshold(), &threshold)) {
      return errors::InvalidConfiguration(absl::StrCat("targets: ", target.indicator(),
                                                       ": threshold \"", target.threshold(),
                                                       "\" is not a decimal number"));
    }
    if (target.comparator() == fazhi::metrics::v1::COMPARATOR_UNSPECIFIED) {
      return errors::InvalidConfiguration(
          absl::StrCat("targets: ", target.indicator(), ": comparator is required"));
    }
    if (target.source().empty()) {
      return errors::InvalidConfiguration(absl::StrCat(
          "targets: ", target.indicator(), ": source is required (where the number comes from)"));
    }
  }
  for (const auto& part : rules.report().parts()) {
    if (part.patterns().empty()) {
      return errors::InvalidConfiguration(
          absl::StrCat("report.parts: part ", part.part(), " has no patterns"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<fazhi::rules::v1::RuleSet> LoadRuleSet(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return errors::InvalidConfiguration(absl::StrCat("rules file ", path, " cannot be read"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  fazhi::rules::v1::RuleSet rules;
  google::protobuf::TextFormat::Parser parser;
  CollectingErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(buffer.str(), &rules)) {
    return errors::InvalidConfiguration(absl::StrCat("rules file ", path, ": ", errors.first()));
  }
  absl::Status s = ValidateRuleSet(rules);
  if (!s.ok())
    return errors::InvalidConfiguration(absl::StrCat("rules file ", path, ": ", s.message()));
  return rules;
}

}  // namespace fazhi::rules
