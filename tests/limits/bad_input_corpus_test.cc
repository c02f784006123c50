// The bad-input corpus: over two hundred requests a hostile or careless
// caller might send to the four services, each a row of a table (method,
// request in text format, expected code, the field the refusal must name),
// sent over loopback to real servers on real RocksDB. Afterwards every store
// holds exactly what it held before, column family by column family, but
// for the audit log (IsAuditKey).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/limits.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "services/gateway/gateway_service.h"
#include "tests/limits/limits_fixture.h"
#include "tests/limits/store_contents.h"

namespace fazhi::limits_test {
namespace {

namespace gv1 = fazhi::gateway::v1;
using Code = absl::StatusCode;

// One row of the corpus.
struct BadRequest {
  std::string method;   // "catalogue.CreateRegion"
  std::string request;  // the request, in protobuf text format
  Code code;
  std::string field;  // a field the BadRequest must name; "" for none
};

// `n` copies of `unit` (a character of text, or any string).
std::string Repeat(int n, absl::string_view unit = "字") {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, unit);
  return out;
}

// A text-format string literal of `value` (escaped).
std::string Quoted(absl::string_view value) {
  return absl::StrCat("\"", absl::CEscape(value), "\"");
}

// Text-format fields, in order: (name, value as text).
using Fields = std::vector<std::pair<std::string, std::string>>;

// `base` with each field that `changes` names given its value there, and
// the other fields of `changes` added; text format refuses a singular field
// given twice, so a row changes its base this way.
std::string With(const Fields& base, const Fields& changes) {
  std::string out;
  for (const auto& [name, value] : base) {
    auto changed = std::find_if(changes.begin(), changes.end(),
                                [&name = name](const auto& c) { return c.first == name; });
    absl::StrAppend(&out, name, ": ", changed == changes.end() ? value : changed->second, " ");
  }
  for (const auto& [name, value] : changes) {
    auto in_base = std::find_if(base.begin(), base.end(),
                                [&name = name](const auto& b) { return b.first == name; });
    if (in_base == base.end()) absl::StrAppend(&out, name, ": ", value, " ");
  }
  return out;
}

using Invoke = std::function<absl::Status(const std::string& text)>;

template <typename Stub, typename Request, typename Response>
Invoke Unary(Stub* stub,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*)) {
  return [stub, method](const std::string& text) -> absl::Status {
    Request request;
    if (!google::protobuf::TextFormat::ParseFromString(text, &request)) {
      ADD_FAILURE() << "the corpus row does not parse as " << Request::descriptor()->full_name()
                    << ": " << text.substr(0, 200);
      return errors::Internal("corpus", "a row that does not parse is not sent");
    }
    Response response;
    return testing::CallUnary(stub, method, request, &response);
  };
}

class BadInputCorpusTest : public LimitsTest {
 protected:
  void SetUp() override {
    LimitsTest::SetUp();
    if (HasFatalFailure()) return;
    gateway_ = std::make_unique<gateway::GatewayServiceImpl>(
        backends_->GatewayOptionsFor(), testing::TestAuthorizer(), testing::ShippedRules());
    gateway_server_ = testing::StartInProcess(gateway_.get(), "fazhi.gateway.v1.GatewayService");
    gateway_stub_ = gv1::GatewayService::NewStub(testing::Connect(gateway_server_->target()));
    report_service_ = mv1::MetricsService::NewStub(testing::Connect(
        backends_->target(gateway::Backend::kMetrics), testing::kTestReportService));
    LoadExistingData();
    RegisterMethods();
  }

  void TearDown() override {
    gateway_server_.reset();
    gateway_.reset();
  }

  // What the refused requests must leave alone: a project, a rate and a
  // count indicator, an observation, a report.
  void LoadExistingData() {
    cv1::CreateProjectRequest project;
    project.set_project_id("anti-fraud");
    *project.mutable_project() = MakeProject("反诈预警");
    project.mutable_project()->add_outcomes()->set_phrase("累计避损147亿余元");
    cv1::Project created;
    ASSERT_TRUE(Catalogue(&cv1::CatalogueService::Stub::CreateProject, project, &created).ok());
    etag_ = created.etag();

    for (const auto& [code, kind] :
         {std::pair<std::string, mv1::IndicatorKind>{"mediation_cases", mv1::INDICATOR_KIND_COUNT},
          {"court_appearance_rate", mv1::INDICATOR_KIND_RATE}}) {
      mv1::CreateIndicatorRequest indicator;
      indicator.mutable_indicator()->set_code(code);
      indicator.mutable_indicator()->set_display_name(code);
      indicator.mutable_indicator()->set_unit_of_measure(kind == mv1::INDICATOR_KIND_RATE ? "%"
                                                                                          : "件");
      indicator.mutable_indicator()->set_kind(kind);
      indicator.mutable_indicator()->set_direction(mv1::DIRECTION_HIGHER_IS_BETTER);
      mv1::Indicator made;
      ASSERT_TRUE(Metrics(&mv1::MetricsService::Stub::CreateIndicator, indicator, &made).ok());
    }
    mv1::RecordObservationRequest observation;
    observation.mutable_observation()->set_indicator("indicators/mediation_cases");
    observation.mutable_observation()->set_subject("regions/310113");
    observation.mutable_observation()->mutable_period()->set_year(2023);
    observation.mutable_observation()->mutable_quantity()->set_decimal("348");
    mv1::Observation recorded;
    ASSERT_TRUE(
        Metrics(&mv1::MetricsService::Stub::RecordObservation, observation, &recorded).ok());
    observation_ = recorded.name();

    rv1::SubmitReportRequest report;
    report.set_report_id("310113-government-2023");
    report.mutable_report()->set_filer("units/310113-government");
    report.mutable_report()->set_region("regions/310113");
    report.mutable_report()->set_year(2023);
    report.mutable_report()->set_text(testing::ReadSeed("002_4f28ee6da608f1e8.txt"));
    rv1::Report submitted;
    ASSERT_TRUE(Report(&rv1::ReportService::Stub::SubmitReport, report, &submitted).ok());

    // Real tokens to tamper with.
    cv1::ListRegionsRequest regions;
    regions.set_page_size(1);
    cv1::ListRegionsResponse page;
    ASSERT_TRUE(Catalogue(&cv1::CatalogueService::Stub::ListRegions, regions, &page).ok());
    ASSERT_FALSE(page.next_page_token().empty());
    region_token_ = page.next_page_token();
  }

