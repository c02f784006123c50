// Integration tests of corrections, deletions, history, series, comparisons,
// roll-ups and batched ingest: MetricsServiceImpl over a real MetricsStore in
// a fresh temp directory with a fixed clock, served on 127.0.0.1:0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Stub = v1::MetricsService::Stub;

constexpr char kPutuo[] = "regions/310107";
constexpr char kBaoshan[] = "regions/310113";

v1::Indicator MakeIndicator(const std::string& code, v1::IndicatorKind kind,
                            const std::string& numerator = "",
                            const std::string& denominator = "") {
  v1::Indicator i;
  i.set_code(code);
  i.set_display_name(code);
  i.set_unit_of_measure(kind == v1::INDICATOR_KIND_RATE ? "%" : "件");
  i.set_kind(kind);
  i.set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
  i.set_numerator_code(numerator);
  i.set_denominator_code(denominator);
  return i;
}

v1::Observation MakeObservation(const std::string& code, const std::string& subject, int year,
                                const std::string& decimal, int end_month = 12) {
  v1::Observation o;
  o.set_indicator("indicators/" + code);
  o.set_subject(subject);
  o.mutable_period()->set_year(year);
  o.mutable_period()->set_end_month(end_month);
  o.mutable_quantity()->set_decimal(decimal);
  return o;
}

