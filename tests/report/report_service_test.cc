// Integration tests of the report service: ReportServiceImpl with the
// shipped rules file, over a real ReportStore in a fresh temp directory,
// served in process on 127.0.0.1:0 and called through a real stub, with the
// real seed texts.
#include "services/report/report_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/storage/key_codec.h"
#include "common/storage/page_token.h"
#include "common/text/utf8.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/report/report_analysis.h"
#include "services/report/report_search.h"
#include "services/report/report_store.h"
#include "services/report/search_hits.h"
#include "tests/report/filer_catalogue.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Stub = v1::ReportService::Stub;

constexpr char kServiceName[] = "fazhi.report.v1.ReportService";
constexpr char kBaoshan2023[] = "002_4f28ee6da608f1e8.txt";
constexpr char kPutuo2020[] = "004_e0cd47a7b08ce18d.txt";
constexpr char kYangpuCase[] = "001_e4eb8e5b584018fc.txt";

using ::fazhi::testing::ViolatedFields;

v1::Report MakeReport(const std::string& filer, const std::string& region, int year,
                      const std::string& text) {
  v1::Report report;
  report.set_filer(filer);
  report.set_region(region);
  report.set_year(year);
  report.set_text(text);
  return report;
}

v1::Report Baoshan2023() {
  v1::Report report = MakeReport("units/310113-government", "regions/310113", 2023,
                                 testing::ReadSeed(kBaoshan2023));
  report.mutable_submitted_date()->set_year(2024);
  report.mutable_submitted_date()->set_month(3);
  report.mutable_submitted_date()->set_day(20);
  return report;
}

