// Integration tests of PublishReportFigures: a real report server publishing
// to a real metrics server, both on 127.0.0.1:0 over RocksDB in temp
// directories, with the demo indicators and the real seed texts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "fazhi/ctl/v1/import_file.pb.h"
#include "google/protobuf/text_format.h"
#include "tests/metrics/metrics_fixture.h"
#include "tests/report/report_server.h"

namespace fazhi::report {
namespace {

namespace mv1 = fazhi::metrics::v1;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using MetricsStub = metrics::MetricsServerTest::Stub;
using ReportStub = TestReportServer::Stub;

constexpr char kBaoshan[] = "regions/310113";
// What the shipped rules (2026-12-08.2) accept in Baoshan's 2023 report: the
// eight figures of the seed golden set of rules .1, and 制发规范性文件4件.
constexpr int kBaoshanAccepted = 9;

// The accepted figures of a filed report, by indicator code.
std::map<std::string, v1::ExtractedFigure> AcceptedByIndicator(const v1::Report& report) {
  std::map<std::string, v1::ExtractedFigure> out;
  for (const auto& f : report.figures()) {
    if (f.confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED) out[f.indicator()] = f;
  }
  return out;
}

int Candidates(const v1::Report& report) {
  int n = 0;
  for (const auto& f : report.figures()) n += f.confidence() == v1::FIGURE_CONFIDENCE_CANDIDATE;
  return n;
}

class ReportPublishingTest : public metrics::MetricsServerTest {
 protected:
  void SetUp() override {
    MetricsServerTest::SetUp();
    DefineDemoIndicators();
    report_.Start(DialBackend(target(), testing::TestChannelSecurity(testing::kTestReportService)));
  }

  void TearDown() override {
    report_.Stop();
    MetricsServerTest::TearDown();
  }

  // The indicators of data/demo, as fazhictl import defines them.
  void DefineDemoIndicators() {
    fazhi::ctl::v1::ImportFile file;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        testing::ReadFile(std::string(FAZHI_SOURCE_DIR) + "/data/demo/30-indicators.textproto"),
        &file));
    ASSERT_FALSE(file.indicators().empty());
    for (const auto& indicator : file.indicators()) {
      mv1::CreateIndicatorRequest request;
      *request.mutable_indicator() = indicator;
      mv1::Indicator created;
      absl::Status s = Call(&MetricsStub::CreateIndicator, request, &created);
      ASSERT_TRUE(s.ok()) << s;
    }
  }

  absl::Status Publish(const std::string& name, v1::PublishReportFiguresResponse* out) {
    v1::PublishReportFiguresRequest request;
    request.set_name(name);
    return report_.Call(&ReportStub::PublishReportFigures, request, out);
  }