  void RegisterMethods() {
    auto* c = &backends_->catalogue();
    auto* m = &backends_->metrics();
    auto* r = &backends_->report();
    auto* g = gateway_stub_.get();
    using CS = cv1::CatalogueService::Stub;
    using MS = mv1::MetricsService::Stub;
    using RS = rv1::ReportService::Stub;
    using GS = gv1::GatewayService::Stub;
    methods_ = {
        {"catalogue.CreateRegion", Unary(c, &CS::CreateRegion)},
        {"catalogue.GetRegion", Unary(c, &CS::GetRegion)},
        {"catalogue.ListRegions", Unary(c, &CS::ListRegions)},
        {"catalogue.UpdateRegion", Unary(c, &CS::UpdateRegion)},
        {"catalogue.DeleteRegion", Unary(c, &CS::DeleteRegion)},
        {"catalogue.CreateUnit", Unary(c, &CS::CreateUnit)},
        {"catalogue.GetUnit", Unary(c, &CS::GetUnit)},
        {"catalogue.ListUnits", Unary(c, &CS::ListUnits)},
        {"catalogue.LookupUnit", Unary(c, &CS::LookupUnit)},
        {"catalogue.UpdateUnit", Unary(c, &CS::UpdateUnit)},
        {"catalogue.DeleteUnit", Unary(c, &CS::DeleteUnit)},
        {"catalogue.CreateProject", Unary(c, &CS::CreateProject)},
        {"catalogue.GetProject", Unary(c, &CS::GetProject)},
        {"catalogue.ListProjects", Unary(c, &CS::ListProjects)},
        {"catalogue.UpdateProject", Unary(c, &CS::UpdateProject)},
        {"catalogue.DeleteProject", Unary(c, &CS::DeleteProject)},
        {"catalogue.TransitionProject", Unary(c, &CS::TransitionProject)},
        {"catalogue.ReviewProject", Unary(c, &CS::ReviewProject)},
        {"catalogue.ListChanges", Unary(c, &CS::ListChanges)},
        {"metrics.CreateIndicator", Unary(m, &MS::CreateIndicator)},
        {"metrics.GetIndicator", Unary(m, &MS::GetIndicator)},
        {"metrics.ListIndicators", Unary(m, &MS::ListIndicators)},
        {"metrics.RecordObservation", Unary(m, &MS::RecordObservation)},
        {"metrics.ListObservations", Unary(m, &MS::ListObservations)},
        {"metrics.GetSnapshot", Unary(m, &MS::GetSnapshot)},
        {"metrics.BatchGetSnapshots", Unary(m, &MS::BatchGetSnapshots)},
        {"metrics.CorrectObservation", Unary(m, &MS::CorrectObservation)},
        {"metrics.DeleteObservation", Unary(m, &MS::DeleteObservation)},
        {"metrics.ListObservationHistory", Unary(m, &MS::ListObservationHistory)},
        {"metrics.GetSeries", Unary(m, &MS::GetSeries)},
        {"metrics.CompareSubjects", Unary(m, &MS::CompareSubjects)},
        {"metrics.RollUpSnapshot", Unary(m, &MS::RollUpSnapshot)},
        {"metrics.BatchRecordObservations", Unary(m, &MS::BatchRecordObservations)},
        // Only the report service calls it, for a filer.
        {"metrics.ReplaceReportObservations",
         [this](const std::string& text) -> absl::Status {
           mv1::ReplaceReportObservationsRequest request;
           if (!google::protobuf::TextFormat::ParseFromString(text, &request)) {
             ADD_FAILURE() << "the corpus row does not parse: " << text.substr(0, 200);
             return errors::Internal("corpus", "a row that does not parse is not sent");
           }
           grpc::ClientContext context;
           context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
           context.AddMetadata(server::kOnBehalfOfMetadataKey, testing::kTestAdmin);
           mv1::ReplaceReportObservationsResponse response;
           return FromGrpcStatus(
               report_service_->ReplaceReportObservations(&context, request, &response));
         }},
        {"report.SubmitReport", Unary(r, &RS::SubmitReport)},
        {"report.GetReport", Unary(r, &RS::GetReport)},
        {"report.ListReports", Unary(r, &RS::ListReports)},
        {"report.ListReportVersions", Unary(r, &RS::ListReportVersions)},
        {"report.SearchReports", Unary(r, &RS::SearchReports)},
        {"report.PublishReportFigures", Unary(r, &RS::PublishReportFigures)},
        {"gateway.GetDistrictComplianceSummary", Unary(g, &GS::GetDistrictComplianceSummary)},
        {"gateway.RankRegions", Unary(g, &GS::RankRegions)},
        {"gateway.GetRegionTrend", Unary(g, &GS::GetRegionTrend)},
        {"gateway.GetProjectDossier", Unary(g, &GS::GetProjectDossier)},
    };
  }

  std::map<std::string, StoreContents> Checkpoint() {
    std::map<std::string, StoreContents> stores;
    for (const char* store : {"catalogue", "metrics", "report"}) {
      stores[store] =
          ReadStoreContents(absl::StrCat(dir_.path(), "/", store), logs_.path(), IsAuditKey);
    }
    return stores;
  }

  std::vector<BadRequest> Corpus() const;

  std::unique_ptr<gateway::GatewayServiceImpl> gateway_;
  std::unique_ptr<server::ServerRunner> gateway_server_;
  std::unique_ptr<gv1::GatewayService::Stub> gateway_stub_;
  // The metrics service as the report service sees it (svc/report).
  std::unique_ptr<mv1::MetricsService::Stub> report_service_;
  std::map<std::string, Invoke> methods_;
  testing::TempDir logs_;
  std::string etag_;
  std::string observation_;
  std::string region_token_;
};

// The token `token` with one byte of its resume key flipped.
std::string Altered(const std::string& token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 10) return "broken";
  raw[9] ^= 0x01;
  return absl::WebSafeBase64Escape(raw);
}

