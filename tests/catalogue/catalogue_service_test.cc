// Integration tests of the catalogue: CatalogueServiceImpl over a real
// CatalogueStore in a fresh temp directory, served in process on
// 127.0.0.1:0 and called through a real gRPC stub, so validation, storage,
// status mapping and the google.rpc details on the wire are all exercised.
#include "services/catalogue/catalogue_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Stub = v1::CatalogueService::Stub;

// Shanghai's sixteen districts (DOMAIN.md), in code order.
const std::vector<std::pair<std::string, std::string>>& ShanghaiDistricts() {
  static const auto* districts = new std::vector<std::pair<std::string, std::string>>{
      {"310101", "黄浦区"}, {"310104", "徐汇区"}, {"310105", "长宁区"},   {"310106", "静安区"},
      {"310107", "普陀区"}, {"310109", "虹口区"}, {"310110", "杨浦区"},   {"310112", "闵行区"},
      {"310113", "宝山区"}, {"310114", "嘉定区"}, {"310115", "浦东新区"}, {"310116", "金山区"},
      {"310117", "松江区"}, {"310118", "青浦区"}, {"310120", "奉贤区"},   {"310151", "崇明区"},
  };
  return *districts;
}

// The fields a status's BadRequest names, in order; empty without one.
using ::fazhi::testing::ViolatedFields;

v1::Region MakeRegion(const std::string& code, const std::string& display_name,
                      v1::RegionLevel level, const std::string& parent) {
  v1::Region region;
  region.set_code(code);
  region.set_display_name(display_name);
  region.set_level(level);
  region.set_parent(parent);
  return region;
}

v1::Unit MakeUnit(const std::string& display_name, v1::UnitKind kind, v1::UnitLevel level,
                  const std::string& region, const std::vector<std::string>& aliases = {}) {
  v1::Unit unit;
  unit.set_display_name(display_name);
  unit.set_kind(kind);
  unit.set_level(level);
  unit.set_region(region);
  for (const auto& alias : aliases) unit.add_aliases(alias);
  return unit;
}

v1::Project MakeProject(const std::string& title, int year, const std::string& unit,
                        const std::string& region) {
  v1::Project project;
  project.set_title(title);
  project.set_year(year);
  project.set_level(v1::PROJECT_LEVEL_DISTRICT);
  project.add_units(unit);
  project.set_region(region);
  return project;
}

class CatalogueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }
  void TearDown() override { StopServer(); }

  // Opens the store in dir_ (creating or reopening it) and serves it.
  void StartServer() { stub_ = catalogue_.Start(); }

  // Stops the server and closes the store, as the binary does on SIGTERM.
  void StopServer() {
    stub_.reset();
    catalogue_.Stop();
  }

  // Calls `method` on the stub with a deadline; the status comes back with
  // its google.rpc details as payloads.
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  absl::Status CreateRegion(const v1::Region& region, v1::Region* out = nullptr) {
    v1::CreateRegionRequest request;
    *request.mutable_region() = region;
    v1::Region response;
    absl::Status s = Call(&Stub::CreateRegion, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  absl::Status GetRegion(const std::string& name, v1::Region* out) {
    v1::GetRegionRequest request;
    request.set_name(name);
    return Call(&Stub::GetRegion, request, out);
  }

  absl::Status CreateUnit(const std::string& id, const v1::Unit& unit, v1::Unit* out = nullptr) {
    v1::CreateUnitRequest request;
    request.set_unit_id(id);
    *request.mutable_unit() = unit;
    v1::Unit response;
    absl::Status s = Call(&Stub::CreateUnit, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  absl::Status GetUnit(const std::string& name, v1::Unit* out) {
    v1::GetUnitRequest request;
    request.set_name(name);
    return Call(&Stub::GetUnit, request, out);
  }

  absl::Status LookupUnit(const std::string& display_name, v1::Unit* out) {
    v1::LookupUnitRequest request;
    request.set_display_name(display_name);
    return Call(&Stub::LookupUnit, request, out);
  }

  absl::Status CreateProject(const v1::Project& project, const std::string& request_id,
                             v1::Project* out = nullptr, const std::string& project_id = "") {
    v1::CreateProjectRequest request;
    *request.mutable_project() = project;
    request.set_request_id(request_id);
    request.set_project_id(project_id);
    v1::Project response;
    absl::Status s = Call(&Stub::CreateProject, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  absl::Status GetProject(const std::string& name, v1::Project* out) {
    v1::GetProjectRequest request;
    request.set_name(name);
    return Call(&Stub::GetProject, request, out);
  }

  // Every project matching year/region, following page tokens (bounded).
  std::vector<std::string> ListProjectNames(int year, const std::string& region) {
    std::vector<std::string> names;
    v1::ListProjectsRequest request;
    request.set_year(year);
    request.set_region(region);
    for (int page = 0; page < 100; ++page) {
      v1::ListProjectsResponse response;
      absl::Status s = Call(&Stub::ListProjects, request, &response);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      for (const auto& p : response.projects()) names.push_back(p.name());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }

  void CreateShanghai() {
    ASSERT_TRUE(CreateRegion(MakeRegion("310000", "上海市", v1::REGION_LEVEL_PROVINCE, "")).ok());
  }

  void CreateDistricts() {
    for (const auto& [code, name] : ShanghaiDistricts()) {
      absl::Status s =
          CreateRegion(MakeRegion(code, name, v1::REGION_LEVEL_COUNTY, "regions/310000"));
      ASSERT_TRUE(s.ok()) << code << ": " << s;
    }
  }

  // Shanghai, its districts, and two units that own projects.
  void CreateCatalogueBasics() {
    ASSERT_NO_FATAL_FAILURE(CreateShanghai());
    ASSERT_NO_FATAL_FAILURE(CreateDistricts());
    ASSERT_TRUE(CreateUnit("310113-government",
                           MakeUnit("上海市宝山区人民政府", v1::UNIT_KIND_GOVERNMENT,
                                    v1::UNIT_LEVEL_DISTRICT, "regions/310113", {"宝山区人民政府"}))
                    .ok());
    ASSERT_TRUE(CreateUnit("310107-justice",
                           MakeUnit("上海市普陀区司法局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                    v1::UNIT_LEVEL_DISTRICT, "regions/310107", {"普陀区司法局"}))
                    .ok());
  }

  testing::TempDir dir_;
  TestCatalogueServer catalogue_{dir_.path()};
  std::unique_ptr<Stub> stub_;
};

// ---------------------------------------------------------------- regions

TEST_F(CatalogueServiceTest, CreatesShanghaiAndItsDistrictsAndGetsThemBack) {
  v1::Region shanghai;
  ASSERT_TRUE(
      CreateRegion(MakeRegion("310000", "上海市", v1::REGION_LEVEL_PROVINCE, ""), &shanghai).ok());
  EXPECT_EQ(shanghai.name(), "regions/310000");

  v1::Region baoshan_in = MakeRegion("310113", "宝山区", v1::REGION_LEVEL_COUNTY, "regions/310000");
  baoshan_in.set_english_name("Baoshan");
  v1::Region created;
  ASSERT_TRUE(CreateRegion(baoshan_in, &created).ok());
  EXPECT_EQ(created.name(), "regions/310113");

  v1::Region got;
  absl::Status s = GetRegion("regions/310113", &got);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(got.name(), "regions/310113");
  EXPECT_EQ(got.code(), "310113");
  EXPECT_EQ(got.display_name(), "宝山区");
  EXPECT_EQ(got.english_name(), "Baoshan");
  EXPECT_EQ(got.level(), v1::REGION_LEVEL_COUNTY);
  EXPECT_EQ(got.parent(), "regions/310000");

  ASSERT_TRUE(GetRegion("regions/310000", &got).ok());
  EXPECT_EQ(got.display_name(), "上海市");
  EXPECT_EQ(got.level(), v1::REGION_LEVEL_PROVINCE);
  EXPECT_TRUE(got.parent().empty());
}

TEST_F(CatalogueServiceTest, CreatingATakenRegionCodeIsAlreadyExists) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  absl::Status s = CreateRegion(MakeRegion("310000", "上海", v1::REGION_LEVEL_PROVINCE, ""));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  v1::Region got;
  ASSERT_TRUE(GetRegion("regions/310000", &got).ok());
  EXPECT_EQ(got.display_name(), "上海市") << "the first region must not be overwritten";
}

TEST_F(CatalogueServiceTest, RegionUnderAnUnknownParentIsNotFound) {
  absl::Status s =
      CreateRegion(MakeRegion("320102", "玄武区", v1::REGION_LEVEL_COUNTY, "regions/320000"));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.parent"));
  v1::Region got;
  EXPECT_EQ(GetRegion("regions/320102", &got).code(), absl::StatusCode::kNotFound);
}

TEST_F(CatalogueServiceTest, MalformedRegionNameIsInvalidArgumentNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  v1::Region got;
  absl::Status s = GetRegion("regions/31011x", &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("name"));

  s = CreateRegion(MakeRegion("31011x", "宝山区", v1::REGION_LEVEL_COUNTY, "regions/310000"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region.code"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.reason(), "INVALID_FIELD");
  EXPECT_EQ(info.domain(), std::string(errors::kErrorDomain));
}

TEST_F(CatalogueServiceTest, WellFormedUnknownRegionIsNotFoundWithResourceInfo) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  v1::Region got;
  absl::Status s = GetRegion("regions/310199", &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info)) << "NOT_FOUND must carry ResourceInfo";
  EXPECT_EQ(info.resource_type(), "Region");
  EXPECT_EQ(info.resource_name(), "regions/310199");
}

TEST_F(CatalogueServiceTest, ListRegionsByParentPaginatesInCodeOrder) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  ASSERT_NO_FATAL_FAILURE(CreateDistricts());
  // Another province with a child, which must not leak into Shanghai's list.
  ASSERT_TRUE(CreateRegion(MakeRegion("320000", "江苏省", v1::REGION_LEVEL_PROVINCE, "")).ok());
  ASSERT_TRUE(
      CreateRegion(MakeRegion("320102", "玄武区", v1::REGION_LEVEL_COUNTY, "regions/320000")).ok());

  v1::ListRegionsRequest request;
  request.set_parent("regions/310000");
  request.set_page_size(5);
  std::vector<int> page_sizes;
  std::vector<std::string> codes;
  std::string second_token;
  for (int page = 0; page < 10; ++page) {
    v1::ListRegionsResponse response;
    absl::Status s = Call(&Stub::ListRegions, request, &response);
    ASSERT_TRUE(s.ok()) << s;
    page_sizes.push_back(response.regions_size());
    for (const auto& r : response.regions()) {
      EXPECT_EQ(r.parent(), "regions/310000") << r.name();
      codes.push_back(r.code());
    }
    if (response.next_page_token().empty()) break;
    if (page == 0) second_token = response.next_page_token();
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(5, 5, 5, 1));
  std::vector<std::string> expected;
  for (const auto& [code, name] : ShanghaiDistricts()) expected.push_back(code);
  EXPECT_THAT(codes, ElementsAreArray(expected));

  // A token is bound to the query that made it.
  ASSERT_FALSE(second_token.empty());
  v1::ListRegionsRequest other;
  other.set_parent("regions/320000");
  other.set_page_size(5);
  other.set_page_token(second_token);
  v1::ListRegionsResponse response;
  absl::Status s = Call(&Stub::ListRegions, other, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("page_token"));

  // Without a parent: every region, in code order.
  v1::ListRegionsRequest all;
  ASSERT_TRUE(Call(&Stub::ListRegions, all, &response).ok());
  ASSERT_EQ(response.regions_size(), 19);
  EXPECT_EQ(response.regions(0).code(), "310000");
  EXPECT_EQ(response.regions(18).code(), "320102");
  EXPECT_TRUE(response.next_page_token().empty());
}

// ------------------------------------------------------------------ units

TEST_F(CatalogueServiceTest, CreatesAUnitWithAliasesAndLooksItUpByAnyName) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  v1::Unit created;
  absl::Status s = CreateUnit("310000-police",
                              MakeUnit("上海市公安局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                       v1::UNIT_LEVEL_CITY, "regions/310000", {"市公安局"}),
                              &created);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(created.name(), "units/310000-police");

  v1::Unit got;
  s = LookupUnit("市公安局", &got);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(got.name(), "units/310000-police");
  EXPECT_EQ(got.display_name(), "上海市公安局");
  EXPECT_THAT(got.aliases(), ElementsAre("市公安局"));

  ASSERT_TRUE(LookupUnit("上海市公安局", &got).ok());
  EXPECT_EQ(got.name(), "units/310000-police");

  s = LookupUnit("市司法局", &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;

  ASSERT_TRUE(GetUnit("units/310000-police", &got).ok());
  EXPECT_EQ(got.region(), "regions/310000");
  EXPECT_EQ(got.level(), v1::UNIT_LEVEL_CITY);
}

TEST_F(CatalogueServiceTest, AliasCollisionAcrossUnitsIsAlreadyExistsAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  ASSERT_TRUE(
      CreateUnit("310000-police", MakeUnit("上海市公安局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                           v1::UNIT_LEVEL_CITY, "regions/310000", {"市公安局"}))
          .ok());
  // Its own display name and first alias are new; the second alias is taken.
  absl::Status s =
      CreateUnit("310000-police-2",
                 MakeUnit("上海市公安局交通警察总队", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                          v1::UNIT_LEVEL_CITY, "regions/310000", {"市交警总队", "市公安局"}));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.resource_name(), "units/310000-police") << "names the unit holding the alias";

  v1::Unit got;
  EXPECT_EQ(GetUnit("units/310000-police-2", &got).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LookupUnit("上海市公安局交通警察总队", &got).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LookupUnit("市交警总队", &got).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(LookupUnit("市公安局", &got).ok());
  EXPECT_EQ(got.name(), "units/310000-police") << "the alias still belongs to the first unit";

  // The failed call left nothing behind: the same id with fresh names works.
  s = CreateUnit("310000-police-2",
                 MakeUnit("上海市公安局交通警察总队", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                          v1::UNIT_LEVEL_CITY, "regions/310000", {"市交警总队"}));
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(CatalogueServiceTest, TakenUnitIdIsAlreadyExists) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  ASSERT_TRUE(
      CreateUnit("310000-justice", MakeUnit("上海市司法局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                            v1::UNIT_LEVEL_CITY, "regions/310000"))
          .ok());
  absl::Status s =
      CreateUnit("310000-justice", MakeUnit("上海市总工会", v1::UNIT_KIND_PEOPLES_ORGANISATION,
                                            v1::UNIT_LEVEL_CITY, "regions/310000"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  v1::Unit got;
  EXPECT_EQ(LookupUnit("上海市总工会", &got).code(), absl::StatusCode::kNotFound);
}

TEST_F(CatalogueServiceTest, FilesAnnualReportDefaultsByKindAndCanBeOverridden) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  struct Case {
    std::string id;
    std::string name;
    v1::UnitKind kind;
    std::optional<bool> override_value;
    bool expected;
  };
  const std::vector<Case> cases = {
      {"government", "上海市人民政府", v1::UNIT_KIND_GOVERNMENT, std::nullopt, true},
      {"justice", "上海市司法局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT, std::nullopt, true},
      {"high-court", "上海市高级人民法院", v1::UNIT_KIND_COURT, std::nullopt, false},
      {"procuratorate", "上海市人民检察院", v1::UNIT_KIND_PROCURATORATE, std::nullopt, false},
      {"politics-law", "中共上海市委政法委员会", v1::UNIT_KIND_PARTY_BODY, std::nullopt, false},
      {"trade-union", "上海市总工会", v1::UNIT_KIND_PEOPLES_ORGANISATION, std::nullopt, false},
      {"other", "临港新片区管委会", v1::UNIT_KIND_OTHER, std::nullopt, false},
      // Overrides win both ways.
      {"court-override", "上海铁路运输法院", v1::UNIT_KIND_COURT, true, true},
      {"dept-override", "上海市某局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT, false, false},
  };
  for (const auto& c : cases) {
    v1::Unit unit = MakeUnit(c.name, c.kind, v1::UNIT_LEVEL_CITY, "regions/310000");
    if (c.override_value.has_value()) unit.set_files_annual_report_override(*c.override_value);
    v1::Unit created;
    absl::Status s = CreateUnit(c.id, unit, &created);
    ASSERT_TRUE(s.ok()) << c.id << ": " << s;
    EXPECT_EQ(created.files_annual_report(), c.expected) << c.id;
    v1::Unit got;
    ASSERT_TRUE(GetUnit("units/" + c.id, &got).ok());
    EXPECT_EQ(got.files_annual_report(), c.expected) << c.id << " as stored";
    EXPECT_EQ(got.has_files_annual_report_override(), c.override_value.has_value()) << c.id;
  }
}

TEST_F(CatalogueServiceTest, UnitInAnUnknownRegionIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  absl::Status s =
      CreateUnit("310113-government", MakeUnit("上海市宝山区人民政府", v1::UNIT_KIND_GOVERNMENT,
                                               v1::UNIT_LEVEL_DISTRICT, "regions/310113"));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("unit.region"));
}

// --------------------------------------------------------------- projects

TEST_F(CatalogueServiceTest, CreateProjectWithTheSameRequestIdTwiceCreatesOne) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  const v1::Project project = MakeProject("三端联动一体化 保障两旧一村改造", 2023,
                                          "units/310113-government", "regions/310113");
  v1::Project first;
  absl::Status s = CreateProject(project, "req-7f3a", &first);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_FALSE(first.name().empty());
  EXPECT_EQ(first.status(), v1::PROJECT_STATUS_PROPOSED) << "status defaults to PROPOSED";
  EXPECT_TRUE(first.has_create_time());

  v1::Project second;
  s = CreateProject(project, "req-7f3a", &second);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.create_time().seconds(), first.create_time().seconds());
  EXPECT_EQ(second.create_time().nanos(), first.create_time().nanos());

  EXPECT_THAT(ListProjectNames(2023, ""), ElementsAre(first.name()));
}

TEST_F(CatalogueServiceTest, SameTitleUnitAndYearWithAnotherRequestIdIsAlreadyExists) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  const v1::Project project = MakeProject("三端联动一体化 保障两旧一村改造", 2023,
                                          "units/310113-government", "regions/310113");
  v1::Project first;
  ASSERT_TRUE(CreateProject(project, "req-a", &first).ok());
  absl::Status s = CreateProject(project, "req-b");
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.resource_name(), first.name());
  EXPECT_THAT(ListProjectNames(0, ""), ElementsAre(first.name()));

  // The same title in another year, or for another first unit, is a new project.
  EXPECT_TRUE(
      CreateProject(MakeProject(project.title(), 2024, "units/310113-government", "regions/310113"),
                    "req-c")
          .ok());
  EXPECT_TRUE(
      CreateProject(MakeProject(project.title(), 2023, "units/310107-justice", "regions/310107"),
                    "req-d")
          .ok());
  EXPECT_EQ(ListProjectNames(0, "").size(), 3u);
}

TEST_F(CatalogueServiceTest, ProjectOfAnUnknownUnitIsNotFoundNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  absl::Status s = CreateProject(
      MakeProject("反拐行动", 2022, "units/310000-police", "regions/310000"), "req-x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("project.units[0]"));
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(errors::GetDetail(s, &info));
  EXPECT_EQ(info.resource_name(), "units/310000-police");
  EXPECT_THAT(ListProjectNames(0, ""), IsEmpty());
}

TEST_F(CatalogueServiceTest, SeveralBadFieldsAreReportedTogether) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  v1::Project project = MakeProject("", 1800, "units/310113-government", "region/310113");
  absl::Status s = CreateProject(project, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s),
              UnorderedElementsAre("project.title", "project.year", "project.region"));
  EXPECT_THAT(ListProjectNames(0, ""), IsEmpty());
}

// proto3 `string` fields must hold UTF-8, so a stub cannot deliver an
// invalid title: the server's protobuf parser rejects the request before the
// adapter runs, and gRPC answers INTERNAL with no details. The adapter's own
// check is therefore exercised by calling it directly; over the wire the test
// only requires that the call fails and writes nothing.
TEST_F(CatalogueServiceTest, InvalidUtf8TitleIsInvalidArgument) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  const v1::Project project =
      MakeProject("法治\xff\xfe项目", 2023, "units/310113-government", "regions/310113");

  v1::CreateProjectRequest request;
  *request.mutable_project() = project;
  errors::FieldViolations violations;
  ValidateProject(request.project_id(), request.project(), violations);
  ASSERT_FALSE(violations.empty());
  absl::Status direct = violations.ToStatus();
  EXPECT_EQ(direct.code(), absl::StatusCode::kInvalidArgument) << direct;
  EXPECT_THAT(ViolatedFields(direct), ElementsAre("project.title"));

  // On the wire the protobuf runtime refuses the request before the service
  // sees it; the caller still gets INVALID_ARGUMENT naming the field (by its
  // message type: the runtime does not know the path), not a bare INTERNAL.
  absl::Status wire = CreateProject(project, "");
  EXPECT_EQ(wire.code(), absl::StatusCode::kInvalidArgument) << wire;
  EXPECT_THAT(ViolatedFields(wire), ElementsAre("fazhi.catalogue.v1.Project.title"));
  EXPECT_THAT(ListProjectNames(0, ""), IsEmpty());
}

TEST_F(CatalogueServiceTest, OutcomePhraseIsReadIntoAnExactQuantity) {
  ASSERT_NO_FATAL_FAILURE(CreateShanghai());
  ASSERT_TRUE(
      CreateUnit("310000-police", MakeUnit("上海市公安局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                           v1::UNIT_LEVEL_CITY, "regions/310000", {"市公安局"}))
          .ok());
  v1::Project project =
      MakeProject("反电诈预警劝阻", 2021, "units/310000-police", "regions/310000");
  project.set_level(v1::PROJECT_LEVEL_CITY);
  project.add_outcomes()->set_phrase("累计避损147亿余元");
  project.add_outcomes()->set_phrase("日均预警潜在被害人14万人次");
  v1::Project created;
  absl::Status s = CreateProject(project, "", &created);
  ASSERT_TRUE(s.ok()) << s;

  v1::Project got;
  ASSERT_TRUE(GetProject(created.name(), &got).ok());
  ASSERT_EQ(got.outcomes_size(), 2);
  const auto& loss = got.outcomes(0).quantity();
  EXPECT_EQ(got.outcomes(0).phrase(), "累计避损147亿余元");
  EXPECT_EQ(loss.decimal(), "14700000000");
  EXPECT_EQ(loss.mantissa(), "147");
  EXPECT_EQ(loss.multiplier(), fazhi::type::MULTIPLIER_YI);
  EXPECT_EQ(loss.qualifier(), fazhi::type::QUALIFIER_MORE_THAN);
  EXPECT_EQ(loss.measure_word(), "元");
  EXPECT_DOUBLE_EQ(loss.value(), 1.47e10);

  const auto& warned = got.outcomes(1).quantity();
  EXPECT_EQ(warned.decimal(), "140000");
  EXPECT_EQ(warned.qualifier(), fazhi::type::QUALIFIER_EXACT);
  EXPECT_EQ(warned.measure_word(), "人次");
}

TEST_F(CatalogueServiceTest, OutcomeWithNoFigureIsInvalidArgument) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  v1::Project project = MakeProject("三端联动一体化 保障两旧一村改造", 2023,
                                    "units/310113-government", "regions/310113");
  project.add_outcomes()->set_phrase("累计避损147亿余元");
  project.add_outcomes()->set_phrase("全部落地见效");
  absl::Status s = CreateProject(project, "req-nofigure");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(ViolatedFields(s), ElementsAre("project.outcomes[1].phrase"));
  EXPECT_THAT(ListProjectNames(0, ""), IsEmpty());
}

TEST_F(CatalogueServiceTest, ListProjectsFiltersByRegionAndYear) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  std::map<std::string, std::string> name_of;  // title -> name
  for (const auto& [title, year, unit, region] :
       std::vector<std::tuple<std::string, int, std::string, std::string>>{
           {"宝山2022甲", 2022, "units/310113-government", "regions/310113"},
           {"宝山2023甲", 2023, "units/310113-government", "regions/310113"},
           {"宝山2023乙", 2023, "units/310113-government", "regions/310113"},
           {"普陀2023甲", 2023, "units/310107-justice", "regions/310107"},
           {"普陀2021甲", 2021, "units/310107-justice", "regions/310107"},
       }) {
    v1::Project created;
    absl::Status s = CreateProject(MakeProject(title, year, unit, region), "", &created);
    ASSERT_TRUE(s.ok()) << title << ": " << s;
    name_of[title] = created.name();
  }
  EXPECT_THAT(ListProjectNames(2023, "regions/310113"),
              UnorderedElementsAre(name_of["宝山2023甲"], name_of["宝山2023乙"]));
  EXPECT_THAT(
      ListProjectNames(0, "regions/310113"),
      UnorderedElementsAre(name_of["宝山2022甲"], name_of["宝山2023甲"], name_of["宝山2023乙"]));
  EXPECT_THAT(
      ListProjectNames(2023, ""),
      UnorderedElementsAre(name_of["宝山2023甲"], name_of["宝山2023乙"], name_of["普陀2023甲"]));
  EXPECT_THAT(ListProjectNames(2021, "regions/310107"), ElementsAre(name_of["普陀2021甲"]));
  EXPECT_THAT(ListProjectNames(2020, ""), IsEmpty());
  EXPECT_THAT(ListProjectNames(2023, "regions/310101"), IsEmpty());
  EXPECT_EQ(ListProjectNames(0, "").size(), 5u);

  // Region results come back with the project itself, filtered correctly.
  v1::ListProjectsRequest request;
  request.set_region("regions/310107");
  v1::ListProjectsResponse response;
  ASSERT_TRUE(Call(&Stub::ListProjects, request, &response).ok());
  for (const auto& p : response.projects()) EXPECT_EQ(p.region(), "regions/310107");
}

TEST_F(CatalogueServiceTest, PaginationIsStableWhileProjectsAreInserted) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  // Ids chosen so that later inserts land both before and after the cursor.
  const std::vector<std::string> original = {"b-01", "b-02", "b-03", "b-04",
                                             "b-05", "b-06", "b-07"};
  for (const auto& id : original) {
    ASSERT_TRUE(
        CreateProject(MakeProject("项目" + id, 2023, "units/310113-government", "regions/310113"),
                      "", nullptr, id)
            .ok())
        << id;
  }
  v1::ListProjectsRequest request;
  request.set_year(2023);
  request.set_region("regions/310113");
  request.set_page_size(3);
  std::vector<std::string> seen;
  int inserted = 0;
  for (int page = 0; page < 20; ++page) {
    v1::ListProjectsResponse response;
    absl::Status s = Call(&Stub::ListProjects, request, &response);
    ASSERT_TRUE(s.ok()) << s;
    for (const auto& p : response.projects()) seen.push_back(p.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
    // Between pages: one project before every cursor, one after all of them.
    ++inserted;
    for (const auto& id : {absl::StrCat("a-0", inserted), absl::StrCat("c-0", inserted)}) {
      ASSERT_TRUE(
          CreateProject(MakeProject("插入" + id, 2023, "units/310113-government", "regions/310113"),
                        "", nullptr, id)
              .ok())
          << id;
    }
  }
  ASSERT_GE(inserted, 2) << "the walk must have crossed pages while inserting";
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a project was returned twice";
  for (const auto& id : original) {
    EXPECT_EQ(unique.count("projects/" + id), 1u) << id << " was skipped";
  }
  for (int i = 1; i <= inserted; ++i) {
    EXPECT_EQ(unique.count(absl::StrCat("projects/a-0", i)), 0u)
        << "a-0" << i << " sorts before the cursor and must not appear";
    EXPECT_EQ(unique.count(absl::StrCat("projects/c-0", i)), 1u)
        << "c-0" << i << " sorts after the cursor and must appear";
  }
  // What was seen is in id order.
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

// Generated ids ("p{year}-{n}") share the id space with client-chosen ones.
// A client may legitimately choose "p2023-1"; a later create without an id
// must still get a fresh id, not ALREADY_EXISTS for an id it never sent.
TEST_F(CatalogueServiceTest, GeneratedProjectIdDoesNotCollideWithAChosenOne) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  v1::Project chosen;
  ASSERT_TRUE(CreateProject(MakeProject("客户指定编号的项目", 2023, "units/310113-government",
                                        "regions/310113"),
                            "", &chosen, "p2023-1")
                  .ok());
  ASSERT_EQ(chosen.name(), "projects/p2023-1");

  std::set<std::string> names = {chosen.name()};
  for (const std::string title : {"自动编号的项目一", "自动编号的项目二"}) {
    v1::Project generated;
    absl::Status s = CreateProject(
        MakeProject(title, 2023, "units/310113-government", "regions/310113"), "", &generated);
    EXPECT_TRUE(s.ok()) << title << ": " << s;
    if (s.ok()) {
      EXPECT_TRUE(names.insert(generated.name()).second) << generated.name() << " reused";
    }
  }
  EXPECT_EQ(ListProjectNames(2023, "regions/310113").size(), 3u);
}

// A List request with a bad filter, a bad page size and a page token that
// this service never issued hears about all three at once.
TEST_F(CatalogueServiceTest, AListNamesEveryBadFieldTheTokenIncluded) {
  v1::ListUnitsRequest request;
  request.set_region("regions/31011x");
  request.set_page_size(-1);
  request.set_page_token("not-a-token!");
  v1::ListUnitsResponse response;
  const absl::Status s = Call(&Stub::ListUnits, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("region", "page_size", "page_token")) << s;
}

TEST_F(CatalogueServiceTest, ListUnitsByRegion) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  ASSERT_TRUE(CreateUnit("310113-justice",
                         MakeUnit("上海市宝山区司法局", v1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
                                  v1::UNIT_LEVEL_DISTRICT, "regions/310113"))
                  .ok());
  v1::ListUnitsRequest request;
  request.set_region("regions/310113");
  v1::ListUnitsResponse response;
  ASSERT_TRUE(Call(&Stub::ListUnits, request, &response).ok());
  std::vector<std::string> names;
  for (const auto& u : response.units()) names.push_back(u.name());
  EXPECT_THAT(names, ElementsAre("units/310113-government", "units/310113-justice"));

  request.set_region("regions/310107");
  ASSERT_TRUE(Call(&Stub::ListUnits, request, &response).ok());
  ASSERT_EQ(response.units_size(), 1);
  EXPECT_EQ(response.units(0).name(), "units/310107-justice");
}

TEST_F(CatalogueServiceTest, DataSurvivesAServerAndStoreRestart) {
  ASSERT_NO_FATAL_FAILURE(CreateCatalogueBasics());
  v1::Project project = MakeProject("三端联动一体化 保障两旧一村改造", 2023,
                                    "units/310113-government", "regions/310113");
  project.set_excellent(true);
  project.add_outcomes()->set_phrase("惠及居民4300多户");
  v1::Project created;
  ASSERT_TRUE(CreateProject(project, "req-restart", &created).ok());

  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer());

  v1::Region region;
  ASSERT_TRUE(GetRegion("regions/310113", &region).ok());
  EXPECT_EQ(region.display_name(), "宝山区");
  v1::Unit unit;
  ASSERT_TRUE(LookupUnit("宝山区人民政府", &unit).ok());
  EXPECT_EQ(unit.name(), "units/310113-government");
  EXPECT_TRUE(unit.files_annual_report());
  v1::Project got;
  ASSERT_TRUE(GetProject(created.name(), &got).ok());
  EXPECT_EQ(got.title(), project.title());
  EXPECT_TRUE(got.excellent());
  ASSERT_EQ(got.outcomes_size(), 1);
  EXPECT_EQ(got.outcomes(0).quantity().decimal(), "4300");
  EXPECT_EQ(got.outcomes(0).quantity().qualifier(), fazhi::type::QUALIFIER_MORE_THAN);

  // The request id and the title index survived too.
  v1::Project retried;
  ASSERT_TRUE(CreateProject(project, "req-restart", &retried).ok());
  EXPECT_EQ(retried.name(), created.name());
  EXPECT_EQ(CreateProject(project, "req-other").code(), absl::StatusCode::kAlreadyExists);
  // So did the id sequence: a new generated id does not reuse the old one.
  v1::Project next;
  ASSERT_TRUE(
      CreateProject(MakeProject("另一个项目", 2023, "units/310113-government", "regions/310113"),
                    "", &next)
          .ok());
  EXPECT_NE(next.name(), created.name());
  EXPECT_THAT(ListProjectNames(2023, "regions/310113"),
              UnorderedElementsAre(created.name(), next.name()));
}

}  // namespace
}  // namespace fazhi::catalogue