  std::vector<mv1::Observation> Observations(const std::string& subject, int year) {
    mv1::ListObservationsRequest request;
    request.set_subject(subject);
    request.set_year(year);
    mv1::ListObservationsResponse response;
    absl::Status s = Call(&MetricsStub::ListObservations, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return {response.observations().begin(), response.observations().end()};
  }

  std::map<std::string, mv1::Observation> ObservationsByIndicator(const std::string& subject,
                                                                  int year) {
    std::map<std::string, mv1::Observation> out;
    for (auto& o : Observations(subject, year)) out[o.indicator()] = o;
    return out;
  }

  testing::TempDir report_dir_;
  TestReportServer report_{report_dir_.path()};
};

TEST_F(ReportPublishingTest, PublishesTheBaoshanReportsAcceptedValuesWithProvenance) {
  const v1::Report filed = report_.Submit(Baoshan2023Report());
  const auto accepted = AcceptedByIndicator(filed);
  ASSERT_THAT(accepted, SizeIs(kBaoshanAccepted));

  v1::PublishReportFiguresResponse published;
  absl::Status s = Publish(filed.name(), &published);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(published.report(), filed.name());
  EXPECT_EQ(published.version(), 1);
  EXPECT_EQ(published.subject(), kBaoshan);
  EXPECT_EQ(published.recorded_count(), kBaoshanAccepted);
  EXPECT_EQ(published.rejected_count(), 0);
  ASSERT_THAT(published.figures(), SizeIs(kBaoshanAccepted));
  for (const auto& figure : published.figures()) {
    EXPECT_EQ(figure.outcome(), v1::PublishedFigure::OUTCOME_RECORDED) << figure.indicator();
    EXPECT_EQ(filed.figures(figure.figure_index()).indicator(), figure.indicator());
  }

  const auto stored = ObservationsByIndicator(kBaoshan, 2023);
  ASSERT_THAT(stored, SizeIs(kBaoshanAccepted));
  for (const auto& [code, figure] : accepted) {
    const auto it = stored.find("indicators/" + code);
    ASSERT_NE(it, stored.end()) << code;
    const mv1::Observation& o = it->second;
    EXPECT_EQ(o.quantity().decimal(), figure.quantity().decimal()) << code;
    EXPECT_EQ(o.period().end_month(), figure.period().end_month()) << code;
    const auto& provenance = o.provenance();
    EXPECT_EQ(provenance.source(), fazhi::type::Provenance::SOURCE_EXTRACTED_FROM_REPORT);
    EXPECT_EQ(provenance.report(), filed.name());
    EXPECT_EQ(provenance.report_version(), 1);
    // The filer, published through the report service (the fixture's
    // caller is the test administrator).
    EXPECT_EQ(provenance.recorded_by(),
              absl::StrCat(testing::kTestAdmin, " via ", testing::kTestReportService));
    // The span points at the figure as written in that version's text.
    EXPECT_EQ(provenance.span_begin(), figure.begin());
    EXPECT_EQ(provenance.span_end(), figure.end());
    EXPECT_EQ(
        text::SubstrByCodePoints(filed.text(), provenance.span_begin(), provenance.span_end()),
        figure.quantity().text())
        << code;
    EXPECT_THAT(provenance.excerpt(), HasSubstr(figure.quantity().text())) << code;
  }
  EXPECT_EQ(stored.at("indicators/court_appearance_rate").quantity().decimal(), "100");
  EXPECT_EQ(stored.at("indicators/enforcement_training_hours").quantity().qualifier(),
            fazhi::type::QUALIFIER_AT_LEAST);
}

// A statistical year and a 1—10月 total reach metrics with the periods the
// report states, and the spans of their figures.
TEST_F(ReportPublishingTest, PeriodsAreStoredExactlyAsStated) {
  v1::Report report = Baoshan2023Report();
  report.set_text(
      "宝山区2023年法治政府建设情况报告\n"
      "区法律援助中心对2022年8月至2023年7月的工作情况作了统计。"
      "统计年度内，中心共受理法律援助案件3,412件。\n"
      "1—10月，全区各级人民调解组织共受理矛盾纠纷1.02万件。\n");
  const v1::Report filed = report_.Submit(report);
  const auto accepted = AcceptedByIndicator(filed);
  ASSERT_EQ(accepted.count("legal_aid_cases"), 1u);
  ASSERT_EQ(accepted.count("mediation_accepted"), 1u);
  v1::PublishReportFiguresResponse published;
  const absl::Status s = Publish(filed.name(), &published);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(published.recorded_count(), static_cast<int>(accepted.size()));

  // The statistical year is listed under the year it starts in.
  const auto of_2022 = ObservationsByIndicator(kBaoshan, 2022);
  const auto of_2023 = ObservationsByIndicator(kBaoshan, 2023);
  ASSERT_EQ(of_2022.count("indicators/legal_aid_cases"), 1u);
  ASSERT_EQ(of_2023.count("indicators/mediation_accepted"), 1u);
  EXPECT_EQ(of_2023.count("indicators/legal_aid_cases"), 0u);
  const mv1::Observation& statistical_year = of_2022.at("indicators/legal_aid_cases");
  const mv1::Observation& to_october = of_2023.at("indicators/mediation_accepted");
  EXPECT_EQ(statistical_year.quantity().decimal(), "3412");
  EXPECT_EQ(statistical_year.period().year(), 2022);
  EXPECT_EQ(statistical_year.period().start_month(), 8);
  EXPECT_EQ(statistical_year.period().end_year(), 2023);
  EXPECT_EQ(statistical_year.period().end_month(), 7);
  EXPECT_EQ(to_october.quantity().decimal(), "10200");
  EXPECT_EQ(to_october.period().year(), 2023);
  EXPECT_EQ(to_october.period().start_month(), 1);
  EXPECT_EQ(to_october.period().end_year(), 0);
  EXPECT_EQ(to_october.period().end_month(), 10);
  for (const auto* o : {&statistical_year, &to_october}) {
    const std::string code = std::string(o->indicator()).substr(sizeof("indicators/") - 1);
    const v1::ExtractedFigure& figure = accepted.at(code);
    EXPECT_EQ(o->provenance().span_begin(), figure.begin()) << code;
    EXPECT_EQ(o->provenance().span_end(), figure.end()) << code;
    EXPECT_EQ(text::SubstrByCodePoints(filed.text(), o->provenance().span_begin(),
                                       o->provenance().span_end()),
              figure.quantity().text())
        << code;
  }
}

// The reporter's figures reach metrics as theirs, published through the
// report service, which metrics checked as itself and for the reporter.
TEST_F(ReportPublishingTest, TheReportersFiguresAreRecordedAsTheirsViaTheReportService) {
  auto reporter =
      v1::ReportService::NewStub(testing::Connect(report_.target(), testing::kTestBaoshanReporter));
  v1::SubmitReportRequest submit;
  *submit.mutable_report() = Baoshan2023Report();
  v1::Report filed;
  absl::Status s = testing::CallUnary(reporter.get(), &ReportStub::SubmitReport, submit, &filed);
  ASSERT_TRUE(s.ok()) << s;
  v1::PublishReportFiguresRequest publish;
  publish.set_name(filed.name());
  v1::PublishReportFiguresResponse published;
  s = testing::CallUnary(reporter.get(), &ReportStub::PublishReportFigures, publish, &published);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_GT(published.recorded_count(), 0);

  const auto stored = Observations(kBaoshan, 2023);
  ASSERT_EQ(stored.size(), static_cast<size_t>(published.recorded_count()));
  for (const auto& o : stored) {
    EXPECT_EQ(o.provenance().recorded_by(),
              absl::StrCat(testing::kTestBaoshanReporter, " via ", testing::kTestReportService))
        << o.indicator();
  }
  // The report store audited the filing once; publishing changed nothing of it.
  auto entries = report_.store()->audit_trail()->EntriesAfter(0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].principal(), testing::kTestBaoshanReporter);
}