v1::Report Putuo2020() {
  return MakeReport("units/310107-justice", "regions/310107", 2020, testing::ReadSeed(kPutuo2020));
}

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = testing::ShippedRules();
    ASSERT_FALSE(rules_.version().empty()) << "the shipped rules file did not load";
    auto store = ReportStore::Open(testing::TestStoreOptions(dir_.path()));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    catalogue_.Start();
    service_ = std::make_unique<ReportServiceImpl>(store_.get(), testing::TestAuthorizer(), rules_,
                                                   MetricsBackend{}, catalogue_.Backend());
    server_ = testing::StartInProcess(service_.get(), kServiceName);
    stub_ = v1::ReportService::NewStub(testing::Connect(server_->target()));
  }

  void TearDown() override {
    stub_.reset();
    if (server_ != nullptr) server_->Shutdown();
    server_.reset();
    service_.reset();
    if (store_ != nullptr) {
      EXPECT_TRUE(store_->Close().ok());
    }
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  absl::Status Submit(const v1::Report& report, const std::string& request_id,
                      v1::Report* out = nullptr, const std::string& report_id = "") {
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    request.set_request_id(request_id);
    request.set_report_id(report_id);
    v1::Report response;
    absl::Status s = Call(&Stub::SubmitReport, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  absl::Status Get(const std::string& name, v1::Report* out) {
    v1::GetReportRequest request;
    request.set_name(name);
    return Call(&Stub::GetReport, request, out);
  }

  // Every report matching the query, following page tokens (bounded).
  std::vector<v1::Report> ListAll(v1::ListReportsRequest request) {
    std::vector<v1::Report> all;
    for (int page = 0; page < 100; ++page) {
      v1::ListReportsResponse response;
      absl::Status s = Call(&Stub::ListReports, request, &response);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      all.insert(all.end(), response.reports().begin(), response.reports().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  static std::vector<std::string> Names(const std::vector<v1::Report>& reports) {
    std::vector<std::string> names;
    for (const auto& r : reports) names.push_back(r.name());
    return names;
  }

  testing::TempDir dir_;
  FilerCatalogue catalogue_;
  fazhi::rules::v1::RuleSet rules_;
  std::unique_ptr<ReportStore> store_;
  std::unique_ptr<ReportServiceImpl> service_;
  std::unique_ptr<server::ServerRunner> server_;
  std::unique_ptr<Stub> stub_;
};

TEST_F(ReportServiceTest, SubmitsTheBaoshanReportAndGetsItBackWithSectionsAndParts) {
  const v1::Report in = Baoshan2023();
  v1::Report submitted;
  absl::Status s = Submit(in, "", &submitted);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_FALSE(submitted.name().empty());
  EXPECT_EQ(submitted.kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_EQ(submitted.rules_version(), rules_.version());
  EXPECT_TRUE(submitted.has_submit_time());

  v1::Report got;
  s = Get(submitted.name(), &got);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got, submitted))
      << "Get returns what Submit stored";
  EXPECT_EQ(got.text(), in.text()) << "Get returns the full text";
  EXPECT_EQ(got.filer(), "units/310113-government");
  EXPECT_EQ(got.region(), "regions/310113");
  EXPECT_EQ(got.year(), 2023);

  // Sections: the four top-level headings of the text with their subheadings.
  std::vector<std::string> top_titles;
  std::set<v1::ReportPart> parts_of_headings;
  int subsections = 0;
  for (const auto& section : got.sections()) {
    if (section.level() == 1) {
      top_titles.push_back(section.title());
      if (section.part() != v1::REPORT_PART_UNSPECIFIED) parts_of_headings.insert(section.part());
    } else {
      ++subsections;
      EXPECT_EQ(section.part(), v1::REPORT_PART_UNSPECIFIED) << section.title();
    }
  }
  EXPECT_THAT(
      top_titles,
      ElementsAre("2023年法治政府建设主要举措和成效", "2023年推进法治政府建设存在的不足和原因",
                  "主要负责人履行法治政府建设第一责任人职责、加强法治政府建设的工作情况",
                  "2024年推进法治政府建设的主要安排"));
  EXPECT_GT(subsections, 0);

  // parts_present is exactly the parts the top-level headings stand for.
  std::set<v1::ReportPart> present;
  for (int p : got.parts_present()) present.insert(static_cast<v1::ReportPart>(p));
  EXPECT_EQ(present, parts_of_headings);
  EXPECT_TRUE(present.count(v1::REPORT_PART_MEASURES_AND_RESULTS));
  EXPECT_TRUE(present.count(v1::REPORT_PART_SHORTCOMINGS));
  EXPECT_TRUE(present.count(v1::REPORT_PART_LEADERS_DUTY));

  EXPECT_EQ(got.submission_timeliness(), v1::TIMELINESS_ON_TIME);
  EXPECT_EQ(got.publication_timeliness(), v1::TIMELINESS_UNKNOWN);
}

TEST_F(ReportServiceTest, SubmitsEverySeedReportWithItsKind) {
  v1::Report putuo;
  ASSERT_TRUE(Submit(Putuo2020(), "", &putuo).ok());
  EXPECT_EQ(putuo.kind(), v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  EXPECT_THAT(putuo.parts_missing(), ::testing::Contains(v1::REPORT_PART_LEADERS_DUTY));

  v1::Report yangpu;
  ASSERT_TRUE(Submit(MakeReport("units/310110-government", "regions/310110", 2023,
                                testing::ReadSeed(kYangpuCase)),
                     "", &yangpu)
                  .ok());
  EXPECT_EQ(yangpu.kind(), v1::REPORT_KIND_CASE_STUDY);
  EXPECT_THAT(yangpu.parts_missing(), IsEmpty());
  EXPECT_EQ(yangpu.submission_timeliness(), v1::TIMELINESS_NOT_APPLICABLE);
  EXPECT_NE(yangpu.name(), putuo.name());
}

TEST_F(ReportServiceTest, RetryWithTheSameRequestIdReturnsTheSameReport) {
  v1::Report first;
  ASSERT_TRUE(Submit(Baoshan2023(), "req-baoshan-2023", &first).ok());
  v1::Report second;
  ASSERT_TRUE(Submit(Baoshan2023(), "req-baoshan-2023", &second).ok());
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.submit_time().seconds(), first.submit_time().seconds());
  EXPECT_EQ(second.submit_time().nanos(), first.submit_time().nanos());

  v1::ListReportsRequest request;
  request.set_region("regions/310113");
  EXPECT_THAT(Names(ListAll(request)), ElementsAre(first.name()));

  // Another request id is another submission: of the same filer, year and
  // kind, so the report's next version, and the one listed.
  v1::Report third;
  ASSERT_TRUE(Submit(Baoshan2023(), "req-baoshan-2023-again", &third).ok());
  EXPECT_EQ(third.name(), first.name());
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(third.version(), 2);
  const auto listed = ListAll(request);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].version(), 2);

  // The first request id, retried now, still answers with the version it made.
  v1::Report retried;
  ASSERT_TRUE(Submit(Baoshan2023(), "req-baoshan-2023", &retried).ok());
  EXPECT_EQ(retried.version(), 1);
}

TEST_F(ReportServiceTest, ListReportsByRegionAndYearOmitsTheText) {
  v1::Report baoshan_2023, baoshan_2022, putuo_2020, putuo_2023;
  ASSERT_TRUE(Submit(Baoshan2023(), "", &baoshan_2023).ok());
  v1::Report earlier = Baoshan2023();
  earlier.set_year(2022);
  ASSERT_TRUE(Submit(earlier, "", &baoshan_2022).ok());
  ASSERT_TRUE(Submit(Putuo2020(), "", &putuo_2020).ok());
  v1::Report putuo_later = Putuo2020();
  putuo_later.set_year(2023);
  ASSERT_TRUE(Submit(putuo_later, "", &putuo_2023).ok());

  v1::ListReportsRequest request;
  request.set_region("regions/310113");
  request.set_year(2023);
  const auto listed = ListAll(request);
  ASSERT_THAT(Names(listed), ElementsAre(baoshan_2023.name()));
  EXPECT_THAT(listed[0].text(), IsEmpty()) << "list results leave the text out";
  EXPECT_EQ(listed[0].kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_EQ(listed[0].sections_size(), baoshan_2023.sections_size());
  EXPECT_EQ(listed[0].parts_present_size(), baoshan_2023.parts_present_size());

  request.set_year(0);
  EXPECT_THAT(Names(ListAll(request)),
              UnorderedElementsAre(baoshan_2023.name(), baoshan_2022.name()));

  v1::ListReportsRequest by_year;
  by_year.set_year(2023);
  EXPECT_THAT(Names(ListAll(by_year)),
              UnorderedElementsAre(baoshan_2023.name(), putuo_2023.name()));

  v1::ListReportsRequest by_filer;
  by_filer.set_filer("units/310107-justice");
  EXPECT_THAT(Names(ListAll(by_filer)), UnorderedElementsAre(putuo_2020.name(), putuo_2023.name()));
  by_filer.set_year(2020);
  EXPECT_THAT(Names(ListAll(by_filer)), ElementsAre(putuo_2020.name()));

  v1::ListReportsRequest everything;
  const auto all = ListAll(everything);
  EXPECT_EQ(all.size(), 4u);
  for (const auto& r : all) EXPECT_THAT(r.text(), IsEmpty()) << r.name();

  v1::ListReportsRequest none;
  none.set_region("regions/310101");
  EXPECT_THAT(ListAll(none), IsEmpty());
}

TEST_F(ReportServiceTest, ListReportsPagesWithoutRepeatsAndBindsTheToken) {
  std::set<std::string> submitted;
  for (int i = 0; i < 7; ++i) {
    v1::Report report = MakeReport(absl::StrCat("units/310113-dept-", i), "regions/310113", 2023,
                                   absl::StrCat("宝山区第", i,
                                                "局法治政府建设情况报告\n"
                                                "一、主要举措和成效\n办结行政复议",
                                                300 + i, "件。\n"));
    v1::Report out;
    absl::Status s = Submit(report, "", &out);
    ASSERT_TRUE(s.ok()) << s;
    submitted.insert(out.name());
  }
  ASSERT_TRUE(Submit(Putuo2020(), "").ok());  // Another region: not listed.

  v1::ListReportsRequest request;
  request.set_region("regions/310113");
  request.set_year(2023);
  request.set_page_size(3);
  std::vector<int> page_sizes;
  std::vector<std::string> seen;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    v1::ListReportsResponse response;
    absl::Status s = Call(&Stub::ListReports, request, &response);
    ASSERT_TRUE(s.ok()) << s;
    page_sizes.push_back(response.reports_size());
    for (const auto& r : response.reports()) seen.push_back(r.name());
    if (response.next_page_token().empty()) break;
    if (first_token.empty()) first_token = response.next_page_token();
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 1));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), submitted);
  EXPECT_EQ(seen.size(), submitted.size()) << "no report twice";

  v1::ListReportsRequest other;
  other.set_region("regions/310113");
  other.set_year(2022);
  other.set_page_size(3);
  other.set_page_token(first_token);
  v1::ListReportsResponse response;
  absl::Status s = Call(&Stub::ListReports, other, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("page_token"));
}

