// A change of the rules file is recorded: each start with rules that differ
// from the last ones run with adds a RulesChange (which targets came, went or
// changed), kept across restarts and listed by ListTargets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"
#include "tests/metrics/metrics_fixture.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RulesChangesTest : public MetricsServerTest {
 protected:
  void SetUp() override {}  // each test starts the server with its rules

  // Starts the server as main.cc does: the rules are recorded, then served.
  void StartWith(const fazhi::rules::v1::RuleSet& rules) {
    metrics_.Start([this, rules](MetricsStore* store) {
      recorded_ = store->RecordRulesInForce(rules);
      return std::make_unique<MetricsServiceImpl>(store, testing::TestAuthorizer(), rules);
    });
    stub_ = v1::MetricsService::NewStub(metrics_.channel());
    ASSERT_TRUE(recorded_.ok()) << recorded_.status();
  }

  v1::ListTargetsResponse Targets() {
    v1::ListTargetsResponse response;
    absl::Status s = Call(&Stub::ListTargets, v1::ListTargetsRequest(), &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  absl::StatusOr<std::optional<v1::RulesChange>> recorded_ = std::nullopt;
};

TEST_F(RulesChangesTest, EachDifferentStartIsRecordedAndSurvivesRestarts) {
  const fazhi::rules::v1::RuleSet shipped = testing::ShippedRules();
  ASSERT_GE(shipped.targets_size(), 2);
  StartWith(shipped);
  ASSERT_TRUE(recorded_->has_value());
  EXPECT_EQ((*recorded_)->from_version(), "");
  EXPECT_EQ((*recorded_)->to_version(), shipped.version());
  EXPECT_EQ((*recorded_)->targets_added_size(), shipped.targets_size());

  // The same rules again: nothing recorded.
  Stop();
  StartWith(shipped);
  EXPECT_FALSE(recorded_->has_value());
  EXPECT_EQ(Targets().rules_changes_size(), 1);

  // A new version with one threshold raised and one target dropped.
  fazhi::rules::v1::RuleSet edited = shipped;
  edited.set_version(shipped.version() + "-edited");
  edited.mutable_targets(0)->set_threshold("99");
  const std::string changed = edited.targets(0).indicator();
  const std::string removed = edited.targets(edited.targets_size() - 1).indicator();
  edited.mutable_targets()->RemoveLast();
  Stop();
  StartWith(edited);
  ASSERT_TRUE(recorded_->has_value());
  EXPECT_EQ((*recorded_)->from_version(), shipped.version());
  EXPECT_THAT((*recorded_)->targets_changed(), ElementsAre(changed));
  EXPECT_THAT((*recorded_)->targets_removed(), ElementsAre(removed));
  EXPECT_THAT((*recorded_)->targets_added(), IsEmpty());
  EXPECT_FALSE((*recorded_)->quality_rules_changed());

  // Only the quality rules change, under the same version: still recorded.
  fazhi::rules::v1::RuleSet quality = edited;
  quality.mutable_metrics()->set_jump_threshold_percent("80");
  Stop();
  StartWith(quality);
  ASSERT_TRUE(recorded_->has_value());
  EXPECT_TRUE((*recorded_)->quality_rules_changed());

  const v1::ListTargetsResponse listed = Targets();
  EXPECT_EQ(listed.rules_version(), quality.version());
  ASSERT_EQ(listed.rules_changes_size(), 3);
  EXPECT_EQ(listed.rules_changes(0).to_version(), shipped.version());
  EXPECT_EQ(listed.rules_changes(1).to_version(), edited.version());
  EXPECT_TRUE(listed.rules_changes(2).quality_rules_changed());
}

}  // namespace
}  // namespace fazhi::metrics
