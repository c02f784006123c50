// Integration tests of the metrics service's WatchChanges: every write logs
// its change in the same batch, sequences follow commit order and survive a
// restart, resumption is exact, and shutdown ends open watches with
// UNAVAILABLE. MetricsServiceImpl over a real MetricsStore in a fresh temp
// directory, served on 127.0.0.1:0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "tests/metrics/metrics_fixture.h"
#include "tests/testing/watch.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using Stub = MetricsServerTest::Stub;
using Watch = testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change>;

constexpr char kPutuo[] = "regions/310107";

v1::Observation Received(int year, const std::string& decimal) {
  v1::Observation o;
  o.set_indicator("indicators/smart_mediation_received");
  o.set_subject(kPutuo);
  o.mutable_period()->set_year(year);
  o.mutable_quantity()->set_decimal(decimal);
  return o;
}

std::vector<std::string> Resources(const std::vector<v1::Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.resource());
  return out;
}

std::vector<v1::Change::Kind> Kinds(const std::vector<v1::Change>& changes) {
  std::vector<v1::Change::Kind> out;
  for (const auto& c : changes) out.push_back(c.kind());
  return out;
}

class MetricsWatchTest : public MetricsServerTest {
 protected:
  void SetUp() override {
    MetricsServerTest::SetUp();
    DefineCount("smart_mediation_received");  // change 1
  }

  std::vector<v1::Change> Replay(int64_t after, size_t count) {
    return testing::ReadChanges<Stub, v1::WatchChangesRequest, v1::Change>(*stub_, after, count);
  }
};

TEST_F(MetricsWatchTest, AWriteIsSeenOnAnOpenWatch) {
  Watch watch(*stub_, 1);  // established: the initial metadata has arrived
  const v1::Observation recorded = Record(Received(2020, "7513"));
  auto changes = watch.Read(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence(), 2);
  EXPECT_EQ(changes[0].resource(), recorded.name());
  EXPECT_EQ(changes[0].kind(), v1::Change::KIND_CREATE);
  EXPECT_EQ(changes[0].actor(), testing::kTestAdmin);  // the authenticated caller
  EXPECT_TRUE(changes[0].has_time());
}

TEST_F(MetricsWatchTest, EveryKindOfWriteIsLoggedInCommitOrder) {
  const v1::Observation first = Record(Received(2020, "7513"));  // 2 create
  Record(Received(2020, "7514"));                                // 3 update (recorded again)
  v1::CorrectObservationRequest correct;
  correct.set_name(first.name());
  correct.mutable_quantity()->set_decimal("7515");
  correct.set_reason("复核");
  v1::Observation corrected;
  ASSERT_TRUE(Call(&Stub::CorrectObservation, correct, &corrected).ok());  // 4 update
  v1::BatchRecordObservationsRequest batch;
  for (int year : {2018, 2019}) *batch.add_requests()->mutable_observation() = Received(year, "1");
  *batch.add_requests()->mutable_observation() = Received(1800, "1");  // rejected: no change
  v1::BatchRecordObservationsResponse ingested;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, batch, &ingested).ok());  // 5, 6 create
  ASSERT_EQ(ingested.accepted_count(), 2);
  v1::DeleteObservationRequest remove;
  remove.set_name(first.name());
  remove.set_reason("示例");
  v1::ObservationRevision tombstone;
  ASSERT_TRUE(Call(&Stub::DeleteObservation, remove, &tombstone).ok());  // 7 delete

  const auto changes = Replay(0, 7);
  ASSERT_EQ(changes.size(), 7u);
  for (size_t i = 0; i < changes.size(); ++i) EXPECT_EQ(changes[i].sequence(), int64_t(i + 1));
  EXPECT_THAT(Resources(changes),
              ElementsAre("indicators/smart_mediation_received", first.name(), first.name(),
                          first.name(), ingested.results(0).observation().name(),
                          ingested.results(1).observation().name(), first.name()));
  EXPECT_THAT(Kinds(changes),
              ElementsAre(v1::Change::KIND_CREATE, v1::Change::KIND_CREATE, v1::Change::KIND_UPDATE,
                          v1::Change::KIND_UPDATE, v1::Change::KIND_CREATE, v1::Change::KIND_CREATE,
                          v1::Change::KIND_DELETE));
}

TEST_F(MetricsWatchTest, ResumingGivesExactlyTheLaterChanges) {
  for (int year = 2015; year <= 2019; ++year) Record(Received(year, "1"));  // 2..6
  const auto later = Replay(3, 3);
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[0].sequence(), 4);
  EXPECT_EQ(later[2].sequence(), 6);
  // Nothing between 6 and the next write: a watch from 6 sees that write
  // first.
  Watch watch(*stub_, 6);
  const v1::Observation next = Record(Received(2020, "2"));
  auto changes = watch.Read(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence(), 7);
  EXPECT_EQ(changes[0].resource(), next.name());
}

// A batched ingest keeps its changes under one key: a watch that resumes
// inside the batch gets exactly the items after the point it names.
TEST_F(MetricsWatchTest, ResumingInsideABatchGivesTheRestOfIt) {
  v1::BatchRecordObservationsRequest batch;
  for (int year = 2015; year <= 2019; ++year) {
    *batch.add_requests()->mutable_observation() = Received(year, "1");  // 2..6
  }
  v1::BatchRecordObservationsResponse ingested;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, batch, &ingested).ok());
  ASSERT_EQ(ingested.accepted_count(), 5);
  const auto rest = Replay(3, 3);
  ASSERT_EQ(rest.size(), 3u);
  for (size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].sequence(), int64_t(4 + i));
    EXPECT_EQ(rest[i].resource(), ingested.results(2 + i).observation().name());
  }
}

TEST_F(MetricsWatchTest, SequencesSurviveARestartOfTheStore) {
  Record(Received(2019, "1"));  // 2
  Stop();
  Start();
  const v1::Observation after_restart = Record(Received(2020, "1"));
  const auto changes = Replay(1, 2);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].sequence(), 2);
  EXPECT_EQ(changes[1].sequence(), 3);  // continues, no reuse of 1 or 2
  EXPECT_EQ(changes[1].resource(), after_restart.name());
}

TEST_F(MetricsWatchTest, ServerShutdownEndsAWatchWithUnavailable) {
  Watch watch(*stub_, 1);
  metrics_.runner().Shutdown();
  const grpc::Status status = watch.Drain();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("sequence 1"), std::string::npos) << status.error_message();
}

TEST_F(MetricsWatchTest, NegativeAfterSequenceIsInvalidArgumentNamingIt) {
  const auto refused = testing::RefuseWatch<Stub, v1::WatchChangesRequest, v1::Change>(*stub_, -1);
  EXPECT_EQ(refused.code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.fields, ::testing::ElementsAre("after_sequence"));
}

}  // namespace
}  // namespace fazhi::metrics
