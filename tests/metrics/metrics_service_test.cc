// Integration tests of the metrics service: MetricsServiceImpl with the
// shipped rules file, over a real MetricsStore in a fresh temp directory,
// served in process on 127.0.0.1:0 and called through a real stub.
#include "services/metrics/metrics_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/metrics/metrics_store.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using Stub = v1::MetricsService::Stub;

constexpr char kServiceName[] = "fazhi.metrics.v1.MetricsService";
constexpr char kPutuo[] = "regions/310107";
constexpr char kBaoshan[] = "regions/310113";

using ::fazhi::testing::ViolatedFields;

v1::Indicator MakeIndicator(const std::string& code, const std::string& display_name,
                            v1::IndicatorKind kind, const std::string& unit_of_measure) {
  v1::Indicator indicator;
  indicator.set_code(code);
  indicator.set_display_name(display_name);
  indicator.set_unit_of_measure(unit_of_measure);
  indicator.set_kind(kind);
  indicator.set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
  return indicator;
}

v1::Observation MakeObservation(const std::string& code, const std::string& subject, int year,
                                int start_month, int end_month, const std::string& decimal,
                                const std::string& measure_word) {
  v1::Observation o;
  o.set_indicator("indicators/" + code);
  o.set_subject(subject);
  o.mutable_period()->set_year(year);
  o.mutable_period()->set_start_month(start_month);
  o.mutable_period()->set_end_month(end_month);
  o.mutable_quantity()->set_decimal(decimal);
  o.mutable_quantity()->set_measure_word(measure_word);
  return o;
}

class MetricsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = testing::ShippedRules();
    ASSERT_FALSE(rules_.version().empty()) << "the shipped rules file did not load";
    metrics_.Start([this](MetricsStore* store) {
      return std::make_unique<MetricsServiceImpl>(store, testing::TestAuthorizer(), rules_);
    });
    stub_ = v1::MetricsService::NewStub(metrics_.channel());
  }

  void TearDown() override {
    stub_.reset();
    metrics_.Stop();
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  absl::Status CreateIndicator(const v1::Indicator& indicator) {
    v1::CreateIndicatorRequest request;
    *request.mutable_indicator() = indicator;
    v1::Indicator response;
    return Call(&Stub::CreateIndicator, request, &response);
  }

  absl::Status Record(const v1::Observation& observation, const std::string& request_id,
                      v1::Observation* out = nullptr) {
    v1::RecordObservationRequest request;
    *request.mutable_observation() = observation;
    request.set_request_id(request_id);
    v1::Observation response;
    absl::Status s = Call(&Stub::RecordObservation, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  std::vector<v1::Observation> List(const std::string& subject, int year,
                                    const std::string& indicator = "") {
    v1::ListObservationsRequest request;
    request.set_subject(subject);
    request.set_year(year);
    request.set_indicator(indicator);
    std::vector<v1::Observation> all;
    for (int page = 0; page < 100; ++page) {
      v1::ListObservationsResponse response;
      absl::Status s = Call(&Stub::ListObservations, request, &response);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      all.insert(all.end(), response.observations().begin(), response.observations().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  absl::Status Snapshot(const std::string& subject, int year, v1::Snapshot* out) {
    v1::GetSnapshotRequest request;
    request.set_subject(subject);
    request.set_year(year);
    return Call(&Stub::GetSnapshot, request, out);
  }

  // The indicators of DOMAIN.md the tests use.
  void CreateIndicators() {
    for (const auto& indicator : {
             MakeIndicator("court_appearance_rate", "行政机关负责人出庭应诉率",
                           v1::INDICATOR_KIND_RATE, "%"),
             MakeIndicator("admin_reconsideration_received", "行政复议收到",
                           v1::INDICATOR_KIND_COUNT, "件"),
             MakeIndicator("admin_reconsideration_closed", "行政复议办结", v1::INDICATOR_KIND_COUNT,
                           "件"),
             MakeIndicator("enforcement_training_hours", "执法人员法治培训学时",
                           v1::INDICATOR_KIND_DURATION, "学时"),
             MakeIndicator("legal_aid_cases", "法律援助案件", v1::INDICATOR_KIND_COUNT, "件"),
         }) {
      absl::Status s = CreateIndicator(indicator);
      ASSERT_TRUE(s.ok()) << indicator.code() << ": " << s;
    }
    v1::Indicator rate = MakeIndicator("admin_reconsideration_closure_rate", "行政复议办结率",
                                       v1::INDICATOR_KIND_RATE, "%");
    rate.set_numerator_code("admin_reconsideration_closed");
    rate.set_denominator_code("admin_reconsideration_received");
    absl::Status s = CreateIndicator(rate);
    ASSERT_TRUE(s.ok()) << s;
  }

  static const v1::SnapshotEntry* EntryFor(const v1::Snapshot& snapshot, const std::string& code) {
    for (const auto& e : snapshot.entries()) {
      if (e.indicator().code() == code) return &e;
    }
    return nullptr;
  }

  testing::TempDir dir_;
  fazhi::rules::v1::RuleSet rules_;
  testing::InProcessService<MetricsStore, MetricsServiceImpl> metrics_{dir_.path(), kServiceName};
  std::unique_ptr<Stub> stub_;
};

TEST_F(MetricsServiceTest, CreatesAndGetsIndicators) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  v1::GetIndicatorRequest request;
  request.set_name("indicators/court_appearance_rate");
  v1::Indicator got;
  ASSERT_TRUE(Call(&Stub::GetIndicator, request, &got).ok());
  EXPECT_EQ(got.name(), "indicators/court_appearance_rate");
  EXPECT_EQ(got.display_name(), "行政机关负责人出庭应诉率");
  EXPECT_EQ(got.kind(), v1::INDICATOR_KIND_RATE);

  absl::Status s =
      CreateIndicator(MakeIndicator("court_appearance_rate", "重复", v1::INDICATOR_KIND_RATE, "%"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;

  v1::Indicator dangling =
      MakeIndicator("mediation_success_rate", "人民调解成功率", v1::INDICATOR_KIND_RATE, "%");
  dangling.set_numerator_code("mediation_succeeded");
  dangling.set_denominator_code("mediation_received");
  s = CreateIndicator(dangling);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("indicator.numerator_code"));
}

TEST_F(MetricsServiceTest, RetriedRecordWithTheSameRequestIdStoresOne) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  const auto observation =
      MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 11, "83.8", "%");
  v1::Observation first;
  absl::Status s = Record(observation, "req-putuo-court", &first);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_FALSE(first.name().empty());
  EXPECT_EQ(first.provenance().source(), fazhi::type::Provenance::SOURCE_TYPED_IN);

  v1::Observation second;
  s = Record(observation, "req-putuo-court", &second);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(second.name(), first.name());
  // The first result comes back as stored: the retry wrote nothing.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(second, first))
      << "first: " << first.DebugString() << "\nsecond: " << second.DebugString();

  const auto stored = List(kPutuo, 2020);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].name(), first.name());
}

TEST_F(MetricsServiceTest, RecordingTheSameIdentityReplacesTheValueUnderTheSameName) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  v1::Observation first;
  ASSERT_TRUE(
      Record(MakeObservation("legal_aid_cases", kPutuo, 2020, 1, 12, "1200", "件"), "", &first)
          .ok());
  v1::Observation corrected;
  ASSERT_TRUE(
      Record(MakeObservation("legal_aid_cases", kPutuo, 2020, 1, 12, "1250", "件"), "", &corrected)
          .ok());
  EXPECT_EQ(corrected.name(), first.name());
  EXPECT_EQ(corrected.quantity().decimal(), "1250");

  // A different period is a different observation.
  v1::Observation partial;
  ASSERT_TRUE(
      Record(MakeObservation("legal_aid_cases", kPutuo, 2020, 1, 6, "600", "件"), "", &partial)
          .ok());
  EXPECT_NE(partial.name(), first.name());

  const auto stored = List(kPutuo, 2020, "indicators/legal_aid_cases");
  ASSERT_EQ(stored.size(), 2u);
  std::map<std::string, std::string> decimal_of;
  for (const auto& o : stored) decimal_of[o.name()] = o.quantity().decimal();
  EXPECT_EQ(decimal_of[first.name()], "1250");
  EXPECT_EQ(decimal_of[partial.name()], "600");
}

TEST_F(MetricsServiceTest, UnknownIndicatorIsNotFoundNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  absl::Status s =
      Record(MakeObservation("mediation_success_rate", kPutuo, 2020, 1, 12, "98", "%"), "req-1");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("observation.indicator"));
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.resource_name(), "indicators/mediation_success_rate");
  EXPECT_TRUE(List(kPutuo, 2020).empty());
}

TEST_F(MetricsServiceTest, RateOver100IsInvalidArgument) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  absl::Status s =
      Record(MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 12, "100.5", "%"), "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("observation.quantity.decimal"));

  s = Record(MakeObservation("legal_aid_cases", kPutuo, 2020, 1, 12, "1.5", "件"), "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("observation.quantity.decimal"));
  EXPECT_TRUE(List(kPutuo, 2020).empty());
}

TEST_F(MetricsServiceTest, MalformedObservationNamesEveryField) {
  v1::Observation o =
      MakeObservation("court_appearance_rate", "district/310107", 2020, 6, 3, "83.8", "%");
  absl::Status s = Record(o, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s),
              UnorderedElementsAre("observation.subject", "observation.period.end_month"));
}