TEST_F(ReportServiceTest, UnknownReportIsNotFoundWithResourceInfo) {
  v1::Report got;
  absl::Status s = Get("reports/r2023-404", &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.resource_type(), "Report");
  EXPECT_EQ(info.resource_name(), "reports/r2023-404");

  s = Get("reports/Not_An_Id", &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("name"));
}

TEST_F(ReportServiceTest, ChosenIdIsKeptAndATakenOneIsAlreadyExists) {
  v1::Report first;
  ASSERT_TRUE(Submit(Putuo2020(), "", &first, "310107-justice-2020").ok());
  EXPECT_EQ(first.name(), "reports/310107-justice-2020");
  absl::Status s = Submit(Baoshan2023(), "", nullptr, "310107-justice-2020");
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  v1::Report got;
  ASSERT_TRUE(Get(first.name(), &got).ok());
  EXPECT_EQ(got.filer(), "units/310107-justice") << "the first report is untouched";
}

// Generated ids ("r{year}-{n}") share the id space with client-chosen ones:
// a client may choose "r2020-1", and a later submission without an id must
// still get a fresh id rather than ALREADY_EXISTS for an id it never sent.
TEST_F(ReportServiceTest, GeneratedReportIdDoesNotCollideWithAChosenOne) {
  v1::Report chosen;
  ASSERT_TRUE(Submit(Putuo2020(), "", &chosen, "r2020-1").ok());
  ASSERT_EQ(chosen.name(), "reports/r2020-1");
  std::set<std::string> names = {chosen.name()};
  // Other kinds of report for the same filer and year: new reports, not
  // versions of the chosen one.
  const v1::ReportKind kinds[] = {v1::REPORT_KIND_OTHER, v1::REPORT_KIND_CASE_STUDY};
  for (int i = 0; i < 2; ++i) {
    v1::Report generated;
    v1::Report report = Putuo2020();
    report.set_kind(kinds[i]);
    absl::Status s = Submit(report, "", &generated);
    EXPECT_TRUE(s.ok()) << "submission " << i << ": " << s;
    if (s.ok()) {
      EXPECT_TRUE(names.insert(generated.name()).second) << generated.name() << " reused";
    }
  }
  v1::ListReportsRequest request;
  request.set_filer("units/310107-justice");
  EXPECT_EQ(ListAll(request).size(), 3u);
}