std::vector<BadRequest> BadInputCorpusTest::Corpus() const {
  const Code kInvalid = Code::kInvalidArgument;
  const std::string region = "region { code: \"310104\" display_name: \"徐汇区\" ";
  const Fields county_fields = {{"code", "\"310104\""},
                                {"display_name", "\"徐汇区\""},
                                {"level", "REGION_LEVEL_COUNTY"},
                                {"parent", "\"regions/310000\""}};
  auto county_with = [&](const Fields& changes) {
    return "region { " + With(county_fields, changes) + "}";
  };
  // The open forms of each base, which rows complete with fields of their own.
  const std::string county = "region { " + With(county_fields, {});
  const Fields unit_fields = {{"display_name", "\"宝山区司法局\""},
                              {"level", "UNIT_LEVEL_DISTRICT"},
                              {"kind", "UNIT_KIND_GOVERNMENT_DEPARTMENT"},
                              {"region", "\"regions/310113\""}};
  auto unit_with = [&](const Fields& changes) {
    return "unit_id: \"310113-justice\" unit { " + With(unit_fields, changes) + "}";
  };
  const std::string unit = "unit_id: \"310113-justice\" unit { " + With(unit_fields, {});
  const Fields project_fields = {{"year", "2023"},
                                 {"level", "PROJECT_LEVEL_DISTRICT"},
                                 {"title", "\"新项目\""},
                                 {"units", "\"units/310113-government\""},
                                 {"region", "\"regions/310113\""}};
  auto project_with = [&](const Fields& changes) {
    return "project { " + With(project_fields, changes) + "}";
  };
  const std::string project = "project { " + With(project_fields, {});
  const Fields indicator_fields = {{"code", "\"legal_aid_cases\""},
                                   {"display_name", "\"法律援助\""},
                                   {"unit_of_measure", "\"件\""},
                                   {"kind", "INDICATOR_KIND_COUNT"},
                                   {"direction", "DIRECTION_HIGHER_IS_BETTER"}};
  auto indicator_with = [&](const Fields& changes) {
    return "indicator { " + With(indicator_fields, changes) + "}";
  };
  const std::string indicator = "indicator { " + With(indicator_fields, {});
  const Fields report_fields = {{"filer", "\"units/310113-government\""},
                                {"region", "\"regions/310113\""},
                                {"year", "2022"},
                                {"text", "\"宝山区2022年法治政府建设情况报告\""}};
  auto report_with = [&](const Fields& changes) {
    return "report { " + With(report_fields, changes) + "}";
  };
  const std::string observation =
      "observation { indicator: \"indicators/mediation_cases\" subject: \"regions/310113\" "
      "period { year: 2022 } ";
  const std::string quantity = "quantity { decimal: \"12\" ";
  const std::string report =
      "report { filer: \"units/310113-government\" region: \"regions/310113\" year: 2022 ";
  const std::string text = " text: \"宝山区2022年法治政府建设情况报告\" ";
  const std::string update_project = "project { name: \"projects/anti-fraud\" ";
  const std::string altered = Quoted(Altered(region_token_));
  const std::string forged = Quoted(absl::WebSafeBase64Escape(Repeat(60, "\x02")));

  std::vector<BadRequest> corpus = {
      // --- Regions ---------------------------------------------------------
      {"catalogue.CreateRegion", "region {}", kInvalid, "region.code"},
      {"catalogue.CreateRegion", "region {}", kInvalid, "region.display_name"},
      {"catalogue.CreateRegion", "region {}", kInvalid, "region.level"},
      {"catalogue.CreateRegion", "region { code: \"31011\" }", kInvalid, "region.code"},
      {"catalogue.CreateRegion", "region { code: \"3101040\" }", kInvalid, "region.code"},
      {"catalogue.CreateRegion", "region { code: \"31010a\" }", kInvalid, "region.code"},
      {"catalogue.CreateRegion", "region { code: \"３１０１０４\" }", kInvalid, "region.code"},
      {"catalogue.CreateRegion", county_with({{"display_name", "\"\""}}), kInvalid,
       "region.display_name"},
      {"catalogue.CreateRegion", county_with({{"display_name", Quoted(Repeat(65))}}), kInvalid,
       "region.display_name"},
      {"catalogue.CreateRegion", county + "english_name: \"" + Repeat(65, "x") + "\" }", kInvalid,
       "region.english_name"},
      {"catalogue.CreateRegion", county_with({{"display_name", "\"\\377\\376\""}}), kInvalid,
       "fazhi.catalogue.v1.Region.display_name"},
      {"catalogue.CreateRegion", region + "level: 99 parent: \"regions/310000\" }", kInvalid,
       "region.level"},
      {"catalogue.CreateRegion", region + "level: -1 parent: \"regions/310000\" }", kInvalid,
       "region.level"},
      {"catalogue.CreateRegion", region + "level: REGION_LEVEL_PROVINCE }", kInvalid,
       "region.level"},
      {"catalogue.CreateRegion",
       "region { code: \"320000\" display_name: \"江苏省\" level: REGION_LEVEL_PROVINCE "
       "parent: \"regions/310000\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion", region + "level: REGION_LEVEL_COUNTY }", kInvalid,
       "region.parent"},
      {"catalogue.CreateRegion", region + "level: REGION_LEVEL_COUNTY parent: \"310000\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion", region + "level: REGION_LEVEL_COUNTY parent: \"regions/310104\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"320000\" display_name: \"江苏省\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310000\" }",
       kInvalid, "region.level"},
      {"catalogue.CreateRegion",
       "region { code: \"320000\" display_name: \"江苏省\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310000\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"320113\" display_name: \"栖霞区\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310000\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"310100\" display_name: \"市辖区\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310000\" }",
       kInvalid, "region.level"},
      {"catalogue.CreateRegion",
       "region { code: \"310114\" display_name: \"嘉定区\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310113\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"310101\" display_name: \"黄浦区\" level: REGION_LEVEL_PREFECTURE "
       "parent: \"regions/310000\" }",
       kInvalid, "region.level"},
      {"catalogue.CreateRegion",
       "region { code: \"310100\" display_name: \"市辖区\" level: REGION_LEVEL_PREFECTURE "
       "parent: \"regions/310113\" }",
       kInvalid, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"330101\" display_name: \"上城区\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/330100\" }",
       Code::kNotFound, "region.parent"},
      {"catalogue.CreateRegion",
       "region { code: \"310113\" display_name: \"宝山区\" level: REGION_LEVEL_COUNTY "
       "parent: \"regions/310000\" }",
       Code::kAlreadyExists, ""},
      {"catalogue.GetRegion", "", kInvalid, "name"},
      {"catalogue.GetRegion", "name: \"regions/abc\"", kInvalid, "name"},
      {"catalogue.GetRegion", "name: \"units/310113\"", kInvalid, "name"},
      {"catalogue.GetRegion", "name: \"regions/310199\"", Code::kNotFound, ""},
      {"catalogue.ListRegions", "parent: \"310000\"", kInvalid, "parent"},
      {"catalogue.ListRegions", "page_size: -1", kInvalid, "page_size"},
      {"catalogue.ListRegions", "page_token: \"not base64!\"", kInvalid, "page_token"},
      {"catalogue.ListRegions", "page_token: " + forged, kInvalid, "page_token"},
      {"catalogue.ListRegions", "page_token: " + altered, kInvalid, "page_token"},
      {"catalogue.ListRegions", "parent: \"regions/310000\" page_token: " + Quoted(region_token_),
       kInvalid, "page_token"},
      {"catalogue.UpdateRegion", "region { name: \"regions/310113\" }", kInvalid, "update_mask"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/310113\" } update_mask { paths: \"level\" }", kInvalid,
       "update_mask.paths[0]"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/310113\" } update_mask { paths: \"parent\" }", kInvalid,
       "update_mask.paths[0]"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/3101\" } update_mask { paths: \"display_name\" }", kInvalid,
       "region.name"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/310113\" display_name: \"" + Repeat(65) +
           "\" } update_mask { paths: \"display_name\" }",
       kInvalid, "region.display_name"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/310113\" display_name: \"\" } update_mask { paths: "
       "\"display_name\" }",
       kInvalid, "region.display_name"},
      {"catalogue.UpdateRegion",
       "region { name: \"regions/310199\" display_name: \"无\" } update_mask { paths: "
       "\"display_name\" }",
       Code::kNotFound, ""},
      {"catalogue.DeleteRegion", "name: \"regions/31\"", kInvalid, "name"},
      {"catalogue.DeleteRegion", "name: \"regions/310199\"", Code::kNotFound, ""},

      // --- Units -----------------------------------------------------------
      {"catalogue.CreateUnit", "unit {}", kInvalid, "unit_id"},
      {"catalogue.CreateUnit", "unit {}", kInvalid, "unit.display_name"},
      {"catalogue.CreateUnit", "unit {}", kInvalid, "unit.level"},
      {"catalogue.CreateUnit", "unit {}", kInvalid, "unit.kind"},
      {"catalogue.CreateUnit", "unit {}", kInvalid, "unit.region"},
      {"catalogue.CreateUnit", "unit_id: \"Bad_ID\" unit {}", kInvalid, "unit_id"},
      {"catalogue.CreateUnit", "unit_id: \"-x\" unit {}", kInvalid, "unit_id"},
      {"catalogue.CreateUnit", "unit_id: \"x-\" unit {}", kInvalid, "unit_id"},
      {"catalogue.CreateUnit", "unit_id: \"" + Repeat(64, "a") + "\" unit {}", kInvalid, "unit_id"},
      {"catalogue.CreateUnit", unit_with({{"display_name", Quoted(Repeat(129))}}), kInvalid,
       "unit.display_name"},
      {"catalogue.CreateUnit", unit + Repeat(21, "aliases: \"别名\" ") + "}", kInvalid,
       "unit.aliases"},
      {"catalogue.CreateUnit", unit + "aliases: \"\" }", kInvalid, "unit.aliases[0]"},
      {"catalogue.CreateUnit", unit + "aliases: \"宝山区司法局\" }", kInvalid, "unit.aliases[0]"},
      {"catalogue.CreateUnit", unit + "aliases: \"a\" aliases: \"" + Repeat(129) + "\" }", kInvalid,
       "unit.aliases[1]"},
      {"catalogue.CreateUnit", unit_with({{"level", "9"}}), kInvalid, "unit.level"},
      {"catalogue.CreateUnit", unit_with({{"kind", "99"}}), kInvalid, "unit.kind"},
      {"catalogue.CreateUnit", unit_with({{"region", "\"310113\""}}), kInvalid, "unit.region"},
      {"catalogue.CreateUnit", unit + "parent_unit: \"units/Bad\" }", kInvalid, "unit.parent_unit"},
      {"catalogue.CreateUnit", unit + "parent_unit: \"regions/310113\" }", kInvalid,
       "unit.parent_unit"},
      {"catalogue.CreateUnit",
       "unit_id: \"310113-government\" unit { display_name: \"宝山区政府\" level: "
       "UNIT_LEVEL_DISTRICT kind: UNIT_KIND_GOVERNMENT region: \"regions/310113\" }",
       Code::kAlreadyExists, ""},
      {"catalogue.GetUnit", "", kInvalid, "name"},
      {"catalogue.GetUnit", "name: \"units/\"", kInvalid, "name"},
      {"catalogue.GetUnit", "name: \"units/UPPER\"", kInvalid, "name"},
      {"catalogue.GetUnit", "name: \"units/none\"", Code::kNotFound, ""},
      {"catalogue.ListUnits", "region: \"x\"", kInvalid, "region"},
      {"catalogue.ListUnits", "page_size: -5", kInvalid, "page_size"},
      {"catalogue.ListUnits", "page_token: \"%%%\"", kInvalid, "page_token"},
      {"catalogue.ListUnits", "page_token: " + forged, kInvalid, "page_token"},
      {"catalogue.ListUnits", "page_token: " + Quoted(region_token_), kInvalid, "page_token"},
      {"catalogue.LookupUnit", "", kInvalid, "display_name"},
      {"catalogue.LookupUnit", "display_name: \"" + Repeat(129) + "\"", kInvalid, "display_name"},
      {"catalogue.LookupUnit", "display_name: \"无此单位\"", Code::kNotFound, ""},
      {"catalogue.UpdateUnit", "unit { name: \"units/310113-government\" }", kInvalid,
       "update_mask"},
      {"catalogue.UpdateUnit",
       "unit { name: \"units/310113-government\" } update_mask { paths: \"files_annual_report\" "
       "}",
       kInvalid, "update_mask.paths[0]"},
      {"catalogue.UpdateUnit", "unit { name: \"x\" } update_mask { paths: \"display_name\" }",
       kInvalid, "unit.name"},
      {"catalogue.UpdateUnit",
       "unit { name: \"units/310113-government\" kind: 99 } update_mask { paths: \"kind\" }",
       kInvalid, "unit.kind"},
      {"catalogue.UpdateUnit",
       "unit { name: \"units/310113-government\" " + Repeat(21, "aliases: \"别名\" ") +
           "} update_mask { paths: \"aliases\" }",
       kInvalid, "unit.aliases"},
      {"catalogue.DeleteUnit", "name: \"units/\"", kInvalid, "name"},
      {"catalogue.DeleteUnit", "name: \"units/none\"", Code::kNotFound, ""},

      // --- Projects --------------------------------------------------------
      {"catalogue.CreateProject", "project {}", kInvalid, "project.year"},
      {"catalogue.CreateProject", "project {}", kInvalid, "project.level"},
      {"catalogue.CreateProject", "project {}", kInvalid, "project.title"},
      {"catalogue.CreateProject", "project {}", kInvalid, "project.units"},
      {"catalogue.CreateProject", "project {}", kInvalid, "project.region"},
      {"catalogue.CreateProject", "project_id: \"Bad\" " + project + "}", kInvalid, "project_id"},
      {"catalogue.CreateProject", project_with({{"year", "1999"}}), kInvalid, "project.year"},
      {"catalogue.CreateProject", project_with({{"year", "2101"}}), kInvalid, "project.year"},
      {"catalogue.CreateProject", project_with({{"level", "7"}}), kInvalid, "project.level"},
      {"catalogue.CreateProject", project_with({{"level", "-3"}}), kInvalid, "project.level"},
      {"catalogue.CreateProject", project_with({{"title", Quoted(Repeat(201))}}), kInvalid,
       "project.title"},
      {"catalogue.CreateProject", project + Repeat(21, "units: \"units/310113-government\" ") + "}",
       kInvalid, "project.units"},
      {"catalogue.CreateProject", project + "units: \"units/310113-government\" }", kInvalid,
       "project.units[1]"},
      {"catalogue.CreateProject", project + "units: \"unit/x\" }", kInvalid, "project.units[1]"},
      {"catalogue.CreateProject", project_with({{"region", "\"regions/31011\""}}), kInvalid,
       "project.region"},
      {"catalogue.CreateProject", project + "description: \"" + Repeat(4001) + "\" }", kInvalid,
       "project.description"},
      {"catalogue.CreateProject", project + "theme: \"" + Repeat(33) + "\" }", kInvalid,
       "project.theme"},
      {"catalogue.CreateProject", project + "anticipated_rank: -1 }", kInvalid,
       "project.anticipated_rank"},
      {"catalogue.CreateProject", project + "anticipated_rank: 3 }", kInvalid,
       "project.anticipated_rank"},
      {"catalogue.CreateProject",
       project + Repeat(51, "outcomes { phrase: \"受益12万人次\" } ") + "}", kInvalid,
       "project.outcomes"},
      {"catalogue.CreateProject", project + "outcomes { phrase: \"\" } }", kInvalid,
       "project.outcomes[0].phrase"},
      {"catalogue.CreateProject",
       project + "outcomes { phrase: \"受益12万人次" + Repeat(495) + "\" } }", kInvalid,
       "project.outcomes[0].phrase"},
      {"catalogue.CreateProject", project + "outcomes { phrase: \"群众很满意\" } }", kInvalid,
       "project.outcomes[0].phrase"},
      {"catalogue.CreateProject", project + "} request_id: \"" + Repeat(65, "r") + "\"", kInvalid,
       "request_id"},
      {"catalogue.CreateProject", project + "} request_id: \"a\\nb\"", kInvalid, "request_id"},
      {"catalogue.CreateProject",
       "project { year: 2023 level: PROJECT_LEVEL_DISTRICT title: \"无主项目\" units: "
       "\"units/none\" region: \"regions/310113\" }",
       Code::kNotFound, "project.units[0]"},
      {"catalogue.CreateProject",
       "project { year: 2023 level: PROJECT_LEVEL_DISTRICT title: \"无地项目\" units: "
       "\"units/310113-government\" region: \"regions/310199\" }",
       Code::kNotFound, "project.region"},
      {"catalogue.CreateProject",
       "project { year: 2023 level: PROJECT_LEVEL_DISTRICT title: \"反诈预警\" units: "
       "\"units/310113-government\" region: \"regions/310113\" }",
       Code::kAlreadyExists, ""},
      {"catalogue.GetProject", "", kInvalid, "name"},
      {"catalogue.GetProject", "name: \"projects/\"", kInvalid, "name"},
      {"catalogue.GetProject", "name: \"projects/none\"", Code::kNotFound, ""},
      {"catalogue.ListProjects", "year: 1800", kInvalid, "year"},
      {"catalogue.ListProjects", "region: \"310113\"", kInvalid, "region"},
      {"catalogue.ListProjects", "include_descendants: true", kInvalid, "include_descendants"},
      {"catalogue.ListProjects", "unit: \"units/\"", kInvalid, "unit"},
      {"catalogue.ListProjects", "level: 7", kInvalid, "level"},
      {"catalogue.ListProjects", "status: 99", kInvalid, "status"},
      {"catalogue.ListProjects", "flags: PROJECT_FLAG_UNSPECIFIED", kInvalid, "flags[0]"},
      {"catalogue.ListProjects", "flags: 9", kInvalid, "flags[0]"},
      {"catalogue.ListProjects", Repeat(4, "flags: PROJECT_FLAG_EXCELLENT "), kInvalid, "flags"},
      {"catalogue.ListProjects", "theme: \"" + Repeat(33) + "\"", kInvalid, "theme"},
      {"catalogue.ListProjects", "text: \"" + Repeat(101) + "\"", kInvalid, "text"},
      {"catalogue.ListProjects", "order_by: \"nonsense\"", kInvalid, "order_by"},
      {"catalogue.ListProjects", "order_by: \"year up\"", kInvalid, "order_by"},
      {"catalogue.ListProjects", "order_by: \"year, title, year, title\"", kInvalid, "order_by"},
      {"catalogue.ListProjects", "page_size: -1", kInvalid, "page_size"},
      {"catalogue.ListProjects", "page_token: \"@@\"", kInvalid, "page_token"},
      {"catalogue.ListProjects", "page_token: " + altered, kInvalid, "page_token"},
      {"catalogue.ListProjects", "page_token: " + Quoted(region_token_), kInvalid, "page_token"},
      {"catalogue.UpdateProject", update_project + "}", kInvalid, "update_mask"},
      {"catalogue.UpdateProject", update_project + "} update_mask { paths: \"name\" }", kInvalid,
       "update_mask.paths[0]"},
      {"catalogue.UpdateProject", update_project + "} update_mask { paths: \"status\" }", kInvalid,
       "update_mask.paths[0]"},
      {"catalogue.UpdateProject",
       update_project + "} update_mask { paths: \"title\" paths: \"title\" }", kInvalid,
       "update_mask.paths[1]"},
      {"catalogue.UpdateProject",
       "project { name: \"projects/Bad\" } update_mask { paths: \"title\" }", kInvalid,
       "project.name"},
      {"catalogue.UpdateProject",
       update_project + "title: \"" + Repeat(201) + "\" } update_mask { paths: \"title\" }",
       kInvalid, "project.title"},
      {"catalogue.UpdateProject", update_project + "level: 7 } update_mask { paths: \"level\" }",
       kInvalid, "project.level"},
      {"catalogue.UpdateProject",
       update_project + Repeat(51, "outcomes { phrase: \"受益12万人次\" } ") +
           "} update_mask { paths: \"outcomes\" }",
       kInvalid, "project.outcomes"},
      {"catalogue.UpdateProject",
       update_project + "units: \"units/none\" } update_mask { paths: \"units\" }", Code::kNotFound,
       "project.units[0]"},
      {"catalogue.UpdateProject",
       "project { name: \"projects/none\" title: \"无\" } update_mask { paths: \"title\" }",
       Code::kNotFound, ""},
      {"catalogue.UpdateProject",
       update_project + "title: \"改名\" } update_mask { paths: \"title\" } etag: \"stale\"",
       Code::kAborted, ""},
      {"catalogue.DeleteProject", "name: \"projects/\"", kInvalid, "name"},
      {"catalogue.DeleteProject", "name: \"projects/anti-fraud\" etag: \"stale\"", Code::kAborted,
       ""},
      {"catalogue.TransitionProject", "name: \"projects/anti-fraud\"", kInvalid, "to_status"},
      {"catalogue.TransitionProject", "name: \"projects/anti-fraud\" to_status: 99", kInvalid,
       "to_status"},
      {"catalogue.TransitionProject",
       "name: \"projects/anti-fraud\" to_status: PROJECT_STATUS_REGISTERED", kInvalid,
       "effective_date"},
      {"catalogue.TransitionProject",
       "name: \"projects/anti-fraud\" to_status: PROJECT_STATUS_REGISTERED effective_date { "
       "year: 2023 month: 2 day: 30 }",
       kInvalid, "effective_date"},
      {"catalogue.TransitionProject",
       "name: \"projects/anti-fraud\" to_status: PROJECT_STATUS_REGISTERED effective_date { "
       "year: 2023 month: 3 day: 1 } note: \"" +
           Repeat(501) + "\"",
       kInvalid, "note"},
      {"catalogue.TransitionProject",
       "name: \"projects/anti-fraud\" to_status: PROJECT_STATUS_DELIVERED effective_date { "
       "year: 2023 month: 3 day: 1 }",
       Code::kFailedPrecondition, ""},
      {"catalogue.TransitionProject", "name: \"x\" to_status: PROJECT_STATUS_REGISTERED", kInvalid,
       "name"},
      {"catalogue.ReviewProject",
       "name: \"projects/anti-fraud\" result: REVIEW_RESULT_PASSED review_date { year: 2023 "
       "month: 12 day: 1 }",
       Code::kFailedPrecondition, ""},
      {"catalogue.ReviewProject", "name: \"projects/\"", kInvalid, "name"},
      {"catalogue.ListChanges", "resource: \"projects/anti-fraud\" page_size: -1", kInvalid,
       "page_size"},
      {"catalogue.ListChanges", "resource: \"projects/anti-fraud\" page_token: \"!!\"", kInvalid,
       "page_token"},
      {"catalogue.ListChanges", "resource: \"projects/anti-fraud\" page_token: " + forged, kInvalid,
       "page_token"},
      {"catalogue.ListChanges", "resource: \"projects/none\"", Code::kNotFound, ""},

      // --- Indicators and observations -------------------------------------
      {"metrics.CreateIndicator", "indicator {}", kInvalid, "indicator.code"},
      {"metrics.CreateIndicator", "indicator {}", kInvalid, "indicator.display_name"},
      {"metrics.CreateIndicator", "indicator {}", kInvalid, "indicator.unit_of_measure"},
      {"metrics.CreateIndicator", "indicator {}", kInvalid, "indicator.kind"},
      {"metrics.CreateIndicator", "indicator {}", kInvalid, "indicator.direction"},
      {"metrics.CreateIndicator", indicator_with({{"code", "\"Bad\""}}), kInvalid,
       "indicator.code"},
      {"metrics.CreateIndicator", indicator_with({{"code", "\"1abc\""}}), kInvalid,
       "indicator.code"},
      {"metrics.CreateIndicator", indicator_with({{"code", Quoted(Repeat(64, "a"))}}), kInvalid,
       "indicator.code"},
      {"metrics.CreateIndicator", indicator_with({{"display_name", Quoted(Repeat(65))}}), kInvalid,
       "indicator.display_name"},
      {"metrics.CreateIndicator", indicator_with({{"unit_of_measure", Quoted(Repeat(9))}}),
       kInvalid, "indicator.unit_of_measure"},
      {"metrics.CreateIndicator", indicator + "description: \"" + Repeat(1001) + "\" }", kInvalid,
       "indicator.description"},
      {"metrics.CreateIndicator", indicator_with({{"kind", "99"}}), kInvalid, "indicator.kind"},
      {"metrics.CreateIndicator", indicator_with({{"direction", "99"}}), kInvalid,
       "indicator.direction"},
      {"metrics.CreateIndicator", indicator + "numerator_code: \"mediation_cases\" }", kInvalid,
       "indicator.denominator_code"},
      {"metrics.CreateIndicator", indicator + "numerator_code: \"a\" denominator_code: \"b\" }",
       kInvalid, "indicator.kind"},
      {"metrics.CreateIndicator",
       indicator_with({{"kind", "INDICATOR_KIND_RATE"},
                       {"numerator_code", "\"Bad\""},
                       {"denominator_code", "\"b\""}}),
       kInvalid, "indicator.numerator_code"},
      {"metrics.CreateIndicator",
       "indicator { code: \"mediation_cases\" display_name: \"人民调解\" unit_of_measure: "
       "\"件\" kind: INDICATOR_KIND_COUNT direction: DIRECTION_HIGHER_IS_BETTER }",
       Code::kAlreadyExists, ""},
      {"metrics.GetIndicator", "", kInvalid, "name"},
      {"metrics.GetIndicator", "name: \"indicators/Bad\"", kInvalid, "name"},
      {"metrics.GetIndicator", "name: \"indicators/none\"", Code::kNotFound, ""},
      {"metrics.ListIndicators", "page_size: -1", kInvalid, "page_size"},
      {"metrics.ListIndicators", "page_token: \"??\"", kInvalid, "page_token"},
      {"metrics.ListIndicators", "page_token: " + forged, kInvalid, "page_token"},
      {"metrics.RecordObservation", "observation {}", kInvalid, "observation.indicator"},
      {"metrics.RecordObservation", "observation {}", kInvalid, "observation.subject"},
      {"metrics.RecordObservation", "observation {}", kInvalid, "observation.period.year"},
      {"metrics.RecordObservation", "observation {}", kInvalid, "observation.quantity"},
      {"metrics.RecordObservation",
       "observation { indicator: \"mediation_cases\" subject: \"regions/310113\" period { "
       "year: 2022 } quantity { decimal: \"1\" } }",
       kInvalid, "observation.indicator"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/mediation_cases\" subject: \"310113\" period { "
       "year: 2022 } quantity { decimal: \"1\" } }",
       kInvalid, "observation.subject"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/mediation_cases\" subject: \"regions/310113\" "
       "period { year: 1800 } quantity { decimal: \"1\" } }",
       kInvalid, "observation.period.year"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/mediation_cases\" subject: \"regions/310113\" "
       "period { year: 2022 start_month: 13 } quantity { decimal: \"1\" } }",
       kInvalid, "observation.period.start_month"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/mediation_cases\" subject: \"regions/310113\" "
       "period { year: 2022 start_month: 6 end_month: 3 } quantity { decimal: \"1\" } }",
       kInvalid, "observation.period.end_month"},
      {"metrics.RecordObservation", observation + "quantity { decimal: \"-1\" } }", kInvalid,
       "observation.quantity.decimal"},
      {"metrics.RecordObservation", observation + "quantity { decimal: \"1e5\" } }", kInvalid,
       "observation.quantity.decimal"},
      {"metrics.RecordObservation", observation + "quantity { decimal: \"1.50\" } }", kInvalid,
       "observation.quantity.decimal"},
      {"metrics.RecordObservation", observation + quantity + "qualifier: 42 } }", kInvalid,
       "observation.quantity.qualifier"},
      {"metrics.RecordObservation", observation + quantity + "multiplier: 77 } }", kInvalid,
       "observation.quantity.multiplier"},
      {"metrics.RecordObservation", observation + quantity + "text: \"" + Repeat(65) + "\" } }",
       kInvalid, "observation.quantity.text"},
      {"metrics.RecordObservation",
       observation + quantity + "measure_word: \"" + Repeat(9) + "\" } }", kInvalid,
       "observation.quantity.measure_word"},
      {"metrics.RecordObservation", observation + "quantity { text: \"很多\" } }", kInvalid,
       "observation.quantity.text"},
      {"metrics.RecordObservation", observation + quantity + "} provenance { source: 99 } }",
       kInvalid, "observation.provenance.source"},
      {"metrics.RecordObservation",
       observation + quantity + "} provenance { source: SOURCE_EXTRACTED_FROM_REPORT } }", kInvalid,
       "observation.provenance.report"},
      {"metrics.RecordObservation",
       observation + quantity + "} provenance { report: \"report/x\" } }", kInvalid,
       "observation.provenance.report"},
      {"metrics.RecordObservation",
       observation + quantity + "} provenance { excerpt: \"" + Repeat(501) + "\" } }", kInvalid,
       "observation.provenance.excerpt"},
      {"metrics.RecordObservation",
       observation + quantity + "} provenance { note: \"" + Repeat(501) + "\" } }", kInvalid,
       "observation.provenance.note"},
      {"metrics.RecordObservation",
       observation + quantity + "} } request_id: \"" + Repeat(65, "r") + "\"", kInvalid,
       "request_id"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/court_appearance_rate\" subject: "
       "\"regions/310113\" period { year: 2022 } quantity { decimal: \"120\" } }",
       kInvalid, "observation.quantity.decimal"},
      {"metrics.RecordObservation", observation + "quantity { decimal: \"12.5\" } }", kInvalid,
       "observation.quantity.decimal"},
      {"metrics.RecordObservation",
       "observation { indicator: \"indicators/none\" subject: \"regions/310113\" period { "
       "year: 2022 } quantity { decimal: \"1\" } }",
       Code::kNotFound, "observation.indicator"},
      {"metrics.ListObservations", "subject: \"x\"", kInvalid, "subject"},
      {"metrics.ListObservations", "subject: \"regions/310113\" year: 1800", kInvalid, "year"},
      {"metrics.ListObservations", "subject: \"regions/310113\" indicator: \"x\"", kInvalid,
       "indicator"},
      {"metrics.ListObservations", "subject: \"regions/310113\" page_size: -1", kInvalid,
       "page_size"},
      {"metrics.ListObservations", "subject: \"regions/310113\" page_token: \"~\"", kInvalid,
       "page_token"},
      {"metrics.ListObservations", "subject: \"regions/310113\" page_token: " + altered, kInvalid,
       "page_token"},
      {"metrics.GetSnapshot", "subject: \"x\" year: 2023", kInvalid, "subject"},
      {"metrics.GetSnapshot", "subject: \"regions/310113\"", kInvalid, "year"},
      {"metrics.BatchGetSnapshots", "year: 2023", kInvalid, "subjects"},
      {"metrics.BatchGetSnapshots", "year: 2023 " + Repeat(101, "subjects: \"regions/310113\" "),
       kInvalid, "subjects"},
      {"metrics.BatchGetSnapshots",
       "year: 2023 subjects: \"regions/310113\" subjects: \"regions/310113\"", kInvalid,
       "subjects[1]"},
      {"metrics.BatchGetSnapshots", "year: 2023 subjects: \"310113\"", kInvalid, "subjects[0]"},
      {"metrics.BatchGetSnapshots", "subjects: \"regions/310113\"", kInvalid, "year"},
      {"metrics.CorrectObservation", "", kInvalid, "name"},
      {"metrics.CorrectObservation", "name: " + Quoted(observation_), kInvalid, "quantity"},
      {"metrics.CorrectObservation", "name: " + Quoted(observation_), kInvalid, "reason"},
      {"metrics.CorrectObservation",
       "name: " + Quoted(observation_) + " quantity { decimal: \"1\" } reason: \"" + Repeat(501) +
           "\"",
       kInvalid, "reason"},
      {"metrics.CorrectObservation",
       "name: " + Quoted(observation_) +
           " quantity { decimal: \"1\" qualifier: 42 } reason: \"更正\"",
       kInvalid, "quantity.qualifier"},
      {"metrics.CorrectObservation",
       "name: " + Quoted(observation_) +
           " quantity { decimal: \"1\" } reason: \"更正\" provenance { excerpt: \"" + Repeat(501) +
           "\" }",
       kInvalid, "provenance.excerpt"},
      {"metrics.CorrectObservation",
       "name: \"observations/none\" quantity { decimal: \"1\" } reason: \"更正\"", Code::kNotFound,
       ""},
      {"metrics.DeleteObservation", "name: \"obs/1\" reason: \"删\"", kInvalid, "name"},
      {"metrics.DeleteObservation", "name: " + Quoted(observation_), kInvalid, "reason"},
      {"metrics.DeleteObservation", "name: \"observations/none\" reason: \"删\"", Code::kNotFound,
       ""},
      {"metrics.ListObservationHistory", "name: \"x\"", kInvalid, "name"},
      {"metrics.ListObservationHistory", "name: " + Quoted(observation_) + " page_token: \"!\"",
       kInvalid, "page_token"},
      {"metrics.GetSeries", "subject: \"x\" indicator: \"indicators/mediation_cases\"", kInvalid,
       "subject"},
      {"metrics.GetSeries", "subject: \"regions/310113\" indicator: \"x\"", kInvalid, "indicator"},
      {"metrics.CompareSubjects", "indicator: \"x\" subjects: \"regions/310113\" year: 2023",
       kInvalid, "indicator"},
      {"metrics.CompareSubjects",
       "indicator: \"indicators/mediation_cases\" year: 2023 " +
           Repeat(501, "subjects: \"regions/310113\" "),
       kInvalid, "subjects"},
      {"metrics.RollUpSnapshot", "subject: \"regions/310000\" year: 2023", kInvalid, "parts"},
      {"metrics.RollUpSnapshot", "subject: \"x\" parts: \"regions/310113\" year: 2023", kInvalid,
       "subject"},
      {"metrics.RollUpSnapshot", "subject: \"regions/310000\" parts: \"regions/310113\"", kInvalid,
       "year"},
      {"metrics.BatchRecordObservations", "", kInvalid, "requests"},
      {"metrics.BatchRecordObservations", Repeat(1001, "requests {} "), kInvalid, "requests"},
      {"metrics.ReplaceReportObservations", "report_version: 1", kInvalid, "report"},
      {"metrics.ReplaceReportObservations", "report: \"reports/310113-government-2023\"", kInvalid,
       "report_version"},
      {"metrics.ReplaceReportObservations",
       "report: \"reports/310113-government-2023\" report_version: 1 " +
           Repeat(1001, "observations {} "),
       kInvalid, "observations"},

      // --- Reports ---------------------------------------------------------
      {"report.SubmitReport", "report {}", kInvalid, "report.filer"},
      {"report.SubmitReport", "report {}", kInvalid, "report.region"},
      {"report.SubmitReport", "report {}", kInvalid, "report.year"},
      {"report.SubmitReport", "report {}", kInvalid, "report.text"},
      {"report.SubmitReport", report_with({{"filer", "\"310113-government\""}}), kInvalid,
       "report.filer"},
      {"report.SubmitReport", report_with({{"region", "\"regions/3101\""}}), kInvalid,
       "report.region"},
      {"report.SubmitReport", report_with({{"year", "1800"}}), kInvalid, "report.year"},
      {"report.SubmitReport", report_with({{"text", "\"  \\n \""}}), kInvalid, "report.text"},
      {"report.SubmitReport", report_with({{"text", "\"\\377\\376\\375\""}}), kInvalid,
       "fazhi.report.v1.Report.text"},
      {"report.SubmitReport",
       report_with({{"text", Quoted(Repeat(limits::kMaxReportTextBytes + 1, "a"))}}), kInvalid,
       "report.text"},
      {"report.SubmitReport", report + text + "title: \"" + Repeat(201) + "\" }", kInvalid,
       "report.title"},
      {"report.SubmitReport", report + text + "published_where: \"" + Repeat(501) + "\" }",
       kInvalid, "report.published_where"},
      {"report.SubmitReport", report + text + "kind: 99 }", kInvalid, "report.kind"},
      {"report.SubmitReport", report + text + "text_format: 99 }", kInvalid, "report.text_format"},
      {"report.SubmitReport", report + text + "raw_text: \"abc\" }", kInvalid, "report.raw_text"},
      {"report.SubmitReport",
       report + "raw_text: \"" + Repeat(limits::kMaxReportTextBytes + 1, "a") + "\" }", kInvalid,
       "report.raw_text"},
      {"report.SubmitReport", report + "raw_text: \"abc\" encoding: \"EBCDIC\" }", kInvalid,
       "report.encoding"},
      {"report.SubmitReport", report + text + "encoding: \"GBK\" }", kInvalid, "report.encoding"},
      {"report.SubmitReport", report + text + "submitted_date { year: 2023 month: 2 day: 30 } }",
       kInvalid, "report.submitted_date"},
      {"report.SubmitReport", report + text + "published_date { year: 2023 month: 13 day: 1 } }",
       kInvalid, "report.published_date"},
      {"report.SubmitReport", "report_id: \"Bad\" " + report + text + "}", kInvalid, "report_id"},
      {"report.SubmitReport", report + text + "} request_id: \"" + Repeat(65, "r") + "\"", kInvalid,
       "request_id"},
      {"report.GetReport", "", kInvalid, "name"},
      {"report.GetReport", "name: \"reports/\"", kInvalid, "name"},
      {"report.GetReport", "name: \"reports/none\"", Code::kNotFound, ""},
      {"report.ListReports", "region: \"x\"", kInvalid, "region"},
      {"report.ListReports", "year: 1800", kInvalid, "year"},
      {"report.ListReports", "filer: \"x\"", kInvalid, "filer"},
      {"report.ListReports", "page_size: -1", kInvalid, "page_size"},
      {"report.ListReports", "page_token: \"*\"", kInvalid, "page_token"},
      {"report.ListReports", "page_token: " + altered, kInvalid, "page_token"},
      {"report.ListReports", "page_token: " + Quoted(region_token_), kInvalid, "page_token"},
      {"report.ListReportVersions", "name: \"x\"", kInvalid, "name"},
      {"report.ListReportVersions", "name: \"reports/none\"", Code::kNotFound, ""},
      {"report.SearchReports", "query: \"" + Repeat(201) + "\"", kInvalid, "query"},
      {"report.SearchReports", "query: \"法治\" kind: 99", kInvalid, "kind"},
      {"report.SearchReports", "query: \"法治\" page_size: 51", kInvalid, "page_size"},
      {"report.SearchReports", "query: \"法治\" page_size: -1", kInvalid, "page_size"},
      {"report.SearchReports", "query: \"法治\" page_token: \"^\"", kInvalid, "page_token"},
      {"report.SearchReports", "query: \"法治\" page_token: " + forged, kInvalid, "page_token"},
      {"report.SearchReports", "query: \"法治\" region: \"x\"", kInvalid, "region"},
      {"report.SearchReports", "query: \"法治\" year: 1800", kInvalid, "year"},
      {"report.PublishReportFigures", "name: \"x\"", kInvalid, "name"},
      {"report.PublishReportFigures", "name: \"reports/none\"", Code::kNotFound, ""},

      // --- Gateway ---------------------------------------------------------
      {"gateway.GetDistrictComplianceSummary", "year: 2023", kInvalid, "region_code"},
      {"gateway.GetDistrictComplianceSummary", "region_code: \"31011\" year: 2023", kInvalid,
       "region_code"},
      {"gateway.GetDistrictComplianceSummary", "region_code: \"abcdef\" year: 2023", kInvalid,
       "region_code"},
      {"gateway.GetDistrictComplianceSummary", "region_code: \"310113\"", kInvalid, "year"},
      {"gateway.GetDistrictComplianceSummary", "region_code: \"310113\" year: 1800", kInvalid,
       "year"},
      {"gateway.GetDistrictComplianceSummary", "region_code: \"310113\" year: 2101", kInvalid,
       "year"},
      {"gateway.RankRegions", "year: 2023", kInvalid, "parent_region_code"},
      {"gateway.RankRegions", "parent_region_code: \"31\" year: 2023", kInvalid,
       "parent_region_code"},
      {"gateway.RankRegions", "parent_region_code: \"310000\" year: 2023 level: 99", kInvalid,
       "level"},
      {"gateway.RankRegions", "parent_region_code: \"310000\"", kInvalid, "year"},
      {"gateway.RankRegions", "parent_region_code: \"310000\" year: 2023 page_size: -1", kInvalid,
       "page_size"},
      {"gateway.RankRegions", "parent_region_code: \"310000\" year: 2023 page_token: \"#\"",
       kInvalid, "page_token"},
      {"gateway.RankRegions", "parent_region_code: \"310000\" year: 2023 page_token: " + forged,
       kInvalid, "page_token"},
      {"gateway.GetRegionTrend", "region_code: \"x\" from_year: 2020 to_year: 2023", kInvalid,
       "region_code"},
      {"gateway.GetRegionTrend", "region_code: \"310113\" to_year: 2023", kInvalid, "from_year"},
      {"gateway.GetRegionTrend", "region_code: \"310113\" from_year: 2023 to_year: 2020", kInvalid,
       "to_year"},
      {"gateway.GetRegionTrend", "region_code: \"310113\" from_year: 1960 to_year: 2000", kInvalid,
       "to_year"},
      {"gateway.GetProjectDossier", "", kInvalid, "project"},
      {"gateway.GetProjectDossier", "project: \"projects/\"", kInvalid, "project"},
      {"gateway.GetProjectDossier", "project: \"projects/anti-fraud\" max_passages: 51", kInvalid,
       "max_passages"},
      {"gateway.GetProjectDossier", "project: \"projects/anti-fraud\" max_passages: -1", kInvalid,
       "max_passages"},
  };
  return corpus;
}