TEST_F(MetricsServiceTest, SnapshotJudgesPutuosPartialCourtAppearanceRateNotMet) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  // 截至11月底, Putuo's rate was 83.8%.
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 11, "83.8", "%"), "").ok());
  ASSERT_TRUE(
      Record(MakeObservation("admin_reconsideration_received", kPutuo, 2020, 1, 12, "348", "件"),
             "")
          .ok());
  ASSERT_TRUE(
      Record(MakeObservation("admin_reconsideration_closed", kPutuo, 2020, 1, 12, "340", "件"), "")
          .ok());
  // Noise that must not leak in: another year, another district.
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kPutuo, 2021, 1, 12, "100", "%"), "").ok());
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kBaoshan, 2020, 1, 12, "100", "%"), "").ok());

  v1::Snapshot snapshot;
  absl::Status s = Snapshot(kPutuo, 2020, &snapshot);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(snapshot.subject(), kPutuo);
  EXPECT_EQ(snapshot.year(), 2020);
  EXPECT_EQ(snapshot.rules_version(), rules_.version());

  const auto* court = EntryFor(snapshot, "court_appearance_rate");
  ASSERT_NE(court, nullptr);
  EXPECT_EQ(court->observation().quantity().decimal(), "83.8");
  EXPECT_EQ(court->observation().period().end_month(), 11);
  EXPECT_EQ(court->target().threshold(), "100");
  EXPECT_EQ(court->target().comparator(), v1::COMPARATOR_AT_LEAST);
  EXPECT_EQ(court->verdict(), v1::VERDICT_NOT_MET);
  EXPECT_EQ(court->difference(), "-16.2");
  EXPECT_TRUE(court->partial_period());

  const auto* rate = EntryFor(snapshot, "admin_reconsideration_closure_rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->observation().quantity().decimal(), "97.7");
  EXPECT_EQ(rate->verdict(), v1::VERDICT_MET);

  const auto* training = EntryFor(snapshot, "enforcement_training_hours");
  ASSERT_NE(training, nullptr);
  EXPECT_EQ(training->verdict(), v1::VERDICT_NO_DATA);
  EXPECT_FALSE(training->has_observation());

  EXPECT_EQ(EntryFor(snapshot, "legal_aid_cases"), nullptr) << "no value and no target: no entry";
}

TEST_F(MetricsServiceTest, SnapshotJudgesBaoshansFullYearRateMet) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kBaoshan, 2023, 1, 12, "100", "%"), "").ok());
  ASSERT_TRUE(
      Record(MakeObservation("enforcement_training_hours", kBaoshan, 2023, 1, 12, "48", "学时"), "")
          .ok());
  v1::Snapshot snapshot;
  ASSERT_TRUE(Snapshot(kBaoshan, 2023, &snapshot).ok());
  const auto* court = EntryFor(snapshot, "court_appearance_rate");
  ASSERT_NE(court, nullptr);
  EXPECT_EQ(court->verdict(), v1::VERDICT_MET);
  EXPECT_EQ(court->difference(), "0");
  EXPECT_FALSE(court->partial_period());

  const auto* training = EntryFor(snapshot, "enforcement_training_hours");
  ASSERT_NE(training, nullptr);
  EXPECT_EQ(training->verdict(), v1::VERDICT_NOT_MET);
  EXPECT_EQ(training->difference(), "-12");
}

TEST_F(MetricsServiceTest, SnapshotPrefersTheFullYearObservation) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 11, "83.8", "%"), "").ok());
  ASSERT_TRUE(
      Record(MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 12, "100", "%"), "").ok());
  v1::Snapshot snapshot;
  ASSERT_TRUE(Snapshot(kPutuo, 2020, &snapshot).ok());
  const auto* court = EntryFor(snapshot, "court_appearance_rate");
  ASSERT_NE(court, nullptr);
  EXPECT_EQ(court->observation().quantity().decimal(), "100");
  EXPECT_EQ(court->verdict(), v1::VERDICT_MET);
  EXPECT_FALSE(court->partial_period());
}

// The store keeps the indicator set in memory; an indicator created after a
// snapshot has read that set still shows in the next snapshot.
TEST_F(MetricsServiceTest, SnapshotSeesAnIndicatorCreatedAfterTheLastSnapshot) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  v1::Snapshot before;
  ASSERT_TRUE(Snapshot(kPutuo, 2020, &before).ok());
  ASSERT_EQ(EntryFor(before, "notarized_matters"), nullptr);

  ASSERT_TRUE(CreateIndicator(
                  MakeIndicator("notarized_matters", "公证事项", v1::INDICATOR_KIND_COUNT, "件"))
                  .ok());
  ASSERT_TRUE(
      Record(MakeObservation("notarized_matters", kPutuo, 2020, 1, 12, "9918", "件"), "").ok());
  v1::Snapshot after;
  ASSERT_TRUE(Snapshot(kPutuo, 2020, &after).ok());
  const auto* notarized = EntryFor(after, "notarized_matters");
  ASSERT_NE(notarized, nullptr);
  EXPECT_EQ(notarized->observation().quantity().decimal(), "9918");
  EXPECT_EQ(notarized->indicator().display_name(), "公证事项");
}