// A GBK file sent as `text` is not UTF-8. The adapter names report.text, but
// `text` is a proto3 string, so over gRPC the server's parser rejects the
// request before the adapter sees it. Both paths must refuse it and store
// nothing.
TEST_F(ReportServiceTest, NonUtf8TextIsRefused) {
  v1::Report report = Putuo2020();
  report.set_text("\xc6\xd5\xcd\xd3\xc7\xf8\xcb\xbe\xb7\xa8\xbe\xd6");  // 普陀区司法局 in GBK.
  v1::SubmitReportRequest request;
  *request.mutable_report() = report;
  // The validation itself (a call in-process would carry no credential; over
  // the wire the client's own UTF-8 check stops the text first).
  v1::Report taken = report;
  errors::FieldViolations violations;
  ValidateReport(taken, violations, TakeTextIn(taken, violations));
  absl::Status direct = violations.ToStatus();
  EXPECT_EQ(direct.code(), absl::StatusCode::kInvalidArgument) << direct;
  EXPECT_THAT(ViolatedFields(direct), ElementsAre("report.text"));

  EXPECT_FALSE(Submit(report, "").ok());
  v1::ListReportsRequest everything;
  EXPECT_THAT(ListAll(everything), IsEmpty());
}

// Filing is the reporter's of the report's own region (issue #19).
TEST_F(ReportServiceTest, TheBaoshanReporterFilesForBaoshanAndNowhereElse) {
  auto reporter = v1::ReportService::NewStub(
      testing::Connect(server_->target(), testing::kTestBaoshanReporter));
  v1::SubmitReportRequest request;
  *request.mutable_report() = Baoshan2023();
  v1::Report filed;
  absl::Status s = testing::CallUnary(reporter.get(), &Stub::SubmitReport, request, &filed);
  ASSERT_TRUE(s.ok()) << s;

  v1::Report pudong = Baoshan2023();
  pudong.set_filer("units/310115-government");
  pudong.set_region("regions/310115");
  *request.mutable_report() = pudong;
  v1::Report refused;
  s = testing::CallUnary(reporter.get(), &Stub::SubmitReport, request, &refused);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  v1::ListReportsRequest everything;
  EXPECT_THAT(Names(ListAll(everything)), ElementsAre(filed.name()));
  // The change records name the reporter; the one filing left one entry.
  auto changes = store_->ChangesAfter(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].actor(), testing::kTestBaoshanReporter);
  std::string resume_key;
  auto entries = store_->audit_trail()->EntriesOf(filed.name(), "", 10, &resume_key);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(entries->size(), 1u);
}

TEST_F(ReportServiceTest, AnAnonymousSubmissionIsUnauthenticated) {
  auto anonymous = v1::ReportService::NewStub(
      grpc::CreateChannel(server_->target(), grpc::InsecureChannelCredentials()));
  v1::SubmitReportRequest request;
  *request.mutable_report() = Baoshan2023();
  v1::Report refused;
  absl::Status s = testing::CallUnary(anonymous.get(), &Stub::SubmitReport, request, &refused);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  v1::ListReportsRequest everything;
  EXPECT_THAT(ListAll(everything), IsEmpty());
}

TEST_F(ReportServiceTest, InvalidSubmissionNamesEveryField) {
  v1::Report report = MakeReport("310113-government", "regions/310113", 1800, "");
  report.mutable_submitted_date()->set_year(2021);
  report.mutable_submitted_date()->set_month(2);
  report.mutable_submitted_date()->set_day(30);
  absl::Status s = Submit(report, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), UnorderedElementsAre("report.filer", "report.year", "report.text",
                                                      "report.submitted_date"));
  v1::ListReportsRequest everything;
  EXPECT_THAT(ListAll(everything), IsEmpty());
}

// UTF-8 to GB18030 (GBK plus the characters GBK lacks, such as U+00A0 in
// the Putuo seed) with glibc iconv, for the intake tests.
std::string ToGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(utf8.data());
  size_t src_left = utf8.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

TEST_F(ReportServiceTest, ResubmissionIsANewVersionAndEarlierOnesAreKept) {
  v1::Report first;
  ASSERT_TRUE(Submit(Putuo2020(), "", &first).ok());
  EXPECT_EQ(first.version(), 1);
  v1::Report corrected = Putuo2020();
  corrected.set_text(corrected.text() + "\n补充:截至12月31日,法援中心共办理法律援助案件2500件。\n");
  v1::Report second;
  ASSERT_TRUE(Submit(corrected, "", &second).ok());
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.version(), 2);

  v1::Report got;
  ASSERT_TRUE(Get(first.name(), &got).ok());
  EXPECT_EQ(got.version(), 2) << "the latest version counts";
  EXPECT_EQ(got.text(), second.text());

  v1::ListReportVersionsRequest request;
  request.set_name(first.name());
  v1::ListReportVersionsResponse versions;
  ASSERT_TRUE(Call(&Stub::ListReportVersions, request, &versions).ok());
  ASSERT_EQ(versions.versions_size(), 2);
  EXPECT_EQ(versions.versions(0).version(), 2);
  EXPECT_EQ(versions.versions(1).version(), 1);
  EXPECT_EQ(versions.versions(1).submit_time().nanos(), first.submit_time().nanos());
  EXPECT_THAT(versions.versions(0).text(), IsEmpty());

  v1::ListReportsRequest by_filer;
  by_filer.set_filer("units/310107-justice");
  const auto listed = ListAll(by_filer);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].version(), 2);

  // A chosen id that is not the report being versioned is refused.
  absl::Status s = Submit(Putuo2020(), "", nullptr, "another-id");
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;

  request.set_name("reports/nope");
  EXPECT_EQ(Call(&Stub::ListReportVersions, request, &versions).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReportServiceTest, SubmittedReportCarriesItsFigures) {
  v1::Report putuo;
  ASSERT_TRUE(Submit(Putuo2020(), "", &putuo).ok());
  EXPECT_GT(putuo.quantities_size(), 50);
  std::map<std::string, std::string> accepted;
  for (const auto& f : putuo.figures()) {
    if (f.confidence() == v1::FIGURE_CONFIDENCE_ACCEPTED) {
      accepted[f.indicator()] = f.quantity().decimal();
    }
  }
  EXPECT_EQ(accepted["admin_reconsideration_closed"], "340");
  EXPECT_EQ(accepted["admin_litigation_concluded"], "66");
  v1::ListReportsRequest everything;
  const auto listed = ListAll(everything);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_THAT(listed[0].quantities(), IsEmpty()) << "list results leave the quantities out";
  EXPECT_EQ(listed[0].figures_size(), putuo.figures_size());
}