TEST_F(BadInputCorpusTest, EveryBadRequestIsRefusedNamingItsFieldAndNothingIsWritten) {
  const std::vector<BadRequest> corpus = Corpus();
  ASSERT_GE(corpus.size(), 200u);
  std::set<std::string> services;
  for (const auto& row : corpus) services.insert(row.method.substr(0, row.method.find('.')));
  EXPECT_EQ(services.size(), 4u);

  const auto before = Checkpoint();
  ASSERT_EQ(before.size(), 3u);
  for (const auto& [store, families] : before) ASSERT_FALSE(families.empty()) << store;

  for (size_t i = 0; i < corpus.size(); ++i) {
    const BadRequest& row = corpus[i];
    auto method = methods_.find(row.method);
    ASSERT_NE(method, methods_.end()) << row.method;
    const absl::Status s = method->second(row.request);
    SCOPED_TRACE(absl::StrCat("row ", i, ": ", row.method, " ", row.request.substr(0, 160)));
    EXPECT_EQ(s.code(), row.code) << s;
    if (!row.field.empty()) {
      EXPECT_THAT(ViolatedFields(s), ::testing::Contains(row.field)) << s;
    }
    // Every refusal stays small whatever the request held.
    EXPECT_LE(s.message().size(), errors::kMaxMessageBytes);
  }

  const auto after = Checkpoint();
  for (const auto& [store, families] : before) {
    ASSERT_EQ(after.count(store), 1u) << store;
    for (const auto& [family, contents] : families) {
      ASSERT_EQ(after.at(store).count(family), 1u) << store << "/" << family;
      const auto& now = after.at(store).at(family);
      EXPECT_EQ(now.size(), contents.size()) << store << "/" << family;
      EXPECT_TRUE(now == contents) << store << "/" << family << " changed";
    }
  }
}

}  // namespace
}  // namespace fazhi::limits_test