TEST_F(ReportPublishingTest, PublishingTwiceRecordsNothingTwice) {
  const v1::Report filed = report_.Submit(Baoshan2023Report());
  v1::PublishReportFiguresResponse first, second;
  ASSERT_TRUE(Publish(filed.name(), &first).ok());
  ASSERT_EQ(first.recorded_count(), kBaoshanAccepted);
  ASSERT_TRUE(Publish(filed.name(), &second).ok());
  EXPECT_EQ(second.unchanged_count(), kBaoshanAccepted);
  EXPECT_EQ(second.recorded_count() + second.updated_count() + second.rejected_count(), 0);
  EXPECT_THAT(second.withdrawn(), IsEmpty());
  const auto stored = Observations(kBaoshan, 2023);
  EXPECT_THAT(stored, SizeIs(kBaoshanAccepted));
  for (const auto& o : stored) EXPECT_THAT(History(o.name()), SizeIs(1)) << o.indicator();
}

TEST_F(ReportPublishingTest, ANewVersionReplacesWhatTheOldVersionGave) {
  const v1::Report first = report_.Submit(Baoshan2023Report());
  v1::PublishReportFiguresResponse published;
  ASSERT_TRUE(Publish(first.name(), &published).ok());
  const auto before = ObservationsByIndicator(kBaoshan, 2023);
  ASSERT_THAT(before, SizeIs(kBaoshanAccepted));

  // Version 2: one value changed, one figure no longer given.
  v1::Report revised = Baoshan2023Report();
  revised.set_text(absl::StrReplaceAll(
      revised.text(), {{"受理纠纷21267件", "受理纠纷21300件"}, {"共计20件重大决策", "重大决策"}}));
  const v1::Report second = report_.Submit(revised);
  ASSERT_EQ(second.name(), first.name());
  ASSERT_EQ(second.version(), 2);
  const auto accepted = AcceptedByIndicator(second);
  ASSERT_EQ(accepted.count("major_decisions_listed"), 0u);
  ASSERT_EQ(accepted.at("mediation_accepted").quantity().decimal(), "21300");

  ASSERT_TRUE(Publish(second.name(), &published).ok());
  EXPECT_EQ(published.version(), 2);
  EXPECT_EQ(published.recorded_count(), 0);
  // Every value still given now cites version 2.
  EXPECT_EQ(published.updated_count(), kBaoshanAccepted - 1);
  const std::string decisions = before.at("indicators/major_decisions_listed").name();
  EXPECT_THAT(published.withdrawn(), ::testing::ElementsAre(decisions));

  const auto after = ObservationsByIndicator(kBaoshan, 2023);
  ASSERT_THAT(after, SizeIs(kBaoshanAccepted - 1));
  const mv1::Observation& changed = after.at("indicators/mediation_accepted");
  EXPECT_EQ(changed.name(), before.at("indicators/mediation_accepted").name());
  EXPECT_EQ(changed.quantity().decimal(), "21300");
  EXPECT_EQ(changed.provenance().report_version(), 2);
  const auto history = History(changed.name());
  ASSERT_THAT(history, SizeIs(2));
  EXPECT_EQ(history[0].observation().quantity().decimal(), "21267");  // old value kept
  EXPECT_EQ(history[0].observation().provenance().report_version(), 1);
  EXPECT_EQ(history[1].action(), mv1::REVISION_ACTION_CORRECTED);
  EXPECT_THAT(history[1].reason(), HasSubstr(first.name() + " version 2"));

  const auto withdrawn = History(decisions);
  ASSERT_THAT(withdrawn, SizeIs(2));
  EXPECT_EQ(withdrawn[0].observation().quantity().decimal(), "20");
  EXPECT_EQ(withdrawn[1].action(), mv1::REVISION_ACTION_DELETED);
  EXPECT_THAT(withdrawn[1].reason(), HasSubstr("version 2"));

  // Publishing version 2 again changes nothing.
  ASSERT_TRUE(Publish(second.name(), &published).ok());
  EXPECT_EQ(published.unchanged_count(), kBaoshanAccepted - 1);
  EXPECT_THAT(published.withdrawn(), IsEmpty());
}