TEST_F(ReportServiceTest, GbkRawTextIsDetectedAndConverted) {
  const std::string utf8 = testing::ReadSeed(kPutuo2020);
  v1::Report report = Putuo2020();
  report.clear_text();
  report.set_raw_text(ToGb18030(utf8));
  ASSERT_FALSE(report.raw_text() == utf8);
  v1::Report out;
  absl::Status s = Submit(report, "", &out);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(out.encoding(), "GB18030");
  EXPECT_TRUE(out.text() == utf8) << "the converted text differs from the seed";
  EXPECT_TRUE(out.raw_text().empty()) << "the raw bytes are not kept";
  EXPECT_EQ(out.kind(), v1::REPORT_KIND_DEPARTMENT_ANNUAL);

  // Declared GBK works too; a declared encoding that does not fit is named.
  v1::Report declared = report;
  declared.set_year(2019);
  declared.set_raw_text(
      ToGb18030("2019年度某区司法局法治政府建设情况报告\n共受理行政复议12件。\n"));
  declared.set_encoding("gbk");
  ASSERT_TRUE(Submit(declared, "", &out).ok());
  EXPECT_EQ(out.encoding(), "GBK");
  EXPECT_EQ(out.text(), "2019年度某区司法局法治政府建设情况报告\n共受理行政复议12件。\n");
  declared.set_year(2018);
  declared.set_encoding("UTF-8");
  s = Submit(declared, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.encoding"));
}

TEST_F(ReportServiceTest, HtmlNewsPageIsStrippedOfMarkupAndFurniture) {
  v1::Report report = MakeReport("units/310000-law-office", "regions/310000", 2022, "");
  report.set_raw_text(testing::ReadSeed("003_92cfcdd43605dda8.txt"));
  v1::Report out;
  absl::Status s = Submit(report, "", &out);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(out.text_format(), v1::TEXT_FORMAT_HTML);
  EXPECT_EQ(out.encoding(), "UTF-8");
  for (const char* gone :
       {"<p>", "</div>", "<!--", "appendQr", "责任编辑", "新浪财经APP", "headimg:", "sinaimg"}) {
    EXPECT_EQ(out.text().find(gone), std::string::npos) << gone << " left in the text";
  }
  EXPECT_NE(out.text().find("上海发布70个法治为民办实事项目"), std::string::npos);
  EXPECT_NE(out.text().find("10.依托立法联系点 推进新农村集中居住（松江区泖港镇人民政府）\n"),
            std::string::npos);
  EXPECT_NE(out.kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  for (const auto& f : out.figures()) {
    EXPECT_NE(f.confidence(), v1::FIGURE_CONFIDENCE_ACCEPTED)
        << f.indicator() << " from a news page";
  }
}

TEST_F(ReportServiceTest, OversizedOrUnreadableRawTextNamesTheField) {
  v1::Report report = MakeReport("units/310107-justice", "regions/310107", 2020, "");
  report.set_raw_text(std::string(limits::kMaxReportTextBytes + 1, 'a'));
  absl::Status s = Submit(report, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.raw_text"));
  EXPECT_NE(std::string(s.message()).find("512 KiB"), std::string::npos) << s;

  report.set_raw_text("\xff\xff\xff\xff");
  s = Submit(report, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.raw_text"));

  report.set_text("both");
  s = Submit(report, "");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("report.raw_text"));
  v1::ListReportsRequest everything;
  EXPECT_THAT(ListAll(everything), IsEmpty());
}

TEST_F(ReportServiceTest, SearchFindsRankedHitsWithSnippetAndSection) {
  v1::Report baoshan, putuo, yangpu;
  ASSERT_TRUE(Submit(Baoshan2023(), "", &baoshan).ok());
  ASSERT_TRUE(Submit(Putuo2020(), "", &putuo).ok());
  ASSERT_TRUE(Submit(MakeReport("units/310110-law-office", "regions/310110", 2017,
                                testing::ReadSeed(kYangpuCase)),
                     "", &yangpu)
                  .ok());

  v1::SearchReportsRequest request;
  request.set_query("出庭应诉率");
  v1::SearchReportsResponse response;
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  std::vector<std::string> names;
  for (const auto& h : response.hits()) names.push_back(h.report());
  EXPECT_THAT(names, UnorderedElementsAre(baoshan.name(), putuo.name(), yangpu.name()));
  EXPECT_EQ(response.total_size(), 3);
  for (int i = 1; i < response.hits_size(); ++i) {
    EXPECT_GE(response.hits(i - 1).score(), response.hits(i).score()) << "ranked";
  }
  for (const auto& h : response.hits()) {
    EXPECT_NE(h.snippet().find("【出庭应诉率】"), std::string::npos) << h.snippet();
    EXPECT_GT(h.match_count(), 0);
  }

  // A phrase in one section of one report, with filters.
  request.set_query("共收到行政复议348件");
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  ASSERT_EQ(response.hits_size(), 1);
  const auto& hit = response.hits(0);
  EXPECT_EQ(hit.report(), putuo.name());
  EXPECT_EQ(hit.section().marker(), "(三)");
  EXPECT_NE(hit.snippet().find("【共收到行政复议348件】"), std::string::npos) << hit.snippet();
  const std::string text = testing::ReadSeed(kPutuo2020);
  EXPECT_EQ(std::string(text::SubstrByCodePoints(text, hit.match_begin(), hit.match_end())),
            "共收到行政复议348件");

  request.set_query("行政复议 出庭应诉率");
  request.set_region("regions/310113");
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  ASSERT_EQ(response.hits_size(), 1);
  EXPECT_EQ(response.hits(0).report(), baoshan.name());
  request.clear_region();
  request.set_query("出庭应诉率");
  request.set_kind(v1::REPORT_KIND_CASE_STUDY);
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  ASSERT_EQ(response.hits_size(), 1);
  EXPECT_EQ(response.hits(0).report(), yangpu.name());
  request.set_kind(v1::REPORT_KIND_UNSPECIFIED);
  request.set_query("行政复议 出庭应诉率");
  request.set_year(2020);
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  ASSERT_EQ(response.hits_size(), 1);
  EXPECT_EQ(response.hits(0).report(), putuo.name());

  request.set_query("没有这样的词语组合");
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  EXPECT_EQ(response.hits_size(), 0);

  request.set_query("法");
  absl::Status s = Call(&Stub::SearchReports, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("query"));
}

TEST_F(ReportServiceTest, SearchPagesAndSeesOnlyTheLatestVersion) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Submit(MakeReport(absl::StrCat("units/310113-dept-", i), "regions/310113", 2023,
                                  absl::StrCat("第", i, "局报告\n一、主要举措和成效\n办结行政复议",
                                               300 + i, "件。旧版独有词\n")),
                       "")
                    .ok());
  }
  v1::SearchReportsRequest request;
  request.set_query("办结行政复议");
  request.set_page_size(2);
  std::set<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    v1::SearchReportsResponse response;
    ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
    EXPECT_EQ(response.total_size(), 5);
    for (const auto& h : response.hits()) EXPECT_TRUE(seen.insert(h.report()).second);
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen.size(), 5u);

  // A new version without the old words: the old postings are gone.
  v1::Report v2;
  ASSERT_TRUE(Submit(MakeReport("units/310113-dept-0", "regions/310113", 2023,
                                "第0局报告\n一、主要举措和成效\n新版内容。\n"),
                     "", &v2)
                  .ok());
  EXPECT_EQ(v2.version(), 2);
  v1::SearchReportsRequest old_words;
  old_words.set_query("旧版独有词");
  v1::SearchReportsResponse response;
  ASSERT_TRUE(Call(&Stub::SearchReports, old_words, &response).ok());
  EXPECT_EQ(response.total_size(), 4);
  for (const auto& h : response.hits()) EXPECT_NE(h.report(), v2.name());
  old_words.set_query("新版内容");
  ASSERT_TRUE(Call(&Stub::SearchReports, old_words, &response).ok());
  ASSERT_EQ(response.hits_size(), 1);
  EXPECT_EQ(response.hits(0).version(), 2);
}