std::vector<std::string> ViolatedFields(
    const google::protobuf::RepeatedPtrField<google::protobuf::Any>& details) {
  std::vector<std::string> fields;
  for (const auto& any : details) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

std::vector<v1::QualityFlagKind> Kinds(const v1::SnapshotEntry& entry) {
  std::vector<v1::QualityFlagKind> kinds;
  for (const auto& f : entry.quality_flags()) kinds.push_back(f.kind());
  return kinds;
}

class MetricsHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer());
    for (const auto& i : {MakeIndicator("smart_mediation_received", v1::INDICATOR_KIND_COUNT),
                          MakeIndicator("smart_mediation_succeeded", v1::INDICATOR_KIND_COUNT),
                          MakeIndicator("smart_mediation_success_rate", v1::INDICATOR_KIND_RATE,
                                        "smart_mediation_succeeded", "smart_mediation_received"),
                          MakeIndicator("court_appearance_rate", v1::INDICATOR_KIND_RATE)}) {
      v1::CreateIndicatorRequest request;
      *request.mutable_indicator() = i;
      v1::Indicator response;
      ASSERT_TRUE(Call(&Stub::CreateIndicator, request, &response).ok());
    }
  }

  void TearDown() override { StopServer(); }

  // Opens the store in dir_ (creating or reopening it) on the test's clock
  // and serves it.
  void StartServer() {
    metrics_.Start([this](MetricsStore* store) {
      store->set_clock([this] { return now_; });
      return std::make_unique<MetricsServiceImpl>(store, testing::TestAuthorizer(),
                                                  testing::ShippedRules());
    });
    stub_ = v1::MetricsService::NewStub(metrics_.channel());
  }

  // Stops the server and closes the store, as the binary does on SIGTERM.
  void StopServer() {
    stub_.reset();
    metrics_.Stop();
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  v1::Observation Record(const v1::Observation& o) {
    v1::RecordObservationRequest request;
    *request.mutable_observation() = o;
    v1::Observation response;
    absl::Status s = Call(&Stub::RecordObservation, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  absl::Status Correct(const std::string& name, const std::string& decimal,
                       const std::string& reason, v1::Observation* out) {
    v1::CorrectObservationRequest request;
    request.set_name(name);
    request.mutable_quantity()->set_decimal(decimal);
    request.set_reason(reason);
    return Call(&Stub::CorrectObservation, request, out);
  }

  std::vector<v1::ObservationRevision> History(const std::string& name) {
    v1::ListObservationHistoryRequest request;
    request.set_name(name);
    request.set_page_size(1);  // Exercise paging.
    std::vector<v1::ObservationRevision> all;
    for (int page = 0; page < 20; ++page) {
      v1::ListObservationHistoryResponse response;
      absl::Status s = Call(&Stub::ListObservationHistory, request, &response);
      EXPECT_TRUE(s.ok()) << s;
      all.insert(all.end(), response.revisions().begin(), response.revisions().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  v1::Snapshot Snapshot(const std::string& subject, int year) {
    v1::GetSnapshotRequest request;
    request.set_subject(subject);
    request.set_year(year);
    v1::Snapshot response;
    absl::Status s = Call(&Stub::GetSnapshot, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  static const v1::SnapshotEntry* Find(const v1::Snapshot& s, const std::string& code) {
    for (const auto& e : s.entries()) {
      if (e.indicator().code() == code) return &e;
    }
    return nullptr;
  }

  absl::Time now_ = absl::FromCivil(absl::CivilDay(2021, 2, 1), absl::UTCTimeZone());
  testing::TempDir dir_;
  testing::InProcessService<MetricsStore, MetricsServiceImpl> metrics_{
      dir_.path(), "fazhi.metrics.v1.MetricsService"};
  std::unique_ptr<Stub> stub_;
};

TEST_F(MetricsHistoryTest, CorrectionSupersedesAndKeepsTheOldValueWithItsReason) {
  const auto first = Record(MakeObservation("smart_mediation_received", kPutuo, 2020, "7531"));
  now_ += absl::Hours(1);
  v1::Observation corrected;
  ASSERT_TRUE(Correct(first.name(), "7513", "录入时数字颠倒，据报告原文更正", &corrected).ok());
  EXPECT_EQ(corrected.name(), first.name());
  EXPECT_EQ(corrected.quantity().decimal(), "7513");

  const auto snapshot = Snapshot(kPutuo, 2020);
  EXPECT_EQ(Find(snapshot, "smart_mediation_received")->observation().quantity().decimal(), "7513");
  const auto history = History(first.name());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].revision(), 1);
  EXPECT_EQ(history[0].action(), v1::REVISION_ACTION_RECORDED);
  EXPECT_EQ(history[0].observation().quantity().decimal(), "7531");
  EXPECT_EQ(history[1].revision(), 2);
  EXPECT_EQ(history[1].action(), v1::REVISION_ACTION_CORRECTED);
  EXPECT_EQ(history[1].reason(), "录入时数字颠倒，据报告原文更正");
  EXPECT_EQ(history[1].observation().quantity().decimal(), "7513");
  EXPECT_GT(history[1].create_time().seconds(), history[0].create_time().seconds());
}

TEST_F(MetricsHistoryTest, CorrectionIsCheckedLikeARecordAndNeedsAReason) {
  const auto first = Record(MakeObservation("court_appearance_rate", kPutuo, 2020, "83.8"));
  v1::Observation out;
  absl::Status s = Correct(first.name(), "101", "typo", &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(errors::GetDetail(s, &bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "quantity.decimal");
  EXPECT_EQ(Correct(first.name(), "84", "", &out).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Correct("observations/o00000000000000ff", "84", "x", &out).code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(History(first.name()), ::testing::SizeIs(1));
}

TEST_F(MetricsHistoryTest, DeletionIsATombstoneAndRecordingAgainMakesANewObservation) {
  const auto first = Record(MakeObservation("court_appearance_rate", kPutuo, 2020, "83.8", 11));
  v1::DeleteObservationRequest request;
  request.set_name(first.name());
  request.set_reason("重复录入");
  v1::ObservationRevision tombstone;
  ASSERT_TRUE(Call(&Stub::DeleteObservation, request, &tombstone).ok());
  EXPECT_EQ(tombstone.action(), v1::REVISION_ACTION_DELETED);
  EXPECT_EQ(tombstone.revision(), 2);
  EXPECT_EQ(Find(Snapshot(kPutuo, 2020), "court_appearance_rate")->verdict(), v1::VERDICT_NO_DATA);
  EXPECT_EQ(Call(&Stub::DeleteObservation, request, &tombstone).code(),
            absl::StatusCode::kNotFound);
  v1::Observation out;
  EXPECT_EQ(Correct(first.name(), "84", "x", &out).code(), absl::StatusCode::kFailedPrecondition);

  const auto again = Record(MakeObservation("court_appearance_rate", kPutuo, 2020, "90", 11));
  EXPECT_NE(again.name(), first.name());
  const auto history = History(first.name());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action(), v1::REVISION_ACTION_DELETED);
  EXPECT_EQ(history[1].reason(), "重复录入");
  EXPECT_EQ(history[1].observation().quantity().decimal(), "83.8");
  EXPECT_THAT(History(again.name()), ::testing::SizeIs(1));
}

TEST_F(MetricsHistoryTest, RecordingTheSameIdentityAgainIsARevision) {
  const auto first = Record(MakeObservation("smart_mediation_received", kPutuo, 2020, "1"));
  const auto second = Record(MakeObservation("smart_mediation_received", kPutuo, 2020, "2"));
  EXPECT_EQ(first.name(), second.name());
  const auto history = History(first.name());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action(), v1::REVISION_ACTION_RERECORDED);
}

// Putuo 2020 (seed 004): 7149 of 7513 to the end of November, stated 95.15%.
TEST_F(MetricsHistoryTest, SnapshotFlagsPutuosSmartMediation) {
  Record(MakeObservation("smart_mediation_received", kPutuo, 2020, "7513", 11));
  Record(MakeObservation("smart_mediation_succeeded", kPutuo, 2020, "7149", 11));
  const auto stated =
      Record(MakeObservation("smart_mediation_success_rate", kPutuo, 2020, "95.15", 11));
  auto snapshot = Snapshot(kPutuo, 2020);
  EXPECT_THAT(Kinds(*Find(snapshot, "smart_mediation_success_rate")),
              ElementsAre(v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD));

  v1::Observation out;
  ASSERT_TRUE(Correct(stated.name(), "96", "test", &out).ok());
  snapshot = Snapshot(kPutuo, 2020);
  const auto* entry = Find(snapshot, "smart_mediation_success_rate");
  ASSERT_THAT(Kinds(*entry), ElementsAre(v1::QUALITY_FLAG_KIND_RATE_MISMATCH,
                                         v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD));
  EXPECT_THAT(entry->quality_flags(0).explanation(), HasSubstr("7149÷7513=95.155%"));

  // A year and a day later by the injected clock, the values are stale.
  now_ += absl::Hours(24 * 366);
  snapshot = Snapshot(kPutuo, 2020);
  EXPECT_THAT(Kinds(*Find(snapshot, "smart_mediation_received")),
              ElementsAre(v1::QUALITY_FLAG_KIND_PARTIAL_PERIOD, v1::QUALITY_FLAG_KIND_STALE));
}

TEST_F(MetricsHistoryTest, SnapshotComparesWithThePreviousYear) {
  Record(MakeObservation("court_appearance_rate", kBaoshan, 2022, "95"));
  Record(MakeObservation("court_appearance_rate", kBaoshan, 2023, "100"));
  const auto snapshot = Snapshot(kBaoshan, 2023);
  const auto* entry = Find(snapshot, "court_appearance_rate");
  EXPECT_EQ(entry->previous_observation().quantity().decimal(), "95");
  EXPECT_EQ(entry->change(), "5");
  EXPECT_EQ(entry->change_percent(), "5.26");
  EXPECT_EQ(entry->verdict(), v1::VERDICT_MET);
}

TEST_F(MetricsHistoryTest, SeriesCompareAndRollUp) {
  for (int year = 2018; year <= 2021; ++year) {
    Record(MakeObservation("smart_mediation_received", kPutuo, year,
                           std::to_string(100 * year - 201700)));
  }
  Record(MakeObservation("smart_mediation_received", kBaoshan, 2020, "1000"));
  Record(MakeObservation("smart_mediation_succeeded", kBaoshan, 2020, "10"));
  Record(MakeObservation("smart_mediation_succeeded", kPutuo, 2020, "270"));

  v1::GetSeriesRequest series_request;
  series_request.set_subject(kPutuo);
  series_request.set_indicator("indicators/smart_mediation_received");
  series_request.set_start_year(2019);
  series_request.set_end_year(2022);
  v1::Series series;
  ASSERT_TRUE(Call(&Stub::GetSeries, series_request, &series).ok());
  ASSERT_EQ(series.points_size(), 3);
  EXPECT_EQ(series.points(0).year(), 2019);
  EXPECT_EQ(series.points(0).observation().quantity().decimal(), "200");
  EXPECT_EQ(series.points(2).change(), "100");
  series_request.set_end_year(2000);
  EXPECT_EQ(Call(&Stub::GetSeries, series_request, &series).code(),
            absl::StatusCode::kInvalidArgument);

  v1::CompareSubjectsRequest compare;
  compare.set_indicator("indicators/smart_mediation_success_rate");
  compare.set_year(2020);
  compare.add_subjects(kBaoshan);
  compare.add_subjects(kPutuo);
  compare.add_subjects("regions/310101");
  v1::CompareSubjectsResponse compared;
  ASSERT_TRUE(Call(&Stub::CompareSubjects, compare, &compared).ok());
  ASSERT_EQ(compared.entries_size(), 3);
  EXPECT_EQ(compared.entries(0).subject(), kBaoshan);
  EXPECT_EQ(compared.entries(0).entry().observation().quantity().decimal(), "1");
  EXPECT_EQ(compared.entries(1).entry().observation().quantity().decimal(), "90");
  EXPECT_FALSE(compared.entries(2).entry().has_observation());

  // An indicator that is not defined is NOT_FOUND, for series and comparison.
  series_request.set_end_year(2022);
  series_request.set_indicator("indicators/no_such_indicator");
  EXPECT_EQ(Call(&Stub::GetSeries, series_request, &series).code(), absl::StatusCode::kNotFound);
  compare.set_indicator("indicators/no_such_indicator");
  EXPECT_EQ(Call(&Stub::CompareSubjects, compare, &compared).code(), absl::StatusCode::kNotFound);

  // Rates of the sums: 280 / 1300 = 21.54%, not the mean of 1% and 90%.
  v1::RollUpSnapshotRequest rollup;
  rollup.set_subject("regions/310000");
  rollup.set_year(2020);
  rollup.add_parts(kBaoshan);
  rollup.add_parts(kPutuo);
  v1::Snapshot rolled;
  ASSERT_TRUE(Call(&Stub::RollUpSnapshot, rollup, &rolled).ok());
  EXPECT_EQ(Find(rolled, "smart_mediation_received")->observation().quantity().decimal(), "1300");
  EXPECT_EQ(Find(rolled, "smart_mediation_success_rate")->observation().quantity().decimal(),
            "21.54");
  rollup.add_parts(kPutuo);
  EXPECT_EQ(Call(&Stub::RollUpSnapshot, rollup, &rolled).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MetricsHistoryTest, BatchGetSnapshotsEqualsOneGetSnapshotPerSubjectInOrder) {
  Record(MakeObservation("smart_mediation_received", kPutuo, 2020, "1000"));
  Record(MakeObservation("smart_mediation_succeeded", kPutuo, 2020, "900"));
  Record(MakeObservation("court_appearance_rate", kBaoshan, 2020, "100"));

  v1::BatchGetSnapshotsRequest batch;
  batch.set_year(2020);
  for (const char* subject : {kBaoshan, "regions/310101", kPutuo}) batch.add_subjects(subject);
  v1::BatchGetSnapshotsResponse batched;
  ASSERT_TRUE(Call(&Stub::BatchGetSnapshots, batch, &batched).ok());
  ASSERT_EQ(batched.snapshots_size(), 3);
  for (int i = 0; i < 3; ++i) {
    v1::GetSnapshotRequest one;
    one.set_subject(batch.subjects(i));
    one.set_year(2020);
    v1::Snapshot single;
    ASSERT_TRUE(Call(&Stub::GetSnapshot, one, &single).ok());
    EXPECT_EQ(batched.snapshots(i).SerializeAsString(), single.SerializeAsString())
        << batch.subjects(i);
  }
  EXPECT_EQ(Find(batched.snapshots(2), "smart_mediation_success_rate")
                ->observation()
                .quantity()
                .decimal(),
            "90");

  // A subject named twice, or none, or a bad year: INVALID_ARGUMENT naming it.
  batch.add_subjects(kPutuo);
  EXPECT_EQ(Call(&Stub::BatchGetSnapshots, batch, &batched).code(),
            absl::StatusCode::kInvalidArgument);
  v1::BatchGetSnapshotsRequest empty;
  empty.set_year(2020);
  EXPECT_EQ(Call(&Stub::BatchGetSnapshots, empty, &batched).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MetricsHistoryTest, BatchIngestJudgesEachItemOnItsOwn) {
  v1::BatchRecordObservationsRequest request;
  auto add = [&](const v1::Observation& o, const std::string& request_id = "") {
    auto* item = request.add_requests();
    *item->mutable_observation() = o;
    item->set_request_id(request_id);
  };
  add(MakeObservation("smart_mediation_received", kPutuo, 2020, "7513"), "batch-1");
  add(MakeObservation("no_such_indicator", kPutuo, 2020, "1"));                // unknown indicator
  add(MakeObservation("court_appearance_rate", kPutuo, 2020, "101"));          // rate over 100
  add(MakeObservation("smart_mediation_received", kPutuo, 1800, "1"));         // no such year
  add(MakeObservation("smart_mediation_received", kPutuo, 2021, "1.5"));       // wrong kind
  add(MakeObservation("smart_mediation_received", "regions/31x", 2021, "1"));  // bad subject
  add(MakeObservation("smart_mediation_succeeded", kPutuo, 2020, "7149"));
  add(MakeObservation("smart_mediation_received", kPutuo, 2020, "7514"));  // supersedes item 0
  v1::BatchRecordObservationsResponse response;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, request, &response).ok());
  ASSERT_EQ(response.results_size(), 8);
  EXPECT_EQ(response.accepted_count(), 3);
  EXPECT_EQ(response.rejected_count(), 5);
  EXPECT_THAT(ViolatedFields(response.results(1).error().details()),
              ElementsAre("requests[1].observation.indicator"));
  EXPECT_EQ(response.results(1).error().code(), static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_THAT(ViolatedFields(response.results(2).error().details()),
              ElementsAre("requests[2].observation.quantity.decimal"));
  EXPECT_THAT(ViolatedFields(response.results(3).error().details()),
              ElementsAre("requests[3].observation.period.year"));
  EXPECT_THAT(ViolatedFields(response.results(4).error().details()),
              ElementsAre("requests[4].observation.quantity.decimal"));
  EXPECT_THAT(ViolatedFields(response.results(5).error().details()),
              ElementsAre("requests[5].observation.subject"));
  EXPECT_EQ(response.results(7).observation().name(), response.results(0).observation().name());
  EXPECT_NE(response.results(6).observation().name(), response.results(0).observation().name());

  const auto snapshot = Snapshot(kPutuo, 2020);
  EXPECT_EQ(Find(snapshot, "smart_mediation_received")->observation().quantity().decimal(), "7514");
  EXPECT_EQ(Find(snapshot, "smart_mediation_success_rate")->observation().quantity().decimal(),
            "95.14");
  EXPECT_THAT(History(response.results(0).observation().name()), ::testing::SizeIs(2));

  // The retry of item 0 returns the first answer and writes nothing.
  v1::BatchRecordObservationsRequest retry;
  *retry.add_requests() = request.requests(0);
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, retry, &response).ok());
  EXPECT_EQ(response.results(0).observation().quantity().decimal(), "7513");
  EXPECT_THAT(History(response.results(0).observation().name()), ::testing::SizeIs(2));

  v1::BatchRecordObservationsRequest empty;
  EXPECT_EQ(Call(&Stub::BatchRecordObservations, empty, &response).code(),
            absl::StatusCode::kInvalidArgument);
}

// A request_id repeated inside one batch: the later item gets the answer
// the earlier one got and writes nothing of its own.
TEST_F(MetricsHistoryTest, ARequestIdRepeatedInOneBatchGetsTheFirstAnswer) {
  v1::BatchRecordObservationsRequest request;
  for (const char* decimal : {"7513", "9999"}) {
    auto* item = request.add_requests();
    *item->mutable_observation() =
        MakeObservation("smart_mediation_received", kPutuo, 2020, decimal);
    item->set_request_id("same-import-line");
  }
  v1::BatchRecordObservationsResponse response;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, request, &response).ok());
  ASSERT_EQ(response.results_size(), 2);
  EXPECT_EQ(response.accepted_count(), 2);
  EXPECT_EQ(response.results(1).observation().name(), response.results(0).observation().name());
  EXPECT_EQ(response.results(1).observation().quantity().decimal(), "7513");
  EXPECT_THAT(History(response.results(0).observation().name()), ::testing::SizeIs(1));
  EXPECT_EQ(
      Find(Snapshot(kPutuo, 2020), "smart_mediation_received")->observation().quantity().decimal(),
      "7513");
}

TEST_F(MetricsHistoryTest, AcknowledgedBatchSurvivesReopen) {
  v1::BatchRecordObservationsRequest request;
  for (int year = 2010; year < 2020; ++year) {
    auto* item = request.add_requests();
    *item->mutable_observation() = MakeObservation("smart_mediation_received", kPutuo, year, "5");
  }
  v1::BatchRecordObservationsResponse response;
  ASSERT_TRUE(Call(&Stub::BatchRecordObservations, request, &response).ok());
  ASSERT_EQ(response.accepted_count(), 10);
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer());
  MetricsStore* reopened = metrics_.store();
  auto all = reopened->ObservationsInYears(kPutuo, 2000, 2030, nullptr);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 10u);
  // A new observation after reopening takes a fresh number.
  auto more = reopened->RecordObservation(
      [] {
        auto o = MakeObservation("smart_mediation_received", kPutuo, 2020, "5");
        o.mutable_period()->set_start_month(1);
        o.mutable_quantity()->set_value(5);
        return o;
      }(),
      "", testing::kTestAdmin);
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_EQ(more->name(), "observations/o000000000000000b");
}

}  // namespace
}  // namespace fazhi::metrics