TEST_F(ReportPublishingTest, CandidatesAreNeverPublished) {
  v1::Report report = Baoshan2023Report();
  // Claimed by both the reconsideration and the litigation patterns: two
  // candidates, neither a fact.
  report.set_text(report.text() + "\n共收到行政复议和行政诉讼案件420件。\n");
  const v1::Report filed = report_.Submit(report);
  ASSERT_EQ(Candidates(filed), 2);
  v1::PublishReportFiguresResponse published;
  ASSERT_TRUE(Publish(filed.name(), &published).ok());
  EXPECT_EQ(published.candidates_not_published(), 2);
  EXPECT_THAT(published.figures(), SizeIs(kBaoshanAccepted));
  for (const auto& figure : published.figures()) {
    EXPECT_EQ(filed.figures(figure.figure_index()).confidence(), v1::FIGURE_CONFIDENCE_ACCEPTED);
  }
  const auto stored = ObservationsByIndicator(kBaoshan, 2023);
  EXPECT_THAT(stored, SizeIs(kBaoshanAccepted));
  EXPECT_EQ(stored.count("indicators/admin_reconsideration_received"), 0u);
  EXPECT_EQ(stored.count("indicators/admin_litigation_received"), 0u);
}

TEST_F(ReportPublishingTest, MetricsDownIsUnavailableNamingItAndNothingIsWritten) {
  const v1::Report filed = report_.Submit(Baoshan2023Report());
  Stop();  // the metrics server goes away
  v1::PublishReportFiguresResponse published;
  const absl::Status status = Publish(filed.name(), &published);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("metrics service"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(errors::GetDetail(status, &info)) << status;
  EXPECT_EQ(info.reason(), "METRICS_UNAVAILABLE");

  Start();  // same store, back again: nothing was half-done
  EXPECT_THAT(Observations(kBaoshan, 2023), IsEmpty());
}

TEST_F(ReportPublishingTest, UnknownReportIsNotFound) {
  v1::PublishReportFiguresResponse published;
  EXPECT_EQ(Publish("reports/nothing-here", &published).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Publish("nothing-here", &published).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fazhi::report