TEST_F(ReportServiceTest, SearchPageTokensOfAnotherQueryOrFormAreNamed) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Submit(MakeReport(absl::StrCat("units/310113-dept-", i), "regions/310113", 2023,
                                  "报告\n一、主要举措和成效\n办结行政复议。\n"),
                       "")
                    .ok());
  }
  v1::SearchReportsRequest request;
  request.set_query("行政复议");
  request.set_page_size(1);
  v1::SearchReportsResponse response;
  ASSERT_TRUE(Call(&Stub::SearchReports, request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  v1::SearchReportsRequest other = request;
  other.set_query("主要举措");
  other.set_page_token(response.next_page_token());
  absl::Status s = Call(&Stub::SearchReports, other, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("page_token"));
  // A token this query's fingerprint would accept but with no offset in it.
  request.set_page_token(storage::EncodePageToken(
      storage::QueryFingerprint("search?q=行政复议&region=&year=0&kind=0"), "not an offset"));
  s = Call(&Stub::SearchReports, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("page_token"));
}

TEST_F(ReportServiceTest, ListAndSearchReportEveryViolationAtOnce) {
  v1::ListReportsRequest list;
  list.set_region("310113");
  list.set_page_size(-1);
  v1::ListReportsResponse listed;
  absl::Status s = Call(&Stub::ListReports, list, &listed);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), UnorderedElementsAre("region", "page_size"));
  v1::SearchReportsRequest search;
  search.set_query("法");
  search.set_page_size(51);
  search.set_year(1800);
  v1::SearchReportsResponse found;
  s = Call(&Stub::SearchReports, search, &found);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), UnorderedElementsAre("query", "year", "page_size"));
}