TEST_F(MetricsServiceTest, SnapshotRejectsABadRequest) {
  v1::Snapshot snapshot;
  absl::Status s = Snapshot("310107", 0, &snapshot);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), UnorderedElementsAre("subject", "year"));
}

TEST_F(MetricsServiceTest, ListTargetsReturnsTheRulesFile) {
  v1::ListTargetsResponse response;
  ASSERT_TRUE(Call(&Stub::ListTargets, v1::ListTargetsRequest(), &response).ok());
  EXPECT_EQ(response.rules_version(), rules_.version());
  ASSERT_EQ(response.targets_size(), rules_.targets_size());
  ASSERT_GT(response.targets_size(), 0);
  for (int i = 0; i < response.targets_size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(response.targets(i), rules_.targets(i)))
        << response.targets(i).DebugString();
  }
  // The two targets the domain brief names.
  std::map<std::string, v1::Target> by_indicator;
  for (const auto& t : response.targets()) by_indicator[t.indicator()] = t;
  EXPECT_EQ(by_indicator["indicators/court_appearance_rate"].threshold(), "100");
  EXPECT_EQ(by_indicator["indicators/enforcement_training_hours"].threshold(), "60");
  EXPECT_EQ(by_indicator["indicators/litigation_loss_rate"].comparator(), v1::COMPARATOR_AT_MOST);
}

TEST_F(MetricsServiceTest, ListObservationsBySubjectAndYear) {
  ASSERT_NO_FATAL_FAILURE(CreateIndicators());
  std::map<std::string, std::string> name_of;
  for (const auto& [label, o] : std::vector<std::pair<std::string, v1::Observation>>{
           {"putuo-2020-court",
            MakeObservation("court_appearance_rate", kPutuo, 2020, 1, 11, "83.8", "%")},
           {"putuo-2020-aid",
            MakeObservation("legal_aid_cases", kPutuo, 2020, 1, 12, "1200", "件")},
           {"putuo-2021-court",
            MakeObservation("court_appearance_rate", kPutuo, 2021, 1, 12, "100", "%")},
           {"baoshan-2020-court",
            MakeObservation("court_appearance_rate", kBaoshan, 2020, 1, 12, "100", "%")},
           {"unit-2020-aid",
            MakeObservation("legal_aid_cases", "units/310107-justice", 2020, 1, 12, "900", "件")},
       }) {
    v1::Observation recorded;
    absl::Status s = Record(o, "", &recorded);
    ASSERT_TRUE(s.ok()) << label << ": " << s;
    name_of[label] = recorded.name();
  }
  auto names = [](const std::vector<v1::Observation>& list) {
    std::vector<std::string> out;
    for (const auto& o : list) out.push_back(o.name());
    return out;
  };
  // Ordered by year, indicator code, period.
  EXPECT_THAT(names(List(kPutuo, 2020)),
              ElementsAre(name_of["putuo-2020-court"], name_of["putuo-2020-aid"]));
  EXPECT_THAT(names(List(kPutuo, 0)),
              ElementsAre(name_of["putuo-2020-court"], name_of["putuo-2020-aid"],
                          name_of["putuo-2021-court"]));
  EXPECT_THAT(names(List(kPutuo, 2020, "indicators/legal_aid_cases")),
              ElementsAre(name_of["putuo-2020-aid"]));
  EXPECT_THAT(names(List(kBaoshan, 2020)), ElementsAre(name_of["baoshan-2020-court"]));
  EXPECT_THAT(names(List("units/310107-justice", 2020)), ElementsAre(name_of["unit-2020-aid"]));
  EXPECT_TRUE(List(kBaoshan, 2021).empty());

  // Paging one at a time visits the same observations.
  v1::ListObservationsRequest request;
  request.set_subject(kPutuo);
  request.set_page_size(1);
  std::vector<std::string> paged;
  for (int page = 0; page < 10; ++page) {
    v1::ListObservationsResponse response;
    ASSERT_TRUE(Call(&Stub::ListObservations, request, &response).ok());
    for (const auto& o : response.observations()) paged.push_back(o.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(paged, ElementsAre(name_of["putuo-2020-court"], name_of["putuo-2020-aid"],
                                 name_of["putuo-2021-court"]));
}

}  // namespace
}  // namespace fazhi::metrics
