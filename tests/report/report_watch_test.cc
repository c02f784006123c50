// Integration tests of the report service's WatchChanges: each submission
// logs its change with the report, a resubmission is an update, sequences
// survive a restart, resumption is exact, and shutdown ends open watches
// with UNAVAILABLE. A real ReportStore in a fresh temp directory, served on
// 127.0.0.1:0, with the real seed texts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "tests/report/report_server.h"
#include "tests/testing/watch.h"

namespace fazhi::report {
namespace {

using Stub = TestReportServer::Stub;
using Watch = testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change>;

class ReportWatchTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  std::vector<v1::Change> Replay(int64_t after, size_t count) {
    return testing::ReadChanges<Stub, v1::WatchChangesRequest, v1::Change>(server_.stub(), after,
                                                                           count);
  }

  testing::TempDir dir_;
  TestReportServer server_{dir_.path()};
};

TEST_F(ReportWatchTest, ASubmissionIsSeenOnAnOpenWatch) {
  Watch watch(server_.stub(), 0);  // established: the initial metadata has arrived
  const v1::Report filed = server_.Submit(Baoshan2023Report());
  const auto changes = watch.Read(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence(), 1);
  EXPECT_EQ(changes[0].resource(), filed.name());
  EXPECT_EQ(changes[0].kind(), v1::Change::KIND_CREATE);
  EXPECT_EQ(changes[0].actor(), testing::kTestAdmin);  // the fixture's caller
  EXPECT_EQ(changes[0].time().seconds(), filed.submit_time().seconds());
}

TEST_F(ReportWatchTest, ResumingGivesExactlyTheLaterChangesAndAVersionIsAnUpdate) {
  const v1::Report baoshan = server_.Submit(Baoshan2023Report());  // 1
  const v1::Report putuo = server_.Submit(Putuo2020Report());      // 2
  v1::Report again = Baoshan2023Report();
  again.set_text(again.text() + "\n附:补充说明。");
  ASSERT_EQ(server_.Submit(again).version(), 2);  // 3
  const auto later = Replay(1, 2);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].sequence(), 2);
  EXPECT_EQ(later[0].resource(), putuo.name());
  EXPECT_EQ(later[1].sequence(), 3);
  EXPECT_EQ(later[1].resource(), baoshan.name());
  EXPECT_EQ(later[1].kind(), v1::Change::KIND_UPDATE);

  // Nothing between 3 and the next write: a watch from 3 sees that write.
  Watch watch(server_.stub(), 3);
  v1::Report third = again;
  third.set_text(third.text() + "\n附二。");
  server_.Submit(third);
  const auto next = watch.Read(1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].sequence(), 4);
}

TEST_F(ReportWatchTest, SequencesSurviveARestartOfTheStore) {
  server_.Submit(Baoshan2023Report());  // 1
  server_.Stop();
  server_.Start();
  const v1::Report putuo = server_.Submit(Putuo2020Report());
  const auto changes = Replay(0, 2);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].sequence(), 2);  // continues after the restart
  EXPECT_EQ(changes[1].resource(), putuo.name());
}

TEST_F(ReportWatchTest, ServerShutdownEndsAWatchWithUnavailable) {
  Watch watch(server_.stub(), 0);
  server_.runner().Shutdown();
  const grpc::Status status = watch.Drain();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("sequence 0"), std::string::npos) << status.error_message();
}

TEST_F(ReportWatchTest, NegativeAfterSequenceIsInvalidArgumentNamingIt) {
  const auto refused =
      testing::RefuseWatch<Stub, v1::WatchChangesRequest, v1::Change>(server_.stub(), -5);
  EXPECT_EQ(refused.code, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.fields, ::testing::ElementsAre("after_sequence"));
}

}  // namespace
}  // namespace fazhi::report