// Submit and change times come from the store's clock.
TEST(ReportStoreClockTest, SubmissionsAreStampedByTheInjectedClock) {
  testing::TempDir dir;
  auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time fixed = absl::FromUnixSeconds(1711000000);
  (*store)->set_clock([fixed] { return fixed; });
  auto stored = (*store)->SubmitReport(
      "", MakeReport("units/310107-justice", "regions/310107", 2020, "报告\n行政复议。\n"), "");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->submit_time().seconds(), 1711000000);
  auto changes = (*store)->ChangesAfter(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].time().seconds(), 1711000000);
  EXPECT_TRUE((*store)->Close().ok());
}

// One page of a search straight from the store, rendered as the service
// renders it.
absl::StatusOr<v1::SearchReportsResponse> SearchAndRender(ReportStore& store,
                                                          const v1::SearchReportsRequest& request,
                                                          const std::vector<std::u32string>& terms,
                                                          int page_size) {
  auto page = store.SearchReports(request, terms, page_size);
  if (!page.ok()) return page.status();
  return RenderSearchPage(*page, terms);
}

// The index survives a restart: the document table is rebuilt from the store.
TEST(ReportStoreSearchTest, SearchAfterReopen) {
  testing::TempDir dir;
  {
    auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
    ASSERT_TRUE(store.ok()) << store.status();
    v1::Report report = MakeReport("units/310107-justice", "regions/310107", 2020,
                                   "普陀区司法局报告\n共收到行政复议348件。\n");
    ASSERT_TRUE((*store)->SubmitReport("", report, "").ok());
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  v1::SearchReportsRequest request;
  request.set_query("行政复议");
  auto terms = search::ParseQuery(request.query());
  ASSERT_TRUE(terms.ok());
  auto response = SearchAndRender(**store, request, *terms, 10);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->hits_size(), 1);
  EXPECT_EQ(response->hits(0).region(), "regions/310107");
}

// A store written before postings waited in one key per document holds one
// 'b' key per (bigram, document): Open moves them into blocks.
TEST(ReportStoreSearchTest, PerBigramKeysOfEarlierVersionsAreCompactedAtOpen) {
  testing::TempDir dir;
  const std::string text = "普陀区司法局报告\n共收到行政复议348件。\n";
  {
    auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(
        (*store)
            ->SubmitReport("", MakeReport("units/310107-justice", "regions/310107", 2020, text), "")
            .ok());
    // Rewrite the document's postings the way earlier versions stored them.
    rocksdb::ColumnFamilyHandle* search = (*store)->store().family(keys::Family::kSearch);
    auto waiting = (*store)->store().NewPrefixIterator(search, "w", nullptr);
    waiting->Seek("w");
    ASSERT_TRUE(waiting->Valid()) << "the submission's postings wait under a 'w' key";
    storage::KeyReader reader(absl::string_view(waiting->key().data(), waiting->key().size()));
    char tag = 0;
    uint32_t doc = 0;
    ASSERT_TRUE(reader.ReadTag(&tag) && reader.ReadUint32(&doc));
    waiting.reset();
    rocksdb::WriteBatch batch;
    batch.Delete(search, storage::KeyBuilder('w').AddUint32(doc).Build());
    for (const auto& [bigram, positions] : search::IndexBigrams(text)) {
      batch.Put(search, storage::KeyBuilder('b').AddUint64(bigram).AddUint32(doc).Build(),
                search::EncodePositions(positions));
    }
    ASSERT_TRUE((*store)->store().Write(&batch).ok());
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = ReportStore::Open(testing::TestStoreOptions(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status();
  {
    auto per_bigram = (*store)->store().NewPrefixIterator(
        (*store)->store().family(keys::Family::kSearch), "b", nullptr);
    per_bigram->Seek("b");
    EXPECT_FALSE(per_bigram->Valid());
  }
  EXPECT_EQ((*store)->search_index().DocumentsAwaitingCompaction(), 0u);
  v1::SearchReportsRequest request;
  request.set_query("行政复议348");
  auto response = SearchAndRender(**store, request, *search::ParseQuery(request.query()), 10);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->hits_size(), 1);
  EXPECT_EQ(response->hits(0).region(), "regions/310107");
  EXPECT_TRUE((*store)->Close().ok());
}

// Postings compacted into blocks ('B') must answer exactly as waiting ones
// ('w' keys, inverted in memory): store A compacts, store B never does, both
// get the same submissions.
class CompactedSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto* s : {&compacted_, &waiting_}) {
      auto options =
          testing::TestStoreOptions(absl::StrCat(dir_.path(), s == &compacted_ ? "/a" : "/b"));
      options.sync_writes = false;
      auto store = ReportStore::Open(options);
      ASSERT_TRUE(store.ok()) << store.status();
      *s = *std::move(store);
      (*s)->search_index().set_compact_every(uint64_t{1} << 40);  // only when the test says
    }
  }

  void SubmitToBoth(const v1::Report& report) {
    for (auto* s : {&compacted_, &waiting_}) ASSERT_TRUE((*s)->SubmitReport("", report, "").ok());
  }

  // Every query's pages, serialized, from one store.
  std::vector<std::string> Answers(ReportStore& store) {
    std::vector<std::string> out;
    for (const char* q :
         {"行政复议", "罕见词组合", "出庭应诉率", "共办理行政复议17件", "行政复议 出庭应诉率",
          "新版独有词", "主要举措", "行政复议 罕见词组合", "新版独有词 行政复议"}) {
      for (const char* region : {"", "regions/310107"}) {
        v1::SearchReportsRequest request;
        request.set_query(q);
        request.set_region(region);
        auto terms = search::ParseQuery(q);
        EXPECT_TRUE(terms.ok());
        for (int page = 0; page < 3; ++page) {
          auto response = SearchAndRender(store, request, *terms, 7);
          EXPECT_TRUE(response.ok()) << response.status();
          if (!response.ok()) return out;
          out.push_back(absl::StrCat(q, region, ":", response->total_size(), ":",
                                     response->SerializeAsString()));
          if (response->next_page_token().empty()) break;
          request.set_page_token(response->next_page_token());
        }
      }
    }
    return out;
  }

  int Total(ReportStore& store, const std::string& query) {
    v1::SearchReportsRequest request;
    request.set_query(query);
    auto response = SearchAndRender(store, request, *search::ParseQuery(query), 10);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->total_size() : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<ReportStore> compacted_, waiting_;
};

// Report i; every 997th from the 5th has the rare words, unless `rare` says.
v1::Report Numbered(int i, const std::string& extra = "", bool rare = true) {
  const char* region = i % 3 == 0 ? "regions/310107" : "regions/310113";
  return MakeReport(absl::StrCat("units/dept-", i), region, 2015 + i % 9,
                    absl::StrCat("第", i, "号报告\n一、主要举措和成效\n共办理行政复议", i, "件。",
                                 rare && i % 997 == 5 ? "罕见词组合。" : "", extra, "\n"));
}

TEST_F(CompactedSearchTest, CompactedPostingsAnswerAsWaitingOnes) {
  SubmitToBoth(Baoshan2023());
  SubmitToBoth(Putuo2020());
  // Enough documents that "行政复议" fills several blocks and the rare
  // phrase makes the join seek across them.
  for (int i = 0; i < 2500; ++i) SubmitToBoth(Numbered(i));
  const auto expected = Answers(*waiting_);
  EXPECT_EQ(Total(*waiting_, "行政复议"), 2502);
  EXPECT_EQ(Total(*waiting_, "罕见词组合"), 3);

  EXPECT_EQ(compacted_->search_index().DocumentsAwaitingCompaction(), 2502u);
  ASSERT_TRUE(compacted_->search_index().CompactPostings().ok());
  EXPECT_EQ(compacted_->search_index().DocumentsAwaitingCompaction(), 0u);
  EXPECT_EQ(Answers(*compacted_), expected);
  // Nothing is left waiting: a compaction moved every 'w' key's postings.
  {
    auto waiting = compacted_->store().NewPrefixIterator(
        compacted_->store().family(keys::Family::kSearch), "w", nullptr);
    waiting->Seek("w");
    EXPECT_FALSE(waiting->Valid());
  }

  // New versions of compacted documents (the rare words gone, new ones in),
  // and new documents, waiting on top of the blocks.
  for (int i : {5, 1002, 1999}) {
    SubmitToBoth(Numbered(i, "新版独有词。", /*rare=*/false));
  }
  for (int i = 2500; i < 2520; ++i) SubmitToBoth(Numbered(i));
  const auto mixed = Answers(*waiting_);
  EXPECT_EQ(Total(*waiting_, "罕见词组合"), 0) << "the rare words were only in the old versions";
  EXPECT_EQ(Total(*waiting_, "新版独有词"), 3);
  EXPECT_EQ(Total(*waiting_, "行政复议"), 2522);
  EXPECT_EQ(Answers(*compacted_), mixed);

  ASSERT_TRUE(compacted_->search_index().CompactPostings().ok());
  EXPECT_EQ(Answers(*compacted_), mixed);

  // And after a restart.
  ASSERT_TRUE(compacted_->Close().ok());
  compacted_.reset();
  auto options = testing::TestStoreOptions(dir_.path() + "/a");
  auto reopened = ReportStore::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->search_index().DocumentsAwaitingCompaction(), 0u);
  EXPECT_EQ(Answers(**reopened), mixed);
}

TEST_F(CompactedSearchTest, TheBackgroundThreadCompactsWhileReportsAndNewVersionsArrive) {
  compacted_->search_index().set_compact_every(8);
  // Compactions run while submissions continue, new versions among them, so
  // some replaced documents' postings are read by a compaction after the
  // submission deleted them (they must stay dead in the blocks).
  for (int i = 0; i < 600; ++i) {
    SubmitToBoth(Numbered(i));
    if (i % 7 == 6) SubmitToBoth(Numbered(i - 3, "新版独有词。", /*rare=*/false));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (compacted_->search_index().DocumentsAwaitingCompaction() >= 8 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_LT(compacted_->search_index().DocumentsAwaitingCompaction(), 8u);
  EXPECT_GT(waiting_->search_index().DocumentsAwaitingCompaction(), 600u)
      << "the other store never compacts";
  EXPECT_EQ(Total(*waiting_, "新版独有词"), 85);
  EXPECT_EQ(Answers(*compacted_), Answers(*waiting_));
}

}  // namespace
}  // namespace fazhi::report
